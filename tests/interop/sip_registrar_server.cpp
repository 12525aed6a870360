// Interop test server: runs the real SipServer on the given listeners with extensions from the command line, until
// SIGINT/SIGTERM. Prints "READY <listener>..." once listening and one line per registration event, so that test
// drivers can wait for it and check what happened. (The application's `portier serve` takes its place later.)
//
//   sip_registrar_server --listen udp:127.0.0.1:5060 [--listen tcp:...] --ext 101:secret [--ext ...]
//       [--domain D] [--min-expires N] [--max-expires N] [--max-failures N] [--lockout N] [--keepalive N]
//       [--algorithms MD5,SHA-256] [--tls-cert F --tls-key F] [--log-level L] [--quiet 1]
//       [--stateful-challenges 1] [--stateless-registrations 0|1]
#include <csignal>
#include <cstdlib>
#include <iostream>
#include <string>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>

#include "base/clock.hpp"
#include "base/log.hpp"
#include "sip/ua/in_memory_binding_store.hpp"
#include "sip/ua/in_memory_extension_directory.hpp"
#include "sip/ua/sip_server.hpp"

namespace {

using namespace portier;

class PrintingListener final : public sip::ua::RegistrationListener {
 public:
  bool quiet = false;  // benchmarks: no output per event
  void on_binding_registered(const sip::ua::Binding& b) override { print("REGISTERED", b); }
  void on_binding_refreshed(const sip::ua::Binding& b) override { print("REFRESHED", b); }
  void on_binding_unregistered(const sip::ua::Binding& b) override { print("UNREGISTERED", b); }
  void on_binding_expired(const sip::ua::Binding& b) override { print("EXPIRED", b); }

 private:
  void print(const char* what, const sip::ua::Binding& b) const {
    if (quiet) return;
    std::cout << what << " " << b.aor << " " << b.contact << " " << b.source.to_string() << std::endl;
  }
};

std::vector<std::string> split_commas(const std::string& s) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start <= s.size()) {
    auto end = s.find(',', start);
    if (end == std::string::npos) end = s.size();
    out.push_back(s.substr(start, end - start));
    start = end + 1;
  }
  return out;
}

int usage() {
  std::cerr << "usage: sip_registrar_server --listen udp:127.0.0.1:5060 --ext NUMBER:PASSWORD [options]\n";
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  sip::ua::SipServer::Options options;
  options.listen.clear();
  sip::ua::InMemoryExtensionDirectory directory;
  std::string log_level = "warn";
  bool quiet = false;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (i + 1 >= argc) return usage();
    const std::string value = argv[++i];
    if (arg == "--listen") options.listen.push_back(value);
    else if (arg == "--domain") options.domain = value;
    else if (arg == "--min-expires") options.min_expires = static_cast<std::uint32_t>(std::stoul(value));
    else if (arg == "--max-expires") options.max_expires = static_cast<std::uint32_t>(std::stoul(value));
    else if (arg == "--max-failures") options.max_auth_failures = static_cast<std::uint32_t>(std::stoul(value));
    else if (arg == "--lockout") options.lockout_duration = std::chrono::seconds(std::stol(value));
    else if (arg == "--keepalive") options.nat_keepalive_interval = std::chrono::seconds(std::stol(value));
    else if (arg == "--algorithms") options.digest_algorithms = split_commas(value);
    else if (arg == "--tls-cert") options.tls_certificate = value;
    else if (arg == "--tls-key") options.tls_private_key = value;
    else if (arg == "--log-level") log_level = value;
    else if (arg == "--quiet") quiet = value == "1";
    else if (arg == "--stateful-challenges") options.stateless_challenges = value != "1";
    else if (arg == "--stateless-registrations") options.stateless_registrations = value == "1";
    else if (arg == "--ext") {
      const auto colon = value.find(':');
      if (colon == std::string::npos) return usage();
      directory.add(sip::ua::Extension{value.substr(0, colon), {}, value.substr(colon + 1), sip::ua::Role::resident});
    } else {
      return usage();
    }
  }
  if (options.listen.empty()) return usage();
  options.default_expires = std::min(options.default_expires, options.max_expires);
  log::Options log_options;
  log_options.level = log_level;
  log::configure(log_options);

  try {
    boost::asio::io_context io;
    SystemClock clock;
    sip::ua::InMemoryBindingStore store;
    PrintingListener listener;
    listener.quiet = quiet;
    sip::ua::SipServer server(io, options, directory, store, &listener, clock);
    server.start();
    boost::asio::signal_set signals(io, SIGINT, SIGTERM);
    signals.async_wait([&](const boost::system::error_code&, int) {
      std::cout << "STOPPING " << server.dump() << std::endl;
      server.stop();
      io.stop();
    });
    std::cout << "READY";
    for (const auto& l : server.listening()) std::cout << " " << l;
    std::cout << std::endl;
    io.run();
  } catch (const std::exception& e) {
    std::cerr << "sip_registrar_server: " << e.what() << std::endl;
    return 1;
  }
  return 0;
}
