#pragma once
// Serves the web UI: from the assets embedded in the binary, or from a directory (http.web_root) for development.
#include <filesystem>
#include <optional>
#include <string>

#include "api/http_types.hpp"

namespace portier::api {

class StaticFiles {
 public:
  StaticFiles() = default;  // embedded assets
  explicit StaticFiles(std::filesystem::path root) : root_(std::move(root)) {}
  // The file for a URL path ("/" is "/index.html"); nullopt when there is none. Never leaves the root.
  std::optional<Response> serve(const std::string& path) const;
  static std::string content_type_for(const std::string& path);

 private:
  std::optional<std::string> read(const std::string& path) const;
  std::filesystem::path root_;  // empty: embedded
};

}  // namespace portier::api
