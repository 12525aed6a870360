#include "webrtc/srtp/srtp_profile.hpp"

namespace portier::webrtc {

std::size_t srtp_master_key_length(SrtpProfile) { return 16; }

std::size_t srtp_master_salt_length(SrtpProfile p) { return p == SrtpProfile::aead_aes_128_gcm ? 12 : 14; }

std::size_t srtp_key_length(SrtpProfile p) { return srtp_master_key_length(p) + srtp_master_salt_length(p); }

std::string_view srtp_profile_name(SrtpProfile p) {
  return p == SrtpProfile::aead_aes_128_gcm ? "SRTP_AEAD_AES_128_GCM" : "SRTP_AES128_CM_SHA1_80";
}

std::optional<SrtpProfile> srtp_profile_from_name(std::string_view name) {
  if (name == "SRTP_AEAD_AES_128_GCM") return SrtpProfile::aead_aes_128_gcm;
  if (name == "SRTP_AES128_CM_SHA1_80") return SrtpProfile::aes128_cm_sha1_80;
  return std::nullopt;
}

}  // namespace portier::webrtc
