#include <cstdlib>
#include <string>
#include <string_view>

#include "fuzz_entries.hpp"
#include "sdp/offer_answer.hpp"
#include "sdp/parser.hpp"
#include "sdp/serializer.hpp"

namespace portier::fuzz {

int sdp(const std::uint8_t* data, std::size_t size) {
  using namespace portier::sdp;
  const std::string_view in(reinterpret_cast<const char*>(data), size);
  auto offer = parse(in);
  if (!offer) return 0;
  (void)offer->dump();
  for (const auto& m : offer->media) {
    for (int pt : m.payload_types()) {
      (void)m.rtpmap(pt);
      (void)m.fmtp(pt);
    }
    (void)m.ptime();
    (void)m.rtcp();
    (void)offer->direction_for(m);
    (void)offer->connection_for(m);
  }
  // What we print must parse back to the same text.
  const auto text = serialize(*offer);
  auto again = parse(text);
  if (!again || serialize(*again) != text) std::abort();

  LocalMedia local;
  local.address = "192.0.2.1";
  local.port = 10000;
  auto answer = create_answer(*offer, local);
  if (!answer) return 0;
  // Our answer must be valid SDP that the offerer's side accepts.
  auto answer_back = parse(serialize(answer->sdp));
  if (!answer_back) std::abort();
  if (!accept_answer(*offer, *answer_back, local)) std::abort();
  return 0;
}

}  // namespace portier::fuzz
