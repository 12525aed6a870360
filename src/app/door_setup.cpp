#include "app/door_setup.hpp"

#include <algorithm>
#include <map>

#include "access/door_demo.hpp"
#include "base/error.hpp"
#include "device/line_spec.hpp"

namespace portier::app {

std::vector<DoorEntry> demo_door_entries() {
  // The demo doors are defined once, in access; as entries they set only what the demo defines, so an override in
  // `doors:` and the defaults of every other key apply as for any door.
  std::vector<DoorEntry> out;
  for (const auto& d : access::demo_door_configs()) {
    DoorEntry e;
    e.id = d.id;
    e.name = d.name;
    e.relay = d.relay;
    e.button = d.button;
    e.contact = d.contact;
    out.push_back(std::move(e));
  }
  return out;
}

namespace {

// Fills `into` with every key `from` sets.
void overlay(DoorEntry& into, const DoorEntry& from) {
  auto take = [](auto& dst, const auto& src) {
    if (src) dst = src;
  };
  take(into.name, from.name);
  take(into.relay, from.relay);
  take(into.mode, from.mode);
  take(into.hold_ms, from.hold_ms);
  take(into.contact, from.contact);
  take(into.contact_bouncetime_ms, from.contact_bouncetime_ms);
  take(into.left_open_after_s, from.left_open_after_s);
  take(into.forced_open_alarm, from.forced_open_alarm);
  take(into.button, from.button);
  take(into.bouncetime_ms, from.bouncetime_ms);
  take(into.page_throttle_s, from.page_throttle_s);
  take(into.station, from.station);
  take(into.ring_group, from.ring_group);
  take(into.dtmf_code, from.dtmf_code);
  take(into.call_limit_s, from.call_limit_s);
  take(into.visitor_message, from.visitor_message);
  into.line = from.line;
  into.column = from.column;
}

// Two spellings of one physical line ("front.relay" and "sim:front.relay") are the same line.
Status check_line_keys(const std::vector<access::DoorConfig>& doors) {
  std::map<std::string, std::string> users;
  for (const auto& d : doors) {
    for (auto [line, role] : {std::pair{&d.relay, "relay"}, {&d.contact, "contact"}, {&d.button, "button"}}) {
      if (line->empty()) continue;
      auto spec = device::parse_line_spec(*line);
      if (!spec) continue;
      const std::string user = "door '" + d.id + "' " + role;
      auto [it, fresh] = users.emplace(spec->key(), user);
      if (!fresh) return Error(errc::conflict, "line '" + *line + "' is used by " + it->second + " and by " + user);
    }
  }
  return {};
}

Result<access::DoorConfig> to_door_config(const DoorEntry& e) {
  access::DoorConfig d;
  d.id = e.id;
  d.name = e.name.value_or(e.id);
  if (!e.relay) return Error(errc::invalid_argument, "doors[" + e.id + "].relay: is required");
  d.relay = *e.relay;
  if (e.mode) {
    auto m = access::parse_door_mode(*e.mode);
    if (!m) return m.error();
    d.mode = *m;
  }
  if (e.hold_ms) d.hold = std::chrono::milliseconds{*e.hold_ms};
  d.contact = e.contact.value_or("");
  if (e.contact_bouncetime_ms) d.contact_bouncetime = std::chrono::milliseconds{*e.contact_bouncetime_ms};
  if (e.left_open_after_s) d.left_open_after = std::chrono::seconds{*e.left_open_after_s};
  if (e.forced_open_alarm) d.forced_open_alarm = *e.forced_open_alarm;
  d.button = e.button.value_or("");
  if (e.bouncetime_ms) d.button_bouncetime = std::chrono::milliseconds{*e.bouncetime_ms};
  if (e.page_throttle_s) d.page_throttle = std::chrono::milliseconds{*e.page_throttle_s * 1000};
  for (std::string* line : {&d.relay, &d.contact, &d.button}) {
    if (line->empty()) continue;
    auto spec = device::parse_line_spec(*line);
    if (!spec) return Error(errc::invalid_argument, "door " + e.id + ": " + spec.error().what());
  }
  return d;
}

}  // namespace

std::vector<DoorEntry> merged_door_entries(const Config& config, std::vector<ConfigError>* errors) {
  std::vector<DoorEntry> entries = config.demo ? demo_door_entries() : std::vector<DoorEntry>{};
  for (const auto& e : config.doors) {
    auto it = std::find_if(entries.begin(), entries.end(), [&](const DoorEntry& x) { return x.id == e.id; });
    if (it != entries.end() && it->line == 0) {
      overlay(*it, e);  // a demo door: only the keys named change
    } else if (it != entries.end()) {
      if (errors) errors->push_back({config.source.string(), e.line, e.column, "doors: duplicate door id " + e.id});
    } else {
      entries.push_back(e);
    }
  }
  return entries;
}

DoorPlan plan_doors(const Config& config) {
  DoorPlan plan;
  std::vector<DoorEntry> entries = merged_door_entries(config, &plan.errors);
  for (const auto& e : entries) {
    if (e.ring_group &&
        std::none_of(config.ring_groups.begin(), config.ring_groups.end(),
                     [&](const RingGroupConfig& g) { return g.id == *e.ring_group; })) {
      plan.errors.push_back({config.source.string(), e.line, e.column,
                             "doors[" + e.id + "].ring_group: no ring group '" + *e.ring_group + "'"});
    }
  }
  for (const auto& e : entries) {
    auto d = to_door_config(e);
    if (!d) {
      plan.errors.push_back({config.source.string(), e.line, e.column, d.error().what()});
      continue;
    }
    if (d->relay.rfind("mqtt:", 0) == 0 && !config.mqtt.enabled()) {
      plan.errors.push_back({config.source.string(), e.line, e.column,
                             "door " + e.id + ": relay driver mqtt needs the mqtt: section (mqtt.broker or "
                             "mqtt.embedded_broker)"});
      continue;
    }
    plan.doors.push_back(std::move(*d));
  }
  if (plan.errors.empty()) {
    auto st = access::validate_doors(plan.doors);
    if (st) st = check_line_keys(plan.doors);
    if (!st) {
      // Point at the last entry the message names (the one that clashes with an earlier door).
      int line = 0, column = 0;
      for (const auto& e : entries) {
        if (st.error().what().find("'" + e.id + "'") != std::string::npos && e.line > 0) {
          line = e.line;
          column = e.column;
        }
      }
      plan.errors.push_back({config.source.string(), line, column, "doors: " + st.error().what()});
    }
  }
  return plan;
}

}  // namespace portier::app
