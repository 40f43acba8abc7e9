#include "common/config_reader.h"

#include <gtest/gtest.h>

#include "common/failure.h"
#include "common/value_ranges.h"
#include "support/scenario.h"

namespace ordercare {
namespace {

Json doc(const char *text) { return Json::parse(text); }

// Runs fn and returns the Failure it threw (status and message).
template <class Fn>
std::pair<oc_status, std::string> failure_of(Fn &&fn) {
  try {
    fn();
  } catch (const Failure &failure) {
    return {failure.status(), failure.what()};
  }
  ADD_FAILURE() << "expected a Failure";
  return {OC_OK, ""};
}

TEST(ConfigReader, ReadsEveryKindOfField) {
  const Json value = doc(R"({"name": "eu", "retries": 3, "ratio": 0.5, "enabled": true,
                             "channels": ["email", "chat"], "mode": "fast", "window": "30m"})");
  ConfigReader reader(value, "policy");
  EXPECT_EQ(reader.string("name", "x"), "eu");
  EXPECT_EQ(reader.integer("retries", 0, 0, 10), 3);
  EXPECT_DOUBLE_EQ(reader.number("ratio", 0, 0, 1), 0.5);
  EXPECT_TRUE(reader.boolean("enabled", false));
  EXPECT_EQ(reader.string_list("channels", {}), (std::vector<std::string>{"email", "chat"}));
  EXPECT_EQ(reader.choice("mode", "slow", {"slow", "fast"}), "fast");
  EXPECT_EQ(reader.duration_ms("window", 0), 30 * 60 * 1000);
  EXPECT_NO_THROW(reader.finish());
}

TEST(ConfigReader, MissingAndNullFieldsTakeTheFallback) {
  const Json value = doc(R"({"name": null})");
  ConfigReader reader(value, "policy");
  EXPECT_EQ(reader.string("name", "default"), "default");
  EXPECT_EQ(reader.optional_string("other"), std::nullopt);
  EXPECT_EQ(reader.integer("retries", 7, 0, 10), 7);
  EXPECT_FALSE(reader.boolean("enabled", false));
  EXPECT_EQ(reader.duration_ms("window", 1234), 1234);
  EXPECT_EQ(reader.child("section"), nullptr);
  EXPECT_FALSE(reader.has("name"));
  EXPECT_NO_THROW(reader.finish());
}

TEST(ConfigReader, ANullSectionReadsAsEmpty) {
  const Json null_section(nullptr);
  ConfigReader reader(null_section, "limits");
  EXPECT_EQ(reader.integer("max", 5, 0, 10), 5);
  EXPECT_NO_THROW(reader.finish());
}

TEST(ConfigReader, ANonObjectIsRefusedAtItsPath) {
  const Json array = Json::array();
  const Json text("x");
  auto [status, message] = failure_of([&] { ConfigReader(array, "store"); });
  EXPECT_EQ(status, OC_ERR_CONFIG);
  EXPECT_EQ(message, "config: store: expected an object");
  auto root = failure_of([&] { ConfigReader(text, ""); });
  EXPECT_EQ(root.second, "config: (root): expected an object");
}

TEST(ConfigReader, UnknownFieldsAreNamedByPath) {
  const Json value = doc(R"({"path": "a.db", "pth": "b.db"})");
  ConfigReader reader(value, "store");
  reader.string("path", "");
  auto [status, message] = failure_of([&] { reader.finish(); });
  EXPECT_EQ(status, OC_ERR_CONFIG);
  EXPECT_EQ(message, "config: store.pth: unknown field");
}

TEST(ConfigReader, WrongTypesAreNamedByPath) {
  const Json value = doc(R"({"s": 1, "i": "1", "f": 1.5, "b": "yes", "n": "x", "l": ["a", 2],
                             "l2": "a", "c": "purple", "c2": 3})");
  ConfigReader reader(value, "p");
  EXPECT_EQ(failure_of([&] { reader.string("s", ""); }).second, "config: p.s: expected a string");
  EXPECT_EQ(failure_of([&] { reader.integer("i", 0, 0, 9); }).second,
            "config: p.i: expected an integer from 0 to 9");
  EXPECT_EQ(failure_of([&] { reader.integer("f", 0, 0, 9); }).second,
            "config: p.f: expected an integer from 0 to 9");
  EXPECT_EQ(failure_of([&] { reader.boolean("b", false); }).second,
            "config: p.b: expected true or false");
  EXPECT_EQ(failure_of([&] { reader.number("n", 0, 0, 1); }).first, OC_ERR_CONFIG);
  EXPECT_EQ(failure_of([&] { reader.string_list("l", {}); }).second,
            "config: p.l[1]: expected a string");
  EXPECT_EQ(failure_of([&] { reader.string_list("l2", {}); }).second,
            "config: p.l2: expected an array of strings");
  const auto choice = failure_of([&] { reader.choice("c", "red", {"red", "green"}); });
  EXPECT_EQ(choice.second, "config: p.c: expected one of: red, green (got 'purple')");
  EXPECT_EQ(failure_of([&] { reader.choice("c2", "red", {"red"}); }).second,
            "config: p.c2: expected a string");
}

TEST(ConfigReader, RangesAreEnforced) {
  const Json value = doc(R"({"low": -1, "high": 11, "edge": 10, "r": 1.5})");
  ConfigReader reader(value, "");
  EXPECT_EQ(failure_of([&] { reader.integer("low", 0, 0, 10); }).second,
            "config: low: expected an integer from 0 to 10");
  EXPECT_EQ(failure_of([&] { reader.integer("high", 0, 0, 10); }).first, OC_ERR_CONFIG);
  EXPECT_EQ(reader.integer("edge", 0, 0, 10), 10);
  EXPECT_EQ(failure_of([&] { reader.number("r", 0, 0, 1); }).first, OC_ERR_CONFIG);
}

TEST(ConfigReader, AnIntegerTooBigForInt64IsNotReadAsNegative) {
  const Json value = doc(R"({"n": 18446744073709551615})");
  ConfigReader reader(value, "");
  EXPECT_EQ(failure_of([&] { reader.integer("n", 0, -10, 10); }).first, OC_ERR_CONFIG);
}

TEST(ConfigReader, ArgsReadersReportSchemaErrors) {
  const Json args = doc(R"({"limit": "ten", "extra": 1})");
  ConfigReader reader = args_reader(args);
  auto [status, message] = failure_of([&] { reader.integer("limit", 50, 1, 1000); });
  EXPECT_EQ(status, OC_ERR_SCHEMA);
  EXPECT_EQ(message, "args: limit: expected an integer from 1 to 1000");
  EXPECT_EQ(failure_of([&] { reader.finish(); }).second, "args: extra: unknown field");
}

// oc_call arguments (issue 10, point 5): no integer an argument gives can
// pass the largest amount, whatever bound the call asks for, so a refund of
// 2^63 - 1 is refused naming it instead of overflowing a sum.
TEST(ConfigReader, ArgsIntegersStopAtTheLargestAmount) {
  const Json args = doc(R"({"amount": 1000000000000000, "over": 1000000000000001,
                            "max": 9223372036854775807, "wrapped": 9223372036854775808,
                            "low": -1000000000000001, "beyond": 18446744073709551616})");
  ConfigReader reader = args_reader(args);
  EXPECT_EQ(reader.integer("amount", 0, 1, INT64_MAX), kMaxAmount);
  for (const char *key : {"over", "max", "wrapped", "beyond"}) {
    SCOPED_TRACE(key);
    EXPECT_EQ(failure_of([&] { reader.integer(key, 0, 1, INT64_MAX); }),
              std::make_pair(OC_ERR_SCHEMA,
                             "args: " + std::string(key) + ": expected an integer from 1 to 1000000000000000"));
  }
  EXPECT_EQ(failure_of([&] { reader.integer("low", 0, INT64_MIN, INT64_MAX); }).second,
            "args: low: expected an integer from -1000000000000000 to 1000000000000000");
  // A nested reader of args (return items) is bounded the same way.
  const Json item = doc(R"({"quantity": 9223372036854775807})");
  ConfigReader nested(item, "items[0]", OC_ERR_SCHEMA, "args");
  EXPECT_EQ(failure_of([&] { nested.integer("quantity", 1, 1, INT64_MAX); }).second,
            "args: items[0].quantity: expected an integer from 1 to 1000000000000000");
  // The config keeps the whole int64 range where it asks for it.
  ConfigReader config(args, "policy");
  EXPECT_EQ(config.integer("max", 0, 0, INT64_MAX), INT64_MAX);
  EXPECT_EQ(failure_of([&] { config.integer("wrapped", 0, 0, INT64_MAX); }).second,
            "config: policy.wrapped: expected an integer from 0 to 9223372036854775807");
}

TEST(ConfigReader, RefundAmountsOfACallAreBoundedNamingTheArgument) {
  testing::Scenario s;
  s.submit(s.order_created("A", testing::CustomerSpec("c-1", "Ann", {}, "ann@example.org")));
  for (const char *amount : {"9223372036854775807", "9223372036854775808", "1000000000000001"}) {
    SCOPED_TRACE(amount);
    const auto e = s.error_raw("order.refund", std::string(R"({"order_id": "A", "reason": "missing item", )") +
                                                   R"("amount": )" + amount + "}");
    EXPECT_EQ(e.status, OC_ERR_SCHEMA);
    EXPECT_EQ(e.message, "args: amount: expected an integer from 1 to 1000000000000000");
  }
  EXPECT_TRUE(s.call("order.get", {{"id", "A"}})["refunds"].empty());
}

TEST(ConfigReader, ChildrenAreMarkedRead) {
  const Json value = doc(R"({"section": {"a": 1}})");
  ConfigReader reader(value, "");
  ASSERT_NE(reader.child("section"), nullptr);
  EXPECT_EQ((*reader.child("section"))["a"], 1);
  EXPECT_NO_THROW(reader.finish());
  EXPECT_EQ(reader.path_of("x"), "x");
  EXPECT_EQ(ConfigReader(value, "top").path_of("x"), "top.x");
}

TEST(ConfigReader, DurationsTakeUnitsOrSeconds) {
  EXPECT_EQ(parse_duration_ms(Json("1500ms")), 1500);
  EXPECT_EQ(parse_duration_ms(Json("30s")), 30'000);
  EXPECT_EQ(parse_duration_ms(Json("10m")), 600'000);
  EXPECT_EQ(parse_duration_ms(Json("10min")), 600'000);
  EXPECT_EQ(parse_duration_ms(Json("2h")), 7'200'000);
  EXPECT_EQ(parse_duration_ms(Json("7d")), 604'800'000);
  EXPECT_EQ(parse_duration_ms(Json("0s")), 0);
  EXPECT_EQ(parse_duration_ms(Json(45)), 45'000);
  EXPECT_EQ(parse_duration_ms(Json(0.25)), 250);
  EXPECT_EQ(parse_duration_ms(Json(1.0006)), 1001);  // rounded to the millisecond
}

TEST(ConfigReader, MalformedDurationsAreRefused) {
  for (const Json &bad : {Json("30"), Json("s"), Json("30 s"), Json("30S"), Json("1.5h"),
                          Json("-5s"), Json("30sec"), Json("1w"), Json(""), Json("1234567890123s"),
                          Json(true), Json(nullptr), Json::array(), Json(-1), Json(-0.5)}) {
    EXPECT_EQ(parse_duration_ms(bad), std::nullopt) << bad.dump();
  }
}

TEST(ConfigReader, HugeDurationsAreRefusedNotOverflowed) {
  EXPECT_EQ(parse_duration_ms(Json("999999999999d")), std::nullopt);
  EXPECT_EQ(parse_duration_ms(Json("999999999999h")), std::nullopt);
  EXPECT_EQ(parse_duration_ms(Json(INT64_MAX)), std::nullopt);
  EXPECT_EQ(parse_duration_ms(Json(UINT64_MAX)), std::nullopt);
  EXPECT_EQ(parse_duration_ms(Json(1e300)), std::nullopt);
  // The largest accepted: 10^12 seconds in any unit.
  EXPECT_EQ(parse_duration_ms(Json(1'000'000'000'000)), 1'000'000'000'000'000);
  EXPECT_EQ(parse_duration_ms(Json("999999999999s")), 999'999'999'999'000);
}

TEST(ConfigReader, DurationFieldsNameThePath) {
  const Json value = doc(R"({"first_response": "soon", "negative": -3})");
  ConfigReader reader(value, "sla");
  auto [status, message] = failure_of([&] { reader.duration_ms("first_response", 0); });
  EXPECT_EQ(status, OC_ERR_CONFIG);
  EXPECT_EQ(message,
            "config: sla.first_response: expected a duration like \"30s\", \"10m\", \"2h\", "
            "\"7d\" or seconds");
  EXPECT_EQ(failure_of([&] { reader.duration_ms("negative", 0); }).first, OC_ERR_CONFIG);
}

}  // namespace
}  // namespace ordercare
