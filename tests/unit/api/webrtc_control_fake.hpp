#pragma once
// An in-memory WebRtcControl for the route tests: sessions belong to the user who created them, every call is
// recorded, and `fail_next` makes the next operation return that error.
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "api/webrtc_control.hpp"

namespace portier::api::test {

class WebRtcControlFake final : public WebRtcControl {
 public:
  struct Candidate {
    std::string session_id, candidate, sdp_mid;
    int sdp_mline_index = -1;
  };

  WebRtcClientConfig config;
  std::optional<Error> fail_next;
  Listener* listener = nullptr;
  std::map<std::string, WebRtcSessionView> sessions_by_id;
  std::vector<Candidate> candidates;
  std::vector<std::string> log;  // "offer s1", "call s1 1001", ...
  Clock::SystemTime now{std::chrono::seconds{1'800'000'000}};
  int next_id = 1;

  void set_listener(Listener* l) override { listener = l; }
  WebRtcClientConfig client_config() const override { return config; }

  Result<WebRtcSessionView> create_session(const std::string& user, const std::string& extension,
                                           const std::string& client_ip) override {
    if (auto e = take_failure()) return *e;
    WebRtcSessionView s;
    s.session_id = "s" + std::to_string(next_id++);
    s.extension = extension.empty() ? "webrtc:" + user : extension;
    s.peer_connection_id = "pc-" + s.session_id;
    s.state = "new";
    s.created_at = s.last_activity = now;
    s.user = user;
    log.push_back("create " + s.session_id + " " + client_ip);
    sessions_by_id[s.session_id] = s;
    return s;
  }
  Result<std::string> offer(const std::string& user, const std::string& id, const std::string& sdp) override {
    if (auto e = check(user, id)) return *e;
    log.push_back("offer " + id);
    return "answer-for:" + sdp;
  }
  Result<void> add_candidate(const std::string& user, const std::string& id, const std::string& candidate,
                             const std::string& mid, int index) override {
    if (auto e = check(user, id)) return *e;
    candidates.push_back({id, candidate, mid, index});
    return {};
  }
  Result<std::string> call(const std::string& user, const std::string& id, const std::string& target) override {
    if (auto e = check(user, id)) return *e;
    log.push_back("call " + id + " " + target);
    return "call-" + target;
  }
  Result<void> answer(const std::string& user, const std::string& id, const std::string& call_id) override {
    return simple(user, id, "answer " + id + " " + call_id);
  }
  Result<void> decline(const std::string& user, const std::string& id, const std::string& call_id) override {
    return simple(user, id, "decline " + id + " " + call_id);
  }
  Result<void> hangup(const std::string& user, const std::string& id) override {
    return simple(user, id, "hangup " + id);
  }
  Result<void> dtmf(const std::string& user, const std::string& id, const std::string& digits) override {
    return simple(user, id, "dtmf " + id + " " + digits);
  }
  Result<void> close_session(const std::string& user, const std::string& id) override {
    if (auto e = check(user, id)) return *e;
    sessions_by_id.erase(id);
    log.push_back("close " + id);
    return {};
  }
  std::vector<WebRtcSessionView> sessions(const std::string& user, bool all) const override {
    std::vector<WebRtcSessionView> out;
    for (const auto& [id, s] : sessions_by_id)
      if (all || s.user == user) out.push_back(s);
    return out;
  }

 private:
  std::optional<Error> take_failure() {
    auto e = fail_next;
    fail_next.reset();
    return e;
  }
  // The port's rule: another user's session is unknown, admins included.
  std::optional<Error> check(const std::string& user, const std::string& id) {
    if (auto e = take_failure()) return e;
    auto it = sessions_by_id.find(id);
    if (it == sessions_by_id.end() || it->second.user != user) return Error(webrtc_errc::unknown_session);
    return std::nullopt;
  }
  Result<void> simple(const std::string& user, const std::string& id, std::string entry) {
    if (auto e = check(user, id)) return *e;
    log.push_back(std::move(entry));
    return {};
  }
};

}  // namespace portier::api::test
