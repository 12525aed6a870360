#include "sip/msg/name_addr.hpp"

#include <gtest/gtest.h>

namespace portier::sip::msg {
namespace {

TEST(NameAddr, QuotedDisplayName) {
  auto na = parse_name_addr(R"("Front \"Door\" 1" <sip:door@portier.local>;tag=abc)");
  ASSERT_TRUE(na) << na.error().what();
  EXPECT_EQ(na->display, R"(Front \"Door\" 1)");
  EXPECT_EQ(na->uri.user, "door");
  EXPECT_EQ(na->tag(), "abc");
}

TEST(NameAddr, TokenDisplayNameAndUriParams) {
  auto na = parse_name_addr("Alice Smith <sip:alice@host;transport=tcp>;expires=60");
  ASSERT_TRUE(na) << na.error().what();
  EXPECT_EQ(na->display, "Alice Smith");
  EXPECT_EQ(na->uri.param("transport").value_or(""), "tcp");
  EXPECT_EQ(na->param("expires").value_or(""), "60");
  EXPECT_FALSE(na->param("transport"));
}

TEST(NameAddr, AddrSpecParamsBelongToHeader) {
  auto na = parse_name_addr("sip:bob@host;tag=xyz");
  ASSERT_TRUE(na);
  EXPECT_EQ(na->uri_text, "sip:bob@host");
  EXPECT_TRUE(na->uri.params.empty());
  EXPECT_EQ(na->tag(), "xyz");
}

TEST(NameAddr, Rejects) {
  for (const char* bad : {"", "<sip:a@b", "\"open <sip:a@b>", "\"x\" sip:a@b", "a <sip:a@b> junk",
                          "<sip:a@b>;=1", "sip:a@b?x=y", "Bad,Name <sip:a@b>", "<>"}) {
    EXPECT_FALSE(parse_name_addr(bad)) << bad;
  }
}

TEST(Contacts, ListStarAndMixed) {
  auto list = parse_contacts({"<sip:a@1.2.3.4:5060>;q=0.5, \"B, Jr\" <sip:b@h>;expires=30", "sip:c@h"});
  ASSERT_TRUE(list) << list.error().what();
  ASSERT_EQ(list->contacts.size(), 3u);
  EXPECT_EQ(list->contacts[0].param("q").value_or(""), "0.5");
  EXPECT_EQ(list->contacts[1].display, "B, Jr");
  EXPECT_EQ(list->contacts[2].uri.user, "c");
  auto star = parse_contacts({"*"});
  ASSERT_TRUE(star);
  EXPECT_TRUE(star->star);
  EXPECT_FALSE(parse_contacts({"*, <sip:a@b>"}));
}

TEST(Contacts, InstanceIdQuotedParam) {
  auto list = parse_contacts({R"(<sip:x@h;ob>;+sip.instance="<urn:uuid:00000000-0000-1000-8000-AABBCCDDEEFF>";reg-id=1)"});
  ASSERT_TRUE(list) << list.error().what();
  EXPECT_EQ(list->contacts[0].param("+sip.instance").value_or(""), "<urn:uuid:00000000-0000-1000-8000-AABBCCDDEEFF>");
  EXPECT_EQ(list->contacts[0].param("reg-id").value_or(""), "1");
}

}  // namespace
}  // namespace portier::sip::msg
