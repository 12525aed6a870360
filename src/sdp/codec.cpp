#include "sdp/codec.hpp"

#include <algorithm>

#include "base/strings.hpp"

namespace portier::sdp {

std::vector<CodecPreference> default_codecs() {
  return {
      {"PCMU", 0, 8000, 1, true, 0, ""},
      {"PCMA", 8, 8000, 1, true, 1, ""},
      {"telephone-event", 101, 8000, 1, true, 2, "0-16"},
  };
}

std::vector<CodecPreference> ordered(const std::vector<CodecPreference>& prefs) {
  std::vector<CodecPreference> out;
  for (const auto& p : prefs) {
    if (p.enabled) out.push_back(p);
  }
  std::stable_sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.priority < b.priority; });
  return out;
}

bool Codec::is_telephone_event() const { return iequals(name, "telephone-event"); }

std::optional<Codec> match(const MediaDescription& m, int pt, const CodecPreference& pref) {
  auto map = m.rtpmap(pt);
  if (!map) return std::nullopt;
  if (!iequals(map->encoding, pref.name) || map->clock_rate != pref.clock_rate || map->channels != pref.channels) {
    return std::nullopt;
  }
  return Codec{pref.name, pt, pref.clock_rate, pref.channels, std::string(m.fmtp(pt))};
}

}  // namespace portier::sdp
