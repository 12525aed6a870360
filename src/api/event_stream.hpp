#pragma once
// The event bus's output side: every door event is stored in the history (which gives it its id) and then pushed to
// every WebSocket client of GET /api/events. Also answers GET /api/events/history. Browser-phone events
// (WebRtcControl::Listener) go to their user's sockets only and are not stored: a stale ring replayed after a
// reconnect would offer a call that is long gone.
#include <memory>

#include <nlohmann/json.hpp>

#include "access/door_service.hpp"
#include "access/history_repository.hpp"
#include "api/event_hub.hpp"
#include "api/webrtc_control.hpp"

namespace spdlog {
class logger;
}

namespace portier::api {

nlohmann::json event_json(const access::StoredEvent& e);
// {"type":"webrtc","session_id","call_id","state","reason","peer","door","snapshot_url"} (no id: not in the history).
nlohmann::json webrtc_event_json(const WebRtcPhoneEvent& e);

class EventStream final : public access::DoorService::Listener, public WebRtcControl::Listener {
 public:
  EventStream(access::HistoryRepository& history, EventHub& hub);
  void on_door_event(const access::Event& event) override;
  // Publishes an event that does not come from the doors (e.g. later: calls, devices).
  void publish(const access::Event& event);
  void on_webrtc_event(const WebRtcPhoneEvent& event) override;
  access::HistoryRepository& history() { return history_; }
  std::uint64_t published() const { return published_; }

 private:
  access::HistoryRepository& history_;
  EventHub& hub_;
  std::shared_ptr<spdlog::logger> log_;
  std::uint64_t published_ = 0;
};

}  // namespace portier::api
