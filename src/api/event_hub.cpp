#include "api/event_hub.hpp"

#include <algorithm>

namespace portier::api {

void EventHub::add(const std::shared_ptr<WsConnection>& c, Filter filter) {
  clients_.push_back({c, std::move(filter)});
}

void EventHub::remove(const std::shared_ptr<WsConnection>& c) {
  std::erase_if(clients_, [&](const Client& k) {
    auto s = k.connection.lock();
    return !s || s == c;
  });
}

void EventHub::broadcast(const std::string& door, const std::string& json_text) {
  std::erase_if(clients_, [](const Client& k) { return k.connection.expired(); });
  auto snapshot = clients_;  // send() may close and remove a client
  for (auto& k : snapshot) {
    if (k.filter && !k.filter(door)) continue;
    if (auto c = k.connection.lock()) c->send(json_text);
  }
}

}  // namespace portier::api
