#pragma once
// ICE-lite (RFC 8445 §2.5, §7.3) for one WebRTC transport: answers the browser's connectivity checks, follows its
// nominations (USE-CANDIDATE) and watches consent freshness (RFC 7675). Sans-IO: the transport hands in STUN
// datagrams and the time, and sends back what the Outcome says. Owned by the transport (one per peer connection);
// owns its credentials and the remote candidates it was told of.
#include <boost/asio/ip/udp.hpp>
#include <chrono>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "base/clock.hpp"
#include "webrtc/ice/ice_candidate.hpp"
#include "webrtc/ice/ice_credentials.hpp"
#include "webrtc/stun/stun_message.hpp"

namespace portier::webrtc {

class IceLiteAgent {
 public:
  // waiting: no nomination yet; connected: nominated and consent fresh; disconnected: no valid check from the
  // selected address for `disconnected_after` (back to connected on the next one); failed: consent lost for
  // `consent_timeout` (final: the transport should close).
  enum class State { waiting, connected, disconnected, failed };
  struct Options {
    std::chrono::milliseconds consent_timeout{30000};
    std::chrono::milliseconds disconnected_after{10000};  // browsers check every ~5 s (RFC 7675 §5.1)
    std::size_t max_remote_candidates = 32;               // trickle flood bound
  };
  struct Outcome {
    std::vector<std::uint8_t> response;  // send it back to `from` when not empty
    bool nominated = false;              // this request carried USE-CANDIDATE: `from` is now the selected address
    bool ignored = false;  // bad M-I / wrong ufrag / not a binding request / fingerprint wrong (counted)
  };
  struct Counters {
    std::uint64_t requests = 0;       // binding requests seen (well-formed STUN)
    std::uint64_t responses = 0;      // success and error responses produced
    std::uint64_t bad_integrity = 0;  // MESSAGE-INTEGRITY did not verify: dropped
    std::uint64_t bad_username = 0;   // USERNAME not for our ufrag: 401
    std::uint64_t malformed = 0;      // not STUN, bad framing, bad/missing FINGERPRINT, missing USERNAME/M-I
    std::uint64_t not_request = 0;    // STUN but not a binding request (indications, responses): dropped
    std::uint64_t nominations = 0;
  };

  IceLiteAgent(IceCredentials local, Options options);
  const IceCredentials& local() const { return local_; }
  void set_remote_credentials(std::string ufrag, std::string pwd);
  const std::optional<IceCredentials>& remote_credentials() const { return remote_; }
  // Trickle: kept (duplicates and unusable ones are not; at most max_remote_candidates). ICE-lite does not check
  // them — the browser checks us — but they tell the transport where the browser may be.
  void add_remote_candidate(const IceCandidate& c);
  const std::vector<IceCandidate>& remote_candidates() const { return remote_candidates_; }

  // A STUN datagram from `from`. Binding request with USERNAME "<local ufrag>:<remote ufrag>", valid
  // MESSAGE-INTEGRITY (key = local pwd) and FINGERPRINT -> success response with XOR-MAPPED-ADDRESS, M-I,
  // FINGERPRINT; USE-CANDIDATE selects `from` (latest nomination wins) and refreshes consent. Bad M-I: ignored
  // (no answer, counted); missing USERNAME/M-I: 400; wrong ufrag: 401; unknown comprehension-required attribute:
  // 420; the peer claims ICE-CONTROLLED too: 487 (we are always controlled). Never throws.
  Outcome on_stun(std::span<const std::uint8_t> data, const boost::asio::ip::udp::endpoint& from,
                  Clock::SteadyTime now);
  std::optional<boost::asio::ip::udp::endpoint> selected() const { return selected_; }

  // RFC 7675: a valid request from the selected address within consent_timeout keeps the state connected;
  // tick() moves connected -> disconnected -> failed as time passes. Returns the state.
  State tick(Clock::SteadyTime now);
  State state() const { return state_; }
  const Counters& counters() const { return counters_; }
  std::string dump() const;

 private:
  Outcome error_response(const stun::Message& req, int code, std::string_view reason, bool authenticate);
  Outcome success_response(const stun::Message& req, const boost::asio::ip::udp::endpoint& from);
  bool integrity_ok(const stun::Message& req) const;
  void on_valid_request(const stun::Message& req, const boost::asio::ip::udp::endpoint& from,
                        Clock::SteadyTime now, Outcome& out);

  IceCredentials local_;
  Options options_;
  std::optional<IceCredentials> remote_;
  std::vector<IceCandidate> remote_candidates_;
  std::optional<boost::asio::ip::udp::endpoint> selected_;
  Clock::SteadyTime last_consent_{};
  State state_ = State::waiting;
  Counters counters_;
};

std::string_view to_string(IceLiteAgent::State s);

}  // namespace portier::webrtc
