#include "api/metrics.hpp"

#include <unistd.h>

#include <fstream>

#include <fmt/format.h>

namespace portier::api {

Metrics::Metrics() : started_(std::chrono::system_clock::now()) {}

void Metrics::observe_request(const std::string& method, int status, std::chrono::nanoseconds latency) {
  ++requests_[{method, status}];
  const double s = std::chrono::duration<double>(latency).count();
  for (std::size_t i = 0; i < kBuckets.size(); ++i)
    if (s <= kBuckets[i]) ++bucket_counts_[i];
  ++latency_count_;
  latency_sum_ += s;
}

void Metrics::set_gauge(const std::string& name, const std::string& help, std::function<double()> read) {
  gauges_[name] = Gauge{help, std::move(read)};
}

std::string Metrics::render() const {
  std::string out;
  out += "# HELP portier_http_requests_total HTTP requests answered, by method and status.\n";
  out += "# TYPE portier_http_requests_total counter\n";
  for (const auto& [key, n] : requests_)
    out += fmt::format("portier_http_requests_total{{method=\"{}\",code=\"{}\"}} {}\n", key.first, key.second, n);
  out += "# HELP portier_http_request_duration_seconds Time from request read to response queued.\n";
  out += "# TYPE portier_http_request_duration_seconds histogram\n";
  for (std::size_t i = 0; i < kBuckets.size(); ++i)
    out += fmt::format("portier_http_request_duration_seconds_bucket{{le=\"{}\"}} {}\n", kBuckets[i], bucket_counts_[i]);
  out += fmt::format("portier_http_request_duration_seconds_bucket{{le=\"+Inf\"}} {}\n", latency_count_);
  out += fmt::format("portier_http_request_duration_seconds_sum {}\n", latency_sum_);
  out += fmt::format("portier_http_request_duration_seconds_count {}\n", latency_count_);
  out += "# HELP process_resident_memory_bytes Resident memory size in bytes.\n";
  out += "# TYPE process_resident_memory_bytes gauge\n";
  out += fmt::format("process_resident_memory_bytes {}\n", process_rss_bytes());
  out += "# HELP process_start_time_seconds Start time of the process since the Unix epoch in seconds.\n";
  out += "# TYPE process_start_time_seconds gauge\n";
  out += fmt::format("process_start_time_seconds {}\n",
                     std::chrono::duration_cast<std::chrono::seconds>(started_.time_since_epoch()).count());
  for (const auto& [name, g] : gauges_) {
    out += fmt::format("# HELP {} {}\n# TYPE {} gauge\n{} {}\n", name, g.help, name, name, g.read());
  }
  return out;
}

std::uint64_t process_rss_bytes() {
  std::ifstream statm("/proc/self/statm");
  std::uint64_t size = 0, resident = 0;
  if (!(statm >> size >> resident)) return 0;
  return resident * static_cast<std::uint64_t>(::sysconf(_SC_PAGESIZE));
}

}  // namespace portier::api
