#include <cstdlib>
#include <string>
#include <string_view>

#include "fuzz_entries.hpp"
#include "sip/msg/digest_params.hpp"
#include "sip/msg/message_builder.hpp"
#include "sip/msg/parser.hpp"
#include "sip/msg/stream_framer.hpp"

namespace portier::fuzz {
namespace {

using namespace portier::sip::msg;

void exercise(const Message& m) {
  (void)m.top_via();
  (void)m.vias();
  (void)m.cseq();
  (void)m.from();
  (void)m.to();
  (void)m.contacts();
  (void)m.expires();
  (void)m.max_forwards();
  (void)m.values(HeaderId::route);
  (void)m.dump();
  for (auto line : m.lines(HeaderId::authorization)) (void)parse_digest(line);
  if (m.is_request()) {
    (void)parse_uri(m.request_uri());
    if (!validate_request(m)) return;
    // Whatever we answer to a valid request must itself be a valid response.
    const auto text = make_response(m, 400, {}, "tag1", "SIP/2.0/UDP 127.0.0.1;branch=z9hG4bKf;rport=5060")
                          .add("Warning", "399 portier \"fuzz\"")
                          .serialize();
    auto back = parse_message(text);
    if (!back || !validate_response(*back)) std::abort();
  }
}

}  // namespace

int sip_message(const std::uint8_t* data, std::size_t size) {
  const std::string_view in(reinterpret_cast<const char*>(data), size);
  if (auto m = parse_message(in)) exercise(*m);
  // As a TCP stream: frame until the buffer is used up or broken.
  std::string_view rest = in;
  for (int i = 0; i < 64 && !rest.empty(); ++i) {
    auto f = next_frame(rest);
    if (!f || f->kind == Frame::Kind::need_more) break;
    if (f->size == 0 || f->size > rest.size()) std::abort();
    if (f->kind == Frame::Kind::message) {
      if (auto m = parse_message(rest.substr(0, f->size))) exercise(*m);
    }
    rest.remove_prefix(f->size);
  }
  return 0;
}

}  // namespace portier::fuzz
