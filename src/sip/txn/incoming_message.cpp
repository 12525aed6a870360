#include "sip/txn/incoming_message.hpp"

#include "base/strings.hpp"
#include "sip/msg/params.hpp"

namespace portier::sip::txn {

std::string IncomingMessage::dump() const { return message.dump() + " from " + source.to_string(); }

std::string stamp_via(const msg::Via& via, const Peer& source) {
  std::string out(via.protocol);
  out.push_back('/');
  out.append(via.transport).push_back(' ');
  out.append(via.host);
  if (via.port != 0) out.append(":").append(std::to_string(via.port));
  bool rport = false;
  {
    msg::ParamCursor params(via.params);
    msg::Param p;
    while (params.next(p)) {
      if (iequals(p.name, "rport")) {
        rport = true;
        continue;
      }
      if (iequals(p.name, "received")) continue;
      out.push_back(';');
      out.append(p.name);
      if (p.has_value) out.append("=").append(p.value);
    }
  }
  // received is always added: cheap, and correct whenever the sent-by is a name or a private address.
  out.append(";received=").append(source.address);
  if (rport) out.append(";rport=").append(std::to_string(source.port));
  return out;
}

Result<IncomingMessage> make_incoming(std::string_view data, const Peer& source, const msg::Limits& limits) {
  IncomingMessage in;
  in.buffer = std::make_unique<std::string>(data);
  auto parsed = msg::parse_message(*in.buffer, limits);
  if (!parsed) return parsed.error();
  in.message = std::move(parsed).value();
  in.source = source;
  if (in.message.is_request()) {
    if (auto via = in.message.top_via()) in.top_via = stamp_via(*via, source);
  }
  return in;
}

}  // namespace portier::sip::txn
