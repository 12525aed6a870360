#pragma once
// One direction of SRTP + SRTCP (RFC 3711, RFC 7714 for GCM) over libsrtp2, for every SSRC of that direction.
// A WebRTC transport owns two (inbound with the remote key, outbound with the local key) via unique_ptr.
// libsrtp's srtp_init() runs once per process inside create(). Not thread-safe: use from one strand.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string>

#include "base/result.hpp"
#include "webrtc/srtp/srtp_error.hpp"
#include "webrtc/srtp/srtp_profile.hpp"

struct srtp_ctx_t_;

namespace portier::webrtc {

class SrtpSession {
 public:
  enum class Direction { inbound, outbound };
  static constexpr std::size_t kMaxTrailer = 16 + 4 + 10;  // room protect may add (tag, SRTCP index, MKI margin)
  static constexpr std::size_t kMaxPacket = 8192;           // larger input is refused as bad_packet
  static constexpr unsigned kReplayWindow = 1024;           // packets, inbound

  // key_salt: master key || master salt, srtp_key_length(profile) bytes.
  static Result<std::unique_ptr<SrtpSession>> create(Direction direction, SrtpProfile profile,
                                                     std::span<const std::uint8_t> key_salt);
  ~SrtpSession();
  SrtpSession(const SrtpSession&) = delete;
  SrtpSession& operator=(const SrtpSession&) = delete;

  // In place. protect: `capacity` >= size + kMaxTrailer; returns the new size. unprotect: returns the plain size.
  // errc on auth failure / replay / bad packet — never throws.
  Result<std::size_t> protect_rtp(std::uint8_t* data, std::size_t size, std::size_t capacity);
  Result<std::size_t> unprotect_rtp(std::uint8_t* data, std::size_t size);
  Result<std::size_t> protect_rtcp(std::uint8_t* data, std::size_t size, std::size_t capacity);
  Result<std::size_t> unprotect_rtcp(std::uint8_t* data, std::size_t size);

  Direction direction() const { return direction_; }
  SrtpProfile profile() const { return profile_; }
  std::string dump() const;  // direction, profile and counters

  struct Counters {
    std::uint64_t rtp_ok = 0, rtcp_ok = 0;           // packets protected or unprotected
    std::uint64_t auth_failed = 0, replayed = 0, other_failed = 0;
  };
  const Counters& counters() const { return counters_; }

 private:
  SrtpSession(Direction direction, SrtpProfile profile, srtp_ctx_t_* ctx);
  enum class Kind { rtp, rtcp };
  Result<std::size_t> protect(Kind kind, std::uint8_t* data, std::size_t size, std::size_t capacity);
  Result<std::size_t> unprotect(Kind kind, std::uint8_t* data, std::size_t size);
  Error count_failure(int status);

  Direction direction_;
  SrtpProfile profile_;
  srtp_ctx_t_* ctx_;  // owned: srtp_dealloc in the destructor
  Counters counters_;
};

}  // namespace portier::webrtc
