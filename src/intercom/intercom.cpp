#include "intercom/intercom.hpp"

#include <boost/asio/post.hpp>
#include <spdlog/spdlog.h>

#include "access/audit_actor.hpp"
#include "base/log.hpp"
#include "intercom/dialled_user.hpp"

namespace portier::intercom {
Intercom::Intercom(boost::asio::io_context& io, const Clock& clock, access::TimerFactory& timers,
                   sip::ua::SipServer& sip, media::MediaEngine& media, access::DoorService& doors,
                   access::DoorService::Listener& events, std::vector<RingGroup> groups,
                   std::vector<DoorCallSettings> doors_settings, IntercomOptions options)
    : io_(io),
      clock_(clock),
      timers_(timers),
      sip_(sip),
      media_(media),
      doors_(doors),
      events_(events),
      groups_(std::move(groups)),
      door_settings_(std::move(doors_settings)),
      options_(std::move(options)),
      log_(portier::log::get("calls")) {
  for (const auto& d : door_settings_)
    matchers_.emplace(d.door, DtmfCodeMatcher(d.dtmf_code, options_.dtmf_max_failures, options_.dtmf_lockout,
                                              options_.dtmf_digit_timeout));
}

Intercom::~Intercom() { calls_.clear(); }

void Intercom::on_incoming_call(sip::ua::CallLeg& leg, const sip::ua::IncomingCall& call) {
  const std::string dialled = dialled_user(call.request_uri);
  const std::string caller = call.caller ? call.caller->number : "";
  log_->info("INVITE from {} ({}) to {}", caller.empty() ? call.from_uri : caller, call.source.to_string(),
             call.request_uri);
  if (const RingGroup* g = group(dialled)) {
    const DoorCallSettings* door = caller.empty() ? nullptr : door_by_station(caller);
    if (!door) door = door_by_group(g->id);
    DoorCallSettings settings = door ? *door : DoorCallSettings{};
    if (!door) settings.ring_group = g->id;
    if (!settings.door.empty() && busy_call(settings.door)) {
      leg.reject(486, "Busy Here");
      return;
    }
    DoorCall* c = add_call(settings, *g, &leg);
    if (c && !c->start_from_door(leg, call)) calls_.erase(c->id());
    return;
  }
  if (const DoorCallSettings* door = door_by_station(dialled)) {
    if (caller.empty()) {
      leg.reject(403, "Forbidden");
      return;
    }
    if (busy_call(door->door)) {
      leg.reject(486, "Busy Here");
      return;
    }
    DoorCall* c = add_call(*door, std::nullopt, &leg);
    if (c && !c->start_to_station(leg, call)) calls_.erase(c->id());
    return;
  }
  call_extension(leg, call, dialled);
}

void Intercom::call_extension(sip::ua::CallLeg& leg, const sip::ua::IncomingCall& call, const std::string& dialled) {
  const bool browser = is_browser_member(dialled);
  if (dialled.empty() || (!browser && !sip_.directory().find(dialled))) {
    leg.reject(404, "Not Found");
    return;
  }
  if (!call.caller) {
    leg.reject(403, "Forbidden");
    return;
  }
  if (call.caller->number == dialled) {
    leg.reject(486, "Busy Here");  // calling oneself: every contact would be the caller's own phone
    return;
  }
  // Browser phones are shown in their config form everywhere (answered_by, events): "webrtc:alice".
  const std::string callee = browser ? "webrtc:" + dialled.substr(7) : dialled;
  if (extension_busy(callee)) {
    leg.reject(486, "Busy Here");
    return;
  }
  auto where = targets(browser ? dialled : callee);
  if (where.empty()) {
    log_->info("call to {}: {}", callee, browser ? "browser phone not online" : "no registered phone");
    leg.reject(480, "Temporarily Unavailable");
    return;
  }
  DoorCallSettings settings;  // no door: door "" (admins see it), no DTMF code, the extension call limit
  settings.call_limit = options_.extension_call_limit;
  DoorCall* c = add_call(settings, std::nullopt, &leg);
  if (c && !c->start_to_extension(leg, call, callee, where)) calls_.erase(c->id());
}

std::vector<sip::ua::CallLegs::Target> Intercom::targets(const std::string& member) {
  std::vector<sip::ua::CallLegs::Target> out;
  if (!is_browser_member(member)) {
    for (const auto& b : sip_.registrations(member)) out.push_back(sip::ua::CallLegs::Target::of(b));
    if (!out.empty()) return out;
  }
  if (resolver_) out = resolver_->targets(member);
  return out;
}

std::string Intercom::member_name(const std::string& member, const sip::ua::CallLegs::Target& target) const {
  if (!resolver_ || !is_browser_member(member)) return member;
  auto name = resolver_->who(target);
  return name.empty() ? member : name;
}

bool Intercom::extension_busy(const std::string& extension) const {
  for (const auto& [id, c] : calls_)
    if (c->talking(extension)) return true;
  return false;
}

void Intercom::on_door_ring(const std::string& door_id) {
  const DoorCallSettings* door = door_by_id(door_id);
  if (!door || door->ring_group.empty()) return;  // the ring event alone (web UI chime)
  if (busy_call(door_id)) {
    log_->info("door {}: call button rang during a call: ignored", door_id);
    return;
  }
  const RingGroup* g = group(door->ring_group);
  DoorCall* c = add_call(*door, g ? std::optional<RingGroup>(*g) : std::nullopt, nullptr);
  if (c && door->station.empty()) {
    // No station to talk through: ring the group anyway; the resident can open with DTMF or the web UI.
    if (!c->start_without_station()) log_->info("door {}: nobody of ring group {} reachable", door_id, door->ring_group);
    return;
  }
  if (c && !c->start_from_button()) {
    log_->warn("door {}: station {} is not reachable: no call", door_id, door->station);
    calls_.erase(c->id());
  }
}

DoorCall* Intercom::add_call(DoorCallSettings door, std::optional<RingGroup> g, sip::ua::CallLeg* leg) {
  const auto id = next_id_++;
  auto call = std::make_unique<DoorCall>(*this, id, std::move(door), std::move(g));
  if (auto st = call->open_media(media_); !st) {
    log_->error("ALARM: no RTP ports for a new call (rtp.port_min..port_max exhausted?): {} [{}]", st.error().what(),
                media_.dump());
    if (leg) leg->reject(503, "Service Unavailable");
    return nullptr;
  }
  auto* raw = call.get();
  calls_.emplace(id, std::move(call));
  return raw;
}

void Intercom::on_call_finished(DoorCall& call) {
  // Called from inside the call's own callbacks: destroy it later.
  std::weak_ptr<char> alive = alive_;
  boost::asio::post(io_, [this, alive, id = call.id()] {
    if (!alive.expired()) calls_.erase(id);
  });
}

void Intercom::on_call_dtmf(DoorCall& call, const std::string& extension, char digit) {
  auto it = matchers_.find(call.door());
  if (it == matchers_.end()) {
    log_->info("call {}: DTMF without a door to open", call.id());
    return;
  }
  const auto outcome = it->second.feed(digit, clock_.steady_now());
  if (outcome == DtmfCodeMatcher::Outcome::partial) return;
  access::Event e;
  e.type = access::EventType::call_dtmf;
  e.door = call.door();
  e.time = clock_.now();
  e.actor = extension;
  e.method = "dtmf";
  e.detail = "call=" + std::to_string(call.id()) + " code " + to_string(outcome);
  if (outcome == DtmfCodeMatcher::Outcome::wrong)
    e.detail += " (" + std::to_string(it->second.failures()) + " wrong)";
  publish(e);
  if (outcome != DtmfCodeMatcher::Outcome::match) {
    log_->warn("call {}: DTMF door code {} from {} for door {}", call.id(), to_string(outcome), extension, call.door());
    return;
  }
  access::Actor actor;
  actor.kind = access::ActorKind::dtmf;
  actor.id = extension;
  actor.name = extension;
  actor.scope = {call.door()};
  std::weak_ptr<char> alive = alive_;
  const auto id = call.id();
  doors_.unlock(call.door(), actor, access::AccessMethod::dtmf,
                [this, alive, id, extension](Result<access::DoorService::UnlockReply> r) {
                  if (alive.expired()) return;
                  auto it = calls_.find(id);
                  if (!r) {
                    log_->warn("call {}: DTMF unlock failed: {}", id, r.error().what());
                    return;
                  }
                  if (it != calls_.end()) it->second->play_acknowledgement(extension);
                });
}

std::vector<CallInfo> Intercom::calls() const {
  std::vector<CallInfo> out;
  for (const auto& [id, c] : calls_)
    if (c->state() != DoorCall::State::ended) out.push_back(c->info());
  return out;
}

bool Intercom::hangup(DoorCall::Id id) {
  auto it = calls_.find(id);
  if (it == calls_.end() || it->second->state() == DoorCall::State::ended) return false;
  it->second->end("admin_hangup");
  return true;
}

std::string Intercom::dump() const {
  std::string s = "intercom: " + std::to_string(calls_.size()) + " calls";
  for (const auto& [id, c] : calls_) s += "; " + c->dump();
  return s;
}

const DoorCallSettings* Intercom::door_where(const std::function<bool(const DoorCallSettings&)>& match) const {
  for (const auto& d : door_settings_)
    if (match(d)) return &d;
  return nullptr;
}

const DoorCallSettings* Intercom::door_by_station(const std::string& extension) const {
  if (extension.empty()) return nullptr;
  return door_where([&](const DoorCallSettings& d) { return d.station == extension; });
}

const DoorCallSettings* Intercom::door_by_group(const std::string& g) const {
  return door_where([&](const DoorCallSettings& d) { return d.ring_group == g; });
}

const DoorCallSettings* Intercom::door_by_id(const std::string& door) const {
  return door_where([&](const DoorCallSettings& d) { return d.door == door; });
}

const RingGroup* Intercom::group(const std::string& id) const {
  if (id.empty()) return nullptr;
  for (const auto& g : groups_)
    if (g.id == id) return &g;
  return nullptr;
}

DoorCall* Intercom::busy_call(const std::string& door) {
  for (auto& [id, c] : calls_)
    if (c->door() == door && c->state() != DoorCall::State::ended) return c.get();
  return nullptr;
}

}  // namespace portier::intercom
