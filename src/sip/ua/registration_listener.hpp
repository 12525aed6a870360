#pragma once
// Upward notifications about registrations, implemented by the owner of the SipServer (the application).
#include "sip/ua/binding.hpp"

namespace portier::sip::ua {

class RegistrationListener {
 public:
  virtual ~RegistrationListener() = default;
  virtual void on_binding_registered(const Binding& binding) { (void)binding; }    // new contact
  virtual void on_binding_refreshed(const Binding& binding) { (void)binding; }     // re-REGISTER
  virtual void on_binding_unregistered(const Binding& binding) { (void)binding; }  // Expires: 0 or *
  virtual void on_binding_expired(const Binding& binding) { (void)binding; }       // not refreshed in time
};

}  // namespace portier::sip::ua
