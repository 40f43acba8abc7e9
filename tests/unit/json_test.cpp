// How numbers come in through parse_json (issue 10, point 5): which JSON
// integers are int64, which are not, and int64_of() as the one way to read
// them without wrapping.
#include "common/json.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <vector>

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


// dump_json writes its own bytes (for speed): they must be nlohmann's,
// byte for byte, since stored documents are compared as text.
std::string nlohmann_dump(const Json &value) { return value.dump(-1, ' ', false, Json::error_handler_t::strict); }

Json random_value(std::mt19937 &rng, int depth) {
  std::uniform_int_distribution<int> kind(0, depth > 3 ? 5 : 7);
  auto text = [&] {
    std::string s;
    const int length = std::uniform_int_distribution<int>(0, 40)(rng);
    static const std::vector<std::string> pieces = {"a", "Z", " ", "\"", "\\", "/", "\n", "\t", "\b", "\f", "\r",
                                                    std::string(1, '\x01'), "\x1f", "\x7f", "\xc3\xa9",
                                                    "\xe2\x82\xac", "\xf0\x9f\x98\x80", "\xe6\x97\xa5", "0"};
    for (int i = 0; i < length; ++i) s += pieces[std::uniform_int_distribution<std::size_t>(0, pieces.size() - 1)(rng)];
    return s;
  };
  switch (kind(rng)) {
    case 0: return nullptr;
    case 1: return std::uniform_int_distribution<int>(0, 1)(rng) == 1;
    case 2: return std::uniform_int_distribution<std::int64_t>(INT64_MIN, INT64_MAX)(rng);
    case 3: return std::uniform_int_distribution<std::uint64_t>(0, UINT64_MAX)(rng);
    case 4: return std::uniform_real_distribution<double>(-1e6, 1e6)(rng);
    case 5: return text();
    case 6: {
      Json array = Json::array();
      for (int n = std::uniform_int_distribution<int>(0, 4)(rng); n > 0; --n) array.push_back(random_value(rng, depth + 1));
      return array;
    }
    default: {
      Json object = Json::object();
      for (int n = std::uniform_int_distribution<int>(0, 4)(rng); n > 0; --n) object[text()] = random_value(rng, depth + 1);
      return object;
    }
  }
}

TEST(JsonOutput, DumpWritesNlohmannsBytesForRandomValues) {
  std::mt19937 rng(20261202);
  for (int i = 0; i < 3000; ++i) {
    const Json value = random_value(rng, 0);
    ASSERT_EQ(dump_json(value), nlohmann_dump(value)) << "value " << i;
  }
  for (const double d : {0.0, -0.0, 1.0, 2.5, 1e20, 1e-7, 123456789.125})
    EXPECT_EQ(dump_json(Json{{"d", d}}), nlohmann_dump(Json{{"d", d}}));
}

// Texts of every length up to 40, plain or with one byte that is not at
// each position: told apart eight bytes a step (is_plain_json_text), and
// written as nlohmann writes them either way.
TEST(JsonOutput, PlainTextsAreToldApartAtEveryLengthAndOffset) {
  const std::vector<std::string> not_plain = {"\"", "\\", "\n", "\x01", "\x1f", "\xc3\xa9", "\xe2\x82\xac"};
  for (std::size_t length = 0; length <= 40; ++length) {
    std::string plain;
    for (std::size_t i = 0; i < length; ++i) plain += static_cast<char>(' ' + (i * 7) % 95);  // ' ' to '~'
    plain.erase(std::remove_if(plain.begin(), plain.end(), [](char c) { return c == '"' || c == '\\'; }),
                plain.end());
    EXPECT_TRUE(is_plain_json_text(plain)) << length;
    EXPECT_EQ(dump_json(Json{{plain, plain}}), nlohmann_dump(Json{{plain, plain}})) << length;
    for (std::size_t at = 0; at <= plain.size(); ++at) {
      for (const auto &odd : not_plain) {
        const std::string text = plain.substr(0, at) + odd + plain.substr(at);
        EXPECT_FALSE(is_plain_json_text(text)) << length << " " << at;
        EXPECT_EQ(dump_json(Json{{text, text}}), nlohmann_dump(Json{{text, text}})) << length << " " << at;
      }
    }
  }
}

TEST(JsonOutput, DumpWritesNlohmannsBytesForEveryPayloadAndDayOfTheProject) {
  int values = 0;
  auto compare = [&](const std::string &text, const std::string &where) {
    const Json value = Json::parse(text, nullptr, false);
    if (value.is_discarded()) return;
    EXPECT_EQ(dump_json(value), nlohmann_dump(value)) << where;
    ++values;
  };
  for (const char *dir : {"/tests/data", "/plugin/domain/defaults", "/host_shims/c/data"}) {
    for (const auto &entry : std::filesystem::recursive_directory_iterator(std::string(OC_TEST_SOURCE_DIR) + dir)) {
      const auto extension = entry.path().extension();
      if (extension != ".json" && extension != ".jsonl") continue;
      std::ifstream in(entry.path(), std::ios::binary);
      if (extension == ".json") {
        compare(std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>()), entry.path());
        continue;
      }
      for (std::string line; std::getline(in, line);) compare(line, entry.path().string() + ": " + line.substr(0, 60));
    }
  }
  EXPECT_GT(values, 500);
}

TEST(JsonOutput, AStringThatIsNotUtf8FailsAsNlohmannDoes) {
  for (const std::string &bad : {std::string("\xff"), std::string("a\xc3"), std::string("\xed\xa0\x80"),
                                std::string("\xc0\xaf")}) {
    EXPECT_THROW(dump_json(Json{{"k", bad}}), Json::type_error);
    EXPECT_THROW(dump_json(Json{{bad, 1}}), Json::type_error);
    EXPECT_THROW(dump_json(Json::array({1, bad})), Json::type_error);
  }
}

}  // namespace
}  // namespace ordercare
