#include "runtime/calls/report_calls.h"

#include <set>

#include "common/currency.h"
#include "common/failure.h"
#include "common/time_zones.h"
#include "reports/daily_report.h"
#include "reports/metrics.h"
#include "reports/qa_scorecard.h"
#include "store/report_store.h"
#include "store/subjects.h"

namespace ordercare::runtime {

using namespace ordercare::domain;
using namespace ordercare::reports;

namespace {

// A metrics range may span a year (and a leap day): beyond that a report
// would read a good part of the store in one call.
constexpr TimeMs kMaxRangeMs = 366 * kDayMs;

std::int64_t required_integer(ConfigReader &args, const char *key, std::int64_t min, std::int64_t max) {
  if (!args.has(key)) fail(OC_ERR_SCHEMA, "args: " + args.path_of(key) + ": missing required field");
  return args.integer(key, 0, min, max);
}

double required_number(ConfigReader &args, const char *key, double min, double max) {
  if (!args.has(key)) fail(OC_ERR_SCHEMA, "args: " + args.path_of(key) + ": missing required field");
  return args.number(key, 0, min, max);
}

MetricGoals goals_of(const Policy &policy) {
  MetricGoals goals;
  goals.first_response = policy.sla.first_response_default;
  goals.refund_processing = policy.sla.refund;
  return goals;
}

// Everything the metrics of [from, to) count, read through the store's
// time indexes: the cases opened, resolved or still open, the escalations,
// refunds and scorecards of the range and the cases they belong to.
MetricsInput gather(store::Store &store, TimeMs from, TimeMs to, const Policy &policy) {
  store::ReportStore &reports = store.reports();
  MetricsInput in;
  in.from = from;
  in.to = to;
  in.goals = goals_of(policy);
  std::set<std::string> have;
  auto add = [&](std::vector<CaseRecord> cases) {
    for (auto &c : cases)
      if (have.insert(c.id).second) in.cases.push_back(std::move(c));
  };
  add(reports.cases_opened_between(from, to));
  add(reports.cases_resolved_between(from, to));
  add(reports.cases_open_at(to));
  store::EscalationQuery escalations;
  escalations.from = from;
  escalations.to = to;
  in.escalations = reports.escalations(escalations);
  in.refunds = reports.refunds_between(from, to);
  for (const auto &entry : reports.log_entries_between("qa", from, to))
    if (auto card = qa_from_log(entry)) in.qa.push_back(std::move(*card));
  std::set<std::string> owners;
  for (const auto &e : in.escalations) owners.insert(e.case_id);
  for (const auto &f : in.refunds)
    if (f.refund.case_id) owners.insert(*f.refund.case_id);
  for (const auto &card : in.qa) owners.insert(card.case_id);
  for (const auto &id : owners)
    if (!have.count(id))
      if (auto c = store.state().find_case(id)) add({std::move(*c)});
  for (const auto &c : in.cases)
    if (c.resolved_at && *c.resolved_at >= from && *c.resolved_at < to)
      if (auto at = reports.first_agent_action(c.id)) in.first_agent_action[c.id] = *at;
  return in;
}

Json metrics(CallContext &ctx, const Json &json, const Policy &policy) {
  ConfigReader args = args_reader(json);
  const TimeMs from = required_instant(args, "from");
  const TimeMs to = required_instant(args, "to");
  MetricsGroup group_by = MetricsGroup::none;
  if (auto text = args.optional_string("group_by")) {
    auto parsed = parse_metrics_group(*text);
    if (!parsed) fail(OC_ERR_SCHEMA, "args: group_by: expected \"type\", \"team\", \"agent\", \"priority\" or \"channel\"");
    group_by = *parsed;
  }
  args.finish();
  if (to <= from) fail(OC_ERR_SCHEMA, "args: to: must be after from");
  if (to - from > kMaxRangeMs) fail(OC_ERR_SCHEMA, "args: to: the range may span at most 366 days");
  MetricsInput in = gather(ctx.job.store, from, to, policy);
  in.group_by = group_by;
  return to_json(compute_metrics(in));
}

// Seed 004's escalation rows for the report, with the customer's name as
// escalations.log shows it (learned later when the escalation came first).
std::vector<EscalationLine> escalation_lines(store::Store &store, const std::vector<Escalation> &escalations) {
  std::vector<EscalationLine> out;
  for (const auto &e : escalations) {
    std::optional<std::string> customer_id = e.customer_id;
    if (!customer_id)
      if (auto c = store.state().find_case(e.case_id)) customer_id = c->customer_id;
    EscalationLine line;
    line.kind = e.kind;
    line.at = e.at;
    line.order_id = e.order_id;
    if (customer_id) line.customer_name = store.reports().customer_name(*customer_id);
    line.issue = e.issue + " (" + e.reason + ")";
    line.promised_resolution = e.promised_resolution;
    line.action_taken = e.action_taken;
    line.resolved = e.resolved;
    line.resolved_by = e.resolved_by;
    out.push_back(std::move(line));
  }
  return out;
}

// A report period's days: one for report.daily, up to a month's for
// report.period (its comparisons read kTrendDays such periods).
constexpr std::int32_t kMaxPeriodDays = 31;

LocalDate required_date(ConfigReader &args, const char *key) {
  const auto date = parse_local_date(required_nonempty(args, key));
  // The instant range's days (common/value_ranges.h); four digits already
  // stop a year after 9999.
  if (!date || date->year < 1970)
    fail(OC_ERR_SCHEMA, "args: " + std::string(key) +
                            ": expected a calendar date as YYYY-MM-DD from 1970-01-01 to 9999-12-31");
  return *date;
}

// report.daily and report.period: the days from `first`, read with the
// periods before them, rendered in the format asked for.
Json period_report(CallContext &ctx, ConfigReader &args, const Policy &policy, const LocalDate &first,
                   std::int32_t days) {
  const std::string zone = args.string("tz", "UTC");
  if (!is_known_zone(zone))
    fail(OC_ERR_SCHEMA, "args: tz: unknown time zone \"" + zone + "\" (expected an IANA name such as \"Europe/Berlin\")");
  const std::string format = args.choice("format", "json", {"json", "text", "html"});
  const std::string prepared_by = args.string("prepared_by", "ordercare");
  if (prepared_by.empty()) fail(OC_ERR_SCHEMA, "args: prepared_by: must not be empty");
  args.finish();
  const Interval trend = *trend_range(zone, first, days);
  const Interval period{local_day(zone, first)->begin, trend.end};
  store::Store &store = ctx.job.store;
  DailyReportInput in;
  in.date = first;
  in.days = days;
  in.zone = zone;
  in.prepared_by = prepared_by;
  // The periods before too: the page sets this one against them.
  in.metrics = gather(store, trend.begin, trend.end, policy);
  std::vector<Escalation> of_the_period;
  for (const auto &e : in.metrics.escalations)
    if (e.at >= period.begin && e.at < period.end) of_the_period.push_back(e);
  in.escalations = escalation_lines(store, of_the_period);
  in.red_flags = store.reports().log_entries_between("red_flag", period.begin, period.end);
  in.sla_breaches = store.reports().log_entries_between("sla_breach", period.begin, period.end);
  const DailyReport report = build_daily_report(in);
  if (format == "text") return {{"format", "text"}, {"content", render_text(report)}};
  if (format == "html") return {{"format", "html"}, {"content", render_html(report)}};
  return {{"format", "json"}, {"content", to_json(report)}};
}

Json daily_report(CallContext &ctx, const Json &json, const Policy &policy) {
  ConfigReader args = args_reader(json);
  const LocalDate date = required_date(args, "date");
  return period_report(ctx, args, policy, date, 1);
}

Json period_report_call(CallContext &ctx, const Json &json, const Policy &policy) {
  ConfigReader args = args_reader(json);
  const LocalDate from = required_date(args, "from");
  const LocalDate to = required_date(args, "to");
  const std::int64_t days =
      days_from_civil(to.year, to.month, to.day) - days_from_civil(from.year, from.month, from.day) + 1;
  if (days < 1) fail(OC_ERR_SCHEMA, "args: to: must not be before from");
  if (days > kMaxPeriodDays)
    fail(OC_ERR_SCHEMA, "args: to: a period is at most " + std::to_string(kMaxPeriodDays) +
                            " days (metrics takes longer ranges)");
  return period_report(ctx, args, policy, from, static_cast<std::int32_t>(days));
}

Json score_qa(CallContext &ctx, const Json &json, Engine &engine) {
  ConfigReader args = args_reader(json);
  QaScorecard card;
  card.case_id = required_nonempty(args, "case_id");
  card.agent = required_nonempty(args, "agent");
  card.reviewer = args.string("reviewer", "qa");
  if (card.reviewer.empty()) fail(OC_ERR_SCHEMA, "args: reviewer: must not be empty");
  const Json *scores = args.child("scores");
  if (!scores) fail(OC_ERR_SCHEMA, "args: scores: missing required field");
  card.scores = read_qa_scores(*scores, "scores");
  card.comment = args.optional_string("comment");
  args.finish();
  card.at = ctx.now;
  claim_case(ctx.job, card.case_id);
  const auto c = ctx.job.store.state().find_case(card.case_id);
  if (!c) fail(OC_ERR_NOT_FOUND, "qa.score: no case with id '" + card.case_id + "'");
  ctx.pii_key = store::pii_key_for(c->customer_id, c->order_id);
  Decision decision;
  decision.log.push_back(qa_log_entry(*c, card));
  engine.apply(ctx.job, decision, std::nullopt, ctx.now);
  return to_json(card);
}

// The inputs of a formula live outside ordercare (customer counts, leads,
// purchase history), so the host passes them and gets seed 000's answer.
Json formulas(CallContext &, const Json &json) {
  ConfigReader args = args_reader(json);
  Json out = Json::object();
  constexpr std::int64_t kCount = std::int64_t{1} << 53;  // exact as a JSON number
  if (const Json *section = args.child("crr")) {
    ConfigReader crr(*section, "crr", OC_ERR_SCHEMA, "args");
    const auto start = required_integer(crr, "customers_at_start", 1, kCount);
    const auto added = required_integer(crr, "new_customers", 0, kCount);
    const auto end = required_integer(crr, "customers_at_end", 0, kCount);
    crr.finish();
    out["crr_percent"] = round_to(*customer_retention_rate(start, added, end), 2);
  }
  if (const Json *section = args.child("clv")) {
    ConfigReader clv(*section, "clv", OC_ERR_SCHEMA, "args");
    const Json *value = clv.child("average_purchase_value");
    if (!value) fail(OC_ERR_SCHEMA, "args: clv.average_purchase_value: missing required field");
    ConfigReader money(*value, "clv.average_purchase_value", OC_ERR_SCHEMA, "args");
    const auto amount = required_integer(money, "amount", 0, kCount);
    const auto currency = normalize_currency(required_nonempty(money, "currency"));
    if (!currency || !is_known_currency(*currency))
      fail(OC_ERR_SCHEMA, "args: clv.average_purchase_value.currency: expected an ISO 4217 code");
    money.finish();
    const double frequency = required_number(clv, "purchase_frequency", 0, 1e6);
    const double lifespan = required_number(clv, "customer_lifespan", 0, 1e3);
    clv.finish();
    const auto result = customer_lifetime_value(amount, frequency, lifespan);
    if (!result) fail(OC_ERR_SCHEMA, "args: clv: the lifetime value is too large for minor units");
    out["clv"] = {{"amount", *result}, {"currency", *currency}};
  }
  if (const Json *section = args.child("nps")) {
    ConfigReader nps(*section, "nps", OC_ERR_SCHEMA, "args");
    const double promoters = required_number(nps, "promoters_percent", 0, 100);
    const double detractors = required_number(nps, "detractors_percent", 0, 100);
    nps.finish();
    if (promoters + detractors > 100) fail(OC_ERR_SCHEMA, "args: nps: promoters and detractors exceed 100%");
    out["nps"] = round_to(net_promoter_score(promoters, detractors), 2);
  }
  if (const Json *section = args.child("conversion")) {
    ConfigReader conversion(*section, "conversion", OC_ERR_SCHEMA, "args");
    const auto total = required_integer(conversion, "total_leads", 1, kCount);
    const auto converted = required_integer(conversion, "converted_leads", 0, total);
    conversion.finish();
    out["conversion_rate_percent"] = round_to(*conversion_rate(converted, total), 2);
  }
  args.finish();
  if (out.empty()) fail(OC_ERR_SCHEMA, "args: give at least one of crr, clv, nps, conversion");
  return out;
}

}  // namespace

void register_report_calls(CallRegistry &registry, Engine &engine, const Policy &policy) {
  registry.add("metrics", [&policy](CallContext &ctx, const Json &args) { return metrics(ctx, args, policy); });
  registry.add("metrics.formulas", formulas);
  registry.add("report.daily",
               [&policy](CallContext &ctx, const Json &args) { return daily_report(ctx, args, policy); });
  registry.add("report.period",
               [&policy](CallContext &ctx, const Json &args) { return period_report_call(ctx, args, policy); });
  registry.add_command("qa.score", [&engine](CallContext &ctx, const Json &args) { return score_qa(ctx, args, engine); });
}

}  // namespace ordercare::runtime
