#include "device/mqtt/embedded_broker.hpp"

#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <cstring>
#include <vector>
#include <thread>

#include "base/error.hpp"
#include "base/log.hpp"

extern char** environ;

namespace portier::device::mqtt {
namespace {
constexpr std::chrono::milliseconds kPoll{250};
constexpr std::chrono::milliseconds kRestartDelay{1000};
auto logger() { return log::get("mqtt"); }
}  // namespace

EmbeddedBroker::EmbeddedBroker(access::TimerFactory& timers, BrokerLayout layout, std::string binary)
    : timers_(timers), layout_(std::move(layout)), binary_(std::move(binary)), timer_(timers.create_timer()) {}

EmbeddedBroker::~EmbeddedBroker() { stop(); }

Status EmbeddedBroker::spawn() {
  const std::string conf = layout_.conf().string();
  std::vector<char*> argv{binary_.data(), const_cast<char*>("-c"), const_cast<char*>(conf.c_str()), nullptr};
  pid_t pid = -1;
  if (int rc = ::posix_spawnp(&pid, binary_.c_str(), nullptr, nullptr, argv.data(), environ); rc != 0)
    return Error(errc::unavailable, "cannot start " + binary_ + ": " + std::string(std::strerror(rc)) +
                                        " (install the Debian package mosquitto)");
  pid_ = pid;
  logger()->info("embedded broker started (pid {}, {})", pid_, conf);
  return {};
}

// A broker left behind by a Portier that was killed (-9) still holds the port: end it, if the pid file names a
// mosquitto.
static void stop_leftover(const BrokerLayout& layout) {
  std::ifstream in(layout.pid());
  long pid = 0;
  if (!(in >> pid) || pid <= 1) return;
  std::ifstream comm("/proc/" + std::to_string(pid) + "/comm");
  std::string name;
  if (!std::getline(comm, name) || name != "mosquitto") return;
  logger()->warn("stopping a leftover embedded broker (pid {})", pid);
  ::kill(static_cast<pid_t>(pid), SIGTERM);
  for (int i = 0; i < 40 && ::kill(static_cast<pid_t>(pid), 0) == 0; ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(25));
}

Status EmbeddedBroker::start() {
  stopping_ = false;
  stop_leftover(layout_);
  if (auto st = spawn(); !st) return st;
  watch();
  return {};
}

void EmbeddedBroker::watch() {
  timer_->start(kPoll, [this] {
    if (pid_ > 0) {
      int status = 0;
      if (::waitpid(pid_, &status, WNOHANG) == pid_) {
        logger()->warn("embedded broker (pid {}) exited ({}); restarting", pid_,
                       WIFEXITED(status) ? "status " + std::to_string(WEXITSTATUS(status))
                                         : "signal " + std::to_string(WTERMSIG(status)));
        pid_ = -1;
        timer_->start(kRestartDelay, [this] {
          ++restarts_;
          if (auto st = spawn(); !st) logger()->error("{}", st.error().what());
          watch();
        });
        return;
      }
    }
    watch();
  });
}

void EmbeddedBroker::reload() {
  if (pid_ > 0) ::kill(pid_, SIGHUP);
}

void EmbeddedBroker::stop() {
  stopping_ = true;
  timer_->cancel();
  if (pid_ <= 0) return;
  ::kill(pid_, SIGTERM);
  for (int i = 0; i < 40; ++i) {
    if (::waitpid(pid_, nullptr, WNOHANG) == pid_) {
      pid_ = -1;
      return;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(25));
  }
  ::kill(pid_, SIGKILL);
  ::waitpid(pid_, nullptr, 0);
  pid_ = -1;
}

std::string EmbeddedBroker::dump() const {
  return "EmbeddedBroker{pid=" + std::to_string(pid_) + " restarts=" + std::to_string(restarts_) +
         " conf=" + layout_.conf().string() + "}";
}

}  // namespace portier::device::mqtt
