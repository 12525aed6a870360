// Values that read correctly: defaults, a full file, secrets, relative paths, host:port, logging options.
#include <cstdlib>
#include <filesystem>
#include <fstream>

#include <unistd.h>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "app/config.hpp"

namespace portier::app {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

Config parse_ok(const std::string& yaml, const fs::path& file = "/srv/portier/portier.yaml") {
  auto load = parse_config(yaml, file);
  for (const auto& e : load.errors) ADD_FAILURE() << e.format();
  return load.config.value_or(Config{});
}

// A scratch folder under the system temp dir, removed afterwards.
struct TempDir {
  fs::path path = fs::temp_directory_path() / ("portier-config-test-" + std::to_string(::getpid()));
  TempDir() { fs::create_directories(path); }
  ~TempDir() { fs::remove_all(path); }
  void write(const std::string& name, const std::string& text) const { std::ofstream(path / name) << text; }
};

TEST(Config, EmptyFileGivesDefaults) {
  for (const char* text : {"", "# only a comment\n\n# and another\n", "---\n"}) {
    auto c = parse_ok(text);
    Config defaults;
    EXPECT_EQ(c.data_dir, "/srv/portier/data") << text;
    EXPECT_EQ(c.source, "/srv/portier/portier.yaml");
    EXPECT_FALSE(c.demo);
    EXPECT_EQ(c.http, defaults.http);
    EXPECT_EQ(c.auth, defaults.auth);
    EXPECT_EQ(c.logging, defaults.logging);
    EXPECT_EQ(c.sip, defaults.sip);
    EXPECT_EQ(c.features, defaults.features);
    EXPECT_EQ(c.http.listen.host, "127.0.0.1");
    EXPECT_EQ(c.http.listen.port, 8080);
  }
}

TEST(Config, EmptySectionsGiveDefaults) {
  auto c = parse_ok("http:\nauth: {}\nfeatures:\n  webrtc:\n");
  EXPECT_EQ(c, parse_ok(""));
}

TEST(Config, GoodFullFile) {
  auto load = load_config(fs::path(PORTIER_TEST_DATA_DIR) / "full.yaml");
  for (const auto& e : load.errors) ADD_FAILURE() << e.format();
  ASSERT_TRUE(load.config);
  const Config& c = *load.config;
  const fs::path dir = PORTIER_TEST_DATA_DIR;
  EXPECT_EQ(c.data_dir, dir / "state");
  EXPECT_TRUE(c.demo);
  EXPECT_EQ(c.http.listen.host, "::1");
  EXPECT_EQ(c.http.listen.port, 8443);
  EXPECT_EQ(c.http.tls.cert, dir / "tls/cert.pem");
  EXPECT_EQ(c.http.tls.key, "/etc/portier/key.pem");
  EXPECT_TRUE(c.http.tls.enabled());
  EXPECT_EQ(c.http.web_root, dir / "web");
  EXPECT_EQ(c.http.max_body_bytes, 2048u);
  EXPECT_EQ(c.http.request_timeout, 10s);
  EXPECT_EQ(c.http.idle_timeout, 120s);
  EXPECT_EQ(c.http.max_connections, 64u);
  EXPECT_THAT(c.http.trusted_proxies, ::testing::ElementsAre("127.0.0.1", "::1"));
  EXPECT_EQ(c.auth.session_idle, 600s);
  EXPECT_EQ(c.auth.session_absolute, 86400s);
  EXPECT_EQ(c.auth.max_failures, 3);
  EXPECT_EQ(c.auth.failure_window, 300s);
  EXPECT_EQ(c.auth.lockout, 900s);
  EXPECT_EQ(c.auth.ip_max_failures, 50);
  EXPECT_EQ(c.auth.argon2_opslimit, 1u);
  EXPECT_EQ(c.auth.argon2_memlimit_kib, 8u);
  EXPECT_EQ(c.logging.level, "warn");
  EXPECT_EQ(c.logging.subsystems, (std::map<std::string, std::string>{{"sip", "debug"}, {"http", "error"}}));
  EXPECT_TRUE(c.logging.json);
  EXPECT_EQ(c.logging.file, dir / "logs/portier.log");
  EXPECT_TRUE(c.logging.verbose_logging);
  EXPECT_THAT(c.sip.listen, ::testing::ElementsAre("udp:0.0.0.0:5070", "tls:[::]:5071"));
  EXPECT_EQ(c.sip.domain, "door.example.org");
  const auto& w = c.features.webrtc;
  EXPECT_TRUE(w.enabled);
  EXPECT_EQ(w.session_timeout, 7200s);
  EXPECT_EQ(w.ice_transport_policy, "relay");
  EXPECT_THAT(w.stun_servers, ::testing::ElementsAre("stuns:stun.example.org:5349"));
  ASSERT_EQ(w.turn_servers.size(), 1u);
  EXPECT_EQ(w.turn_servers[0], (WebRtcTurnServer{"turn:turn.example.org:3478", "door", "s3cret"}));
  ASSERT_EQ(w.codecs.size(), 1u);
  EXPECT_EQ(w.codecs[0], (WebRtcCodec{8, "PCMA", 1, true}));
  EXPECT_EQ(w.dtmf, (WebRtcConfig::Dtmf{"SIP_INFO", 96, 100, false}));
  EXPECT_EQ(w.rtp, (WebRtcConfig::Rtp{30000, 30100, 40}));
  EXPECT_EQ(w.nat, (WebRtcConfig::Nat{15, false}));
  EXPECT_FALSE(w.audio.comfort_noise);
  EXPECT_TRUE(w.audio.echo_cancellation);
}

TEST(Config, BooleansAndQuotedIntegers) {
  auto c = parse_ok("demo: yes\nlogging: {json: On}\nhttp: {max_connections: \"10\"}\n");
  EXPECT_TRUE(c.demo);
  EXPECT_TRUE(c.logging.json);
  EXPECT_EQ(c.http.max_connections, 10u);
}

TEST(Config, RelativePathsFollowTheConfigFile) {
  auto c = parse_ok("data_dir: ../state\nhttp:\n  web_root: ./web\n  tls: {cert: c.pem, key: /k.pem}\n"
                    "logging: {file: log/p.log}\n",
                    "/etc/portier/conf/portier.yaml");
  EXPECT_EQ(c.data_dir, "/etc/portier/state");
  EXPECT_EQ(c.http.web_root, "/etc/portier/conf/web");
  EXPECT_EQ(c.http.tls.cert, "/etc/portier/conf/c.pem");
  EXPECT_EQ(c.http.tls.key, "/k.pem");
  EXPECT_EQ(c.logging.file, "/etc/portier/conf/log/p.log");
  EXPECT_TRUE(parse_ok("").logging.file.empty());
  EXPECT_EQ(parse_ok("", "portier.yaml").data_dir, fs::current_path() / "data");
}

TEST(Config, SecretFromEnvironment) {
  ::setenv("PORTIER_TEST_TURN_PASSWORD", "pa55word", 1);
  auto c = parse_ok("features:\n  webrtc:\n    turn_servers:\n      - url: turn:t.example:3478\n"
                    "        username: u\n        credential: {env: PORTIER_TEST_TURN_PASSWORD}\n");
  ASSERT_EQ(c.features.webrtc.turn_servers.size(), 1u);
  EXPECT_EQ(c.features.webrtc.turn_servers[0].credential, "pa55word");
}

TEST(Config, SecretFromFileRelativeToConfig) {
  TempDir dir;
  dir.write("turn.secret", "from-file\r\n\n");
  dir.write("portier.yaml",
            "features:\n  webrtc:\n    turn_servers:\n      - url: turn:t.example:3478\n"
            "        credential: {file: turn.secret}\n");
  auto load = load_config(dir.path / "portier.yaml");
  for (const auto& e : load.errors) ADD_FAILURE() << e.format();
  ASSERT_TRUE(load.config);
  EXPECT_EQ(load.config->features.webrtc.turn_servers.at(0).credential, "from-file");
}

TEST(Config, LoadMissingOrUnreadableFile) {
  auto load = load_config("/nonexistent/portier.yaml");
  ASSERT_EQ(load.errors.size(), 1u);
  EXPECT_FALSE(load.config);
  EXPECT_EQ(load.errors[0].line, 0);
  EXPECT_EQ(load.errors[0].format(), "/nonexistent/portier.yaml: cannot read: No such file or directory");
  TempDir dir;
  EXPECT_EQ(load_config(dir.path).errors.at(0).format(), dir.path.string() + ": cannot read: is a directory");
}

TEST(Config, ErrorFormat) {
  EXPECT_EQ((ConfigError{"p.yaml", 12, 14, "http.x: bad"}).format(), "p.yaml:12:14: http.x: bad");
  EXPECT_EQ((ConfigError{"p.yaml", 0, 0, "cannot read"}).format(), "p.yaml: cannot read");
}

TEST(Config, ParseHostPort) {
  HostPort hp;
  ASSERT_TRUE(parse_host_port("0.0.0.0:80", hp));
  EXPECT_EQ(hp.host, "0.0.0.0");
  EXPECT_EQ(hp.port, 80);
  ASSERT_TRUE(parse_host_port("[fe80::1%eth0]:65535", hp));
  EXPECT_EQ(hp.host, "fe80::1%eth0");
  EXPECT_EQ(hp.port, 65535);
  ASSERT_TRUE(parse_host_port("door.example.org:8080", hp));
  EXPECT_EQ(hp.host, "door.example.org");
  for (const char* bad : {"", ":", "x", "x:", ":1", "x:0", "x:-1", "x:+1", "x:65536", "[::1]", "[]:80", "::1:80",
                          "[::1]x:80", "[fe80::1%]:80", "a/b:80"})
    EXPECT_FALSE(parse_host_port(bad, hp)) << bad;
}

TEST(Config, LoggingOptions) {
  LoggingConfig l;
  l.level = "warn";
  l.subsystems = {{"sip", "error"}};
  l.json = true;
  l.file = "/var/log/portier.log";
  auto o = l.to_options();
  EXPECT_EQ(o.level, "warn");
  EXPECT_EQ(o.subsystems, l.subsystems);
  EXPECT_TRUE(o.json);
  EXPECT_EQ(o.file, "/var/log/portier.log");
  l.verbose_logging = true;
  o = l.to_options();
  EXPECT_EQ(o.level, "debug");  // every subsystem not named explicitly
  EXPECT_EQ(o.subsystems.at("sip"), "error");
  l.level = "trace";
  EXPECT_EQ(l.to_options().level, "trace");  // verbose never makes logging quieter
}

}  // namespace
}  // namespace portier::app
