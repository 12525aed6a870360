#pragma once
// One MQTT connection through libmosquitto. libmosquitto runs its own network thread (mosquitto_loop_start), which
// connects, reconnects with exponential backoff (1 s .. 10 s) and keeps the session alive; every callback it makes
// is handed to the io_context with asio::post, so the Listener runs on the io thread only. Subscriptions are
// renewed after every (re)connect. publish() may be called from the io thread at any time; while disconnected it
// fails at once (errc::unavailable) instead of queueing, so callers can fail fast.
#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>

#include "base/result.hpp"

struct mosquitto;
struct mosquitto_message;

namespace portier::device::mqtt {

class MqttClient {
 public:
  class Listener {
   public:
    virtual ~Listener() = default;
    virtual void on_mqtt_connected(MqttClient& client) = 0;
    // `reason`: why the connection ended or was refused ("not authorized", "connection refused", ...).
    virtual void on_mqtt_disconnected(MqttClient& client, const std::string& reason) = 0;
    virtual void on_mqtt_message(MqttClient& client, const std::string& topic, const std::string& payload) = 0;
  };

  struct Options {
    std::string client_id;
    std::string host = "127.0.0.1";
    std::uint16_t port = 1883;
    std::string username;  // empty: anonymous
    std::string password;
    bool tls = false;
    std::string ca_file;   // TLS: empty uses the system store (/etc/ssl/certs)
    int keepalive_s = 10;
    std::vector<std::string> subscriptions;  // QoS 1, renewed on every connect
    // Last will (retained): published by the broker when the connection drops. Empty topic: none.
    std::string will_topic;
    std::string will_payload;
  };

  // The listener and io_context must outlive the client. Nothing connects before start().
  MqttClient(boost::asio::io_context& io, Options options, Listener& listener);
  ~MqttClient();
  MqttClient(const MqttClient&) = delete;
  MqttClient& operator=(const MqttClient&) = delete;

  // Starts the network thread and the first connection attempt. Fails only on bad options (e.g. TLS files); a
  // broker that is down is retried in the background.
  Status start();
  // Disconnects and joins the network thread; no Listener call happens afterwards.
  void stop();
  Status publish(const std::string& topic, const std::string& payload, int qos = 1, bool retain = false);
  bool connected() const { return connected_; }
  const Options& options() const { return options_; }
  std::string dump() const;

 private:
  static void on_connect_cb(mosquitto*, void* self, int rc);
  static void on_disconnect_cb(mosquitto*, void* self, int rc);
  static void on_message_cb(mosquitto*, void* self, const mosquitto_message* msg);
  void post_to_io(std::function<void()> fn);
  // The first connection: libmosquitto's thread only takes over reconnecting once a connect got under way, so
  // until then Portier retries on its own timer (1 s .. 10 s backoff).
  void try_first_connect();

  boost::asio::io_context& io_;
  Options options_;
  Listener& listener_;
  mosquitto* mosq_ = nullptr;
  bool started_ = false;     // the network thread runs
  bool configured_ = false;  // mosq_ exists with options set
  boost::asio::steady_timer retry_;
  std::chrono::seconds retry_delay_{1};
  std::atomic<bool> connected_{false};
  // Shared with the callbacks posted to the io_context: they check it before touching `this`.
  std::shared_ptr<std::atomic<bool>> alive_ = std::make_shared<std::atomic<bool>>(true);
};

}  // namespace portier::device::mqtt
