#include "sip/ua/in_memory_extension_directory.hpp"

namespace portier::sip::ua {

std::optional<Extension> InMemoryExtensionDirectory::find(std::string_view number) const {
  auto it = extensions_.find(number);
  if (it == extensions_.end()) return std::nullopt;
  return it->second;
}

}  // namespace portier::sip::ua
