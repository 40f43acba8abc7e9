#include "reports/metrics.h"

#include <algorithm>
#include <cmath>
#include <functional>
#include <set>

namespace ordercare::reports {

namespace {

constexpr const char *kUnassigned = "unassigned";
constexpr const char *kUnknown = "unknown";

// A set's numbers while they are being counted: the durations are kept
// until the end, for the median and p90.
struct Tally {
  MetricSet set;
  std::vector<TimeMs> first_response, resolution, handle, refund_processing;
  double qa_sum = 0;
};

bool within(TimeMs t, TimeMs from, TimeMs to) { return t >= from && t < to; }

std::string agent_of(const CaseRecord &c) {
  if (c.resolved_by && !c.resolved_by->empty()) return *c.resolved_by;
  if (c.assignee && !c.assignee->empty()) return *c.assignee;
  return kUnassigned;
}

std::string group_key(const CaseRecord &c, MetricsGroup g) {
  switch (g) {
    case MetricsGroup::type: return std::string(to_string(c.type));
    case MetricsGroup::team: return c.team.empty() ? kUnassigned : c.team;
    case MetricsGroup::agent: return agent_of(c);
    case MetricsGroup::priority: return std::string(to_string(c.priority));
    case MetricsGroup::channel: return c.channel.empty() ? kUnknown : c.channel;
    case MetricsGroup::none: break;
  }
  return "";
}

DurationStats stats_of(std::vector<TimeMs> values, TimeMs target) {
  DurationStats s;
  s.count = static_cast<std::int64_t>(values.size());
  if (values.empty()) return s;
  std::sort(values.begin(), values.end());
  long double sum = 0;
  for (const TimeMs v : values) sum += static_cast<long double>(v);
  s.mean = static_cast<TimeMs>(std::llround(sum / static_cast<long double>(values.size())));
  const std::size_t n = values.size();
  s.median = n % 2 == 1 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
  // Nearest rank: the smallest value with at least 90% of values at or below it.
  const auto rank = static_cast<std::size_t>(std::ceil(0.9 * static_cast<double>(n)));
  s.p90 = values[std::max<std::size_t>(rank, 1) - 1];
  s.within_target = std::count_if(values.begin(), values.end(), [&](TimeMs v) { return v <= target; });
  s.within_target_percent = percent(s.within_target, s.count);
  return s;
}

void finish(Tally &t, const MetricGoals &goals, double days) {
  MetricSet &s = t.set;
  s.first_response = stats_of(std::move(t.first_response), goals.first_response);
  s.resolution = stats_of(std::move(t.resolution), goals.resolution);
  s.handle = stats_of(std::move(t.handle), goals.resolution);
  s.refund_processing = stats_of(std::move(t.refund_processing), goals.refund_processing);
  s.fcr_percent = percent(s.first_contact_resolutions, s.resolved);
  s.csat_percent = percent(s.csat_satisfied, s.csat_ratings);
  s.nps = net_promoter_score(s.promoters, s.detractors, s.nps_responses);
  s.escalations_per_day = days > 0 ? static_cast<double>(s.escalations) / days : 0;
  if (s.qa_scorecards > 0) s.qa_average = t.qa_sum / static_cast<double>(s.qa_scorecards);
}

void count_case(Tally &t, const CaseRecord &c, const MetricsInput &in, const std::optional<TimeMs> &agent_action) {
  MetricSet &s = t.set;
  if (within(c.opened_at, in.from, in.to)) {
    ++s.received;
    if (c.first_response_at)
      t.first_response.push_back(std::max<TimeMs>(0, *c.first_response_at - c.opened_at));
    else
      ++s.awaiting_first_response;
  }
  if (c.opened_at < in.to && (!c.resolved_at || *c.resolved_at >= in.to)) ++s.pending;
  if (!c.resolved_at || !within(*c.resolved_at, in.from, in.to)) return;
  ++s.resolved;
  t.resolution.push_back(std::max<TimeMs>(0, *c.resolved_at - c.opened_at));
  if (agent_action) t.handle.push_back(std::max<TimeMs>(0, *c.resolved_at - *agent_action));
  if (c.customer_contacts <= 1 && c.reopen_count == 0) ++s.first_contact_resolutions;
  if (c.csat && *c.csat >= 1 && *c.csat <= 5) {
    ++s.csat_ratings;
    if (*c.csat >= 4) ++s.csat_satisfied;
  }
  if (c.nps && *c.nps >= 0 && *c.nps <= 10) {
    ++s.nps_responses;
    if (*c.nps >= 9)
      ++s.promoters;
    else if (*c.nps <= 6)
      ++s.detractors;
    else
      ++s.passives;
  }
}

void count_refund(Tally &t, const RefundFact &f, const MetricsInput &in) {
  const RefundRecord &r = f.refund;
  MetricSet &s = t.set;
  if (within(r.requested_at, in.from, in.to)) ++s.refunds_requested;
  if (!r.completed_at || !within(*r.completed_at, in.from, in.to)) return;
  if (r.status == "succeeded") {
    ++s.refunds_processed;
    // Each refund is at most kMaxAmount (10^15), but some ten thousand of
    // them would pass INT64_MAX: the sum stops there rather than wrap.
    std::int64_t &sum = s.refunded[f.currency];
    sum = r.amount > INT64_MAX - sum ? INT64_MAX : sum + r.amount;
    // A refund made on the platform counts in the money, not in how fast
    // ordercare's refunds went out.
    if (r.method != "platform")
      t.refund_processing.push_back(std::max<TimeMs>(0, *r.completed_at - f.asked_at.value_or(r.requested_at)));
  } else if (r.status == "failed") {
    ++s.refunds_failed;
  }
}

std::vector<RepeatIssue> repeats(const std::map<std::string, std::vector<std::string>> &cases_by_key) {
  std::vector<RepeatIssue> out;
  for (const auto &[key, ids] : cases_by_key)
    if (ids.size() > 1) out.push_back({key, ids});
  // Most cases first: the seed asks which issues keep coming back.
  std::stable_sort(out.begin(), out.end(),
                   [](const RepeatIssue &a, const RepeatIssue &b) { return a.case_ids.size() > b.case_ids.size(); });
  return out;
}

// The agent with the best value; ties go to the larger sample, then the name.
std::optional<TopPerformer> best_agent(const std::map<std::string, MetricSet> &agents,
                                       const std::function<std::optional<TopPerformer>(const MetricSet &)> &value_of,
                                       bool lower_is_better) {
  std::optional<TopPerformer> best;
  for (const auto &[agent, set] : agents) {
    if (agent == kUnassigned || agent == kUnknown) continue;
    auto candidate = value_of(set);
    if (!candidate) continue;
    candidate->agent = agent;
    const bool better = !best || (lower_is_better ? candidate->value < best->value : candidate->value > best->value) ||
                        (candidate->value == best->value && candidate->sample > best->sample);
    if (better) best = candidate;
  }
  return best;
}

std::optional<TopPerformer> mean_of(const DurationStats &d) {
  if (!d.mean) return std::nullopt;
  return TopPerformer{"", static_cast<double>(*d.mean), d.count};
}

std::string goal_duration(TimeMs ms) {
  struct Unit {
    TimeMs size;
    const char *one;
    const char *many;
  };
  static const Unit units[] = {
      {kDayMs, "day", "days"}, {kHourMs, "hour", "hours"}, {kMinuteMs, "minute", "minutes"}, {kSecondMs, "second", "seconds"}};
  // "24 hours" as the seed writes it; whole days only from two days on.
  for (const auto &u : units) {
    const TimeMs n = ms / u.size;
    if (ms % u.size == 0 && n >= (u.size == kDayMs ? 2 : 1)) return std::to_string(n) + " " + (n == 1 ? u.one : u.many);
  }
  return std::to_string(ms) + " ms";
}

std::string goal_percent(double p) {
  std::string text = std::to_string(round_to(p, 1));
  text.erase(text.find_last_not_of('0') + 1);
  if (text.back() == '.') text.pop_back();
  return text + "%";
}

std::vector<DashboardRow> dashboard_of(const Metrics &m) {
  std::vector<DashboardRow> rows;
  auto duration_row = [&](const char *metric, const char *label, TimeMs goal, const DurationStats &team,
                          const std::function<const DurationStats &(const MetricSet &)> &pick) {
    DashboardRow row;
    row.metric = metric;
    row.label = label;
    row.goal = "< " + goal_duration(goal);
    if (team.mean) {
      row.team_average = static_cast<double>(*team.mean);
      row.met = *team.mean < goal;
    }
    row.top_performer = best_agent(m.agents, [&](const MetricSet &s) { return mean_of(pick(s)); }, true);
    rows.push_back(std::move(row));
  };
  duration_row("first_response_time", "First Response Time", m.goals.first_response, m.total.first_response,
               [](const MetricSet &s) -> const DurationStats & { return s.first_response; });
  duration_row("resolution_time", "Average Resolution Time", m.goals.resolution, m.total.resolution,
               [](const MetricSet &s) -> const DurationStats & { return s.resolution; });
  DashboardRow csat;
  csat.metric = "csat";
  csat.label = "Customer Satisfaction (CSAT)";
  csat.goal = "> " + goal_percent(m.goals.csat_percent);
  csat.is_percent = true;
  if (m.total.csat_percent) {
    csat.team_average = *m.total.csat_percent;
    csat.met = *m.total.csat_percent > m.goals.csat_percent;
  }
  csat.top_performer = best_agent(
      m.agents,
      [](const MetricSet &s) -> std::optional<TopPerformer> {
        if (!s.csat_percent) return std::nullopt;
        return TopPerformer{"", *s.csat_percent, s.csat_ratings};
      },
      false);
  rows.push_back(std::move(csat));
  duration_row("refund_processing_time", "Refund Processing Time", m.goals.refund_processing,
               m.total.refund_processing,
               [](const MetricSet &s) -> const DurationStats & { return s.refund_processing; });
  return rows;
}

Json optional_number(const std::optional<double> &v, int decimals) {
  return v ? Json(round_to(*v, decimals)) : Json(nullptr);
}

Json optional_ms(const std::optional<TimeMs> &v) { return v ? Json(*v) : Json(nullptr); }

Json to_json(const DurationStats &d) {
  return {{"count", d.count},
          {"mean_ms", optional_ms(d.mean)},
          {"median_ms", optional_ms(d.median)},
          {"p90_ms", optional_ms(d.p90)},
          {"within_target", d.within_target},
          {"within_target_percent", optional_number(d.within_target_percent, 1)}};
}

Json repeats_json(const std::vector<RepeatIssue> &issues, const char *key_name) {
  Json out = Json::array();
  for (const auto &issue : issues) out.push_back({{key_name, issue.key}, {"cases", issue.case_ids}});
  return out;
}

}  // namespace

std::string_view to_string(MetricsGroup g) {
  switch (g) {
    case MetricsGroup::none: return "none";
    case MetricsGroup::type: return "type";
    case MetricsGroup::team: return "team";
    case MetricsGroup::agent: return "agent";
    case MetricsGroup::priority: return "priority";
    case MetricsGroup::channel: return "channel";
  }
  return "none";
}

std::optional<MetricsGroup> parse_metrics_group(std::string_view text) {
  for (const auto g : {MetricsGroup::type, MetricsGroup::team, MetricsGroup::agent, MetricsGroup::priority,
                       MetricsGroup::channel})
    if (text == to_string(g)) return g;
  return std::nullopt;
}

std::optional<double> percent(std::int64_t part, std::int64_t whole) {
  if (whole == 0) return std::nullopt;
  return 100.0 * static_cast<double>(part) / static_cast<double>(whole);
}

double round_to(double value, int decimals) {
  const double scale = std::pow(10.0, decimals);
  return std::round(value * scale) / scale;
}

Metrics compute_metrics(const MetricsInput &in) {
  Metrics m;
  m.from = in.from;
  m.to = in.to;
  m.days = in.days.value_or(static_cast<double>(in.to - in.from) / static_cast<double>(kDayMs));
  m.goals = in.goals;
  m.group_by = in.group_by;
  const bool grouped = in.group_by != MetricsGroup::none;

  Tally total;
  std::map<std::string, Tally> groups, agents;
  std::map<std::string, const CaseRecord *> by_id;
  std::map<std::string, std::vector<std::string>> by_customer, by_sku;

  for (const auto &c : in.cases) {
    if (!by_id.emplace(c.id, &c).second) continue;
    const auto action = in.first_agent_action.find(c.id);
    const std::optional<TimeMs> agent_action =
        action == in.first_agent_action.end() ? std::nullopt : std::optional<TimeMs>(action->second);
    count_case(total, c, in, agent_action);
    if (grouped) count_case(groups[group_key(c, in.group_by)], c, in, agent_action);
    count_case(agents[agent_of(c)], c, in, agent_action);
    if (!within(c.opened_at, in.from, in.to)) continue;
    if (c.customer_id) by_customer[*c.customer_id].push_back(c.id);
    std::set<std::string> skus(c.skus.begin(), c.skus.end());
    for (const auto &sku : skus) by_sku[sku].push_back(c.id);
  }

  // The case an escalation or refund belongs to, for its group and agent.
  auto case_of = [&](const std::optional<std::string> &id) -> const CaseRecord * {
    if (!id) return nullptr;
    const auto it = by_id.find(*id);
    return it == by_id.end() ? nullptr : it->second;
  };
  auto tallies_of = [&](const CaseRecord *c) {
    std::vector<Tally *> out{&total};
    if (grouped) out.push_back(&groups[c ? group_key(*c, in.group_by) : kUnknown]);
    out.push_back(&agents[c ? agent_of(*c) : kUnknown]);
    return out;
  };

  for (const auto &e : in.escalations) {
    if (!within(e.at, in.from, in.to)) continue;
    for (Tally *t : tallies_of(case_of(e.case_id))) ++t->set.escalations;
  }
  for (const auto &f : in.refunds)
    for (Tally *t : tallies_of(case_of(f.refund.case_id))) count_refund(*t, f, in);
  for (const auto &card : in.qa) {
    if (!within(card.at, in.from, in.to)) continue;
    const CaseRecord *c = case_of(card.case_id);
    std::vector<Tally *> targets{&total, &agents[card.agent]};
    if (grouped)
      targets.push_back(&groups[in.group_by == MetricsGroup::agent ? card.agent
                                : c                                 ? group_key(*c, in.group_by)
                                                                    : kUnknown]);
    for (Tally *t : targets) {
      ++t->set.qa_scorecards;
      t->qa_sum += card.average();
    }
  }

  finish(total, in.goals, m.days);
  m.total = std::move(total.set);
  for (auto &[key, t] : groups) {
    finish(t, in.goals, m.days);
    m.groups[key] = std::move(t.set);
  }
  for (auto &[key, t] : agents) {
    finish(t, in.goals, m.days);
    m.agents[key] = std::move(t.set);
  }
  m.repeat_customers = repeats(by_customer);
  m.repeat_skus = repeats(by_sku);
  m.dashboard = dashboard_of(m);
  return m;
}

Json to_json(const MetricSet &s) {
  Json refunded = Json::array();
  for (const auto &[currency, amount] : s.refunded) refunded.push_back({{"amount", amount}, {"currency", currency}});
  Json first_response = to_json(s.first_response);
  first_response["awaiting"] = s.awaiting_first_response;
  return {{"tickets", {{"received", s.received}, {"resolved", s.resolved}, {"pending", s.pending}}},
          {"first_response", std::move(first_response)},
          {"resolution", to_json(s.resolution)},
          {"handle_time", to_json(s.handle)},
          {"first_contact_resolution",
           {{"count", s.first_contact_resolutions}, {"percent", optional_number(s.fcr_percent, 1)}}},
          {"csat",
           {{"ratings", s.csat_ratings}, {"satisfied", s.csat_satisfied}, {"percent", optional_number(s.csat_percent, 1)}}},
          {"nps",
           {{"responses", s.nps_responses},
            {"promoters", s.promoters},
            {"passives", s.passives},
            {"detractors", s.detractors},
            {"score", optional_number(s.nps, 1)}}},
          {"refunds",
           {{"requested", s.refunds_requested},
            {"processed", s.refunds_processed},
            {"failed", s.refunds_failed},
            {"amounts", std::move(refunded)},
            {"processing", to_json(s.refund_processing)}}},
          {"escalations", {{"count", s.escalations}, {"per_day", round_to(s.escalations_per_day, 2)}}},
          {"qa", {{"scorecards", s.qa_scorecards}, {"average", optional_number(s.qa_average, 2)}}}};
}

Json to_json(const DashboardRow &row) {
  Json top = nullptr;
  if (row.top_performer)
    top = {{"agent", row.top_performer->agent},
           {"value", row.is_percent ? Json(round_to(row.top_performer->value, 1))
                                    : Json(static_cast<TimeMs>(row.top_performer->value))},
           {"sample", row.top_performer->sample}};
  Json average = nullptr;
  if (row.team_average)
    average = row.is_percent ? Json(round_to(*row.team_average, 1)) : Json(static_cast<TimeMs>(*row.team_average));
  return {{"metric", row.metric},
          {"label", row.label},
          {"goal", row.goal},
          {"unit", row.is_percent ? "percent" : "ms"},
          {"team_average", std::move(average)},
          {"met", row.met ? Json(*row.met) : Json(nullptr)},
          {"top_performer", std::move(top)}};
}

Json to_json(const Metrics &m) {
  Json groups = Json::array();
  for (const auto &[key, set] : m.groups) {
    Json g = to_json(set);
    g["key"] = key;
    groups.push_back(std::move(g));
  }
  Json dashboard = Json::array();
  for (const auto &row : m.dashboard) dashboard.push_back(to_json(row));
  return {{"from", format_rfc3339(m.from)},
          {"to", format_rfc3339(m.to)},
          {"days", round_to(m.days, 3)},
          {"goals",
           {{"first_response_ms", m.goals.first_response},
            {"resolution_ms", m.goals.resolution},
            {"csat_percent", m.goals.csat_percent},
            {"refund_processing_ms", m.goals.refund_processing}}},
          {"totals", to_json(m.total)},
          {"group_by", m.group_by == MetricsGroup::none ? Json(nullptr) : Json(to_string(m.group_by))},
          {"groups", std::move(groups)},
          {"repeat_issues",
           {{"customers", repeats_json(m.repeat_customers, "customer_id")},
            {"skus", repeats_json(m.repeat_skus, "sku")}}},
          {"dashboard", std::move(dashboard)}};
}

std::optional<double> customer_retention_rate(std::int64_t customers_at_start, std::int64_t new_customers,
                                              std::int64_t customers_at_end) {
  if (customers_at_start == 0) return std::nullopt;
  return 100.0 * static_cast<double>(customers_at_end - new_customers) / static_cast<double>(customers_at_start);
}

std::optional<std::int64_t> customer_lifetime_value(std::int64_t average_purchase_minor, double purchases_per_year,
                                                   double lifespan_years) {
  if (!std::isfinite(purchases_per_year) || !std::isfinite(lifespan_years)) return std::nullopt;
  const long double value = static_cast<long double>(average_purchase_minor) * purchases_per_year * lifespan_years;
  // Beyond what int64 minor units hold there is no honest answer.
  if (std::fabs(value) >= 9.2e18L) return std::nullopt;
  return static_cast<std::int64_t>(std::llround(value));
}

double net_promoter_score(double promoters_percent, double detractors_percent) {
  return promoters_percent - detractors_percent;
}

std::optional<double> net_promoter_score(std::int64_t promoters, std::int64_t detractors, std::int64_t responses) {
  if (responses == 0) return std::nullopt;
  return net_promoter_score(*percent(promoters, responses), *percent(detractors, responses));
}

std::optional<double> conversion_rate(std::int64_t converted_leads, std::int64_t total_leads) {
  return percent(converted_leads, total_leads);
}

}  // namespace ordercare::reports
