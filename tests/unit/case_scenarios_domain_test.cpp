// The seed scenario table (seed_scenarios.h), every row, on the domain
// alone: events to domain::decide() and commands to their domain functions
// on snapshots the runtime's loader reads from memory (support/
// domain_harness.h). No plugin, thread or store: the whole table runs in
// milliseconds. case_scenarios_test.cpp runs a subset end to end and checks
// that the plugin and the harness agree on it.
#include <gtest/gtest.h>
#include <gtest/gtest-spi.h>

#include <chrono>
#include <string>
#include <vector>

#include "seed_scenarios.h"
#include "support/domain_harness.h"

namespace ordercare::testing {
namespace {

class CaseScenarioDomain : public ::testing::TestWithParam<Row> {};

TEST_P(CaseScenarioDomain, ProducesTheExpectedCase) {
  DomainHarness h(GetParam().config);
  run_row(h, GetParam());
}

INSTANTIATE_TEST_SUITE_P(Seeds, CaseScenarioDomain, ::testing::ValuesIn(seed_rows()),
                         [](const ::testing::TestParamInfo<Row> &param) { return param.param.name; });

// The whole table at once, timed: the number is printed, never judged.
TEST(CaseScenarioDomainTable, RunsInMilliseconds) {
  const std::vector<Row> rows = seed_rows();
  const auto start = std::chrono::steady_clock::now();
  for (const auto &row : rows) {
    DomainHarness h(row.config);
    run_row(h, row);
  }
  const auto took = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start);
  std::printf("%zu seed rows on the domain harness in %.1f ms\n", rows.size(), took.count());
}

// The harness is not a rubber stamp: a row with a wrong expectation fails.
TEST(CaseScenarioDomainTable, AWrongExpectationFails) {
  Row wrong;
  for (auto &row : seed_rows())
    if (row.name == "p2_damaged_item") wrong = row;
  ASSERT_FALSE(wrong.steps.empty());
  wrong.expect.priority = "P3";  // seed 004: damaged is P2
  DomainHarness h(wrong.config);
  EXPECT_NONFATAL_FAILURE(run_row(h, wrong), "\"P2\"");
}

// Events the harness has seen are acknowledged as duplicates and change
// nothing, as the plugin's event log does.
TEST(CaseScenarioDomainTable, DuplicateDeliveriesChangeNothing) {
  const CustomerSpec ann("c-ann", "Ann Archer");
  DomainHarness h;
  const std::vector<Json> sent = {h.order_created("A", ann), h.message(ann, "A", "email", "The vase arrived broken")};
  for (const auto &event : sent) EXPECT_EQ(h.submit(event)["status"], "accepted");
  const Json before = observable_state(h);
  for (const auto &event : sent) {
    const Json again = h.submit(event);
    EXPECT_EQ(again["status"], "duplicate");
    EXPECT_TRUE(again["effects"].empty());
  }
  EXPECT_EQ(observable_state(h), before);
}

}  // namespace
}  // namespace ordercare::testing
