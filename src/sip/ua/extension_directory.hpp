#pragma once
// Port: where extensions come from. The application implements it over its config and store; the SIP layer only
// looks numbers up (on every REGISTER, so keep it fast and non-blocking).
#include <optional>
#include <string_view>

#include "sip/ua/extension.hpp"

namespace portier::sip::ua {

class ExtensionDirectory {
 public:
  virtual ~ExtensionDirectory() = default;
  virtual std::optional<Extension> find(std::string_view number) const = 0;
};

}  // namespace portier::sip::ua
