// Seed 000's end-of-day report for one local date: tickets received,
// resolved and pending, refunds processed, escalations, notable issues and
// team highlights, with the day's escalations in seed 004's log columns,
// the tickets by category (seed 004's "by category") and the team
// performance dashboard against its goals. Built from the same inputs as
// the metrics, for the day [local midnight, next local midnight) of an IANA
// zone, and rendered as JSON, aligned plain text or a small HTML page.
#pragma once

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
#include "domain/metrics.h"

namespace ordercare::domain {

// "2026-11-20": a real calendar date, zero-padded; nullopt otherwise.
std::optional<LocalDate> parse_local_date(std::string_view text);
std::string format_local_date(const LocalDate &date);

// True for "UTC" and every name the system's IANA database knows.
bool is_known_zone(const std::string &zone);

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
  std::string zone = "UTC";
  std::string prepared_by = "ordercare";
  // Cases, refunds, escalations, scorecards and first agent actions as for
  // compute_metrics; the range, the day count and the grouping are set
  // from the date.
  MetricsInput metrics;
  std::vector<EscalationLine> escalations;  // raised during the day
  std::vector<CaseLogEntry> red_flags;      // "red_flag" entries written during the day
  std::vector<CaseLogEntry> sla_breaches;   // "sla_breach" entries written during the day
};

struct CategoryCount {
  IssueType type = IssueType::complaint;
  std::int64_t received = 0, resolved = 0, pending = 0, escalations = 0;
};

struct DailyReport {
  LocalDate date;
  std::string zone;
  std::string prepared_by;
  Interval range;
  MetricSet totals;
  std::vector<std::string> notable_issues;
  std::vector<std::string> team_highlights;
  std::vector<EscalationLine> escalations;
  std::vector<CategoryCount> by_category;  // categories with any activity
  std::vector<DashboardRow> dashboard;
};

// Throws Failure(OC_ERR_SCHEMA) for an unknown zone.
DailyReport build_daily_report(const DailyReportInput &input);

// {date, tz, prepared_by, from, to, tickets_received, tickets_resolved,
//  pending_tickets, refunds_processed, refunded, escalations, notable_issues,
//  team_highlights, escalations_log, by_category, dashboard, metrics}.
Json to_json(const DailyReport &report);
// The seed's two-column template, then the escalations, categories and
// dashboard as tables; times in the report's zone.
std::string render_text(const DailyReport &report);
// A self-contained page (inline style, no scripts), every value escaped.
std::string render_html(const DailyReport &report);

}  // namespace ordercare::domain
