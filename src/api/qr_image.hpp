#pragma once
// QR codes for guest links (libqrencode), as SVG for the screen and PNG for printing or sending. The PNG writer is
// the minimum the format needs (one grey-scale IDAT, deflated by zlib).
#include <string>
#include <string_view>

#include "base/result.hpp"

namespace portier::api {

// `text` up to 1000 bytes, error correction level M, a 4-module quiet zone.
Result<std::string> qr_svg(std::string_view text);
// `scale` pixels per module (1 .. 32).
Result<std::string> qr_png(std::string_view text, int scale = 8);

}  // namespace portier::api
