#include "sip/ua/registrar.hpp"

#include <gtest/gtest.h>

#include "sip/msg/parser.hpp"
#include "sip/ua/in_memory_binding_store.hpp"
#include "unit/sip/sip_text.hpp"

namespace portier::sip::ua {
namespace {

using namespace std::chrono_literals;

struct Events : RegistrationListener {
  std::vector<std::string> log;
  void on_binding_registered(const Binding& b) override { log.push_back("registered " + b.contact); }
  void on_binding_refreshed(const Binding& b) override { log.push_back("refreshed " + b.contact); }
  void on_binding_unregistered(const Binding& b) override { log.push_back("unregistered " + b.contact); }
  void on_binding_expired(const Binding& b) override { log.push_back("expired " + b.contact); }
};

class RegistrarTest : public ::testing::Test {
 protected:
  FakeClock clock;
  InMemoryBindingStore store;
  Events events;
  Registrar::Options options{60, 3600, 1800, 3};
  std::unique_ptr<Registrar> registrar = std::make_unique<Registrar>(store, clock, &events, options);
  std::vector<std::string> buffers;
  const txn::Peer source{txn::Protocol::udp, "203.0.113.5", 40000, 0, 0};
  std::uint32_t cseq = 1;

  Registrar::Outcome reg(const std::string& contacts, const std::string& expires = {},
                         const std::string& call_id = "cid-1") {
    const auto n = std::to_string(cseq++);
    std::string req = "REGISTER sip:portier.local SIP/2.0\n"
                      "Via: SIP/2.0/UDP 10.0.0.5:5062;branch=z9hG4bK" + n + ";rport\n"
                      "From: <sip:101@portier.local>;tag=f\nTo: <sip:101@portier.local>\n"
                      "Call-ID: " + call_id + "\nCSeq: " + n + " REGISTER\n";
    if (!contacts.empty()) req += "Contact: " + contacts + "\n";
    if (!expires.empty()) req += "Expires: " + expires + "\n";
    req += "Content-Length: 0\n\n";
    buffers.push_back(test::crlf(req));
    auto m = msg::parse_message(buffers.back());
    EXPECT_TRUE(m);
    return registrar->handle(*m, "101", source);
  }
};

TEST_F(RegistrarTest, RegisterDefaultExpiryAndQuery) {
  auto out = reg("<sip:101@10.0.0.5:5062>");
  EXPECT_EQ(out.status, 200);
  ASSERT_EQ(out.headers.size(), 1u);
  EXPECT_EQ(out.headers[0].second, "<sip:101@10.0.0.5:5062>;expires=1800");
  EXPECT_EQ(registrar->count(), 1u);
  EXPECT_EQ(store.size(), 1u);
  EXPECT_TRUE(registrar->bindings("101")[0].behind_nat());
  EXPECT_EQ(events.log, std::vector<std::string>{"registered sip:101@10.0.0.5:5062"});
  auto query = reg("");  // no Contact: just list
  EXPECT_EQ(query.status, 200);
  EXPECT_EQ(query.headers.size(), 1u);
}

TEST_F(RegistrarTest, ExpiryLimits) {
  auto brief = reg("<sip:101@h>", "30");
  EXPECT_EQ(brief.status, 423);
  EXPECT_EQ(brief.headers[0], (std::pair<std::string, std::string>{"Min-Expires", "60"}));
  EXPECT_EQ(registrar->count(), 0u);
  auto longer = reg("<sip:101@h>;expires=99999");
  EXPECT_EQ(longer.headers[0].second, "<sip:101@h>;expires=3600");
}

TEST_F(RegistrarTest, SeveralContactsQRefreshAndRemove) {
  auto out = reg("<sip:101@a>;q=0.5, <sip:101@b>;expires=120", "600");
  ASSERT_EQ(out.headers.size(), 2u);
  EXPECT_EQ(out.headers[0].second, "<sip:101@a>;expires=600;q=0.5");
  EXPECT_EQ(out.headers[1].second, "<sip:101@b>;expires=120");
  reg("<sip:101@a>", "900");
  EXPECT_EQ(registrar->count(), 2u);
  reg("<sip:101@b>", "0");
  EXPECT_EQ(registrar->count(), 1u);
  EXPECT_EQ(events.log.back(), "unregistered sip:101@b");
  EXPECT_EQ(events.log[2], "refreshed sip:101@a");
}

TEST_F(RegistrarTest, StarRemovesAllAndNeedsExpiresZero) {
  reg("<sip:101@a>, <sip:101@b>");
  EXPECT_EQ(reg("*", "60").status, 400);
  EXPECT_EQ(reg("*").status, 400);
  EXPECT_EQ(reg("*", "0").status, 200);
  EXPECT_EQ(registrar->count(), 0u);
  EXPECT_EQ(store.size(), 0u);
}

TEST_F(RegistrarTest, InstanceIdIdentifiesTheDevice) {
  const std::string inst = ";+sip.instance=\"<urn:uuid:0000-1111>\";reg-id=1";
  reg("<sip:101@10.0.0.5:5062;ob>" + inst);
  reg("<sip:101@10.0.0.9:6000;ob>" + inst);  // same device, new address
  ASSERT_EQ(registrar->count(), 1u);
  EXPECT_EQ(registrar->bindings("101")[0].contact, "sip:101@10.0.0.9:6000;ob");
  EXPECT_EQ(registrar->bindings("101")[0].instance, "<urn:uuid:0000-1111>");
}

TEST_F(RegistrarTest, OutOfOrderCSeqRejected) {
  reg("<sip:101@a>");
  reg("<sip:101@a>");
  cseq = 1;
  EXPECT_EQ(reg("<sip:101@a>").status, 500);
  EXPECT_EQ(registrar->bindings("101")[0].cseq, 2u);
  EXPECT_EQ(reg("<sip:101@a>", "", "other-call").status, 200);  // another Call-ID is another client
}

// A stateless registrar sees the retransmission of a REGISTER whose 200 was lost: same Call-ID and CSeq. It gets
// the same 200 with the current bindings, and the binding (expiry included) stays as it was.
TEST_F(RegistrarTest, RetransmissionAfterLost200IsAnsweredUnchanged) {
  auto first = reg("<sip:101@a>", "600");
  ASSERT_EQ(first.status, 200);
  const auto expires_at = registrar->bindings("101")[0].expires_at;
  clock.advance(10s);
  cseq = 1;
  auto copy = reg("<sip:101@a>", "600");
  EXPECT_EQ(copy.status, 200);
  ASSERT_EQ(copy.headers.size(), 1u);
  EXPECT_EQ(copy.headers[0].second, "<sip:101@a>;expires=590");  // the binding's remaining time, not renewed
  EXPECT_EQ(registrar->bindings("101")[0].expires_at, expires_at);
  EXPECT_EQ(registrar->duplicates(), 1u);
  EXPECT_EQ(events.log.size(), 1u);  // no second "registered"/"refreshed"
  // Even a copy with other contents changes nothing: Call-ID + CSeq identify the request.
  cseq = 1;
  EXPECT_EQ(reg("<sip:101@b>", "0").status, 200);
  EXPECT_EQ(registrar->count(), 1u);
  EXPECT_EQ(registrar->bindings("101")[0].contact, "sip:101@a");
  // A higher CSeq is a new request again and updates the binding.
  cseq = 2;
  auto refresh = reg("<sip:101@a>", "300");
  EXPECT_EQ(refresh.headers[0].second, "<sip:101@a>;expires=300");
  EXPECT_EQ(registrar->bindings("101")[0].cseq, 2u);
  EXPECT_EQ(events.log.back(), "refreshed sip:101@a");
  EXPECT_EQ(registrar->duplicates(), 2u);
}

TEST_F(RegistrarTest, MaxContacts) {
  reg("<sip:101@a>, <sip:101@b>, <sip:101@c>");
  EXPECT_EQ(reg("<sip:101@d>").status, 403);
  EXPECT_EQ(registrar->count(), 3u);
}

TEST_F(RegistrarTest, ExpireAndRestore) {
  reg("<sip:101@a>", "60");
  reg("<sip:101@b>", "600");
  clock.advance(61s);
  registrar->expire();
  EXPECT_EQ(registrar->count(), 1u);
  EXPECT_EQ(events.log.back(), "expired sip:101@a");
  // A new registrar over the same store (a restart) gets the surviving binding back.
  Registrar again(store, clock, nullptr, options);
  again.restore();
  EXPECT_EQ(again.count(), 1u);
  clock.advance(600s);
  Registrar later(store, clock, nullptr, options);
  later.restore();
  EXPECT_EQ(later.count(), 0u);
}

TEST_F(RegistrarTest, BadContactIs400) { EXPECT_EQ(reg("<sip:101@a").status, 400); }

}  // namespace
}  // namespace portier::sip::ua
