// The sections of portier.yaml. Each schema function lists its keys once; ranges here are the ones documented in
// config.hpp and docs/configuration.md (the latter is generated from this file, see config_key_table()).
#include "app/config_sections.hpp"

#include <arpa/inet.h>

#include <cctype>

#include "access/site_time.hpp"
#include "base/log.hpp"

namespace portier::app {
namespace {

using namespace schema;
constexpr long long kDay = 86400;

std::string check_ip(std::string_view s) {
  unsigned char buf[16];
  const std::string text(s);
  if (inet_pton(AF_INET, text.c_str(), buf) == 1 || inet_pton(AF_INET6, text.c_str(), buf) == 1) return "";
  return "expected an IPv4 or IPv6 address";
}

std::string check_level(std::string_view s) {
  return log::valid_level(s) ? "" : "unknown log level (expected trace, debug, info, warn, error, critical or off)";
}

std::string check_subsystem(std::string_view s) {
  for (char c : s) {
    if (!std::islower(static_cast<unsigned char>(c)) && !std::isdigit(static_cast<unsigned char>(c)) && c != '_' &&
        c != '-')
      return "subsystem names are lower-case letters, digits, '_' and '-'";
  }
  return s.empty() ? "subsystem name is empty" : "";
}

std::string check_sip_listen(std::string_view s) {
  return valid_sip_listen(s) ? "" : "expected udp|tcp|tls:HOST:PORT";
}

std::string check_name(std::string_view s) {
  if (s.empty()) return "must not be empty";
  for (char c : s) {
    if (std::isspace(static_cast<unsigned char>(c)) || std::iscntrl(static_cast<unsigned char>(c)))
      return "must not contain spaces";
  }
  return "";
}

TextCheck url_scheme(std::vector<std::string> schemes, std::string expected) {
  return [schemes, expected](std::string_view s) -> std::string {
    for (const auto& scheme : schemes)
      if (s.size() > scheme.size() && s.substr(0, scheme.size()) == scheme) return check_name(s);
    return "expected " + expected;
  };
}

Schema<HttpConfig> http_schema() {
  Schema<TlsConfig> tls;
  tls.add(path("cert", &TlsConfig::cert, "PEM certificate chain; empty serves plain HTTP"))
      .add(path("key", &TlsConfig::key, "PEM private key of the certificate"))
      .check([](Reader& r, const Item& section, const TlsConfig& t) {
        if (t.cert.empty() != t.key.empty())
          r.error(child(section, t.cert.empty() ? "key" : "cert"), "cert and key must be given together");
      });
  Schema<HttpConfig> s;
  s.add(host_port("listen", &HttpConfig::listen, "address and port of the web UI and API"))
      .add(section("tls", &HttpConfig::tls, tls, "HTTPS; session cookies become Secure"))
      .add(path("web_root", &HttpConfig::web_root, "serve the web UI from this folder instead of the binary"))
      .add(integer("max_body_bytes", &HttpConfig::max_body_bytes, 1024, 64 * 1024 * 1024,
                   "largest request body accepted (413 above)"))
      .add(duration("request_timeout", &HttpConfig::request_timeout, 1, 600,
                    "time allowed to read a request and write its response"))
      .add(duration("idle_timeout", &HttpConfig::idle_timeout, 1, 3600, "keep-alive connection idle time"))
      .add(integer("max_connections", &HttpConfig::max_connections, 1, 100000, "simultaneous HTTP connections"))
      .add(string_list("trusted_proxies", &HttpConfig::trusted_proxies,
                       "reverse proxies whose X-Forwarded-For header is believed", check_ip, "IP addresses"));
  return s;
}

Schema<AuthConfig> auth_schema() {
  Schema<AuthConfig> s;
  s.add(duration("session_idle", &AuthConfig::session_idle, 60, 30 * kDay, "a login session ends after this idle time"))
      .add(duration("session_absolute", &AuthConfig::session_absolute, 60, 365 * kDay,
                    "a login session ends this long after login (at least session_idle)"))
      .add(integer("max_failures", &AuthConfig::max_failures, 1, 100, "failed logins of one account before lockout"))
      .add(duration("failure_window", &AuthConfig::failure_window, 1, kDay, "period over which failures are counted"))
      .add(duration("lockout", &AuthConfig::lockout, 1, kDay, "how long a locked account or IP stays locked"))
      .add(integer("ip_max_failures", &AuthConfig::ip_max_failures, 1, 10000,
                   "failed logins from one IP address before lockout"))
      .add(integer("argon2_opslimit", &AuthConfig::argon2_opslimit, 1, 10, "Argon2id passes per password hash"))
      .add(integer("argon2_memlimit_kib", &AuthConfig::argon2_memlimit_kib, 8, 1048576,
                   "Argon2id memory per password hash, KiB"))
      .check([](Reader& r, const Item& section, const AuthConfig& a) {
        if (a.session_absolute < a.session_idle)
          r.error(child(section, "session_absolute"),
                  "must be at least auth.session_idle (" + std::to_string(a.session_idle.count()) + "), got " +
                      std::to_string(a.session_absolute.count()));
      });
  return s;
}

Schema<LoggingConfig> logging_schema() {
  Schema<LoggingConfig> s;
  s.add(string("level", &LoggingConfig::level, "level of every subsystem not named in subsystems", check_level,
               "trace | debug | info | warn | error | critical | off"))
      .add(string_map("subsystems", &LoggingConfig::subsystems, "per-subsystem level, e.g. {sip: debug, http: warn}",
                      check_subsystem, check_level, "subsystem name -> level"))
      .add(boolean("json", &LoggingConfig::json, "write JSON lines instead of text"))
      .add(path("file", &LoggingConfig::file, "log file; empty writes to stderr"))
      .add(boolean("verbose_logging", &LoggingConfig::verbose_logging,
                   "every subsystem not named in subsystems logs at debug"));
  return s;
}

Schema<SipConfig> sip_schema() {
  Schema<SipConfig> s;
  s.add(string_list("listen", &SipConfig::listen, "SIP transports to listen on; empty = no SIP", check_sip_listen,
                    "udp|tcp|tls:HOST:PORT"))
      .add(string("domain", &SipConfig::domain, "SIP domain of Portier's accounts", check_name));
  return s;
}

Schema<WebRtcCodec> codec_schema() {
  Schema<WebRtcCodec> s;
  s.add(required(integer("payload_type", &WebRtcCodec::payload_type, 0, 127, "RTP payload type")))
      .add(required(string("name", &WebRtcCodec::name, "codec name as in SDP (PCMU, PCMA, telephone-event, ...)",
                           check_name)))
      .add(integer("priority", &WebRtcCodec::priority, 1, 1000, "order of preference, 1 first"))
      .add(boolean("enabled", &WebRtcCodec::enabled, "offer this codec"));
  return s;
}

Schema<WebRtcTurnServer> turn_schema() {
  Schema<WebRtcTurnServer> s;
  s.add(required(string("url", &WebRtcTurnServer::url, "turn: or turns: URL",
                        url_scheme({"turn:", "turns:"}, "a turn: or turns: URL"))))
      .add(string("username", &WebRtcTurnServer::username, "TURN user name"))
      .add(string("credential", &WebRtcTurnServer::credential, "TURN password (use {file:} or {env:})"));
  return s;
}

std::string default_codecs_text() {
  std::string s;
  for (const auto& c : WebRtcConfig{}.codecs)
    s += (s.empty() ? "" : ", ") + c.name + "/" + std::to_string(c.payload_type);
  return "[" + s + "]";
}

Schema<WebRtcConfig::Dtmf> dtmf_schema() {
  using D = WebRtcConfig::Dtmf;
  Schema<D> s;
  s.add(choice("mode", &D::mode, {"RFC2833", "SIP_INFO", "INBAND"}, "primary DTMF method"))
      .add(integer("payload_type", &D::payload_type, 96, 127, "RFC 2833 telephone-event payload type"))
      .add(integer("duration", &D::duration, 40, 2000, "DTMF tone duration, milliseconds"))
      .add(boolean("sip_info_fallback", &D::sip_info_fallback, "accept SIP INFO DTMF as a fallback"));
  return s;
}

Schema<WebRtcConfig::Rtp> rtp_schema() {
  using R = WebRtcConfig::Rtp;
  Schema<R> s;
  s.add(integer("port_min", &R::port_min, 1024, 65535, "lowest RTP port (less than port_max)"))
      .add(integer("port_max", &R::port_max, 1024, 65535, "highest RTP port"))
      .add(int_choice("packet_time", &R::packet_time, {10, 20, 30, 40, 60}, "RTP packet time, milliseconds"))
      .check([](Reader& r, const Item& section, const R& rtp) {
        if (rtp.port_min >= rtp.port_max)
          r.error(child(section, "port_min"), "must be less than port_max (" + std::to_string(rtp.port_max) +
                                                  "), got " + std::to_string(rtp.port_min));
      });
  return s;
}

Schema<WebRtcConfig> webrtc_schema() {
  using W = WebRtcConfig;
  Schema<W::Nat> nat;
  nat.add(integer("udp_update_time", &W::Nat::udp_update_time, 5, 3600, "NAT keep-alive interval, seconds"))
      .add(boolean("rport", &W::Nat::rport, "ask for rport (RFC 3581) in the Via of Portier's SIP requests over UDP"));
  Schema<W::Audio> audio;
  audio.add(boolean("echo_cancellation", &W::Audio::echo_cancellation, "ask the browser for echo cancellation"))
      .add(boolean("noise_reduction", &W::Audio::noise_reduction, "ask the browser for noise suppression"))
      .add(boolean("auto_gain_control", &W::Audio::auto_gain_control, "ask the browser for automatic gain control"))
      .add(boolean("voice_activity_detection", &W::Audio::voice_activity_detection, "Opus calls: ask the browser for DTX (usedtx=1)"))
      .add(boolean("comfort_noise", &W::Audio::comfort_noise, "G.711 calls: answer CN (payload type 13) when the browser offers it"));
  Schema<W> s;
  s.add(boolean("enabled", &W::enabled, "browser phone (WebRTC) calls"))
      .add(boolean("verbose_logging", &W::verbose_logging, "detailed WebRTC session logs"))
      .add(duration("session_timeout", &W::session_timeout, 1, 7 * kDay,
                         "an idle browser-phone session (no request, no call) is closed after this"))
      .add(choice("ice_transport_policy", &W::ice_transport_policy, {"all", "relay"},
                  "ICE candidates offered to browsers: all, or TURN relay only"))
      .add(string_list("stun_servers", &W::stun_servers, "STUN servers for NAT traversal",
                       url_scheme({"stun:", "stuns:"}, "a stun: or stuns: URL"), "stun: / stuns: URLs"))
      .add(section_list("turn_servers", &W::turn_servers, turn_schema(), "TURN relays", "[]"))
      .add(section_list("codecs", &W::codecs, codec_schema(), "audio codecs offered", default_codecs_text()))
      .add(section("dtmf", &W::dtmf, dtmf_schema(), "DTMF (key presses)"))
      .add(section("rtp", &W::rtp, rtp_schema(), "RTP media ports"))
      .add(section("nat", &W::nat, nat, "NAT traversal"))
      .add(section("audio", &W::audio, audio, "browser audio processing"))
      .add(path("dtls_certificate", &W::dtls_certificate,
                "PEM certificate for DTLS (its fingerprint goes into every SDP answer); empty = a P-256 certificate "
                "generated at each start"))
      .add(path("dtls_private_key", &W::dtls_private_key, "PEM private key of dtls_certificate"))
      .check([](Reader& r, const Item& section, const W& w) {
        if (w.dtls_certificate.empty() != w.dtls_private_key.empty())
          r.error(child(section, w.dtls_certificate.empty() ? "dtls_private_key" : "dtls_certificate"),
                  "dtls_certificate and dtls_private_key must be given together");
      });
  return s;
}

// Optional members of DoorEntry: only keys present in the file are set.
template <class V>
Field<DoorEntry> door_field(std::string key, std::optional<V> DoorEntry::*m, std::string type, std::string allowed,
                            std::string doc, std::function<std::optional<V>(Reader&, const Item&)> read) {
  return make_field<DoorEntry>(key, std::move(type), "(see text)", std::move(allowed), std::move(doc),
                               [m, read](Reader& r, const Item& it, DoorEntry& out) {
                                 if (auto v = read(r, it)) out.*m = *v;
                               });
}

std::function<std::optional<long long>(Reader&, const Item&)> int_reader(long long min, long long max,
                                                                         long long scale = 1) {
  return [=](Reader& r, const Item& it) -> std::optional<long long> {
    auto v = r.integer(it, min, max);
    return v ? std::optional<long long>(*v * scale) : std::nullopt;
  };
}

std::function<std::optional<std::string>(Reader&, const Item&)> text_reader(TextCheck check = {}) {
  return [check](Reader& r, const Item& it) -> std::optional<std::string> {
    auto t = r.checked_text(it, check);
    return t ? std::optional<std::string>(t->value) : std::nullopt;
  };
}

// `relay:` as a line string, or as {driver: mqtt, device: NAME, output: N} (read into the "mqtt:NAME:N" spec).
std::function<std::optional<std::string>(Reader&, const Item&)> relay_reader() {
  auto text = text_reader(check_name);
  return [text](Reader& r, const Item& it) -> std::optional<std::string> {
    if (!it.node.IsMap()) return text(r, it);
    std::string driver, device;
    long long output = 1;
    bool ok = true;
    r.for_each_entry(it, [&](const std::string& key, const YAML::Mark& mark, const Item& value) {
      if (key == "driver") {
        auto t = r.checked_text(value, [](std::string_view v) -> std::string {
          return v == "mqtt" ? "" : "must be mqtt (other drivers are written as a line string)";
        });
        if (t) driver = t->value; else ok = false;
      } else if (key == "device") {
        auto t = r.checked_text(value, [](std::string_view v) -> std::string {
          if (v.empty() || v.size() > 32) return "device names are 1-32 of a-z 0-9 _ -";
          for (char c : v)
            if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-'))
              return "device names are 1-32 of a-z 0-9 _ -";
          return "";
        });
        if (t) device = t->value; else ok = false;
      } else if (key == "output") {
        auto v = r.integer(value, 1, 64);
        if (v) output = *v; else ok = false;
      } else {
        r.error(mark, value.path, "unknown key (known keys: driver, device, output)");
        ok = false;
      }
    });
    if (!ok) return std::nullopt;
    if (driver.empty() || device.empty()) {
      r.error(it, "a relay map needs driver: mqtt and device: NAME");
      return std::nullopt;
    }
    return "mqtt:" + device + ":" + std::to_string(output);
  };
}

std::string check_door_id(std::string_view s) {
  if (s.empty() || s.size() > 64) return "door ids are 1-64 characters";
  for (char c : s)
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_' && c != '-')
      return "door ids use A-Z a-z 0-9 _ -";
  return "";
}

std::string check_dtmf_code(std::string_view s) {
  if (s.empty() || s.size() > 16) return "DTMF codes are 1-16 keys";
  for (char c : s)
    if (!std::isdigit(static_cast<unsigned char>(c)) && c != '*' && c != '#' && (c < 'A' || c > 'D'))
      return "DTMF codes use 0-9 * # A-D";
  return "";
}

std::string check_member(std::string_view s) {
  if (s == "webrtc:*") return "";  // every open browser phone
  if (s.rfind("webrtc:", 0) == 0) return s.size() > 7 ? check_name(s) : "expected webrtc:<user>";
  return check_name(s);
}

Schema<RingGroupConfig> ring_group_schema() {
  using G = RingGroupConfig;
  Schema<G> s;
  s.add(required(string("id", &G::id, "dialled as sip:<id>@<sip.domain> (breakonthru: 7000)", check_name)))
      .add(string_list("members", &G::members,
                       "extensions rung (all their phones), webrtc:<user> (that user's browser phones) or webrtc:* "
                       "(every open browser phone)",
                       check_member, "extensions | webrtc:<user> | webrtc:*"))
      .add(choice("strategy", &G::strategy, {"parallel", "sequential"},
                  "parallel: all at once, first answer wins; sequential: one member after the other"))
      .add(duration("ring_timeout", &G::ring_timeout, 1, 600, "nobody answered after this: visitor message or hang up"))
      .add(duration("member_timeout", &G::member_timeout, 1, 600, "sequential: how long each member rings"))
      .add(choice("answer", &G::answer, {"first", "conference"},
                  "first: the first answer wins, the others are cancelled; conference: the others keep ringing and "
                  "whoever answers joins a mixed call"));
  return s;
}

Schema<RtpConfig> call_rtp_schema() {
  using R = RtpConfig;
  Schema<R> s;
  s.add(string("bind_address", &R::bind_address, "address the media relay listens on", check_ip, "IP address"))
      .add(string("public_address", &R::public_address,
                  "address announced in SDP; empty = the first sip.listen host (127.0.0.1 when that is 0.0.0.0)",
                  [](std::string_view v) { return v.empty() ? std::string() : check_ip(v); }, "IP address"))
      .add(integer("port_min", &R::port_min, 1024, 65534, "lowest relay port (RTP even, RTCP + 1)"))
      .add(integer("port_max", &R::port_max, 1025, 65535, "highest relay port"))
      .add(duration("idle_timeout", &R::idle_timeout, 5, 3600, "a call without RTP for this long is ended"))
      .check([](Reader& r, const Item& section, const R& rtp) {
        if (rtp.port_max - rtp.port_min < 3)
          r.error(child(section, "port_min"), "port_min..port_max must hold at least two port pairs, got " +
                                                  std::to_string(rtp.port_min) + ".." + std::to_string(rtp.port_max));
      });
  return s;
}

Schema<CallsConfig> calls_schema() {
  using C = CallsConfig;
  Schema<C> s;
  s.add(path("visitor_prompt", &C::visitor_prompt, "WAV (8 kHz, mono, 16-bit) played before a visitor message; "
                                                   "empty = a beep"))
      .add(duration("visitor_message_max", &C::visitor_message_max, 1, 600, "longest visitor message"))
      .add(integer("dtmf_max_failures", &C::dtmf_max_failures, 1, 100,
                   "wrong DTMF door codes before DTMF opening is locked for that door"))
      .add(duration("dtmf_lockout", &C::dtmf_lockout, 1, kDay, "how long DTMF opening stays locked"));
  return s;
}

Schema<DoorEntry> door_schema() {
  using D = DoorEntry;
  Schema<D> s;
  s.add(required(string("id", &D::id, "door id used in URLs and events (demo: front, back)", check_door_id)))
      .add(door_field<std::string>("name", &D::name, "string", "", "shown to people; defaults to the id",
                                   text_reader()))
      .add(door_field<std::string>("relay", &D::relay, "line or map",
                                   "sim:NAME | gpio:CHIP:OFFSET[:opts] | {driver: mqtt, device: NAME, output: N}",
                                   "output line that unlocks (required unless a demo door)", relay_reader()))
      .add(door_field<std::string>("mode", &D::mode, "string", "pulse | hold | lock",
                                   "pulse: unlock for `hold`; hold: until locked; lock: bistable",
                                   text_reader([](std::string_view v) -> std::string {
                                     return v == "pulse" || v == "hold" || v == "lock" ? ""
                                                                                       : "must be one of pulse | hold | lock";
                                   })))
      .add(door_field<long long>("hold", &D::hold_ms, "seconds", "1 .. 3600", "pulse length (default 5)",
                                 int_reader(1, 3600, 1000)))
      .add(door_field<std::string>("contact", &D::contact, "line", "", "door contact input (active = open)",
                                   text_reader(check_name)))
      .add(door_field<long long>("contact_bouncetime", &D::contact_bouncetime_ms, "milliseconds", "0 .. 1000",
                                 "door contact debounce (default 20)", int_reader(0, 1000)))
      .add(door_field<long long>("left_open_after", &D::left_open_after_s, "seconds", "0 .. 86400",
                                 "door-left-open alarm after this long open; 0 disables (default 60)",
                                 int_reader(0, kDay)))
      .add(door_field<bool>("forced_open_alarm", &D::forced_open_alarm, "boolean", "true | false",
                            "alarm when the contact opens while locked (default true)",
                            [](Reader& r, const Item& it) { return r.boolean(it); }))
      .add(door_field<std::string>("button", &D::button, "line", "", "call button input (active = pressed)",
                                   text_reader(check_name)))
      .add(door_field<long long>("bouncetime", &D::bouncetime_ms, "milliseconds", "0 .. 1000",
                                 "call button debounce (default 2)", int_reader(0, 1000)))
      .add(door_field<long long>("page_throttle", &D::page_throttle_s, "seconds", "0 .. 3600",
                                 "at most one ring per this many seconds (default 15)", int_reader(0, 3600)))
      .add(door_field<std::string>("station", &D::station, "string", "extension",
                                   "the door station's extension (it auto-answers); optional", text_reader(check_name)))
      .add(door_field<std::string>("ring_group", &D::ring_group, "string", "a ring_groups id",
                                   "who the station and the call button ring", text_reader(check_name)))
      .add(door_field<std::string>("dtmf_code", &D::dtmf_code, "string", "1-16 of 0-9 * # A-D",
                                   "keys a resident presses in a call to open this door (default #)",
                                   text_reader(check_dtmf_code)))
      .add(door_field<long long>("call_limit", &D::call_limit_s, "seconds", "0 .. 86400",
                                 "an answered door call ends after this; 0 = no limit (default 120)",
                                 int_reader(0, kDay)))
      .add(door_field<bool>("visitor_message", &D::visitor_message, "boolean", "true | false",
                            "record a visitor message when nobody answers (default false)",
                            [](Reader& r, const Item& it) { return r.boolean(it); }));
  return s;
}

Field<Config> doors_field() {
  auto f = section_list("doors", &Config::doors, door_schema(), "doors (demo: front and back exist already)", "[]");
  auto read = f.read;
  f.read = [read](Reader& r, const Item& it, Config& out) {
    read(r, it, out);
    // Remember where each entry starts, for errors found when the doors are put together.
    std::size_t i = 0;
    if (it.node.IsSequence()) {
      for (const auto& element : it.node) {
        if (i < out.doors.size()) {
          out.doors[i].line = element.Mark().line + 1;
          out.doors[i].column = element.Mark().column + 1;
        }
        ++i;
      }
    }
  };
  return f;
}

std::string check_timezone(std::string_view s) {
  if (s.empty()) return "";
  auto zone = access::SiteTimeZone::named(s);
  return zone ? "" : "unknown time zone (expected an IANA name such as Europe/Berlin)";
}

std::string check_public_url(std::string_view s) {
  if (s.empty()) return "";
  if (s.rfind("https://", 0) != 0 && s.rfind("http://", 0) != 0) return "expected an http:// or https:// URL";
  return check_name(s);
}

Schema<GuestPassConfig> guest_pass_schema() {
  using G = GuestPassConfig;
  Schema<G> s;
  s.add(boolean("enabled", &G::enabled, "guest passes: temporary unlock links"))
      .add(string("public_url", &G::public_url,
                  "start of the links given to guests (https://door.example.com); empty = the address the host used",
                  check_public_url, "http(s) URL"))
      .add(duration("default_validity", &G::default_validity, 60, 5 * 366 * kDay,
                    "how long a new pass lasts when the host gives no end"))
      .add(duration("purge_after", &G::purge_after, 0, 10 * 366 * kDay,
                    "passes are deleted this long after they ended (their audit rows stay)"))
      .add(integer("pin_max_failures", &G::pin_max_failures, 1, 100, "wrong PINs before a pass's PIN locks"))
      .add(duration("pin_lockout", &G::pin_lockout, 1, kDay, "how long a locked PIN stays locked"))
      .add(integer("per_ip_per_minute", &G::per_ip_per_minute, 1, 100000, "guest page requests per IP address"))
      .add(integer("per_ip_burst", &G::per_ip_burst, 1, 100000, "requests one IP address may make at once"))
      .add(integer("per_token_per_minute", &G::per_token_per_minute, 1, 100000, "guest page requests per link"))
      .add(integer("per_token_burst", &G::per_token_burst, 1, 100000, "requests one link may get at once"));
  return s;
}

std::string check_host_port(std::string_view s) {
  HostPort hp;
  return s.empty() || parse_host_port(std::string(s), hp) ? "" : "expected HOST:PORT";
}

Schema<MqttConfig> mqtt_schema() {
  using M = MqttConfig;
  Schema<M> s;
  s.add(string("broker", &M::broker, "MQTT broker; empty = MQTT off (unless embedded_broker)", check_host_port,
               "HOST:PORT"))
      .add(string("username", &M::username, "Portier's broker account (embedded broker: portier)"))
      .add(string("password", &M::password, "its password (use {file:} or {env:}); embedded: generated"))
      .add(path("password_file", &M::password_file, "file holding the password instead of `password`"))
      .add(boolean("tls", &M::tls, "connect to the broker over TLS"))
      .add(path("ca_file", &M::ca_file, "TLS: the broker's CA certificate; empty = system store"))
      .add(boolean("embedded_broker", &M::embedded_broker,
                   "start a local mosquitto on `broker` with generated password and ACL files"))
      .add(string("legacy_listener", &M::legacy_listener,
                  "embedded broker: anonymous listener for legacy-doorlock devices only (insecure; empty = none)",
                  check_host_port, "HOST:PORT"))
      .add(duration("command_timeout", &M::command_timeout, 1, 60,
                    "an unlock without the device's signed ack within this fails"))
      .add(duration("legacy_timeout", &M::legacy_timeout, 10, 3600,
                    "`timeout` given to legacy-doorlock devices; online while confirmed within 1.5 x this"))
      .check([](Reader& r, const Item& section, const M& m) {
        if (!m.password.empty() && !m.password_file.empty())
          r.error(child(section, "password_file"), "give password or password_file, not both");
        if (!m.legacy_listener.empty() && !m.embedded_broker)
          r.error(child(section, "legacy_listener"), "only for the embedded broker (embedded_broker: true)");
      });
  return s;
}

Schema<Config> build_config_schema() {
  Schema<FeaturesConfig> features;
  features.add(section("webrtc", &FeaturesConfig::webrtc, webrtc_schema(), "browser phone (see the WebRTC guide)"));
  Schema<Config> s;
  s.add(path("data_dir", &Config::data_dir, "folder for the database and recordings"))
      .add(boolean("demo", &Config::demo, "simulated door hardware and the demo doors"))
      .add(section("http", &Config::http, http_schema(), "web UI and API server"))
      .add(section("auth", &Config::auth, auth_schema(), "logins, sessions and lockout"))
      .add(section("logging", &Config::logging, logging_schema(), "log levels and format"))
      .add(section("sip", &Config::sip, sip_schema(), "SIP server"))
      .add(doors_field())
      .add(section_list("ring_groups", &Config::ring_groups, ring_group_schema(), "who a door rings", "[]"))
      .add(section("rtp", &Config::rtp, call_rtp_schema(), "media relay of calls"))
      .add(section("calls", &Config::calls, calls_schema(), "visitor messages and DTMF door codes"))
      .add(string("timezone", &Config::timezone,
                  "the site's time zone for guest-pass windows and schedules; empty = the machine's",
                  check_timezone, "IANA name, e.g. Europe/Berlin"))
      .add(section("guest_passes", &Config::guest_passes, guest_pass_schema(), "temporary unlock links for guests"))
      .add(section("mqtt", &Config::mqtt, mqtt_schema(), "MQTT door devices (docs/mqtt-protocol.md)"))
      .add(section("features", &Config::features, features, "optional features"));
  return s;
}

std::string table_cell(std::string s) {
  std::string out;
  for (char c : s) out += (c == '|') ? std::string("\\|") : std::string(1, c);
  return out;
}

}  // namespace

const Schema<Config>& config_schema() {
  static const Schema<Config> kSchema = build_config_schema();
  return kSchema;
}

std::vector<KeyDoc> config_key_docs() {
  std::vector<KeyDoc> docs;
  config_schema().describe_keys("", docs);
  return docs;
}

std::string config_key_table() {
  std::string s = "| Key | Type | Default | Allowed | Meaning |\n|---|---|---|---|---|\n";
  for (const auto& d : config_key_docs()) {
    const bool literal = !d.default_value.empty() && d.default_value.front() != '(';
    s += "| `" + d.key + "` | " + d.type + " | " + (literal ? "`" + d.default_value + "`" : d.default_value) +
         " | " + table_cell(d.allowed) + " | " + table_cell(d.doc) + " |\n";
  }
  return s;
}

bool valid_sip_listen(std::string_view text) {
  const auto colon = text.find(':');
  if (colon == std::string_view::npos) return false;
  const auto transport = text.substr(0, colon);
  if (transport != "udp" && transport != "tcp" && transport != "tls") return false;
  HostPort hp;
  return parse_host_port(std::string(text.substr(colon + 1)), hp);
}

}  // namespace portier::app
