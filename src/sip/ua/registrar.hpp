#pragma once
// RFC 3261 §10.3 registrar for already-authenticated REGISTERs: bindings per extension with min/max/default
// expiry, several contacts per AOR with q values, RFC 5626 +sip.instance/reg-id identity, removal by Expires: 0
// and "*", Call-ID/CSeq ordering, persistence through BindingStore and events through RegistrationListener.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "base/clock.hpp"
#include "sip/msg/message.hpp"
#include "sip/txn/peer.hpp"
#include "sip/ua/binding.hpp"
#include "sip/ua/binding_store.hpp"
#include "sip/ua/registration_listener.hpp"

namespace portier::sip::ua {

class Registrar {
 public:
  struct Options {
    std::uint32_t min_expires = 60;
    std::uint32_t max_expires = 3600;
    std::uint32_t default_expires = 3600;
    std::size_t max_contacts = 10;  // per AOR
  };

  struct Outcome {
    int status = 200;
    std::string reason;  // empty: the default phrase
    std::vector<std::pair<std::string, std::string>> headers;
  };

  Registrar(BindingStore& store, const Clock& clock, RegistrationListener* listener, Options options);

  // Loads persisted bindings, dropping those that expired while we were down.
  void restore();
  // `aor` is the authenticated extension number (the To user has been checked against it).
  Outcome handle(const msg::Message& request, const std::string& aor, const txn::Peer& source);
  // A copy of the REGISTER that made the current bindings (same Call-ID, CSeq equal to a binding's): a
  // retransmission after our 200 was lost, which a stateless registrar sees again. §10.3 step 7 would refuse it
  // (CSeq not higher); it gets the same 200 with the current bindings instead, and nothing changes.
  // nullopt when `request` is not such a copy. handle() checks this first.
  std::optional<Outcome> duplicate(const msg::Message& request, const std::string& aor);
  // The answer to a request known to be a copy of one already served (its digest credentials were used by the
  // byte-identical request): the current bindings, nothing changes, even when other requests changed them since.
  Outcome repeat(const std::string& aor);
  // Removes expired bindings (call once a second).
  void expire();

  std::vector<Binding> bindings(std::string_view aor) const;
  std::vector<Binding> all() const;
  std::size_t count() const { return count_; }
  std::uint64_t duplicates() const { return duplicates_; }
  std::string dump() const;

 private:
  struct Change {
    Binding binding;  // from the request's contact
    std::string key;  // binding.key()
    std::uint32_t expires;
  };
  Outcome update(const msg::Message& request, const std::string& aor, const txn::Peer& source);
  Outcome remove_all(const msg::Message& request, const std::string& aor);
  Outcome current(const std::string& aor) const;
  void remove_binding(std::vector<Binding>& list, std::size_t i, bool expired);

  BindingStore& store_;
  const Clock& clock_;
  RegistrationListener* listener_;
  Options options_;
  std::unordered_map<std::string, std::vector<Binding>> by_aor_;
  std::size_t count_ = 0;
  std::uint64_t duplicates_ = 0;
};

}  // namespace portier::sip::ua
