#pragma once
// Server side of SIP digest authentication (RFC 3261 §22, RFC 7616, RFC 8760): challenges with HMAC-bound
// nonces, verifies MD5/SHA-256 responses with qop=auth, rejects replays (nonce-count), answers stale=true for
// expired nonces and locks accounts after repeated failures. Unknown users and wrong passwords take the same path
// and get the same answer.
#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "base/clock.hpp"
#include "sip/msg/digest_params.hpp"
#include "sip/msg/message.hpp"
#include "sip/ua/auth_lockout.hpp"
#include "sip/ua/digest_hash.hpp"
#include "sip/ua/extension_directory.hpp"
#include "sip/ua/nonce_counter.hpp"
#include "sip/ua/nonce_factory.hpp"

namespace portier::sip::ua {

struct AuthResult {
  enum class Kind {
    ok,         // credentials valid: `extension` is set
    challenge,  // answer 401 with challenges(stale)
    forbidden,  // answer 403 (account locked)
  };
  Kind kind = Kind::challenge;
  bool stale = false;
  std::string username;  // as claimed, for logs
  std::optional<Extension> extension;
  // Valid credentials whose nonce-count was used before (kind challenge, stale): `extension` is then set too, so
  // that the TU may recognise a copy of a request it already served. `repeated`: the byte-identical request used
  // them last (a retransmission, or a third party's verbatim replay: the TU must not act on it a second time).
  bool replayed = false;
  bool repeated = false;
};

class DigestAuthenticator {
 public:
  struct Options {
    std::string realm = "portier.local";
    std::string secret;  // nonce HMAC key; empty: random for this process
    std::chrono::seconds nonce_lifetime{300};
    std::vector<DigestAlgorithm> algorithms{DigestAlgorithm::md5, DigestAlgorithm::sha256};  // challenge order
    AuthLockout::Options lockout;
  };

  DigestAuthenticator(const ExtensionDirectory& directory, const Clock& clock, Options options);

  // Credentials come from Authorization (REGISTER, 401) or Proxy-Authorization (INVITE, 407; RFC 3261 §22.3).
  AuthResult authenticate(const msg::Message& request, msg::HeaderId credentials = msg::HeaderId::authorization);
  // WWW-Authenticate values for a 401, one per configured algorithm.
  std::vector<std::string> challenges(bool stale);
  void sweep();
  const Options& options() const { return options_; }
  std::string dump() const;

 private:
  AuthResult verify(const msg::DigestParams& credentials, const msg::Message& request);
  AuthResult failure(const std::string& username);

  const ExtensionDirectory& directory_;
  Options options_;
  NonceFactory nonces_;
  NonceCounter counts_;
  AuthLockout lockout_;
  std::string decoy_password_;  // stands in for unknown users so that they cost the same work
};

}  // namespace portier::sip::ua
