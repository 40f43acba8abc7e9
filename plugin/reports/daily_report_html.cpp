// The daily report as a page: red flags first, the headline numbers against
// the day before and the 7-day average, inline SVG charts (SLA attainment
// per priority, volume by hour and by issue type, the backlog, CSAT, refund
// time, the last days), the team's tables, and the escalations after. One
// file with no script and nothing loaded from elsewhere; a flexible layout
// that fits a phone's width and prints on paper. Every text value is
// escaped: customer names and issues are what customers wrote.
#include <algorithm>
#include <cmath>
#include <cstdio>

#include "common/text_table.h"
#include "reports/daily_report.h"
#include "domain/sla_clocks.h"

namespace ordercare::reports {

namespace {

// A busy day stays a page: the lists and the escalations table show this
// many rows, then say how many more the JSON and escalations.log have.
constexpr std::size_t kMaxListed = 50;
constexpr std::size_t kMaxEscalationRows = 200;

constexpr const char *kReceived = "#3867b0";
constexpr const char *kResolved = "#3f9250";
constexpr const char *kBacklog = "#c9791e";
constexpr const char *kBreached = "#c0392b";
constexpr const char *kNeutral = "#8a96a3";

const char *kStyle =
    "*{box-sizing:border-box}\n"
    "body{font-family:system-ui,-apple-system,\"Segoe UI\",Roboto,sans-serif;margin:0;color:#1d2733;"
    "background:#f3f5f7;line-height:1.4}\n"
    "main{max-width:1100px;margin:0 auto;padding:16px}\n"
    "h1{font-size:1.5em;margin:.2em 0}\nh2{font-size:1.15em;margin:1.4em 0 .5em}\nh3{font-size:1em;margin:.8em 0 .3em}\n"
    ".meta{color:#4b5763;margin:0}\n"
    ".panel{background:#fff;border:1px solid #d3d9df;border-radius:6px;padding:8px 14px}\n"
    ".flags{border-left:6px solid #c0392b}\n.calm{border-left:6px solid #3f9250}\n"
    ".cards{display:flex;flex-wrap:wrap;gap:10px}\n"
    ".card{flex:1 1 150px;min-width:0;background:#fff;border:1px solid #d3d9df;border-radius:6px;padding:8px 10px}\n"
    ".card .label{font-size:.85em;color:#4b5763}\n.card .value{font-size:1.4em;font-weight:600}\n"
    ".card .delta{font-size:.8em;color:#4b5763}\n"
    ".charts{display:grid;grid-template-columns:repeat(auto-fill,minmax(min(100%,440px),1fr));gap:12px}\n"
    "figure.chart{min-width:0;margin:0;background:#fff;border:1px solid #d3d9df;border-radius:6px;"
    "padding:8px}\n"
    "figcaption{font-weight:600;margin-bottom:4px}\n"
    "svg{display:block;width:100%;height:auto}\n"
    ".scroll{overflow-x:auto;max-width:100%}\n"
    "table{border-collapse:collapse;width:100%;background:#fff;font-size:.9em}\n"
    "th,td{border:1px solid #c8d0d8;padding:4px 6px;text-align:left;vertical-align:top;overflow-wrap:anywhere}\n"
    "th{background:#e8ecf0}\ntd.num{text-align:right}\n"
    "ul{padding-left:1.2em;margin:.3em 0}\nli{overflow-wrap:anywhere}\n"
    ".red{color:#a5281b;font-weight:600}\n"
    "@media (max-width:480px){main{padding:8px}.card{flex-basis:130px}th,td{padding:3px 4px}}\n"
    "@media print{body{background:#fff;font-size:10pt}main{max-width:none;padding:0}"
    ".card,figure.chart,.panel,tr{break-inside:avoid}h2{break-after:avoid}.scroll{overflow:visible}"
    "*{-webkit-print-color-adjust:exact;print-color-adjust:exact}}\n";

std::string number_text(double v, int decimals) {
  char text[64];
  std::snprintf(text, sizeof text, "%.*f", decimals, v);
  return text;
}

// SVG coordinates: one decimal is finer than any screen.
std::string at(double v) { return number_text(std::round(v * 10) / 10, 1); }

std::string value_text(const std::string &unit, double v) {
  if (unit == "ms") return humanize_duration(static_cast<TimeMs>(v));
  if (unit == "percent") return number_text(v, 1) + "%";
  return number_text(v, std::floor(v) == v ? 0 : 1);
}

// "+3", "-2 hours", "+1.5 pts", "no change".
std::string change_text(const std::string &unit, double now, double before) {
  const double d = now - before;
  if (std::fabs(d) < (unit == "ms" ? 1000.0 : 0.05)) return "no change";
  const std::string sign = d > 0 ? "+" : "\xE2\x88\x92";  // U+2212 minus
  if (unit == "percent") return sign + number_text(std::fabs(d), 1) + " pts";
  return sign + value_text(unit, std::fabs(d));
}

std::string headline_card(const DailyReport &r, const Headline &h) {
  std::string out = "<div class=\"card\" data-metric=\"" + html_escape(h.metric) + "\"><div class=\"label\">" +
                    html_escape(h.label) + "</div><div class=\"value\">" +
                    (h.value ? html_escape(value_text(h.unit, *h.value)) : "&#8211;") + "</div><div class=\"delta\">";
  out += r.days == 1 ? "vs day before: " : "vs previous period: ";
  out += h.value && h.previous_day ? html_escape(change_text(h.unit, *h.value, *h.previous_day)) : "no data";
  out += r.days == 1 ? "<br>7-day average: " : "<br>average of the 7 before: ";
  out += h.average_7_days ? html_escape(value_text(h.unit, h.unit == "count" ? std::round(*h.average_7_days * 10) / 10
                                                                           : *h.average_7_days))
                          : "no data";
  out += "</div></div>\n";
  return out;
}

// The smallest 1, 2 or 5 times a power of ten at or above `v` (at least 1).
double nice_ceiling(double v) {
  if (v <= 1) return 1;
  const double base = std::pow(10.0, std::floor(std::log10(v)));
  for (const double step : {1.0, 2.0, 5.0, 10.0})
    if (step * base >= v) return step * base;
  return 10 * base;
}

struct Series {
  std::string name;
  const char *colour;
  std::vector<double> values;
};

// A chart: a figure with its caption, the SVG scaled to the figure's width,
// a legend, and "No data" written across an empty one.
class Chart {
 public:
  Chart(std::string id, std::string title, int height) : id_(std::move(id)), title_(std::move(title)), height_(height) {}

  void add(std::string element) { body_ += element + "\n"; }
  void text(double x, double y, const std::string &words, const char *anchor = "middle", int size = 11,
            const char *fill = "#4b5763") {
    add("<text x=\"" + at(x) + "\" y=\"" + at(y) + "\" text-anchor=\"" + anchor + "\" font-size=\"" +
        std::to_string(size) + "\" fill=\"" + fill + "\">" + html_escape(words) + "</text>");
  }
  void line(double x1, double y1, double x2, double y2, const char *stroke = "#c8d0d8") {
    add("<line x1=\"" + at(x1) + "\" y1=\"" + at(y1) + "\" x2=\"" + at(x2) + "\" y2=\"" + at(y2) + "\" stroke=\"" +
        stroke + "\" stroke-width=\"1\"/>");
  }
  void bar(double x, double y, double w, double h, const char *fill, const std::string &tip) {
    if (h <= 0 || w <= 0) return;
    add("<rect class=\"mark\" x=\"" + at(x) + "\" y=\"" + at(y) + "\" width=\"" + at(w) + "\" height=\"" + at(h) +
        "\" fill=\"" + fill + "\"><title>" + html_escape(tip) + "</title></rect>");
  }
  void legend(const std::vector<Series> &series) {
    double x = kWidth - 8;
    for (auto s = series.rbegin(); s != series.rend(); ++s) {
      text(x, 14, s->name, "end");
      x -= 6.0 * static_cast<double>(s->name.size()) + 4;
      add("<rect x=\"" + at(x - 10) + "\" y=\"5\" width=\"10\" height=\"10\" fill=\"" + s->colour + "\"/>");
      x -= 22;
    }
  }
  void no_data() { text(kWidth / 2.0, height_ / 2.0, "No data for this day", "middle", 14); }

  std::string render() const {
    return "<figure class=\"chart\" id=\"chart-" + id_ + "\"><figcaption>" + html_escape(title_) +
           "</figcaption>\n<svg viewBox=\"0 0 " + std::to_string(kWidth) + " " + std::to_string(height_) +
           "\" width=\"100%\" role=\"img\" aria-label=\"" + html_escape(title_) + "\" xmlns=\"http://www.w3.org/2000/svg\">\n" +
           body_ + "</svg></figure>\n";
  }

  static constexpr int kWidth = 480;
  int height() const { return height_; }

 private:
  std::string id_, title_;
  int height_;
  std::string body_;
};

bool all_zero(const std::vector<Series> &series) {
  for (const auto &s : series)
    for (const double v : s.values)
      if (v != 0) return false;
  return true;
}

// Grouped vertical bars over `labels`, each `label_every`-th label written.
std::string column_chart(const std::string &id, const std::string &title, const std::vector<std::string> &labels,
                         const std::vector<Series> &series, std::size_t label_every = 1) {
  Chart chart(id, title, 240);
  const double left = 44, right = Chart::kWidth - 8, top = 26, bottom = chart.height() - 26;
  double max = 0;
  for (const auto &s : series)
    for (const double v : s.values) max = std::max(max, v);
  const double scale_max = nice_ceiling(max);
  for (const double f : {0.0, 0.5, 1.0}) {
    const double y = bottom - f * (bottom - top);
    chart.line(left, y, right, y);
    chart.text(left - 6, y + 4, number_text(f * scale_max, scale_max < 2 ? 1 : 0), "end");
  }
  const double slot = labels.empty() ? 0 : (right - left) / static_cast<double>(labels.size());
  const double width = slot * 0.8 / static_cast<double>(std::max<std::size_t>(series.size(), 1));
  for (std::size_t i = 0; i < labels.size(); ++i) {
    const double x0 = left + slot * static_cast<double>(i) + slot * 0.1;
    for (std::size_t k = 0; k < series.size(); ++k) {
      const double v = i < series[k].values.size() ? series[k].values[i] : 0;
      const double h = v / scale_max * (bottom - top);
      chart.bar(x0 + width * static_cast<double>(k), bottom - h, width, h, series[k].colour,
                labels[i] + ": " + series[k].name + " " + number_text(v, 0));
    }
    if (i % label_every == 0) chart.text(left + slot * (static_cast<double>(i) + 0.5), bottom + 16, labels[i]);
  }
  chart.line(left, bottom, right, bottom, "#4b5763");
  if (series.size() > 1) chart.legend(series);
  if (all_zero(series)) chart.no_data();
  return chart.render();
}

// Horizontal bars, one group per row; `max` fixes the scale (100 for percents).
std::string bar_chart(const std::string &id, const std::string &title, const std::vector<std::string> &rows,
                      const std::vector<Series> &series, std::optional<double> fixed_max,
                      const std::vector<std::vector<std::string>> &notes) {
  const double row_height = 12.0 * static_cast<double>(std::max<std::size_t>(series.size(), 1)) + 10;
  const int height = static_cast<int>(34 + row_height * static_cast<double>(std::max<std::size_t>(rows.size(), 3)) + 10);
  Chart chart(id, title, height);
  const double left = 160, right = Chart::kWidth - 80, top = 30;
  double max = 0;
  for (const auto &s : series)
    for (const double v : s.values) max = std::max(max, v);
  const double scale_max = fixed_max.value_or(nice_ceiling(max));
  chart.line(left, top - 4, left, top + row_height * static_cast<double>(rows.size()), "#4b5763");
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const double y0 = top + row_height * static_cast<double>(i);
    chart.text(left - 6, y0 + row_height / 2 + 3, rows[i], "end", 11, "#1d2733");
    for (std::size_t k = 0; k < series.size(); ++k) {
      const double v = i < series[k].values.size() ? series[k].values[i] : 0;
      const double w = std::max(0.0, v) / scale_max * (right - left);
      const double y = y0 + 4 + 12.0 * static_cast<double>(k);
      chart.bar(left, y, w, 10, series[k].colour, rows[i] + ": " + series[k].name + " " + number_text(v, 1));
      const std::string note = k < notes.size() && i < notes[k].size() ? notes[k][i] : number_text(v, 0);
      chart.text(left + w + 4, y + 9, note, "start", 10);
    }
  }
  if (series.size() > 1) chart.legend(series);
  if (all_zero(series)) chart.no_data();
  return chart.render();
}

// A line of the backlog through the day, its points marked.
std::string line_chart(const std::string &id, const std::string &title, const std::vector<std::string> &labels,
                       const std::vector<double> &values, std::size_t label_every) {
  Chart chart(id, title, 220);
  const double left = 44, right = Chart::kWidth - 8, top = 20, bottom = chart.height() - 26;
  const double max = values.empty() ? 0 : *std::max_element(values.begin(), values.end());
  const double scale_max = nice_ceiling(max);
  for (const double f : {0.0, 0.5, 1.0}) {
    const double y = bottom - f * (bottom - top);
    chart.line(left, y, right, y);
    chart.text(left - 6, y + 4, number_text(f * scale_max, scale_max < 2 ? 1 : 0), "end");
  }
  const double step = values.size() > 1 ? (right - left) / static_cast<double>(values.size() - 1) : 0;
  std::string points;
  for (std::size_t i = 0; i < values.size(); ++i) {
    const double x = left + step * static_cast<double>(i);
    const double y = bottom - values[i] / scale_max * (bottom - top);
    points += (points.empty() ? "" : " ") + at(x) + "," + at(y);
    chart.add("<circle class=\"mark\" cx=\"" + at(x) + "\" cy=\"" + at(y) + "\" r=\"2.5\" fill=\"" + kBacklog +
              "\"><title>" + html_escape(labels[i] + ": " + number_text(values[i], 0)) + "</title></circle>");
    if (i % label_every == 0) chart.text(x, bottom + 16, labels[i]);
  }
  if (!points.empty())
    chart.add("<polyline class=\"mark\" points=\"" + points + "\" fill=\"none\" stroke=\"" + kBacklog +
              "\" stroke-width=\"2\"/>");
  chart.line(left, bottom, right, bottom, "#4b5763");
  if (max == 0) chart.no_data();
  return chart.render();
}

// Hours as "09", days as "11-20"; a label every 3 hours, or 8 labels at most.
std::string bucket_label(const DailyReport &r, const HourCount &h) {
  return r.days == 1 ? h.label.substr(0, 2) : h.label.substr(5);
}

std::size_t label_step(const DailyReport &r) {
  return r.days == 1 ? 3 : static_cast<std::size_t>((r.by_hour.size() + 7) / 8);
}

std::string charts(const DailyReport &r) {
  std::string out;
  // SLA attainment per priority.
  {
    std::vector<std::string> rows;
    Series first{"First response", kReceived, {}};
    Series resolution{"Resolution", kResolved, {}};
    std::vector<std::vector<std::string>> notes(2);
    for (const auto &a : r.sla) {
      Series &s = a.clock == "first_response" ? first : resolution;
      const std::string label = "P" + std::to_string(static_cast<int>(a.priority));
      if (a.clock == "first_response") rows.push_back(label);
      s.values.push_back(a.percent.value_or(0));
      notes[a.clock == "first_response" ? 0 : 1].push_back(
          a.percent ? number_text(*a.percent, 0) + "% (" + std::to_string(a.met) + "/" +
                          std::to_string(a.met + a.breached) + ")"
                    : "no clocks");
    }
    out += bar_chart("sla", "SLA attainment per priority (met in the day, against met + breached)", rows,
                     {first, resolution}, 100.0, notes);
  }
  // Volume by hour.
  {
    std::vector<std::string> labels;
    Series received{"Received", kReceived, {}}, resolved{"Resolved", kResolved, {}};
    for (const auto &h : r.by_hour) {
      labels.push_back(bucket_label(r, h));
      received.values.push_back(static_cast<double>(h.received));
      resolved.values.push_back(static_cast<double>(h.resolved));
    }
    out += column_chart("hourly", std::string(r.days == 1 ? "Volume by hour (" : "Volume by day (") + r.zone + ")",
                        labels, {received, resolved}, label_step(r));
  }
  // Volume by issue type.
  {
    std::vector<std::string> rows;
    Series received{"Received", kReceived, {}}, pending{"Pending", kBacklog, {}};
    for (const auto &c : r.by_category) {
      rows.push_back(std::string(label(c.type)));
      received.values.push_back(static_cast<double>(c.received));
      pending.values.push_back(static_cast<double>(c.pending));
    }
    out += bar_chart("types", "Volume by issue type", rows, {received, pending}, std::nullopt, {});
  }
  // Backlog through the day.
  {
    std::vector<std::string> labels;
    std::vector<double> values;
    for (const auto &h : r.by_hour) {
      labels.push_back(bucket_label(r, h));
      values.push_back(static_cast<double>(h.backlog));
    }
    out += line_chart("backlog", r.days == 1 ? "Backlog at the end of each hour" : "Backlog at the end of each day",
                      labels, values, label_step(r));
  }
  // The last days.
  {
    std::vector<std::string> labels;
    Series received{"Received", kReceived, {}}, resolved{"Resolved", kResolved, {}}, pending{"Pending", kBacklog, {}};
    for (const auto &d : r.trend) {
      labels.push_back(format_local_date(d.date).substr(5));
      received.values.push_back(static_cast<double>(d.totals.received));
      resolved.values.push_back(static_cast<double>(d.totals.resolved));
      pending.values.push_back(static_cast<double>(d.totals.pending));
    }
    out += column_chart("trend",
                        "Backlog trend: the last " + std::to_string(r.trend.size()) +
                            (r.days == 1 ? " days" : " periods of " + std::to_string(r.days) + " days"),
                        labels,
                        {received, resolved, pending});
  }
  // CSAT distribution.
  {
    std::vector<std::string> labels = {"1", "2", "3", "4", "5"};
    Series ratings{"Ratings", kNeutral, {}};
    for (const auto n : r.csat_ratings) ratings.values.push_back(static_cast<double>(n));
    out += column_chart("csat",
                        r.days == 1 ? "CSAT ratings (1-5) on the day's resolutions"
                                    : "CSAT ratings (1-5) on the period's resolutions",
                        labels, {ratings});
  }
  // Refund time: the last bucket missed seed 000's 7 days, in red.
  {
    std::vector<std::string> rows;
    Series on_time{"Within 7 days", kResolved, {}};
    Series late{"7 days or more", kBreached, {}};
    std::vector<std::vector<std::string>> notes(2);
    for (const auto &b : r.refund_times) {
      const bool is_late = b.up_to == 0;
      const auto count = static_cast<double>(b.count);
      rows.push_back(b.label);
      on_time.values.push_back(is_late ? 0 : count);
      late.values.push_back(is_late ? count : 0);
      notes[0].push_back(is_late ? "" : std::to_string(b.count));
      notes[1].push_back(is_late ? std::to_string(b.count) : "");
    }
    out += bar_chart("refunds", "Refund time, asked to paid (goal: under 7 days)", rows, {on_time, late},
                     std::nullopt, notes);
  }
  return out;
}

std::string cell(const std::string &text, bool numeric = false) {
  return std::string(numeric ? "<td class=\"num\">" : "<td>") + html_escape(text) + "</td>";
}

std::string escalation_row(const DailyReport &r, const EscalationLine &e) {
  return "<tr>" + cell(local_time_text(r, e.at)) + cell(e.order_id.value_or("")) + cell(e.customer_name.value_or("")) +
         cell(e.issue) + cell(e.promised_resolution ? local_time_text(r, *e.promised_resolution) : "") +
         cell(e.action_taken) + cell(e.resolved ? "Resolved" : "Open") + cell(e.resolved_by.value_or("")) + "</tr>\n";
}

std::string list_of(const std::vector<std::string> &items, const char *none) {
  if (items.empty()) return std::string("<p>") + none + "</p>\n";
  std::string out = "<ul>\n";
  for (std::size_t i = 0; i < items.size() && i < kMaxListed; ++i) out += "<li>" + html_escape(items[i]) + "</li>\n";
  if (items.size() > kMaxListed)
    out += "<li>... and " + std::to_string(items.size() - kMaxListed) + " more (report.daily as JSON)</li>\n";
  return out + "</ul>\n";
}

std::string red_flags(const DailyReport &r) {
  std::vector<const EscalationLine *> flags;
  for (const auto &e : r.escalations)
    if (e.kind == "red_flag") flags.push_back(&e);
  std::size_t open = 0;
  for (const auto *e : flags) open += e->resolved ? 0 : 1;
  std::string out = "<section id=\"red-flags\" class=\"panel " + std::string(flags.empty() ? "calm" : "flags") +
                    "\">\n<h2>Red flags: " + std::to_string(flags.size()) + " (" + std::to_string(open) +
                    " open)</h2>\n";
  if (flags.empty()) {
    out += (r.days == 1 ? "<p>No red flags today.</p>\n" : "<p>No red flags in the period.</p>\n");
  } else {
    out += "<ul>\n";
    for (std::size_t i = 0; i < flags.size() && i < kMaxListed; ++i) {
      const EscalationLine &e = *flags[i];
      out += "<li><strong>" + html_escape(local_time_text(r, e.at)) + "</strong> ";
      if (e.order_id) out += "order " + html_escape(*e.order_id) + " ";
      if (e.customer_name) out += "(" + html_escape(*e.customer_name) + ") ";
      out += "&#8212; " + html_escape(e.issue) + " &#8212; ";
      out += e.resolved ? "resolved" + (e.resolved_by ? " by " + html_escape(*e.resolved_by) : std::string())
                        : std::string("<span class=\"red\">open</span>");
      out += "</li>\n";
    }
    if (flags.size() > kMaxListed)
      out += "<li>... and " + std::to_string(flags.size() - kMaxListed) + " more in the escalations below</li>\n";
    out += "</ul>\n";
  }
  out += "<h3>Notable issues</h3>\n" + list_of(r.notable_issues, "None.");
  return out + "</section>\n";
}

std::string tables(const DailyReport &r) {
  std::string out = "<h2>Team highlights</h2>\n<div class=\"panel\">\n" + list_of(r.team_highlights, "None.") +
                    "</div>\n<h2>Tickets by category</h2>\n<div class=\"scroll\"><table>\n<thead><tr><th>Category</th>"
                    "<th>Received</th><th>Resolved</th><th>Pending</th><th>Escalations</th></tr></thead>\n<tbody>\n";
  for (const auto &c : r.by_category)
    out += "<tr>" + cell(std::string(label(c.type))) + cell(std::to_string(c.received), true) +
           cell(std::to_string(c.resolved), true) + cell(std::to_string(c.pending), true) +
           cell(std::to_string(c.escalations), true) + "</tr>\n";
  if (r.by_category.empty()) out += "<tr><td colspan=\"5\">None</td></tr>\n";
  out += "</tbody>\n</table></div>\n<h2>Team performance</h2>\n<div class=\"scroll\"><table>\n<thead><tr>"
         "<th>Metric</th><th>Goal</th><th>Team Average</th><th>Top Performer</th><th>Comments/Actions</th></tr>"
         "</thead>\n<tbody>\n";
  for (const auto &row : r.dashboard) {
    std::string top = "-";
    if (row.top_performer) top = row.top_performer->agent + " (" + dashboard_value(row, row.top_performer->value) + ")";
    out += "<tr>" + cell(row.label) + cell(row.goal) +
           cell(row.team_average ? dashboard_value(row, *row.team_average) : "-") + cell(top) +
           cell(dashboard_comment(row)) + "</tr>\n";
  }
  out += "</tbody>\n</table></div>\n";
  return out;
}

std::string escalations(const DailyReport &r) {
  std::string out = "<section id=\"escalations\">\n<h2>Escalations: " + html_escape(escalations_text(r)) +
                    "</h2>\n<div class=\"scroll\"><table>\n<thead><tr><th>Time</th><th>Order ID</th>"
                    "<th>Customer Name</th><th>Issue</th><th>Promised Resolution</th><th>Action Taken</th>"
                    "<th>Status</th><th>Resolved By</th></tr></thead>\n<tbody>\n";
  for (std::size_t i = 0; i < r.escalations.size() && i < kMaxEscalationRows; ++i)
    out += escalation_row(r, r.escalations[i]);
  if (r.escalations.empty()) out += "<tr><td colspan=\"8\">None</td></tr>\n";
  if (r.escalations.size() > kMaxEscalationRows)
    out += "<tr><td colspan=\"8\">... and " + std::to_string(r.escalations.size() - kMaxEscalationRows) +
           " more (escalations.log has them all)</td></tr>\n";
  return out + "</tbody>\n</table></div>\n</section>\n";
}

}  // namespace

std::string render_html(const DailyReport &r) {
  const std::string title = report_title(r) + " - " + period_text(r);
  std::string out = "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
                    "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>" +
                    html_escape(title) + "</title>\n<style>\n" + kStyle + "</style>\n</head>\n<body>\n<main>\n";
  out += "<header><h1>" + html_escape(report_title(r)) + "</h1>\n<p class=\"meta\">Date: " +
         html_escape(period_text(r) + " (" + r.zone + ")") +
         " &#183; Prepared By: " + html_escape(r.prepared_by) + "</p></header>\n";
  out += red_flags(r);
  out += "<section id=\"headlines\">\n<h2>" + std::string(r.days == 1 ? "The day" : "The period") +
         " in numbers</h2>\n<div class=\"cards\">\n";
  for (const auto &h : r.headlines) out += headline_card(r, h);
  out += "</div>\n</section>\n<section id=\"charts\">\n<h2>Charts</h2>\n<div class=\"charts\">\n" + charts(r) +
         "</div>\n</section>\n";
  out += tables(r);
  out += escalations(r);
  out += "</main>\n</body>\n</html>\n";
  return out;
}

}  // namespace ordercare::reports
