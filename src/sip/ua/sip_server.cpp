#include "sip/ua/sip_server.hpp"

#include <array>
#include <ctime>
#include <stdexcept>

#include "base/log.hpp"
#include "base/random.hpp"
#include "base/strings.hpp"

namespace portier::sip::ua {
namespace {

constexpr std::string_view kAllow = "REGISTER, OPTIONS, ACK, CANCEL";
constexpr auto kTick = std::chrono::milliseconds(20);

// Methods we know of but do not serve (405); anything else is not implemented at all (501).
constexpr std::array<std::string_view, 10> kKnownMethods{"INVITE", "BYE",    "MESSAGE", "SUBSCRIBE", "NOTIFY",
                                                         "INFO",   "UPDATE", "PRACK",   "REFER",     "PUBLISH"};

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
      transport_(io, transport_options(options_), *this),
      transactions_(transport_, clock, *this, options_.timers),
      auth_(directory, clock, auth_options(options_)),
      registrar_(store, clock, listener, registrar_options(options_)),
      tick_(io) {
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

void SipServer::on_transaction_request(txn::ServerTransaction& txn) {
  const auto& m = txn.message();
  auto uri = msg::parse_uri(m.request_uri());
  if (!uri || !uri->is_sip()) {
    auto r = txn.make_response(416);
    respond(txn, r, 416);
    return;
  }
  if (m.has(msg::HeaderId::require)) {
    auto r = txn.make_response(420);
    r.add("Unsupported", m.header(msg::HeaderId::require));
    respond(txn, r, 420);
    return;
  }
  const auto method = m.method();
  Handler handler = &SipServer::handle_not_implemented;
  if (method == "REGISTER") {
    handler = &SipServer::handle_register;
  } else if (method == "OPTIONS") {
    handler = &SipServer::handle_options;
  } else {
    for (auto known : kKnownMethods) {
      if (method == known) handler = &SipServer::handle_not_allowed;
    }
  }
  (this->*handler)(txn);
}

void SipServer::respond(txn::ServerTransaction& txn, msg::MessageBuilder& response, int status) {
  response.add("Server", options_.server_name);
  txn.respond(status, response.serialize());
}

void SipServer::handle_register(txn::ServerTransaction& txn) {
  const auto& m = txn.message();
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
  auto outcome = registrar_.handle(m, result.extension->number, txn.request().source);
  auto r = txn.make_response(outcome.status, outcome.reason);
  for (const auto& [name, value] : outcome.headers) r.add(name, value);
  if (outcome.status == 200) r.add("Date", sip_date(clock_.now()));
  respond(txn, r, outcome.status);
}

void SipServer::handle_options(txn::ServerTransaction& txn) {
  auto r = txn.make_response(200);
  r.add("Allow", kAllow).add("Accept", "application/sdp").add("Supported", "path, outbound");
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
         auth_.dump() + " blocked=" + std::to_string(blocked_count_) + "}";
}

}  // namespace portier::sip::ua
