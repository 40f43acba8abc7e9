// The metrics of DESIGN.md "Metrics and reports" as pure functions: seed
// 000's formulas with the seed's own examples, each metric's definition
// (metrics.h) on small tables of cases, grouping and top performers, the
// empty cases (no cases, no ratings), and local days in time zones.
#include "reports/metrics.h"

#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <vector>

#include "common/failure.h"
#include "common/time_zones.h"
#include "reports/daily_report.h"

namespace ordercare::reports {
namespace {

// 2026-11-20T00:00:00Z, a Friday.
constexpr TimeMs kDay = 1'795'132'800'000;
constexpr TimeMs kNextDay = kDay + kDayMs;

TimeMs at(int hour, int minute = 0) { return kDay + hour * kHourMs + minute * kMinuteMs; }

struct CaseSpec {
  std::string id;
  TimeMs opened;
  std::optional<TimeMs> first_response = std::nullopt;
  std::optional<TimeMs> resolved = std::nullopt;
  std::string agent = "";  // resolved_by when resolved, else the assignee
  std::optional<std::int64_t> csat = std::nullopt;
  std::optional<std::int64_t> nps = std::nullopt;
  std::int64_t contacts = 1;
  std::int64_t reopens = 0;
};

CaseRecord make(const CaseSpec &s) {
  CaseRecord c;
  c.id = s.id;
  c.opened_at = s.opened;
  c.first_response_at = s.first_response;
  c.resolved_at = s.resolved;
  c.status = s.resolved ? CaseStatus::resolved : CaseStatus::open;
  if (!s.agent.empty()) {
    c.assignee = s.agent;
    if (s.resolved) c.resolved_by = s.agent;
  }
  c.csat = s.csat;
  c.nps = s.nps;
  c.customer_contacts = s.contacts;
  c.reopen_count = s.reopens;
  c.team = "support";
  c.channel = "email";
  return c;
}

MetricsInput day_of(std::vector<CaseSpec> specs) {
  MetricsInput in;
  in.from = kDay;
  in.to = kNextDay;
  for (const auto &s : specs) in.cases.push_back(make(s));
  return in;
}

// --- Seed 000's formulas, with the seed's examples ---------------------------

TEST(Formulas, CustomerRetentionRateIsTheSeedsExample) {
  // Customers at the start 500, new 50, at the end 520: (520 - 50) / 500 = 94%.
  EXPECT_DOUBLE_EQ(*customer_retention_rate(500, 50, 520), 94.0);
  EXPECT_DOUBLE_EQ(*customer_retention_rate(100, 0, 100), 100.0);
  EXPECT_FALSE(customer_retention_rate(0, 10, 10));
}

TEST(Formulas, CustomerLifetimeValueIsTheSeedsExample) {
  // $100 * 3 purchases a year * 5 years = $1,500.
  EXPECT_EQ(customer_lifetime_value(100, 3, 5), 1500);
  EXPECT_EQ(customer_lifetime_value(10000, 3, 5), 150000);  // in cents
  EXPECT_EQ(customer_lifetime_value(999, 1.5, 2), 2997);     // fractional factors round to the unit
  EXPECT_EQ(customer_lifetime_value(1, 0.5, 1), 1);          // half a cent rounds away from zero
  EXPECT_FALSE(customer_lifetime_value(INT64_MAX, 2, 1));
  EXPECT_FALSE(customer_lifetime_value(100, std::numeric_limits<double>::infinity(), 1));
}

TEST(Formulas, NetPromoterScoreIsTheSeedsExample) {
  // 70% promoters - 10% detractors = 60.
  EXPECT_DOUBLE_EQ(net_promoter_score(70.0, 10.0), 60.0);
  // The same from counted scores: 7 promoters, 2 passives, 1 detractor.
  EXPECT_DOUBLE_EQ(*net_promoter_score(7, 1, 10), 60.0);
  EXPECT_DOUBLE_EQ(*net_promoter_score(0, 4, 4), -100.0);
  EXPECT_FALSE(net_promoter_score(0, 0, 0));
}

TEST(Formulas, ConversionRateIsTheSeedsExample) {
  // 40 converted of 200 leads = 20%.
  EXPECT_DOUBLE_EQ(*conversion_rate(40, 200), 20.0);
  EXPECT_FALSE(conversion_rate(0, 0));
}

// --- No data ----------------------------------------------------------------

TEST(Metrics, NoCasesGiveZerosAndNoAveragesRatherThanDivisionsByZero) {
  const Metrics m = compute_metrics(day_of({}));
  EXPECT_EQ(m.total.received, 0);
  EXPECT_EQ(m.total.resolved, 0);
  EXPECT_EQ(m.total.pending, 0);
  EXPECT_EQ(m.total.first_response.count, 0);
  EXPECT_FALSE(m.total.first_response.mean);
  EXPECT_FALSE(m.total.first_response.within_target_percent);
  EXPECT_FALSE(m.total.fcr_percent);
  EXPECT_FALSE(m.total.csat_percent);
  EXPECT_FALSE(m.total.nps);
  EXPECT_FALSE(m.total.qa_average);
  EXPECT_EQ(m.total.escalations_per_day, 0);
  ASSERT_EQ(m.dashboard.size(), 4u);
  for (const auto &row : m.dashboard) {
    EXPECT_FALSE(row.team_average) << row.metric;
    EXPECT_FALSE(row.met) << row.metric;
    EXPECT_FALSE(row.top_performer) << row.metric;
  }
  const Json j = to_json(m);
  EXPECT_TRUE(j["totals"]["csat"]["percent"].is_null());
  EXPECT_TRUE(j["dashboard"][0]["met"].is_null());
  EXPECT_EQ(j["groups"], Json::array());
}

TEST(Metrics, ResolvedCasesWithoutRatingsHaveNoCsatOrNps) {
  const Metrics m = compute_metrics(day_of({{"C1", at(9), at(9, 5), at(12), "ann"}}));
  EXPECT_EQ(m.total.resolved, 1);
  EXPECT_EQ(m.total.csat_ratings, 0);
  EXPECT_FALSE(m.total.csat_percent);
  EXPECT_FALSE(m.total.nps);
  EXPECT_FALSE(m.dashboard[2].met);  // CSAT: no data is not a miss
}

// --- Which cases count as what ----------------------------------------------

struct Classification {
  const char *name;
  CaseSpec spec;
  int received, resolved, pending;
};

void PrintTo(const Classification &c, std::ostream *os) { *os << c.name; }

class CaseClassification : public ::testing::TestWithParam<Classification> {};

TEST_P(CaseClassification, CountsByTheCasesOwnTimes) {
  const auto &row = GetParam();
  const Metrics m = compute_metrics(day_of({row.spec}));
  EXPECT_EQ(m.total.received, row.received);
  EXPECT_EQ(m.total.resolved, row.resolved);
  EXPECT_EQ(m.total.pending, row.pending);
}

INSTANTIATE_TEST_SUITE_P(
    Table, CaseClassification,
    ::testing::Values(
        Classification{"opened and resolved the same day", {"C", at(9), std::nullopt, at(10)}, 1, 1, 0},
        Classification{"opened today, still open", {"C", at(9)}, 1, 0, 1},
        Classification{"opened yesterday, resolved today", {"C", kDay - kHourMs, std::nullopt, at(3)}, 0, 1, 0},
        Classification{"opened yesterday, still open", {"C", kDay - kHourMs}, 0, 0, 1},
        Classification{"opened today, resolved tomorrow", {"C", at(22), std::nullopt, kNextDay + kHourMs}, 1, 0, 1},
        Classification{"opened tomorrow", {"C", kNextDay}, 0, 0, 0},
        Classification{"resolved yesterday", {"C", kDay - 5 * kHourMs, std::nullopt, kDay - kHourMs}, 0, 0, 0},
        Classification{"opened at the first instant", {"C", kDay}, 1, 0, 1},
        Classification{"resolved at the end instant is tomorrow's", {"C", at(1), std::nullopt, kNextDay}, 1, 0, 1}));

// --- Durations --------------------------------------------------------------

TEST(Metrics, FirstResponseTimeHasMeanMedianP90AndShareWithinTarget) {
  // Responses after 2, 4, 6, 8, 20 minutes; one case still unanswered.
  const Metrics m = compute_metrics(day_of({{"C1", at(9), at(9, 2)},
                                            {"C2", at(9), at(9, 4)},
                                            {"C3", at(9), at(9, 6)},
                                            {"C4", at(9), at(9, 8)},
                                            {"C5", at(9), at(9, 20)},
                                            {"C6", at(9)}}));
  const DurationStats &fr = m.total.first_response;
  EXPECT_EQ(fr.count, 5);
  EXPECT_EQ(m.total.awaiting_first_response, 1);
  EXPECT_EQ(*fr.mean, 8 * kMinuteMs);
  EXPECT_EQ(*fr.median, 6 * kMinuteMs);
  EXPECT_EQ(*fr.p90, 20 * kMinuteMs);  // nearest rank: the 5th of 5
  EXPECT_EQ(fr.within_target, 4);      // under the seed's 10 minutes
  EXPECT_DOUBLE_EQ(*fr.within_target_percent, 80.0);
  EXPECT_TRUE(*m.dashboard[0].met);  // 8 minutes < 10 minutes
}

TEST(Metrics, MedianOfAnEvenCountIsTheMeanOfTheMiddleTwo) {
  const Metrics m = compute_metrics(day_of({{"C1", at(9), at(9, 2)}, {"C2", at(9), at(9, 4)}}));
  EXPECT_EQ(*m.total.first_response.median, 3 * kMinuteMs);
  EXPECT_EQ(*m.total.first_response.p90, 4 * kMinuteMs);
}

TEST(Metrics, ResolutionTimeIsFromOpeningAndCountsOnlyTheRangesResolutions) {
  const Metrics m = compute_metrics(day_of({{"C1", kDay - 30 * kHourMs, std::nullopt, at(2)},  // 32 h
                                            {"C2", at(8), std::nullopt, at(12)},               // 4 h
                                            {"C3", at(8)}}));                                  // open
  EXPECT_EQ(m.total.resolution.count, 2);
  EXPECT_EQ(*m.total.resolution.mean, 18 * kHourMs);
  EXPECT_EQ(m.total.resolution.within_target, 1);
  EXPECT_TRUE(*m.dashboard[1].met);  // 18 h < 24 h
}

TEST(Metrics, HandleTimeRunsFromTheFirstAgentActionToResolution) {
  MetricsInput in = day_of({{"C1", at(8), std::nullopt, at(12)}, {"C2", at(8), std::nullopt, at(10)}});
  in.first_agent_action["C1"] = at(11);  // C2 was resolved without an agent action on record
  const Metrics m = compute_metrics(in);
  EXPECT_EQ(m.total.handle.count, 1);
  EXPECT_EQ(*m.total.handle.mean, kHourMs);
}

// --- Resolution quality -----------------------------------------------------

TEST(Metrics, FirstContactResolutionNeedsOneContactAndNoReopen) {
  CaseSpec once{"C1", at(8), std::nullopt, at(9)};
  CaseSpec twice{"C2", at(8), std::nullopt, at(9)};
  twice.contacts = 2;
  CaseSpec reopened{"C3", at(8), std::nullopt, at(9)};
  reopened.reopens = 1;
  CaseSpec system{"C4", at(8), std::nullopt, at(9)};
  system.contacts = 0;  // opened by an event, resolved before the customer wrote
  const Metrics m = compute_metrics(day_of({once, twice, reopened, system}));
  EXPECT_EQ(m.total.first_contact_resolutions, 2);
  EXPECT_DOUBLE_EQ(*m.total.fcr_percent, 50.0);
}

TEST(Metrics, CsatIsTheShareOfFoursAndFives) {
  std::vector<CaseSpec> specs;
  const std::vector<std::int64_t> ratings = {5, 5, 4, 3, 1};
  for (std::size_t i = 0; i < ratings.size(); ++i) {
    CaseSpec s{"C" + std::to_string(i), at(8), std::nullopt, at(9)};
    s.csat = ratings[i];
    specs.push_back(s);
  }
  specs.push_back({"unrated", at(8), std::nullopt, at(9)});
  const Metrics m = compute_metrics(day_of(specs));
  EXPECT_EQ(m.total.csat_ratings, 5);
  EXPECT_EQ(m.total.csat_satisfied, 3);
  EXPECT_DOUBLE_EQ(*m.total.csat_percent, 60.0);
  EXPECT_FALSE(*m.dashboard[2].met);  // 60% is not > 90%
  EXPECT_EQ(m.dashboard[2].goal, "> 90%");
}

TEST(Metrics, NpsCountsPromotersPassivesAndDetractors) {
  std::vector<CaseSpec> specs;
  const std::vector<std::int64_t> scores = {10, 9, 9, 8, 7, 6, 0};
  for (std::size_t i = 0; i < scores.size(); ++i) {
    CaseSpec s{"C" + std::to_string(i), at(8), std::nullopt, at(9)};
    s.nps = scores[i];
    specs.push_back(s);
  }
  const Metrics m = compute_metrics(day_of(specs));
  EXPECT_EQ(m.total.promoters, 3);
  EXPECT_EQ(m.total.passives, 2);
  EXPECT_EQ(m.total.detractors, 2);
  EXPECT_NEAR(*m.total.nps, 100.0 * 3 / 7 - 100.0 * 2 / 7, 1e-9);
}

// --- Refunds and escalations ------------------------------------------------

RefundFact refund(const std::string &id, TimeMs requested, std::string status, std::optional<TimeMs> completed,
                  std::int64_t amount = 2500, std::string currency = "USD", std::optional<std::string> case_id = {}) {
  RefundFact f;
  f.order_id = "O-" + id;
  f.currency = std::move(currency);
  f.refund.id = id;
  f.refund.amount = amount;
  f.refund.status = std::move(status);
  f.refund.requested_at = requested;
  f.refund.completed_at = completed;
  f.refund.case_id = std::move(case_id);
  return f;
}

TEST(Metrics, RefundsProcessedInTheRangeWithTheirProcessingTime) {
  MetricsInput in = day_of({});
  in.refunds = {refund("R1", kDay - 2 * kDayMs, "succeeded", at(0)),       // 2 days
                refund("R2", at(1), "succeeded", at(1) + kDayMs / 2, 900),  // half a day
                refund("R3", at(2), "pending", std::nullopt),
                refund("R4", at(3), "failed", at(4)),
                refund("R5", at(3), "succeeded", at(5), 1000, "EUR"),
                refund("R6", kDay - 10 * kDayMs, "succeeded", kDay - kDayMs)};  // before the range
  const Metrics m = compute_metrics(in);
  EXPECT_EQ(m.total.refunds_requested, 4);
  EXPECT_EQ(m.total.refunds_processed, 3);
  EXPECT_EQ(m.total.refunds_failed, 1);
  EXPECT_EQ(m.total.refunded.at("USD"), 3400);
  EXPECT_EQ(m.total.refunded.at("EUR"), 1000);
  EXPECT_EQ(m.total.refund_processing.count, 3);
  EXPECT_EQ(*m.total.refund_processing.median, 12 * kHourMs);
  EXPECT_EQ(m.total.refund_processing.within_target, 3);  // all under 7 days
  EXPECT_TRUE(*m.dashboard[3].met);
}

// Each refund is at most 10^15 minor units, yet 9,224 of them pass
// INT64_MAX: the sum saturates there instead of wrapping negative, in the
// totals and in a group alike, and other currencies are untouched.
TEST(Metrics, RefundedAmountsSaturateAtTheLargestInteger) {
  constexpr std::int64_t kLargest = 1'000'000'000'000'000;  // kMaxAmount
  MetricsInput in = day_of({{"C1", at(1), std::nullopt, std::nullopt, "kim"}});
  in.group_by = MetricsGroup::agent;
  for (int i = 0; i < 9'300; ++i)
    in.refunds.push_back(refund("R" + std::to_string(i), at(2), "succeeded", at(3), kLargest, "USD", "C1"));
  in.refunds.push_back(refund("E1", at(2), "succeeded", at(3), 1000, "EUR"));
  const Metrics m = compute_metrics(in);
  EXPECT_EQ(m.total.refunds_processed, 9'301);
  EXPECT_EQ(m.total.refunded.at("USD"), INT64_MAX);
  EXPECT_EQ(m.total.refunded.at("EUR"), 1000);
  ASSERT_EQ(m.groups.count("kim"), 1u);
  EXPECT_EQ(m.groups.at("kim").refunded.at("USD"), INT64_MAX);
  // Just below the bound the sum is exact.
  in.refunds.resize(9'223);
  EXPECT_EQ(compute_metrics(in).total.refunded.at("USD"), 9'223 * kLargest);
}

// Seed 000's "< 7 days" is the customer's wait: a return's refund counts
// from the return's request, not from when the refund was booked after the
// parcel came back and was inspected.
TEST(Metrics, AReturnsRefundTimeRunsFromTheCustomersRequest) {
  MetricsInput in = day_of({});
  RefundFact from_return = refund("refund:R1:1", at(10), "succeeded", at(10, 5));
  from_return.asked_at = at(10) - 8 * kDayMs;
  in.refunds = {from_return, refund("refund:A:1", at(11), "succeeded", at(13))};
  const Metrics m = compute_metrics(in);
  EXPECT_EQ(m.total.refund_processing.count, 2);
  EXPECT_EQ(*m.total.refund_processing.mean, (8 * kDayMs + 5 * kMinuteMs + 2 * kHourMs) / 2);
  EXPECT_EQ(m.total.refund_processing.within_target, 1) << "the return's refund took over 7 days";
}

Escalation escalation(const std::string &id, const std::string &case_id, TimeMs when) {
  Escalation e;
  e.id = id;
  e.case_id = case_id;
  e.at = when;
  return e;
}

TEST(Metrics, EscalationsPerDayDivideByTheDaysOfTheRange) {
  MetricsInput in = day_of({});
  in.to = kDay + 2 * kDayMs;
  in.escalations = {escalation("E1", "C1", at(1)), escalation("E2", "C1", at(30)), escalation("E3", "C2", at(40)),
                    escalation("E4", "C2", kDay - 1)};
  Metrics m = compute_metrics(in);
  EXPECT_EQ(m.total.escalations, 3);
  EXPECT_DOUBLE_EQ(m.days, 2.0);
  EXPECT_DOUBLE_EQ(m.total.escalations_per_day, 1.5);
  // A 25-hour local day is still one day when the caller says so.
  in.to = kDay + 25 * kHourMs;
  in.escalations = {escalation("E1", "C1", at(1)), escalation("E5", "C1", at(24, 30))};
  m = compute_metrics(in);
  EXPECT_NEAR(m.total.escalations_per_day, 2.0 * 24 / 25, 1e-9);
  in.days = 1;
  m = compute_metrics(in);
  EXPECT_DOUBLE_EQ(m.total.escalations_per_day, 2.0);
}

// --- Grouping and top performers --------------------------------------------

TEST(Metrics, GroupsByAgentAreTheResolverElseTheAssigneeElseUnassigned) {
  CaseSpec resolved_by_ann{"C1", at(8), at(8, 5), at(9), "ann"};
  CaseSpec assigned_to_bob{"C2", at(8), at(8, 20)};
  assigned_to_bob.agent = "bob";
  CaseSpec nobody{"C3", at(8)};
  MetricsInput in = day_of({resolved_by_ann, assigned_to_bob, nobody});
  in.group_by = MetricsGroup::agent;
  in.escalations = {escalation("E1", "C2", at(10)), escalation("E2", "gone", at(10))};
  const Metrics m = compute_metrics(in);
  ASSERT_EQ(m.groups.size(), 4u);
  EXPECT_EQ(m.groups.at("ann").resolved, 1);
  EXPECT_EQ(m.groups.at("bob").pending, 1);
  EXPECT_EQ(m.groups.at("bob").escalations, 1);
  EXPECT_EQ(m.groups.at("unassigned").received, 1);
  EXPECT_EQ(m.groups.at("unknown").escalations, 1);  // its case was not among the input
  EXPECT_EQ(m.total.escalations, 2);
  const Json j = to_json(m);
  EXPECT_EQ(j["group_by"], "agent");
  EXPECT_EQ(j["groups"][0]["key"], "ann");
  EXPECT_EQ(j["groups"][0]["tickets"]["resolved"], 1);
}

TEST(Metrics, GroupsByTypePriorityTeamAndChannelUseTheCaseAsItIsNow) {
  CaseRecord a = make({"C1", at(8)});
  a.type = IssueType::damaged_item;
  a.priority = Priority::p2;
  a.team = "returns";
  a.channel = "chat";
  CaseRecord b = make({"C2", at(9)});
  b.type = IssueType::wismo;
  b.team = "";
  b.channel = "";
  MetricsInput in = day_of({});
  in.cases = {a, b};
  const std::vector<std::pair<MetricsGroup, std::vector<std::string>>> expected = {
      {MetricsGroup::type, {"damaged_item", "wismo"}},
      {MetricsGroup::priority, {"P2", "P3"}},
      {MetricsGroup::team, {"returns", "unassigned"}},
      {MetricsGroup::channel, {"chat", "unknown"}}};
  for (const auto &[group, keys] : expected) {
    in.group_by = group;
    const Metrics m = compute_metrics(in);
    std::vector<std::string> got;
    for (const auto &[key, set] : m.groups) {
      got.push_back(key);
      EXPECT_EQ(set.received, 1) << key;
    }
    EXPECT_EQ(got, keys) << to_string(group);
  }
}

TEST(Metrics, ACaseListedTwiceCountsOnce) {
  MetricsInput in = day_of({{"C1", at(8), std::nullopt, at(9)}, {"C1", at(8), std::nullopt, at(9)}});
  const Metrics m = compute_metrics(in);
  EXPECT_EQ(m.total.received, 1);
  EXPECT_EQ(m.total.resolved, 1);
}

TEST(Metrics, TopPerformersAreTheBestAgentPerDashboardMetric) {
  CaseSpec ann1{"A1", at(8), at(8, 3), at(10), "ann"};
  ann1.csat = 5;
  CaseSpec ann2{"A2", at(8), at(8, 5), at(16), "ann"};
  ann2.csat = 3;
  CaseSpec bob1{"B1", at(8), at(8, 12), at(9), "bob"};
  bob1.csat = 4;
  CaseSpec fast_but_unassigned{"U1", at(8), at(8, 1), at(8, 30)};
  MetricsInput in = day_of({ann1, ann2, bob1, fast_but_unassigned});
  in.refunds = {refund("R1", at(1), "succeeded", at(3), 100, "USD", "A1"),
                refund("R2", at(1), "succeeded", at(2), 100, "USD", "B1")};
  const Metrics m = compute_metrics(in);
  ASSERT_EQ(m.dashboard.size(), 4u);
  EXPECT_EQ(m.dashboard[0].metric, "first_response_time");
  EXPECT_EQ(m.dashboard[0].top_performer->agent, "ann");  // 4 min mean vs bob's 12
  EXPECT_EQ(m.dashboard[0].top_performer->value, 4.0 * kMinuteMs);
  EXPECT_EQ(m.dashboard[1].top_performer->agent, "bob");  // 1 h vs ann's 5 h
  EXPECT_EQ(m.dashboard[2].top_performer->agent, "bob");  // 100% vs ann's 50%
  EXPECT_EQ(m.dashboard[3].top_performer->agent, "bob");  // refund in 1 h vs 2 h
  EXPECT_EQ(m.dashboard[0].goal, "< 10 minutes");
  EXPECT_EQ(m.dashboard[1].goal, "< 24 hours");
  EXPECT_EQ(m.dashboard[3].goal, "< 7 days");
}

TEST(Metrics, TopPerformerTiesGoToTheLargerSampleThenTheName) {
  CaseSpec a{"A1", at(8), at(8, 5), std::nullopt, "zoe"};
  CaseSpec b{"B1", at(8), at(8, 5), std::nullopt, "amy"};
  CaseSpec c{"C1", at(8), at(8, 5), std::nullopt, "zoe"};
  EXPECT_EQ(compute_metrics(day_of({a, b, c})).dashboard[0].top_performer->agent, "zoe");
  EXPECT_EQ(compute_metrics(day_of({a, b})).dashboard[0].top_performer->agent, "amy");
}

TEST(Metrics, RepeatIssuesAreCustomersAndSkusWithSeveralCasesInTheRange) {
  CaseRecord a = make({"C1", at(8)});
  a.customer_id = "cus-1";
  a.skus = {"LAMP", "LAMP"};
  CaseRecord b = make({"C2", at(9)});
  b.customer_id = "cus-1";
  b.skus = {"LAMP", "VASE"};
  CaseRecord c = make({"C3", at(10)});
  c.customer_id = "cus-2";
  c.skus = {"LAMP"};
  CaseRecord old = make({"C0", kDay - kDayMs});  // before the range
  old.customer_id = "cus-2";
  old.skus = {"VASE"};
  MetricsInput in = day_of({});
  in.cases = {old, a, b, c};
  const Metrics m = compute_metrics(in);
  ASSERT_EQ(m.repeat_customers.size(), 1u);
  EXPECT_EQ(m.repeat_customers[0].key, "cus-1");
  EXPECT_EQ(m.repeat_customers[0].case_ids, (std::vector<std::string>{"C1", "C2"}));
  ASSERT_EQ(m.repeat_skus.size(), 1u);
  EXPECT_EQ(m.repeat_skus[0].key, "LAMP");
  EXPECT_EQ(m.repeat_skus[0].case_ids, (std::vector<std::string>{"C1", "C2", "C3"}));
}

TEST(Metrics, QaAveragesByAgent) {
  MetricsInput in = day_of({{"C1", at(8), std::nullopt, at(9), "ann"}});
  in.group_by = MetricsGroup::agent;
  QaScorecard high{"C1", "ann", "lead", at(10), {5, 5, 5, 5, 5, 5}, std::nullopt};
  QaScorecard mid{"C1", "ann", "lead", at(11), {3, 3, 3, 3, 3, 3}, std::nullopt};
  QaScorecard bob{"C9", "bob", "lead", at(12), {4, 4, 4, 4, 4, 5}, std::nullopt};
  QaScorecard late{"C1", "ann", "lead", kNextDay, {1, 1, 1, 1, 1, 1}, std::nullopt};
  in.qa = {high, mid, bob, late};
  const Metrics m = compute_metrics(in);
  EXPECT_EQ(m.total.qa_scorecards, 3);
  EXPECT_EQ(m.groups.at("ann").qa_scorecards, 2);
  EXPECT_DOUBLE_EQ(*m.groups.at("ann").qa_average, 4.0);
  EXPECT_NEAR(*m.groups.at("bob").qa_average, 25.0 / 6, 1e-9);
}

// --- Local days -------------------------------------------------------------

TEST(LocalDay, ParsesOnlyRealZeroPaddedDates) {
  EXPECT_EQ(parse_local_date("2026-11-20"), (LocalDate{2026, 11, 20}));
  EXPECT_EQ(parse_local_date("2024-02-29"), (LocalDate{2024, 2, 29}));
  for (const char *bad : {"2026-02-29", "2026-13-01", "2026-00-10", "2026-11-31", "2026-1-20", "20261120",
                          "2026-11-20T00:00:00Z", "", "abcd-ef-gh"})
    EXPECT_FALSE(parse_local_date(bad)) << bad;
  EXPECT_EQ(format_local_date({2026, 3, 8}), "2026-03-08");
}

TEST(LocalDay, IsMidnightToMidnightInTheZone) {
  const Interval utc = *local_day("UTC", {2026, 11, 20});
  EXPECT_EQ(utc.begin, kDay);
  EXPECT_EQ(utc.end, kNextDay);
  // Berlin is UTC+1 in November: its 20th runs 23:00Z on the 19th to 23:00Z on the 20th.
  const Interval berlin = *local_day("Europe/Berlin", {2026, 11, 20});
  EXPECT_EQ(format_rfc3339(berlin.begin), "2026-11-19T23:00:00Z");
  EXPECT_EQ(format_rfc3339(berlin.end), "2026-11-20T23:00:00Z");
  const Interval new_york = *local_day("America/New_York", {2026, 11, 20});
  EXPECT_EQ(format_rfc3339(new_york.begin), "2026-11-20T05:00:00Z");
  EXPECT_FALSE(local_day("Mars/Olympus_Mons", {2026, 11, 20}));
  EXPECT_FALSE(is_known_zone("Mars/Olympus_Mons"));
  EXPECT_TRUE(is_known_zone("UTC"));
}

TEST(LocalDay, DstDaysAreTwentyThreeOrTwentyFiveHours) {
  const Interval spring = *local_day("Europe/Berlin", {2026, 3, 29});
  EXPECT_EQ(spring.end - spring.begin, 23 * kHourMs);
  const Interval autumn = *local_day("Europe/Berlin", {2026, 10, 25});
  EXPECT_EQ(autumn.end - autumn.begin, 25 * kHourMs);
  // Cuba springs forward at midnight: the day starts when the gap ends, 01:00 CDT.
  const Interval havana = *local_day("America/Havana", {2026, 3, 8});
  EXPECT_EQ(format_rfc3339(havana.begin), "2026-03-08T05:00:00Z");
  EXPECT_EQ(havana.end - havana.begin, 23 * kHourMs);
}

TEST(LocalDay, ACaseAtHalfPastElevenUtcFallsOnTheNextDayInBerlin) {
  // Opened 2026-11-20T23:30Z: the 20th in UTC, already the 21st in Berlin.
  MetricsInput in;
  in.cases = {make({"late", kDay + 23 * kHourMs + 30 * kMinuteMs})};
  auto received_on = [&](const std::string &zone, LocalDate date) {
    const Interval day = *local_day(zone, date);
    in.from = day.begin;
    in.to = day.end;
    return compute_metrics(in).total.received;
  };
  EXPECT_EQ(received_on("UTC", {2026, 11, 20}), 1);
  EXPECT_EQ(received_on("UTC", {2026, 11, 21}), 0);
  EXPECT_EQ(received_on("Europe/Berlin", {2026, 11, 20}), 0);
  EXPECT_EQ(received_on("Europe/Berlin", {2026, 11, 21}), 1);
}

// --- The daily report's wording on a busy day --------------------------------

TEST(DailyReportText, NotableIssuesStayBriefOnABusyDay) {
  DailyReportInput in;
  in.date = {2026, 11, 20};
  for (int i = 0; i < 8; ++i) {
    const std::string sku = "SKU-" + std::to_string(i);
    for (int j = 0; j < 2 + (i == 0 ? 4 : 0); ++j) {
      CaseRecord c = make({"C" + std::to_string(i) + "-" + std::to_string(j), at(8 + i, j)});
      c.skus = {sku};
      c.priority = j == 0 ? Priority::p1 : Priority::p3;
      c.type = i % 2 == 0 ? IssueType::damaged_item : IssueType::wismo;
      in.metrics.cases.push_back(c);
      CaseLogEntry breach;
      breach.case_id = c.id;
      breach.at = at(12);
      breach.kind = "sla_breach";
      breach.details = {{"clock", j % 3 == 0 ? "resolution" : "first_response"}};
      in.sla_breaches.push_back(breach);
    }
  }
  const DailyReport r = build_daily_report(in);
  const std::vector<std::string> expected = {
      "SLA breaches: 20 (11 first response, 9 resolution)",
      "Repeat issue: SKU SKU-0 in 6 cases (C0-0, C0-1, C0-2 and 3 more)",
      "Repeat issue: SKU SKU-1 in 2 cases (C1-0, C1-1)",
      "Repeat issue: SKU SKU-2 in 2 cases (C2-0, C2-1)",
      "Repeat issue: SKU SKU-3 in 2 cases (C3-0, C3-1)",
      "Repeat issue: SKU SKU-4 in 2 cases (C4-0, C4-1)",
      "... and 3 more SKUs in several cases",
      "P1 cases received: 8 (4 Item arrived damaged, 4 Where is my order?)",
  };
  EXPECT_EQ(r.notable_issues, expected);
  // Categories busiest first.
  ASSERT_EQ(r.by_category.size(), 2u);
  EXPECT_EQ(r.by_category[0].type, IssueType::damaged_item);
  EXPECT_EQ(r.by_category[0].received, 12);
  EXPECT_EQ(r.by_category[1].received, 8);
  DailyReportInput nowhere;
  nowhere.date = {2026, 11, 20};
  nowhere.zone = "Nowhere/Land";
  EXPECT_THROW(build_daily_report(nowhere), Failure);
}

}  // namespace
}  // namespace ordercare::reports
