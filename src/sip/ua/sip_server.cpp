#include "sip/ua/sip_server.hpp"

#include <array>
#include <ctime>
#include <stdexcept>

#include "base/log.hpp"
#include "base/random.hpp"
#include "base/strings.hpp"
#include "sip/msg/lexer.hpp"

namespace portier::sip::ua {
namespace {

constexpr std::string_view kAllow = "REGISTER, OPTIONS, INVITE, ACK, CANCEL, BYE, INFO, UPDATE, PRACK";
constexpr auto kTick = std::chrono::milliseconds(20);

// Methods we know of but do not serve (405); anything else is not implemented at all (501).
constexpr std::array<std::string_view, 5> kKnownMethods{"MESSAGE", "SUBSCRIBE", "NOTIFY", "REFER", "PUBLISH"};
// Methods that only make sense inside an INVITE dialog.
constexpr std::array<std::string_view, 5> kDialogMethods{"INVITE", "BYE", "INFO", "UPDATE", "PRACK"};
// Option tags we can honour when a request Requires them (RFC 4028 session timers; no 100rel).
constexpr std::array<std::string_view, 1> kSupportedOptions{"timer"};

txn::TransportLayer::Options transport_options(const SipServer::Options& o) {
  txn::TransportLayer::Options t;
  t.listen = o.listen;
  t.tls_certificate = o.tls_certificate;
  t.tls_private_key = o.tls_private_key;
  return t;
}

DigestAuthenticator::Options auth_options(const SipServer::Options& o) {
  DigestAuthenticator::Options a;
  a.realm = o.domain;
  a.secret = o.auth_secret;
  a.nonce_lifetime = o.nonce_lifetime;
  a.algorithms.clear();
  for (const auto& name : o.digest_algorithms) {
    auto alg = parse_algorithm(name);
    if (!alg || name.empty()) throw std::runtime_error("sip: unknown digest algorithm '" + name + "'");
    a.algorithms.push_back(*alg);
  }
  if (a.algorithms.empty()) throw std::runtime_error("sip: no digest algorithm configured");
  a.lockout.max_failures = o.max_auth_failures;
  a.lockout.window = o.auth_failure_window;
  a.lockout.duration = o.lockout_duration;
  return a;
}

// RFC 3261 §20.17 / RFC 1123 date; some ATAs set their clock from the Date of the REGISTER response.
std::string sip_date(Clock::SystemTime t) {
  const std::time_t secs = std::chrono::system_clock::to_time_t(t);
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char buf[40];
  std::strftime(buf, sizeof buf, "%a, %d %b %Y %H:%M:%S GMT", &tm);
  return buf;
}

CallLegs::Options call_options(const SipServer::Options& o, const txn::TransportLayer& transport) {
  CallLegs::Options c;
  c.domain = o.domain;
  c.user_agent = o.server_name;
  for (std::size_t i = 0; i < transport.local_count(); ++i) c.locals.push_back(transport.local(i));
  c.min_session_expires = o.min_session_expires;
  c.ring_timeout = o.ring_timeout;
  c.timers = o.timers;
  return c;
}

// Require option tags we do not support, comma-separated; empty when all are fine.
std::string unsupported_options(const msg::Message& m) {
  std::string out;
  auto values = m.values(msg::HeaderId::require);
  if (!values) return "?";
  for (auto v : *values) {
    const auto tag = msg::trim_lws(v);
    bool ok = false;
    for (auto s : kSupportedOptions) ok = ok || iequals(tag, s);
    if (ok) continue;
    if (!out.empty()) out += ", ";
    out += std::string(tag);
  }
  return out;
}

Registrar::Options registrar_options(const SipServer::Options& o) {
  if (o.min_expires > o.max_expires || o.default_expires < o.min_expires || o.default_expires > o.max_expires)
    throw std::runtime_error("sip: expiry limits must satisfy min <= default <= max");
  return Registrar::Options{o.min_expires, o.max_expires, o.default_expires, o.max_contacts_per_extension};
}

}  // namespace

SipServer::SipServer(boost::asio::io_context& io, Options options, const ExtensionDirectory& directory,
                     BindingStore& store, RegistrationListener* listener, const Clock& clock)
    : io_(io),
      options_(std::move(options)),
      clock_(clock),
      directory_(directory),
      transport_(io, transport_options(options_), *this),
      transactions_(transport_, clock, *this, options_.timers),
      auth_(directory, clock, auth_options(options_)),
      registrar_(store, clock, listener, registrar_options(options_)),
      calls_(transactions_, clock, call_options(options_, transport_)),
      tick_(io) {
  transactions_.set_rport(options_.rport);
  for (const auto& b : options_.blocked_user_agents) {
    if (!b.empty()) blocked_lower_.push_back(to_lower(b));
  }
}

SipServer::~SipServer() { stop(); }

void SipServer::start() {
  if (running_) return;
  running_ = true;
  registrar_.restore();
  transport_.start();
  const auto now = clock_.steady_now();
  next_expiry_ = now + std::chrono::seconds(1);
  next_sweep_ = now + std::chrono::seconds(30);
  next_keepalive_ = now + options_.nat_keepalive_interval;
  do_tick();
}

void SipServer::stop() {
  if (!running_) return;
  running_ = false;
  tick_.cancel();
  transport_.stop();
}

std::vector<std::string> SipServer::listening() const {
  std::vector<std::string> out;
  for (std::size_t i = 0; i < transport_.local_count(); ++i) out.push_back(transport_.local(i).to_string());
  return out;
}

void SipServer::do_tick() {
  tick_.expires_after(kTick);
  tick_.async_wait([this](const boost::system::error_code& ec) {
    if (ec || !running_) return;
    process_timers();
    do_tick();
  });
}

void SipServer::process_timers() {
  transactions_.process_timers();
  calls_.process_timers();
  const auto now = clock_.steady_now();
  if (now >= next_expiry_) {
    registrar_.expire();
    next_expiry_ = now + std::chrono::seconds(1);
  }
  if (now >= next_sweep_) {
    auth_.sweep();
    next_sweep_ = now + std::chrono::seconds(30);
  }
  if (options_.nat_keepalive_interval.count() > 0 && now >= next_keepalive_) {
    send_keepalives();
    next_keepalive_ = now + options_.nat_keepalive_interval;
  }
}

bool SipServer::blocked(const msg::Message& m) const {
  const auto ua = m.header(msg::HeaderId::user_agent);
  if (ua.empty() || blocked_lower_.empty()) return false;
  const auto lower = to_lower(ua);
  for (const auto& b : blocked_lower_) {
    if (lower.find(b) != std::string::npos) return true;
  }
  return false;
}

void SipServer::on_transport_message(txn::IncomingMessage&& in) {
  if (in.message.is_request() && blocked(in.message)) {
    ++blocked_count_;
    log::get("sip")->debug("dropped request from blocked user agent at {}", in.source.to_string());
    return;
  }
  transactions_.on_message(std::move(in));
}

bool SipServer::check_request(txn::ServerTransaction& txn) {
  const auto& m = txn.message();
  auto uri = msg::parse_uri(m.request_uri());
  if (!uri || !uri->is_sip()) {
    auto r = txn.make_response(416);
    respond(txn, r, 416);
    return false;
  }
  if (m.has(msg::HeaderId::require)) {
    if (auto unsupported = unsupported_options(m); !unsupported.empty()) {
      auto r = txn.make_response(420);
      r.add("Unsupported", unsupported);
      respond(txn, r, 420);
      return false;
    }
  }
  // A request that has used up its hops (a B2BUA passes the count on, so this also ends call loops through us).
  auto mf = m.max_forwards();
  if (!mf) {
    auto r = txn.make_response(400, "Bad Max-Forwards");
    respond(txn, r, 400);
    return false;
  }
  const auto method = m.method();
  if (*mf && **mf == 0 && method != "OPTIONS" && method != "REGISTER") {
    auto r = txn.make_response(483);
    respond(txn, r, 483);
    return false;
  }
  return true;
}

void SipServer::on_transaction_request(txn::ServerTransaction& txn) {
  if (!check_request(txn)) return;
  const auto& m = txn.message();
  const auto method = m.method();
  Handler handler = &SipServer::handle_not_implemented;
  auto to = m.to();
  const bool in_dialog = to && !to->tag().empty();
  if (method == "REGISTER") {
    handler = &SipServer::handle_register;
  } else if (method == "OPTIONS") {
    handler = &SipServer::handle_options;
  } else if (method == "INVITE" && !in_dialog) {
    handler = &SipServer::handle_invite;
  } else {
    for (auto known : kDialogMethods) {
      if (method == known) handler = &SipServer::handle_in_dialog;
    }
    for (auto known : kKnownMethods) {
      if (method == known) handler = &SipServer::handle_not_allowed;
    }
  }
  (this->*handler)(txn);
}

void SipServer::on_transaction_ack(const txn::IncomingMessage& ack) { calls_.on_ack(ack); }

void SipServer::on_transaction_cancelled(txn::ServerTransaction& invite) { calls_.on_cancelled(invite); }

void SipServer::on_transaction_timeout(txn::ServerTransaction& invite) {
  log::get("sip")->debug("no ACK from {} for {}", invite.request().source.to_string(), invite.key());
}

void SipServer::trust_source(const boost::asio::ip::udp::endpoint& source) {
  trusted_.emplace(source.address().to_string(), source.port());
}

void SipServer::untrust_source(const boost::asio::ip::udp::endpoint& source) {
  trusted_.erase({source.address().to_string(), source.port()});
}

bool SipServer::trusted(const txn::Peer& source) const {
  return source.protocol == txn::Protocol::udp && !trusted_.empty() &&
         trusted_.count({source.address, source.port}) != 0;
}

std::optional<Extension> SipServer::trusted_caller(const msg::Message& m) const {
  auto from = m.from();
  if (!from || from->uri.user.empty()) return std::nullopt;
  if (auto known = directory_.find(from->uri.user)) return known;
  Extension e;
  e.number = std::string(from->uri.user);
  e.display_name = std::string(from->display);
  e.role = Role::resident;
  return e;
}

void SipServer::handle_invite(txn::ServerTransaction& txn) {
  const auto& m = txn.message();
  if (trusted(txn.request().source)) {
    calls_.on_invite(txn, trusted_caller(m));
    return;
  }
  auto from = m.from();
  const bool claims_extension = from && !from->uri.user.empty() && directory_.find(from->uri.user).has_value();
  std::optional<Extension> caller;
  if (claims_extension || !options_.anonymous_calls) {
    // RFC 3261 §22.3: a UAS acting for the domain challenges with 407 and reads Proxy-Authorization.
    auto result = auth_.authenticate(m, msg::HeaderId::proxy_authorization);
    if (result.kind == AuthResult::Kind::challenge) {
      auto r = txn.make_response(407);
      for (const auto& c : auth_.challenges(result.stale)) r.add("Proxy-Authenticate", c);
      respond(txn, r, 407);
      return;
    }
    if (result.kind == AuthResult::Kind::forbidden) {
      auto r = txn.make_response(403);
      respond(txn, r, 403);
      return;
    }
    caller = std::move(result.extension);
  }
  calls_.on_invite(txn, std::move(caller));
}

void SipServer::handle_in_dialog(txn::ServerTransaction& txn) {
  auto to = txn.message().to();
  if (!to || to->tag().empty()) {
    auto r = txn.make_response(481);
    respond(txn, r, 481);
    return;
  }
  calls_.on_in_dialog_request(txn);
}

void SipServer::respond(txn::ServerTransaction& txn, msg::MessageBuilder& response, int status) {
  response.add("Server", options_.server_name);
  txn.respond(status, response.serialize());
}

void SipServer::handle_register(txn::ServerTransaction& txn) {
  const auto& m = txn.message();
  if (trusted(txn.request().source)) {
    // A trusted user agent registers whatever number it speaks for (its To user), known to the directory or not.
    auto to = m.to();
    if (!to || to->uri.user.empty()) {
      auto r = txn.make_response(400, "Missing To user");
      respond(txn, r, 400);
      return;
    }
    register_binding(txn, std::string(to->uri.user));
    return;
  }
  auto result = auth_.authenticate(m);
  if (result.kind == AuthResult::Kind::challenge) {
    // Challenges are answered statelessly, like most registrars do: a retransmitted REGISTER simply gets a fresh
    // challenge, and a flood of unauthenticated REGISTERs costs no transaction state for 32 s.
    auto r = txn.make_response(401);
    for (const auto& c : auth_.challenges(result.stale)) r.add("WWW-Authenticate", c);
    if (!options_.stateless_challenges) {
      respond(txn, r, 401);
      return;
    }
    r.add("Server", options_.server_name);
    txn.respond_stateless(401, r.serialize());
    return;
  }
  if (result.kind == AuthResult::Kind::forbidden) {
    auto r = txn.make_response(403);
    respond(txn, r, 403);
    return;
  }
  // Extensions register their own number only.
  auto to = m.to();
  if (!to || to->uri.user != result.extension->number) {
    auto r = txn.make_response(403, "Wrong Address Of Record");
    respond(txn, r, 403);
    return;
  }
  register_binding(txn, result.extension->number);
}

void SipServer::register_binding(txn::ServerTransaction& txn, const std::string& extension) {
  const auto& m = txn.message();
  auto outcome = registrar_.handle(m, extension, txn.request().source);
  auto r = txn.make_response(outcome.status, outcome.reason);
  for (const auto& [name, value] : outcome.headers) r.add(name, value);
  if (outcome.status == 200) r.add("Date", sip_date(clock_.now()));
  respond(txn, r, outcome.status);
}

void SipServer::handle_options(txn::ServerTransaction& txn) {
  auto r = txn.make_response(200);
  r.add("Allow", kAllow).add("Accept", "application/sdp").add("Supported", "path, outbound, timer");
  respond(txn, r, 200);
}

void SipServer::handle_not_allowed(txn::ServerTransaction& txn) {
  auto r = txn.make_response(405);
  r.add("Allow", kAllow);
  respond(txn, r, 405);
}

void SipServer::handle_not_implemented(txn::ServerTransaction& txn) {
  auto r = txn.make_response(501);
  r.add("Allow", kAllow);
  respond(txn, r, 501);
}

void SipServer::send_keepalives() {
  for (const auto& b : registrar_.all()) {
    if (b.source.protocol != txn::Protocol::udp || !b.behind_nat()) continue;
    auto req = msg::MessageBuilder::request("OPTIONS", b.contact);
    req.add("Max-Forwards", "70")
        .add("From", "<sip:keepalive@" + options_.domain + ">;tag=" + random_hex(4))
        .add("To", "<" + b.contact + ">")
        .add("Call-ID", random_hex(8) + "@" + options_.domain)
        .add("CSeq", std::to_string(++keepalive_seq_ % 0x7fffffff + 1) + " OPTIONS")
        .add("User-Agent", options_.server_name);
    transactions_.send_request(b.source, std::move(req), "OPTIONS", transport_.sent_by(b.source.local),
                               [aor = b.aor, to = b.source.to_string()](const txn::IncomingMessage* response) {
                                 if (!response) {
                                   log::get("sip")->info("keep-alive to {} at {} timed out", aor, to);
                                 } else {
                                   log::get("sip")->debug("keep-alive to {} at {} answered {}", aor, to,
                                                          response->message.status());
                                 }
                               });
  }
}

std::string SipServer::dump() const {
  return "SipServer{" + transport_.dump() + " " + transactions_.dump() + " " + registrar_.dump() + " " +
         auth_.dump() + " blocked=" + std::to_string(blocked_count_) +
         " trusted=" + std::to_string(trusted_.size()) + "}";
}

}  // namespace portier::sip::ua
