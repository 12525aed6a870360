#include "media/wav.hpp"

#include <cstdio>
#include <fstream>
#include <iterator>

#include "base/error.hpp"

namespace portier::media {
namespace {

constexpr std::size_t kMaxWavBytes = 64u << 20;  // 64 MiB: over an hour at 8 kHz

std::uint32_t le32(std::string_view s, std::size_t at) {
  return static_cast<std::uint32_t>(static_cast<unsigned char>(s[at])) |
         static_cast<std::uint32_t>(static_cast<unsigned char>(s[at + 1])) << 8 |
         static_cast<std::uint32_t>(static_cast<unsigned char>(s[at + 2])) << 16 |
         static_cast<std::uint32_t>(static_cast<unsigned char>(s[at + 3])) << 24;
}
std::uint16_t le16(std::string_view s, std::size_t at) {
  return static_cast<std::uint16_t>(static_cast<unsigned char>(s[at]) | static_cast<unsigned char>(s[at + 1]) << 8);
}
void put32(std::string& out, std::uint32_t v) {
  for (int i = 0; i < 4; ++i) out += static_cast<char>((v >> (8 * i)) & 0xff);
}
void put16(std::string& out, std::uint16_t v) {
  out += static_cast<char>(v & 0xff);
  out += static_cast<char>(v >> 8);
}

Error bad(std::string why) { return Error(errc::invalid_argument, "WAV: " + std::move(why)); }

}  // namespace

Result<PcmAudio> decode_wav(std::string_view s) {
  if (s.size() > kMaxWavBytes) return bad("file too large");
  if (s.size() < 12 || s.substr(0, 4) != "RIFF" || s.substr(8, 4) != "WAVE") return bad("not a RIFF/WAVE file");
  PcmAudio audio;
  bool have_fmt = false;
  std::size_t at = 12;
  while (at + 8 <= s.size()) {
    const auto id = s.substr(at, 4);
    const std::size_t size = le32(s, at + 4);
    const std::size_t body = at + 8;
    const std::size_t avail = std::min(size, s.size() - body);
    if (id == "fmt ") {
      if (avail < 16) return bad("fmt chunk too short");
      const auto format = le16(s, body);
      const auto channels = le16(s, body + 2);
      const auto rate = le32(s, body + 4);
      const auto bits = le16(s, body + 14);
      if (format != 1 || channels != 1 || bits != 16) return bad("only 16-bit mono PCM is supported");
      if (rate < 8000 || rate > 48000) return bad("sample rate out of range");
      audio.sample_rate = static_cast<int>(rate);
      have_fmt = true;
    } else if (id == "data") {
      if (!have_fmt) return bad("data chunk before fmt chunk");
      audio.samples.resize(avail / 2);
      for (std::size_t i = 0; i < audio.samples.size(); ++i) {
        audio.samples[i] = static_cast<std::int16_t>(le16(s, body + 2 * i));
      }
      return audio;
    }
    if (size > s.size() - body) break;
    at = body + size + (size & 1);  // chunks are padded to even sizes
  }
  return bad(have_fmt ? "no data chunk" : "no fmt chunk");
}

std::string encode_wav(std::span<const std::int16_t> samples, int sample_rate) {
  const auto data_bytes = static_cast<std::uint32_t>(samples.size() * 2);
  std::string out;
  out.reserve(44 + data_bytes);
  out += "RIFF";
  put32(out, 36 + data_bytes);
  out += "WAVEfmt ";
  put32(out, 16);
  put16(out, 1);  // PCM
  put16(out, 1);  // mono
  put32(out, static_cast<std::uint32_t>(sample_rate));
  put32(out, static_cast<std::uint32_t>(sample_rate * 2));  // byte rate
  put16(out, 2);                                            // block align
  put16(out, 16);                                           // bits per sample
  out += "data";
  put32(out, data_bytes);
  for (auto v : samples) put16(out, static_cast<std::uint16_t>(v));
  return out;
}

Result<PcmAudio> read_wav(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Error(errc::not_found, "cannot open " + path);
  std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  return decode_wav(bytes);
}

Status write_wav(const std::string& path, std::span<const std::int16_t> samples, int sample_rate) {
  const std::string tmp = path + ".tmp";
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    const auto bytes = encode_wav(samples, sample_rate);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    out.flush();
    if (!out) return Error(errc::io_error, "cannot write " + tmp);
  }
  if (std::rename(tmp.c_str(), path.c_str()) != 0) return Error(errc::io_error, "cannot rename " + tmp);
  return {};
}

}  // namespace portier::media
