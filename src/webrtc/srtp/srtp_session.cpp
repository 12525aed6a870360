#include "webrtc/srtp/srtp_session.hpp"

#include <mutex>
#include <vector>

#include <openssl/crypto.h>
#include <srtp2/srtp.h>

namespace portier::webrtc {
namespace {

// libsrtp keeps process-wide state (crypto kernel); srtp_init() must run exactly once before the first session.
// The flag is written once and only read afterwards.
srtp_err_status_t init_library() {
  static std::once_flag once;
  static srtp_err_status_t status = srtp_err_status_ok;
  std::call_once(once, [] { status = srtp_init(); });
  return status;
}

void set_policy(srtp_crypto_policy_t& p, SrtpProfile profile) {
  if (profile == SrtpProfile::aead_aes_128_gcm) {
    srtp_crypto_policy_set_aes_gcm_128_16_auth(&p);
  } else {
    srtp_crypto_policy_set_rtp_default(&p);  // AES_CM_128_HMAC_SHA1_80 (RTP and RTCP)
  }
}

const char* direction_name(SrtpSession::Direction d) {
  return d == SrtpSession::Direction::inbound ? "inbound" : "outbound";
}

}  // namespace

Result<std::unique_ptr<SrtpSession>> SrtpSession::create(Direction direction, SrtpProfile profile,
                                                         std::span<const std::uint8_t> key_salt) {
  if (init_library() != srtp_err_status_ok) return Error(srtp_errc::init_failed);
  if (key_salt.size() != srtp_key_length(profile)) {
    return Error(srtp_errc::bad_key, "SRTP key||salt has " + std::to_string(key_salt.size()) + " bytes, want " +
                                         std::to_string(srtp_key_length(profile)));
  }
  srtp_policy_t policy{};
  set_policy(policy.rtp, profile);
  set_policy(policy.rtcp, profile);
  policy.ssrc.type = direction == Direction::inbound ? ssrc_any_inbound : ssrc_any_outbound;
  policy.ssrc.value = 0;
  // libsrtp copies the key during srtp_create; the buffer only has to live across the call.
  std::vector<unsigned char> key(key_salt.begin(), key_salt.end());
  policy.key = key.data();
  policy.window_size = kReplayWindow;
  policy.allow_repeat_tx = 0;  // a repeated outbound sequence number is refused (same key stream twice)
  policy.next = nullptr;

  srtp_t ctx = nullptr;
  const srtp_err_status_t status = srtp_create(&ctx, &policy);
  OPENSSL_cleanse(key.data(), key.size());
  if (status != srtp_err_status_ok) {
    return Error(srtp_errc::create_failed, "srtp_create failed: " + std::to_string(static_cast<int>(status)));
  }
  return std::unique_ptr<SrtpSession>(new SrtpSession(direction, profile, ctx));
}

SrtpSession::SrtpSession(Direction direction, SrtpProfile profile, srtp_ctx_t_* ctx)
    : direction_(direction), profile_(profile), ctx_(ctx) {}

SrtpSession::~SrtpSession() {
  if (ctx_ != nullptr) srtp_dealloc(ctx_);
}

Result<std::size_t> SrtpSession::protect_rtp(std::uint8_t* data, std::size_t size, std::size_t capacity) {
  return protect(Kind::rtp, data, size, capacity);
}

Result<std::size_t> SrtpSession::protect_rtcp(std::uint8_t* data, std::size_t size, std::size_t capacity) {
  return protect(Kind::rtcp, data, size, capacity);
}

Result<std::size_t> SrtpSession::unprotect_rtp(std::uint8_t* data, std::size_t size) {
  return unprotect(Kind::rtp, data, size);
}

Result<std::size_t> SrtpSession::unprotect_rtcp(std::uint8_t* data, std::size_t size) {
  return unprotect(Kind::rtcp, data, size);
}

Result<std::size_t> SrtpSession::protect(Kind kind, std::uint8_t* data, std::size_t size, std::size_t capacity) {
  if (direction_ != Direction::outbound) return Error(srtp_errc::failed, "protect on an inbound SRTP session");
  // RTP needs its 12-byte fixed header, RTCP its 8-byte sender/receiver header; libsrtp checks more itself.
  const std::size_t min_size = kind == Kind::rtp ? 12 : 8;
  if (data == nullptr || size < min_size || size > kMaxPacket) {
    ++counters_.other_failed;
    return Error(srtp_errc::bad_packet);
  }
  if (capacity < size + kMaxTrailer) return Error(srtp_errc::buffer_too_small);
  int len = static_cast<int>(size);
  const srtp_err_status_t status =
      kind == Kind::rtp ? srtp_protect(ctx_, data, &len) : srtp_protect_rtcp(ctx_, data, &len);
  if (status != srtp_err_status_ok) return count_failure(status);
  (kind == Kind::rtp ? counters_.rtp_ok : counters_.rtcp_ok)++;
  return static_cast<std::size_t>(len);
}

Result<std::size_t> SrtpSession::unprotect(Kind kind, std::uint8_t* data, std::size_t size) {
  if (direction_ != Direction::inbound) return Error(srtp_errc::failed, "unprotect on an outbound SRTP session");
  const std::size_t min_size = kind == Kind::rtp ? 12 : 8;
  if (data == nullptr || size < min_size || size > kMaxPacket) {
    ++counters_.other_failed;
    return Error(srtp_errc::bad_packet);
  }
  int len = static_cast<int>(size);
  const srtp_err_status_t status =
      kind == Kind::rtp ? srtp_unprotect(ctx_, data, &len) : srtp_unprotect_rtcp(ctx_, data, &len);
  if (status != srtp_err_status_ok) return count_failure(status);
  if (len < 0 || static_cast<std::size_t>(len) > size) {  // libsrtp never grows a packet on unprotect
    ++counters_.other_failed;
    return Error(srtp_errc::bad_packet);
  }
  (kind == Kind::rtp ? counters_.rtp_ok : counters_.rtcp_ok)++;
  return static_cast<std::size_t>(len);
}

Error SrtpSession::count_failure(int status) {
  switch (static_cast<srtp_err_status_t>(status)) {
    case srtp_err_status_auth_fail:
      ++counters_.auth_failed;
      return Error(srtp_errc::auth_failed);
    case srtp_err_status_replay_fail:
    case srtp_err_status_replay_old:
      ++counters_.replayed;
      return Error(srtp_errc::replay);
    case srtp_err_status_bad_param:
    case srtp_err_status_parse_err:
      ++counters_.other_failed;
      return Error(srtp_errc::bad_packet);
    default:
      ++counters_.other_failed;
      return Error(srtp_errc::failed, "libsrtp status " + std::to_string(status));
  }
}

std::string SrtpSession::dump() const {
  return std::string("SrtpSession{") + direction_name(direction_) + " " + std::string(srtp_profile_name(profile_)) +
         " rtp=" + std::to_string(counters_.rtp_ok) + " rtcp=" + std::to_string(counters_.rtcp_ok) +
         " auth_failed=" + std::to_string(counters_.auth_failed) + " replayed=" + std::to_string(counters_.replayed) +
         " other_failed=" + std::to_string(counters_.other_failed) + "}";
}

}  // namespace portier::webrtc
