// portier-lock-sim: the reference native-protocol device (docs/mqtt-protocol.md, docs/firmware.md). It does exactly
// what a firmware does: connects with its own broker credentials and a retained last will "offline" on
// portier/<name>/status, publishes "online" and its signed state, subscribes to portier/<name>/cmd, checks every
// command with CommandGuard (MAC, counter, time window, output), acks it signed, runs it, relocks after duration_ms
// and sends a state heartbeat. What it does is printed as one JSON object per line on stdout, for tests and demos:
//   {"event":"connected"} {"event":"unlock","output":1,"counter":7,"duration_ms":5000} {"event":"relock",...}
//   {"event":"refused","reason":"replay","counter":7} {"event":"duplicate","counter":7} {"event":"disconnected"}
// Usage: portier-lock-sim --credentials FILE [--broker HOST:PORT] [--outputs N] [--keepalive S] [--heartbeat S]
//                         [--window S] [--ack-delay-ms MS]
// FILE is what `portier device add NAME` printed (JSON with device, username, password, command_key).
#include <signal.h>

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <map>
#include <memory>
#include <string>

#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <nlohmann/json.hpp>

#include "base/clock.hpp"
#include "device/mqtt/command_guard.hpp"
#include "device/mqtt/mqtt_client.hpp"

namespace pm = portier::device::mqtt;
using nlohmann::json;

namespace {

struct Args {
  std::string credentials;
  std::string broker;
  int outputs = 2;
  int keepalive = 5;
  int heartbeat = 10;
  int window = 30;
  int ack_delay_ms = 0;
};

void emit(const json& j) { std::cout << j.dump() << std::endl; }

std::int64_t now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

class LockSim final : public pm::MqttClient::Listener {
 public:
  LockSim(boost::asio::io_context& io, const Args& args, const json& creds, pm::MqttClient::Options options)
      : io_(io),
        args_(args),
        device_(creds.at("device").get<std::string>()),
        key_(creds.at("command_key").get<std::string>()),
        guard_({device_, key_, args.outputs, std::chrono::seconds(args.window)}),
        outputs_(static_cast<std::size_t>(args.outputs), false),
        heartbeat_(io),
        client_(io, std::move(options), *this) {}

  int start() {
    if (auto st = client_.start(); !st) {
      std::cerr << "portier-lock-sim: " << st.error().what() << "\n";
      return 2;
    }
    beat();
    return 0;
  }

  void stop() {
    (void)client_.publish(topic("status"), "offline", 1, true);
    client_.stop();
  }

 private:
  std::string topic(const char* kind) const { return "portier/" + device_ + "/" + kind; }

  void on_mqtt_connected(pm::MqttClient& c) override {
    (void)c.publish(topic("status"), "online", 1, true);
    publish_state();
    emit({{"event", "connected"}});
  }
  void on_mqtt_disconnected(pm::MqttClient&, const std::string& reason) override {
    emit({{"event", "disconnected"}, {"reason", reason}});
  }
  void on_mqtt_message(pm::MqttClient&, const std::string& t, const std::string& payload) override {
    if (t != topic("cmd")) return;
    auto d = guard_.check(payload, now_ms());
    const auto ack = pm::serialize(guard_.ack_for(d, now_ms()), key_);
    if (d.result == pm::AckResult::rejected) {
      emit({{"event", "refused"}, {"reason", d.reason}, {"counter", d.command.counter}});
    } else if (d.result == pm::AckResult::duplicate) {
      emit({{"event", "duplicate"}, {"counter", d.command.counter}});
    } else {
      run(d.command);
    }
    if (args_.ack_delay_ms > 0) {
      auto t2 = std::make_shared<boost::asio::steady_timer>(io_, std::chrono::milliseconds(args_.ack_delay_ms));
      t2->async_wait([this, t2, ack](const boost::system::error_code&) { (void)client_.publish(topic("ack"), ack); });
    } else {
      (void)client_.publish(topic("ack"), ack);
    }
  }

  void run(const pm::Command& c) {
    const auto i = static_cast<std::size_t>(c.output - 1);
    auto& timer = relock_[c.output];
    if (!timer) timer = std::make_unique<boost::asio::steady_timer>(io_);
    timer->cancel();
    if (c.action == pm::Action::unlock) {
      outputs_[i] = true;
      emit({{"event", "unlock"}, {"output", c.output}, {"counter", c.counter}, {"duration_ms", c.duration_ms}});
      if (c.duration_ms > 0) {
        timer->expires_after(std::chrono::milliseconds(c.duration_ms));
        timer->async_wait([this, i, out = c.output](const boost::system::error_code& ec) {
          if (ec) return;
          outputs_[i] = false;
          emit({{"event", "relock"}, {"output", out}});
          publish_state();
        });
      }
    } else {
      outputs_[i] = false;
      emit({{"event", "lock"}, {"output", c.output}, {"counter", c.counter}});
    }
    publish_state();
  }

  void publish_state() {
    pm::State s{device_, outputs_, guard_.last_counter(), now_ms()};
    (void)client_.publish(topic("state"), pm::serialize(s, key_), 1, true);
  }

  void beat() {
    heartbeat_.expires_after(std::chrono::seconds(args_.heartbeat));
    heartbeat_.async_wait([this](const boost::system::error_code& ec) {
      if (ec) return;
      if (client_.connected()) publish_state();
      beat();
    });
  }

  boost::asio::io_context& io_;
  Args args_;
  std::string device_;
  std::string key_;
  pm::CommandGuard guard_;
  std::vector<bool> outputs_;
  std::map<int, std::unique_ptr<boost::asio::steady_timer>> relock_;
  boost::asio::steady_timer heartbeat_;
  pm::MqttClient client_;
};

int usage() {
  std::cerr << "usage: portier-lock-sim --credentials FILE [--broker HOST:PORT] [--outputs N] [--keepalive S]"
               " [--heartbeat S] [--window S] [--ack-delay-ms MS]\n";
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  Args args;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (i + 1 >= argc) return usage();
    const std::string v = argv[++i];
    try {
      if (a == "--credentials") args.credentials = v;
      else if (a == "--broker") args.broker = v;
      else if (a == "--outputs") args.outputs = std::stoi(v);
      else if (a == "--keepalive") args.keepalive = std::stoi(v);
      else if (a == "--heartbeat") args.heartbeat = std::stoi(v);
      else if (a == "--window") args.window = std::stoi(v);
      else if (a == "--ack-delay-ms") args.ack_delay_ms = std::stoi(v);
      else return usage();
    } catch (const std::exception&) {
      return usage();
    }
  }
  // libmosquitto refuses keep-alives below 5 s.
  if (args.credentials.empty() || args.outputs < 1 || args.outputs > 64 || args.keepalive < 5) return usage();
  std::ifstream in(args.credentials);
  json creds = json::parse(in, nullptr, false);
  auto is_text = [&](const char* k) { return creds.is_object() && creds.contains(k) && creds[k].is_string(); };
  if (!is_text("device") || !is_text("command_key") || !is_text("password") ||
      (creds.contains("username") && !is_text("username")) || (creds.contains("broker") && !is_text("broker"))) {
    std::cerr << "portier-lock-sim: " << args.credentials << ": expected the JSON printed by `portier device add`\n";
    return 2;
  }
  std::string broker = args.broker.empty() ? creds.value("broker", std::string("127.0.0.1:1883")) : args.broker;
  const auto colon = broker.rfind(':');
  if (colon == std::string::npos) return usage();

  boost::asio::io_context io;
  pm::MqttClient::Options o;
  o.client_id = "portier-lock-sim-" + creds["device"].get<std::string>();
  o.host = broker.substr(0, colon);
  o.port = static_cast<std::uint16_t>(std::atoi(broker.c_str() + colon + 1));
  o.username = creds.value("username", creds["device"].get<std::string>());
  o.password = creds["password"].get<std::string>();
  o.keepalive_s = args.keepalive;
  o.subscriptions = {"portier/" + creds["device"].get<std::string>() + "/cmd"};
  o.will_topic = "portier/" + creds["device"].get<std::string>() + "/status";
  o.will_payload = "offline";
  LockSim sim(io, args, creds, o);
  if (int rc = sim.start(); rc != 0) return rc;
  boost::asio::signal_set signals(io, SIGINT, SIGTERM);
  signals.async_wait([&](const boost::system::error_code&, int) {
    sim.stop();
    io.stop();
  });
  io.run();
  return 0;
}
