// The mqtt: section and MQTT relays on doors: values, defaults, and errors with file:line:col.
#include <gtest/gtest.h>

#include "app/config.hpp"
#include "app/door_setup.hpp"

namespace portier::app {
namespace {

using namespace std::chrono_literals;

ConfigLoad parse(const std::string& yaml) { return parse_config(yaml, "/srv/portier/portier.yaml"); }

std::string errors_of(const ConfigLoad& load) {
  std::string out;
  for (const auto& e : load.errors) out += e.format() + "\n";
  return out;
}

TEST(ConfigMqtt, OffByDefault) {
  auto load = parse("");
  ASSERT_TRUE(load.config);
  EXPECT_FALSE(load.config->mqtt.enabled());
  EXPECT_EQ(load.config->mqtt.command_timeout, 3s);
}

TEST(ConfigMqtt, SectionAndRelayMap) {
  auto load = parse(
      "mqtt:\n  broker: \"10.0.0.2:8883\"\n  username: portier\n  password_file: secret\n  tls: true\n"
      "doors:\n  - id: gate\n    relay: {driver: mqtt, device: gate-1, output: 2}\n    hold: 3\n");
  ASSERT_TRUE(load.config) << errors_of(load);
  const auto& m = load.config->mqtt;
  EXPECT_TRUE(m.enabled());
  EXPECT_EQ(m.broker_address().host, "10.0.0.2");
  EXPECT_EQ(m.broker_address().port, 8883);
  EXPECT_EQ(m.password_file, "/srv/portier/secret");  // relative to the config file
  EXPECT_TRUE(m.tls);
  auto plan = plan_doors(*load.config);
  ASSERT_TRUE(plan.errors.empty()) << plan.errors.front().format();
  ASSERT_EQ(plan.doors.size(), 1u);
  EXPECT_EQ(plan.doors[0].relay, "mqtt:gate-1:2");
}

TEST(ConfigMqtt, EmbeddedBrokerDefaultsToLoopback) {
  auto load = parse("mqtt:\n  embedded_broker: true\n  legacy_listener: \"127.0.0.1:1884\"\n");
  ASSERT_TRUE(load.config) << errors_of(load);
  EXPECT_TRUE(load.config->mqtt.enabled());
  EXPECT_EQ(load.config->mqtt.broker_address().port, 1883);
}

TEST(ConfigMqtt, Errors) {
  auto load = parse(
      "mqtt:\n  broker: nonsense\n  password: a\n  password_file: b\n  legacy_listener: \"127.0.0.1:1\"\n"
      "  command_timeout: 0\n");
  EXPECT_FALSE(load.config);
  const auto text = errors_of(load);
  EXPECT_NE(text.find("portier.yaml:2:11: mqtt.broker: expected HOST:PORT"), std::string::npos) << text;
  EXPECT_NE(text.find("mqtt.command_timeout"), std::string::npos) << text;
  // Cross-key checks run once every key reads cleanly.
  load = parse("mqtt:\n  broker: \"h:1\"\n  password: a\n  password_file: b\n  legacy_listener: \"127.0.0.1:1\"\n");
  const auto cross = errors_of(load);
  EXPECT_NE(cross.find("give password or password_file, not both"), std::string::npos) << cross;
  EXPECT_NE(cross.find("only for the embedded broker"), std::string::npos) << cross;
}

TEST(ConfigMqtt, RelayMapErrors) {
  auto load = parse("doors:\n  - id: a\n    relay: {driver: gpio, device: x, colour: red}\n");
  EXPECT_FALSE(load.config);
  const auto text = errors_of(load);
  EXPECT_NE(text.find("must be mqtt"), std::string::npos) << text;
  EXPECT_NE(text.find("unknown key (known keys: driver, device, output)"), std::string::npos) << text;
  load = parse("doors:\n  - id: a\n    relay: {output: 1}\n");
  EXPECT_NE(errors_of(load).find("needs driver: mqtt and device: NAME"), std::string::npos) << errors_of(load);
  // Without the mqtt: section an MQTT relay is refused when the doors are planned (check-config, serve).
  load = parse("doors:\n  - id: a\n    relay: {driver: mqtt, device: a}\n");
  ASSERT_TRUE(load.config) << errors_of(load);
  auto plan = plan_doors(*load.config);
  ASSERT_EQ(plan.errors.size(), 1u);
  EXPECT_NE(plan.errors[0].message.find("needs the mqtt: section"), std::string::npos);
  EXPECT_EQ(plan.errors[0].line, 2);
}

}  // namespace
}  // namespace portier::app
