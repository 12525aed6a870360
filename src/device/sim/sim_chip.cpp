#include "device/sim/sim_chip.hpp"

#include <algorithm>
#include <sstream>

#include "base/error.hpp"

namespace portier::device::sim {

std::string_view to_string(Direction direction) { return direction == Direction::input ? "input" : "output"; }

bool valid_sim_line_name(std::string_view name) {
  if (name.empty() || name.size() > 128) return false;
  return std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '_' ||
           c == '-' || c == ':';
  });
}

Status SimChip::check_new(const std::string& name) const {
  if (!valid_sim_line_name(name)) return Error(errc::invalid_argument, "invalid simulated line name '" + name + "'");
  if (outputs_.count(name) || inputs_.count(name)) {
    return Error(errc::already_exists, "simulated line '" + name + "' already exists");
  }
  return {};
}

Result<SimOutputLine*> SimChip::add_output(const std::string& name) {
  if (auto st = check_new(name); !st) return st.error();
  auto& line = outputs_[name];
  line = std::make_unique<SimOutputLine>(name);
  return line.get();
}

Result<SimInputLine*> SimChip::add_input(const std::string& name, bool initial) {
  if (auto st = check_new(name); !st) return st.error();
  auto& line = inputs_[name];
  line = std::make_unique<SimInputLine>(name, clock_, initial);
  return line.get();
}

std::vector<SimLineInfo> SimChip::lines() const {
  std::vector<SimLineInfo> out;
  for (const auto& [name, l] : outputs_) {
    out.push_back({name, Direction::output, l->active(), l->changes(), l->fault().has_value()});
  }
  for (const auto& [name, l] : inputs_) {
    out.push_back({name, Direction::input, l->level(), l->changes(), !l->read().ok()});
  }
  std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.name < b.name; });
  return out;
}

Result<SimLineInfo> SimChip::line(std::string_view name) const {
  if (auto it = outputs_.find(name); it != outputs_.end()) {
    const auto& l = *it->second;
    return SimLineInfo{l.name(), Direction::output, l.active(), l.changes(), l.fault().has_value()};
  }
  if (auto it = inputs_.find(name); it != inputs_.end()) {
    const auto& l = *it->second;
    return SimLineInfo{l.name(), Direction::input, l.level(), l.changes(), !l.read().ok()};
  }
  return Error(errc::not_found, "no simulated line '" + std::string(name) + "'");
}

Result<bool> SimChip::read(std::string_view name) const {
  auto info = line(name);
  if (!info) return info.error();
  return info->value;
}

Status SimChip::drive(std::string_view name, bool value) {
  if (auto it = inputs_.find(name); it != inputs_.end()) {
    it->second->drive(value);
    return {};
  }
  if (outputs_.count(name)) {
    return Error(errc::invalid_argument, "simulated line '" + std::string(name) + "' is an output");
  }
  return Error(errc::not_found, "no simulated line '" + std::string(name) + "'");
}

Status SimChip::set_fault(std::string_view name, std::optional<Error> fault) {
  if (auto it = outputs_.find(name); it != outputs_.end()) {
    it->second->set_fault(std::move(fault));
    return {};
  }
  if (auto it = inputs_.find(name); it != inputs_.end()) {
    it->second->set_fault(std::move(fault));
    return {};
  }
  return Error(errc::not_found, "no simulated line '" + std::string(name) + "'");
}

std::string SimChip::dump() const {
  std::ostringstream os;
  os << "SimChip{outputs=" << outputs_.size() << " inputs=" << inputs_.size();
  for (const auto& [name, l] : outputs_) os << " " << l->dump();
  for (const auto& [name, l] : inputs_) os << " " << l->dump();
  os << "}";
  return os.str();
}

}  // namespace portier::device::sim
