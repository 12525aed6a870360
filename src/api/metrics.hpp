#pragma once
// Prometheus text exposition of the HTTP server's counters, a request latency histogram and process figures.
// Touched only from the event loop.
#include <array>
#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <vector>

namespace portier::api {

class Metrics {
 public:
  Metrics();
  void observe_request(const std::string& method, int status, std::chrono::nanoseconds latency);
  void set_gauge(const std::string& name, const std::string& help, std::function<double()> read);
  std::string render() const;

 private:
  static constexpr std::array<double, 12> kBuckets{0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025,
                                                   0.05,   0.1,   0.25,   0.5,   1.0,  5.0};
  std::map<std::pair<std::string, int>, std::uint64_t> requests_;  // (method, status) -> count
  std::array<std::uint64_t, kBuckets.size()> bucket_counts_{};
  std::uint64_t latency_count_ = 0;
  double latency_sum_ = 0;
  struct Gauge {
    std::string help;
    std::function<double()> read;
  };
  std::map<std::string, Gauge> gauges_;
  std::chrono::system_clock::time_point started_;
};

// Resident set size of this process in bytes (from /proc/self/statm), 0 when unknown.
std::uint64_t process_rss_bytes();

}  // namespace portier::api
