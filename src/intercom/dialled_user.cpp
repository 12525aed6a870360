#include "intercom/dialled_user.hpp"

#include "sip/msg/uri.hpp"

namespace portier::intercom {

std::string dialled_user(std::string_view request_uri) {
  auto uri = sip::msg::parse_uri(request_uri);
  return uri ? std::string(uri->user) : std::string();
}

}  // namespace portier::intercom
