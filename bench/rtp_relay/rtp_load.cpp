// Load generator for bench/rtp_relay: for each pair, a sender socket streams RTP to <send_port> and a receiver
// socket (which first sends a few packets to <latch_port>, so that a latching relay learns it) counts what arrives
// and measures the one-way latency from a send timestamp carried in the payload. One sender thread paces the total
// rate; one receiver thread drains with epoll. Prints one JSON line.
// Usage: rtp_load <seconds> <total_pps> <local_port_base> <target_ip> <send_port>:<latch_port|0>[:<direct>] ...
//   local ports: sender = base + 4*i, receiver = base + 4*i + 2 (fixed, so that SDP offers can name them).
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <thread>
#include <vector>

namespace {

using Clock = std::chrono::steady_clock;

std::int64_t now_ns() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(Clock::now().time_since_epoch()).count();
}

int udp_socket(std::uint16_t port) {
  const int fd = ::socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK, 0);
  int buf = 4 << 20;
  ::setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &buf, sizeof buf);
  ::setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &buf, sizeof buf);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(port);
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0) {
    std::perror("bind");
    std::exit(2);
  }
  return fd;
}

sockaddr_in address(const std::string& ip, std::uint16_t port) {
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(port);
  ::inet_pton(AF_INET, ip.c_str(), &a.sin_addr);
  return a;
}

struct Pair {
  int tx, rx;
  sockaddr_in to;
  std::uint16_t seq = 0;
  std::uint32_t ts = 0;
};

void packet(std::uint8_t* p, Pair& pair, std::uint32_t ssrc) {
  p[0] = 0x80;
  p[1] = 0;  // PCMU
  p[2] = static_cast<std::uint8_t>(pair.seq >> 8);
  p[3] = static_cast<std::uint8_t>(pair.seq);
  const std::uint32_t ts = pair.ts, s = ssrc;
  std::memcpy(p + 4, &ts, 4);
  std::memcpy(p + 8, &s, 4);
  const std::int64_t t = now_ns();
  std::memcpy(p + 12, &t, 8);
  ++pair.seq;
  pair.ts += 160;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 6) {
    std::fprintf(stderr, "usage: rtp_load seconds pps base target send:latch ...\n");
    return 2;
  }
  const double seconds = std::atof(argv[1]);
  const double pps = std::atof(argv[2]);
  const int base = std::atoi(argv[3]);
  const std::string target = argv[4];
  std::vector<Pair> pairs;
  for (int i = 5; i < argc; ++i) {
    unsigned send_port = 0, latch_port = 0;
    std::sscanf(argv[i], "%u:%u", &send_port, &latch_port);
    const int n = static_cast<int>(pairs.size());
    Pair p{udp_socket(static_cast<std::uint16_t>(base + 4 * n)),
           udp_socket(static_cast<std::uint16_t>(base + 4 * n + 2)),
           address(target, static_cast<std::uint16_t>(send_port))};
    if (latch_port) {
      // Let a latching relay learn the receiver (and keep the RTCP-less leg alive).
      std::uint8_t hello[172] = {};
      Pair dummy = p;
      for (int k = 0; k < 3; ++k) {
        packet(hello, dummy, 0xfeed);
        const auto to = address(target, static_cast<std::uint16_t>(latch_port));
        ::sendto(p.rx, hello, sizeof hello, 0, reinterpret_cast<const sockaddr*>(&to), sizeof to);
      }
    }
    pairs.push_back(p);
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  // Discard the latch packets reflected to the senders.
  std::uint8_t junk[2048];
  for (auto& p : pairs) {
    while (::recv(p.tx, junk, sizeof junk, 0) > 0) {
    }
  }

  const int ep = ::epoll_create1(0);
  for (std::size_t i = 0; i < pairs.size(); ++i) {
    epoll_event ev{};
    ev.events = EPOLLIN;
    ev.data.u32 = static_cast<std::uint32_t>(i);
    ::epoll_ctl(ep, EPOLL_CTL_ADD, pairs[i].rx, &ev);
  }
  std::atomic<bool> sending{true};
  std::atomic<std::uint64_t> sent{0};
  std::vector<std::int32_t> latency_us;
  latency_us.reserve(static_cast<std::size_t>(pps * seconds) + 1024);
  std::uint64_t received = 0;
  std::int64_t first_rx = 0, last_rx = 0;

  std::thread receiver([&] {
    epoll_event events[64];
    std::uint8_t buf[2048];
    std::int64_t quiet_since = 0;
    for (;;) {
      const int n = ::epoll_wait(ep, events, 64, 10);
      if (n <= 0) {
        if (!sending) {
          if (!quiet_since) quiet_since = now_ns();
          if (now_ns() - quiet_since > 300'000'000) break;
        }
        continue;
      }
      quiet_since = 0;
      for (int i = 0; i < n; ++i) {
        const int fd = pairs[events[i].data.u32].rx;
        for (;;) {
          const auto got = ::recv(fd, buf, sizeof buf, 0);
          if (got <= 0) break;
          if (got < 20) continue;
          std::int64_t t;
          std::memcpy(&t, buf + 12, 8);
          const auto now = now_ns();
          if (!first_rx) first_rx = now;
          last_rx = now;
          ++received;
          latency_us.push_back(static_cast<std::int32_t>((now - t) / 1000));
        }
      }
    }
  });

  // Pacing: every millisecond, send what is due so far (round robin over the pairs).
  std::uint8_t pkt[172] = {};
  const auto start = Clock::now();
  const auto end = start + std::chrono::duration<double>(seconds);
  std::size_t next = 0;
  std::uint64_t count = 0;
  while (Clock::now() < end) {
    const double elapsed = std::chrono::duration<double>(Clock::now() - start).count();
    const auto due = static_cast<std::uint64_t>(elapsed * pps);
    while (count < due) {
      Pair& p = pairs[next];
      next = (next + 1) % pairs.size();
      packet(pkt, p, 0x1000 + static_cast<std::uint32_t>(next));
      if (::sendto(p.tx, pkt, sizeof pkt, 0, reinterpret_cast<const sockaddr*>(&p.to), sizeof p.to) > 0)
        ++count;
      else
        break;  // socket buffer full: the target is saturated
    }
    sent = count;
    std::this_thread::sleep_for(std::chrono::microseconds(200));
  }
  sending = false;
  receiver.join();
  std::sort(latency_us.begin(), latency_us.end());
  auto pct = [&](double q) {
    return latency_us.empty() ? -1 : latency_us[static_cast<std::size_t>(q * (latency_us.size() - 1))];
  };
  const double rx_secs = (last_rx - first_rx) / 1e9;
  std::printf(
      "{\"sent\": %llu, \"received\": %llu, \"loss\": %.4f, \"rx_pps\": %.0f, \"p50_us\": %d, "
      "\"p99_us\": %d, \"p999_us\": %d}\n",
      static_cast<unsigned long long>(count), static_cast<unsigned long long>(received),
      count ? 1.0 - static_cast<double>(received) / count : 0.0, rx_secs > 0 ? received / rx_secs : 0.0, pct(0.5),
      pct(0.99), pct(0.999));
  return 0;
}
