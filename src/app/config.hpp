#pragma once
// The typed configuration: every key of config/portier.example.yaml with its default. Loaded from one YAML file by
// load_config(); unknown keys, wrong types and out-of-range values are errors with file:line:col.
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "base/log.hpp"

namespace portier::app {

struct HostPort {
  std::string host = "127.0.0.1";
  std::uint16_t port = 8080;
  bool operator==(const HostPort&) const = default;
};

struct TlsConfig {
  std::filesystem::path cert;  // PEM certificate chain; empty = plain HTTP
  std::filesystem::path key;   // PEM private key
  bool enabled() const { return !cert.empty(); }
  bool operator==(const TlsConfig&) const = default;
};

struct HttpConfig {
  HostPort listen;                                   // http.listen: "HOST:PORT"
  TlsConfig tls;                                     // http.tls: {cert, key}
  std::filesystem::path web_root;                    // http.web_root: serve web/ from here instead of the binary
  std::size_t max_body_bytes = 1024 * 1024;          // http.max_body_bytes (1 KiB .. 64 MiB)
  std::chrono::seconds request_timeout{30};          // http.request_timeout: whole request read/write (1..600)
  std::chrono::seconds idle_timeout{60};             // http.idle_timeout: keep-alive idle (1..3600)
  std::size_t max_connections = 512;                 // http.max_connections (1..100000)
  std::vector<std::string> trusted_proxies;          // http.trusted_proxies: IPs whose X-Forwarded-For is believed
  bool operator==(const HttpConfig&) const = default;
};

struct AuthConfig {
  std::chrono::seconds session_idle{std::chrono::hours{12}};       // auth.session_idle (60 .. 30 days)
  std::chrono::seconds session_absolute{std::chrono::days{30}};    // auth.session_absolute (>= session_idle)
  int max_failures = 5;                                            // auth.max_failures before lockout (1..100)
  std::chrono::seconds failure_window{std::chrono::minutes{15}};   // auth.failure_window (1 .. 1 day)
  std::chrono::seconds lockout{std::chrono::minutes{15}};          // auth.lockout (1 .. 1 day)
  int ip_max_failures = 20;                                        // auth.ip_max_failures per IP (1..10000)
  // Argon2id cost: libsodium's "interactive" limits unless set (tests lower them).
  std::uint64_t argon2_opslimit = 2;                               // auth.argon2_opslimit (1..10)
  std::uint64_t argon2_memlimit_kib = 65536;                       // auth.argon2_memlimit_kib (8 .. 1048576)
  bool operator==(const AuthConfig&) const = default;
};

struct LoggingConfig {
  std::string level = "info";                        // logging.level
  std::map<std::string, std::string> subsystems;     // logging.subsystems: {sip: debug, http: warn}
  bool json = false;                                 // logging.json
  std::filesystem::path file;                        // logging.file: empty = stderr
  bool verbose_logging = false;                      // logging.verbose_logging: every subsystem at debug
  log::Options to_options() const;
  bool operator==(const LoggingConfig&) const = default;
};

struct SipConfig {
  std::vector<std::string> listen{"udp:127.0.0.1:5060", "tcp:127.0.0.1:5060"};  // sip.listen ("udp|tcp|tls:HOST:PORT")
  std::string domain = "portier.local";                                         // sip.domain
  bool operator==(const SipConfig&) const = default;
};

// features.webrtc, exactly the keys of ../shared/seeds/WEBRTC-browser-phone-guide.md.
struct WebRtcCodec {
  int payload_type = 0;
  std::string name;
  int priority = 1;
  bool enabled = true;
  bool operator==(const WebRtcCodec&) const = default;
};
struct WebRtcTurnServer {
  std::string url;
  std::string username;
  std::string credential;
  bool operator==(const WebRtcTurnServer&) const = default;
};
struct WebRtcConfig {
  bool enabled = false;
  bool verbose_logging = false;
  std::chrono::seconds session_timeout{3600};
  std::string ice_transport_policy = "all";  // all | relay
  std::vector<std::string> stun_servers;
  std::vector<WebRtcTurnServer> turn_servers;
  std::vector<WebRtcCodec> codecs{{0, "PCMU", 1, true}, {8, "PCMA", 2, true}, {101, "telephone-event", 3, true}};
  struct Dtmf {
    std::string mode = "RFC2833";  // RFC2833 | SIP_INFO | INBAND
    int payload_type = 101;        // 96..127
    int duration = 160;            // ms, 40..2000
    bool sip_info_fallback = true;
    bool operator==(const Dtmf&) const = default;
  } dtmf;
  struct Rtp {
    int port_min = 10000;  // 1024..65535, port_min < port_max
    int port_max = 20000;
    int packet_time = 20;  // ms: 10, 20, 30, 40, 60
    bool operator==(const Rtp&) const = default;
  } rtp;
  struct Nat {
    int udp_update_time = 30;  // seconds, 5..3600
    bool rport = true;
    bool operator==(const Nat&) const = default;
  } nat;
  struct Audio {
    bool echo_cancellation = true;
    bool noise_reduction = true;
    bool auto_gain_control = true;
    bool voice_activity_detection = true;
    bool comfort_noise = true;
    bool operator==(const Audio&) const = default;
  } audio;
  // Not in the guide: the DTLS certificate (both empty: generated at start).
  std::filesystem::path dtls_certificate;
  std::filesystem::path dtls_private_key;
  bool operator==(const WebRtcConfig&) const = default;
};

// One `doors:` entry. Only the keys written in the file are set, so that an entry for a demo door (`front`, `back`)
// overrides just those keys; app/door_setup.cpp merges entries with the demo doors and validates the result.
struct DoorEntry {
  std::string id;
  std::optional<std::string> name;
  std::optional<std::string> relay;          // line spec: "front.relay", "sim:x", "gpio:gpiochip0:17[:active-low,...]",
                                             // "mqtt:DEVICE:N" (from {driver: mqtt, device: DEVICE, output: N})
  std::optional<std::string> mode;           // pulse | hold | lock
  std::optional<long long> hold_ms;          // `hold` in seconds in the file
  std::optional<std::string> contact;        // line spec of the door contact (active = open)
  std::optional<long long> contact_bouncetime_ms;
  std::optional<long long> left_open_after_s;
  std::optional<bool> forced_open_alarm;
  std::optional<std::string> button;         // line spec of the call button (active = pressed)
  std::optional<long long> bouncetime_ms;    // call button debounce (breakonthru's callbutton_bouncetime)
  std::optional<long long> page_throttle_s;  // one ring per window (page_throttle_duration)
  // Calls (issue #7).
  std::optional<std::string> station;        // the door station's extension
  std::optional<std::string> ring_group;     // ring_groups[].id rung by the station or the call button
  std::optional<std::string> dtmf_code;      // keys a resident presses to open this door (default "#")
  std::optional<long long> call_limit_s;     // an answered call ends after this (default 120)
  std::optional<bool> visitor_message;       // record a message when nobody answers (default false)
  int line = 0;                              // where the entry starts, for messages
  int column = 0;
  bool operator==(const DoorEntry&) const = default;
};

// guest_passes: temporary unlock links (docs/guest-passes.md).
struct GuestPassConfig {
  bool enabled = true;
  std::string public_url;                                          // links start with this; "" = the request's Host
  std::chrono::seconds default_validity{std::chrono::days{7}};     // a new pass lasts this long unless told
  std::chrono::seconds purge_after{std::chrono::days{30}};         // ended passes are deleted after this (audit stays)
  int pin_max_failures = 5;                                        // wrong PINs before the PIN locks
  std::chrono::seconds pin_lockout{std::chrono::minutes{15}};
  int per_ip_per_minute = 30;                                      // guest page requests per IP address
  int per_ip_burst = 10;
  int per_token_per_minute = 20;                                   // guest page requests per pass link
  int per_token_burst = 10;
  bool operator==(const GuestPassConfig&) const = default;
};

// mqtt: MQTT door devices (docs/mqtt-protocol.md). Off unless `broker` is set or `embedded_broker` is true.
struct MqttConfig {
  std::string broker;                         // "HOST:PORT"; empty with embedded_broker: 127.0.0.1:1883
  std::string username;                       // Portier's own broker account; embedded broker: "portier"
  std::string password;                       // or password_file; embedded broker: generated when empty
  std::filesystem::path password_file;
  bool tls = false;
  std::filesystem::path ca_file;              // TLS: CA certificate of the broker; empty = system store
  bool embedded_broker = false;               // start a local mosquitto with generated config
  std::string legacy_listener;                // embedded broker: "HOST:PORT" of an anonymous legacy-only listener
  std::chrono::seconds command_timeout{3};    // no signed ack within this: the unlock failed
  std::chrono::seconds legacy_timeout{60};    // `timeout` given to legacy-doorlock devices at login
  bool enabled() const { return !broker.empty() || embedded_broker; }
  HostPort broker_address() const;            // broker parsed, or 127.0.0.1:1883
  bool operator==(const MqttConfig&) const = default;
};

// ring_groups: who a door rings.
struct RingGroupConfig {
  std::string id;                            // dialled as sip:<id>@<domain>
  std::vector<std::string> members;          // extensions, or "webrtc:<user>" (skipped until WebRTC exists)
  std::string strategy = "parallel";         // parallel | sequential
  std::chrono::seconds ring_timeout{30};     // nobody answered: visitor message or hang up
  std::chrono::seconds member_timeout{10};   // sequential: each member's turn
  std::string answer = "first";              // first | conference
  bool operator==(const RingGroupConfig&) const = default;
};

// rtp: the media relay of calls.
struct RtpConfig {
  std::string bind_address = "0.0.0.0";      // relay sockets listen here
  std::string public_address;                // announced in SDP; "" = the first sip.listen host (127.0.0.1 if any)
  int port_min = 10000;
  int port_max = 20000;
  std::chrono::seconds idle_timeout{60};     // no RTP on a call for this long ends it
  bool operator==(const RtpConfig&) const = default;
};

// calls: visitor messages and DTMF door codes.
struct CallsConfig {
  std::filesystem::path visitor_prompt;                 // WAV (8 kHz mono 16-bit) before recording; "" = a beep
  std::chrono::seconds visitor_message_max{30};         // longest recording
  int dtmf_max_failures = 5;                            // wrong door codes before DTMF is locked for the door
  std::chrono::seconds dtmf_lockout{300};
  bool operator==(const CallsConfig&) const = default;
};

struct FeaturesConfig {
  WebRtcConfig webrtc;
  bool operator==(const FeaturesConfig&) const = default;
};

struct Config {
  std::filesystem::path source;     // the file this came from (for messages)
  std::filesystem::path data_dir = "data";  // data_dir: relative paths are relative to the config file's folder
  bool demo = false;                // demo: simulated hardware and the demo doors
  HttpConfig http;
  AuthConfig auth;
  LoggingConfig logging;
  SipConfig sip;
  std::vector<DoorEntry> doors;     // doors: list of maps (see DoorEntry)
  std::vector<RingGroupConfig> ring_groups;
  RtpConfig rtp;
  CallsConfig calls;
  std::string timezone;             // timezone: IANA name of the site's zone; "" = the machine's
  GuestPassConfig guest_passes;
  MqttConfig mqtt;
  FeaturesConfig features;
  bool operator==(const Config&) const = default;
};

// One problem in a config file; `line` and `column` are 1-based (0 when unknown).
struct ConfigError {
  std::string file;
  int line = 0;
  int column = 0;
  std::string message;
  std::string format() const;  // "file:line:col: message"
};

struct ConfigLoad {
  std::optional<Config> config;       // set when there were no errors
  std::vector<ConfigError> errors;    // every problem found, in file order
};

// Parses and validates YAML text; `file` names it in messages and anchors relative paths.
ConfigLoad parse_config(const std::string& yaml_text, const std::filesystem::path& file);
// Reads the file, then parse_config(). A missing or unreadable file is one error with line 0.
// Secrets: any string value written as {file: PATH} or {env: NAME} is read from that file (trailing newline removed)
// or environment variable; a missing file/variable is an error at that key.
ConfigLoad load_config(const std::filesystem::path& file);

// Parses "HOST:PORT" / "[v6]:PORT"; false when malformed.
bool parse_host_port(const std::string& text, HostPort& out);

}  // namespace portier::app
