// The native protocol's payloads and the device-side guard: MACs, counters, the time window, malformed input.
#include <gtest/gtest.h>

#include <chrono>

#include "base/clock.hpp"
#include "base/error.hpp"
#include "device/mqtt/command_codec.hpp"
#include "device/mqtt/command_guard.hpp"

namespace portier::device::mqtt {
namespace {

const std::string kKey = "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff";

Command unlock_cmd(std::uint64_t counter, std::int64_t ts) { return {"gate", Action::unlock, 1, 5000, counter, ts}; }

TEST(MqttCodec, CommandRoundTrip) {
  const auto c = unlock_cmd(42, 1'800'000'000'000);
  const auto text = serialize(c, kKey);
  auto back = parse_command(text, kKey);
  ASSERT_TRUE(back) << back.error().what();
  EXPECT_EQ(back->device, "gate");
  EXPECT_EQ(back->action, Action::unlock);
  EXPECT_EQ(back->output, 1);
  EXPECT_EQ(back->duration_ms, 5000u);
  EXPECT_EQ(back->counter, 42u);
  EXPECT_EQ(back->ts_ms, 1'800'000'000'000);
}

TEST(MqttCodec, CanonicalTextIsDocumented) {
  // docs/mqtt-protocol.md shows this exact text; firmware authors compute the MAC over it.
  EXPECT_EQ(canonical(unlock_cmd(7, 1700000000123)), "portier-cmd-v1\ngate\nunlock\n1\n5000\n7\n1700000000123");
  // RFC 4231 test case 2: HMAC-SHA256("Jefe", "what do ya want for nothing?").
  EXPECT_EQ(hmac_hex("Jefe", "what do ya want for nothing?"),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
}

TEST(MqttCodec, WrongKeyOrTamperedFieldIsUnauthenticated) {
  auto text = serialize(unlock_cmd(1, 1000), kKey);
  auto other = parse_command(text, "another key");
  ASSERT_FALSE(other);
  EXPECT_EQ(other.error().code, make_error_code(errc::unauthenticated));
  const auto pos = text.find("\"duration_ms\":5000");
  ASSERT_NE(pos, std::string::npos);
  text.replace(pos, 18, "\"duration_ms\":9000");
  auto tampered = parse_command(text, kKey);
  ASSERT_FALSE(tampered);
  EXPECT_EQ(tampered.error().code, make_error_code(errc::unauthenticated));
}

TEST(MqttCodec, MalformedPayloadsAreErrorsNotCrashes) {
  for (const char* bad : {"", "null", "[]", "{}", "{\"v\":2}", "{\"v\":1,\"device\":\"Gate\"}", "\xff\xfe",
                          "{\"v\":1,\"device\":\"gate\",\"action\":\"open\"}",
                          "{\"v\":1,\"device\":\"gate\",\"action\":\"unlock\",\"output\":-1}",
                          "{\"v\":1,\"device\":\"gate\",\"action\":\"unlock\",\"output\":1,\"duration_ms\":1e99}",
                          "{\"v\":1,\"device\":\"gate\",\"action\":\"unlock\",\"output\":1,\"duration_ms\":1,"
                          "\"counter\":1,\"ts\":1,\"mac\":5}"}) {
    auto r = parse_command(bad, kKey);
    ASSERT_FALSE(r) << bad;
    EXPECT_EQ(r.error().code, make_error_code(errc::invalid_argument)) << bad;
  }
  EXPECT_FALSE(parse_command(std::string(kMaxPayloadBytes + 1, ' '), kKey));
  EXPECT_FALSE(parse_ack("{\"v\":1}", kKey));
  EXPECT_FALSE(parse_state("{\"v\":1,\"device\":\"gate\",\"outputs\":[1]}", kKey));
}

TEST(MqttCodec, AckAndStateRoundTrip) {
  Ack a{"gate", 9, AckResult::rejected, "replay", 123};
  auto back = parse_ack(serialize(a, kKey), kKey);
  ASSERT_TRUE(back);
  EXPECT_EQ(back->result, AckResult::rejected);
  EXPECT_EQ(back->reason, "replay");
  EXPECT_EQ(back->counter, 9u);
  State s{"gate", {true, false}, 9, 456};
  auto st = parse_state(serialize(s, kKey), kKey);
  ASSERT_TRUE(st);
  EXPECT_EQ(st->outputs, (std::vector<bool>{true, false}));
  EXPECT_FALSE(parse_state(serialize(s, kKey), "wrong"));
}

TEST(MqttCodec, DeviceNames) {
  EXPECT_TRUE(valid_device_name("gate-1_a"));
  for (const std::string& bad : {std::string(), std::string("Gate"), std::string("a/b"), std::string("a+b"),
                                 std::string("a#"), std::string(33, 'a')})
    EXPECT_FALSE(valid_device_name(bad)) << bad;
}

class MqttGuard : public ::testing::Test {
 protected:
  FakeClock clock;
  std::int64_t now() const { return to_unix_ms(clock.now()); }
  CommandGuard guard{{"gate", kKey, 2, std::chrono::seconds(30)}};
  CommandGuard::Decision send(const Command& c, const std::string& key = kKey) {
    return guard.check(serialize(c, key), now());
  }
};

TEST_F(MqttGuard, AcceptsIncreasingCountersOnly) {
  EXPECT_EQ(send(unlock_cmd(5, now())).result, AckResult::ok);
  EXPECT_EQ(guard.last_counter(), 5u);
  auto lower = send(unlock_cmd(4, now()));
  EXPECT_EQ(lower.result, AckResult::rejected);
  EXPECT_EQ(lower.reason, "replay");
  EXPECT_EQ(send(unlock_cmd(6, now())).result, AckResult::ok);
}

TEST_F(MqttGuard, ExactRedeliveryIsDuplicateNotRunAgain) {
  const auto text = serialize(unlock_cmd(10, now()), kKey);
  EXPECT_EQ(guard.check(text, now()).result, AckResult::ok);
  auto again = guard.check(text, now());
  EXPECT_EQ(again.result, AckResult::duplicate);
  EXPECT_EQ(again.command.counter, 10u);
  // Same counter, different content (a forged re-use of the counter) is a replay, not a duplicate.
  Command c = unlock_cmd(10, now());
  c.duration_ms = 1;
  EXPECT_EQ(send(c).reason, "replay");
}

TEST_F(MqttGuard, TimestampWindowUsesTheDeviceClock) {
  const auto issued = now();
  clock.advance(std::chrono::seconds(31));
  auto stale = send(unlock_cmd(1, issued));
  EXPECT_EQ(stale.result, AckResult::rejected);
  EXPECT_EQ(stale.reason, "stale");
  EXPECT_EQ(send(unlock_cmd(1, now() + 31'000)).reason, "stale");  // from the future
  EXPECT_EQ(send(unlock_cmd(1, now() - 29'000)).result, AckResult::ok);
  EXPECT_EQ(guard.last_counter(), 1u);  // refused commands never advanced it
}

TEST_F(MqttGuard, BadMacWrongDeviceAndBadOutput) {
  auto bad = send(unlock_cmd(3, now()), "not the key");
  EXPECT_EQ(bad.reason, "bad_mac");
  EXPECT_EQ(bad.command.counter, 3u);  // echoed so the sender can match the refusal
  Command other = unlock_cmd(3, now());
  other.device = "door2";
  EXPECT_EQ(send(other).reason, "wrong_device");
  Command out = unlock_cmd(3, now());
  out.output = 3;
  EXPECT_EQ(send(out).reason, "bad_output");
  EXPECT_EQ(guard.check("{garbage", now()).reason, "malformed");
  EXPECT_EQ(guard.last_counter(), 0u);
}

TEST_F(MqttGuard, AckIsSignedWithTheDeviceKey) {
  auto d = send(unlock_cmd(8, now()));
  auto ack = parse_ack(serialize(guard.ack_for(d, now()), kKey), kKey);
  ASSERT_TRUE(ack);
  EXPECT_EQ(ack->counter, 8u);
  EXPECT_EQ(ack->result, AckResult::ok);
}

}  // namespace
}  // namespace portier::device::mqtt
