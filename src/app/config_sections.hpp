#pragma once
// The schema of portier.yaml: one function per section. To add a section (doors, mqtt, ...): add its struct to
// config.hpp, write a `xxx_schema()` in config_sections.cpp and add one `section(...)` line to config_schema().
#include <string>
#include <string_view>
#include <vector>

#include "app/config.hpp"
#include "app/config_schema.hpp"

namespace portier::app {

// The whole file; built once, never changed afterwards.
const schema::Schema<Config>& config_schema();

// Every key with type, default, allowed values and doc, in schema order.
std::vector<schema::KeyDoc> config_key_docs();
// The same as a Markdown table (the generated part of docs/configuration.md).
std::string config_key_table();

// "udp|tcp|tls:HOST:PORT"; false when malformed.
bool valid_sip_listen(std::string_view text);

}  // namespace portier::app
