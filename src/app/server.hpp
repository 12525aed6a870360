#pragma once
// The running daemon: owns the io_context and every module instance, wired from a Config. Construction may throw
// std::runtime_error for start-up problems (unreadable data dir, port in use); once running, nothing throws.
#include <memory>

#include "app/config.hpp"

namespace portier::app {

class Server {
 public:
  struct Options {
    bool no_hardware = false;  // a missing gpio chip becomes a simulated line instead of an error
  };
  Server(Config config, Options options);
  ~Server();
  // Runs until SIGINT/SIGTERM. Returns the process exit code.
  int run();

 private:
  struct Parts;
  std::unique_ptr<Parts> parts_;
};


}  // namespace portier::app
