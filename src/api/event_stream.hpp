#pragma once
// The event bus's output side: every door event is stored in the history (which gives it its id) and then pushed to
// every WebSocket client of GET /api/events. Also answers GET /api/events/history.
#include <memory>

#include <nlohmann/json.hpp>

#include "access/door_service.hpp"
#include "access/history_repository.hpp"
#include "api/event_hub.hpp"

namespace spdlog {
class logger;
}

namespace portier::api {

nlohmann::json event_json(const access::StoredEvent& e);

class EventStream final : public access::DoorService::Listener {
 public:
  EventStream(access::HistoryRepository& history, EventHub& hub);
  void on_door_event(const access::Event& event) override;
  // Publishes an event that does not come from the doors (e.g. later: calls, devices).
  void publish(const access::Event& event);
  access::HistoryRepository& history() { return history_; }
  std::uint64_t published() const { return published_; }

 private:
  access::HistoryRepository& history_;
  EventHub& hub_;
  std::shared_ptr<spdlog::logger> log_;
  std::uint64_t published_ = 0;
};

}  // namespace portier::api
