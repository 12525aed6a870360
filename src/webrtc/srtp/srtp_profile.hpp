#pragma once
// The two DTLS-SRTP protection profiles we negotiate (RFC 5764, RFC 7714) and the keys DTLS exports for them.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace portier::webrtc {

enum class SrtpProfile { aes128_cm_sha1_80, aead_aes_128_gcm };

// Master key + master salt bytes: 16 + 14 = 30 for AES-CM, 16 + 12 = 28 for AES-GCM.
std::size_t srtp_key_length(SrtpProfile p);
std::size_t srtp_master_key_length(SrtpProfile p);   // 16 for both
std::size_t srtp_master_salt_length(SrtpProfile p);  // 14 CM, 12 GCM
// The use_srtp name OpenSSL knows ("SRTP_AES128_CM_SHA1_80", "SRTP_AEAD_AES_128_GCM").
std::string_view srtp_profile_name(SrtpProfile p);
std::optional<SrtpProfile> srtp_profile_from_name(std::string_view name);

// What a finished DTLS handshake hands to the SRTP sessions: the local key protects what we send, the remote key
// unprotects what we receive. Each is master key || master salt (srtp_key_length bytes).
struct SrtpKeys {
  SrtpProfile profile = SrtpProfile::aes128_cm_sha1_80;
  std::vector<std::uint8_t> local;
  std::vector<std::uint8_t> remote;
};

}  // namespace portier::webrtc
