// Benchmark server: N Portier MediaRelays on one io_context thread, peers learnt by latching. Prints one line
// "RELAY <a_port> <b_port>" per relay, then "READY", and runs until killed.
// Usage: rtp_relay_server [relays] [port_min] [port_max]
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <vector>

#include <boost/asio/io_context.hpp>

#include "base/clock.hpp"
#include "media/media_engine.hpp"
#include "media/media_relay.hpp"

namespace {

struct Quiet : portier::media::MediaRelayListener {
  void on_relay_idle(portier::media::MediaRelay&) override {}
};

}  // namespace

int main(int argc, char** argv) {
  using namespace portier::media;
  const int relays = argc > 1 ? std::atoi(argv[1]) : 50;
  RtpConfig config;
  config.bind_address = "127.0.0.1";
  config.port_min = static_cast<std::uint16_t>(argc > 2 ? std::atoi(argv[2]) : 30000);
  config.port_max = static_cast<std::uint16_t>(argc > 3 ? std::atoi(argv[3]) : 31999);
  config.idle_timeout = std::chrono::seconds(3600);
  boost::asio::io_context io(1);
  portier::SystemClock clock;
  MediaEngine engine(io, clock, config);
  Quiet quiet;
  std::vector<std::unique_ptr<MediaRelay>> all;
  for (int i = 0; i < relays; ++i) {
    auto r = engine.create_relay(quiet);
    if (!r) {
      std::fprintf(stderr, "relay %d: %s\n", i, r.error().what().c_str());
      return 1;
    }
    std::printf("RELAY %u %u\n", (*r)->local_port(Side::a), (*r)->local_port(Side::b));
    all.push_back(std::move(*r));
  }
  std::printf("READY\n");
  std::fflush(stdout);
  io.run();
}
