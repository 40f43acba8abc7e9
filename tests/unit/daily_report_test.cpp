// report.daily and metrics through the plugin: a day of events and agent
// commands on the virtual clock, then seed 000's end-of-day report with
// exact counts in all three formats, the day's bounds in a time zone (a
// case at 23:30Z is on the 20th in UTC and on the 21st in Berlin), seed
// 004's escalations and notable issues, and strict arguments.
#include <gtest/gtest.h>

#include <sstream>
#include <string>
#include <vector>

#include "reports/daily_report.h"
#include "support/scenario.h"

namespace ordercare::testing {
namespace {

using domain::CaseRecord;
using domain::IssueType;
using domain::Priority;

// 2026-11-20T00:00:00Z.
constexpr TimeMs kMidnight = kScenarioStart - 9 * kHourMs;

TimeMs at(int hour, int minute = 0) { return kMidnight + hour * kHourMs + minute * kMinuteMs; }

const CustomerSpec kAnn("c-ann", "Ann Archer");
const CustomerSpec kBob("c-bob", "Bob Baker");
const CustomerSpec kCat("c-cat", "Cat <script>alert(1)</script>");
const CustomerSpec kDan("c-dan", "Dan Dell");
const CustomerSpec kEve("c-eve", "Eve Evans");

struct Day {
  std::string damaged, wismo, legal, late;
};

std::string case_of(const Json &submitted) { return submitted["cases"][0].get<std::string>(); }

// The day, in UTC:
//   09:01 Ann: vase broken (damaged item); kim answers 09:05, resolves 11:00, CSAT 5.
//   09:31 Bob: where is my order (WISMO); sam answers 10:01; still open.
//   12:00 Cat: a lawyer (red flag, escalated); nobody answers.
//   14:00 Dan: a 12.00 wrong item, kept and refunded at once; the host refunds it.
//   15:00 qa.score of kim on Ann's case.
//   23:30 Eve: where is my order; the 20th in UTC, the 21st in Berlin.
Day play_day(Scenario &s) {
  Day d;
  s.set_now(at(9));
  s.submit(s.order_created("A", kAnn));
  s.set_now(at(9, 1));
  d.damaged = case_of(s.submit(s.message(kAnn, "A", "email", "The vase arrived broken")));
  s.set_now(at(9, 5));
  s.call("case.reply", {{"id", d.damaged}, {"agent", "kim"}, {"channel", "email"}, {"text", "So sorry, on it"}});
  s.poll_all();  // the reply reaches Ann: her first response

  s.set_now(at(9, 30));
  s.submit(s.order_created("B", kBob));
  s.set_now(at(9, 31));
  d.wismo = case_of(s.submit(s.message(kBob, "B", "email", "Where is my order?")));
  s.set_now(at(10, 1));
  s.call("case.reply", {{"id", d.wismo}, {"agent", "sam"}, {"channel", "email"}, {"text", "It ships today"}});
  s.poll_all();

  s.set_now(at(11));
  s.call("case.resolve", {{"id", d.damaged}, {"agent", "kim"}, {"resolution", "Replacement sent"},
                          {"action_taken", "Shipped a replacement"}});
  s.call("case.csat", {{"id", d.damaged}, {"rating", 5}});

  s.set_now(at(12));
  s.submit(s.order_created("C", kCat));
  d.legal = case_of(s.submit(s.message(kCat, "C", "email", "The lamp is broken, my lawyer will hear of this")));

  s.set_now(at(13));
  s.submit(s.order_created("D", kDan, OrderOptions().with_items({LineSpec("SKU-SOCK", 1200)})));
  s.submit(s.order_updated("D", "delivered"));
  s.set_now(at(14));
  s.submit(s.return_requested("D", {ReturnLine("L1", "wrong_item")}, "R1"));
  s.poll_all();  // the host refunds; due SLA timers fire too

  s.set_now(at(15));
  s.call("qa.score", {{"case_id", d.damaged},
                      {"agent", "kim"},
                      {"scores",
                       {{"greeting", 5},
                        {"active_listening", 4},
                        {"empathy", 5},
                        {"resolution", 5},
                        {"timeliness", 4},
                        {"professionalism", 5}}}});

  s.set_now(at(23, 30));
  s.submit(s.order_created("E", kEve));
  d.late = case_of(s.submit(s.message(kEve, "E", "email", "Where is my order?")));
  s.set_now(at(23, 45));
  return d;
}

Json report(Scenario &s, const std::string &date, const std::string &tz = "", const std::string &format = "json") {
  Json args = {{"date", date}, {"format", format}};
  if (!tz.empty()) args["tz"] = tz;
  const Json result = s.call("report.daily", args);
  EXPECT_EQ(result["format"], format);
  return result["content"];
}

bool has(const Json &lines, const std::string &needle) {
  for (const auto &line : lines)
    if (line.get<std::string>().find(needle) != std::string::npos) return true;
  return false;
}

std::vector<std::string> lines_of(const std::string &text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) out.push_back(line);
  return out;
}

// The second cell of the text table row whose first cell is `label`.
std::string cell(const std::string &text, const std::string &label) {
  for (const auto &line : lines_of(text)) {
    if (line.rfind("| " + label, 0) != 0) continue;
    const auto start = line.find('|', 1) + 1;
    const auto end = line.find('|', start);
    std::string value = line.substr(start, end - start);
    value.erase(0, value.find_first_not_of(' '));
    value.erase(value.find_last_not_of(' ') + 1);
    return value;
  }
  return "<no row " + label + ">";
}

TEST(DailyReport, CountsTheDayInUtc) {
  TestHost host;
  Scenario s(host);
  const Day d = play_day(s);
  const Json r = report(s, "2026-11-20");
  EXPECT_EQ(r["date"], "2026-11-20");
  EXPECT_EQ(r["tz"], "UTC");
  EXPECT_EQ(r["prepared_by"], "ordercare");
  EXPECT_EQ(r["from"], "2026-11-20T00:00:00Z");
  EXPECT_EQ(r["to"], "2026-11-21T00:00:00Z");
  // Ann, Bob, Cat, Dan's return and Eve.
  EXPECT_EQ(r["tickets_received"], 5) << r.dump(2);
  const Json dan = s.get_case(s.get_return("R1")["case_id"].get<std::string>());
  const int dan_resolved = dan["status"] == "resolved" || dan["status"] == "closed" ? 1 : 0;
  EXPECT_EQ(r["tickets_resolved"], 1 + dan_resolved) << "Ann's, and Dan's if the kept return closed it";
  EXPECT_EQ(r["pending_tickets"], 4 - dan_resolved);
  EXPECT_EQ(r["refunds_processed"], 1);
  EXPECT_EQ(r["refunded"], Json::array({{{"amount", 1200}, {"currency", "USD"}}}));
  EXPECT_GE(r["escalations"].get<int>(), 1);
  EXPECT_EQ(r["escalations"], r["escalations_log"].size());
  EXPECT_EQ(r["escalations"], s.escalations({{"from", "2026-11-20T00:00:00Z"}, {"to", "2026-11-21T00:00:00Z"}}).size());

  // Seed 004's escalation row for Cat's red flag, with her name.
  bool found = false;
  for (const auto &row : r["escalations_log"])
    if (row["order_id"] == "C" && row["issue"].get<std::string>().find("legal_threat") != std::string::npos) {
      found = true;
      EXPECT_EQ(row["customer_name"], kCat.name);
      EXPECT_EQ(row["status"], "open");
      EXPECT_TRUE(row["resolved_by"].is_null());
      EXPECT_TRUE(row["promised_resolution"].is_string());
    }
  EXPECT_TRUE(found) << r["escalations_log"].dump(2);
  EXPECT_TRUE(has(r["notable_issues"], "Red flag: legal threat on case " + d.legal)) << r["notable_issues"];
  EXPECT_TRUE(has(r["notable_issues"], "P1 cases received: 1 (1 Item arrived damaged)")) << r["notable_issues"];
  // Nobody answered the three questions the playbooks put to the warehouse
  // within its 30 minutes.
  EXPECT_TRUE(has(r["notable_issues"], "SLA breaches: 4 (3 warehouse response, 1 first response)"))
      << r["notable_issues"];

  // Metrics behind the dashboard: FRT 4 min (kim) and 30 min (sam).
  const Json &m = r["metrics"];
  EXPECT_EQ(m["first_response"]["count"], 2);
  EXPECT_EQ(m["first_response"]["mean_ms"], 17 * kMinuteMs);
  EXPECT_EQ(m["first_response"]["awaiting"], 3);
  EXPECT_EQ(m["first_response"]["within_target"], 1);
  EXPECT_EQ(m["csat"]["ratings"], 1);
  EXPECT_EQ(m["csat"]["percent"], 100.0);
  EXPECT_EQ(m["qa"]["scorecards"], 1);
  EXPECT_EQ(m["handle_time"]["count"], 1) << "only kim worked a resolved case";
  const Json &dashboard = r["dashboard"];
  ASSERT_EQ(dashboard.size(), 4u);
  EXPECT_EQ(dashboard[0]["label"], "First Response Time");
  EXPECT_EQ(dashboard[0]["team_average"], 17 * kMinuteMs);
  EXPECT_EQ(dashboard[0]["met"], false);
  EXPECT_EQ(dashboard[0]["top_performer"]["agent"], "kim");
  EXPECT_EQ(dashboard[2]["label"], "Customer Satisfaction (CSAT)");
  EXPECT_EQ(dashboard[2]["met"], true);
  EXPECT_EQ(dashboard[2]["top_performer"]["agent"], "kim");
  EXPECT_EQ(dashboard[3]["label"], "Refund Processing Time");
  EXPECT_EQ(dashboard[3]["met"], true);
  EXPECT_TRUE(has(r["team_highlights"], "Fastest first response: kim (4 minutes, 1 case)"));
  EXPECT_TRUE(has(r["team_highlights"], "Best CSAT: kim (100.0% of 1 rating)"));
  EXPECT_TRUE(has(r["team_highlights"], "Exceptional feedback for kim: 1 five-star rating"));
  EXPECT_TRUE(has(r["team_highlights"], "Best QA score: kim (4.67 of 5, 1 scorecard)"));

  // By category (seed 004), busiest first: WISMO (Bob, Eve), damaged (Ann resolved, Cat), the return.
  ASSERT_EQ(r["by_category"].size(), 3u) << r["by_category"];
  EXPECT_EQ(r["by_category"][0], (Json{{"type", "wismo"}, {"label", "Where is my order?"}, {"received", 2},
                                       {"resolved", 0}, {"pending", 2}, {"escalations", 0}}));
  EXPECT_EQ(r["by_category"][1]["type"], "damaged_item");
  EXPECT_EQ(r["by_category"][1]["resolved"], 1);
  EXPECT_EQ(r["by_category"][1]["escalations"], r["escalations"]);
  EXPECT_EQ(r["by_category"][2]["type"], "return");
}

TEST(DailyReport, TheDayOfAZoneMovesACaseAtHalfPastElevenUtcToTheNextDate) {
  TestHost host;
  Scenario s(host);
  const Day d = play_day(s);
  const Json berlin = report(s, "2026-11-20", "Europe/Berlin");
  EXPECT_EQ(berlin["tz"], "Europe/Berlin");
  EXPECT_EQ(berlin["from"], "2026-11-19T23:00:00Z");
  EXPECT_EQ(berlin["to"], "2026-11-20T23:00:00Z");
  EXPECT_EQ(berlin["tickets_received"], 4) << "Eve's 23:30Z message is past Berlin's midnight";
  const Json next = report(s, "2026-11-21", "Europe/Berlin");
  EXPECT_EQ(next["tickets_received"], 1);
  EXPECT_EQ(next["tickets_resolved"], 0);
  EXPECT_EQ(next["pending_tickets"], berlin["pending_tickets"].get<int>() + 1)
      << "the backlog carries over and Eve's case joins it";
  EXPECT_EQ(report(s, "2026-11-21")["tickets_received"], 0) << "in UTC the 21st has not seen a case";
  // New York's 20th starts at 05:00Z: everything of the day is in it.
  EXPECT_EQ(report(s, "2026-11-20", "America/New_York")["tickets_received"], 5);
  EXPECT_EQ(report(s, "2026-11-19")["pending_tickets"], 0) << "nothing was open the day before";
  (void)d;
}

TEST(DailyReport, TextIsTheSeedsTemplateAligned) {
  TestHost host;
  Scenario s(host);
  play_day(s);
  const Json j = report(s, "2026-11-20");
  const std::string text = report(s, "2026-11-20", "UTC", "text").get<std::string>();
  EXPECT_EQ(text.rfind("Daily Customer Service Report\n", 0), 0u) << text;
  EXPECT_NE(text.find("| Date: 2026-11-20 (UTC)"), std::string::npos) << text;
  EXPECT_NE(text.find("| Prepared By: ordercare"), std::string::npos) << text;
  EXPECT_EQ(cell(text, "Tickets Received:"), "5") << text;
  EXPECT_EQ(cell(text, "Tickets Resolved:"), std::to_string(j["tickets_resolved"].get<int>()));
  EXPECT_EQ(cell(text, "Pending Tickets:"), std::to_string(j["pending_tickets"].get<int>()));
  EXPECT_EQ(cell(text, "Refunds Processed:"), "1 (12.00 USD)");
  // The count, and how many of them are red flags, apart from SLA breaches.
  EXPECT_EQ(cell(text, "Escalations:"), std::to_string(j["escalations"].get<int>()) + " (1 red flag, 1 SLA breach)");
  EXPECT_EQ(j["escalations_log"][0]["kind"], "red_flag") << "red flags lead the report's escalations";
  EXPECT_EQ(cell(text, "First Response Time"), "< 10 minutes");
  EXPECT_NE(text.find("17 minutes"), std::string::npos) << "the team average, in words";
  // Each table's lines are equally wide: the columns line up.
  std::size_t width = 0;
  for (const auto &line : lines_of(text)) {
    if (line.empty() || line[0] != '|') {
      width = 0;
      continue;
    }
    if (width == 0) width = line.size();
    EXPECT_EQ(line.size(), width) << line;
  }
  // Seed 004's columns and the local time of the escalation.
  EXPECT_NE(text.find("| Time  | Order ID | Customer Name"), std::string::npos) << text;
  EXPECT_NE(text.find("| 12:00 | C "), std::string::npos) << text;
  // In Berlin the same escalation happened at 13:00.
  const std::string berlin = report(s, "2026-11-20", "Europe/Berlin", "text").get<std::string>();
  EXPECT_NE(berlin.find("| 13:00 | C "), std::string::npos) << berlin;
}

std::size_t count(const std::string &text, const std::string &needle) {
  std::size_t n = 0;
  for (auto at = text.find(needle); at != std::string::npos; at = text.find(needle, at + 1)) ++n;
  return n;
}

TEST(DailyReport, HtmlIsOneSelfContainedEscapedPage) {
  TestHost host;
  Scenario s(host);
  play_day(s);
  const std::string html = report(s, "2026-11-20", "UTC", "html").get<std::string>();
  EXPECT_EQ(html.rfind("<!DOCTYPE html>\n", 0), 0u);
  EXPECT_NE(html.find("<p class=\"meta\">Date: 2026-11-20 (UTC) &#183; Prepared By: ordercare</p>"), std::string::npos)
      << html;
  EXPECT_NE(html.find("data-metric=\"received\"><div class=\"label\">Tickets received</div><div class=\"value\">5</div>"),
            std::string::npos)
      << html;
  EXPECT_EQ(html.find("<script"), std::string::npos) << "Cat's name is text, not markup";
  EXPECT_NE(html.find("Cat &lt;script&gt;alert(1)&lt;/script&gt;"), std::string::npos);
  EXPECT_EQ(html.find("src="), std::string::npos) << "nothing loaded from elsewhere";
  EXPECT_EQ(html.find("href="), std::string::npos);
  EXPECT_EQ(html.find("url("), std::string::npos);
  EXPECT_NE(html.find("@media print"), std::string::npos);
  EXPECT_NE(html.find("</html>\n"), std::string::npos);
  // Red flags first, then the numbers and charts, the escalations last.
  const auto flags = html.find("id=\"red-flags\""), numbers = html.find("id=\"headlines\""),
             charts = html.find("id=\"charts\""), escalations = html.find("id=\"escalations\"");
  ASSERT_NE(escalations, std::string::npos);
  EXPECT_LT(flags, numbers);
  EXPECT_LT(numbers, charts);
  EXPECT_LT(charts, escalations);
  EXPECT_NE(html.find("Red flags: 1 (1 open)"), std::string::npos);
  for (const char *chart : {"sla", "hourly", "types", "backlog", "trend", "csat", "refunds"})
    EXPECT_NE(html.find(std::string("<figure class=\"chart\" id=\"chart-") + chart + "\">"), std::string::npos) << chart;
  EXPECT_EQ(count(html, "<svg viewBox="), 7u);
  EXPECT_EQ(count(html, "</svg>"), 7u);
  EXPECT_EQ(count(html, "<tr>"), count(html, "</tr>"));
}

// The figures of the page: each hour, the CSAT ratings, SLA attainment per
// priority, the refund waits, and the day set against the days before.
TEST(DailyReport, ThePagesFiguresAreInTheJson) {
  TestHost host;
  Scenario s(host);
  play_day(s);
  const Json r = report(s, "2026-11-20");
  const Json &hours = r["by_hour"];
  ASSERT_EQ(hours.size(), 24u);
  EXPECT_EQ(hours[9], (Json{{"hour", "09:00"}, {"from", "2026-11-20T09:00:00Z"}, {"received", 2}, {"resolved", 0},
                            {"backlog", 2}}));
  EXPECT_EQ(hours[11]["resolved"], 1) << "Ann's case, resolved at 11:00";
  EXPECT_EQ(hours[11]["backlog"], 1) << "Bob's";
  EXPECT_EQ(hours[23]["received"], 1);
  EXPECT_EQ(hours[23]["backlog"], r["pending_tickets"]);
  std::int64_t received = 0;
  for (const auto &h : hours) received += h["received"].get<std::int64_t>();
  EXPECT_EQ(received, 5);
  EXPECT_EQ(r["csat_distribution"], Json::parse(R"([{"rating":1,"count":0},{"rating":2,"count":0},
      {"rating":3,"count":0},{"rating":4,"count":0},{"rating":5,"count":1}])"));
  ASSERT_EQ(r["sla_attainment"].size(), 6u);
  // Cat's P1 legal threat went unanswered: the day's one first-response
  // breach. Ann's P2 case was answered in 4 minutes and resolved; sam
  // answered Bob's P3 question. The warehouse's clocks are not among these.
  EXPECT_EQ(r["sla_attainment"][0], (Json{{"priority", "P1"}, {"clock", "first_response"}, {"met", 0},
                                          {"breached", 1}, {"percent", 0.0}}));
  EXPECT_TRUE(r["sla_attainment"][1]["percent"].is_null()) << "no P1 resolution clock ended";
  EXPECT_EQ(r["sla_attainment"][2], (Json{{"priority", "P2"}, {"clock", "first_response"}, {"met", 1},
                                          {"breached", 0}, {"percent", 100.0}}));
  EXPECT_EQ(r["sla_attainment"][3]["met"], 1);
  EXPECT_EQ(r["sla_attainment"][4]["priority"], "P3");
  EXPECT_EQ(r["sla_attainment"][4]["met"], 1);
  ASSERT_EQ(r["refund_times"].size(), 5u);
  EXPECT_EQ(r["refund_times"][0]["label"], "< 1 hour");
  EXPECT_EQ(r["refund_times"][0]["count"], 1) << "Dan's kept wrong item, refunded at once";
  ASSERT_EQ(r["trend"].size(), 8u);
  EXPECT_EQ(r["trend"][0]["date"], "2026-11-13");
  EXPECT_EQ(r["trend"][7]["date"], "2026-11-20");
  EXPECT_EQ(r["trend"][7]["received"], 5);
  EXPECT_EQ(r["headlines"][0], (Json{{"metric", "received"}, {"label", "Tickets received"}, {"unit", "count"},
                                     {"value", 5.0}, {"previous_day", 0.0}, {"average_7_days", 0.0}}));
  // The next day sets itself against this one.
  const Json next = report(s, "2026-11-21");
  EXPECT_EQ(next["headlines"][0]["value"], 0.0);
  EXPECT_EQ(next["headlines"][0]["previous_day"], 5.0);
  EXPECT_EQ(next["headlines"][0]["average_7_days"], 0.71) << "5 cases over seven days";
  EXPECT_EQ(next["trend"][6]["received"], 5);
  EXPECT_EQ(next["headlines"][7]["metric"], "csat");
  EXPECT_TRUE(next["headlines"][7]["value"].is_null()) << "no ratings on the 21st";
  EXPECT_EQ(next["headlines"][7]["previous_day"], 100.0);
}

// Ten thousand cases and escalations in a day: the page stays one bounded
// document whose tables say how much more there is.
TEST(DailyReport, TenThousandCasesMakeABoundedPage) {
  reports::DailyReportInput in;
  in.date = {2026, 11, 20};
  const std::vector<IssueType> types = {IssueType::wismo, IssueType::damaged_item, IssueType::wrong_item,
                                        IssueType::refund, IssueType::complaint};
  for (int i = 0; i < 10000; ++i) {
    CaseRecord c;
    c.id = "C-" + std::to_string(i);
    c.customer_id = "cus_" + std::to_string(i);
    c.type = types[static_cast<std::size_t>(i) % types.size()];
    c.priority = static_cast<Priority>(1 + i % 3);
    c.opened_at = kMidnight + (static_cast<TimeMs>(i) * kDayMs) / 10000;
    if (i % 3 == 0) {
      c.resolved_at = c.opened_at + 2 * kHourMs;
      c.csat = 1 + i % 5;
    }
    in.metrics.cases.push_back(std::move(c));
    reports::EscalationLine e;
    e.kind = i % 50 == 0 ? "red_flag" : "sla_breach";
    e.at = kMidnight + (static_cast<TimeMs>(i) * kDayMs) / 10000;
    e.customer_name = "<b>Customer " + std::to_string(i) + "</b>";
    e.issue = "Issue & more";
    in.escalations.push_back(std::move(e));
  }
  const auto report = reports::build_daily_report(in);
  std::int64_t rated = 0;
  for (const auto n : report.csat_ratings) rated += n;
  // Every third case is resolved and rated, two hours on: those opened
  // after 22:00 are resolved the next day.
  EXPECT_GT(rated, 3000);
  EXPECT_LT(rated, 3334);
  const std::string html = reports::render_html(report);
  EXPECT_LT(html.size(), 400000u) << "a bounded page";
  EXPECT_EQ(html.find("<b>"), std::string::npos);
  EXPECT_NE(html.find("&lt;b&gt;Customer 0&lt;/b&gt;"), std::string::npos);
  EXPECT_NE(html.find("and 9800 more (escalations.log has them all)"), std::string::npos);
  EXPECT_NE(html.find("and 150 more in the escalations below"), std::string::npos);
  EXPECT_EQ(count(html, "<tr>"), count(html, "</tr>"));
  EXPECT_EQ(count(html, "<svg viewBox="), count(html, "</svg>"));
  EXPECT_EQ(count(html, "<figure"), 7u);
  EXPECT_EQ(html.rfind("</html>\n"), html.size() - 8);
}

// report.period: the same report for a week (seed 000 reviews its metrics
// weekly) or a month, set against the periods of the same length before.
TEST(PeriodReport, AWeekHasTheDailyReportsShape) {
  TestHost host;
  Scenario s(host);
  play_day(s);
  const Json day = report(s, "2026-11-20");
  const Json week = s.call("report.period", {{"from", "2026-11-16"}, {"to", "2026-11-22"}})["content"];
  EXPECT_EQ(week["title"], "Weekly Customer Service Report");
  EXPECT_EQ(week["date"], "2026-11-16");
  EXPECT_EQ(week["last_date"], "2026-11-22");
  EXPECT_EQ(week["days"], 7);
  EXPECT_EQ(week["from"], "2026-11-16T00:00:00Z");
  EXPECT_EQ(week["to"], "2026-11-23T00:00:00Z");
  for (const char *key : {"tickets_received", "tickets_resolved", "pending_tickets", "refunds_processed",
                          "escalations", "by_category", "dashboard", "csat_distribution"})
    EXPECT_EQ(week[key], day[key]) << key << ": the week holds one busy day";
  EXPECT_EQ(week["metrics"]["escalations"]["count"], day["metrics"]["escalations"]["count"]);
  ASSERT_EQ(week["by_day"].size(), 7u);
  EXPECT_EQ(week["by_day"][4]["date"], "2026-11-20");
  EXPECT_EQ(week["by_day"][4]["received"], 5);
  EXPECT_EQ(week["by_day"][6]["backlog"], week["pending_tickets"]);
  EXPECT_FALSE(week.contains("by_hour"));
  ASSERT_EQ(week["trend"].size(), 8u);
  EXPECT_EQ(week["trend"][6]["date"], "2026-11-09");
  EXPECT_EQ(week["trend"][6]["last_date"], "2026-11-15");
  EXPECT_EQ(week["headlines"][0]["previous_period"], 0.0);
  EXPECT_TRUE(week["headlines"][0].contains("average_7_periods"));
  const Json next = s.call("report.period", {{"from", "2026-11-23"}, {"to", "2026-11-29"}})["content"];
  EXPECT_EQ(next["headlines"][0]["previous_period"], 5.0) << "last week's five cases";

  const Json month = s.call("report.period", {{"from", "2026-11-01"}, {"to", "2026-11-30"}})["content"];
  EXPECT_EQ(month["title"], "Monthly Customer Service Report");
  EXPECT_EQ(month["tickets_received"], 5);
  EXPECT_EQ(month["by_day"].size(), 30u);
  const std::string text =
      s.call("report.period", {{"from", "2026-11-16"}, {"to", "2026-11-22"}, {"format", "text"}})["content"];
  EXPECT_EQ(text.rfind("Weekly Customer Service Report\n", 0), 0u) << text;
  EXPECT_NE(text.find("| Date: 2026-11-16 to 2026-11-22 (UTC)"), std::string::npos) << text;
  const std::string html =
      s.call("report.period", {{"from", "2026-11-16"}, {"to", "2026-11-22"}, {"format", "html"}})["content"];
  EXPECT_NE(html.find("<h1>Weekly Customer Service Report</h1>"), std::string::npos);
  EXPECT_NE(html.find("Volume by day (UTC)"), std::string::npos);
  EXPECT_EQ(html.find("<script"), std::string::npos);
  EXPECT_EQ(count(html, "<svg viewBox="), 7u);

  struct Bad {
    Json args;
    std::string message;
  };
  const std::vector<Bad> bad = {
      {{{"from", "2026-11-16"}}, "to: missing"},
      {{{"from", "2026-11-16"}, {"to", "2026-11-15"}}, "to: must not be before from"},
      {{{"from", "2026-11-01"}, {"to", "2026-12-02"}}, "at most 31 days"},
      {{{"from", "2026-02-30"}, {"to", "2026-03-02"}}, "from: expected a calendar date"},
      {{{"from", "2026-11-16"}, {"to", "2026-11-22"}, {"date", "2026-11-16"}}, "date"},
      {{{"from", "2026-11-16"}, {"to", "2026-11-22"}, {"tz", "Mars/Olympus"}}, "tz: unknown time zone"},
  };
  for (const auto &b : bad) {
    const CallError e = s.error("report.period", b.args);
    EXPECT_EQ(e.status, OC_ERR_SCHEMA) << b.args;
    EXPECT_NE(e.message.find(b.message), std::string::npos) << e.message;
  }
}

TEST(DailyReport, PreparedByAndAQuietDay) {
  Scenario s;
  const Json r = s.call("report.daily", {{"date", "2026-11-20"}, {"prepared_by", "Jane Adams"}})["content"];
  EXPECT_EQ(r["prepared_by"], "Jane Adams");
  EXPECT_EQ(r["tickets_received"], 0);
  EXPECT_EQ(r["pending_tickets"], 0);
  EXPECT_EQ(r["notable_issues"], Json::array());
  EXPECT_EQ(r["team_highlights"], Json::array());
  EXPECT_TRUE(r["dashboard"][0]["team_average"].is_null());
  const std::string text =
      s.call("report.daily", {{"date", "2026-11-20"}, {"format", "text"}})["content"].get<std::string>();
  EXPECT_EQ(cell(text, "Notable Issues:"), "None");
  EXPECT_EQ(cell(text, "Team Highlights:"), "None");
}

TEST(DailyReport, ArgumentsAreStrict) {
  Scenario s;
  struct Bad {
    Json args;
    std::string message;
  };
  const std::vector<Bad> bad = {
      {{{"date", "2026-11-20"}, {"colour", "red"}}, "colour"},
      {Json::object(), "date: missing"},
      {{{"date", "2026-02-30"}}, "date: expected a calendar date"},
      {{{"date", "20.11.2026"}}, "date: expected a calendar date"},
      {{{"date", "2026-11-20"}, {"tz", "Europe/Atlantis"}}, "tz: unknown time zone"},
      {{{"date", "2026-11-20"}, {"tz", 1}}, "tz"},
      {{{"date", "2026-11-20"}, {"format", "pdf"}}, "format"},
      {{{"date", "2026-11-20"}, {"prepared_by", ""}}, "prepared_by"},
  };
  for (const auto &b : bad) {
    const CallError e = s.error("report.daily", b.args);
    EXPECT_EQ(e.status, OC_ERR_SCHEMA) << b.args;
    EXPECT_NE(e.message.find(b.message), std::string::npos) << e.message;
  }
}

TEST(MetricsCall, GroupsByAgentOverAnyRange) {
  TestHost host;
  Scenario s(host);
  play_day(s);
  const Json m = s.call("metrics", {{"from", "2026-11-20T00:00:00Z"}, {"to", "2026-11-21T00:00:00Z"},
                                    {"group_by", "agent"}});
  EXPECT_EQ(m["group_by"], "agent");
  EXPECT_EQ(m["totals"]["tickets"]["received"], 5);
  std::map<std::string, Json> groups;
  for (const auto &g : m["groups"]) groups[g["key"].get<std::string>()] = g;
  ASSERT_TRUE(groups.count("kim")) << m["groups"];
  EXPECT_EQ(groups["kim"]["tickets"]["resolved"], 1);
  EXPECT_EQ(groups["kim"]["first_response"]["mean_ms"], 4 * kMinuteMs);
  EXPECT_EQ(groups["kim"]["qa"]["scorecards"], 1);
  EXPECT_EQ(groups["kim"]["qa"]["average"], 4.67);
  EXPECT_EQ(groups["sam"]["tickets"]["pending"], 1);
  EXPECT_EQ(groups["sam"]["first_response"]["mean_ms"], 30 * kMinuteMs);
  // Only the morning: Ann's and Bob's cases.
  const Json morning = s.call("metrics", {{"from", "2026-11-20T09:00:00Z"}, {"to", "2026-11-20T10:00:00Z"}});
  EXPECT_EQ(morning["totals"]["tickets"]["received"], 2);
  EXPECT_EQ(morning["totals"]["tickets"]["resolved"], 0);
  EXPECT_EQ(morning["totals"]["tickets"]["pending"], 2);
  EXPECT_TRUE(morning["group_by"].is_null());
  EXPECT_EQ(morning["groups"], Json::array());
}

TEST(MetricsCall, ArgumentsAreStrict) {
  Scenario s;
  const std::vector<std::pair<Json, std::string>> bad = {
      {{{"from", "2026-11-20T00:00:00Z"}, {"to", "2026-11-21T00:00:00Z"}, {"by", "agent"}}, "by"},
      {{{"to", "2026-11-21T00:00:00Z"}}, "from: missing"},
      {{{"from", "yesterday"}, {"to", "2026-11-21T00:00:00Z"}}, "from: expected an RFC 3339"},
      {{{"from", "2026-11-21T00:00:00Z"}, {"to", "2026-11-20T00:00:00Z"}}, "to: must be after from"},
      {{{"from", "2024-01-01T00:00:00Z"}, {"to", "2026-01-01T00:00:00Z"}}, "366 days"},
      {{{"from", "2026-11-20T00:00:00Z"}, {"to", "2026-11-21T00:00:00Z"}, {"group_by", "mood"}}, "group_by"},
  };
  for (const auto &[args, message] : bad) {
    const CallError e = s.error("metrics", args);
    EXPECT_EQ(e.status, OC_ERR_SCHEMA) << args;
    EXPECT_NE(e.message.find(message), std::string::npos) << e.message;
  }
}

// Every instant a call takes is in the range of value_ranges.h, 1970 to
// the end of 9999: outside it is OC_ERR_SCHEMA naming the argument. The
// bounds themselves are accepted.
TEST(CallInstants, AreFrom1970ToTheEndOf9999) {
  Scenario s;
  const std::vector<std::string> outside = {"1969-12-31T23:59:59.999Z", "0001-01-01T00:00:00Z",
                                            "1970-01-01T00:30:00+01:00", "9999-12-31T23:59:59.999-00:01"};
  struct Arg {
    std::string method;
    std::string key;
    Json args;  // the other arguments
  };
  const std::vector<Arg> args = {
      {"metrics", "from", {{"to", "1970-01-02T00:00:00Z"}}},
      {"metrics", "to", {{"from", "9999-12-31T00:00:00Z"}}},
      {"escalations.log", "from", Json::object()},
      {"escalations.log", "to", Json::object()},
      {"service_log.export", "from", {{"format", "json"}}},
      {"service_log.export", "to", {{"format", "json"}}},
      {"events.list", "after", Json::object()},
  };
  for (const auto &a : args) {
    for (const auto &t : outside) {
      Json call = a.args;
      call[a.key] = t;
      const CallError e = s.error(a.method, call);
      EXPECT_EQ(e.status, OC_ERR_SCHEMA) << a.method << " " << call;
      EXPECT_NE(e.message.find(a.key + ": expected an RFC 3339 date-time from 1970-01-01T00:00:00Z to "
                                        "9999-12-31T23:59:59.999Z"),
                std::string::npos)
          << e.message;
    }
  }
  EXPECT_TRUE(s.call("metrics", {{"from", "1970-01-01T00:00:00Z"}, {"to", "1970-01-02T00:00:00Z"}}).is_object());
  EXPECT_TRUE(s.call("metrics", {{"from", "9999-12-31T00:00:00Z"}, {"to", "9999-12-31T23:59:59.999Z"}}).is_object());
  EXPECT_TRUE(s.call("escalations.log", {{"from", "1970-01-01T00:00:00Z"}, {"to", "9999-12-31T23:59:59.999Z"}})
                  .is_object());
  EXPECT_TRUE(s.call("events.list", {{"after", "1970-01-01T00:00:00Z"}}).is_object());

  for (const std::string date : {"1969-12-31", "0000-01-01", "1000-06-15"}) {
    const CallError e = s.error("report.daily", {{"date", date}});
    EXPECT_EQ(e.status, OC_ERR_SCHEMA) << date;
    EXPECT_NE(e.message.find("date: expected a calendar date as YYYY-MM-DD from 1970-01-01 to 9999-12-31"),
              std::string::npos)
        << e.message;
  }
  EXPECT_EQ(s.call("report.daily", {{"date", "1970-01-01"}, {"tz", "Asia/Tokyo"}})["content"]["from"], "1970-01-01T00:00:00Z");
  EXPECT_EQ(s.call("report.daily", {{"date", "9999-12-31"}})["content"]["to"], "9999-12-31T23:59:59.999Z");
  EXPECT_EQ(s.call("report.daily", {{"date", "9999-12-31"}, {"tz", "America/New_York"}})["content"]["to"],
            "9999-12-31T23:59:59.999Z");
}

TEST(MetricsCall, FormulasGivesTheSeedsExamples) {
  Scenario s;
  const Json r = s.call("metrics.formulas",
                        {{"crr", {{"customers_at_start", 500}, {"new_customers", 50}, {"customers_at_end", 520}}},
                         {"clv",
                          {{"average_purchase_value", {{"amount", 10000}, {"currency", "usd"}}},
                           {"purchase_frequency", 3},
                           {"customer_lifespan", 5}}},
                         {"nps", {{"promoters_percent", 70}, {"detractors_percent", 10}}},
                         {"conversion", {{"converted_leads", 40}, {"total_leads", 200}}}});
  EXPECT_EQ(r["crr_percent"], 94.0);
  EXPECT_EQ(r["clv"], (Json{{"amount", 150000}, {"currency", "USD"}}));
  EXPECT_EQ(r["nps"], 60.0);
  EXPECT_EQ(r["conversion_rate_percent"], 20.0);
  EXPECT_EQ(s.call("metrics.formulas", {{"nps", {{"promoters_percent", 70}, {"detractors_percent", 10}}}}),
            (Json{{"nps", 60.0}}));
  const std::vector<std::pair<Json, std::string>> bad = {
      {Json::object(), "at least one"},
      {{{"crr", {{"customers_at_start", 0}, {"new_customers", 0}, {"customers_at_end", 0}}}},
       "crr.customers_at_start"},
      {{{"crr", {{"customers_at_start", 5}, {"new_customers", 0}}}}, "crr.customers_at_end: missing"},
      {{{"conversion", {{"converted_leads", 3}, {"total_leads", 2}}}}, "conversion.converted_leads"},
      {{{"nps", {{"promoters_percent", 70}, {"detractors_percent", 40}}}}, "nps"},
      {{{"nps", {{"promoters_percent", 70}, {"detractors_percent", 10}, {"passives", 1}}}}, "nps.passives"},
      {{{"clv", {{"average_purchase_value", {{"amount", 100}, {"currency", "XYZW"}}},
                 {"purchase_frequency", 1}, {"customer_lifespan", 1}}}},
       "clv.average_purchase_value.currency"},
      {{{"roi", 3}}, "roi"},
  };
  for (const auto &[args, message] : bad) {
    const CallError e = s.error("metrics.formulas", args);
    EXPECT_EQ(e.status, OC_ERR_SCHEMA) << args;
    EXPECT_NE(e.message.find(message), std::string::npos) << e.message;
  }
}

TEST(QueueText, CasesListAndEscalationsLogAsAlignedText) {
  TestHost host;
  Scenario s(host);
  const Day d = play_day(s);
  const Json queue = s.call("cases.list", {{"active", true}, {"format", "text"}});
  EXPECT_EQ(queue["format"], "text");
  EXPECT_TRUE(queue["next_cursor"].is_null());
  const auto lines = lines_of(queue["content"].get<std::string>());
  ASSERT_GE(lines.size(), 3u);
  EXPECT_EQ(lines[0].rfind("| Priority | Case", 0), 0u) << lines[0];
  // P1 first: Cat's legal threat heads the queue.
  EXPECT_EQ(lines[2].rfind("| P1       | " + d.legal, 0), 0u) << lines[2];
  EXPECT_EQ(lines.size(), 2 + s.cases({{"active", true}}).size());
  for (const auto &line : lines) EXPECT_EQ(line.size(), lines[0].size()) << line;

  const Json log = s.call("escalations.log", {{"format", "text"}});
  EXPECT_EQ(log["format"], "text");
  const std::string text = log["content"].get<std::string>();
  // Red flags first, in a table of their own, then the rest.
  EXPECT_EQ(text.rfind("Red flags (", 0), 0u) << text;
  EXPECT_NE(text.find("\n| Time (UTC)       | Order ID | Customer Name"), std::string::npos) << text;
  EXPECT_NE(text.find("\nOther escalations ("), std::string::npos) << text;
  EXPECT_NE(text.find("| 2026-11-20 12:00 | C "), std::string::npos) << text;
  EXPECT_EQ(s.error("cases.list", {{"format", "csv"}}).status, OC_ERR_SCHEMA);
  EXPECT_EQ(s.error("escalations.log", {{"format", "html"}}).status, OC_ERR_SCHEMA);
}

}  // namespace
}  // namespace ordercare::testing
