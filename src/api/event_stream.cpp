#include "api/event_stream.hpp"

#include "base/log.hpp"

namespace portier::api {

namespace {

// Call events carry "key=value" words in their detail (call=3 reason=no_answer duration=31); they become fields.
void add_call_fields(nlohmann::json& j, const std::string& detail) {
  std::size_t pos = 0;
  while (pos < detail.size()) {
    auto end = detail.find(' ', pos);
    if (end == std::string::npos) end = detail.size();
    const std::string word = detail.substr(pos, end - pos);
    pos = end + 1;
    const auto eq = word.find('=');
    if (eq == std::string::npos || eq == 0) continue;
    const std::string key = word.substr(0, eq), value = word.substr(eq + 1);
    if (key == "call" || key == "duration" || key == "talk") {
      try {
        j[key == "call" ? "call_id" : key] = std::stoll(value);
      } catch (const std::exception&) {
      }
    } else if (key == "reason" || key == "url") {
      j[key] = value;
    }
  }
}

bool is_call_event(access::EventType t) {
  using access::EventType;
  return t == EventType::call_ringing || t == EventType::call_answered || t == EventType::call_dtmf ||
         t == EventType::call_ended || t == EventType::visitor_message;
}

}  // namespace

nlohmann::json event_json(const access::StoredEvent& e) {
  nlohmann::json j = {{"id", e.id},
                      {"type", access::to_string(e.event.type)},
                      {"door", e.event.door},
                      {"time", format_iso8601(e.event.time)},
                      {"alarm", access::is_alarm(e.event.type)}};
  if (!e.event.actor.empty()) j["actor"] = e.event.actor;
  if (!e.event.method.empty()) j["method"] = e.event.method;
  if (!e.event.detail.empty()) j["detail"] = e.event.detail;
  if (e.event.relock_at) j["relock_at"] = format_iso8601(*e.event.relock_at);
  if (is_call_event(e.event.type)) add_call_fields(j, e.event.detail);
  return j;
}

nlohmann::json webrtc_event_json(const WebRtcPhoneEvent& e) {
  return {{"type", "webrtc"},       {"session_id", e.session_id}, {"call_id", e.call_id},
          {"state", e.state},       {"reason", e.reason},         {"peer", e.peer},
          {"door", e.door},         {"snapshot_url", e.snapshot_url}};
}

EventStream::EventStream(access::HistoryRepository& history, EventHub& hub)
    : history_(history), hub_(hub), log_(portier::log::get("events")) {}

void EventStream::on_door_event(const access::Event& event) { publish(event); }

void EventStream::publish(const access::Event& event) {
  auto id = history_.append(event);
  if (!id) {
    // The live stream still gets it (id 0: not resumable); the failure is logged, not fatal.
    log_->error("event history append failed: {}", id.error().what());
  }
  ++published_;
  access::StoredEvent stored{id ? *id : 0, event};
  log_->debug("{} door={} actor={} {}", access::to_string(event.type), event.door, event.actor, event.detail);
  hub_.broadcast(event.door, event_json(stored).dump());
}

void EventStream::on_webrtc_event(const WebRtcPhoneEvent& event) {
  const auto sent = hub_.send_to_user(event.user, webrtc_event_json(event).dump());
  log_->debug("webrtc {} session={} call={} user={} sockets={}", event.state, event.session_id, event.call_id,
              event.user, sent);
}

}  // namespace portier::api
