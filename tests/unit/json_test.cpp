// How numbers come in through parse_json (issue 10, point 5): which JSON
// integers are int64, which are not, and int64_of() as the one way to read
// them without wrapping.
#include "common/json.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <string>

#include "common/failure.h"

namespace ordercare {
namespace {

Json number(const char *text) { return parse_json(text, "test"); }

TEST(JsonNumbers, IntegersKeepTheirValueOrSayTheyCannot) {
  EXPECT_EQ(int64_of(number("0")), 0);
  EXPECT_EQ(int64_of(number("-0")), 0);
  EXPECT_EQ(int64_of(number("9223372036854775807")), INT64_MAX);
  EXPECT_EQ(int64_of(number("-9223372036854775808")), INT64_MIN);
  // 2^63 arrives as an unsigned; get<std::int64_t>() would make it INT64_MIN.
  const Json two_to_63 = number("9223372036854775808");
  EXPECT_TRUE(two_to_63.is_number_unsigned());
  EXPECT_EQ(int64_of(two_to_63), std::nullopt);
  EXPECT_EQ(int64_of(number("18446744073709551615")), std::nullopt);
  // Beyond 64 bits an integer is a double, never an integer.
  const Json beyond = number("18446744073709551616");
  EXPECT_TRUE(beyond.is_number_float());
  EXPECT_EQ(int64_of(beyond), std::nullopt);
  EXPECT_TRUE(number("-9223372036854775809").is_number_float());
  EXPECT_EQ(int64_of(number("-9223372036854775809")), std::nullopt);
  for (const char *other : {"1.0", "1e3", "0.5", "\"7\"", "true", "null", "[1]"}) {
    SCOPED_TRACE(other);
    EXPECT_EQ(int64_of(number(other)), std::nullopt);
  }
}

TEST(JsonNumbers, UnsignedValuesSurviveARoundTripExactly) {
  EXPECT_EQ(dump_json(number("18446744073709551615")), "18446744073709551615");
  EXPECT_EQ(dump_json(number("9223372036854775808")), "9223372036854775808");
}

TEST(JsonNumbers, ANumberBeyondADoubleIsMalformed) {
  const std::string four_hundred_digits = "1" + std::string(400, '0');
  for (const std::string &text : {std::string("1e400"), std::string("-1e400"), std::string("[1e999]"),
                                 four_hundred_digits}) {
    SCOPED_TRACE(text);
    try {
      number(text.c_str());
      ADD_FAILURE() << "parsed";
    } catch (const Failure &failure) {
      EXPECT_EQ(failure.status(), OC_ERR_JSON);
    }
  }
}

// The length ends the input: the parser took a NUL for the end and
// ignored whatever followed it (issue 10, point 8).
TEST(JsonInput, ANulInsideTheLengthIsMalformedAtItsOffset) {
  using namespace std::string_literals;
  for (const std::string &text : {"{\"a\": 1}\0{\"b\": 2}"s, "{\"a\": 1}\0"s, "{\"a\": 1}  \0  "s}) {
    try {
      parse_json(text, "args");
      ADD_FAILURE() << "accepted " << text.size() << " bytes with a NUL";
    } catch (const Failure &failure) {
      EXPECT_EQ(failure.status(), OC_ERR_JSON);
      EXPECT_NE(std::string(failure.what()).find("args: malformed JSON at byte " + std::to_string(text.find('\0'))),
                std::string::npos)
          << failure.what();
    }
  }
  // An escaped NUL inside a string is JSON, and stays a character.
  EXPECT_EQ(parse_json("{\"a\": \"x\\u0000y\"}", "args")["a"].get<std::string>(), "x\0y"s);
}

}  // namespace
}  // namespace ordercare
