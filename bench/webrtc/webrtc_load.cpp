// bench/webrtc load client: opens N WebRTC calls (ICE, DTLS-SRTP, PCMU) against Portier (REST) or Janus (SIP
// plugin), each bridged by the server to a sipp UAS that echoes RTP; sends 50 packets/s per call, measures the
// handshake time (offer request sent -> DTLS connected, SRTP keyed), packet loss of the echoed packets over a
// window while all calls are up, and the CPU the server process(es) used in that window (/proc/<pid>/stat).
// Prints a human line and a JSON line ("RESULT {...}") for run.py.
#include <algorithm>
#include <cstdio>
#include <fstream>
#include <future>
#include <iostream>
#include <sstream>
#include <thread>

#include <CLI/CLI.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/post.hpp>
#include <nlohmann/json.hpp>
#include <sys/resource.h>
#include <unistd.h>

#include "bench/webrtc/load_call.hpp"
#include "bench/webrtc/signaling.hpp"

namespace portier::bench {
namespace {

namespace asio = boost::asio;
using Clock = std::chrono::steady_clock;

struct Args {
  std::string server = "portier";  // portier | janus
  std::string host = "127.0.0.1";
  std::string port;
  std::string tokens_file;
  int extension_base = 7100;
  std::string sip_uri;
  int calls = 10;
  double rate = 20;     // calls set up per second
  double hold = 15;     // seconds of the loss window
  int ptime = 20;       // ms per packet
  std::vector<int> cpu_pids;
  std::string bind = "127.0.0.1";
};

double cpu_seconds(const std::vector<int>& pids) {
  double total = 0;
  for (int pid : pids) {
    std::ifstream f("/proc/" + std::to_string(pid) + "/stat");
    std::string s((std::istreambuf_iterator<char>(f)), {});
    auto p = s.rfind(')');
    if (p == std::string::npos) continue;
    std::istringstream in(s.substr(p + 2));
    std::string field;
    unsigned long long ut = 0, st = 0;
    for (int i = 3; i <= 15 && in >> field; ++i) {
      if (i == 14) ut = std::stoull(field);
      if (i == 15) st = std::stoull(field);
    }
    total += static_cast<double>(ut + st) / static_cast<double>(sysconf(_SC_CLK_TCK));
  }
  return total;
}

// The kernel's count of UDP datagrams dropped for a full receive buffer (all sockets of the host: sipp's one echo
// socket, Portier's, ours); tells loss from a starved reader apart from loss inside the server.
long long udp_rcvbuf_errors() {
  std::ifstream f("/proc/net/snmp");
  std::string header, values;
  while (std::getline(f, header) && std::getline(f, values)) {
    if (header.rfind("Udp:", 0) != 0) continue;
    std::istringstream h(header), v(values);
    std::string name, value;
    while (h >> name && v >> value)
      if (name == "RcvbufErrors") return std::stoll(value);
  }
  return -1;
}

double self_cpu() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return static_cast<double>(u.ru_utime.tv_sec + u.ru_stime.tv_sec) +
         static_cast<double>(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
}

// Runs `f` on the io thread and waits for its result.
template <typename F>
auto on_io(asio::io_context& io, F f) -> decltype(f()) {
  std::packaged_task<decltype(f())()> task(std::move(f));
  auto fut = task.get_future();
  asio::post(io, [&task] { task(); });
  return fut.get();
}

double percentile(std::vector<double> v, double p) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  const auto i = static_cast<std::size_t>(p * static_cast<double>(v.size() - 1) + 0.5);
  return v[std::min(i, v.size() - 1)];
}

// Owns the io thread, the calls and the packet clock.
class LoadRun {
 public:
  LoadRun(Args args, std::unique_ptr<Signaling> sig) : args_(std::move(args)), sig_(std::move(sig)) {
    io_thread_ = std::thread([this] { io_.run(); });
  }
  ~LoadRun() {
    on_io(io_, [this] {
      ticking_ = false;
      tick_.cancel();
      calls_.clear();
      return 0;
    });
    guard_.reset();
    io_thread_.join();
  }
  int run();

 private:
  void open_calls();
  void open_one(int i);
  void wait_connected(std::chrono::seconds limit);
  void start_ticks();
  void schedule_tick();
  nlohmann::json measure();

  Args args_;
  std::unique_ptr<Signaling> sig_;
  asio::io_context io_;
  asio::executor_work_guard<asio::io_context::executor_type> guard_ = asio::make_work_guard(io_);
  asio::steady_timer tick_{io_};
  Clock::time_point next_tick_{};
  bool ticking_ = false;
  std::vector<std::unique_ptr<LoadCall>> calls_;  // touched on the io thread once created
  std::thread io_thread_;
};

void LoadRun::open_one(int i) {
  auto offer = on_io(io_, [this, i] {
    calls_.push_back(std::make_unique<LoadCall>(io_, i, args_.bind));
    return calls_.back()->client().offer();
  });
  auto opened = sig_->open(i, offer);
  std::string error = opened.error;
  if (error.empty()) {
    const bool ok = on_io(io_, [this, i, &opened] {
      auto& c = *calls_[static_cast<std::size_t>(i)];
      c.offer_sent = opened.offer_sent;
      if (!c.client().set_answer(opened.answer)) return false;
      c.client().start();
      return true;
    });
    if (!ok) error = "answer unusable";
  }
  if (error.empty()) error = sig_->after_answer(i);
  if (!error.empty()) {
    std::fprintf(stderr, "call %d: %s\n", i, error.c_str());
    on_io(io_, [this, i, &error] { return calls_[static_cast<std::size_t>(i)]->error = error, 0; });
  }
}

void LoadRun::open_calls() {
  const auto gap = std::chrono::duration<double>(1.0 / args_.rate);
  auto next = Clock::now();
  auto last_keepalive = Clock::now();
  for (int i = 0; i < args_.calls; ++i) {
    std::this_thread::sleep_until(next);
    next += std::chrono::duration_cast<Clock::duration>(gap);
    open_one(i);
    if (Clock::now() - last_keepalive > std::chrono::seconds(1)) {
      sig_->keepalive();
      last_keepalive = Clock::now();
    }
  }
}

// Until every call without a signalling error is connected and hears its echo, or `limit`.
void LoadRun::wait_connected(std::chrono::seconds limit) {
  const auto deadline = Clock::now() + limit;
  while (Clock::now() < deadline) {
    const bool all = on_io(io_, [this] {
      return std::all_of(calls_.begin(), calls_.end(), [](const auto& c) {
        return !c->error.empty() || (c->client().connected() && c->received() > 0);
      });
    });
    if (all) return;
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    sig_->keepalive();
  }
}

void LoadRun::start_ticks() {
  on_io(io_, [this] {
    ticking_ = true;
    next_tick_ = Clock::now();
    schedule_tick();
    return 0;
  });
}

// One packet per connected call every ptime, on absolute deadlines (no drift under load).
void LoadRun::schedule_tick() {
  next_tick_ += std::chrono::milliseconds(args_.ptime);
  tick_.expires_at(next_tick_);
  tick_.async_wait([this](const boost::system::error_code& ec) {
    if (ec || !ticking_) return;
    const auto step = static_cast<std::uint32_t>(8 * args_.ptime);
    for (auto& c : calls_) c->send_frame(step);
    schedule_tick();
  });
}

nlohmann::json LoadRun::measure() {
  const double cpu0 = cpu_seconds(args_.cpu_pids), self0 = self_cpu();
  const long long drops0 = udp_rcvbuf_errors();
  const auto t0 = Clock::now();
  on_io(io_, [this] {
    for (auto& c : calls_) c->begin_window();
    return 0;
  });
  const auto until = t0 + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(args_.hold));
  while (Clock::now() < until) {
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
    sig_->keepalive();
  }
  on_io(io_, [this] {
    for (auto& c : calls_) c->end_window();
    return 0;
  });
  const double wall = std::chrono::duration<double>(Clock::now() - t0).count();
  const double cpu = cpu_seconds(args_.cpu_pids) - cpu0, self = self_cpu() - self0;
  std::this_thread::sleep_for(std::chrono::seconds(1));  // echoes in flight
  const long long drops = udp_rcvbuf_errors() - drops0;
  return on_io(io_, [&] {
    std::vector<double> handshakes;
    std::uint64_t sent = 0, received = 0;
    double worst = 0;
    int connected = 0, failed = 0;
    for (auto& c : calls_) {
      if (!c->error.empty()) ++failed;
      if (auto at = c->client().connected_at()) {
        ++connected;
        handshakes.push_back(std::chrono::duration<double, std::milli>(*at - c->offer_sent).count());
      }
      sent += c->window_sent();
      received += c->window_received();
      if (c->window_sent() > 0)
        worst = std::max(worst, 1.0 - static_cast<double>(c->window_received()) / static_cast<double>(c->window_sent()));
    }
    const double loss = sent ? 1.0 - static_cast<double>(received) / static_cast<double>(sent) : 1.0;
    return nlohmann::json{{"server", args_.server}, {"calls", args_.calls}, {"connected", connected},
                          {"failed", failed}, {"handshake_ms_p50", percentile(handshakes, 0.5)},
                          {"handshake_ms_p99", percentile(handshakes, 0.99)},
                          {"handshake_ms_max", percentile(handshakes, 1.0)}, {"sent", sent}, {"received", received},
                          {"loss_pct", 100 * loss}, {"worst_call_loss_pct", 100 * worst}, {"window_s", wall},
                          {"server_cpu_pct", 100 * cpu / wall}, {"client_cpu_pct", 100 * self / wall},
                          {"udp_rcvbuf_errors", drops}};
  });
}

int LoadRun::run() {
  start_ticks();
  const auto t0 = Clock::now();
  open_calls();
  const double setup_s = std::chrono::duration<double>(Clock::now() - t0).count();
  wait_connected(std::chrono::seconds(15));
  auto r = measure();
  r["setup_s"] = setup_s;
  on_io(io_, [this] {
    int shown = 0;
    for (auto& c : calls_)
      if (!c->client().connected() && shown++ < 5) std::fprintf(stderr, "not connected: %s\n", c->dump().c_str());
    return 0;
  });
  for (int i = 0; i < args_.calls; ++i) sig_->close(i);
  std::printf("%s: %d calls (%d connected, %d failed); handshake p50 %.1f ms p99 %.1f ms; loss %.3f %% "
              "(worst call %.2f %%) over %.1f s; server CPU %.1f %% of a core (%.3f %% per call); load client CPU "
              "%.1f %%; host UDP receive-buffer drops %lld\n",
              args_.server.c_str(), args_.calls, r["connected"].get<int>(), r["failed"].get<int>(),
              r["handshake_ms_p50"].get<double>(), r["handshake_ms_p99"].get<double>(), r["loss_pct"].get<double>(),
              r["worst_call_loss_pct"].get<double>(), r["window_s"].get<double>(), r["server_cpu_pct"].get<double>(),
              r["server_cpu_pct"].get<double>() / std::max(1, args_.calls), r["client_cpu_pct"].get<double>(),
              r["udp_rcvbuf_errors"].get<long long>());
  std::printf("RESULT %s\n", r.dump().c_str());
  return r["connected"].get<int>() == args_.calls ? 0 : 2;
}

}  // namespace
}  // namespace portier::bench

int main(int argc, char** argv) {
  using namespace portier::bench;
  Args a;
  CLI::App app{"WebRTC load client: N DTLS-SRTP calls against Portier or Janus"};
  app.add_option("--server", a.server, "portier or janus")->check(CLI::IsMember({"portier", "janus"}));
  app.add_option("--host", a.host, "HTTP host of the server");
  app.add_option("--port", a.port, "HTTP port (Portier's http.listen, Janus's REST port)")->required();
  app.add_option("--tokens", a.tokens_file, "Portier: file with one API token per line (call i uses line i)");
  app.add_option("--extension-base", a.extension_base, "Portier: call i dials this + i (the sipp UAS)");
  app.add_option("--sip-uri", a.sip_uri, "Janus: the SIP URI called (the sipp UAS)");
  app.add_option("--calls", a.calls, "concurrent calls")->check(CLI::Range(1, 5000));
  app.add_option("--rate", a.rate, "calls set up per second")->check(CLI::Range(0.1, 1000.0));
  app.add_option("--hold", a.hold, "seconds of the measurement window with all calls up");
  app.add_option("--ptime", a.ptime, "ms per RTP packet")->check(CLI::Range(10, 60));
  app.add_option("--cpu-pid", a.cpu_pids, "server process(es) whose CPU is measured");
  app.add_option("--bind", a.bind, "the load client's address (its ICE candidate)");
  CLI11_PARSE(app, argc, argv);
  std::unique_ptr<Signaling> sig;
  if (a.server == "portier") {
    PortierTarget t{a.host, a.port, {}, a.extension_base};
    std::ifstream in(a.tokens_file);
    for (std::string line; std::getline(in, line);)
      if (!line.empty()) t.tokens.push_back(line);
    if (t.tokens.empty()) {
      std::fprintf(stderr, "no tokens in %s\n", a.tokens_file.c_str());
      return 1;
    }
    sig = make_portier_signaling(t);
  } else {
    sig = make_janus_signaling(JanusTarget{a.host, a.port, a.sip_uri});
  }
  LoadRun run(a, std::move(sig));
  return run.run();
}
