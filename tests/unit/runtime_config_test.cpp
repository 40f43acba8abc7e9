#include "runtime/config.h"

#include <gtest/gtest.h>

#include "common/failure.h"

namespace ordercare::runtime {
namespace {

std::pair<oc_status, std::string> failure_of(std::string_view text) {
  try {
    parse_config(text);
  } catch (const Failure &failure) {
    return {failure.status(), failure.what()};
  }
  ADD_FAILURE() << "expected a Failure for " << text;
  return {OC_OK, ""};
}

TEST(RuntimeConfig, EmptyTextMeansDefaults) {
  const Config config = parse_config("");
  EXPECT_EQ(config.store.engine, "sqlite");
  EXPECT_EQ(config.store.path, "ordercare.db");
  EXPECT_EQ(config.store.durability, store::Durability::full);
  EXPECT_EQ(config.store.busy_timeout_ms, 5000);
  EXPECT_EQ(config.limits.max_event_bytes, 1u << 20);
  EXPECT_EQ(config.limits.max_args_bytes, 1u << 20);
  EXPECT_EQ(config.limits.max_batch_events, 10000u);
  EXPECT_EQ(config.limits.max_batch_bytes, 16u << 20);
}

TEST(RuntimeConfig, AnEmptyObjectAndNullSectionsMeanDefaults) {
  EXPECT_EQ(parse_config("{}").store.path, "ordercare.db");
  const Config config = parse_config(R"({"store": null, "limits": null})");
  EXPECT_EQ(config.store.path, "ordercare.db");
  EXPECT_EQ(config.limits.max_event_bytes, 1u << 20);
}

TEST(RuntimeConfig, ReadsEveryField) {
  const Config config = parse_config(R"({
    "store": {"engine": "sqlite", "path": "/var/lib/oc/store.db", "durability": "normal",
              "busy_timeout": "2s", "page_cache_kib": 8192},
    "limits": {"max_event_bytes": 4096, "max_args_bytes": 2048, "max_batch_events": 50,
               "max_batch_bytes": 65536}})");
  EXPECT_EQ(config.store.engine, "sqlite");
  EXPECT_EQ(config.store.path, "/var/lib/oc/store.db");
  EXPECT_EQ(config.store.durability, store::Durability::normal);
  EXPECT_EQ(config.store.busy_timeout_ms, 2000);
  EXPECT_EQ(config.store.page_cache_kib, 8192);
  EXPECT_EQ(config.limits.max_event_bytes, 4096u);
  EXPECT_EQ(config.limits.max_args_bytes, 2048u);
  EXPECT_EQ(config.limits.max_batch_events, 50u);
  EXPECT_EQ(config.limits.max_batch_bytes, 65536u);
}

TEST(RuntimeConfig, DurabilityFullIsExplicitToo) {
  EXPECT_EQ(parse_config(R"({"store": {"durability": "full"}})").store.durability,
            store::Durability::full);
}

TEST(RuntimeConfig, BusyTimeoutTakesSecondsOrUnits) {
  EXPECT_EQ(parse_config(R"({"store": {"busy_timeout": 3}})").store.busy_timeout_ms, 3000);
  EXPECT_EQ(parse_config(R"({"store": {"busy_timeout": "250ms"}})").store.busy_timeout_ms, 250);
  EXPECT_EQ(parse_config(R"({"store": {"busy_timeout": "1m"}})").store.busy_timeout_ms, 60000);
}

TEST(RuntimeConfig, UnknownFieldsAreNamed) {
  EXPECT_EQ(failure_of(R"({"storage": {}})"),
            std::make_pair(OC_ERR_CONFIG, std::string("config: storage: unknown field")));
  EXPECT_EQ(failure_of(R"({"store": {"file": "x.db"}})").second, "config: store.file: unknown field");
  EXPECT_EQ(failure_of(R"({"limits": {"max_event_size": 1}})").second,
            "config: limits.max_event_size: unknown field");
}

TEST(RuntimeConfig, BadValuesAreNamed) {
  const std::pair<const char *, const char *> cases[] = {
      {R"({"store": {"engine": "postgres9"}})", "store.engine"},
      {R"({"store": {"path": ""}})", "store.path"},
      {R"({"store": {"path": 1}})", "store.path"},
      {R"({"store": {"durability": "paranoid"}})", "store.durability"},
      {R"({"store": {"busy_timeout": "forever"}})", "store.busy_timeout"},
      {R"({"store": {"busy_timeout": -1}})", "store.busy_timeout"},
      {R"({"store": {"page_cache_kib": 255}})", "store.page_cache_kib"},
      {R"({"store": {"page_cache_kib": "32MiB"}})", "store.page_cache_kib"},
      {R"({"store": []})", "store"},
      {R"({"limits": {"max_event_bytes": 1023}})", "limits.max_event_bytes"},
      {R"({"limits": {"max_event_bytes": 67108865}})", "limits.max_event_bytes"},
      {R"({"limits": {"max_args_bytes": "1MiB"}})", "limits.max_args_bytes"},
      {R"({"limits": {"max_args_bytes": 2048.5}})", "limits.max_args_bytes"},
      {R"({"limits": {"max_batch_events": 0}})", "limits.max_batch_events"},
      {R"({"limits": {"max_batch_events": 1000001}})", "limits.max_batch_events"},
      {R"({"limits": {"max_batch_bytes": 1023}})", "limits.max_batch_bytes"},
      {R"({"limits": {"max_batch_bytes": 1073741825}})", "limits.max_batch_bytes"},
      {R"([])", "(root)"},
  };
  for (const auto &[text, path] : cases) {
    const auto [status, message] = failure_of(text);
    EXPECT_EQ(status, OC_ERR_CONFIG) << text;
    EXPECT_NE(message.find(std::string("config: ") + path + ":"), std::string::npos)
        << text << " -> " << message;
  }
}

TEST(RuntimeConfig, LimitsAcceptTheirBounds) {
  EXPECT_EQ(parse_config(R"({"limits": {"max_event_bytes": 1024}})").limits.max_event_bytes, 1024u);
  EXPECT_EQ(parse_config(R"({"limits": {"max_event_bytes": 67108864}})").limits.max_event_bytes,
            64u << 20);
}

TEST(RuntimeConfig, MalformedJsonIsAConfigErrorWithTheOffset) {
  const auto [status, message] = failure_of(R"({"store": )");
  EXPECT_EQ(status, OC_ERR_CONFIG);
  EXPECT_NE(message.find("config: malformed JSON at byte"), std::string::npos) << message;
}

TEST(RuntimeConfig, InvalidUtf8IsAUtf8Error) {
  const auto [status, message] = failure_of("{\"store\": {\"path\": \"caf\xe9.db\"}}");
  EXPECT_EQ(status, OC_ERR_UTF8);
  EXPECT_EQ(message, "config: invalid UTF-8 at byte 23");
}

}  // namespace
}  // namespace ordercare::runtime
