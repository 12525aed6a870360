#include "sip/msg/message.hpp"

#include "base/error.hpp"
#include "base/strings.hpp"
#include "sip/msg/lexer.hpp"

namespace portier::sip::msg {

std::string_view Message::header(HeaderId id) const {
  for (const auto& h : headers_) {
    if (h.id == id) return h.value;
  }
  return {};
}

std::string_view Message::header(std::string_view name) const {
  const auto id = header_id(name);
  if (id != HeaderId::other) return header(id);
  for (const auto& h : headers_) {
    if (h.id == HeaderId::other && iequals(h.name, name)) return h.value;
  }
  return {};
}

bool Message::has(HeaderId id) const { return count(id) > 0; }

std::size_t Message::count(HeaderId id) const {
  std::size_t n = 0;
  for (const auto& h : headers_) n += h.id == id ? 1 : 0;
  return n;
}

Result<std::vector<std::string_view>> Message::values(HeaderId id) const {
  std::vector<std::string_view> out;
  for (const auto& h : headers_) {
    if (h.id != id) continue;
    auto parts = split_top_level(h.value, ',');
    if (!parts) return Error(errc::invalid_argument, "unbalanced quotes in " + std::string(h.name));
    out.insert(out.end(), parts->begin(), parts->end());
  }
  return out;
}

std::vector<std::string_view> Message::lines(HeaderId id) const {
  std::vector<std::string_view> out;
  for (const auto& h : headers_) {
    if (h.id == id) out.push_back(h.value);
  }
  return out;
}

Result<Via> Message::parse_top_via() const {
  for (const auto& h : headers_) {
    if (h.id != HeaderId::via) continue;
    const auto comma = find_top_level(h.value, ',');
    return parse_via(h.value.substr(0, comma));
  }
  return Error(errc::invalid_argument, "missing Via");
}

void Message::parse_common() {
  top_via_ = parse_top_via();
  from_ = parse_from_to(HeaderId::from);
  to_ = parse_from_to(HeaderId::to);
  cseq_ = parse_cseq_header();
}

Result<std::vector<Via>> Message::vias() const {
  auto vals = values(HeaderId::via);
  if (!vals) return vals.error();
  std::vector<Via> out;
  out.reserve(vals->size());
  for (auto v : *vals) {
    auto via = parse_via(v);
    if (!via) return via.error();
    out.push_back(*via);
  }
  return out;
}

Result<CSeq> Message::parse_cseq_header() const {
  if (!has(HeaderId::cseq)) return Error(errc::invalid_argument, "missing CSeq");
  return parse_cseq(header(HeaderId::cseq));
}

Result<NameAddr> Message::parse_from_to(HeaderId id) const {
  if (count(id) != 1) {
    return Error(errc::invalid_argument, id == HeaderId::from ? "need exactly one From" : "need exactly one To");
  }
  return parse_name_addr(header(id));
}

Result<ContactList> Message::contacts() const { return parse_contacts(lines(HeaderId::contact)); }

std::optional<std::uint32_t> Message::expires() const {
  if (!has(HeaderId::expires)) return std::nullopt;
  return parse_uint(trim_lws(header(HeaderId::expires)));
}

Result<std::optional<std::uint32_t>> Message::max_forwards() const {
  if (!has(HeaderId::max_forwards)) return std::optional<std::uint32_t>{};
  auto v = parse_uint(trim_lws(header(HeaderId::max_forwards)), 255);
  if (!v) return Error(errc::invalid_argument, "bad Max-Forwards");
  return std::optional<std::uint32_t>{*v};
}

std::string Message::dump() const {
  std::string out = is_request() ? "Request{" + std::string(method_) + " " + std::string(request_uri_)
                                 : "Response{" + std::to_string(status_) + " " + std::string(reason_);
  out += " call-id=" + std::string(call_id()) + " cseq=" + std::string(header(HeaderId::cseq)) +
         " headers=" + std::to_string(headers_.size()) + " body=" + std::to_string(body_.size()) + "}";
  return out;
}

}  // namespace portier::sip::msg
