#pragma once
// The web UI (web/) compiled into the binary by cmake/embed_files.cmake, so `portier serve` needs no files beside it.
#include <span>
#include <string_view>

namespace portier::api {

struct EmbeddedAsset {
  std::string_view path;  // "/index.html", "/js/app.js"
  std::string_view data;
};

std::span<const EmbeddedAsset> embedded_web_assets();

}  // namespace portier::api
