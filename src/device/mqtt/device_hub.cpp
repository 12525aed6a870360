#include "device/mqtt/device_hub.hpp"

#include <sstream>

#include "base/error.hpp"
#include "base/log.hpp"
#include "base/random.hpp"

namespace portier::device::mqtt {
namespace {

constexpr std::chrono::milliseconds kTick{500};
const std::string kPrefix = "portier/";

auto logger() { return log::get("mqtt"); }

// "portier/<device>/<kind>" -> device and kind; false for anything else.
bool split_topic(const std::string& topic, std::string& device, std::string& kind) {
  if (topic.compare(0, kPrefix.size(), kPrefix) != 0) return false;
  const auto slash = topic.find('/', kPrefix.size());
  if (slash == std::string::npos) return false;
  device = topic.substr(kPrefix.size(), slash - kPrefix.size());
  kind = topic.substr(slash + 1);
  return valid_device_name(device) && kind.find('/') == std::string::npos;
}

// The seed's token shape: letters only. Rejection sampling keeps every letter equally likely.
std::string alnum_token(std::size_t n) {
  static constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
  std::string out;
  while (out.size() < n) {
    const std::string bytes = random_hex(n);
    for (std::size_t i = 0; i + 1 < bytes.size() && out.size() < n; i += 2) {
      const unsigned v = static_cast<unsigned>(std::stoul(bytes.substr(i, 2), nullptr, 16));
      if (v < 208) out += kAlphabet[v % 52];  // 208 = 4 x 52
    }
  }
  return out;
}

}  // namespace

DeviceHub::DeviceHub(boost::asio::io_context& io, const Clock& clock, access::TimerFactory& timers,
                     access::DeviceRepository& repo, const access::PasswordHasher& hasher, Options options,
                     Listener& listener)
    : io_(io),
      clock_(clock),
      timers_(timers),
      repo_(repo),
      hasher_(hasher),
      options_([&] {
        options.client.subscriptions = {"portier/+/ack", "portier/+/state", "portier/+/status"};
        return options;
      }()),
      listener_(listener),
      client_(io, options_.client, *this),
      tick_(timers.create_timer()),
      login_throttle_(clock, {10, std::chrono::minutes(15), std::chrono::minutes(15), 10000}) {}

DeviceHub::~DeviceHub() { stop(); }

Status DeviceHub::start() {
  reload();
  if (auto st = client_.start(); !st) return st;
  arm_tick();
  return {};
}

void DeviceHub::stop() {
  tick_->cancel();
  client_.stop();
  pending_.clear();  // callbacks dropped, not called: their owners are going away
}

void DeviceHub::arm_tick() {
  tick_->start(kTick, [this] {
    if (clock_.steady_now() - last_reload_ >= options_.reload_interval) reload();
    check_presence();
    arm_tick();
  });
}

void DeviceHub::reload() {
  last_reload_ = clock_.steady_now();
  auto all = repo_.list();
  if (!all) {
    logger()->warn("cannot read devices: {}", all.error().what());
    return;
  }
  std::map<std::string, bool> seen;
  for (auto& rec : *all) {
    seen[rec.name] = true;
    auto it = devices_.find(rec.name);
    if (it == devices_.end()) {
      Device d;
      d.status.name = rec.name;
      d.status.protocol = rec.protocol;
      d.reserved = rec.counter_reserved;
      d.next_counter = rec.counter_reserved + 1;
      d.record = std::move(rec);
      logger()->info("device {} ({}) registered", d.record.name, access::to_string(d.record.protocol));
      devices_.emplace(d.record.name, std::move(d));
    } else {
      Device& d = it->second;
      if (d.record.command_key != rec.command_key || d.record.login_hash != rec.login_hash ||
          d.record.protocol != rec.protocol) {
        logger()->info("device {}: credentials changed", rec.name);
        if (d.record.protocol != rec.protocol || d.record.login_hash != rec.login_hash) d.legacy = LegacyLogin{};
      }
      const auto reserved = std::max(d.reserved, rec.counter_reserved);
      d.record = std::move(rec);
      d.reserved = reserved;
      d.status.protocol = d.record.protocol;
    }
  }
  for (auto it = devices_.begin(); it != devices_.end();) {
    if (seen.count(it->first)) {
      ++it;
      continue;
    }
    logger()->info("device {} removed", it->first);
    const std::string name = it->first;
    const bool was_online = online(it->second);
    it = devices_.erase(it);
    std::vector<std::uint64_t> counters;
    for (const auto& [key, p] : pending_)
      if (key.first == name) counters.push_back(key.second);
    for (auto c : counters) complete(name, c, Error(errc::unavailable, "device '" + name + "' was removed"));
    if (was_online) listener_.on_device_presence(name, false);
  }
}

DeviceHub::Device* DeviceHub::find(const std::string& name) {
  auto it = devices_.find(name);
  return it == devices_.end() ? nullptr : &it->second;
}

DeviceHub::Device* DeviceHub::find_token(const std::string& token) {
  if (token.empty()) return nullptr;
  for (auto& [name, d] : devices_)
    if (d.record.protocol == access::DeviceProtocol::legacy_doorlock && constant_time_equal(d.legacy.token, token))
      return &d;
  return nullptr;
}

bool DeviceHub::online(const Device& d) const {
  if (!d.heard && d.record.protocol == access::DeviceProtocol::legacy_doorlock) return false;
  const auto now = clock_.steady_now();
  if (d.record.protocol == access::DeviceProtocol::legacy_doorlock)
    return now - *d.heard <= options_.legacy_timeout * 3 / 2;
  if (!d.status_online) return false;
  return !d.heard || now - *d.heard <= options_.stale_after;
}

void DeviceHub::set_online(Device& d, bool now_online) {
  if (d.status.online == now_online) return;
  d.status.online = now_online;
  logger()->info("device {} is {}", d.record.name, now_online ? "online" : "offline");
  listener_.on_device_presence(d.record.name, now_online);
}

void DeviceHub::check_presence() {
  for (auto& [name, d] : devices_) set_online(d, online(d));
}

Result<std::uint64_t> DeviceHub::take_counter(Device& d) {
  const std::uint64_t c = d.next_counter;
  if (c > d.reserved) {
    const std::uint64_t up_to = c + options_.counter_block - 1;
    if (auto st = repo_.reserve_counter(d.record.name, up_to); !st)
      return Error(errc::unavailable, "device '" + d.record.name + "': cannot reserve command counters: " +
                                          st.error().what());
    d.reserved = up_to;
  }
  d.next_counter = c + 1;
  return c;
}

void DeviceHub::send(const std::string& device, Action action, int output, std::uint32_t duration_ms,
                     std::function<void(Status)> done) {
  Device* d = find(device);
  if (!d) return done(Error(errc::unavailable, "device '" + device + "' is not registered (portier device add)"));
  if (d->record.protocol != access::DeviceProtocol::native)
    return done(Error(errc::invalid_argument, "device '" + device + "' speaks legacy-doorlock, not native commands"));
  if (!client_.connected()) return done(Error(errc::unavailable, "MQTT broker disconnected"));
  if (!online(*d)) return done(Error(errc::unavailable, "device '" + device + "' is offline"));
  auto counter = take_counter(*d);
  if (!counter) return done(counter.error());
  Command c{device, action, output, duration_ms, *counter, to_unix_ms(clock_.now())};
  if (auto st = client_.publish(kPrefix + device + "/cmd", serialize(c, d->record.command_key)); !st)
    return done(st.error());
  ++d->status.commands;
  Pending p{device, std::move(done), timers_.create_timer()};
  const auto key = std::make_pair(device, *counter);
  p.timer->start(options_.command_timeout, [this, device, n = *counter] {
    if (Device* dev = find(device)) {
      ++dev->status.timeouts;
      dev->status.last_error = "no ack within " + std::to_string(options_.command_timeout.count()) + " ms";
    }
    logger()->warn("device {}: command {} not acknowledged within {} ms", device, n,
                   options_.command_timeout.count());
    complete(device, n, Error(errc::timeout, "device '" + device + "' did not acknowledge within " +
                                                 std::to_string(options_.command_timeout.count()) + " ms"));
  });
  pending_.emplace(key, std::move(p));
}

void DeviceHub::complete(const std::string& device, std::uint64_t counter, Status st) {
  auto it = pending_.find({device, counter});
  if (it == pending_.end()) return;
  auto done = std::move(it->second.done);
  pending_.erase(it);  // destroys the timer, so a late timeout cannot complete twice
  done(std::move(st));
}

// ---- broker events ----

void DeviceHub::on_mqtt_connected(MqttClient&) {
  logger()->info("connected to broker {}", broker());
  last_disconnect_.clear();
}

void DeviceHub::on_mqtt_disconnected(MqttClient&, const std::string& reason) {
  if (reason != last_disconnect_) logger()->warn("broker {}: {}", broker(), reason);
  last_disconnect_ = reason;
}

void DeviceHub::on_mqtt_message(MqttClient&, const std::string& topic, const std::string& payload) {
  std::string name, kind;
  if (!split_topic(topic, name, kind)) return;
  Device* d = find(name);
  if (!d || d->record.protocol != access::DeviceProtocol::native) {
    logger()->debug("message for unknown device {} ignored", name);
    return;
  }
  if (payload.size() > kMaxPayloadBytes) {
    logger()->warn("device {}: {} payload of {} bytes ignored", name, kind, payload.size());
    return;
  }
  if (kind == "ack") {
    on_ack(*d, payload);
  } else if (kind == "state") {
    on_state(*d, payload);
  } else if (kind == "status") {
    on_status(*d, payload);
  }
}

void DeviceHub::on_ack(Device& d, const std::string& payload) {
  auto ack = parse_ack(payload, d.record.command_key);
  if (!ack || ack->device != d.record.name) {
    logger()->warn("device {}: ack ignored: {}", d.record.name, ack ? "names another device" : ack.error().what());
    return;
  }
  d.heard = clock_.steady_now();
  if (ack->result == AckResult::rejected) {
    ++d.status.refusals;
    d.status.last_error = "refused a command: " + ack->reason;
    const bool ours = pending_.count({d.record.name, ack->counter}) > 0;
    logger()->warn("device {} refused command {} ({}){}", d.record.name, ack->counter, ack->reason,
                   ours ? "" : ": not one Portier has in flight (a replay?)");
    complete(d.record.name, ack->counter,
             Error(errc::io_error, "device '" + d.record.name + "' refused the command: " + ack->reason));
    return;
  }
  complete(d.record.name, ack->counter, Status{});
}

void DeviceHub::on_state(Device& d, const std::string& payload) {
  auto s = parse_state(payload, d.record.command_key);
  if (!s || s->device != d.record.name) {
    logger()->warn("device {}: state ignored: {}", d.record.name, s ? "names another device" : s.error().what());
    return;
  }
  d.heard = clock_.steady_now();
  d.status.last_seen = clock_.now();
  d.status.outputs = s->outputs;
  // The device's last accepted counter is authenticated: never send a counter it would refuse as a replay.
  if (s->counter >= d.next_counter) d.next_counter = s->counter + 1;
  set_online(d, online(d));
}

void DeviceHub::on_status(Device& d, const std::string& payload) {
  if (payload != "online" && payload != "offline") {
    logger()->warn("device {}: status '{}' ignored (expected online or offline)", d.record.name,
                   payload.substr(0, 32));
    return;
  }
  d.status_online = payload == "online";
  if (d.status_online) {
    d.heard = clock_.steady_now();
    d.status.last_seen = clock_.now();
  }
  set_online(d, online(d));
  if (!d.status_online) {
    std::vector<std::uint64_t> counters;
    for (const auto& [key, p] : pending_)
      if (key.first == d.record.name) counters.push_back(key.second);
    for (auto c : counters) complete(d.record.name, c, Error(errc::unavailable, "device '" + d.record.name + "' went offline"));
  }
}

// ---- legacy-doorlock ----

Result<DeviceHub::LegacyLogin> DeviceHub::legacy_login(const std::string& name, const std::string& password,
                                                       const std::string& client) {
  const std::string ip_key = "ip:" + client, name_key = "device:" + name.substr(0, kMaxDeviceNameLength);
  if (login_throttle_.locked_for(ip_key).count() > 0 || login_throttle_.locked_for(name_key).count() > 0)
    return Error(errc::rate_limited, "too many failed logins: try again later");
  Device* d = find(name);
  const bool legacy = d && d->record.protocol == access::DeviceProtocol::legacy_doorlock;
  // Unknown names cost as much as wrong passwords.
  const bool ok = hasher_.verify(legacy ? d->record.login_hash : hasher_.dummy_hash(), password);
  if (!legacy || !ok) {
    login_throttle_.record_failure(ip_key);
    login_throttle_.record_failure(name_key);
    logger()->warn("legacy login refused for device '{}'", valid_device_name(name) ? name : "(invalid name)");
    return Error(errc::unauthenticated, "wrong device name or password");
  }
  login_throttle_.reset(name_key);
  d->legacy = LegacyLogin{alnum_token(32), random_hex(32), random_hex(32), "legacy/" + random_hex(32),
                          options_.legacy_timeout.count()};
  d->heard.reset();
  d->status.last_seen = clock_.now();
  set_online(*d, false);
  logger()->info("legacy device {} logged in (topic, trigger and lifesign rotated)", name);
  return d->legacy;
}

Status DeviceHub::legacy_ping(const std::string& token) {
  Device* d = find_token(token);
  if (!d) return Error(errc::unauthenticated, "unknown token");
  if (auto st = client_.publish(d->legacy.topic, d->legacy.lifesign, 1, false); !st) return st;
  return {};
}

Status DeviceHub::legacy_confirm(const std::string& token) {
  Device* d = find_token(token);
  if (!d) return Error(errc::unauthenticated, "unknown token");
  d->heard = clock_.steady_now();
  d->status.last_seen = clock_.now();
  set_online(*d, true);
  return {};
}

Status DeviceHub::trigger(const std::string& device) {
  Device* d = find(device);
  if (!d) return Error(errc::unavailable, "device '" + device + "' is not registered (portier device add)");
  if (d->record.protocol != access::DeviceProtocol::legacy_doorlock)
    return Error(errc::invalid_argument, "device '" + device + "' is not a legacy-doorlock device");
  if (d->legacy.topic.empty()) return Error(errc::unavailable, "device '" + device + "' has not logged in");
  if (!online(*d)) return Error(errc::unavailable, "device '" + device + "' is offline");
  if (auto st = client_.publish(d->legacy.topic, d->legacy.trigger, 1, false); !st) return st;
  ++d->status.commands;
  return {};
}

// ---- views ----

std::string DeviceHub::broker() const {
  return options_.client.host + ":" + std::to_string(options_.client.port);
}

std::vector<DeviceHub::DeviceStatus> DeviceHub::devices() const {
  std::vector<DeviceStatus> out;
  for (const auto& [name, d] : devices_) {
    DeviceStatus s = d.status;
    s.online = online(d);
    out.push_back(std::move(s));
  }
  return out;
}

std::optional<access::DeviceProtocol> DeviceHub::protocol_of(const std::string& device) const {
  auto it = devices_.find(device);
  if (it == devices_.end()) return std::nullopt;
  return it->second.record.protocol;
}

std::string DeviceHub::dump() const {
  std::ostringstream os;
  os << "DeviceHub{" << client_.dump() << " pending=" << pending_.size();
  for (const auto& [name, d] : devices_) {
    os << " " << name << "{" << access::to_string(d.record.protocol) << " online=" << online(d)
       << " next_counter=" << d.next_counter << " reserved=" << d.reserved << " commands=" << d.status.commands
       << " refusals=" << d.status.refusals << "}";
  }
  os << "}";
  return os.str();
}

}  // namespace portier::device::mqtt
