// Interop test server for calls: the real SipServer with its CallLegs, as a UAS that answers every call (180, then
// 200 with a canned SDP after --answer-after ms, or --answer CODE to reject) and, with --call URI, as a UAC that
// calls URI once (hanging up --hangup-after ms after the answer, or cancelling --cancel-after ms after the first
// provisional response). Prints READY once listening and one line per call event (CALL, RINGING, ANSWERED,
// CONFIRMED, FAILED, ENDED, BYE_SENT, CANCEL_SENT) for the test drivers. Runs until SIGINT/SIGTERM.
//
//   sip_call_server --listen udp:127.0.0.1:5060 [--listen tcp:...] --ext 101:secret [--ext ...]
//       [--answer 200|486|...] [--answer-after MS] [--anonymous 1] [--session-expires S]
//       [--call URI [--call-delay MS] [--hangup-after MS] [--cancel-after MS]] [--log-level L]
#include <csignal>
#include <cstdlib>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>

#include "base/clock.hpp"
#include "base/log.hpp"
#include "sip/ua/in_memory_binding_store.hpp"
#include "sip/ua/in_memory_extension_directory.hpp"
#include "sip/ua/sip_server.hpp"

namespace {

using namespace portier;
namespace asio = boost::asio;

const sip::ua::Body kSdp{"application/sdp",
                         "v=0\r\no=portier 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n"
                         "m=audio 40000 RTP/AVP 0 101\r\na=rtpmap:0 PCMU/8000\r\na=rtpmap:101 telephone-event/8000\r\n"
                         "a=sendrecv\r\n"};

struct Settings {
  int answer = 200;
  int answer_after_ms = 200;
  std::string call;
  int call_delay_ms = 300;
  int hangup_after_ms = 500;
  int cancel_after_ms = -1;
  std::uint32_t session_expires = 0;
};

// Both roles in one object: it is the InviteHandler and the Listener of every leg.
class CallApp final : public sip::ua::InviteHandler, public sip::ua::CallLeg::Listener {
 public:
  CallApp(asio::io_context& io, sip::ua::SipServer& server, Settings settings)
      : io_(io), server_(server), settings_(std::move(settings)) {}

  void on_incoming_call(sip::ua::CallLeg& leg, const sip::ua::IncomingCall& call) override {
    std::cout << "CALL from=" << (call.caller ? call.caller->number : "anonymous") << " to=" << call.request_uri
              << " offer=" << call.offer.data.size() << std::endl;
    leg.set_listener(this);
    if (settings_.answer >= 300) {
      leg.reject(settings_.answer);
      return;
    }
    leg.ring();
    const auto id = leg.id();
    later(settings_.answer_after_ms, [this, id] {
      if (auto* l = server_.calls().find(id)) {
        if (l->accept(kSdp)) std::cout << "ANSWERED_BY_US " << id << std::endl;
      }
    });
  }

  void start_call() {
    if (settings_.call.empty()) return;
    later(settings_.call_delay_ms, [this] {
      sip::ua::CallLegs::OutgoingCall call;
      call.from_user = "door";
      call.from_display = "Front door";
      call.offer = kSdp;
      call.session_expires = settings_.session_expires;
      auto leg = server_.calls().invite({settings_.call, std::nullopt}, call, *this);
      if (!leg) std::cout << "CALL_ERROR " << leg.error().what() << std::endl;
    });
  }

  void on_leg_provisional(sip::ua::CallLeg& leg, int status, const sip::ua::Body*) override {
    std::cout << "RINGING " << status << std::endl;
    if (settings_.cancel_after_ms < 0 || cancel_armed_) return;
    cancel_armed_ = true;
    const auto id = leg.id();
    later(settings_.cancel_after_ms, [this, id] {
      if (auto* l = server_.calls().find(id); l && l->cancel()) std::cout << "CANCEL_SENT" << std::endl;
    });
  }
  void on_leg_answered(sip::ua::CallLeg& leg, const sip::ua::Body& answer) override {
    std::cout << "ANSWERED sdp=" << answer.data.size() << " session=" << leg.session_interval() << std::endl;
    const auto id = leg.id();
    later(settings_.hangup_after_ms, [this, id] {
      if (auto* l = server_.calls().find(id); l && l->bye()) std::cout << "BYE_SENT" << std::endl;
    });
  }
  void on_leg_failed(sip::ua::CallLeg&, int status, std::string_view reason) override {
    std::cout << "FAILED " << status << " " << reason << std::endl;
  }
  void on_leg_confirmed(sip::ua::CallLeg& leg, const sip::ua::Body*) override {
    std::cout << "CONFIRMED " << leg.id() << std::endl;
  }
  void on_leg_ended(sip::ua::CallLeg& leg, sip::ua::EndReason why) override {
    std::cout << "ENDED " << leg.id() << " " << sip::ua::end_reason_name(why) << std::endl;
  }
  std::optional<sip::ua::Body> on_leg_offer(sip::ua::CallLeg&, const sip::ua::Body&) override { return kSdp; }
  void on_leg_info(sip::ua::CallLeg&, const sip::ua::Body& body) override {
    std::cout << "INFO " << body.type << std::endl;
  }

 private:
  template <class F>
  void later(int ms, F f) {
    auto timer = std::make_shared<asio::steady_timer>(io_, std::chrono::milliseconds(ms));
    timer->async_wait([timer, f = std::move(f)](const boost::system::error_code& ec) {
      if (!ec) f();
    });
  }

  asio::io_context& io_;
  sip::ua::SipServer& server_;
  Settings settings_;
  bool cancel_armed_ = false;
};

int usage() {
  std::cerr << "usage: sip_call_server --listen udp:127.0.0.1:5060 --ext NUMBER:PASSWORD [options]\n";
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  sip::ua::SipServer::Options options;
  options.listen.clear();
  options.nat_keepalive_interval = std::chrono::seconds(0);
  sip::ua::InMemoryExtensionDirectory directory;
  Settings settings;
  std::string log_level = "warn";
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (i + 1 >= argc) return usage();
    const std::string value = argv[++i];
    if (arg == "--listen") options.listen.push_back(value);
    else if (arg == "--domain") options.domain = value;
    else if (arg == "--answer") settings.answer = std::stoi(value);
    else if (arg == "--answer-after") settings.answer_after_ms = std::stoi(value);
    else if (arg == "--anonymous") options.anonymous_calls = value == "1";
    else if (arg == "--session-expires") settings.session_expires = static_cast<std::uint32_t>(std::stoul(value));
    else if (arg == "--call") settings.call = value;
    else if (arg == "--call-delay") settings.call_delay_ms = std::stoi(value);
    else if (arg == "--hangup-after") settings.hangup_after_ms = std::stoi(value);
    else if (arg == "--cancel-after") settings.cancel_after_ms = std::stoi(value);
    else if (arg == "--algorithms") options.digest_algorithms = {value};
    else if (arg == "--log-level") log_level = value;
    else if (arg == "--ext") {
      const auto colon = value.find(':');
      if (colon == std::string::npos) return usage();
      directory.add(sip::ua::Extension{value.substr(0, colon), {}, value.substr(colon + 1), sip::ua::Role::resident});
    } else {
      return usage();
    }
  }
  if (options.listen.empty()) return usage();
  log::Options log_options;
  log_options.level = log_level;
  log::configure(log_options);

  try {
    asio::io_context io;
    SystemClock clock;
    sip::ua::InMemoryBindingStore store;
    sip::ua::SipServer server(io, options, directory, store, nullptr, clock);
    CallApp app(io, server, settings);
    server.set_invite_handler(&app);
    server.start();
    asio::signal_set signals(io, SIGINT, SIGTERM);
    signals.async_wait([&](const boost::system::error_code&, int) {
      std::cout << "STOPPING " << server.dump() << std::endl;
      server.stop();
      io.stop();
    });
    std::cout << "READY";
    for (const auto& l : server.listening()) std::cout << " " << l;
    std::cout << std::endl;
    app.start_call();
    io.run();
  } catch (const std::exception& e) {
    std::cerr << "sip_call_server: " << e.what() << std::endl;
    return 1;
  }
  return 0;
}
