// Portier's browser-phone REST API (docs/api.md "Browser phone (WebRTC)"): POST /api/webrtc/session, /offer, /call,
// DELETE /api/webrtc/session/{id}; bearer token.
#include <map>

#include <nlohmann/json.hpp>

#include "bench/webrtc/http_client.hpp"
#include "bench/webrtc/signaling.hpp"

namespace portier::bench {
namespace {

using nlohmann::json;

std::string describe(const HttpResponse& r) { return "HTTP " + std::to_string(r.status) + " " + r.body.substr(0, 200); }

class PortierSignaling final : public Signaling {
 public:
  explicit PortierSignaling(const PortierTarget& t)
      : target_(t), http_(t.host, t.port) {}

  OpenedCall open(int index, const std::string& offer) override {
    OpenedCall out;
    auto r = http_.request("POST", "/api/webrtc/session", json{{"extension", ""}}.dump(), auth(index));
    auto j = json::parse(r.body, nullptr, false);
    if (r.status != 200 || !j.is_object() || !j.contains("session")) {
      out.error = "session: " + describe(r);
      return out;
    }
    const std::string id = j["session"].value("session_id", "");
    sessions_[index] = id;
    out.offer_sent = std::chrono::steady_clock::now();
    r = http_.request("POST", "/api/webrtc/offer", json{{"session_id", id}, {"sdp", offer}}.dump(), auth(index));
    j = json::parse(r.body, nullptr, false);
    if (r.status != 200 || !j.is_object() || !j.value("success", false)) {
      out.error = "offer: " + describe(r);
      return out;
    }
    out.answer = j.value("sdp", "");
    return out;
  }

  std::string after_answer(int index) override {
    auto it = sessions_.find(index);
    if (it == sessions_.end()) return "no session";
    auto r = http_.request("POST", "/api/webrtc/call",
                           json{{"session_id", it->second},
                                {"target_extension", std::to_string(target_.extension_base + index)}}
                               .dump(),
                           auth(index));
    auto j = json::parse(r.body, nullptr, false);
    if (r.status != 200 || !j.is_object() || !j.value("success", false)) return "call: " + describe(r);
    return {};
  }

  void close(int index) override {
    auto it = sessions_.find(index);
    if (it == sessions_.end()) return;
    http_.request("DELETE", "/api/webrtc/session/" + it->second, {}, auth(index));
    sessions_.erase(it);
  }

  std::string dump() const override {
    return "PortierSignaling{" + target_.host + ":" + target_.port + " sessions=" + std::to_string(sessions_.size()) +
           " " + http_.dump() + "}";
  }

 private:
  HttpClient::Headers auth(int index) const {
    if (target_.tokens.empty()) return {};
    return {{"Authorization", "Bearer " + target_.tokens[static_cast<std::size_t>(index) % target_.tokens.size()]}};
  }

  PortierTarget target_;
  HttpClient http_;
  std::map<int, std::string> sessions_;  // call index -> Portier session id
};

}  // namespace

std::unique_ptr<Signaling> make_portier_signaling(const PortierTarget& target) {
  return std::make_unique<PortierSignaling>(target);
}

}  // namespace portier::bench
