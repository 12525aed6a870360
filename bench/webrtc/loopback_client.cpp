#include "bench/webrtc/loopback_client.hpp"

#include <boost/asio/buffer.hpp>

#include "rtp/rtp_packet.hpp"
#include "sdp/parser.hpp"
#include "webrtc/ice/ice_candidate.hpp"
#include "webrtc/stun/demux.hpp"
#include "webrtc/stun/stun_message.hpp"

namespace portier::webrtc::test {

namespace asio = boost::asio;

LoopbackClient::LoopbackClient(asio::io_context& io, Options options)
    : io_(io),
      options_(std::move(options)),
      socket_(io, asio::ip::udp::endpoint(asio::ip::make_address(options_.bind_address), 0)),
      certificate_(*DtlsCertificate::generate()),
      local_(IceCredentials::generate()),
      check_timer_(io),
      dtls_timer_(io) {
  if (options_.wrong_fingerprint) other_certificate_ = *DtlsCertificate::generate();
  do_receive();
}

LoopbackClient::~LoopbackClient() {
  alive_.reset();
  boost::system::error_code ignored;
  socket_.close(ignored);
}

std::string LoopbackClient::offer() const {
  std::string pts;
  std::string maps;
  for (const auto& c : options_.codecs) {
    if (c == "opus") {
      pts += " 111";
      maps += "a=rtpmap:111 opus/48000/2\r\na=fmtp:111 minptime=10;useinbandfec=1\r\n";
    } else if (c == "PCMU") {
      pts += " 0";
      maps += "a=rtpmap:0 PCMU/8000\r\n";
    } else if (c == "PCMA") {
      pts += " 8";
      maps += "a=rtpmap:8 PCMA/8000\r\n";
    }
  }
  pts += " 110 126";
  maps += "a=rtpmap:110 telephone-event/48000\r\na=rtpmap:126 telephone-event/8000\r\n";
  const auto& fp = other_certificate_ ? other_certificate_->fingerprint() : certificate_->fingerprint();
  return "v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\na=group:BUNDLE 0\r\n"
         "m=audio 9 UDP/TLS/RTP/SAVPF" + pts + "\r\n"
         "c=IN IP4 0.0.0.0\r\n"
         "a=candidate:1 1 udp 2122260223 " + options_.bind_address + " " + std::to_string(port()) + " typ host generation 0\r\n"
         "a=ice-ufrag:" + local_.ufrag + "\r\na=ice-pwd:" + local_.pwd + "\r\n"
         "a=fingerprint:sha-256 " + fp + "\r\na=setup:actpass\r\na=mid:0\r\na=sendrecv\r\na=rtcp-mux\r\n" + maps +
         "a=ssrc:" + std::to_string(ssrc_) + " cname:loopback\r\n";
}

bool LoopbackClient::set_answer(const std::string& answer) {
  auto s = sdp::parse(answer);
  if (!s || s->media.empty()) return false;
  const auto& m = s->media[0];
  // Media level first, then session level (Janus writes some of these at session level).
  auto find = [&](const char* name) {
    const auto* a = m.attributes.find(name);
    return a ? a : s->attributes.find(name);
  };
  const auto* ufrag = find("ice-ufrag");
  const auto* pwd = find("ice-pwd");
  const auto* fp = find("fingerprint");
  const auto candidates = m.attributes.values("candidate");
  if (!ufrag || !pwd || !fp || candidates.empty()) return false;
  remote_.ufrag = ufrag->value;
  remote_.pwd = pwd->value;
  remote_fingerprint_ = fp->value.substr(fp->value.find(' ') + 1);
  const auto* setup = find("setup");
  dtls_server_ = setup && setup->value == "active";
  // Loopback: the candidate on 127.0.0.1 when the server announces several (wildcard bind), else the first.
  std::optional<asio::ip::udp::endpoint> chosen;
  for (auto line : candidates) {
    auto c = parse_candidate(line);
    if (!c) continue;
    if (!chosen || c->endpoint.address().is_loopback()) chosen = c->endpoint;
  }
  if (!chosen) return false;
  server_ = *chosen;
  if (server_.address().is_unspecified()) server_.address(asio::ip::make_address("127.0.0.1"));
  return true;
}

void LoopbackClient::start() { send_check(); }

void LoopbackClient::send_check() {
  std::array<std::uint8_t, 12> txid{};
  for (auto& b : txid) b = static_cast<std::uint8_t>(std::rand());
  stun::MessageBuilder b(stun::kBinding, stun::Class::request, txid);
  b.add_string(stun::attr::username, remote_.ufrag + ":" + local_.ufrag);
  b.add_u32(stun::attr::priority, 1853824767);
  b.add_u64(stun::attr::ice_controlling, 0x0102030405060708ull);
  b.add(stun::attr::use_candidate, {});
  const std::string key = options_.wrong_integrity ? std::string("wrong-password-wrong-pass") : remote_.pwd;
  auto msg = b.finish([&](std::span<const std::uint8_t> data) { return hmac_sha1(key, data); });
  send_raw(msg);
  schedule_check();
}

void LoopbackClient::schedule_check() {
  if (!consent_) return;
  check_timer_.expires_after(ice_answered_ ? options_.consent_interval : options_.check_interval);
  check_timer_.async_wait([this, alive = std::weak_ptr<char>(alive_)](const boost::system::error_code& ec) {
    if (ec || alive.expired() || !consent_) return;
    send_check();
  });
}

void LoopbackClient::send_raw(const std::vector<std::uint8_t>& data) {
  boost::system::error_code ec;
  socket_.send_to(asio::buffer(data), server_, 0, ec);
}

void LoopbackClient::do_receive() {
  socket_.async_receive_from(asio::buffer(rx_), from_,
                             [this, alive = std::weak_ptr<char>(alive_)](const boost::system::error_code& ec,
                                                                          std::size_t size) {
                               if (alive.expired() || ec == asio::error::operation_aborted) return;
                               if (!ec) on_datagram(size);
                               do_receive();
                             });
}

void LoopbackClient::on_datagram(std::size_t size) {
  std::span<std::uint8_t> data(rx_.data(), size);
  switch (stun::classify(data)) {
    case stun::PacketKind::stun: {
      auto m = stun::parse(data);
      if (!m) return;
      if (m->cls == stun::Class::request) {
        answer_check(data);
        return;
      }
      if (m->cls != stun::Class::success) return;
      ++stun_responses_;
      if (!ice_answered_) {
        ice_answered_ = true;
        start_dtls();
      }
      return;
    }
    case stun::PacketKind::dtls:
      if (dtls_) dtls_->on_datagram(data);
      arm_dtls_timer();
      return;
    case stun::PacketKind::rtp: {
      if (!srtp_in_) return;
      auto plain = srtp_in_->unprotect_rtp(data.data(), data.size());
      if (!plain) {
        ++srtp_errors_;
        return;
      }
      auto h = rtp::parse_rtp(data.first(*plain));
      if (!h) return;
      if (options_.on_rtp) {
        options_.on_rtp(h->sequence, h->payload);
        return;
      }
      rtp_.push_back(Received{h->payload_type, h->sequence, h->timestamp, h->ssrc, h->marker,
                              {h->payload.begin(), h->payload.end()}});
      return;
    }
    case stun::PacketKind::rtcp: {
      if (!srtp_in_) return;
      auto plain = srtp_in_->unprotect_rtcp(data.data(), data.size());
      if (!plain) {
        ++srtp_errors_;
        return;
      }
      rtcp_.emplace_back(data.begin(), data.begin() + static_cast<std::ptrdiff_t>(*plain));
      return;
    }
    case stun::PacketKind::unknown:
      return;
  }
}

void LoopbackClient::start_dtls() {
  dtls_ = std::make_unique<DtlsTransport>(certificate_, static_cast<DtlsTransport::Listener&>(*this));
  dtls_->set_remote_fingerprint("sha-256", remote_fingerprint_);
  dtls_->start(dtls_server_ ? DtlsRole::server : DtlsRole::client);
  arm_dtls_timer();
}

// A full ICE agent's check (USERNAME "<our ufrag>:<its ufrag>", keyed by our password): success with the source as
// XOR-MAPPED-ADDRESS. Only the integrity is checked; this is a test peer, not a hardened agent.
void LoopbackClient::answer_check(std::span<const std::uint8_t> data) {
  auto m = stun::parse(data);
  if (!m || m->method != stun::kBinding) return;
  auto covered = m->integrity_input();
  const auto* mi = m->find(stun::attr::message_integrity);
  if (!covered || !mi || mi->value.size() != 20) return;
  const auto mac = hmac_sha1(local_.pwd, *covered);
  if (!std::equal(mac.begin(), mac.end(), mi->value.begin())) return;
  stun::Address mapped;
  const auto a = from_.address();
  if (a.is_v4()) {
    const auto b = a.to_v4().to_bytes();
    std::copy(b.begin(), b.end(), mapped.bytes.begin());
  } else {
    mapped.v6 = true;
    const auto b = a.to_v6().to_bytes();
    std::copy(b.begin(), b.end(), mapped.bytes.begin());
  }
  mapped.port = from_.port();
  stun::MessageBuilder b(stun::kBinding, stun::Class::success, m->transaction_id);
  b.add_xor_mapped_address(mapped);
  auto msg = b.finish([&](std::span<const std::uint8_t> covered_bytes) { return hmac_sha1(local_.pwd, covered_bytes); });
  boost::system::error_code ec;
  socket_.send_to(asio::buffer(msg), from_, 0, ec);
  ++checks_answered_;
}

void LoopbackClient::arm_dtls_timer() {
  if (!dtls_) return;
  const auto t = dtls_->timeout();
  if (!t) return;
  dtls_timer_.expires_after(*t);
  dtls_timer_.async_wait([this, alive = std::weak_ptr<char>(alive_)](const boost::system::error_code& ec) {
    if (ec || alive.expired() || !dtls_) return;
    dtls_->on_timeout();
    arm_dtls_timer();
  });
}

void LoopbackClient::on_dtls_send(std::span<const std::uint8_t> datagram) {
  boost::system::error_code ec;
  socket_.send_to(asio::buffer(datagram.data(), datagram.size()), server_, 0, ec);
}

void LoopbackClient::on_dtls_connected(const SrtpKeys& keys) {
  auto in = SrtpSession::create(SrtpSession::Direction::inbound, keys.profile, keys.remote);
  auto out = SrtpSession::create(SrtpSession::Direction::outbound, keys.profile, keys.local);
  if (!in || !out) {
    dtls_failed_ = true;
    return;
  }
  srtp_in_ = std::move(*in);
  srtp_out_ = std::move(*out);
  connected_at_ = std::chrono::steady_clock::now();
}

void LoopbackClient::on_dtls_failed(const std::string& reason) { dtls_failed_ = true; }

bool LoopbackClient::send_rtp(std::uint8_t pt, std::uint32_t timestamp, const std::vector<std::uint8_t>& payload,
                              bool marker) {
  if (!srtp_out_) return false;
  std::vector<std::uint8_t> buf(rtp::kRtpHeaderSize + payload.size() + SrtpSession::kMaxTrailer);
  rtp::write_rtp_header(buf, rtp::RtpFields{marker, pt, seq_++, timestamp, ssrc_});
  std::copy(payload.begin(), payload.end(), buf.begin() + rtp::kRtpHeaderSize);
  auto size = srtp_out_->protect_rtp(buf.data(), rtp::kRtpHeaderSize + payload.size(), buf.size());
  if (!size) return false;
  buf.resize(*size);
  send_raw(buf);
  return true;
}

bool LoopbackClient::send_rtcp(const std::vector<std::uint8_t>& plain) {
  if (!srtp_out_) return false;
  std::vector<std::uint8_t> buf(plain.size() + SrtpSession::kMaxTrailer);
  std::copy(plain.begin(), plain.end(), buf.begin());
  auto size = srtp_out_->protect_rtcp(buf.data(), plain.size(), buf.size());
  if (!size) return false;
  buf.resize(*size);
  send_raw(buf);
  return true;
}

std::string LoopbackClient::dump() const {
  return "LoopbackClient{port=" + std::to_string(port()) + " ice=" + (ice_answered_ ? "yes" : "no") +
         " srtp=" + (connected() ? "yes" : "no") + " rtp=" + std::to_string(rtp_.size()) +
         " rtcp=" + std::to_string(rtcp_.size()) + (dtls_ ? " " + dtls_->dump() : std::string()) + "}";
}

}  // namespace portier::webrtc::test
