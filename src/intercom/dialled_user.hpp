#pragma once
// Whom an INVITE is for: the user part of its Request-URI ("sip:7000@portier.local;user=phone" -> "7000"), "" when
// the URI has none or does not parse.
#include <string>
#include <string_view>

namespace portier::intercom {

std::string dialled_user(std::string_view request_uri);

}  // namespace portier::intercom
