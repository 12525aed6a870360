#pragma once
// Fans JSON events out to every connected WebSocket client (GET /api/events). Holds connections weakly; a closed or
// too-slow client simply drops out. Event-loop thread only.
#include <memory>
#include <string>
#include <vector>

#include "api/http_server.hpp"

namespace portier::api {

class EventHub {
 public:
  void add(const std::shared_ptr<WsConnection>& c);
  void remove(const std::shared_ptr<WsConnection>& c);
  void broadcast(const std::string& json_text);
  std::size_t size() const { return clients_.size(); }

 private:
  std::vector<std::weak_ptr<WsConnection>> clients_;
};

}  // namespace portier::api
