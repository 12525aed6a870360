#include "rtp/dtmf_info.hpp"

#include <charconv>

#include "base/strings.hpp"
#include "rtp/dtmf.hpp"
#include "rtp/rtp_error.hpp"

namespace portier::rtp {
namespace {

std::optional<unsigned> number(std::string_view s) {
  unsigned v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc{} || p != s.data() + s.size() || s.empty()) return std::nullopt;
  return v;
}

}  // namespace

Result<DtmfInfo> parse_dtmf_relay(std::string_view body) {
  if (body.size() > 1024) return Error(errc::bad_value, "dtmf-relay body too large");
  DtmfInfo info;
  bool have_signal = false;
  for (auto line : split(body, '\n')) {
    line = trim(line);
    if (line.empty()) continue;
    const auto eq = line.find('=');
    if (eq == std::string_view::npos) return Error(errc::bad_value, "dtmf-relay line without '='");
    const auto key = trim(line.substr(0, eq));
    const auto value = trim(line.substr(eq + 1));
    if (iequals(key, "Signal")) {
      std::optional<std::uint8_t> event;
      if (value.size() == 1) event = digit_to_event(value[0]);
      if (!event) {
        auto n = number(value);
        if (n && *n <= 15) event = static_cast<std::uint8_t>(*n);
      }
      if (!event) return Error(errc::bad_value, "dtmf-relay Signal is not a DTMF digit");
      info.event = *event;
      info.digit = *event_to_digit(*event);
      have_signal = true;
    } else if (iequals(key, "Duration")) {
      auto n = number(value);
      if (!n || *n > 60000) return Error(errc::bad_value, "dtmf-relay Duration is not a number of milliseconds");
      info.duration = std::chrono::milliseconds(*n);
    }
    // Other keys are ignored.
  }
  if (!have_signal) return Error(errc::bad_value, "dtmf-relay body has no Signal");
  return info;
}

}  // namespace portier::rtp
