// The generated mosquitto files: password hashes in mosquitto 2.0's format, and an ACL that confines each device to
// its own topics (the real-broker check is tests/integration/test_mqtt_acl.py).
#include <gtest/gtest.h>

#include <openssl/evp.h>

#include <cstring>

#include "device/mqtt/broker_files.hpp"

namespace portier::device::mqtt {
namespace {

std::vector<unsigned char> unbase64(const std::string& s) {
  std::vector<unsigned char> out(s.size());
  const int n = EVP_DecodeBlock(out.data(), reinterpret_cast<const unsigned char*>(s.data()), static_cast<int>(s.size()));
  out.resize(static_cast<std::size_t>(n));
  return out;
}

TEST(MqttBrokerFiles, PasswordHashIsMosquittoPbkdf2) {
  const auto h = broker_password_hash("secret1");
  ASSERT_EQ(h.rfind("$7$101$", 0), 0u) << h;
  const auto salt_end = h.find('$', 7);
  const auto salt = h.substr(7, salt_end - 7);
  const auto hash = h.substr(salt_end + 1);
  auto salt_bytes = unbase64(salt);
  ASSERT_GE(salt_bytes.size(), 12u);
  salt_bytes.resize(12);
  unsigned char expect[64];
  PKCS5_PBKDF2_HMAC("secret1", 7, salt_bytes.data(), 12, 101, EVP_sha512(), 64, expect);
  auto got = unbase64(hash);
  ASSERT_GE(got.size(), 64u);
  EXPECT_EQ(0, memcmp(expect, got.data(), 64));
  EXPECT_NE(broker_password_hash("secret1"), h);  // salted
}

TEST(MqttBrokerFiles, AclConfinesDevices) {
  access::NetworkDevice a;
  a.name = "gate";
  access::NetworkDevice legacy;
  legacy.name = "old";
  legacy.protocol = access::DeviceProtocol::legacy_doorlock;
  const auto acl = acl_text("portier", {a, legacy});
  EXPECT_NE(acl.find("user gate\ntopic read portier/gate/cmd\ntopic write portier/gate/ack\n"), std::string::npos);
  EXPECT_NE(acl.find("user portier\ntopic readwrite portier/#\n"), std::string::npos);
  EXPECT_EQ(acl.find("user old"), std::string::npos);  // legacy devices have no broker account
  EXPECT_EQ(acl.find("portier/gate/#"), std::string::npos);
}

}  // namespace
}  // namespace portier::device::mqtt
