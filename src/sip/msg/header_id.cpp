#include "sip/msg/header_id.hpp"

#include <array>

#include "base/strings.hpp"

namespace portier::sip::msg {
namespace {

struct Entry {
  std::string_view name;
  char compact;  // 0 when the header has none
  HeaderId id;
  bool list;
};

constexpr std::array kHeaders{
    Entry{"Via", 'v', HeaderId::via, true},
    Entry{"From", 'f', HeaderId::from, false},
    Entry{"To", 't', HeaderId::to, false},
    Entry{"Call-ID", 'i', HeaderId::call_id, false},
    Entry{"CSeq", 0, HeaderId::cseq, false},
    Entry{"Contact", 'm', HeaderId::contact, true},
    Entry{"Route", 0, HeaderId::route, true},
    Entry{"Record-Route", 0, HeaderId::record_route, true},
    Entry{"Max-Forwards", 0, HeaderId::max_forwards, false},
    Entry{"Content-Length", 'l', HeaderId::content_length, false},
    Entry{"Content-Type", 'c', HeaderId::content_type, false},
    Entry{"Content-Encoding", 'e', HeaderId::content_encoding, true},
    Entry{"Authorization", 0, HeaderId::authorization, false},
    Entry{"Proxy-Authorization", 0, HeaderId::proxy_authorization, false},
    Entry{"WWW-Authenticate", 0, HeaderId::www_authenticate, false},
    Entry{"Proxy-Authenticate", 0, HeaderId::proxy_authenticate, false},
    Entry{"Expires", 0, HeaderId::expires, false},
    Entry{"Min-Expires", 0, HeaderId::min_expires, false},
    Entry{"User-Agent", 0, HeaderId::user_agent, false},
    Entry{"Server", 0, HeaderId::server, false},
    Entry{"Allow", 0, HeaderId::allow, true},
    Entry{"Supported", 'k', HeaderId::supported, true},
    Entry{"Require", 0, HeaderId::require, true},
    Entry{"Proxy-Require", 0, HeaderId::proxy_require, true},
    Entry{"Unsupported", 0, HeaderId::unsupported, true},
    Entry{"Accept", 0, HeaderId::accept, true},
    Entry{"Subject", 's', HeaderId::subject, false},
    Entry{"Event", 'o', HeaderId::event, false},
    Entry{"Path", 0, HeaderId::path, true},
    Entry{"Session-Expires", 'x', HeaderId::session_expires, false},
    Entry{"Min-SE", 0, HeaderId::min_se, false},
    Entry{"Retry-After", 0, HeaderId::retry_after, false},
};

const Entry* find(HeaderId id) {
  for (const auto& e : kHeaders) {
    if (e.id == id) return &e;
  }
  return nullptr;
}

}  // namespace

HeaderId header_id(std::string_view name) {
  if (name.size() == 1) {
    const char c = static_cast<char>(name[0] | 0x20);
    for (const auto& e : kHeaders) {
      if (e.compact == c) return e.id;
    }
    return HeaderId::other;
  }
  // The length check first: it rules out almost every entry without a call (this runs for every header line).
  for (const auto& e : kHeaders) {
    if (e.name.size() == name.size() && iequals(e.name, name)) return e.id;
  }
  return HeaderId::other;
}

std::string_view header_name(HeaderId id) {
  const auto* e = find(id);
  return e ? e->name : std::string_view{};
}

bool is_list_header(HeaderId id) {
  const auto* e = find(id);
  return e && e->list;
}

}  // namespace portier::sip::msg
