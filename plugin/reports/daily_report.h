// Seed 000's end-of-day report for one local date: tickets received,
// resolved and pending, refunds processed, escalations, notable issues and
// team highlights, with the day's escalations in seed 004's log columns,
// the tickets by category (seed 004's "by category") and the team
// performance dashboard against its goals. Built from the same inputs as
// the metrics, for the day [local midnight, next local midnight) of an IANA
// zone (or several such days: report.period), and rendered as JSON, aligned
// plain text or an HTML page with SVG charts (daily_report_html.cpp). The
// page's figures set the day against the day before and the seven days
// before it, from the same input, which covers those days too.
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
#include "domain/business_calendar.h"
#include "domain/entities.h"
#include "reports/metrics.h"

namespace ordercare::reports {

// Reports read the domain's records; they decide nothing.
using namespace ordercare::domain;

// "2026-11-20": a real calendar date, zero-padded; nullopt otherwise.
std::optional<LocalDate> parse_local_date(std::string_view text);
std::string format_local_date(const LocalDate &date);

// The local day of `date` in `zone`: from its first instant to the next
// day's. A midnight skipped by a DST jump starts the day when the gap ends;
// so the day may be 23 or 25 hours long. nullopt for an unknown zone.
std::optional<Interval> local_day(const std::string &zone, const LocalDate &date);

// One row of seed 004's escalations log.
struct EscalationLine {
  std::string kind = "agent";  // Escalation::kind: red flags lead the report
  TimeMs at = 0;
  std::optional<std::string> order_id;
  std::optional<std::string> customer_name;
  std::string issue;
  std::optional<TimeMs> promised_resolution;
  std::string action_taken;
  bool resolved = false;
  std::optional<std::string> resolved_by;
};

struct DailyReportInput {
  LocalDate date;
  // The report's local days: `date` and the days after it (a weekly or
  // monthly report, report.period); 1 for the daily report. Its figures are
  // set against the kTrendDays - 1 periods of the same length before it.
  std::int32_t days = 1;
  std::string zone = "UTC";
  std::string prepared_by = "ordercare";
  // Cases, refunds, escalations, scorecards and first agent actions as for
  // compute_metrics, over the report's days and the kTrendDays - 1 periods
  // before them (trend_range); the range, the day count and the grouping
  // are set per period. Input for the report's days alone gives the same
  // report with empty earlier periods.
  MetricsInput metrics;
  std::vector<EscalationLine> escalations;  // raised in the report's days
  std::vector<CaseLogEntry> red_flags;      // "red_flag" entries written in them
  std::vector<CaseLogEntry> sla_breaches;   // "sla_breach" entries written in them
};

inline constexpr const char *kDailyReportTitle = "Daily Customer Service Report";

// The days the trend covers: the report's day and the seven before it, for
// the change against the day before and the 7-day average.
inline constexpr int kTrendDays = 8;

// The range DailyReportInput::metrics covers for the `days` local days from
// `date` in `zone`: from the start of the period kTrendDays - 1 periods
// before to the end of the last day. nullopt for an unknown zone.
std::optional<Interval> trend_range(const std::string &zone, const LocalDate &date, std::int32_t days = 1);

struct CategoryCount {
  IssueType type = IssueType::complaint;
  std::int64_t received = 0, resolved = 0, pending = 0, escalations = 0;
};

// One period (a local day for the daily report) of the trend.
struct TrendDay {
  LocalDate date;  // its first day
  LocalDate last_date;
  Interval range;
  MetricSet totals;
};

// One hour of the report's day (a DST day has 23 or 25), or one local day
// of a longer period: cases received and resolved in it, and the backlog at
// its end.
struct HourCount {
  TimeMs begin = 0;
  TimeMs end = 0;
  std::string label;  // local clock of its start, "09:00"; the date for a day
  std::int64_t received = 0, resolved = 0, backlog = 0;
};

// SLA attainment of one priority on one clock (first_response or
// resolution): clocks stopped in the report's days without a breach,
// against those plus the days' sla_breach log entries on that clock.
struct SlaAttainment {
  Priority priority = Priority::p3;
  std::string clock;
  std::int64_t met = 0, breached = 0;
  std::optional<double> percent;
};

// A headline number with the day before and the 7-day average (of the
// seven days before the report's day that have a value); for a period,
// the period before and the average of the seven before.
struct Headline {
  std::string metric;  // received, resolved, pending, ...
  std::string label;
  std::string unit;  // count | ms | percent
  std::optional<double> value, previous_day, average_7_days;
};

// Refunds processed in the report's days by how long the customer waited.
struct RefundTimeBucket {
  std::string label;  // "< 1 hour" ... "7 days or more" (seed 000: < 7 days)
  TimeMs up_to = 0;   // exclusive upper bound; 0 for the last bucket
  std::int64_t count = 0;
};

struct DailyReport {
  LocalDate date;
  std::int32_t days = 1;
  LocalDate last_date;  // date for the daily report
  std::string zone;
  std::string prepared_by;
  Interval range;
  MetricSet totals;
  std::vector<std::string> notable_issues;
  std::vector<std::string> team_highlights;
  std::vector<EscalationLine> escalations;
  std::vector<CategoryCount> by_category;  // categories with any activity
  std::vector<DashboardRow> dashboard;
  std::vector<TrendDay> trend;  // kTrendDays periods, oldest first, the report's last
  std::vector<Headline> headlines;
  std::vector<HourCount> by_hour;  // by day for a period
  std::vector<SlaAttainment> sla;              // P1..P3, first_response then resolution
  std::array<std::int64_t, 5> csat_ratings{};  // ratings 1..5 on cases resolved in the report's days
  std::vector<RefundTimeBucket> refund_times;
};

// Throws Failure(OC_ERR_SCHEMA) for an unknown zone.
DailyReport build_daily_report(const DailyReportInput &input);

// {date, tz, prepared_by, from, to, tickets_received, tickets_resolved,
//  pending_tickets, refunds_processed, refunded, escalations, notable_issues,
//  team_highlights, escalations_log, by_category, dashboard, metrics,
//  headlines, trend, by_hour, sla_attainment, csat_distribution,
//  refund_times}; for a period also last_date and days, by_day for by_hour
//  and previous_period, average_7_periods in the headlines.
Json to_json(const DailyReport &report);
// The seed's two-column template, then the escalations, categories and
// dashboard as tables; times in the report's zone.
std::string render_text(const DailyReport &report);
// A self-contained page (inline style and SVG charts, no scripts, nothing
// loaded from elsewhere), every value escaped; daily_report_html.cpp.
std::string render_html(const DailyReport &report);

// For the renderers: "17:05" on the report's date, else "2026-11-21 09:00",
// in the report's zone; the escalations text of the summary ("9 (2 red
// flags, 7 SLA breaches)"); a dashboard value in words, and its comment.
std::string local_time_text(const DailyReport &report, TimeMs at);
std::string escalations_text(const DailyReport &report);
std::string dashboard_value(const DashboardRow &row, double value);
std::string dashboard_comment(const DashboardRow &row);
// "Daily Customer Service Report", "Weekly ..." for 7 days, "Monthly ..."
// for a calendar month, "Customer Service Report" for another period; and
// its dates: "2026-11-20", "2026-11-16 to 2026-11-22".
std::string report_title(const DailyReport &report);
std::string period_text(const DailyReport &report);

}  // namespace ordercare::reports
