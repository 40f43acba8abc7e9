// The config's "locations": physical stores and warehouses, read strictly
// (a bad value is OC_ERR_CONFIG naming its path), shared by every store
// profile, and the end of a store's day on its own wall clock.
#include "domain/locations.h"

#include <gtest/gtest.h>

#include "common/failure.h"
#include "domain/policy.h"
#include "runtime/config.h"

namespace ordercare::domain {
namespace {

std::string failure_of(const std::string &text) {
  try {
    runtime::parse_config(text);
  } catch (const Failure &failure) {
    EXPECT_EQ(failure.status(), OC_ERR_CONFIG) << failure.what();
    return failure.what();
  }
  ADD_FAILURE() << "expected a Failure for " << text;
  return "";
}

TimeMs at(const char *text) { return parse_rfc3339(text).value_or(0); }

const char *kTwoPlaces = R"({"locations": {
  "STORE-BER-1": {"kind": "store", "name": "Berlin Mitte", "time_zone": "Europe/Berlin",
                  "closes_at": "20:00", "pickup_hold": "5d", "ready_within": "90m", "team": "store-berlin"},
  "WH-EU": {"kind": "warehouse", "name": "EU warehouse", "time_zone": "Europe/Amsterdam"}}})";

TEST(Locations, StoresAndWarehousesAreRead) {
  const runtime::Config config = runtime::parse_config(kTwoPlaces);
  const Locations &places = config.policy.physical_locations();
  const Location *berlin = places.store("STORE-BER-1");
  ASSERT_NE(berlin, nullptr);
  EXPECT_EQ(berlin->name, "Berlin Mitte");
  EXPECT_EQ(berlin->time_zone, "Europe/Berlin");
  EXPECT_EQ(berlin->closes_at, 20 * 60);
  EXPECT_EQ(berlin->pickup_hold, 5 * kDayMs);
  EXPECT_EQ(berlin->ready_within, 90 * kMinuteMs);
  EXPECT_EQ(berlin->team, "store-berlin");
  const Location *warehouse = places.find("WH-EU");
  ASSERT_NE(warehouse, nullptr);
  EXPECT_EQ(warehouse->kind, LocationKind::warehouse);
  EXPECT_EQ(places.store("WH-EU"), nullptr) << "a warehouse is not a store";
  EXPECT_EQ(places.find("nowhere"), nullptr);
}

TEST(Locations, StoreDefaultsAreTheSeeds) {
  const runtime::Config config = runtime::parse_config(
      R"({"locations": {"S": {"kind": "store", "closes_at": "18:30"}}})");
  const Location *s = config.policy.physical_locations().store("S");
  ASSERT_NE(s, nullptr);
  EXPECT_EQ(s->name, "S");
  EXPECT_EQ(s->ready_within, 2 * kHourMs) << "seed 004: ready within 2 hours";
  EXPECT_EQ(s->pickup_hold, 7 * kDayMs);
  EXPECT_EQ(s->team, "");
  // The policy's store_pickup_ready is the default ready time.
  const runtime::Config faster = runtime::parse_config(
      R"({"policy": {"sla": {"store_pickup_ready": "1h"}},
          "locations": {"S": {"kind": "store", "closes_at": "18:30"}}})");
  EXPECT_EQ(faster.policy.physical_locations().store("S")->ready_within, kHourMs);
}

TEST(Locations, StoreProfilesShareThem) {
  const runtime::Config config = runtime::parse_config(
      R"({"stores": {"eu": {"name": "Shop EU"}},
          "locations": {"S": {"kind": "store", "closes_at": "18:30"}}})");
  EXPECT_NE(config.stores.policy_for(std::string("eu")).physical_locations().store("S"), nullptr);
  EXPECT_NE(config.stores.shop().physical_locations().store("S"), nullptr);
}

TEST(Locations, BadValuesNameTheirPath) {
  const std::pair<const char *, const char *> cases[] = {
      {R"({"locations": []})", "config: locations: expected an object"},
      {R"({"locations": {"S": 1}})", "config: locations.S: expected an object"},
      {R"({"locations": {"S": {"closes_at": "18:00"}}})", "config: locations.S.kind: required"},
      {R"({"locations": {"S": {"kind": "shop", "closes_at": "18:00"}}})", "config: locations.S.kind"},
      {R"({"locations": {"S": {"kind": "store"}}})", "config: locations.S.closes_at: required"},
      {R"({"locations": {"S": {"kind": "store", "closes_at": "24:00"}}})", "config: locations.S.closes_at: expected a time"},
      {R"({"locations": {"S": {"kind": "store", "closes_at": "8pm"}}})", "config: locations.S.closes_at: expected a time"},
      {R"({"locations": {"S": {"kind": "store", "closes_at": 20}}})", "config: locations.S.closes_at"},
      {R"({"locations": {"S": {"kind": "store", "closes_at": "18:00", "pickup_hold": "0s"}}})",
       "config: locations.S.pickup_hold: must be positive"},
      {R"({"locations": {"S": {"kind": "store", "closes_at": "18:00", "ready_within": "soon"}}})",
       "config: locations.S.ready_within"},
      {R"({"locations": {"S": {"kind": "store", "closes_at": "18:00", "time_zone": "Mars/Olympus"}}})",
       "config: locations.S.time_zone: unknown time zone"},
      {R"({"locations": {"S": {"kind": "store", "closes_at": "18:00", "team": " "}}})",
       "config: locations.S.team: must not be blank"},
      {R"({"locations": {"S": {"kind": "store", "closes_at": "18:00", "opens": "09:00"}}})", "config: locations.S"},
      {R"({"locations": {"W": {"kind": "warehouse", "closes_at": "18:00"}}})",
       "config: locations.W.closes_at: only a store"},
      {R"({"locations": {"W": {"kind": "warehouse", "pickup_hold": "7d"}}})",
       "config: locations.W.pickup_hold: only a store"},
      {R"({"locations": {"": {"kind": "warehouse"}}})", "config: locations.: a location id"},
      {R"({"locations": {"W": {"kind": "warehouse", "name": ""}}})", "config: locations.W.name: must not be blank"},
  };
  for (const auto &[text, expected] : cases)
    EXPECT_NE(failure_of(text).find(expected), std::string::npos) << text << " -> " << failure_of(text);
}

Location berlin() {
  Location s;
  s.id = "STORE-BER-1";
  s.kind = LocationKind::store;
  s.time_zone = "Europe/Berlin";
  s.closes_at = 20 * 60;
  return s;
}

TEST(Locations, EndOfTheStoresDayIsItsLocalClosingTime) {
  // Winter: Berlin is UTC+1, 20:00 local is 19:00Z.
  EXPECT_EQ(end_of_store_day(berlin(), at("2026-11-20T09:00:00Z")), at("2026-11-20T19:00:00Z"));
  EXPECT_EQ(end_of_store_day(berlin(), at("2026-11-20T19:00:00Z")), at("2026-11-20T19:00:00Z"));
  // Taken in after closing: the next day's.
  EXPECT_EQ(end_of_store_day(berlin(), at("2026-11-20T19:30:00Z")), at("2026-11-21T19:00:00Z"));
  // Summer: UTC+2, 18:00Z; the day the clocks go forward too.
  EXPECT_EQ(end_of_store_day(berlin(), at("2026-07-01T08:00:00Z")), at("2026-07-01T18:00:00Z"));
  EXPECT_EQ(end_of_store_day(berlin(), at("2026-03-29T00:30:00Z")), at("2026-03-29T18:00:00Z"));
  Location utc = berlin();
  utc.time_zone = "";
  EXPECT_EQ(end_of_store_day(utc, at("2026-11-20T09:00:00Z")), at("2026-11-20T20:00:00Z"));
}

}  // namespace
}  // namespace ordercare::domain
