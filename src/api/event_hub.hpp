#pragma once
// Fans JSON events out to connected WebSocket clients (GET /api/events). Each client comes with a filter that says
// which doors' events it may see (a resident sees only the doors they may open). Holds connections weakly; a closed
// or too-slow client simply drops out. Event-loop thread only.
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "api/http_server.hpp"

namespace portier::api {

class EventHub {
 public:
  // Called with an event's door ("" for events that belong to no door); true when the client may see it.
  using Filter = std::function<bool(const std::string& door)>;

  void add(const std::shared_ptr<WsConnection>& c, Filter filter = {});
  void remove(const std::shared_ptr<WsConnection>& c);
  void broadcast(const std::string& door, const std::string& json_text);
  std::size_t size() const { return clients_.size(); }

 private:
  struct Client {
    std::weak_ptr<WsConnection> connection;
    Filter filter;  // empty: sees everything
  };
  std::vector<Client> clients_;
};

}  // namespace portier::api
