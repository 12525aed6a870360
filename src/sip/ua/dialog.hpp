#pragma once
// RFC 3261 §12 dialog state of one INVITE dialog, UAC or UAS: identity (Call-ID, local and remote tag), CSeq
// counters, route set from Record-Route, remote target from Contact, and the request builder for in-dialog
// requests (loose and strict routing, §12.2.1.1). In-dialog requests go to `peer`: the flow the dialog was made
// on (the phone behind its NAT, or the first proxy), which is also where the first route points in practice.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.hpp"
#include "sip/msg/message.hpp"
#include "sip/msg/message_builder.hpp"
#include "sip/txn/peer.hpp"

namespace portier::sip::ua {

// Key of a dialog in the tables of CallLegs: Call-ID, local tag, remote tag.
std::string dialog_key(std::string_view call_id, std::string_view local_tag, std::string_view remote_tag);

class Dialog {
 public:
  enum class State { early, confirmed, terminated };

  // What a UAC kept of the INVITE it sent.
  struct UacRequest {
    std::string call_id;
    std::string from;          // our From header value, with our tag
    std::string local_tag;
    std::string request_uri;   // the remote target until a Contact replaces it
    std::uint32_t cseq = 1;
    std::string local_contact;  // our Contact value ("<sip:...>")
    txn::Peer peer;
  };

  // UAS (§12.1.1): from the INVITE and the tag we put into our To. Error when it has no usable Contact.
  static Result<Dialog> create_uas(const msg::Message& invite, std::string local_tag, std::string local_contact,
                                   txn::Peer peer);
  // UAC (§12.1.2): from our INVITE and a 1xx/2xx that carries a To tag. A 1xx makes an early dialog.
  static Result<Dialog> create_uac(const UacRequest& sent, const msg::Message& response);

  // The next request in this dialog (§12.2.1.1), with a new local CSeq; the caller adds Contact, body and Via
  // comes from the transaction layer.
  msg::MessageBuilder make_request(std::string_view method);
  // The ACK for a 2xx to our (re-)INVITE with CSeq `invite_cseq` (§13.2.2.4).
  msg::MessageBuilder make_ack(std::uint32_t invite_cseq) const;
  // §12.2.2: a request with a CSeq below the last one is out of order (answer 500). Records the new number.
  bool accept_remote_cseq(std::uint32_t cseq);
  // Target refresh (§12.2: re-INVITE, UPDATE and their 2xx): a Contact replaces the remote target.
  void refresh_target(const msg::Message& m);

  void confirm() { state_ = State::confirmed; }
  void terminate() { state_ = State::terminated; }

  State state() const { return state_; }
  bool is_uac() const { return uac_; }
  const std::string& call_id() const { return call_id_; }
  const std::string& local_tag() const { return local_tag_; }
  const std::string& remote_tag() const { return remote_tag_; }
  std::string key() const { return dialog_key(call_id_, local_tag_, remote_tag_); }
  const std::string& local_party() const { return local_party_; }    // From value of our requests (with tag)
  const std::string& remote_party() const { return remote_party_; }  // To value of our requests (with tag)
  const std::string& remote_target() const { return remote_target_; }
  const std::vector<std::string>& route_set() const { return route_set_; }
  std::uint32_t local_cseq() const { return local_cseq_; }
  std::uint32_t remote_cseq() const { return remote_cseq_; }
  const std::string& local_contact() const { return local_contact_; }
  const txn::Peer& peer() const { return peer_; }
  std::string dump() const;

 private:
  Dialog() = default;

  State state_ = State::early;
  bool uac_ = false;
  std::string call_id_;
  std::string local_tag_;
  std::string remote_tag_;
  std::string local_party_;
  std::string remote_party_;
  std::string remote_target_;
  std::vector<std::string> route_set_;  // Route values in the order they go into our requests
  std::uint32_t local_cseq_ = 0;
  std::uint32_t remote_cseq_ = 0;       // 0: none seen yet (a UAC dialog before the peer's first request)
  std::string local_contact_;
  txn::Peer peer_;
};

std::string_view state_name(Dialog::State s);

}  // namespace portier::sip::ua
