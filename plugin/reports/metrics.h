// Customer-service metrics (DESIGN.md "Metrics and reports"): seed 001's
// first response time, handle time and first contact resolution; seed
// 000's team dashboard (first response, resolution, CSAT, refund
// processing, each against its goal with the team's top performer) and its
// CRR, CLV, NPS and conversion formulas; seed 004's escalations per day,
// repeat issues, and everything by category, team, agent, priority or
// channel. Pure: computed from the cases, refunds, escalations and QA
// scorecards the caller read, for the half-open range [from, to).
//
// What each number counts:
//   received        cases opened in the range.
//   resolved        cases whose resolution (resolved_at; the latest one for a
//                   case that was reopened) falls in the range.
//   pending         the backlog at `to`: cases opened before it and not
//                   resolved before it. A case reopened since then has lost
//                   that resolution (a case keeps only its latest), so it
//                   counts as pending.
//   first response  opened_at -> first_response_at (the first agent message
//                   the host confirmed delivered: agent_messages.h), over
//                   cases received in the range that have had one; the
//                   others are awaiting_first_response.
//   resolution      opened_at -> resolved_at, over cases resolved in the range.
//   handle time     the case's first agent action -> resolved_at, over cases
//                   resolved in the range that have one. An agent action is
//                   a log entry of a kind in kAgentActionKinds written by
//                   anyone but "system" or "customer" (an assignment is
//                   the dispatcher's act, not work on the case). This is
//                   elapsed time while an agent owned the case, not effort:
//                   ordercare does not see agents' screens.
//   FCR             resolved cases with at most one customer contact that
//                   were never reopened, as a share of cases resolved.
//   CSAT            ratings 4 or 5 as a share of the ratings (1-5) on cases
//                   resolved in the range (seed 000: goal > 90%).
//   NPS             % promoters (9-10) minus % detractors (0-6) among the
//                   scores (0-10) on cases resolved in the range.
//   refunds         requested: asked of the host in the range; processed:
//                   succeeded in the range (with amounts per currency);
//                   failed: failed in the range. Processing time is
//                   requested_at -> completed_at of those processed.
//   escalations     raised in the range, and per day of the range.
//   repeat issues   customers, and SKUs, with more than one case received in
//                   the range.
//   QA              scorecards given in the range: count and mean average.
// Durations report count, mean, median (the mean of the two middle values
// for an even count), p90 (nearest rank) and the share at or under the goal
// (handle time is held to the resolution goal).
//
// Grouping. A case belongs to its type, team, priority and channel as it is
// now, and to the agent who resolved it, else its assignee, else
// "unassigned". Escalations and refunds belong to their case's group
// ("unknown" when their case is not among the input cases); QA scorecards
// to the agent scored, or their case's group for other groupings.
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/json.h"
#include "common/time_format.h"
#include "domain/entities.h"
#include "reports/qa_scorecard.h"

namespace ordercare::reports {

// Reports read the domain's records; they decide nothing.
using namespace ordercare::domain;

enum class MetricsGroup { none, type, team, agent, priority, channel };

std::string_view to_string(MetricsGroup g);
std::optional<MetricsGroup> parse_metrics_group(std::string_view text);

// Log entry kinds that are an agent working the case (see handle time).
inline constexpr std::array<std::string_view, 5> kAgentActionKinds = {"reply", "note", "status", "escalate",
                                                                       "resolve"};
// Actors whose entries are never an agent's action.
inline constexpr std::array<std::string_view, 2> kNonAgentActors = {"system", "customer"};

// One refund of an order's ledger, with what the ledger knows about it.
struct RefundFact {
  std::string order_id;
  std::string currency;
  RefundRecord refund;
  // When the customer asked: the return's request for a return's refund.
  // Refund processing time runs from here to the money going out (seed
  // 000's "< 7 days"); a refund outside a return starts when it was booked.
  std::optional<TimeMs> asked_at;
};

// Seed 000's dashboard goals.
struct MetricGoals {
  TimeMs first_response = 10 * kMinuteMs;
  TimeMs resolution = 24 * kHourMs;
  double csat_percent = 90.0;
  TimeMs refund_processing = 7 * kDayMs;
};

struct MetricsInput {
  TimeMs from = 0;
  TimeMs to = 0;
  // Days the range spans, for escalations per day: (to - from) / 24 h
  // unless the caller knows better (a local calendar day is one day even
  // when DST makes it 23 or 25 hours long).
  std::optional<double> days;
  // Every case that may count: opened or resolved in the range, open at
  // its end, or the case of an escalation, refund or scorecard. Each case
  // is classified by its own times; a case listed twice counts once.
  std::vector<CaseRecord> cases;
  // Case id -> its first agent action, for handle time.
  std::map<std::string, TimeMs> first_agent_action;
  std::vector<Escalation> escalations;  // those outside the range are ignored
  std::vector<RefundFact> refunds;      // likewise, by requested_at / completed_at
  std::vector<QaScorecard> qa;          // likewise, by at
  MetricsGroup group_by = MetricsGroup::none;
  MetricGoals goals;
};

struct DurationStats {
  std::int64_t count = 0;
  std::optional<TimeMs> mean, median, p90;
  std::int64_t within_target = 0;
  std::optional<double> within_target_percent;
};

// The numbers for the whole team, or for one group of it.
struct MetricSet {
  std::int64_t received = 0;
  std::int64_t resolved = 0;
  std::int64_t pending = 0;
  DurationStats first_response;
  std::int64_t awaiting_first_response = 0;
  DurationStats resolution;
  DurationStats handle;
  std::int64_t first_contact_resolutions = 0;
  std::optional<double> fcr_percent;
  std::int64_t csat_ratings = 0;
  std::int64_t csat_satisfied = 0;
  std::optional<double> csat_percent;
  std::int64_t nps_responses = 0;
  std::int64_t promoters = 0;
  std::int64_t passives = 0;
  std::int64_t detractors = 0;
  std::optional<double> nps;
  std::int64_t refunds_requested = 0;
  std::int64_t refunds_processed = 0;
  std::int64_t refunds_failed = 0;
  // currency -> minor units processed, saturating at INT64_MAX (some 9,224
  // refunds of the largest amount, 10^15).
  std::map<std::string, std::int64_t> refunded;
  DurationStats refund_processing;
  std::int64_t escalations = 0;
  double escalations_per_day = 0;
  std::int64_t qa_scorecards = 0;
  std::optional<double> qa_average;  // of the scorecards' averages, 1-5
};

struct RepeatIssue {
  std::string key;  // customer id or SKU
  std::vector<std::string> case_ids;
};

struct TopPerformer {
  std::string agent;
  double value = 0;         // ms for times, percent for CSAT
  std::int64_t sample = 0;  // cases, ratings or refunds behind the value
};

// One row of seed 000's team performance dashboard.
struct DashboardRow {
  std::string metric;  // first_response_time | resolution_time | csat | refund_processing_time
  std::string label;   // "First Response Time"
  std::string goal;    // "< 10 minutes"
  bool is_percent = false;
  std::optional<double> team_average;  // ms, or percent for CSAT
  std::optional<bool> met;             // null without data
  std::optional<TopPerformer> top_performer;
};

struct Metrics {
  TimeMs from = 0;
  TimeMs to = 0;
  double days = 0;
  MetricGoals goals;
  MetricSet total;
  MetricsGroup group_by = MetricsGroup::none;
  std::map<std::string, MetricSet> groups;  // empty unless grouped
  std::map<std::string, MetricSet> agents;  // always: the dashboard reads it
  std::vector<RepeatIssue> repeat_customers;
  std::vector<RepeatIssue> repeat_skus;
  std::vector<DashboardRow> dashboard;
};

Metrics compute_metrics(const MetricsInput &input);

// {from, to, days, goals, totals, group_by, groups: [{key, ...}],
//  repeat_issues: {customers, skus}, dashboard}; abi/CALLS.md has the shape.
Json to_json(const Metrics &metrics);
Json to_json(const MetricSet &set);
Json to_json(const DashboardRow &row);

// The share of `part` in `whole` as a percent; nullopt when whole is 0.
std::optional<double> percent(std::int64_t part, std::int64_t whole);
// Percents and averages as results show them: one decimal (two for QA).
double round_to(double value, int decimals);

// Seed 000's formulas. Each returns nullopt where the formula has no value
// (a zero denominator).
// CRR = (customers at end - new customers) / customers at start * 100.
std::optional<double> customer_retention_rate(std::int64_t customers_at_start, std::int64_t new_customers,
                                              std::int64_t customers_at_end);
// CLV = average purchase value * purchase frequency * customer lifespan, in
// the purchase value's minor units, rounded to the nearest unit (nullopt
// for a non-finite factor or a result beyond int64).
std::optional<std::int64_t> customer_lifetime_value(std::int64_t average_purchase_minor, double purchases_per_year,
                                                   double lifespan_years);
// NPS = % promoters - % detractors.
double net_promoter_score(double promoters_percent, double detractors_percent);
// The same from 0-10 scores counted: promoters 9-10, detractors 0-6.
std::optional<double> net_promoter_score(std::int64_t promoters, std::int64_t detractors, std::int64_t responses);
// Conversion rate = converted leads / total leads * 100.
std::optional<double> conversion_rate(std::int64_t converted_leads, std::int64_t total_leads);

}  // namespace ordercare::reports
