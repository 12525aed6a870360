#include "sip/ua/binding.hpp"

#include "base/strings.hpp"
#include "sip/msg/uri.hpp"

namespace portier::sip::ua {

std::string Binding::key() const {
  if (!instance.empty()) return "instance:" + instance + ";reg-id=" + std::to_string(reg_id);
  auto uri = msg::parse_uri(contact);
  if (!uri) return contact;
  auto key = uri->aor();
  if (auto t = uri->param("transport")) key += ";transport=" + to_lower(*t);
  return key;
}

bool Binding::behind_nat() const {
  auto uri = msg::parse_uri(contact);
  if (!uri || !uri->is_sip()) return false;
  const auto port = uri->port != 0 ? uri->port : (uri->is_sips() ? 5061 : 5060);
  std::string_view host = uri->host;
  if (host.size() > 2 && host.front() == '[') host = host.substr(1, host.size() - 2);
  return host != source.address || port != source.port;
}

std::string Binding::dump() const {
  return "Binding{" + aor + " " + contact + (instance.empty() ? "" : " instance=" + instance) + " via " +
         source.to_string() + " expires=" + format_iso8601(expires_at) + "}";
}

}  // namespace portier::sip::ua
