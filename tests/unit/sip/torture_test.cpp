// Torture cases in the spirit of RFC 4475, written for Portier: odd-but-valid messages must parse, broken ones must
// fail with an error value, and nothing may crash.
#include <gtest/gtest.h>

#include <string>

#include "sip/msg/parser.hpp"
#include "unit/sip/sip_text.hpp"

namespace portier::sip::msg {
namespace {

using test::crlf;

// Folded lines, odd spacing, mixed case names, escaped URI parts, unknown headers, empty reason phrase.
TEST(Torture, WideRangeOfValidElements) {
  const auto text = crlf(
      "OPTIONS sip:%75ser;par=u%40example.net@example.com;transport=udp SIP/2.0\n"
      "TO :\n"
      " sip:vivekg@chair-dnrc.example.com ;   tag    = 1918181833n\n"
      "from   : \"J Rosenberg \\\\\\\"\"       <sip:jdrosen@example.com>\n"
      "  ;\n"
      "  tag = 98asjd8\n"
      "MaX-fOrWaRdS: 0068\n"
      "Call-ID: wsinv.ndaksdj@192.0.2.1\n"
      "cseq: 0009\n"
      "  OPTIONS\n"
      "Via  : SIP  /   2.0\n"
      " /UDP\n"
      "    192.0.2.2;rport;branch=390skdjuw\n"
      "s :\n"
      "NewFangledHeader:   newfangled value\n"
      " continued newfangled value\n"
      "UnknownHeaderWithUnusualValue: ;;,,;;,;\n"
      "Content-Length: 0\n"
      "\n");
  auto m = parse_message(text);
  ASSERT_TRUE(m) << m.error().what();
  ASSERT_TRUE(validate_request(*m)) << validate_request(*m).error().what();
  EXPECT_EQ(m->to()->tag(), "1918181833n");
  EXPECT_EQ(m->from()->tag(), "98asjd8");
  EXPECT_EQ(m->from()->display, R"(J Rosenberg \\\")");
  EXPECT_EQ(m->cseq()->number, 9u);
  EXPECT_EQ(m->cseq()->method, "OPTIONS");
  EXPECT_EQ(*m->max_forwards().value(), 68u);
  EXPECT_EQ(m->top_via()->host, "192.0.2.2");
  EXPECT_EQ(m->header(HeaderId::subject), "");
  EXPECT_NE(m->header("NewFangledHeader").find("continued"), std::string_view::npos);
}

TEST(Torture, StatusLineWithoutReasonAndLongReason) {
  auto a = crlf("SIP/2.0 180 \nVia: SIP/2.0/UDP h;branch=z9hG4bK1\n\n");
  ASSERT_TRUE(parse_message(a));
  auto b = crlf("SIP/2.0 404 Not Found Anywhere At All\nVia: SIP/2.0/UDP h\n\n");
  auto m = parse_message(b);
  ASSERT_TRUE(m);
  EXPECT_EQ(m->reason(), "Not Found Anywhere At All");
}

TEST(Torture, UnknownSchemeInRequestUriParses) {
  auto text = crlf("OPTIONS nobodyKnowsThisScheme:totallyopaquecontent SIP/2.0\nCall-ID: x\n\n");
  auto m = parse_message(text);
  ASSERT_TRUE(m);
  EXPECT_EQ(m->request_uri(), "nobodyKnowsThisScheme:totallyopaquecontent");
}

struct Bad {
  const char* name;
  const char* text;  // '\n' line ends
};

void PrintTo(const Bad& b, std::ostream* os) { *os << b.name; }

class TortureBad : public ::testing::TestWithParam<Bad> {};

TEST_P(TortureBad, RejectedWithReason) {
  const auto text = crlf(GetParam().text);
  auto m = parse_message(text);
  if (m) {
    auto st = m->is_request() ? validate_request(*m) : validate_response(*m);
    ASSERT_FALSE(st) << GetParam().name;
    EXPECT_FALSE(st.error().what().empty());
  } else {
    EXPECT_FALSE(m.error().what().empty());
  }
}

const Bad kBad[] = {
    {"content_length_too_large", "INVITE sip:a@h SIP/2.0\nContent-Length: 9999\n\nv=0\n"},
    {"negative_content_length", "INVITE sip:a@h SIP/2.0\nContent-Length: -5\n\n"},
    {"two_content_lengths", "OPTIONS sip:a@h SIP/2.0\nContent-Length: 0\nl: 0\n\n"},
    {"extra_space_in_request_line", "OPTIONS  sip:a@h SIP/2.0\n\n"},
    {"space_in_request_uri", "OPTIONS sip:a b@h SIP/2.0\n\n"},
    {"unknown_version", "OPTIONS sip:a@h SIP/7.0\n\n"},
    {"lowercase_version", "OPTIONS sip:a@h sip/2.0\n\n"},
    {"no_blank_line", "OPTIONS sip:a@h SIP/2.0\nCall-ID: x"},
    {"header_without_colon", "OPTIONS sip:a@h SIP/2.0\nCall-ID x\n\n"},
    {"bad_header_name", "OPTIONS sip:a@h SIP/2.0\nCall ID: x\n\n"},
    {"status_1000", "SIP/2.0 1000 Big\n\n"},
    {"status_099", "SIP/2.0 099 Small\n\n"},
    {"status_letters", "SIP/2.0 2x0 OK\n\n"},
    {"method_with_slash", "OPT/ONS sip:a@h SIP/2.0\n\n"},
    {"only_start_line", "OPTIONS sip:a@h SIP/2.0"},
    {"garbage", "\x01\x02\x03 garbage\n\n"},
    {"nul_in_header", "OPTIONS sip:a@h SIP/2.0\nCall-ID: a\x01" "b\n\n"},
    {"continuation_first", "OPTIONS sip:a@h SIP/2.0\n Call-ID: x\n\n"},
    {"unterminated_display_name",
     "OPTIONS sip:a@h SIP/2.0\nVia: SIP/2.0/UDP h;branch=z9hG4bK1\nFrom: \"Bob <sip:b@h>;tag=1\n"
     "To: <sip:a@h>\nCall-ID: x\nCSeq: 1 OPTIONS\n\n"},
    {"unclosed_angle_in_to",
     "OPTIONS sip:a@h SIP/2.0\nVia: SIP/2.0/UDP h;branch=z9hG4bK1\nFrom: <sip:b@h>;tag=1\n"
     "To: <sip:a@h\nCall-ID: x\nCSeq: 1 OPTIONS\n\n"},
    {"two_to_headers",
     "OPTIONS sip:a@h SIP/2.0\nVia: SIP/2.0/UDP h;branch=z9hG4bK1\nFrom: <sip:b@h>;tag=1\n"
     "To: <sip:a@h>\nTo: <sip:c@h>\nCall-ID: x\nCSeq: 1 OPTIONS\n\n"},
    {"cseq_overflow",
     "OPTIONS sip:a@h SIP/2.0\nVia: SIP/2.0/UDP h;branch=z9hG4bK1\nFrom: <sip:b@h>;tag=1\n"
     "To: <sip:a@h>\nCall-ID: x\nCSeq: 36893488147419103232 OPTIONS\n\n"},
    {"missing_call_id",
     "OPTIONS sip:a@h SIP/2.0\nVia: SIP/2.0/UDP h;branch=z9hG4bK1\nFrom: <sip:b@h>;tag=1\n"
     "To: <sip:a@h>\nCSeq: 1 OPTIONS\n\n"},
    {"bad_via_port",
     "OPTIONS sip:a@h SIP/2.0\nVia: SIP/2.0/UDP h:70000;branch=z9hG4bK1\nFrom: <sip:b@h>;tag=1\n"
     "To: <sip:a@h>\nCall-ID: x\nCSeq: 1 OPTIONS\n\n"},
    {"max_forwards_text",
     "OPTIONS sip:a@h SIP/2.0\nVia: SIP/2.0/UDP h;branch=z9hG4bK1\nFrom: <sip:b@h>;tag=1\n"
     "To: <sip:a@h>\nCall-ID: x\nCSeq: 1 OPTIONS\nMax-Forwards: many\n\n"},
};

INSTANTIATE_TEST_SUITE_P(Cases, TortureBad, ::testing::ValuesIn(kBad),
                         [](const auto& info) { return std::string(info.param.name); });

// Every prefix and every single-byte corruption of a valid message parses or fails cleanly.
TEST(Torture, PrefixesAndCorruptionsNeverCrash) {
  const auto text = crlf(test::kRegister);
  for (std::size_t n = 0; n <= text.size(); ++n) {
    auto m = parse_message(std::string_view(text).substr(0, n));
    if (m) (void)validate_request(*m), (void)m->contacts(), (void)m->vias();
  }
  for (std::size_t i = 0; i < text.size(); ++i) {
    for (char c : {'\0', '"', '<', '>', ';', ',', ':', '\r', '\n', ' ', '\\', '\xff'}) {
      auto copy = text;
      copy[i] = c;
      auto m = parse_message(copy);
      if (m) (void)validate_request(*m), (void)m->contacts(), (void)m->vias(), (void)m->expires();
    }
  }
}

}  // namespace
}  // namespace portier::sip::msg
