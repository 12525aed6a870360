#pragma once
// One call of the load client: the browser stand-in (LoopbackClient) plus its media counters. The client and the
// counters are touched on the io_context thread only; the main thread reads results after the io work is done
// (through posted tasks), so nothing here is atomic.
//
// Ownership: LoadRun (webrtc_load.cpp) owns every LoadCall; a LoadCall owns its LoopbackClient.
#include <chrono>
#include <cstdint>
#include <limits>
#include <memory>
#include <optional>
#include <string>

#include "bench/webrtc/loopback_client.hpp"

namespace portier::bench {

class LoadCall {
 public:
  LoadCall(boost::asio::io_context& io, int index, std::string bind_address);

  webrtc::test::LoopbackClient& client() { return *client_; }
  // Sends the next 20 ms PCMU frame (its first 4 bytes carry our packet counter) when SRTP is keyed.
  void send_frame(std::uint32_t timestamp_step);
  // The loss window: packets numbered [begin, end) are counted when they come back (sipp echoes them).
  void begin_window() { window_begin_ = sent_; }
  void end_window() { window_end_ = sent_; }
  std::uint64_t window_sent() const { return window_end_ > window_begin_ ? window_end_ - window_begin_ : 0; }
  std::uint64_t window_received() const { return window_received_; }
  std::uint64_t received() const { return received_; }
  std::uint64_t sent() const { return sent_; }

  std::chrono::steady_clock::time_point offer_sent{};
  std::string error;  // signalling failure, empty when the call was set up
  std::string dump() const;

 private:
  void on_rtp(std::span<const std::uint8_t> payload);

  int index_;
  std::unique_ptr<webrtc::test::LoopbackClient> client_;
  std::uint64_t sent_ = 0;
  std::uint32_t timestamp_ = 0;
  std::uint64_t received_ = 0;
  std::uint64_t window_begin_ = std::numeric_limits<std::uint64_t>::max();
  std::uint64_t window_end_ = std::numeric_limits<std::uint64_t>::max();
  std::uint64_t window_received_ = 0;
};

}  // namespace portier::bench
