#include "sdp/serializer.hpp"

namespace portier::sdp {
namespace {

void line(std::string& out, char type, std::string_view value) {
  out += type;
  out += '=';
  out += value;
  out += "\r\n";
}

void connection(std::string& out, const Connection& c) {
  line(out, 'c', c.net_type + " " + c.addr_type + " " + c.address);
}

void fields(std::string& out, const std::vector<Field>& fs, std::string_view types) {
  for (const auto& f : fs) {
    if (types.find(f.type) != std::string_view::npos) line(out, f.type, f.value);
  }
}

void attributes(std::string& out, const AttributeList& list) {
  for (const auto& a : list.items()) line(out, 'a', a.has_value ? a.name + ":" + a.value : a.name);
}

}  // namespace

std::string serialize(const SessionDescription& sdp) {
  std::string out;
  out.reserve(512);
  line(out, 'v', std::to_string(sdp.version));
  const auto& o = sdp.origin;
  line(out, 'o',
       o.username + " " + o.session_id + " " + o.session_version + " " + o.address.net_type + " " +
           o.address.addr_type + " " + o.address.address);
  line(out, 's', sdp.session_name.empty() ? "-" : sdp.session_name);
  fields(out, sdp.fields, "iuep");
  if (sdp.connection) connection(out, *sdp.connection);
  for (const auto& b : sdp.bandwidths) line(out, 'b', b);
  // r= lines are kept in fields; they belong after the t= they repeat, and we only ever have one t= in practice.
  for (const auto& t : sdp.timings) line(out, 't', t);
  fields(out, sdp.fields, "r");
  fields(out, sdp.fields, "z");
  fields(out, sdp.fields, "k");
  attributes(out, sdp.attributes);
  for (const auto& m : sdp.media) {
    std::string mline = m.media;
    mline += ' ';
    mline += std::to_string(m.port);
    if (m.port_count > 1) {
      mline += '/';
      mline += std::to_string(m.port_count);
    }
    mline += ' ';
    mline += m.proto;
    for (const auto& f : m.formats) {
      mline += ' ';
      mline += f;
    }
    line(out, 'm', mline);
    fields(out, m.fields, "i");
    if (m.connection) connection(out, *m.connection);
    for (const auto& b : m.bandwidths) line(out, 'b', b);
    fields(out, m.fields, "k");
    attributes(out, m.attributes);
  }
  return out;
}

}  // namespace portier::sdp
