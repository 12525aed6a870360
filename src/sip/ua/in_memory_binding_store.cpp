#include "sip/ua/in_memory_binding_store.hpp"

namespace portier::sip::ua {

std::vector<Binding> InMemoryBindingStore::load() {
  std::vector<Binding> out;
  out.reserve(bindings_.size());
  for (const auto& [key, b] : bindings_) out.push_back(b);
  return out;
}

}  // namespace portier::sip::ua
