// The seed scenario table (seed_scenarios.h) end to end: a subset of its
// rows through the plugin (a libuv thread and a store on each engine), so
// the path from submit to the store and back through the calls stays
// covered without running every rule twice. Every row runs on the domain
// harness in case_scenarios_domain_test.cpp; here each row kept must also
// leave the plugin and the harness in the same observable state.
//
// Kept: one row per rule family, and every row that leans on what the
// runtime does beyond decide(): SLA timers fired by oc_poll, events parked
// until their order is known (and the lookup_order asked meanwhile),
// follow-up events, the store's counting of complaints and open orders,
// the case commands through the call registry, the order.get call, and
// non-ASCII text through the store.
#include <gtest/gtest.h>

#include <algorithm>
#include <set>
#include <string>
#include <vector>

#include "seed_scenarios.h"
#include "support/domain_harness.h"
#include "support/scenario.h"

namespace ordercare::testing {
namespace {

const std::set<std::string> kEndToEnd = {
    // Seed 004's priorities, one per level and kind of trigger.
    "p1_customer_waiting_at_store",
    "p1_vip_complaint",
    "p2_damaged_item",
    "p2_multiple_failed_deliveries",
    "p2_large_order_jpy_500",
    "p3_wismo_shipped_gets_tracking",
    "p3_return_processing",
    // An SLA breach, fired by oc_poll at the host's time.
    "p3_wismo_breached_first_response_escalates",
    // Store pickup and walk-in returns (locations from the config, order.get).
    "store_pickup_released_after_the_id_check",
    "walk_in_return_resellable_back_to_store_stock",
    // Red flags: one by text, and the store's count of other orders' complaints.
    "red_flag_legal_threat",
    "red_flag_repeated_complaints_same_sku",
    "repeated_complaints_past_the_threshold_are_at_least_one_more",
    "red_flag_fraud_dispute",
    // Seed 000's table: a stock count's follow-ups on the open orders it hits.
    "issue_cancellation_before_shipping",
    "inventory_discrepancy_hitting_an_open_order",
    "rush_picked_asks_the_warehouse",
    // Case commands through the calls, and one order of events.
    "resolved_case_reopens_on_a_new_message_of_its_family",
    "closed_case_is_not_reopened_by_a_message",
    "priority_is_not_lowered_after_an_escalation",
    "an_older_update_does_not_roll_the_order_back",
    // Parked until the order is known (lookup_order meanwhile).
    "event_about_an_unknown_order_waits_for_it",
    "escalation_before_the_order_is_known_names_the_customer_later",
    "cancellation_before_the_order_is_known_is_decided_when_it_arrives",
    // Non-ASCII text sealed in the store and read back.
    "wismo_japanese",
};

std::vector<Row> end_to_end_rows() {
  std::vector<Row> out;
  for (auto &row : seed_rows())
    if (kEndToEnd.count(row.name)) out.push_back(std::move(row));
  return out;
}

TEST(CaseScenarioTable, EveryEndToEndRowIsInTheTable) {
  EXPECT_EQ(end_to_end_rows().size(), kEndToEnd.size());
}

class CaseScenario : public ::testing::TestWithParam<Row> {};

// The row's expectation holds on the plugin, and the domain harness, given
// the same row, ends in the same observable state: the harness models what
// the table looks at.
TEST_P(CaseScenario, ProducesTheExpectedCase) {
  Scenario s(GetParam().config);
  run_row(s, GetParam());
  if (HasFatalFailure()) return;
  DomainHarness h(GetParam().config);
  run_row(h, GetParam());
  if (HasFatalFailure()) return;
  EXPECT_EQ(observable_state(h), observable_state(s));
  EXPECT_EQ(h.queued_effects(), s.queued_effects());
}

INSTANTIATE_TEST_SUITE_P(Seeds, CaseScenario, ::testing::ValuesIn(end_to_end_rows()),
                         [](const ::testing::TestParamInfo<Row> &param) { return param.param.name; });

// Replaying a row's events (platform retries) changes nothing: the event
// log's dedupe, the runtime's.
TEST(CaseScenarioReplay, DuplicateDeliveriesChangeNothing) {
  const CustomerSpec ann("c-ann", "Ann Archer", {}, "ann@example.org", "+1 555 0100");
  Scenario s;
  std::vector<Json> sent = {s.order_created("A", ann), s.message(ann, "A", "email", "The vase arrived broken"),
                            s.shipment("A", "S1", "delivery_failed"), s.shipment("A", "S1", "delivery_failed")};
  for (const auto &event : sent) EXPECT_EQ(s.submit(event)["status"], "accepted");
  const Json before = s.cases();
  const Json case_before = s.get_case(before[0]["id"].get<std::string>());
  s.advance(kHourMs);
  for (const auto &event : sent) {
    const Json again = s.submit(event);
    EXPECT_EQ(again["status"], "duplicate");
    EXPECT_TRUE(again["cases"].empty());
    EXPECT_TRUE(again["effects"].empty());
  }
  EXPECT_EQ(s.cases(), before);
  EXPECT_EQ(s.get_case(before[0]["id"].get<std::string>()), case_before);
}

}  // namespace
}  // namespace ordercare::testing
