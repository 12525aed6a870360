#pragma once
// The local mosquitto Portier starts when `mqtt.embedded_broker: true`: spawned with the generated
// <data_dir>/mqtt/mosquitto.conf, restarted (after 1 s) when it exits, sent SIGHUP to re-read passwd/acl, and
// terminated with Portier. Owned by the app; runs on the io thread (a timer polls waitpid).
#include <sys/types.h>

#include <memory>
#include <string>

#include "access/timer_factory.hpp"
#include "base/result.hpp"
#include "device/mqtt/broker_files.hpp"

namespace portier::device::mqtt {

class EmbeddedBroker {
 public:
  EmbeddedBroker(access::TimerFactory& timers, BrokerLayout layout, std::string binary = "mosquitto");
  ~EmbeddedBroker();
  EmbeddedBroker(const EmbeddedBroker&) = delete;
  EmbeddedBroker& operator=(const EmbeddedBroker&) = delete;

  Status start();
  void stop();
  void reload();  // SIGHUP
  pid_t pid() const { return pid_; }
  std::string dump() const;

 private:
  Status spawn();
  void watch();

  access::TimerFactory& timers_;
  BrokerLayout layout_;
  std::string binary_;
  std::unique_ptr<access::Timer> timer_;
  pid_t pid_ = -1;
  unsigned restarts_ = 0;
  bool stopping_ = false;
};

}  // namespace portier::device::mqtt
