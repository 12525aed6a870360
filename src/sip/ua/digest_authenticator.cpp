#include "sip/ua/digest_authenticator.hpp"

#include <functional>

#include "base/log.hpp"
#include "base/random.hpp"
#include "base/strings.hpp"
#include "sip/msg/digest_params.hpp"

namespace portier::sip::ua {
namespace {

std::optional<std::uint32_t> parse_nc(std::string_view nc) {
  if (nc.size() != 8) return std::nullopt;
  std::uint32_t v = 0;
  for (char c : nc) {
    const int d = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
    if (d < 0) return std::nullopt;
    v = v * 16 + static_cast<std::uint32_t>(d);
  }
  return v;
}

}  // namespace

DigestAuthenticator::DigestAuthenticator(const ExtensionDirectory& directory, const Clock& clock, Options options)
    : directory_(directory),
      options_(std::move(options)),
      nonces_(options_.secret.empty() ? random_token(32) : options_.secret, clock, options_.nonce_lifetime),
      lockout_(clock, options_.lockout),
      decoy_password_(random_token(16)) {}

std::vector<std::string> DigestAuthenticator::challenges(bool stale) {
  std::vector<std::string> out;
  const auto nonce = nonces_.create();
  for (auto a : options_.algorithms) {
    std::string v = "Digest realm=" + msg::quote(options_.realm) + ", nonce=\"" + nonce + "\", algorithm=";
    v.append(algorithm_name(a)).append(", qop=\"auth\"");
    if (stale) v.append(", stale=true");
    out.push_back(std::move(v));
  }
  return out;
}

AuthResult DigestAuthenticator::authenticate(const msg::Message& request, msg::HeaderId credentials) {
  // Use the credentials for our realm with an algorithm we offer; ignore others (e.g. for upstream proxies).
  for (auto line : request.lines(credentials)) {
    auto creds = msg::parse_digest(line);
    if (!creds || creds->realm != options_.realm) continue;
    auto alg = parse_algorithm(creds->algorithm);
    if (!alg) continue;
    bool offered = false;
    for (auto a : options_.algorithms) offered = offered || a == *alg;
    if (!offered) continue;
    return verify(*creds, request);
  }
  return AuthResult{AuthResult::Kind::challenge, false, {}, std::nullopt};
}

AuthResult DigestAuthenticator::failure(const std::string& username) {
  if (lockout_.fail(username)) log::get("sip")->warn("auth: account '{}' locked after repeated failures", username);
  if (lockout_.locked(username)) return AuthResult{AuthResult::Kind::forbidden, false, username, std::nullopt};
  return AuthResult{AuthResult::Kind::challenge, false, username, std::nullopt};
}

AuthResult DigestAuthenticator::verify(const msg::DigestParams& c, const msg::Message& request) {
  if (lockout_.locked(c.username)) return AuthResult{AuthResult::Kind::forbidden, false, c.username, std::nullopt};
  const auto check = nonces_.check(c.nonce);
  if (check == NonceFactory::Check::forged) return AuthResult{AuthResult::Kind::challenge, false, c.username, {}};
  const bool with_qop = !c.qop.empty();
  if (with_qop && (c.qop != "auth" || c.cnonce.empty())) return failure(c.username);
  std::optional<std::uint32_t> nc = with_qop ? parse_nc(c.nc) : std::optional<std::uint32_t>(0);
  if (!nc || (with_qop && *nc == 0)) return failure(c.username);

  auto extension = directory_.find(c.username);
  DigestInput in;
  in.algorithm = *parse_algorithm(c.algorithm);
  in.username = c.username;
  in.realm = c.realm;
  in.password = extension ? std::string_view(extension->password) : std::string_view(decoy_password_);
  in.method = request.method();
  in.uri = c.uri;
  in.nonce = c.nonce;
  if (with_qop) {
    in.qop = c.qop;
    in.nc = c.nc;
    in.cnonce = c.cnonce;
  }
  const auto expected = digest_response(in);
  if (!constant_time_equal(expected, to_lower(c.response)) || !extension) return failure(c.username);
  // Valid credentials from here on: an old or reused nonce only earns a fresh one.
  if (check == NonceFactory::Check::expired) return AuthResult{AuthResult::Kind::challenge, true, c.username, {}};
  // Fingerprint of the whole request: a retransmission is byte-identical (RFC 3261 §17.1.2.2).
  const auto fingerprint = static_cast<std::uint32_t>(std::hash<std::string_view>{}(request.raw()));
  const auto use = counts_.use(NonceFactory::index_of(c.nonce), *nc, fingerprint);
  if (use != NonceCounter::Use::fresh) {
    return AuthResult{AuthResult::Kind::challenge, true, c.username, std::move(extension), true,
                      use == NonceCounter::Use::repeated};
  }
  lockout_.succeed(c.username);
  return AuthResult{AuthResult::Kind::ok, false, c.username, std::move(extension)};
}

void DigestAuthenticator::sweep() { lockout_.sweep(); }

std::string DigestAuthenticator::dump() const {
  return "DigestAuthenticator{realm=" + options_.realm + " nonces_in_use=" + std::to_string(counts_.used()) +
         " tracked_accounts=" + std::to_string(lockout_.size()) + "}";
}

}  // namespace portier::sip::ua
