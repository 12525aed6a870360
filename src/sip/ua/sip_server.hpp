#pragma once
// The SIP layer's facade for the application: listens on UDP/TCP/TLS, authenticates and registers extensions,
// answers OPTIONS, hands new INVITEs (digest-authenticated with 407 when the caller claims an extension) to the
// InviteHandler as CallLegs and in-dialog requests to their dialogs, refuses what it does not implement (405/501
// with Allow), checks Max-Forwards (483) and keeps NATed UDP registrations open. Requests over UDP from a trusted
// source (trust_source(): the in-process WebRTC gateway's loopback socket) skip digest authentication. Runs entirely on the caller's
// io_context (no threads of its own). Owns: transports, transactions, authenticator, registrar, call legs.
// Borrows (must outlive it): io_context, ExtensionDirectory, BindingStore, RegistrationListener, Clock and the
// InviteHandler.
#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/udp.hpp>
#include <boost/asio/steady_timer.hpp>

#include "base/clock.hpp"
#include "sip/txn/transaction_layer.hpp"
#include "sip/txn/transport_layer.hpp"
#include "sip/ua/call_legs.hpp"
#include "sip/ua/binding_store.hpp"
#include "sip/ua/digest_authenticator.hpp"
#include "sip/ua/extension_directory.hpp"
#include "sip/ua/invite_handler.hpp"
#include "sip/ua/registrar.hpp"
#include "sip/ua/registration_listener.hpp"

namespace portier::sip::ua {

class SipServer final : txn::TransportLayer::Listener, txn::TransactionLayer::Listener {
 public:
  struct Options {
    bool rport = true;  // ;rport in the Via of our UDP requests (RFC 3581); features.webrtc.nat.rport
    std::vector<std::string> listen{"udp:127.0.0.1:5060", "tcp:127.0.0.1:5060"};  // sip.listen
    std::string domain = "portier.local";  // sip.domain: digest realm and our From host
    std::string tls_certificate;           // PEM files, needed for tls: listeners
    std::string tls_private_key;
    std::uint32_t min_expires = 60;
    std::uint32_t max_expires = 3600;
    std::uint32_t default_expires = 3600;
    std::size_t max_contacts_per_extension = 10;
    std::chrono::seconds nat_keepalive_interval{30};  // nat.udp_update_time; 0 disables OPTIONS pings
    std::string auth_secret;                           // nonce HMAC key; empty: random per process
    std::chrono::seconds nonce_lifetime{300};
    // One WWW-Authenticate header per entry, in this order. SHA-256 is opt-in: baresip 1.0 (libre 1.1) fails to
    // register at all when a challenge it cannot compute is among them.
    std::vector<std::string> digest_algorithms{"MD5"};
    std::uint32_t max_auth_failures = 5;
    std::chrono::seconds auth_failure_window{300};
    std::chrono::seconds lockout_duration{600};
    // Requests whose User-Agent contains one of these (case-insensitive) are dropped without an answer.
    std::vector<std::string> blocked_user_agents{"friendly-scanner", "sipvicious", "sipcli", "sip-scan",
                                                 "VaxSIPUserAgent", "iWar", "sundayddr"};
    // 401 challenges without transaction state (a retransmitted REGISTER gets a fresh challenge); false keeps a
    // server transaction for them too, absorbing retransmissions like every other request.
    bool stateless_challenges = true;
    std::string server_name = "Portier";
    txn::TimerValues timers;
    // INVITEs from callers that do not claim an extension reach the InviteHandler unauthenticated (caller
    // nullopt) when true; when false every INVITE is challenged (407).
    bool anonymous_calls = false;
    std::uint32_t min_session_expires = 90;  // RFC 4028 Min-SE
    std::chrono::seconds ring_timeout{180};
  };

  // Throws std::runtime_error (or boost::system::system_error) on bad options, busy ports or unreadable TLS files.
  SipServer(boost::asio::io_context& io, Options options, const ExtensionDirectory& directory, BindingStore& store,
            RegistrationListener* listener, const Clock& clock);
  ~SipServer() override;

  // Restores persisted bindings, starts listening and the timers.
  void start();
  void stop();

  // Incoming calls go to `handler` (nullptr: 480). Outgoing calls: calls().invite(...).
  void set_invite_handler(InviteHandler* handler) { calls_.set_handler(handler); }
  CallLegs& calls() { return calls_; }

  // Requests arriving over UDP from exactly this address:port are not challenged (no 401/407). An INVITE's caller
  // is then the directory's extension for the From user when there is one, else Extension{From user, From display
  // name, resident}. Meant for an in-process user agent bound to loopback (the WebRTC gateway), whose address
  // nobody else can send from; never for a remote address (UDP sources can be spoofed).
  void trust_source(const boost::asio::ip::udp::endpoint& source);
  void untrust_source(const boost::asio::ip::udp::endpoint& source);

  const ExtensionDirectory& directory() const { return directory_; }
  std::vector<Binding> registrations() const { return registrar_.all(); }
  std::vector<Binding> registrations(std::string_view extension) const { return registrar_.bindings(extension); }
  // The listeners with their real ports ("udp:127.0.0.1:40312" when configured with port 0).
  std::vector<std::string> listening() const;
  // Runs due transaction timers, expiry and keep-alives; the internal timer calls it, tests may too.
  void process_timers();
  std::string dump() const;

 private:
  using Handler = void (SipServer::*)(txn::ServerTransaction&);

  void on_transport_message(txn::IncomingMessage&& in) override;
  void on_transaction_request(txn::ServerTransaction& txn) override;
  void on_transaction_ack(const txn::IncomingMessage& ack) override;
  void on_transaction_cancelled(txn::ServerTransaction& invite) override;
  void on_transaction_timeout(txn::ServerTransaction& invite) override;
  bool check_request(txn::ServerTransaction& txn);
  void handle_register(txn::ServerTransaction& txn);
  void register_binding(txn::ServerTransaction& txn, const std::string& extension);
  void handle_invite(txn::ServerTransaction& txn);
  void handle_in_dialog(txn::ServerTransaction& txn);
  void handle_options(txn::ServerTransaction& txn);
  void handle_not_allowed(txn::ServerTransaction& txn);
  void handle_not_implemented(txn::ServerTransaction& txn);
  void respond(txn::ServerTransaction& txn, msg::MessageBuilder& response, int status);
  bool blocked(const msg::Message& m) const;
  bool trusted(const txn::Peer& source) const;
  // The caller of an INVITE from a trusted source; nullopt when the From has no user part.
  std::optional<Extension> trusted_caller(const msg::Message& m) const;
  void send_keepalives();
  void do_tick();

  boost::asio::io_context& io_;
  Options options_;
  const Clock& clock_;
  const ExtensionDirectory& directory_;
  txn::TransportLayer transport_;
  txn::TransactionLayer transactions_;
  DigestAuthenticator auth_;
  Registrar registrar_;
  CallLegs calls_;
  boost::asio::steady_timer tick_;
  std::vector<std::string> blocked_lower_;  // blocked_user_agents, lower-cased once
  std::set<std::pair<std::string, std::uint16_t>> trusted_;  // UDP sources exempt from digest (address, port)
  Clock::SteadyTime next_expiry_{};
  Clock::SteadyTime next_sweep_{};
  Clock::SteadyTime next_keepalive_{};
  std::uint64_t keepalive_seq_ = 0;
  std::uint64_t blocked_count_ = 0;
  bool running_ = false;
};

}  // namespace portier::sip::ua
