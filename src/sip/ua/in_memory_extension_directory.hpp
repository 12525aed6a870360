#pragma once
// ExtensionDirectory over a map; for tests, the interop test server and small setups.
#include <map>
#include <string>

#include "sip/ua/extension_directory.hpp"

namespace portier::sip::ua {

class InMemoryExtensionDirectory final : public ExtensionDirectory {
 public:
  void add(Extension e) { extensions_[e.number] = std::move(e); }
  void remove(const std::string& number) { extensions_.erase(number); }
  std::optional<Extension> find(std::string_view number) const override;

 private:
  std::map<std::string, Extension, std::less<>> extensions_;
};

}  // namespace portier::sip::ua
