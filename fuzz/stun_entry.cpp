#include <cstdlib>
#include <string_view>
#include <vector>

#include "fuzz_entries.hpp"
#include "webrtc/ice/ice_candidate.hpp"
#include "webrtc/ice/ice_lite_agent.hpp"
#include "webrtc/stun/stun_message.hpp"

namespace portier::fuzz {
namespace {

using namespace portier::webrtc;

const IceCredentials kLocal{"fuzz", "fuzzpassword0123456789"};

// The agent's answer, when there is one, must be a well-formed STUN message with a valid FINGERPRINT.
void run_agent(IceLiteAgent& agent, std::span<const std::uint8_t> datagram) {
  const boost::asio::ip::udp::endpoint from(boost::asio::ip::make_address_v4("192.0.2.1"), 5000);
  const auto out = agent.on_stun(datagram, from, Clock::SteadyTime{});
  if (!out.response.empty()) {
    auto r = stun::parse(out.response);
    if (!r || !stun::fingerprint_ok(*r) || r->cls == stun::Class::request) std::abort();
  }
  (void)agent.tick(Clock::SteadyTime{} + std::chrono::seconds(31));
  (void)agent.dump();
}

// Re-signs the parsed attributes with the agent's password so that the fuzzer reaches the authenticated paths.
std::vector<std::uint8_t> resign(const stun::Message& m) {
  stun::MessageBuilder b(m.method, m.cls, m.transaction_id);
  for (const auto& a : m.attributes)
    if (a.type != stun::attr::message_integrity && a.type != stun::attr::fingerprint) b.add(a.type, a.value);
  return b.finish([](std::span<const std::uint8_t> d) { return hmac_sha1(kLocal.pwd, d); }, true);
}

}  // namespace

int stun(const std::uint8_t* data, std::size_t size) {
  const std::span<const std::uint8_t> in(data, size);
  IceLiteAgent agent(kLocal, IceLiteAgent::Options{});
  run_agent(agent, in);
  if (auto m = stun::parse(in)) {
    if (!stun::looks_like_stun(in)) std::abort();
    (void)m->dump();
    (void)m->username();
    (void)m->priority();
    (void)m->xor_mapped_address();
    (void)m->error_code();
    (void)stun::fingerprint_ok(*m);
    if (auto input = m->integrity_input(); input && input->size() > size) std::abort();
    if (size > 60000) return 0;  // re-signing adds 32 bytes: stay under the 16-bit length
    const auto signed_copy = resign(*m);
    auto again = stun::parse(signed_copy);
    if (!again || !stun::fingerprint_ok(*again) || again->method != m->method) std::abort();
    run_agent(agent, signed_copy);
  }
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  if (auto c = parse_candidate(text)) {
    auto back = parse_candidate(c->line());
    if (!back || back->line() != c->line()) std::abort();
    agent.add_remote_candidate(*c);
  }
  return 0;
}

}  // namespace portier::fuzz
