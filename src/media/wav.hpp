#pragma once
// WAV files of 16-bit PCM, mono, 8 kHz (what G.711 carries): visitor messages and prompts. The byte-level
// encode/decode is pure (and fuzzed); read/write add the file I/O.
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.hpp"

namespace portier::media {

struct PcmAudio {
  int sample_rate = 8000;
  std::vector<std::int16_t> samples;
};

// RIFF/WAVE with a PCM "fmt " chunk (format 1, 1 channel, 16 bits) and a "data" chunk; other chunks (LIST, fact)
// are skipped. errc::invalid_argument with the reason otherwise; a truncated data chunk keeps what is there.
Result<PcmAudio> decode_wav(std::string_view bytes);
std::string encode_wav(std::span<const std::int16_t> samples, int sample_rate = 8000);

Result<PcmAudio> read_wav(const std::string& path);
// Writes to path + ".tmp" then renames, so that a reader never sees half a file.
Status write_wav(const std::string& path, std::span<const std::int16_t> samples, int sample_rate = 8000);

}  // namespace portier::media
