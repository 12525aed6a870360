#include "access/door_demo.hpp"

namespace portier::access {

namespace {

DoorConfig demo_door(const std::string& id, const std::string& name) {
  DoorConfig c;
  c.id = id;
  c.name = name;
  c.relay = id + ".relay";
  c.button = id + ".button";
  c.contact = id + ".contact";
  return c;
}

}  // namespace

std::vector<DoorConfig> demo_door_configs() { return {demo_door("front", "Front door"), demo_door("back", "Back door")}; }

}  // namespace portier::access
