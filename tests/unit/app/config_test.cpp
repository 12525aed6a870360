// Every kind of bad value in portier.yaml is reported as "file:line:col: key.path: message" at the offending node.
#include "app/config.hpp"

#include <cstdlib>
#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace portier::app {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

std::vector<std::string> errors_of(const std::string& yaml) {
  auto load = parse_config(yaml, "t.yaml");
  EXPECT_EQ(load.config.has_value(), load.errors.empty());
  std::vector<std::string> out;
  for (const auto& e : load.errors) out.push_back(e.format());
  return out;
}

TEST(ConfigErrors, OutOfRangeInteger) {
  EXPECT_THAT(errors_of("http:\n  max_body_bytes: 12\n"),
              ElementsAre("t.yaml:2:19: http.max_body_bytes: must be between 1024 and 67108864, got 12"));
  EXPECT_THAT(errors_of("http:\n  max_connections: 99999999999999999999999\n"),
              ElementsAre("t.yaml:2:20: http.max_connections: must be between 1 and 100000, got "
                          "99999999999999999999999"));
  EXPECT_THAT(errors_of("auth: {lockout: 0}\n"),
              ElementsAre("t.yaml:1:17: auth.lockout: must be between 1 and 86400, got 0"));
}

TEST(ConfigErrors, StringWhereIntegerExpected) {
  EXPECT_THAT(errors_of("auth:\n  max_failures: many\n"),
              ElementsAre("t.yaml:2:17: auth.max_failures: expected an integer, got \"many\""));
  EXPECT_THAT(errors_of("http:\n  request_timeout: 1.5\n"),
              ElementsAre("t.yaml:2:20: http.request_timeout: expected an integer, got \"1.5\""));
  EXPECT_THAT(errors_of("http:\n  idle_timeout: [1]\n"),
              ElementsAre("t.yaml:2:17: http.idle_timeout: expected an integer, got a list"));
}

TEST(ConfigErrors, MapWhereListExpected) {
  EXPECT_THAT(errors_of("http:\n  trusted_proxies:\n    a: 1\n"),
              ElementsAre("t.yaml:3:5: http.trusted_proxies: expected a list, got a map"));
  EXPECT_THAT(errors_of("sip:\n  listen: udp:127.0.0.1:5060\n"),
              ElementsAre("t.yaml:2:11: sip.listen: expected a list, got \"udp:127.0.0.1:5060\""));
}

TEST(ConfigErrors, WrongSectionType) {
  EXPECT_THAT(errors_of("http: 5\n"), ElementsAre("t.yaml:1:7: http: expected a map, got \"5\""));
  EXPECT_THAT(errors_of("features:\n  webrtc: [enabled]\n"),
              ElementsAre("t.yaml:2:11: features.webrtc: expected a map, got a list"));
}

TEST(ConfigErrors, BadBoolean) {
  EXPECT_THAT(errors_of("demo: maybe\n"), ElementsAre("t.yaml:1:7: demo: expected true or false, got \"maybe\""));
}

TEST(ConfigErrors, EmptyValueIsPointedAtItsKey) {
  EXPECT_THAT(errors_of("logging:\n  level:\n  json: true\n"),
              ElementsAre("t.yaml:2:3: logging.level: expected a string, got nothing (write \"\" for an empty "
                          "string)"));
}

TEST(ConfigErrors, BadEnum) {
  EXPECT_THAT(errors_of("features:\n  webrtc:\n    ice_transport_policy: none\n"),
              ElementsAre("t.yaml:3:27: features.webrtc.ice_transport_policy: must be one of all | relay, got "
                          "\"none\""));
  EXPECT_THAT(errors_of("features:\n  webrtc:\n    dtmf: {mode: rfc2833}\n"),
              ElementsAre("t.yaml:3:18: features.webrtc.dtmf.mode: must be one of RFC2833 | SIP_INFO | INBAND, got "
                          "\"rfc2833\""));
  EXPECT_THAT(errors_of("features:\n  webrtc:\n    rtp:\n      packet_time: 25\n"),
              ElementsAre("t.yaml:4:20: features.webrtc.rtp.packet_time: must be one of 10 | 20 | 30 | 40 | 60, got "
                          "25"));
}

TEST(ConfigErrors, UnknownLogLevel) {
  EXPECT_THAT(errors_of("logging:\n  level: loud\n  subsystems:\n    sip: chatty\n    Bad Name: info\n"),
              ElementsAre("t.yaml:2:10: logging.level: unknown log level (expected trace, debug, info, warn, error, "
                          "critical or off), got \"loud\"",
                          "t.yaml:4:10: logging.subsystems.sip: unknown log level (expected trace, debug, info, "
                          "warn, error, critical or off), got \"chatty\"",
                          "t.yaml:5:5: logging.subsystems.Bad Name: subsystem names are lower-case letters, digits, "
                          "'_' and '-'"));
}

TEST(ConfigErrors, MalformedHostPort) {
  for (const char* bad : {"localhost", "localhost:", ":8080", "1.2.3.4:0", "1.2.3.4:65536", "::1:8080", "[::1:80",
                          "[zz]:80", "a b:80", "host:80x"}) {
    EXPECT_THAT(errors_of(std::string("http:\n  listen: \"") + bad + "\"\n"),
                ElementsAre(std::string("t.yaml:2:11: http.listen: expected HOST:PORT (port 1..65535, IPv6 as "
                                        "[addr]:port), got \"") +
                            bad + "\""))
        << bad;
  }
}

TEST(ConfigErrors, MalformedSipListen) {
  EXPECT_THAT(errors_of("sip:\n  listen: [udp:1.2.3.4:5060, sctp:1.2.3.4:5060]\n  domain: a b\n"),
              ElementsAre("t.yaml:2:30: sip.listen[1]: expected udp|tcp|tls:HOST:PORT, got \"sctp:1.2.3.4:5060\"",
                          "t.yaml:3:11: sip.domain: must not contain spaces, got \"a b\""));
  EXPECT_THAT(errors_of("sip:\n  listen:\n    - tcp:5060\n"),
              ElementsAre("t.yaml:3:7: sip.listen[0]: expected udp|tcp|tls:HOST:PORT, got \"tcp:5060\""));
}

TEST(ConfigErrors, SessionAbsoluteShorterThanIdle) {
  EXPECT_THAT(errors_of("auth:\n  session_idle: 7200\n  session_absolute: 3600\n"),
              ElementsAre("t.yaml:3:21: auth.session_absolute: must be at least auth.session_idle (7200), got 3600"));
}

TEST(ConfigErrors, RtpPortMinNotBelowMax) {
  EXPECT_THAT(errors_of("features:\n  webrtc:\n    rtp:\n      port_min: 20000\n"),
              ElementsAre("t.yaml:4:17: features.webrtc.rtp.port_min: must be less than port_max (20000), got "
                          "20000"));
}

TEST(ConfigErrors, TlsNeedsCertAndKey) {
  EXPECT_THAT(errors_of("http:\n  tls:\n    cert: c.pem\n"),
              ElementsAre("t.yaml:3:11: http.tls.cert: cert and key must be given together"));
}

TEST(ConfigErrors, UnknownKey) {
  auto errors = errors_of("data_dir: x\nhttp:\n  lisen: 127.0.0.1:80\nfeatures:\n  webrtc:\n    turn: []\n");
  ASSERT_EQ(errors.size(), 2u);
  EXPECT_EQ(errors[0],
            "t.yaml:3:3: http.lisen: unknown key (known keys: listen, tls, web_root, max_body_bytes, "
            "request_timeout, idle_timeout, max_connections, trusted_proxies)");
  EXPECT_THAT(errors[1], HasSubstr("t.yaml:6:5: features.webrtc.turn: unknown key (known keys: enabled,"));
  EXPECT_THAT(errors_of("bogus: []\n")[0], HasSubstr("t.yaml:1:1: bogus: unknown key"));
}

TEST(ConfigErrors, DuplicateKey) {
  EXPECT_THAT(errors_of("demo: true\nhttp:\n  listen: 127.0.0.1:80\n  listen: 127.0.0.1:81\ndemo: false\n"),
              ElementsAre("t.yaml:4:3: http.listen: duplicate key (first given on line 3)",
                          "t.yaml:5:1: demo: duplicate key (first given on line 1)"));
}

TEST(ConfigErrors, ListElementsNeedRequiredKeys) {
  EXPECT_THAT(errors_of("features:\n  webrtc:\n    codecs:\n      - name: PCMU\n      - payload_type: 300\n"
                        "        name: X\n    turn_servers:\n      - url: http://x\n"),
              ElementsAre("t.yaml:4:9: features.webrtc.codecs[0].payload_type: is required",
                          "t.yaml:5:23: features.webrtc.codecs[1].payload_type: must be between 0 and 127, got 300",
                          "t.yaml:8:14: features.webrtc.turn_servers[0].url: expected a turn: or turns: URL, got "
                          "\"http://x\""));
}

TEST(ConfigErrors, SyntaxError) {
  EXPECT_THAT(errors_of("http:\n  listen: [127.0.0.1:80\nauth: {}\n"),
              ElementsAre(::testing::StartsWith("t.yaml:3:5: YAML syntax error: ")));
  EXPECT_THAT(errors_of("a: b: c\n"), ElementsAre("t.yaml:1:5: YAML syntax error: illegal map value"));
}

TEST(ConfigErrors, TopLevelMustBeAMap) {
  EXPECT_THAT(errors_of("- data_dir\n- demo\n"),
              ElementsAre("t.yaml:1:1: the top level must be a map of keys, got a list"));
  EXPECT_THAT(errors_of("# comment\nhello\n"),
              ElementsAre("t.yaml:2:1: the top level must be a map of keys, got \"hello\""));
}

TEST(ConfigErrors, OnlyOneDocument) {
  EXPECT_THAT(errors_of("demo: true\n---\ndemo: false\n"),
              ElementsAre("t.yaml:3:1: only one YAML document is allowed, found 2"));
}

TEST(ConfigErrors, AllErrorsInFileOrder) {
  auto errors = errors_of(
      "features:\n  webrtc:\n    rtp: {port_max: 80}\nhttp:\n  max_body_bytes: x\n  idle_timeout: 0\n"
      "bogus: 1\nlogging: {level: nope}\n");
  ASSERT_EQ(errors.size(), 5u);
  EXPECT_THAT(errors[0], HasSubstr("t.yaml:3:21: features.webrtc.rtp.port_max: must be between 1024"));
  EXPECT_THAT(errors[1], HasSubstr("t.yaml:5:19: http.max_body_bytes: expected an integer"));
  EXPECT_THAT(errors[2], HasSubstr("t.yaml:6:17: http.idle_timeout: must be between 1"));
  EXPECT_THAT(errors[3], HasSubstr("t.yaml:7:1: bogus: unknown key"));
  EXPECT_THAT(errors[4], HasSubstr("t.yaml:8:18: logging.level: unknown log level"));
}

TEST(ConfigErrors, SecretsAreNeverEchoed) {
  ::setenv("PORTIER_TEST_BAD_LISTEN", "hunter2", 1);
  auto errors = errors_of("http:\n  listen: {env: PORTIER_TEST_BAD_LISTEN}\n");
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_THAT(errors[0], HasSubstr("t.yaml:2:11: http.listen: expected HOST:PORT"));
  EXPECT_THAT(errors[0], HasSubstr("the value from env PORTIER_TEST_BAD_LISTEN"));
  EXPECT_EQ(errors[0].find("hunter2"), std::string::npos);
}

TEST(ConfigErrors, MissingSecretSources) {
  ::unsetenv("PORTIER_TEST_UNSET");
  EXPECT_THAT(errors_of("sip:\n  domain: {env: PORTIER_TEST_UNSET}\n"),
              ElementsAre("t.yaml:2:11: sip.domain: environment variable PORTIER_TEST_UNSET is not set"));
  auto errors = errors_of("sip:\n  domain: {file: /nonexistent/portier-secret}\n");
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_THAT(errors[0], HasSubstr("t.yaml:2:11: sip.domain: cannot read secret file /nonexistent/portier-secret"));
  EXPECT_THAT(errors_of("sip:\n  domain: {vault: x}\n"),
              ElementsAre("t.yaml:2:11: sip.domain: expected a string, {file: PATH} or {env: NAME}, got a map"));
}

}  // namespace
}  // namespace portier::app
