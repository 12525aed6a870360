#pragma once
// A fresh database path per test process, for the store tests.
#include <unistd.h>

#include <filesystem>
#include <string>

namespace portier::store::sqlite::test {

// Removes any earlier file of that name (and its WAL companions) so each test starts from an empty database.
inline std::filesystem::path temp_db(const std::string& name) {
  auto dir = std::filesystem::temp_directory_path() / ("portier-store-test-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  auto path = dir / name;
  for (const char* suffix : {"", "-wal", "-shm", "-journal"}) std::filesystem::remove(path.string() + suffix);
  return path;
}

}  // namespace portier::store::sqlite::test
