// Janus's JSON API over its plain-HTTP transport (janus.transport.http): one Janus session, one handle of
// janus.plugin.sip per call: attach, register (type "guest": an identity, no REGISTER sent), call the sipp UAS with
// the offer as jsep; the answer arrives with the "accepted" event (after the UAS's 200 OK), read by long-polling
// GET /janus/<session>. Hang-up: "hangup" then "detach". Keep-alives keep the session (session_timeout).
#include <algorithm>
#include <map>

#include <nlohmann/json.hpp>

#include "bench/webrtc/http_client.hpp"
#include "bench/webrtc/signaling.hpp"

namespace portier::bench {
namespace {

using nlohmann::json;

class JanusSignaling final : public Signaling {
 public:
  explicit JanusSignaling(const JanusTarget& t) : target_(t), http_(t.host, t.port), poll_(t.host, t.port) {}

  OpenedCall open(int index, const std::string& offer) override {
    OpenedCall out;
    if (session_ == 0 && !create_session(out.error)) return out;
    auto r = post("/janus/" + std::to_string(session_), {{"janus", "attach"}, {"plugin", "janus.plugin.sip"}});
    if (r.value("janus", "") != "success") {
      out.error = "attach: " + r.dump().substr(0, 200);
      return out;
    }
    const auto handle = r["data"].value("id", std::uint64_t{0});
    handles_[index] = handle;
    const std::string path = "/janus/" + std::to_string(session_) + "/" + std::to_string(handle);
    post(path, {{"janus", "message"},
                {"body", {{"request", "register"}, {"type", "guest"},
                          {"username", "sip:bench" + std::to_string(index) + "@127.0.0.1"}}}});
    auto ev = wait_event(handle, {"registered"});
    if (!ev.contains("jsep") && ev.value("event", "") != "registered") {
      out.error = "register: " + ev.dump().substr(0, 300);
      return out;
    }
    out.offer_sent = std::chrono::steady_clock::now();
    post(path, {{"janus", "message"},
                {"body", {{"request", "call"}, {"uri", target_.sip_uri}}},
                {"jsep", {{"type", "offer"}, {"sdp", offer}}}});
    ev = wait_event(handle, {"accepted"});
    if (ev.value("event", "") != "accepted" || !ev.contains("jsep")) {
      out.error = "call: " + ev.dump().substr(0, 300);
      return out;
    }
    out.answer = ev["jsep"].value("sdp", "");
    return out;
  }

  std::string after_answer(int) override { return {}; }

  void close(int index) override {
    auto it = handles_.find(index);
    if (it == handles_.end()) return;
    const std::string path = "/janus/" + std::to_string(session_) + "/" + std::to_string(it->second);
    post(path, {{"janus", "message"}, {"body", {{"request", "hangup"}}}});
    post(path, {{"janus", "detach"}});
    handles_.erase(it);
  }

  void keepalive() override {
    if (session_ == 0) return;
    const auto now = std::chrono::steady_clock::now();
    if (now - last_keepalive_ < std::chrono::seconds(10)) return;
    last_keepalive_ = now;
    post("/janus/" + std::to_string(session_), {{"janus", "keepalive"}});
    drain();
  }

  std::string dump() const override {
    return "JanusSignaling{session=" + std::to_string(session_) + " handles=" + std::to_string(handles_.size()) +
           " events_seen=" + std::to_string(events_seen_) + " " + http_.dump() + "}";
  }

 private:
  bool create_session(std::string& error) {
    auto r = post("/janus", {{"janus", "create"}});
    if (r.value("janus", "") != "success") {
      error = "create: " + r.dump().substr(0, 200);
      return false;
    }
    session_ = r["data"].value("id", std::uint64_t{0});
    return true;
  }

  json post(const std::string& path, json body) {
    body["transaction"] = "t" + std::to_string(++transaction_);
    auto r = http_.request("POST", path, body.dump());
    auto j = json::parse(r.body, nullptr, false);
    return j.is_object() ? j : json{{"janus", "error"}, {"http", r.status}, {"body", r.body.substr(0, 200)}};
  }

  // The plugin event data ({"event":..., "jsep":...}) of the first event for `handle` whose result.event is one of
  // `wanted` or that carries an error; a JSON with "event":"timeout" after 20 s.
  json wait_event(std::uint64_t handle, const std::vector<std::string>& wanted) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    while (std::chrono::steady_clock::now() < deadline) {
      auto& q = pending_[handle];
      while (!q.empty()) {
        auto ev = q.front();
        q.erase(q.begin());
        const auto event = ev.value("event", "");
        if (ev.contains("error") || std::find(wanted.begin(), wanted.end(), event) != wanted.end()) return ev;
      }
      poll(std::chrono::seconds(5));
    }
    return json{{"event", "timeout"}};
  }

  void drain() { poll(std::chrono::seconds(0)); }

  // One long poll; plugin events are queued per handle.
  void poll(std::chrono::seconds wait) {
    const auto target = "/janus/" + std::to_string(session_) + "?maxev=100" +
                        (wait.count() == 0 ? std::string("&timeout=1") : std::string());
    auto r = poll_.request("GET", target, {}, {}, std::chrono::seconds(40));
    auto j = json::parse(r.body, nullptr, false);
    if (j.is_object()) j = json::array({j});
    if (!j.is_array()) return;
    for (auto& e : j) {
      ++events_seen_;
      if (e.value("janus", "") != "event" || !e.contains("plugindata")) continue;
      const auto sender = e.value("sender", std::uint64_t{0});
      json ev = json::object();
      const auto& data = e["plugindata"]["data"];
      if (data.contains("result")) ev = data["result"];
      if (data.contains("error")) ev["error"] = data["error"];
      if (e.contains("jsep")) ev["jsep"] = e["jsep"];
      pending_[sender].push_back(std::move(ev));
    }
  }

  JanusTarget target_;
  HttpClient http_;  // requests
  HttpClient poll_;  // long polls (own connection)
  std::uint64_t session_ = 0;
  std::uint64_t transaction_ = 0;
  std::uint64_t events_seen_ = 0;
  std::chrono::steady_clock::time_point last_keepalive_{};
  std::map<int, std::uint64_t> handles_;                 // call index -> Janus handle
  std::map<std::uint64_t, std::vector<json>> pending_;  // handle -> plugin events not consumed yet
};

}  // namespace

std::unique_ptr<Signaling> make_janus_signaling(const JanusTarget& target) {
  return std::make_unique<JanusSignaling>(target);
}

}  // namespace portier::bench
