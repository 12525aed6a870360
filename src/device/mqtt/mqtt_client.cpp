#include "device/mqtt/mqtt_client.hpp"

#include <mosquitto.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <mutex>

#include <boost/asio/post.hpp>

#include "base/error.hpp"
#include "base/log.hpp"

namespace portier::device::mqtt {
namespace {

// mosquitto_lib_init is process-wide and idempotent in libmosquitto 2.0; called once per client is harmless, and a
// std::once_flag keeps it to one call without any mutable global of ours.
void lib_init() {
  static std::once_flag once;
  std::call_once(once, [] { mosquitto_lib_init(); });
}

std::string connack_text(int rc) { return mosquitto_connack_string(rc); }

}  // namespace

MqttClient::MqttClient(boost::asio::io_context& io, Options options, Listener& listener)
    : io_(io), options_(std::move(options)), listener_(listener), retry_(io) {}

MqttClient::~MqttClient() { stop(); }

Status MqttClient::start() {
  if (mosq_) return {};
  lib_init();
  mosq_ = mosquitto_new(options_.client_id.empty() ? nullptr : options_.client_id.c_str(), true, this);
  if (!mosq_) return Error(errc::internal, "mqtt: mosquitto_new failed");
  mosquitto_int_option(mosq_, MOSQ_OPT_PROTOCOL_VERSION, MQTT_PROTOCOL_V311);
  // Commands and acks are tiny and latency-bound: no Nagle delay (which costs ~40 ms per hop with delayed ACKs).
  mosquitto_int_option(mosq_, MOSQ_OPT_TCP_NODELAY, 1);
  mosquitto_connect_callback_set(mosq_, &MqttClient::on_connect_cb);
  mosquitto_disconnect_callback_set(mosq_, &MqttClient::on_disconnect_cb);
  mosquitto_message_callback_set(mosq_, &MqttClient::on_message_cb);
  mosquitto_reconnect_delay_set(mosq_, 1, 10, true);
  if (!options_.username.empty()) {
    mosquitto_username_pw_set(mosq_, options_.username.c_str(), options_.password.c_str());
  }
  if (options_.tls) {
    const char* ca_file = options_.ca_file.empty() ? nullptr : options_.ca_file.c_str();
    const char* ca_path = options_.ca_file.empty() ? "/etc/ssl/certs" : nullptr;
    if (int rc = mosquitto_tls_set(mosq_, ca_file, ca_path, nullptr, nullptr, nullptr); rc != MOSQ_ERR_SUCCESS)
      return Error(errc::invalid_argument, std::string("mqtt: TLS setup: ") + mosquitto_strerror(rc));
  }
  if (!options_.will_topic.empty()) {
    mosquitto_will_set(mosq_, options_.will_topic.c_str(), static_cast<int>(options_.will_payload.size()),
                       options_.will_payload.data(), 1, true);
  }
  configured_ = true;
  try_first_connect();
  return {};
}

void MqttClient::try_first_connect() {
  if (!configured_ || started_) return;
  const int rc = mosquitto_connect_async(mosq_, options_.host.c_str(), options_.port, options_.keepalive_s);
  if (rc == MOSQ_ERR_SUCCESS) {
    if (int lrc = mosquitto_loop_start(mosq_); lrc != MOSQ_ERR_SUCCESS) {
      log::get("mqtt")->error("mqtt: cannot start the network thread: {}", mosquitto_strerror(lrc));
      return;
    }
    started_ = true;
    return;
  }
  const std::string reason = rc == MOSQ_ERR_ERRNO ? std::strerror(errno) : mosquitto_strerror(rc);
  listener_.on_mqtt_disconnected(*this, "cannot connect: " + reason);
  retry_.expires_after(retry_delay_);
  retry_delay_ = std::min(retry_delay_ * 2, std::chrono::seconds(10));
  retry_.async_wait([this, alive = alive_](const boost::system::error_code& ec) {
    if (!ec && alive->load()) try_first_connect();
  });
}

void MqttClient::stop() {
  alive_->store(false);
  retry_.cancel();
  configured_ = false;
  if (!mosq_) return;
  if (started_) {
    mosquitto_disconnect(mosq_);
    mosquitto_loop_stop(mosq_, true);
  }
  mosquitto_destroy(mosq_);
  mosq_ = nullptr;
  started_ = false;
  connected_ = false;
}

Status MqttClient::publish(const std::string& topic, const std::string& payload, int qos, bool retain) {
  if (!mosq_ || !connected_) return Error(errc::unavailable, "MQTT broker disconnected");
  int rc = mosquitto_publish(mosq_, nullptr, topic.c_str(), static_cast<int>(payload.size()), payload.data(), qos,
                             retain);
  if (rc != MOSQ_ERR_SUCCESS) return Error(errc::unavailable, std::string("MQTT publish: ") + mosquitto_strerror(rc));
  return {};
}

void MqttClient::post_to_io(std::function<void()> fn) {
  boost::asio::post(io_, [alive = alive_, fn = std::move(fn)] {
    if (alive->load()) fn();
  });
}

// ---- libmosquitto's network thread ----

void MqttClient::on_connect_cb(mosquitto* m, void* self_ptr, int rc) {
  auto* self = static_cast<MqttClient*>(self_ptr);
  if (rc != 0) {
    self->connected_ = false;
    const std::string reason = connack_text(rc);
    self->post_to_io([self, reason] { self->listener_.on_mqtt_disconnected(*self, reason); });
    return;
  }
  for (const auto& topic : self->options_.subscriptions) mosquitto_subscribe(m, nullptr, topic.c_str(), 1);
  self->connected_ = true;
  self->post_to_io([self] {
    if (self->connected_) self->listener_.on_mqtt_connected(*self);
  });
}

void MqttClient::on_disconnect_cb(mosquitto*, void* self_ptr, int rc) {
  auto* self = static_cast<MqttClient*>(self_ptr);
  const bool was = self->connected_.exchange(false);
  if (!was && rc == 0) return;
  const std::string reason = rc == 0 ? "disconnected" : std::string("connection lost: ") + mosquitto_strerror(rc);
  self->post_to_io([self, reason] { self->listener_.on_mqtt_disconnected(*self, reason); });
}

void MqttClient::on_message_cb(mosquitto*, void* self_ptr, const mosquitto_message* msg) {
  auto* self = static_cast<MqttClient*>(self_ptr);
  if (!msg || !msg->topic) return;
  std::string topic(msg->topic);
  std::string payload;
  if (msg->payload && msg->payloadlen > 0)
    payload.assign(static_cast<const char*>(msg->payload), static_cast<std::size_t>(msg->payloadlen));
  self->post_to_io([self, topic = std::move(topic), payload = std::move(payload)] {
    self->listener_.on_mqtt_message(*self, topic, payload);
  });
}

std::string MqttClient::dump() const {
  return "MqttClient{id=" + options_.client_id + " broker=" + options_.host + ":" + std::to_string(options_.port) +
         " user=" + (options_.username.empty() ? "(anonymous)" : options_.username) +
         " tls=" + (options_.tls ? "1" : "0") + " connected=" + (connected_ ? "1" : "0") + "}";
}

}  // namespace portier::device::mqtt
