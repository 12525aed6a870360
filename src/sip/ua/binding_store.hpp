#pragma once
// Port: persistence of registrations so that a restart keeps them. Calls come from the io_context thread on every
// change; an implementation over a database should batch or write asynchronously.
#include <vector>

#include "sip/ua/binding.hpp"

namespace portier::sip::ua {

class BindingStore {
 public:
  virtual ~BindingStore() = default;
  virtual void save(const Binding& binding) = 0;    // insert or replace (aor + key())
  virtual void remove(const Binding& binding) = 0;
  virtual std::vector<Binding> load() = 0;         // at start-up
};

}  // namespace portier::sip::ua
