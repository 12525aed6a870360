#include "api/event_hub.hpp"

#include <algorithm>

namespace portier::api {

void EventHub::add(const std::shared_ptr<WsConnection>& c) { clients_.push_back(c); }

void EventHub::remove(const std::shared_ptr<WsConnection>& c) {
  std::erase_if(clients_, [&](const auto& w) {
    auto s = w.lock();
    return !s || s == c;
  });
}

void EventHub::broadcast(const std::string& json_text) {
  std::erase_if(clients_, [](const auto& w) { return w.expired(); });
  auto snapshot = clients_;  // send() may close and remove a client
  for (auto& w : snapshot)
    if (auto c = w.lock()) c->send(json_text);
}

}  // namespace portier::api
