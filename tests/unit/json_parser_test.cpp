// parse_json_fast against Json::parse: the same value with the same types at
// every node, or a refusal by both (parse_json then reports what
// Json::parse says, as before the fast reader).
#include "common/json_parser.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "common/failure.h"
#include "common/json.h"
#include "common/utf8.h"
#include "support/json_difference.h"

namespace ordercare {
namespace {

using testing::fast_parse_difference;
using namespace std::string_literals;

void expect_same(const std::string &text) { EXPECT_EQ(fast_parse_difference(text), "") << "text: " << text; }

// Accepted by both, so that a case meant to test a value cannot pass as a
// refusal by both.
void expect_accepted(const std::string &text) {
  EXPECT_TRUE(parse_json_fast(text).has_value()) << "text: " << text;
  expect_same(text);
}

void expect_refused(const std::string &text) {
  EXPECT_FALSE(parse_json_fast(text).has_value()) << "text: " << text;
  expect_same(text);
}

// What parse_json_fast may be given: what parse_json has let through.
bool passes_the_checks(const std::string &text) {
  return text.find('\0') == std::string::npos && !find_invalid_utf8(text);
}

TEST(JsonParser, NumbersAtEveryBoundaryHaveNlohmannsTypes) {
  for (const char *text :
       {"0", "-0", "1", "-1", "0.0", "-0.0", "9223372036854775807", "9223372036854775808", "-9223372036854775807",
        "-9223372036854775808", "-9223372036854775809", "18446744073709551615", "18446744073709551616",
        "99999999999999999999", "-18446744073709551616", "1e308", "-1e308", "1.7976931348623157e308", "1E+2",
        "1e-2", "1E2", "2.5e-324", "4.9e-324", "1e-400", "-1e-400", "0e400", "0.000e-99999", "123.456e-7",
        "0.1", "100000000000000000000000000000000000000000", "12345678901234567890.5", "1e0", "1e-0",
        "[0,-0,1.5,-2,18446744073709551615]"}) {
    SCOPED_TRACE(text);
    expect_accepted(text);
  }
  EXPECT_TRUE(parse_json_fast("-0")->is_number_integer());
  EXPECT_TRUE(parse_json_fast("0")->is_number_unsigned());
  EXPECT_TRUE(parse_json_fast("18446744073709551616")->is_number_float());
  EXPECT_TRUE(parse_json_fast("-9223372036854775809")->is_number_float());
  EXPECT_TRUE(std::signbit(parse_json_fast("-1e-400")->get<double>()));
  for (const char *text : {"1e309", "-1e309", "1e400", "[1e999]", "01", "-01", "00", "-", "1.", ".5", "+1", "1.e5",
                           "1e", "1e+", "--1", "-a", "0x10", "Infinity", "NaN", "1 2", "1.5.5", "1e5e5"}) {
    SCOPED_TRACE(text);
    expect_refused(text);
  }
}

TEST(JsonParser, EscapesAndSurrogatesAsNlohmannReadsThem) {
  for (const std::string &text :
       {R"("")"s, R"("plain")"s, R"("\"\\\/\b\f\n\r\t")"s, R"("\u0000")"s, R"("a\u0000b")"s, R"("\u00e9\u00E9")"s,
        R"("\u4e2d")"s, R"("\ud83d\ude00")"s, R"("\uD83D\uDE00 tail")"s, R"("\uDBFF\uDFFF")"s, R"("\uD800\uDC00")"s,
        "\"caf\xc3\xa9 \xe4\xb8\xad \xf0\x9f\x98\x80\""s, "\"\x7f\""s, R"("long string without escapes 0123456789")"s,
        R"("0123456789abcdef\n0123456789abcdef\u0041")"s}) {
    SCOPED_TRACE(text);
    expect_accepted(text);
  }
  for (const std::string &text :
       {R"("\ud83d")"s, R"("\ude00")"s, R"("\ude00\ud83d")"s, R"("\ud83d\u0041")"s, R"("\ud83dx")"s,
        R"("\ud83d\ud83d")"s, R"("\ud83d\")"s, R"("\u12")"s, R"("\u12g4")"s, R"("\x41")"s, R"("\a")"s, R"("\)"s,
        R"("abc)"s, "\"a\nb\""s, "\"a\tb\""s, "\"\x1f\""s, R"('single')"s, R"("\U0041")"s}) {
    SCOPED_TRACE(text);
    expect_refused(text);
  }
  EXPECT_EQ(parse_json_fast(R"("x\u0000y")")->get<std::string>(), "x\0y"s);
  EXPECT_EQ(parse_json_fast(R"("\ud83d\ude00")")->get<std::string>(), "\xf0\x9f\x98\x80");
}

TEST(JsonParser, ContainersKeysAndWhitespace) {
  for (const std::string &text :
       {"{}"s, "[]"s, "[[]]"s, "{\"a\":{}}"s, " \t\r\n{ \"a\" : [ 1 , 2 ] , \"b\" : null } \n"s,
        R"({"a":1,"a":2})"s, R"({"a":{"x":1},"b":0,"a":[true]})"s, R"({"":0})"s, R"({"k\u00e9y":1,"k\u00e9y":2})"s,
        R"([true,false,null])"s, "true"s, "null"s, "  \"top\"  "s, R"({"b":1,"a":2,"c":3})"s,
        "\xef\xbb\xbf{}"s, "\xef\xbb\xbf 1"s}) {
    SCOPED_TRACE(text);
    expect_accepted(text);
  }
  // The last of duplicate keys wins, as Json::parse assigns through operator[].
  EXPECT_EQ((*parse_json_fast(R"({"a":1,"a":2})"))["a"], 2);
  for (const std::string &text :
       {""s, " "s, "[1,]"s, "{\"a\":1,}"s, "[,1]"s, "{,}"s, "{\"a\"}"s, "{\"a\":}"s, "{\"a\" 1}"s, "{a:1}"s,
        "{1:1}"s, "[1 2]"s, "[1"s, "{\"a\":1"s, "]"s, "}"s, "[]]"s, "{}}"s, "[] []"s, "{} x"s, "tru"s, "truex"s,
        "nul"s, "True"s, "[\f1]"s, "\v1"s, "/* c */ 1"s, "1 // c"s, "[1]\x01"s, " \xef\xbb\xbf{}"s,
        "\xef\xbb\xbf\xef\xbb\xbf{}"s}) {
    SCOPED_TRACE(text);
    expect_refused(text);
  }
}

TEST(JsonParser, NestingUpToTheLimit) {
  const std::string arrays = std::string(128, '[') + std::string(128, ']');
  const std::string objects = [] {
    std::string text;
    for (int i = 0; i < 127; ++i) text += "{\"k\":";
    return text + "[1]" + std::string(127, '}');
  }();
  expect_accepted(arrays);
  expect_accepted(objects);
  // One more level is refused by parse_json before either parser runs; the
  // fast one refuses it too, so its recursion stays bounded on any input.
  EXPECT_FALSE(parse_json_fast("[" + arrays + "]").has_value());
}

TEST(JsonParser, TheRecordedWebhooksAndSampleDays) {
  int documents = 0;
  const std::filesystem::path source = OC_TEST_SOURCE_DIR;
  for (const auto &entry : std::filesystem::recursive_directory_iterator(source / "tests/data")) {
    if (entry.path().extension() != ".json") continue;
    std::ifstream in(entry.path(), std::ios::binary);
    std::stringstream body;
    body << in.rdbuf();
    SCOPED_TRACE(entry.path().string());
    expect_accepted(body.str());
    ++documents;
  }
  for (const char *day : {"host_shims/c/data/sample_day.jsonl", "host_shims/c/data/sample_day_agents.jsonl"}) {
    std::ifstream in(source / day, std::ios::binary);
    for (std::string line; std::getline(in, line);) {
      // Some lines are there to be refused: bad UTF-8 (before any parser)
      // or JSON cut short.
      if (line.empty() || !passes_the_checks(line)) continue;
      expect_same(line);
      documents += parse_json_fast(line).has_value();
    }
  }
  EXPECT_GT(documents, 100);
}

// Random documents in the shapes that matter (every kind of number, escapes,
// UTF-8, duplicate keys, whitespace), seeded so that a failure repeats.
class RandomJson {
 public:
  explicit RandomJson(std::uint64_t seed) : random_(seed) {}

  std::string document() {
    std::string out;
    space(out);
    value(out, 0);
    space(out);
    return out;
  }

  std::uint64_t below(std::uint64_t n) { return std::uniform_int_distribution<std::uint64_t>(0, n - 1)(random_); }

 private:
  std::mt19937_64 random_;

  void space(std::string &out) {
    static const char *const kSpaces[] = {"", "", "", " ", "\n", "\t", "\r\n", "  "};
    out += kSpaces[below(std::size(kSpaces))];
  }

  void value(std::string &out, int depth) {
    switch (below(depth > 5 ? 5 : 7)) {
      case 0: out += "null"; break;
      case 1: out += below(2) ? "true" : "false"; break;
      case 2: number(out); break;
      case 3:
      case 4: string(out); break;
      case 5: {
        out += '[';
        const auto count = below(6);
        for (std::uint64_t i = 0; i < count; ++i) {
          if (i) out += ',';
          space(out);
          value(out, depth + 1);
          space(out);
        }
        out += ']';
        break;
      }
      default: {
        out += '{';
        const auto count = below(6);
        for (std::uint64_t i = 0; i < count; ++i) {
          if (i) out += ',';
          space(out);
          if (below(3) == 0)
            out += "\"" + std::string(1, static_cast<char>('a' + below(3))) + "\"";  // often repeated
          else
            string(out);
          space(out);
          out += ':';
          space(out);
          value(out, depth + 1);
        }
        out += '}';
      }
    }
  }

  void digits(std::string &out, std::uint64_t count, bool leading_nonzero) {
    for (std::uint64_t i = 0; i < count; ++i)
      out += static_cast<char>('0' + ((i == 0 && leading_nonzero) ? 1 + below(9) : below(10)));
  }

  void number(std::string &out) {
    static const char *const kBoundaries[] = {
        "0",  "-0", "9223372036854775807", "9223372036854775808", "-9223372036854775808", "-9223372036854775809",
        "18446744073709551615", "18446744073709551616", "18446744073709551614", "-1", "1e308", "1e309",
        "2.5e-324", "1e-400", "-0.0", "4294967296", "10000000000000000000", "1.7976931348623157e308",
        "1.7976931348623159e308", "2.2250738585072011e-308"};
    if (below(4) == 0) {
      out += kBoundaries[below(std::size(kBoundaries))];
      return;
    }
    if (below(3) == 0) out += '-';
    if (below(5) == 0)
      out += '0';
    else
      digits(out, 1 + below(below(2) ? 4 : 24), true);
    if (below(3) == 0) {
      out += '.';
      digits(out, 1 + below(below(2) ? 3 : 24), false);
    }
    if (below(4) == 0) {
      out += below(2) ? 'e' : 'E';
      if (below(2)) out += below(2) ? '+' : '-';
      digits(out, 1 + below(3), false);
    }
  }

  void string(std::string &out) {
    static const char *const kPieces[] = {
        "a", "b", "Z", " ", "0", "/", "\xc3\xa9", "\xe4\xb8\xad", "\xf0\x9f\x98\x80", "\\\"", "\\\\", "\\/", "\\b",
        "\\f", "\\n", "\\r", "\\t", "\\u0000", "\\u001f", "\\u00e9", "\\u4E2D", "\\ud83d\\ude00", "\\uDBFF\\uDFFF",
        "\\uffff", "plain text words ", "0123456789abcdef"};
    out += '"';
    const auto pieces = below(4) == 0 ? below(30) : below(6);
    for (std::uint64_t i = 0; i < pieces; ++i) out += kPieces[below(std::size(kPieces))];
    out += '"';
  }
};

// A small change of the kinds that turn JSON into almost-JSON.
std::string mutate(RandomJson &random, std::string text) {
  static const char kBytes[] = "{}[],:\"\\-+.eE0123456789 \t\nrtufnla/\x01\x7f";
  const auto at = [&] { return text.empty() ? 0 : random.below(text.size()); };
  switch (random.below(5)) {
    case 0:
      if (!text.empty()) text[at()] = kBytes[random.below(sizeof kBytes - 1)];
      break;
    case 1: text.insert(at(), 1, kBytes[random.below(sizeof kBytes - 1)]); break;
    case 2:
      if (!text.empty()) text.erase(at(), 1 + random.below(3));
      break;
    case 3: text.resize(at()); break;
    default:
      if (!text.empty()) text[at()] = static_cast<char>(random.below(256));
  }
  return text;
}

TEST(JsonParser, RandomDocumentsAndTheirMutations) {
  RandomJson random(20260319);
  int accepted = 0, refused = 0;
  for (int i = 0; i < 4000; ++i) {
    const std::string document = random.document();
    ASSERT_EQ(fast_parse_difference(document), "") << "document " << i << ": " << document;
    for (int m = 0; m < 4; ++m) {
      std::string mutant = mutate(random, document);
      if (random.below(4) == 0) mutant = mutate(random, mutant);
      if (!passes_the_checks(mutant)) continue;
      ASSERT_EQ(fast_parse_difference(mutant), "") << "mutant of document " << i << ": " << mutant;
      ++(parse_json_fast(mutant) ? accepted : refused);
    }
  }
  // Both outcomes are exercised in numbers.
  EXPECT_GT(accepted, 1000);
  EXPECT_GT(refused, 1000);
}

// parse_json's errors are Json::parse's, word for word, as before.
std::string error_of(const std::string &text) {
  try {
    parse_json(text, "event");
  } catch (const Failure &failure) {
    return failure.what();
  }
  return "accepted";
}

TEST(JsonParser, ParseJsonStillReportsWhatJsonParseFinds) {
  EXPECT_EQ(error_of("{\"a\":1,}"),
            "event: malformed JSON at byte 8 (syntax error while parsing object key - unexpected '}'; "
            "expected string literal)");
  EXPECT_EQ(error_of("[1 2]"),
            "event: malformed JSON at byte 4 (syntax error while parsing array - unexpected number literal; "
            "expected ']')");
  EXPECT_EQ(error_of("\"\\ud83d\""),
            "event: malformed JSON at byte 8 (syntax error while parsing value - invalid string: "
            "surrogate U+D800..U+DBFF must be followed by U+DC00..U+DFFF; last read: '\"\\ud83d\"')");
  EXPECT_EQ(error_of("01"),
            "event: malformed JSON at byte 2 (syntax error while parsing value - unexpected number literal; "
            "expected end of input)");
  EXPECT_EQ(error_of("1e400"), "event: malformed JSON (number overflow parsing '1e400')");
  EXPECT_EQ(error_of(""),
            "event: malformed JSON at byte 1 (syntax error while parsing value - unexpected end of input; "
            "expected '[', '{', or a literal)");
  EXPECT_EQ(error_of("{\"a\":1}"), "accepted");
}

}  // namespace
}  // namespace ordercare
