#include "sip/ua/dialog.hpp"

#include <algorithm>

#include "base/error.hpp"
#include "sip/msg/lexer.hpp"
#include "sip/msg/params.hpp"

namespace portier::sip::ua {
namespace {

// The Contact URI of a dialog-forming message or target refresh; empty when absent or unusable.
std::string contact_uri(const msg::Message& m) {
  auto contacts = m.contacts();
  if (!contacts || contacts->star || contacts->contacts.empty()) return {};
  return std::string(contacts->contacts.front().uri_text);
}

std::vector<std::string> record_route(const msg::Message& m) {
  std::vector<std::string> out;
  auto values = m.values(msg::HeaderId::record_route);
  if (!values) return out;
  for (auto v : *values) out.emplace_back(msg::trim_lws(v));
  return out;
}

}  // namespace

std::string dialog_key(std::string_view call_id, std::string_view local_tag, std::string_view remote_tag) {
  std::string key;
  key.reserve(call_id.size() + local_tag.size() + remote_tag.size() + 2);
  key.append(call_id).append("|").append(local_tag).append("|").append(remote_tag);
  return key;
}

std::string_view state_name(Dialog::State s) {
  switch (s) {
    case Dialog::State::early: return "early";
    case Dialog::State::confirmed: return "confirmed";
    case Dialog::State::terminated: return "terminated";
  }
  return "?";
}

Result<Dialog> Dialog::create_uas(const msg::Message& invite, std::string local_tag, std::string local_contact,
                                  txn::Peer peer) {
  auto from = invite.from();
  auto cseq = invite.cseq();
  if (!from || !cseq) return Error(errc::invalid_argument, "bad From or CSeq");
  Dialog d;
  d.remote_target_ = contact_uri(invite);
  if (d.remote_target_.empty()) return Error(errc::invalid_argument, "missing Contact");
  d.uac_ = false;
  d.call_id_ = std::string(invite.call_id());
  d.local_tag_ = std::move(local_tag);
  d.remote_tag_ = std::string(from->tag());
  d.remote_party_ = std::string(invite.header(msg::HeaderId::from));
  d.local_party_ = std::string(invite.header(msg::HeaderId::to)) + ";tag=" + d.local_tag_;
  d.route_set_ = record_route(invite);  // §12.1.1: in order
  d.remote_cseq_ = cseq->number;
  d.local_cseq_ = 0;  // §12.1.1: empty; our first request picks a number
  d.local_contact_ = std::move(local_contact);
  d.peer_ = std::move(peer);
  return d;
}

Result<Dialog> Dialog::create_uac(const UacRequest& sent, const msg::Message& response) {
  auto to = response.to();
  if (!to || to->tag().empty()) return Error(errc::invalid_argument, "response without To tag");
  Dialog d;
  d.uac_ = true;
  d.state_ = response.status() < 200 ? State::early : State::confirmed;
  d.call_id_ = sent.call_id;
  d.local_tag_ = sent.local_tag;
  d.remote_tag_ = std::string(to->tag());
  d.local_party_ = sent.from;
  d.remote_party_ = std::string(response.header(msg::HeaderId::to));
  d.remote_target_ = contact_uri(response);
  if (d.remote_target_.empty()) d.remote_target_ = sent.request_uri;  // tolerate a 2xx without Contact
  d.route_set_ = record_route(response);
  std::reverse(d.route_set_.begin(), d.route_set_.end());  // §12.1.2: reverse order
  d.local_cseq_ = sent.cseq;
  d.local_contact_ = sent.local_contact;
  d.peer_ = sent.peer;
  return d;
}

msg::MessageBuilder Dialog::make_request(std::string_view method) {
  if (method != "ACK" && method != "CANCEL") ++local_cseq_;
  std::string_view uri = remote_target_;
  std::vector<std::string_view> routes(route_set_.begin(), route_set_.end());
  bool strict = false;
  if (!routes.empty()) {
    auto first = msg::parse_name_addr(routes.front());
    strict = !first || !first->uri.param("lr").has_value();
  }
  std::string strict_uri;
  if (strict) {
    // §12.2.1.1 strict routing: the first route becomes the Request-URI, the remote target the last route.
    auto first = msg::parse_name_addr(routes.front());
    strict_uri = first ? std::string(first->uri_text) : std::string(routes.front());
    uri = strict_uri;
    routes.erase(routes.begin());
  }
  auto b = msg::MessageBuilder::request(method, uri);
  b.add("Max-Forwards", "70");
  b.add("From", local_party_);
  b.add("To", remote_party_);
  b.add("Call-ID", call_id_);
  b.add("CSeq", std::to_string(local_cseq_) + " " + std::string(method));
  for (auto r : routes) b.add("Route", r);
  if (strict) b.add("Route", "<" + remote_target_ + ">");
  return b;
}

msg::MessageBuilder Dialog::make_ack(std::uint32_t invite_cseq) const {
  Dialog copy = *this;
  auto b = copy.make_request("ACK");
  b.set("CSeq", std::to_string(invite_cseq) + " ACK");
  return b;
}

bool Dialog::accept_remote_cseq(std::uint32_t cseq) {
  if (remote_cseq_ != 0 && cseq <= remote_cseq_) return false;
  remote_cseq_ = cseq;
  return true;
}

void Dialog::refresh_target(const msg::Message& m) {
  auto uri = contact_uri(m);
  if (!uri.empty()) remote_target_ = std::move(uri);
}

std::string Dialog::dump() const {
  return "Dialog{" + std::string(uac_ ? "uac " : "uas ") + std::string(state_name(state_)) + " " + key() +
         " target=" + remote_target_ + " routes=" + std::to_string(route_set_.size()) +
         " cseq=" + std::to_string(local_cseq_) + "/" + std::to_string(remote_cseq_) + " peer=" + peer_.to_string() +
         "}";
}

}  // namespace portier::sip::ua
