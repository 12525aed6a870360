#pragma once
// BindingStore in a map; survives a SipServer restart within one process (tests), not a process restart.
#include <map>
#include <string>

#include "sip/ua/binding_store.hpp"

namespace portier::sip::ua {

class InMemoryBindingStore final : public BindingStore {
 public:
  void save(const Binding& binding) override { bindings_[binding.aor + "\n" + binding.key()] = binding; }
  void remove(const Binding& binding) override { bindings_.erase(binding.aor + "\n" + binding.key()); }
  std::vector<Binding> load() override;
  std::size_t size() const { return bindings_.size(); }

 private:
  std::map<std::string, Binding> bindings_;
};

}  // namespace portier::sip::ua
