#include "bench/webrtc/load_call.hpp"

namespace portier::bench {

LoadCall::LoadCall(boost::asio::io_context& io, int index, std::string bind_address) : index_(index) {
  webrtc::test::LoopbackClient::Options o;
  o.codecs = {"PCMU"};  // pass-through on both sides: the payload (and our counter in it) comes back unchanged
  o.bind_address = std::move(bind_address);
  o.check_interval = std::chrono::milliseconds(50);
  o.consent_interval = std::chrono::milliseconds(2500);  // like a browser
  o.on_rtp = [this](std::uint16_t, std::span<const std::uint8_t> payload) { on_rtp(payload); };
  client_ = std::make_unique<webrtc::test::LoopbackClient>(io, std::move(o));
}

void LoadCall::send_frame(std::uint32_t timestamp_step) {
  if (!client_->connected()) return;
  std::vector<std::uint8_t> payload(timestamp_step, 0xFF);  // PCMU silence, 1 byte per sample
  const auto n = static_cast<std::uint32_t>(sent_);
  payload[0] = static_cast<std::uint8_t>(n >> 24);
  payload[1] = static_cast<std::uint8_t>(n >> 16);
  payload[2] = static_cast<std::uint8_t>(n >> 8);
  payload[3] = static_cast<std::uint8_t>(n);
  if (client_->send_rtp(0, timestamp_, payload, sent_ == 0)) ++sent_;
  timestamp_ += timestamp_step;
}

void LoadCall::on_rtp(std::span<const std::uint8_t> payload) {
  ++received_;
  if (payload.size() < 4) return;
  const std::uint64_t n = (std::uint64_t{payload[0]} << 24) | (std::uint64_t{payload[1]} << 16) |
                          (std::uint64_t{payload[2]} << 8) | payload[3];
  if (n >= window_begin_ && n < window_end_) ++window_received_;
}

std::string LoadCall::dump() const {
  return "LoadCall{" + std::to_string(index_) + " sent=" + std::to_string(sent_) + " received=" +
         std::to_string(received_) + " window=" + std::to_string(window_received_) + "/" +
         std::to_string(window_sent()) + (error.empty() ? "" : " error=" + error) + " " + client_->dump() + "}";
}

}  // namespace portier::bench
