#include "api/static_files.hpp"

#include <fstream>
#include <sstream>

#include "api/web_assets.hpp"

namespace portier::api {

std::string StaticFiles::content_type_for(const std::string& path) {
  auto ends = [&](std::string_view ext) {
    return path.size() >= ext.size() && path.compare(path.size() - ext.size(), ext.size(), ext) == 0;
  };
  if (ends(".html")) return "text/html; charset=utf-8";
  if (ends(".js") || ends(".mjs")) return "text/javascript; charset=utf-8";
  if (ends(".css")) return "text/css; charset=utf-8";
  if (ends(".svg")) return "image/svg+xml";
  if (ends(".png")) return "image/png";
  if (ends(".ico")) return "image/x-icon";
  if (ends(".json") || ends(".webmanifest")) return "application/json";
  if (ends(".wav")) return "audio/wav";
  if (ends(".mp3")) return "audio/mpeg";
  if (ends(".woff2")) return "font/woff2";
  return "application/octet-stream";
}

std::optional<std::string> StaticFiles::read(const std::string& path) const {
  if (root_.empty()) {
    for (const auto& a : embedded_web_assets())
      if (a.path == path) return std::string(a.data);
    return std::nullopt;
  }
  // Reject any path with a ".." segment or a backslash before touching the file system.
  if (path.find("..") != std::string::npos || path.find('\\') != std::string::npos) return std::nullopt;
  auto file = root_ / path.substr(1);
  std::error_code ec;
  if (!std::filesystem::is_regular_file(file, ec)) return std::nullopt;
  std::ifstream in(file, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::optional<Response> StaticFiles::serve(const std::string& path) const {
  const std::string p = path == "/" ? "/index.html" : path;
  auto body = read(p);
  if (!body) return std::nullopt;
  auto r = Response::text(200, std::move(*body), content_type_for(p));
  r.headers["Cache-Control"] = "no-cache";
  return r;
}

}  // namespace portier::api
