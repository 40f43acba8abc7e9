// Seed 004 "Customer wants to pick up order at store": verified picked and
// packed, labelled STORE PICKUP, moved to the pickup area (ready: the store
// and the customer are told), released only when the customer shows ID;
// ready within the store's ready time (2 hours unless it says otherwise),
// and an order not collected within the hold period raises a case.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "support/locations_config.h"
#include "support/scenario.h"
#include "support/sla_support.h"

namespace ordercare::testing {
namespace {

const CustomerSpec kAnn("c-ann", "Ann Archer", {}, "ann@example.org");

Json store_config(Json store = Json::object()) {
  Json berlin = berlin_store();
  berlin.update(store);
  return {{"locations", {{"STORE-BER-1", berlin}}}};
}

Json step(Scenario &s, const std::string &order_id, const std::string &name, Json extra = Json::object()) {
  Json data = {{"order_id", order_id}, {"store_id", "STORE-BER-1"}, {"step", name}};
  data.update(extra);
  Json event = s.pickup(order_id, "STORE-BER-1", false);
  event["type"] = "pickup.updated";
  event["data"] = std::move(data);
  return event;
}

// An order for pickup, requested now; returns the pickup case's id.
std::string requested(Scenario &s, const std::string &order_id = "A") {
  s.submit(s.order_created(order_id, kAnn));
  return s.submit(s.pickup(order_id, "STORE-BER-1", false))["cases"][0].get<std::string>();
}

void to_pickup_area(Scenario &s, const std::string &order_id = "A") {
  for (const char *name : {"packed", "labelled", "in_pickup_area"}) {
    s.submit(step(s, order_id, name));
    s.advance(5 * kMinuteMs);
  }
}

Json pickup_of(Scenario &s, const std::string &order_id = "A") {
  return s.call("order.get", {{"id", order_id}})["pickup"];
}

TEST(StorePickup, EveryStepToTheReleaseWithTheIdCheck) {
  TestHost host;
  Scenario s(host, store_config());
  const std::string case_id = requested(s);
  const TimeMs asked = s.now();
  EXPECT_EQ(clock_due(s.get_case(case_id), "pickup_ready"), asked + 2 * kHourMs) << "seed 004: ready within 2 hours";

  to_pickup_area(s);
  const Json pickup = pickup_of(s);
  EXPECT_EQ(pickup["location"], "STORE-BER-1");
  for (const char *at : {"packed_at", "labelled_at", "ready_at"}) EXPECT_TRUE(pickup[at].is_string()) << at;
  EXPECT_TRUE(pickup["collected_at"].is_null());
  Json c = s.get_case(case_id);
  EXPECT_EQ(c["status"], "waiting_customer") << "now it is the customer's turn";
  EXPECT_TRUE(time_of(sla_clock(c, "pickup_ready")["met_at"]).has_value());
  EXPECT_EQ(clock_due(c, "pickup_hold"), time_of(pickup["ready_at"]).value_or(0) + 7 * kDayMs);

  s.poll_all();
  const Json customer = the_notice(host, "store_pickup_ready");
  EXPECT_EQ(customer["audience"], "customer");
  EXPECT_NE(customer.dump().find("Berlin Mitte"), std::string::npos) << "the store by name";
  const Json store = the_notice(host, "team_store_pickup_ready");
  EXPECT_EQ(store["team"], "store-berlin");

  // Seed 004: "Customer shows ID: Store releases order".
  s.advance(kDayMs);
  s.submit(step(s, "A", "collected", {{"id_checked", "passport"}, {"released_by", "mia"}}));
  const Json done = pickup_of(s);
  EXPECT_TRUE(done["collected_at"].is_string());
  EXPECT_EQ(done["id_checked"], "passport");
  EXPECT_EQ(done["released_by"], "mia");
  c = s.get_case(case_id);
  EXPECT_EQ(c["status"], "resolved");
  EXPECT_TRUE(time_of(sla_clock(c, "pickup_hold")["met_at"]).has_value());

  // Collected in time: no case after the hold period.
  s.advance(8 * kDayMs);
  s.poll_all();
  EXPECT_EQ(s.cases_of_order("A").size(), 1u);
}

TEST(StorePickup, NoReleaseWithoutTheIdCheck) {
  Scenario s(store_config());
  const std::string case_id = requested(s);
  to_pickup_area(s);
  const Json before = s.get_case(case_id);
  for (const Json &extra : {Json::object(), Json{{"id_checked", "   "}}}) {
    const CallError refused = s.submit_error(step(s, "A", "collected", extra));
    EXPECT_EQ(refused.status, OC_ERR_REFUSED) << refused.message;
    EXPECT_NE(refused.message.find("id_checked"), std::string::npos) << refused.message;
  }
  EXPECT_TRUE(pickup_of(s)["collected_at"].is_null());
  EXPECT_EQ(s.get_case(case_id)["status"], before["status"]);
}

TEST(StorePickup, StepsFollowThePlaybookOrder) {
  Scenario s(store_config());
  const std::string case_id = requested(s);
  EXPECT_EQ(s.submit_error(step(s, "A", "labelled")).status, OC_ERR_REFUSED);
  EXPECT_EQ(s.submit_error(step(s, "A", "in_pickup_area")).status, OC_ERR_REFUSED);
  EXPECT_EQ(s.submit_error(step(s, "A", "collected", {{"id_checked", "passport"}})).status, OC_ERR_REFUSED);
  EXPECT_TRUE(pickup_of(s)["packed_at"].is_null());
  s.submit(step(s, "A", "packed"));
  EXPECT_EQ(s.submit_error(step(s, "A", "in_pickup_area")).status, OC_ERR_REFUSED);
  // Another store cannot report on it.
  Json elsewhere = step(s, "A", "labelled");
  elsewhere["data"]["store_id"] = "STORE-HAM-2";
  EXPECT_EQ(s.submit_error(elsewhere).status, OC_ERR_REFUSED);
  EXPECT_EQ(s.submit_error(step(s, "A", "opened")).status, OC_ERR_SCHEMA);
  EXPECT_EQ(s.submit_error(step(s, "Z", "packed")).status, OC_ERR_NOT_FOUND) << "an order not known yet";
  EXPECT_TRUE(pickup_of(s)["labelled_at"].is_null());
}

TEST(StorePickup, ReadyIsToldOnceWhateverIsRepeated) {
  TestHost host;
  Scenario s(host, store_config());
  requested(s);
  to_pickup_area(s);
  const Json ready = pickup_of(s)["ready_at"];
  s.advance(kHourMs);
  s.submit(step(s, "A", "in_pickup_area"));  // a second report, new event id
  const Json twice = step(s, "A", "labelled");
  EXPECT_EQ(s.submit(twice)["status"], "accepted");
  EXPECT_EQ(s.submit(twice)["status"], "duplicate");
  s.poll_all();
  EXPECT_EQ(notices(host, "store_pickup_ready").size(), 1u);
  EXPECT_EQ(notices(host, "team_store_pickup_ready").size(), 1u);
  EXPECT_EQ(pickup_of(s)["ready_at"], ready);
}

TEST(StorePickup, NotReadyInTimeWarnsTheStore) {
  TestHost host;
  Scenario s(host, store_config({{"ready_within", "90m"}}));
  const std::string case_id = requested(s);
  const TimeMs asked = s.now();
  EXPECT_EQ(clock_due(s.get_case(case_id), "pickup_ready"), asked + 90 * kMinuteMs) << "the store's own ready time";
  s.submit(step(s, "A", "packed"));
  const TimeMs warn_at = clock_warn_at(s.get_case(case_id), "pickup_ready").value_or(0);
  ASSERT_GT(warn_at, asked);
  s.set_now(warn_at);
  s.poll_all();
  const auto warned = notices(host, "team_sla_warning");
  ASSERT_EQ(warned.size(), 1u);
  EXPECT_EQ(warned[0].body["team"], "store-berlin");
  s.set_now(asked + 90 * kMinuteMs);
  s.poll_all();
  const auto late = notices(host, "team_sla_breached");
  ASSERT_EQ(late.size(), 1u);
  EXPECT_EQ(late[0].body["team"], "store-berlin");
  // (The customer's own first-response promise escalates as ever.)
  for (const auto &row : s.escalations())
    EXPECT_EQ(row["issue"].get<std::string>().find("pickup ready"), std::string::npos)
        << "the store is told; CS's escalation path is for the customer's promises: " << row;
  s.advance(kHourMs);
  s.poll_all();
  EXPECT_EQ(notices(host, "team_sla_breached").size(), 1u);
}

TEST(StorePickup, NotCollectedWithinTheHoldPeriodRaisesACaseOnce) {
  TestHost host;
  Scenario s(host, store_config({{"pickup_hold", "3d"}}));
  const std::string pickup_case = requested(s);
  to_pickup_area(s);
  const TimeMs ready = time_of(pickup_of(s)["ready_at"]).value_or(0);
  s.set_now(ready + 3 * kDayMs - 1);
  s.poll_all();
  EXPECT_EQ(s.cases_of_order("A").size(), 1u);
  s.set_now(ready + 3 * kDayMs);
  s.poll_all();
  const Json all = s.cases_of_order("A");
  ASSERT_EQ(all.size(), 2u);
  const Json raised = s.get_case((all[0]["id"] == pickup_case ? all[1] : all[0])["id"].get<std::string>());
  EXPECT_EQ(raised["type"], "store_pickup");
  EXPECT_EQ(raised["team"], "store-berlin");
  EXPECT_NE(raised["initial_action"].get<std::string>().find("not collected"), std::string::npos) << raised;
  s.advance(kDayMs);
  s.poll_all();
  EXPECT_EQ(s.cases_of_order("A").size(), 2u) << "raised once";
}

TEST(StorePickup, ACancelledOrderIsNotChasedAtTheStore) {
  TestHost host;
  Scenario s(host, store_config());
  requested(s);
  const TimeMs asked = s.now();
  s.submit(s.order_updated("A", "cancelled"));
  s.set_now(asked + 3 * kHourMs);
  s.poll_all();
  EXPECT_TRUE(notices(host, "team_sla_breached").empty());
  for (const auto &n : notices(host, "team_sla_warning"))
    EXPECT_NE(n.body["team"], "store-berlin") << n.body;
}

TEST(StorePickup, AStoreNotInTheConfigUsesThePolicysReadyTime) {
  Scenario s(Json{{"policy", {{"sla", {{"store_pickup_ready", "45m"}}}}}});
  s.submit(s.order_created("A", kAnn));
  const std::string case_id = s.submit(s.pickup("A", "store-7", true))["cases"][0];
  EXPECT_EQ(clock_due(s.get_case(case_id), "pickup_ready"), s.now() + 45 * kMinuteMs);
}

}  // namespace
}  // namespace ordercare::testing
