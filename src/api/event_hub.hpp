#pragma once
// Fans JSON events out to connected WebSocket clients (GET /api/events). Each client comes with a filter that says
// which doors' events it may see (a resident sees only the doors they may open) and the name of the user it belongs
// to, for events meant for one user only (browser-phone calls). Holds connections weakly; a closed or too-slow client
// simply drops out. Event-loop thread only.
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

  // `user`: the web user the connection is logged in as ("" = nobody; such a client gets no per-user events).
  void add(const std::shared_ptr<WsConnection>& c, Filter filter = {}, std::string user = {});
  void remove(const std::shared_ptr<WsConnection>& c);
  void broadcast(const std::string& door, const std::string& json_text);
  // Sends to every connection of `user` (all their tabs and devices), nobody else; returns how many got it.
  std::size_t send_to_user(const std::string& user, const std::string& json_text);
  std::size_t size() const { return clients_.size(); }
  std::string dump() const;

 private:
  struct Client {
    std::weak_ptr<WsConnection> connection;
    Filter filter;  // empty: sees everything
    std::string user;
  };
  std::vector<Client> clients_;
};

}  // namespace portier::api
