#include "reports/daily_report.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <set>

#include "common/currency.h"
#include "common/failure.h"
#include "common/text_table.h"
#include "common/time_zones.h"
#include "common/value_ranges.h"
#include "domain/sla_clocks.h"

namespace ordercare::reports {

namespace {

constexpr const char *kTitle = kDailyReportTitle;

// nullptr for UTC; callers check is_known_zone first.
Zone zone_of(const std::string &zone) { return find_zone(zone).value_or(nullptr); }

std::string two_digits(std::int64_t n) {
  char text[8];
  std::snprintf(text, sizeof text, "%02d", static_cast<int>(n));
  return text;
}

std::string date_of_local(TimeMs local) {
  std::int64_t year;
  unsigned month, day;
  civil_from_days(floor_div(local, kDayMs), year, month, day);
  return format_local_date(LocalDate{static_cast<std::int32_t>(year), month, day});
}

std::string clock_of_local(TimeMs local) {
  const std::int64_t minute = floor_div(local, kMinuteMs) - floor_div(local, kDayMs) * (kDayMs / kMinuteMs);
  return two_digits(minute / 60) + ":" + two_digits(minute % 60);
}


std::string words(std::string text) {
  std::replace(text.begin(), text.end(), '_', ' ');
  return text;
}

std::string join(const std::vector<std::string> &parts, const char *separator) {
  std::string out;
  for (const auto &p : parts) out += (out.empty() ? "" : separator) + p;
  return out;
}

std::string text_at(const Json &object, const char *key) {
  const auto it = object.find(key);
  return it != object.end() && it->is_string() ? it->get<std::string>() : std::string();
}

std::string percent_text(double p) {
  char text[32];
  std::snprintf(text, sizeof text, "%.1f%%", round_to(p, 1));
  return text;
}

std::string money_text(const std::map<std::string, std::int64_t> &amounts) {
  std::vector<std::string> parts;
  for (const auto &[currency, amount] : amounts) parts.push_back(format_money(amount, currency));
  return join(parts, ", ");
}

std::string case_list(const std::vector<std::string> &ids) { return join(ids, ", "); }

// "1 case", "3 cases".
std::string count_of(std::int64_t n, const std::string &noun) {
  return std::to_string(n) + " " + noun + (n == 1 ? "" : "s");
}

// A report line stays readable on a busy day: the first few ids, then a count.
constexpr std::size_t kListed = 3;
constexpr std::size_t kRepeatLines = 5;

std::string brief_list(const std::vector<std::string> &ids) {
  if (ids.size() <= kListed) return case_list(ids);
  return case_list(std::vector<std::string>(ids.begin(), ids.begin() + kListed)) + " and " +
         std::to_string(ids.size() - kListed) + " more";
}

// "3 Shipping delay, 2 Complaint": counts by name, largest first.
std::string tally_text(const std::map<std::string, std::int64_t> &counts) {
  std::vector<std::pair<std::string, std::int64_t>> sorted(counts.begin(), counts.end());
  std::stable_sort(sorted.begin(), sorted.end(), [](const auto &a, const auto &b) { return a.second > b.second; });
  std::vector<std::string> parts;
  for (const auto &[name, n] : sorted) parts.push_back(std::to_string(n) + " " + name);
  return join(parts, ", ");
}

void add_repeats(std::vector<std::string> &out, const std::vector<RepeatIssue> &repeats, const std::string &what,
                 const std::string &prefix) {
  for (std::size_t i = 0; i < repeats.size() && i < kRepeatLines; ++i)
    out.push_back(prefix + repeats[i].key + " in " +
                  count_of(static_cast<std::int64_t>(repeats[i].case_ids.size()), "case") + " (" +
                  brief_list(repeats[i].case_ids) + ")");
  if (repeats.size() > kRepeatLines)
    out.push_back("... and " + std::to_string(repeats.size() - kRepeatLines) + " more " + what);
}

std::vector<std::string> notable_issues(const DailyReportInput &in, const Metrics &m) {
  std::vector<std::string> out;
  std::set<std::pair<std::string, std::string>> flags_seen;
  for (const auto &e : in.red_flags) {
    const std::string flag = text_at(e.details, "flag");
    if (!flags_seen.emplace(e.case_id, flag).second) continue;
    std::string line = "Red flag: " + words(flag) + " on case " + e.case_id;
    if (e.order_id) line += " (order " + *e.order_id + ")";
    const std::string evidence = text_at(e.details, "evidence");
    out.push_back(evidence.empty() ? line : line + ": " + evidence);
  }
  if (!in.sla_breaches.empty()) {
    std::map<std::string, std::int64_t> by_clock;
    for (const auto &e : in.sla_breaches) ++by_clock[words(text_at(e.details, "clock"))];
    out.push_back("SLA breaches: " + std::to_string(in.sla_breaches.size()) + " (" + tally_text(by_clock) + ")");
  }
  add_repeats(out, m.repeat_skus, "SKUs in several cases", "Repeat issue: SKU ");
  add_repeats(out, m.repeat_customers, "customers with several cases", "Repeat contact: customer ");
  std::map<std::string, std::int64_t> urgent;
  std::int64_t urgent_total = 0;
  std::set<std::string> seen;
  for (const auto &c : in.metrics.cases)
    if (c.priority == Priority::p1 && c.opened_at >= m.from && c.opened_at < m.to && seen.insert(c.id).second) {
      ++urgent[std::string(label(c.type))];
      ++urgent_total;
    }
  if (urgent_total > 0)
    out.push_back("P1 cases received: " + std::to_string(urgent_total) + " (" + tally_text(urgent) + ")");
  if (m.total.refunds_failed > 0) out.push_back("Refunds failed: " + std::to_string(m.total.refunds_failed));
  return out;
}


std::vector<std::string> team_highlights(const DailyReportInput &in, const Metrics &m) {
  static const std::map<std::string, std::string> kLeads = {{"first_response_time", "Fastest first response"},
                                                            {"resolution_time", "Fastest resolution"},
                                                            {"csat", "Best CSAT"},
                                                            {"refund_processing_time", "Fastest refunds"}};
  std::vector<std::string> out;
  for (const auto &row : m.dashboard) {
    if (!row.top_performer) continue;
    const auto &top = *row.top_performer;
    out.push_back(kLeads.at(row.metric) + ": " + top.agent + " (" + dashboard_value(row, top.value) +
                  (row.is_percent ? " of " + count_of(top.sample, "rating")
                                  : ", " + count_of(top.sample, row.metric == "refund_processing_time" ? "refund" : "case")) +
                  ")");
  }
  // "Exceptional feedback for [Name]": five-star ratings on the day's resolutions.
  std::map<std::string, std::int64_t> five_stars;
  std::set<std::string> seen;
  for (const auto &c : in.metrics.cases)
    if (c.resolved_at && *c.resolved_at >= m.from && *c.resolved_at < m.to && c.csat == 5 && seen.insert(c.id).second)
      ++five_stars[c.resolved_by.value_or(c.assignee.value_or("unassigned"))];
  for (const auto &[agent, n] : five_stars)
    out.push_back("Exceptional feedback for " + agent + ": " + count_of(n, "five-star rating"));
  const std::map<std::string, MetricSet>::value_type *most = nullptr;
  const std::map<std::string, MetricSet>::value_type *best_qa = nullptr;
  for (const auto &entry : m.agents) {
    if (entry.first == "unassigned" || entry.first == "unknown") continue;
    if (entry.second.resolved > 0 && (!most || entry.second.resolved > most->second.resolved)) most = &entry;
    if (entry.second.qa_average && (!best_qa || *entry.second.qa_average > *best_qa->second.qa_average))
      best_qa = &entry;
  }
  if (most) out.push_back("Most tickets resolved: " + most->first + " (" + std::to_string(most->second.resolved) + ")");
  if (best_qa) {
    char avg[16];
    std::snprintf(avg, sizeof avg, "%.2f", *best_qa->second.qa_average);
    out.push_back("Best QA score: " + best_qa->first + " (" + avg + " of 5, " +
                  count_of(best_qa->second.qa_scorecards, "scorecard") + ")");
  }
  return out;
}

std::vector<CategoryCount> categories(const Metrics &m) {
  std::vector<CategoryCount> out;
  for (const auto &[key, set] : m.groups) {
    const auto type = parse_issue_type(key);
    if (!type) continue;  // escalations of cases not in the input
    if (set.received + set.resolved + set.pending + set.escalations == 0) continue;
    out.push_back({*type, set.received, set.resolved, set.pending, set.escalations});
  }
  // Busiest first: seed 004 tracks categories to see which issues recur.
  std::stable_sort(out.begin(), out.end(), [](const CategoryCount &a, const CategoryCount &b) {
    if (a.received != b.received) return a.received > b.received;
    if (a.pending != b.pending) return a.pending > b.pending;
    return label(a.type) < label(b.type);
  });
  return out;
}

Json optional_text(const std::optional<std::string> &v) { return v ? Json(*v) : Json(nullptr); }


std::string or_none(const std::vector<std::string> &lines) {
  if (lines.empty()) return "None";
  std::vector<std::string> bullets;
  for (const auto &line : lines) bullets.push_back("- " + line);
  return join(bullets, "\n");
}

struct Section {
  std::string title;
  TextTable table;
};


std::vector<Section> sections_of(const DailyReport &r) {
  const MetricSet &t = r.totals;
  std::string refunds = std::to_string(t.refunds_processed);
  if (!t.refunded.empty()) refunds += " (" + money_text(t.refunded) + ")";
  TextTable summary{{"Date: " + period_text(r) + " (" + r.zone + ")", "Prepared By: " + r.prepared_by},
                    {{"Tickets Received:", std::to_string(t.received)},
                     {"Tickets Resolved:", std::to_string(t.resolved)},
                     {"Pending Tickets:", std::to_string(t.pending)},
                     {"Refunds Processed:", refunds},
                     {"Escalations:", escalations_text(r)},
                     {"Notable Issues:", or_none(r.notable_issues)},
                     {"Team Highlights:", or_none(r.team_highlights)}}};

  TextTable escalations{{"Time", "Order ID", "Customer Name", "Issue", "Promised Resolution", "Action Taken",
                         "Status", "Resolved By"},
                        {}};
  for (const auto &e : r.escalations)
    escalations.rows.push_back({local_time_text(r, e.at), e.order_id.value_or(""), e.customer_name.value_or(""),
                                e.issue, e.promised_resolution ? local_time_text(r, *e.promised_resolution) : "",
                                e.action_taken, e.resolved ? "Resolved" : "Open", e.resolved_by.value_or("")});
  if (r.escalations.empty()) escalations.rows.push_back({"None"});

  TextTable by_category{{"Category", "Received", "Resolved", "Pending", "Escalations"}, {}};
  for (const auto &c : r.by_category)
    by_category.rows.push_back({std::string(label(c.type)), std::to_string(c.received), std::to_string(c.resolved),
                                std::to_string(c.pending), std::to_string(c.escalations)});
  if (r.by_category.empty()) by_category.rows.push_back({"None"});

  TextTable dashboard{{"Metric", "Goal", "Team Average", "Top Performer", "Comments/Actions"}, {}};
  for (const auto &row : r.dashboard) {
    std::string top;
    if (row.top_performer)
      top = row.top_performer->agent + " (" + dashboard_value(row, row.top_performer->value) + ")";
    dashboard.rows.push_back({row.label, row.goal, row.team_average ? dashboard_value(row, *row.team_average) : "-",
                              top.empty() ? "-" : top, dashboard_comment(row)});
  }
  return {{"", std::move(summary)},
          {"Escalations (red flags first)", std::move(escalations)},
          {"Tickets by Category", std::move(by_category)},
          {"Team Performance", std::move(dashboard)}};
}

LocalDate add_days(const LocalDate &date, std::int64_t days) {
  std::int64_t year;
  unsigned month, day;
  civil_from_days(days_from_civil(date.year, date.month, date.day) + days, year, month, day);
  return LocalDate{static_cast<std::int32_t>(year), month, day};
}

// The cases of the input, each once (the metrics count a case listed twice once).
std::vector<const CaseRecord *> distinct_cases(const MetricsInput &in) {
  std::vector<const CaseRecord *> out;
  std::set<std::string> seen;
  for (const auto &c : in.cases)
    if (seen.insert(c.id).second) out.push_back(&c);
  return out;
}

// The report's buckets: its hours for a day, its local days for a period.
std::vector<HourCount> buckets_of(const DailyReport &r) {
  std::vector<HourCount> out;
  if (r.days > 1) {
    for (std::int32_t n = 0; n < r.days; ++n) {
      const LocalDate date = add_days(r.date, n);
      const Interval day = *local_day(r.zone, date);
      out.push_back({day.begin, day.end, format_local_date(date), 0, 0, 0});
    }
    return out;
  }
  const Zone zone = zone_of(r.zone);
  for (TimeMs t = r.range.begin; t < r.range.end; t += kHourMs)
    out.push_back({t, std::min(t + kHourMs, r.range.end), clock_of_local(local_ms(zone, t)), 0, 0, 0});
  return out;
}

std::vector<HourCount> hours_of(const DailyReport &r, const std::vector<const CaseRecord *> &cases) {
  std::vector<HourCount> hours = buckets_of(r);
  if (hours.empty()) return hours;
  auto index_of = [&](TimeMs at) {
    const auto it = std::upper_bound(hours.begin(), hours.end(), at,
                                     [](TimeMs t, const HourCount &h) { return t < h.begin; });
    return it == hours.begin() ? std::size_t{0} : static_cast<std::size_t>(it - hours.begin() - 1);
  };
  for (const CaseRecord *c : cases) {
    if (c->opened_at >= r.range.begin && c->opened_at < r.range.end) ++hours[index_of(c->opened_at)].received;
    if (c->resolved_at && *c->resolved_at >= r.range.begin && *c->resolved_at < r.range.end)
      ++hours[index_of(*c->resolved_at)].resolved;
    for (auto &hour : hours)
      if (c->opened_at < hour.end && (!c->resolved_at || *c->resolved_at >= hour.end)) ++hour.backlog;
  }
  return hours;
}

// Met: a clock stopped in the day without a breach. Breached: the day's
// sla_breach log entries, the ones notable issues count.
std::vector<SlaAttainment> sla_attainment(const DailyReportInput &in, const Interval &day,
                                          const std::vector<const CaseRecord *> &cases) {
  std::vector<SlaAttainment> out;
  for (const Priority p : {Priority::p1, Priority::p2, Priority::p3})
    for (const char *clock : {"first_response", "resolution"}) out.push_back({p, clock, 0, 0, std::nullopt});
  auto row = [&](Priority p, const std::string &clock) -> SlaAttainment * {
    for (auto &a : out)
      if (a.priority == p && a.clock == clock) return &a;
    return nullptr;
  };
  std::map<std::string, const CaseRecord *> by_id;
  for (const CaseRecord *c : cases) {
    by_id.emplace(c->id, c);
    for (const auto &clock : c->clocks)
      if (clock.met_at && !clock.breached && *clock.met_at >= day.begin && *clock.met_at < day.end)
        if (SlaAttainment *a = row(c->priority, clock.name)) ++a->met;
  }
  for (const auto &e : in.sla_breaches) {
    const auto c = by_id.find(e.case_id);
    if (c == by_id.end()) continue;
    if (SlaAttainment *a = row(c->second->priority, text_at(e.details, "clock"))) ++a->breached;
  }
  for (auto &a : out) a.percent = percent(a.met, a.met + a.breached);
  return out;
}

std::vector<RefundTimeBucket> refund_times(const MetricsInput &in, const Interval &day) {
  std::vector<RefundTimeBucket> out = {{"< 1 hour", kHourMs, 0},
                                       {"1-24 hours", kDayMs, 0},
                                       {"1-3 days", 3 * kDayMs, 0},
                                       {"3-7 days", 7 * kDayMs, 0},
                                       {"7 days or more", 0, 0}};
  for (const auto &f : in.refunds) {
    const RefundRecord &refund = f.refund;
    if (refund.status != "succeeded" || !refund.completed_at) continue;
    // A refund made on the platform was not processed here: it has no time to show.
    if (refund.method == "platform") continue;
    if (*refund.completed_at < day.begin || *refund.completed_at >= day.end) continue;
    const TimeMs waited = std::max<TimeMs>(0, *refund.completed_at - f.asked_at.value_or(refund.requested_at));
    const auto bucket = std::find_if(out.begin(), out.end(),
                                     [&](const RefundTimeBucket &b) { return b.up_to == 0 || waited < b.up_to; });
    ++bucket->count;
  }
  return out;
}

std::optional<double> duration_mean(const DurationStats &d) {
  return d.mean ? std::optional<double>(static_cast<double>(*d.mean)) : std::nullopt;
}

std::optional<double> count_value(std::int64_t n) { return static_cast<double>(n); }

// The headline numbers of the last day of `trend`, with the day before it
// and the average of the days before that have a value.
std::vector<Headline> headlines_of(const std::vector<TrendDay> &trend) {
  struct Spec {
    const char *metric, *label, *unit;
    std::optional<double> (*value)(const MetricSet &);
  };
  static const Spec kSpecs[] = {
      {"received", "Tickets received", "count", [](const MetricSet &s) { return count_value(s.received); }},
      {"resolved", "Tickets resolved", "count", [](const MetricSet &s) { return count_value(s.resolved); }},
      {"pending", "Pending tickets", "count", [](const MetricSet &s) { return count_value(s.pending); }},
      {"escalations", "Escalations", "count", [](const MetricSet &s) { return count_value(s.escalations); }},
      {"refunds_processed", "Refunds processed", "count",
       [](const MetricSet &s) { return count_value(s.refunds_processed); }},
      {"first_response", "First response (mean)", "ms",
       [](const MetricSet &s) { return duration_mean(s.first_response); }},
      {"resolution", "Resolution (mean)", "ms", [](const MetricSet &s) { return duration_mean(s.resolution); }},
      {"csat", "CSAT", "percent", [](const MetricSet &s) { return s.csat_percent; }},
      {"refund_processing", "Refund time (mean)", "ms",
       [](const MetricSet &s) { return duration_mean(s.refund_processing); }},
  };
  std::vector<Headline> out;
  if (trend.empty()) return out;
  for (const auto &spec : kSpecs) {
    Headline h{spec.metric, spec.label, spec.unit, spec.value(trend.back().totals), std::nullopt, std::nullopt};
    if (trend.size() >= 2) h.previous_day = spec.value(trend[trend.size() - 2].totals);
    double sum = 0;
    int n = 0;
    for (std::size_t i = 0; i + 1 < trend.size(); ++i)
      if (const auto v = spec.value(trend[i].totals)) {
        sum += *v;
        ++n;
      }
    if (n > 0) h.average_7_days = sum / n;
    out.push_back(std::move(h));
  }
  return out;
}

Json optional_number(const std::optional<double> &v, int decimals) {
  return v ? Json(round_to(*v, decimals)) : Json(nullptr);
}


}  // namespace

// "14:05" on the report's date, "2026-11-21 09:00" on any other.
std::string local_time_text(const DailyReport &r, TimeMs at) {
  const TimeMs local = local_ms(zone_of(r.zone), at);
  const std::string day = date_of_local(local);
  return day == format_local_date(r.date) ? clock_of_local(local) : day + " " + clock_of_local(local);
}

std::string dashboard_value(const DashboardRow &row, double value) {
  return row.is_percent ? percent_text(value) : humanize_duration(static_cast<TimeMs>(value));
}

// The seed dashboard's "Comments/Actions" for a goal that was missed.
std::string dashboard_comment(const DashboardRow &row) {
  static const std::map<std::string, std::string> kActions = {
      {"first_response_time", "Focus on live chat speed."},
      {"resolution_time", "Streamline return handling."},
      {"csat", "Train team on complaint handling."},
      {"refund_processing_time", "Automate refund approvals."}};
  if (!row.met) return "No data";
  return *row.met ? "Goal met" : "Goal missed. " + kActions.at(row.metric);
}

// "9 (2 red flags, 7 SLA breaches)": the red flags, which need a manager
// now, are not lost among the breaches.
std::string escalations_text(const DailyReport &r) {
  std::size_t red_flags = 0, breaches = 0;
  for (const auto &e : r.escalations) {
    red_flags += e.kind == "red_flag" ? 1 : 0;
    breaches += e.kind == "sla_breach" ? 1 : 0;
  }
  std::string out = std::to_string(r.totals.escalations);
  if (red_flags + breaches == 0) return out;
  return out + " (" + std::to_string(red_flags) + (red_flags == 1 ? " red flag, " : " red flags, ") +
         std::to_string(breaches) + (breaches == 1 ? " SLA breach)" : " SLA breaches)");
}

std::string report_title(const DailyReport &r) {
  if (r.days == 1) return kTitle;
  if (r.days == 7) return "Weekly Customer Service Report";
  if (r.date.day == 1 && add_days(r.last_date, 1).day == 1 && r.last_date.month == r.date.month)
    return "Monthly Customer Service Report";
  return "Customer Service Report";
}

std::string period_text(const DailyReport &r) {
  if (r.days == 1) return format_local_date(r.date);
  return format_local_date(r.date) + " to " + format_local_date(r.last_date);
}

std::optional<LocalDate> parse_local_date(std::string_view text) {
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return std::nullopt;
  for (std::size_t i : {0, 1, 2, 3, 5, 6, 8, 9})
    if (text[i] < '0' || text[i] > '9') return std::nullopt;
  auto number = [&](std::size_t at, std::size_t len) {
    int n = 0;
    for (std::size_t i = at; i < at + len; ++i) n = n * 10 + (text[i] - '0');
    return n;
  };
  const LocalDate date{number(0, 4), static_cast<unsigned>(number(5, 2)), static_cast<unsigned>(number(8, 2))};
  // A real date survives the round trip through a day count (no 2026-02-30).
  std::int64_t year;
  unsigned month, day;
  civil_from_days(days_from_civil(date.year, date.month, date.day), year, month, day);
  if (date.month < 1 || date.month > 12 || year != date.year || month != date.month || day != date.day)
    return std::nullopt;
  return date;
}

std::string format_local_date(const LocalDate &date) {
  char text[32];
  std::snprintf(text, sizeof text, "%04d-%02u-%02u", static_cast<int>(date.year), date.month, date.day);
  return text;
}

std::optional<Interval> local_day(const std::string &zone, const LocalDate &date) {
  if (!is_known_zone(zone)) return std::nullopt;
  const Zone tz = zone_of(zone);
  const std::int64_t day = days_from_civil(date.year, date.month, date.day);
  // The first and last days of the instant range are cut at its ends: in
  // Tokyo 1970-01-01 began before the epoch, and 9999-12-31 ends past the
  // last instant RFC 3339 can write.
  return Interval{clamp_time(instant_of(tz, day, 0)), clamp_time(instant_of(tz, day + 1, 0))};
}

// The `days` local days from `date`, as one interval.
std::optional<Interval> period_range(const std::string &zone, const LocalDate &date, std::int32_t days) {
  const auto first = local_day(zone, date);
  const auto last = local_day(zone, add_days(date, days - 1));
  if (!first || !last) return std::nullopt;
  return Interval{first->begin, last->end};
}

std::optional<Interval> trend_range(const std::string &zone, const LocalDate &date, std::int32_t days) {
  const auto first = period_range(zone, add_days(date, -static_cast<std::int64_t>(kTrendDays - 1) * days), days);
  const auto last = period_range(zone, date, days);
  if (!first || !last) return std::nullopt;
  return Interval{first->begin, last->end};
}

DailyReport build_daily_report(const DailyReportInput &in) {
  const std::int32_t days = std::max<std::int32_t>(in.days, 1);
  const auto range = period_range(in.zone, in.date, days);
  if (!range) fail(OC_ERR_SCHEMA, "args: tz: unknown time zone \"" + in.zone + "\"");
  MetricsInput metrics_input = in.metrics;
  metrics_input.from = range->begin;
  metrics_input.to = range->end;
  metrics_input.days = days;
  metrics_input.group_by = MetricsGroup::type;
  const Metrics m = compute_metrics(metrics_input);

  DailyReport r;
  r.date = in.date;
  r.days = days;
  r.last_date = add_days(in.date, days - 1);
  r.zone = in.zone.empty() ? "UTC" : in.zone;
  r.prepared_by = in.prepared_by;
  r.range = *range;
  r.totals = m.total;
  r.notable_issues = notable_issues(in, m);
  r.team_highlights = team_highlights(in, m);
  for (const auto &e : in.escalations)
    if (e.at >= range->begin && e.at < range->end) r.escalations.push_back(e);
  // Red flags first, apart from SLA breaches and the rest; each in time order.
  std::stable_partition(r.escalations.begin(), r.escalations.end(),
                        [](const EscalationLine &e) { return e.kind == "red_flag"; });
  r.by_category = categories(m);
  r.dashboard = m.dashboard;

  // The periods before, each of the same local days, from the same input.
  metrics_input.group_by = MetricsGroup::none;
  for (int back = kTrendDays - 1; back >= 1; --back) {
    const LocalDate date = add_days(in.date, -static_cast<std::int64_t>(back) * days);
    const Interval before = *period_range(in.zone, date, days);
    metrics_input.from = before.begin;
    metrics_input.to = before.end;
    r.trend.push_back({date, add_days(date, days - 1), before, compute_metrics(metrics_input).total});
  }
  r.trend.push_back({in.date, r.last_date, *range, m.total});
  r.headlines = headlines_of(r.trend);
  const auto cases = distinct_cases(in.metrics);
  r.by_hour = hours_of(r, cases);
  r.sla = sla_attainment(in, *range, cases);
  for (const CaseRecord *c : cases)
    if (c->resolved_at && *c->resolved_at >= range->begin && *c->resolved_at < range->end && c->csat &&
        *c->csat >= 1 && *c->csat <= 5)
      ++r.csat_ratings[static_cast<std::size_t>(*c->csat - 1)];
  r.refund_times = refund_times(in.metrics, *range);
  return r;
}

Json to_json(const DailyReport &r) {
  Json refunded = Json::array();
  for (const auto &[currency, amount] : r.totals.refunded)
    refunded.push_back({{"amount", amount}, {"currency", currency}});
  Json escalations = Json::array();
  for (const auto &e : r.escalations)
    escalations.push_back({{"kind", e.kind},
                           {"time", format_rfc3339(e.at)},
                           {"order_id", optional_text(e.order_id)},
                           {"customer_name", optional_text(e.customer_name)},
                           {"issue", e.issue},
                           {"promised_resolution",
                            e.promised_resolution ? Json(format_rfc3339(*e.promised_resolution)) : Json(nullptr)},
                           {"action_taken", e.action_taken},
                           {"status", e.resolved ? "resolved" : "open"},
                           {"resolved_by", optional_text(e.resolved_by)}});
  Json by_category = Json::array();
  for (const auto &c : r.by_category)
    by_category.push_back({{"type", to_string(c.type)},
                           {"label", label(c.type)},
                           {"received", c.received},
                           {"resolved", c.resolved},
                           {"pending", c.pending},
                           {"escalations", c.escalations}});
  Json dashboard = Json::array();
  for (const auto &row : r.dashboard) {
    Json j = to_json(row);
    j["comment"] = dashboard_comment(row);
    dashboard.push_back(std::move(j));
  }
  Json headlines = Json::array();
  for (const auto &h : r.headlines) {
    const int decimals = h.unit == "ms" ? 0 : 1;
    headlines.push_back({{"metric", h.metric},
                         {"label", h.label},
                         {"unit", h.unit},
                         {"value", optional_number(h.value, decimals)},
                         {r.days == 1 ? "previous_day" : "previous_period", optional_number(h.previous_day, decimals)},
                         {r.days == 1 ? "average_7_days" : "average_7_periods",
                          optional_number(h.average_7_days, h.unit == "count" ? 2 : decimals)}});
  }
  Json trend = Json::array();
  for (const auto &d : r.trend) {
    trend.push_back({{"date", format_local_date(d.date)},
                     {"from", format_rfc3339(d.range.begin)},
                     {"to", format_rfc3339(d.range.end)},
                     {"received", d.totals.received},
                     {"resolved", d.totals.resolved},
                     {"pending", d.totals.pending},
                     {"escalations", d.totals.escalations},
                     {"refunds_processed", d.totals.refunds_processed}});
    if (r.days > 1) trend.back()["last_date"] = format_local_date(d.last_date);
  }
  Json by_hour = Json::array();
  for (const auto &h : r.by_hour)
    by_hour.push_back({{r.days == 1 ? "hour" : "date", h.label},
                       {"from", format_rfc3339(h.begin)},
                       {"received", h.received},
                       {"resolved", h.resolved},
                       {"backlog", h.backlog}});
  Json sla = Json::array();
  for (const auto &a : r.sla)
    sla.push_back({{"priority", to_string(a.priority)},
                   {"clock", a.clock},
                   {"met", a.met},
                   {"breached", a.breached},
                   {"percent", optional_number(a.percent, 1)}});
  Json csat = Json::array();
  for (std::size_t i = 0; i < r.csat_ratings.size(); ++i)
    csat.push_back({{"rating", i + 1}, {"count", r.csat_ratings[i]}});
  Json refund_buckets = Json::array();
  for (const auto &b : r.refund_times)
    refund_buckets.push_back({{"label", b.label}, {"up_to_ms", b.up_to == 0 ? Json(nullptr) : Json(b.up_to)}, {"count", b.count}});
  Json out = {{"title", report_title(r)},
          {"date", format_local_date(r.date)},
          {"tz", r.zone},
          {"prepared_by", r.prepared_by},
          {"from", format_rfc3339(r.range.begin)},
          {"to", format_rfc3339(r.range.end)},
          {"tickets_received", r.totals.received},
          {"tickets_resolved", r.totals.resolved},
          {"pending_tickets", r.totals.pending},
          {"refunds_processed", r.totals.refunds_processed},
          {"refunded", std::move(refunded)},
          {"escalations", r.totals.escalations},
          {"notable_issues", r.notable_issues},
          {"team_highlights", r.team_highlights},
          {"escalations_log", std::move(escalations)},
          {"by_category", std::move(by_category)},
          {"dashboard", std::move(dashboard)},
          {"metrics", to_json(r.totals)},
          {"headlines", std::move(headlines)},
          {"trend", std::move(trend)},
          {r.days == 1 ? "by_hour" : "by_day", std::move(by_hour)},
          {"sla_attainment", std::move(sla)},
          {"csat_distribution", std::move(csat)},
          {"refund_times", std::move(refund_buckets)}};
  if (r.days > 1) {
    out["last_date"] = format_local_date(r.last_date);
    out["days"] = r.days;
  }
  return out;
}

std::string render_text(const DailyReport &r) {
  const std::string title = report_title(r);
  std::string out = title + "\n" + std::string(title.size(), '=') + "\n\n";
  for (const auto &section : sections_of(r)) {
    if (!section.title.empty()) out += "\n" + section.title + "\n";
    out += render_text(section.table);
  }
  return out;
}


}  // namespace ordercare::reports
