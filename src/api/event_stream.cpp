#include "api/event_stream.hpp"

#include "base/log.hpp"

namespace portier::api {

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
  return j;
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

}  // namespace portier::api
