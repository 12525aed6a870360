#include "sip/ua/registrar.hpp"

#include <algorithm>
#include <optional>

#include "base/log.hpp"
#include "sip/msg/lexer.hpp"
#include "sip/msg/name_addr.hpp"

namespace portier::sip::ua {
namespace {

using namespace std::chrono;

// "1", "0.5", "0.125" -> thousandths; nullopt when out of range or malformed.
std::optional<std::uint16_t> parse_q(std::string_view q) {
  if (q.empty() || q.size() > 5) return std::nullopt;
  if (q[0] != '0' && q[0] != '1') return std::nullopt;
  unsigned value = static_cast<unsigned>(q[0] - '0') * 1000;
  if (q.size() > 1) {
    if (q[1] != '.') return std::nullopt;
    unsigned scale = 100;
    for (char c : q.substr(2)) {
      if (c < '0' || c > '9') return std::nullopt;
      value += static_cast<unsigned>(c - '0') * scale;
      scale /= 10;
    }
  }
  if (value > 1000) return std::nullopt;
  return static_cast<std::uint16_t>(value);
}

std::string format_q(std::uint16_t q) {
  if (q >= 1000) return "1";
  std::string s = "0." + std::to_string(1000 + q).substr(1);
  while (s.back() == '0') s.pop_back();
  return s == "0." ? "0" : s;
}

Binding make_binding(const msg::NameAddr& c, const msg::Message& request, const std::string& aor,
                     const txn::Peer& source) {
  Binding b;
  b.aor = aor;
  b.contact = std::string(c.uri_text);
  if (auto inst = c.param("+sip.instance")) b.instance = std::string(*inst);
  if (auto reg = c.param("reg-id")) b.reg_id = msg::parse_uint(*reg).value_or(0);
  if (auto q = c.param("q")) b.q_milli = parse_q(*q).value_or(1000);
  b.call_id = std::string(request.call_id());
  b.cseq = request.cseq()->number;
  b.source = source;
  b.user_agent = std::string(request.header(msg::HeaderId::user_agent).substr(0, 128));
  return b;
}

}  // namespace

Registrar::Registrar(BindingStore& store, const Clock& clock, RegistrationListener* listener, Options options)
    : store_(store), clock_(clock), listener_(listener), options_(options) {}

void Registrar::restore() {
  const auto now = clock_.now();
  for (auto& b : store_.load()) {
    if (b.expires_at <= now) {
      store_.remove(b);
      continue;
    }
    by_aor_[b.aor].push_back(std::move(b));
    ++count_;
  }
  log::get("sip")->info("registrar: restored {} bindings", count_);
}

Registrar::Outcome Registrar::current(const std::string& aor) const {
  Outcome out;
  const auto now = clock_.now();
  auto it = by_aor_.find(aor);
  if (it != by_aor_.end()) {
    for (const auto& b : it->second) {
      const auto left = ceil<seconds>(b.expires_at - now).count();
      std::string v = "<" + b.contact + ">;expires=" + std::to_string(std::max<long long>(left, 0));
      if (b.q_milli != 1000) v += ";q=" + format_q(b.q_milli);
      if (!b.instance.empty()) v += ";+sip.instance=\"" + b.instance + "\"";
      if (b.reg_id != 0) v += ";reg-id=" + std::to_string(b.reg_id);
      out.headers.emplace_back("Contact", std::move(v));
    }
  }
  return out;
}

void Registrar::remove_binding(std::vector<Binding>& list, std::size_t i, bool expired) {
  auto b = std::move(list[i]);
  list.erase(list.begin() + static_cast<std::ptrdiff_t>(i));
  --count_;
  store_.remove(b);
  if (listener_) expired ? listener_->on_binding_expired(b) : listener_->on_binding_unregistered(b);
}

Registrar::Outcome Registrar::remove_all(const msg::Message& request, const std::string& aor) {
  if (request.expires() != 0u) return Outcome{400, "Contact * requires Expires: 0", {}};
  auto it = by_aor_.find(aor);
  if (it != by_aor_.end()) {
    const auto cseq = request.cseq()->number;
    for (const auto& b : it->second) {
      if (b.call_id == request.call_id() && cseq <= b.cseq) return Outcome{500, "Out of order CSeq", {}};
    }
    while (!it->second.empty()) remove_binding(it->second, it->second.size() - 1, false);
    by_aor_.erase(it);
  }
  return Outcome{};
}

std::optional<Registrar::Outcome> Registrar::duplicate(const msg::Message& request, const std::string& aor) {
  auto it = by_aor_.find(aor);
  const auto& cseq = request.cseq();
  if (it == by_aor_.end() || !cseq) return std::nullopt;
  const auto call_id = request.call_id();
  for (const auto& b : it->second) {
    if (b.cseq == cseq->number && b.call_id == call_id) {
      ++duplicates_;
      return current(aor);
    }
  }
  return std::nullopt;
}

Registrar::Outcome Registrar::repeat(const std::string& aor) {
  ++duplicates_;
  return current(aor);
}

Registrar::Outcome Registrar::handle(const msg::Message& request, const std::string& aor, const txn::Peer& source) {
  if (auto copy = duplicate(request, aor)) return std::move(*copy);
  auto out = update(request, aor, source);
  // A rejected first REGISTER must not leave an empty entry behind.
  if (auto it = by_aor_.find(aor); it != by_aor_.end() && it->second.empty()) by_aor_.erase(it);
  return out;
}

Registrar::Outcome Registrar::update(const msg::Message& request, const std::string& aor, const txn::Peer& source) {
  auto contacts = request.contacts();
  if (!contacts) return Outcome{400, "Bad Contact", {}};
  if (contacts->star) return remove_all(request, aor);
  const auto header_expires = request.expires();
  auto& list = by_aor_[aor];
  // Binding keys parse the contact URI: each is computed once per request, for the AOR's bindings and the new ones.
  std::vector<std::string> keys;
  keys.reserve(list.size());
  for (const auto& b : list) keys.push_back(b.key());
  auto find_key = [&keys](const std::string& key) {
    return static_cast<std::size_t>(std::find(keys.begin(), keys.end(), key) - keys.begin());
  };
  // First decide everything, so that a rejected request changes nothing.
  std::vector<Change> changes;
  changes.reserve(contacts->contacts.size());
  std::size_t adds = 0;
  for (const auto& c : contacts->contacts) {
    std::optional<std::uint32_t> expires;
    if (auto e = c.param("expires")) expires = msg::parse_uint(*e);
    if (!expires) expires = header_expires;
    std::uint32_t value = expires.value_or(options_.default_expires);
    if (value != 0 && value < options_.min_expires) {
      Outcome out{423, {}, {}};
      out.headers.emplace_back("Min-Expires", std::to_string(options_.min_expires));
      return out;
    }
    value = std::min(value, options_.max_expires);
    auto b = make_binding(c, request, aor, source);
    auto key = b.key();
    const auto existing = find_key(key);
    if (existing < list.size() && list[existing].call_id == b.call_id && b.cseq <= list[existing].cseq) {
      return Outcome{500, "Out of order CSeq", {}};
    }
    if (existing == list.size() && value != 0) ++adds;
    changes.push_back(Change{std::move(b), std::move(key), value});
  }
  if (list.size() + adds > options_.max_contacts) return Outcome{403, "Too many contacts", {}};
  const auto now = clock_.now();
  for (auto& ch : changes) {
    auto& b = ch.binding;
    b.expires_at = now + seconds(ch.expires);
    const auto i = find_key(ch.key);
    if (ch.expires == 0) {
      if (i < list.size()) {
        remove_binding(list, i, false);
        keys.erase(keys.begin() + static_cast<std::ptrdiff_t>(i));
      }
      continue;
    }
    store_.save(b);
    if (i < list.size()) {
      list[i] = std::move(b);
      if (listener_) listener_->on_binding_refreshed(list[i]);
    } else {
      list.push_back(std::move(b));
      keys.push_back(ch.key);
      ++count_;
      if (listener_) listener_->on_binding_registered(list.back());
    }
  }
  return current(aor);
}

void Registrar::expire() {
  const auto now = clock_.now();
  for (auto it = by_aor_.begin(); it != by_aor_.end();) {
    auto& list = it->second;
    for (std::size_t i = list.size(); i-- > 0;) {
      if (list[i].expires_at <= now) {
        log::get("sip")->info("registrar: {} expired", list[i].dump());
        remove_binding(list, i, true);
      }
    }
    it = list.empty() ? by_aor_.erase(it) : std::next(it);
  }
}

std::vector<Binding> Registrar::bindings(std::string_view aor) const {
  auto it = by_aor_.find(std::string(aor));
  return it == by_aor_.end() ? std::vector<Binding>{} : it->second;
}

std::vector<Binding> Registrar::all() const {
  std::vector<Binding> out;
  out.reserve(count_);
  for (const auto& [aor, list] : by_aor_) out.insert(out.end(), list.begin(), list.end());
  return out;
}

std::string Registrar::dump() const {
  return "Registrar{aors=" + std::to_string(by_aor_.size()) + " bindings=" + std::to_string(count_) +
         " duplicates=" + std::to_string(duplicates_) + "}";
}

}  // namespace portier::sip::ua
