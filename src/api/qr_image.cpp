#include "api/qr_image.hpp"

#include <qrencode.h>
#include <zlib.h>

#include <memory>
#include <vector>

#include "base/error.hpp"

namespace portier::api {
namespace {

constexpr int kQuiet = 4;
constexpr std::size_t kMaxText = 1000;

struct QrFree {
  void operator()(QRcode* q) const { QRcode_free(q); }
};
using QrPtr = std::unique_ptr<QRcode, QrFree>;

Result<QrPtr> encode(std::string_view text) {
  if (text.empty()) return Error(errc::invalid_argument, "text: required");
  if (text.size() > kMaxText) return Error(errc::too_large, "text: at most 1000 bytes");
  const std::string copy(text);  // libqrencode wants a NUL-terminated string
  QrPtr q(QRcode_encodeString8bit(copy.c_str(), 0, QR_ECLEVEL_M));
  if (!q) return Error(errc::invalid_argument, "text cannot be encoded as a QR code");
  return q;
}

bool dark(const QRcode& q, int x, int y) { return q.data[y * q.width + x] & 1; }

void put_u32(std::string& out, std::uint32_t v) {
  out.push_back(static_cast<char>(v >> 24));
  out.push_back(static_cast<char>(v >> 16));
  out.push_back(static_cast<char>(v >> 8));
  out.push_back(static_cast<char>(v));
}

void chunk(std::string& out, const char* type, const std::string& data) {
  put_u32(out, static_cast<std::uint32_t>(data.size()));
  std::string body(type, 4);
  body += data;
  out += body;
  put_u32(out, static_cast<std::uint32_t>(crc32(0, reinterpret_cast<const Bytef*>(body.data()),
                                                 static_cast<uInt>(body.size()))));
}

}  // namespace

Result<std::string> qr_svg(std::string_view text) {
  auto q = encode(text);
  if (!q) return q.error();
  const int w = (*q)->width;
  const int size = w + 2 * kQuiet;
  std::string path;
  for (int y = 0; y < w; ++y)
    for (int x = 0; x < w; ++x)
      if (dark(**q, x, y)) path += "M" + std::to_string(x + kQuiet) + " " + std::to_string(y + kQuiet) + "h1v1h-1z";
  const auto s = std::to_string(size);
  return "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 " + s + " " + s +
         "\" shape-rendering=\"crispEdges\"><rect width=\"" + s + "\" height=\"" + s +
         "\" fill=\"#fff\"/><path fill=\"#000\" d=\"" + path + "\"/></svg>";
}

Result<std::string> qr_png(std::string_view text, int scale) {
  if (scale < 1 || scale > 32) return Error(errc::invalid_argument, "scale: 1 .. 32");
  auto q = encode(text);
  if (!q) return q.error();
  const int w = (*q)->width;
  const int px = (w + 2 * kQuiet) * scale;
  std::string raw;
  raw.reserve(static_cast<std::size_t>(px) * (px + 1));
  for (int y = 0; y < px; ++y) {
    raw.push_back('\0');  // filter: none
    const int my = y / scale - kQuiet;
    for (int x = 0; x < px; ++x) {
      const int mx = x / scale - kQuiet;
      const bool on = mx >= 0 && my >= 0 && mx < w && my < w && dark(**q, mx, my);
      raw.push_back(on ? '\0' : static_cast<char>(0xff));
    }
  }
  uLongf packed_size = compressBound(static_cast<uLong>(raw.size()));
  std::string packed(packed_size, '\0');
  if (compress2(reinterpret_cast<Bytef*>(packed.data()), &packed_size, reinterpret_cast<const Bytef*>(raw.data()),
                static_cast<uLong>(raw.size()), Z_BEST_COMPRESSION) != Z_OK)
    return Error(errc::internal, "PNG compression failed");
  packed.resize(packed_size);

  std::string png("\x89PNG\r\n\x1a\n", 8);
  std::string ihdr;
  put_u32(ihdr, static_cast<std::uint32_t>(px));
  put_u32(ihdr, static_cast<std::uint32_t>(px));
  ihdr += std::string("\x08\x00\x00\x00\x00", 5);  // 8-bit grey, deflate, adaptive filtering, no interlace
  chunk(png, "IHDR", ihdr);
  chunk(png, "IDAT", packed);
  chunk(png, "IEND", "");
  return png;
}

}  // namespace portier::api
