// The shipped files: config/portier.example.yaml and portier.demo.yaml validate, the example documents every key
// with its default, the seed guide's features.webrtc block parses, and docs/configuration.md's key table is the one
// the schema prints. Set PORTIER_UPDATE_DOCS=1 to rewrite that table after changing the schema.
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <yaml-cpp/yaml.h>

#include "app/config.hpp"
#include "app/config_sections.hpp"

namespace portier::app {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

constexpr const char* kTableBegin = "<!-- BEGIN GENERATED KEY TABLE -->\n";
constexpr const char* kTableEnd = "<!-- END GENERATED KEY TABLE -->";

std::string read_text(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

Config load_ok(const fs::path& file) {
  auto load = load_config(file);
  for (const auto& e : load.errors) ADD_FAILURE() << e.format();
  return load.config.value_or(Config{});
}

// Key paths present in a YAML tree, list elements as "key[]".
void collect_keys(const YAML::Node& node, const std::string& prefix, std::set<std::string>& out) {
  if (node.IsMap()) {
    for (const auto& entry : node) {
      const std::string key = prefix.empty() ? entry.first.Scalar() : prefix + "." + entry.first.Scalar();
      out.insert(key);
      if (key != "logging.subsystems") collect_keys(entry.second, key, out);
    }
  } else if (node.IsSequence()) {
    for (const auto& element : node) collect_keys(element, prefix + "[]", out);
  }
}

TEST(ConfigFiles, ExampleValidatesAndHoldsTheDefaults) {
  const fs::path file = fs::path(PORTIER_CONFIG_DIR) / "portier.example.yaml";
  const Config example = load_ok(file);
  auto defaults = parse_config("", file);
  ASSERT_TRUE(defaults.config);
  EXPECT_EQ(example, *defaults.config) << "portier.example.yaml must show every default value";
}

TEST(ConfigFiles, ExampleDocumentsEveryKey) {
  const fs::path file = fs::path(PORTIER_CONFIG_DIR) / "portier.example.yaml";
  const std::string text = read_text(file);
  std::set<std::string> present;
  collect_keys(YAML::Load(text), "", present);
  for (const auto& d : config_key_docs()) {
    if (present.count(d.key)) continue;
    // Keys of list elements whose default list is empty (turn_servers) appear in a commented-out example.
    const auto leaf = d.key.substr(d.key.rfind('.') + 1);
    const bool in_list = d.key.find("[]") != std::string::npos;
    EXPECT_TRUE(in_list && text.find(leaf + ":") != std::string::npos) << d.key << " is not in " << file;
  }
}

TEST(ConfigFiles, DemoValidates) {
  const fs::path file = fs::path(PORTIER_CONFIG_DIR) / "portier.demo.yaml";
  const Config c = load_ok(file);
  EXPECT_EQ(c.data_dir, fs::path(PORTIER_CONFIG_DIR) / "data");
  EXPECT_TRUE(c.demo);
  EXPECT_EQ(c.http.listen.host, "127.0.0.1");
  EXPECT_EQ(c.http.listen.port, 8080);
  EXPECT_THAT(c.sip.listen, ::testing::ElementsAre("udp:127.0.0.1:5060", "tcp:127.0.0.1:5060"));
  // The one-laptop demo (docs/webrtc.md "Demo door"): browser phones on, each demo door rings every open tab.
  EXPECT_TRUE(c.features.webrtc.enabled);
  ASSERT_EQ(c.ring_groups.size(), 2u);
  for (const auto& g : c.ring_groups) {
    EXPECT_THAT(g.members, ::testing::ElementsAre("webrtc:*"));
    EXPECT_EQ(g.answer, "conference");
  }
  ASSERT_EQ(c.doors.size(), 2u);
  EXPECT_EQ(c.doors[0].id, "front");
  EXPECT_EQ(c.doors[0].ring_group, std::optional<std::string>("7000"));
  EXPECT_EQ(c.doors[1].id, "back");
  EXPECT_EQ(c.doors[1].ring_group, std::optional<std::string>("7001"));
  EXPECT_EQ(c.ring_groups[0].id, "7000");
  EXPECT_EQ(c.ring_groups[1].id, "7001");
}

TEST(ConfigFiles, SeedWebRtcBlockParses) {
  const Config c = load_ok(fs::path(PORTIER_TEST_DATA_DIR) / "webrtc-seed.yaml");
  const auto& w = c.features.webrtc;
  EXPECT_TRUE(w.enabled);
  EXPECT_FALSE(w.verbose_logging);
  EXPECT_EQ(w.session_timeout, 3600s);
  EXPECT_EQ(w.ice_transport_policy, "all");
  EXPECT_THAT(w.stun_servers,
              ::testing::ElementsAre("stun:stun.l.google.com:19302", "stun:stun1.l.google.com:19302"));
  EXPECT_TRUE(w.turn_servers.empty());
  EXPECT_EQ(w.codecs, WebRtcConfig{}.codecs);
  EXPECT_EQ(w.dtmf, WebRtcConfig::Dtmf{});
  EXPECT_EQ(w.rtp, WebRtcConfig::Rtp{});
  EXPECT_EQ(w.nat, WebRtcConfig::Nat{});
  EXPECT_EQ(w.audio, WebRtcConfig::Audio{});
}

TEST(ConfigFiles, DocsKeyTableMatchesSchema) {
  const fs::path docs = fs::path(PORTIER_DOCS_DIR) / "configuration.md";
  std::string text = read_text(docs);
  const auto begin = text.find(kTableBegin);
  auto end = text.find(kTableEnd);
  ASSERT_NE(begin, std::string::npos) << docs << " lacks " << kTableBegin;
  ASSERT_NE(end, std::string::npos) << docs << " lacks " << kTableEnd;
  const auto from = begin + std::string(kTableBegin).size();
  const std::string table = config_key_table();
  if (std::getenv("PORTIER_UPDATE_DOCS")) {
    text.replace(from, end - from, table);
    end = from + table.size();
    std::ofstream(docs, std::ios::binary) << text;
  }
  EXPECT_EQ(text.substr(from, end - from), table)
      << "the key table in " << docs << " is stale; rerun this test with PORTIER_UPDATE_DOCS=1";
}

// Any prefix of a valid file, and the file with any one character replaced, gives a result or errors: never an
// exception, never a crash.
TEST(ConfigFiles, DamagedFilesNeverThrow) {
  const std::string text = read_text(fs::path(PORTIER_CONFIG_DIR) / "portier.example.yaml");
  ASSERT_FALSE(text.empty());
  for (std::size_t cut = 0; cut < text.size(); cut += 13) {
    EXPECT_NO_THROW(parse_config(text.substr(0, cut), "cut.yaml")) << cut;
  }
  for (std::size_t i = 0; i < text.size(); i += 17) {
    for (char c : {'[', '{', ':', '-', '"', '*', '\0'}) {
      std::string damaged = text;
      damaged[i] = c;
      EXPECT_NO_THROW(parse_config(damaged, "damaged.yaml")) << i << " " << c;
    }
  }
}

TEST(ConfigFiles, EveryKeyHasADoc) {
  std::set<std::string> keys;
  for (const auto& d : config_key_docs()) {
    EXPECT_FALSE(d.doc.empty()) << d.key;
    EXPECT_FALSE(d.type.empty()) << d.key;
    EXPECT_TRUE(keys.insert(d.key).second) << "duplicate " << d.key;
  }
  EXPECT_TRUE(keys.count("features.webrtc.audio.comfort_noise"));
  EXPECT_TRUE(keys.count("features.webrtc.codecs[].payload_type"));
}

}  // namespace
}  // namespace portier::app
