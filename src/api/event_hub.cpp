#include "api/event_hub.hpp"

#include <algorithm>

namespace portier::api {

void EventHub::add(const std::shared_ptr<WsConnection>& c, Filter filter, std::string user) {
  clients_.push_back({c, std::move(filter), std::move(user)});
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

std::size_t EventHub::send_to_user(const std::string& user, const std::string& json_text) {
  if (user.empty()) return 0;
  std::erase_if(clients_, [](const Client& k) { return k.connection.expired(); });
  std::vector<std::shared_ptr<WsConnection>> targets;  // send() may close and remove a client
  for (const auto& k : clients_)
    if (k.user == user)
      if (auto c = k.connection.lock()) targets.push_back(std::move(c));
  for (const auto& c : targets) c->send(json_text);
  return targets.size();
}

std::string EventHub::dump() const {
  std::string out = "EventHub clients=" + std::to_string(clients_.size());
  for (const auto& k : clients_)
    out += " [" + (k.user.empty() ? std::string("-") : k.user) + (k.connection.expired() ? " closed" : "") + "]";
  return out;
}

}  // namespace portier::api
