// DeviceHub without a broker (the client is never started): device registry reloads, the legacy-doorlock login,
// rotation, lifesign presence window and throttling on a fake clock, and fail-fast errors for commands.
#include <gtest/gtest.h>

#include <map>

#include <boost/asio/io_context.hpp>

#include "access/timer_fake.hpp"
#include "base/error.hpp"
#include "device/mqtt/device_hub.hpp"

namespace portier::device::mqtt {
namespace {

using namespace std::chrono_literals;

class MemoryDevices final : public access::DeviceRepository {
 public:
  Result<access::NetworkDevice> create(const access::NetworkDevice& d) override {
    if (!devices.emplace(d.name, d).second) return Error(errc::already_exists, "exists");
    return d;
  }
  std::optional<access::NetworkDevice> find(const std::string& name) const override {
    auto it = devices.find(name);
    if (it == devices.end()) return std::nullopt;
    return it->second;
  }
  Result<std::vector<access::NetworkDevice>> list() const override {
    std::vector<access::NetworkDevice> out;
    for (const auto& [n, d] : devices) out.push_back(d);
    return out;
  }
  Status update_credentials(const std::string& name, const std::string& b, const std::string& k,
                            const std::string& l) override {
    auto& d = devices.at(name);
    d.broker_password_hash = b;
    d.command_key = k;
    d.login_hash = l;
    return {};
  }
  Status reserve_counter(const std::string& name, std::uint64_t up_to) override {
    devices.at(name).counter_reserved = up_to;
    return {};
  }
  Status remove(const std::string& name) override {
    devices.erase(name);
    return {};
  }
  std::map<std::string, access::NetworkDevice> devices;
};

struct Presence : DeviceHub::Listener {
  std::vector<std::string> seen;
  void on_device_presence(const std::string& d, bool online) override { seen.push_back(d + (online ? "+" : "-")); }
};

class MqttDeviceHub : public ::testing::Test {
 protected:
  void SetUp() override {
    access::NetworkDevice legacy;
    legacy.name = "seed";
    legacy.protocol = access::DeviceProtocol::legacy_doorlock;
    legacy.login_hash = *hasher.hash("seed password");
    ASSERT_TRUE(repo.create(legacy));
    access::NetworkDevice native;
    native.name = "gate";
    native.command_key = "key";
    ASSERT_TRUE(repo.create(native));
    hub.reload();
  }
  const DeviceHub::DeviceStatus& status(const std::string& name) {
    statuses = hub.devices();
    for (const auto& s : statuses)
      if (s.name == name) return s;
    throw std::runtime_error("no device " + name);
  }

  boost::asio::io_context io;
  FakeClock clock;
  access::FakeTimers timers{clock};
  MemoryDevices repo;
  access::PasswordHasher hasher{1, 8192};
  Presence presence;
  DeviceHub hub{io, clock, timers, repo, hasher, DeviceHub::Options{}, presence};
  std::vector<DeviceHub::DeviceStatus> statuses;
};

TEST_F(MqttDeviceHub, LegacyLoginRotatesEverythingAndInvalidatesTheOldToken) {
  auto bad = hub.legacy_login("seed", "wrong", "10.0.0.1");
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().code, make_error_code(errc::unauthenticated));
  EXPECT_FALSE(hub.legacy_login("gate", "anything", "10.0.0.1"));  // a native device has no HTTP login
  auto first = hub.legacy_login("seed", "seed password", "10.0.0.1");
  ASSERT_TRUE(first) << first.error().what();
  EXPECT_EQ(first->token.size(), 32u);
  EXPECT_EQ(first->trigger.size(), 64u);
  EXPECT_EQ(first->topic.rfind("legacy/", 0), 0u);
  EXPECT_EQ(first->timeout_s, 60);
  auto second = hub.legacy_login("seed", "seed password", "10.0.0.1");
  ASSERT_TRUE(second);
  EXPECT_NE(second->token, first->token);
  EXPECT_NE(second->lifesign, first->lifesign);
  EXPECT_NE(second->trigger, first->trigger);
  EXPECT_NE(second->topic, first->topic);
  EXPECT_FALSE(hub.legacy_confirm(first->token));
  EXPECT_TRUE(hub.legacy_confirm(second->token));
}

TEST_F(MqttDeviceHub, LegacyOnlineForOneAndAHalfTimeouts) {
  auto login = hub.legacy_login("seed", "seed password", "10.0.0.1");
  ASSERT_TRUE(login);
  EXPECT_FALSE(status("seed").online);
  ASSERT_TRUE(hub.legacy_confirm(login->token));
  EXPECT_TRUE(status("seed").online);
  EXPECT_EQ(presence.seen, std::vector<std::string>{"seed+"});
  clock.advance(89s);
  EXPECT_TRUE(status("seed").online);
  clock.advance(2s);
  EXPECT_FALSE(status("seed").online);
  auto st = hub.trigger("seed");
  ASSERT_FALSE(st);
  EXPECT_NE(st.error().what().find("offline"), std::string::npos);
}

TEST_F(MqttDeviceHub, FailedLoginsAreThrottledBeforeHashing) {
  for (int i = 0; i < 10; ++i) EXPECT_FALSE(hub.legacy_login("seed", "guess", "10.0.0.9"));
  auto locked = hub.legacy_login("seed", "seed password", "10.0.0.9");
  ASSERT_FALSE(locked);
  EXPECT_EQ(locked.error().code, make_error_code(errc::rate_limited));
  // The name is locked too, from any address.
  EXPECT_EQ(hub.legacy_login("seed", "seed password", "10.0.0.10").error().code, make_error_code(errc::rate_limited));
  clock.advance(16min);
  EXPECT_TRUE(hub.legacy_login("seed", "seed password", "10.0.0.10"));
}

TEST_F(MqttDeviceHub, CommandsFailFastWithoutBrokerOrDevice) {
  std::optional<Status> out;
  hub.send("nope", Action::unlock, 1, 1000, [&](Status st) { out = st; });
  ASSERT_TRUE(out);
  EXPECT_NE(out->error().what().find("not registered"), std::string::npos);
  out.reset();
  hub.send("gate", Action::unlock, 1, 1000, [&](Status st) { out = st; });
  ASSERT_TRUE(out);
  EXPECT_EQ(out->error().code, make_error_code(errc::unavailable));
  EXPECT_NE(out->error().what().find("broker disconnected"), std::string::npos);
  out.reset();
  hub.send("seed", Action::unlock, 1, 1000, [&](Status st) { out = st; });
  ASSERT_TRUE(out);
  EXPECT_EQ(out->error().code, make_error_code(errc::invalid_argument));
  EXPECT_NE(hub.trigger("seed").error().what().find("not logged in"), std::string::npos);
}

TEST_F(MqttDeviceHub, ReloadFollowsTheRepository) {
  EXPECT_EQ(hub.devices().size(), 2u);
  ASSERT_TRUE(repo.remove("gate"));
  access::NetworkDevice added;
  added.name = "shed";
  ASSERT_TRUE(repo.create(added));
  hub.reload();
  std::vector<std::string> names;
  for (const auto& d : hub.devices()) names.push_back(d.name);
  EXPECT_EQ(names, (std::vector<std::string>{"seed", "shed"}));
  EXPECT_EQ(hub.protocol_of("seed"), access::DeviceProtocol::legacy_doorlock);
  EXPECT_FALSE(hub.protocol_of("gate"));
  // New legacy credentials end the current login.
  auto login = hub.legacy_login("seed", "seed password", "10.0.0.1");
  ASSERT_TRUE(login);
  ASSERT_TRUE(repo.update_credentials("seed", "", "", *hasher.hash("new password")));
  hub.reload();
  EXPECT_FALSE(hub.legacy_confirm(login->token));
  EXPECT_TRUE(hub.legacy_login("seed", "new password", "10.0.0.1"));
}

}  // namespace
}  // namespace portier::device::mqtt
