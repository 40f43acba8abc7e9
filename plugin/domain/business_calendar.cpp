#include "domain/business_calendar.h"

#include <date/tz.h>

#include <algorithm>
#include <cstdio>
#include <limits>
#include <chrono>

#include "common/config_reader.h"
#include "common/failure.h"
#include "common/time_zones.h"
#include "common/value_ranges.h"

namespace ordercare::domain {

namespace {

constexpr std::array<std::string_view, 7> kDayNames = {"mon", "tue", "wed", "thu",
                                                       "fri", "sat", "sun"};

std::string format_minute(std::int32_t minute) {
  char text[32];
  std::snprintf(text, sizeof text, "%02d:%02d", minute / 60, minute % 60);
  return text;
}

std::string format_window(const DayWindow &window) {
  return format_minute(window.open) + "-" + format_minute(window.close);
}

// nullptr stands for UTC, where local time is plain arithmetic.
Zone zone_of(const BusinessHours &hours) {
  const auto zone = find_zone(hours.zone);
  if (!zone) fail(OC_ERR_CONFIG, "unknown time zone \"" + hours.zone + "\"");
  return *zone;
}

// Local days are counted from 1970-01-01, which was a Thursday.
std::size_t weekday_index(std::int64_t local_day) {
  return static_cast<std::size_t>(((local_day % 7) + 7 + 3) % 7);
}

LocalDate date_of_day(std::int64_t local_day) {
  std::int64_t year;
  unsigned month, day;
  civil_from_days(local_day, year, month, day);
  return LocalDate{static_cast<std::int32_t>(year), month, day};
}

bool is_holiday(const BusinessHours &hours, std::int64_t local_day) {
  if (hours.holidays.empty()) return false;
  return std::binary_search(hours.holidays.begin(), hours.holidays.end(),
                            date_of_day(local_day));
}

// Walks the open intervals of a calendar in time order, day by day, starting
// with the first one that ends after `from`.
class OpenIntervals {
 public:
  OpenIntervals(const BusinessHours &hours, TimeMs from)
      : hours_(hours),
        zone_(zone_of(hours)),
        from_(from),
        // A window closes by the next local midnight, so nothing from two
        // days back can still be open; one day back can (a DST overlap).
        day_(local_day_of(zone_, from) - 1),
        max_closed_days_(static_cast<std::int64_t>(14 + hours.holidays.size())) {
    load_day();
  }

  Interval next() {
    for (;;) {
      while (index_ == intervals_.size()) {
        ++day_;
        load_day();
      }
      const Interval interval = intervals_[index_++];
      if (interval.end > from_) return interval;
    }
  }

 private:
  void load_day() {
    intervals_.clear();
    index_ = 0;
    if (!is_holiday(hours_, day_)) {
      for (const DayWindow &window : hours_.week[weekday_index(day_)]) {
        const Interval interval{instant_of(zone_, day_, window.open),
                                instant_of(zone_, day_, window.close)};
        if (interval.end > interval.begin) intervals_.push_back(interval);
      }
    }
    closed_days_ = intervals_.empty() ? closed_days_ + 1 : 0;
    if (closed_days_ > max_closed_days_)
      fail(OC_ERR_CONFIG, "business hours in \"" + hours_.zone + "\" have no opening for " +
                              std::to_string(closed_days_) + " days in a row");
  }

  const BusinessHours &hours_;
  Zone zone_;
  TimeMs from_;
  std::int64_t day_;
  std::int64_t max_closed_days_;
  std::int64_t closed_days_ = 0;
  std::vector<Interval> intervals_;
  std::size_t index_ = 0;
};

// "HH:MM" with 00 <= HH <= 23, or "24:00" when `allow_midnight_end`.
std::optional<std::int32_t> parse_minute(std::string_view text, bool allow_midnight_end) {
  if (text.size() != 5 || text[2] != ':') return std::nullopt;
  for (std::size_t i : {0u, 1u, 3u, 4u})
    if (text[i] < '0' || text[i] > '9') return std::nullopt;
  const int hour = (text[0] - '0') * 10 + (text[1] - '0');
  const int minute = (text[3] - '0') * 10 + (text[4] - '0');
  if (minute > 59) return std::nullopt;
  if (hour == 24 && minute == 0 && allow_midnight_end) return kMinutesPerDay;
  if (hour > 23) return std::nullopt;
  return hour * 60 + minute;
}

std::string_view trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

DayWindow parse_window(std::string_view text, std::string_view path) {
  const std::string_view trimmed = trim(text);
  const std::size_t dash = trimmed.find('-');
  const std::string quoted = "\"" + std::string(trimmed) + "\"";
  if (dash == std::string_view::npos) config_error(path, quoted + " is not a window HH:MM-HH:MM");
  const auto open = parse_minute(trim(trimmed.substr(0, dash)), false);
  const auto close = parse_minute(trim(trimmed.substr(dash + 1)), true);
  if (!open || !close) config_error(path, quoted + " is not a window HH:MM-HH:MM");
  if (*close <= *open)
    config_error(path, quoted + " closes before it opens (write an overnight shift as "
                           "22:00-24:00 on one day and 00:00-06:00 on the next)");
  return DayWindow{*open, *close};
}

std::vector<DayWindow> parse_day(const Json &value, const std::string &path) {
  std::vector<DayWindow> windows;
  if (value.is_null()) return windows;
  if (value.is_string()) {
    const std::string &text = value.get_ref<const std::string &>();
    if (trim(text).empty()) return windows;
    std::string_view rest = text;
    for (;;) {
      const std::size_t comma = rest.find(',');
      windows.push_back(parse_window(rest.substr(0, comma), path));
      if (comma == std::string_view::npos) break;
      rest.remove_prefix(comma + 1);
    }
    return windows;
  }
  if (value.is_array()) {
    for (std::size_t i = 0; i < value.size(); ++i) {
      const std::string item_path = path + "[" + std::to_string(i) + "]";
      if (!value[i].is_string()) config_error(item_path, "expected a window \"HH:MM-HH:MM\"");
      windows.push_back(parse_window(value[i].get_ref<const std::string &>(), item_path));
    }
    return windows;
  }
  config_error(path, "expected \"HH:MM-HH:MM[,HH:MM-HH:MM...]\", a list of windows, or null");
}

// Sorted, with windows that touch ("09:00-12:00,12:00-17:00") joined;
// overlaps are left for validate() to report.
void normalize(std::vector<DayWindow> &windows) {
  std::sort(windows.begin(), windows.end(), [](const DayWindow &a, const DayWindow &b) {
    return a.open < b.open || (a.open == b.open && a.close < b.close);
  });
  std::vector<DayWindow> joined;
  for (const DayWindow &window : windows) {
    if (!joined.empty() && joined.back().close == window.open)
      joined.back().close = window.close;
    else
      joined.push_back(window);
  }
  windows = std::move(joined);
}

std::optional<LocalDate> parse_date(std::string_view text) {
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return std::nullopt;
  std::int32_t year = 0;
  std::uint32_t month = 0, day = 0;
  for (std::size_t i = 0; i < 10; ++i) {
    if (i == 4 || i == 7) continue;
    if (text[i] < '0' || text[i] > '9') return std::nullopt;
    const auto digit = static_cast<std::uint32_t>(text[i] - '0');
    if (i < 4)
      year = year * 10 + static_cast<std::int32_t>(digit);
    else if (i < 7)
      month = month * 10 + digit;
    else
      day = day * 10 + digit;
  }
  const LocalDate date{year, month, day};
  if (month < 1 || month > 12 || day < 1) return std::nullopt;
  // Round-tripping through the day count rejects 2026-02-30 and the like.
  if (date_of_day(days_from_civil(year, month, day)) != date) return std::nullopt;
  return date;
}

std::vector<LocalDate> parse_holidays(const Json &value, const std::string &path) {
  std::vector<LocalDate> holidays;
  if (value.is_null()) return holidays;
  if (!value.is_array()) config_error(path, "expected a list of dates \"YYYY-MM-DD\"");
  for (std::size_t i = 0; i < value.size(); ++i) {
    const std::string item_path = path + "[" + std::to_string(i) + "]";
    const auto date = value[i].is_string()
                          ? parse_date(value[i].get_ref<const std::string &>())
                          : std::nullopt;
    if (!date) config_error(item_path, "expected a date \"YYYY-MM-DD\"");
    holidays.push_back(*date);
  }
  std::sort(holidays.begin(), holidays.end());
  holidays.erase(std::unique(holidays.begin(), holidays.end()), holidays.end());
  return holidays;
}

}  // namespace

BusinessHours BusinessHours::around_the_clock() {
  BusinessHours hours;
  for (auto &day : hours.week) day.push_back(DayWindow{0, kMinutesPerDay});
  return hours;
}

BusinessHours BusinessHours::from_json(const Json &config, std::string_view path) {
  if (config.is_string() && config.get_ref<const std::string &>() == "24/7")
    return around_the_clock();
  if (!config.is_object()) config_error(path, "expected an object or \"24/7\"");
  for (const auto &[key, value] : config.items()) {
    if (key != "zone" && key != "hours" && key != "holidays")
      config_error(join_path(path, key), "unknown field (expected zone, hours, holidays)");
  }

  BusinessHours hours;
  const std::string zone_path = join_path(path, "zone");
  const auto zone = config.find("zone");
  if (zone == config.end() || !zone->is_string() || zone->get_ref<const std::string &>().empty())
    config_error(zone_path, "expected an IANA time zone name such as \"Europe/Berlin\"");
  hours.zone = zone->get<std::string>();

  const std::string hours_path = join_path(path, "hours");
  const auto week = config.find("hours");
  if (week == config.end() || !week->is_object())
    config_error(hours_path, "expected an object with windows per day (\"mon\": \"09:00-17:00\")");
  for (const auto &[key, value] : week->items()) {
    const auto name = std::find(kDayNames.begin(), kDayNames.end(), key);
    if (name == kDayNames.end())
      config_error(join_path(hours_path, key),
                   "unknown day (expected mon, tue, wed, thu, fri, sat, sun)");
    auto &windows = hours.week[static_cast<std::size_t>(name - kDayNames.begin())];
    windows = parse_day(value, join_path(hours_path, key));
    normalize(windows);
  }

  if (const auto holidays = config.find("holidays"); holidays != config.end())
    hours.holidays = parse_holidays(*holidays, join_path(path, "holidays"));

  hours.validate(path);
  return hours;
}

void BusinessHours::validate(std::string_view path) const {
  if (!is_known_zone(zone))
    config_error(join_path(path, "zone"), "unknown time zone \"" + zone + "\"");
  bool any_window = false;
  for (std::size_t d = 0; d < week.size(); ++d) {
    const std::string day_path = join_path(join_path(path, "hours"), kDayNames[d]);
    const std::vector<DayWindow> &windows = week[d];
    for (std::size_t i = 0; i < windows.size(); ++i) {
      const DayWindow &window = windows[i];
      if (window.open < 0 || window.close > kMinutesPerDay || window.open >= window.close)
        config_error(day_path, "window " + std::to_string(window.open) + "-" +
                                   std::to_string(window.close) +
                                   " is not within 00:00-24:00 with open before close");
      if (i > 0 && windows[i - 1].close > window.open)
        config_error(day_path, "windows " + format_window(windows[i - 1]) + " and " +
                                   format_window(window) + " overlap or are out of order");
      any_window = true;
    }
  }
  if (!any_window) config_error(join_path(path, "hours"), "no open hours on any day of the week");
  if (!std::is_sorted(holidays.begin(), holidays.end()))
    config_error(join_path(path, "holidays"), "dates are not in order");
}

bool BusinessHours::always_open() const {
  if (!holidays.empty()) return false;
  return std::all_of(week.begin(), week.end(), [](const std::vector<DayWindow> &day) {
    return day.size() == 1 && day.front() == DayWindow{0, kMinutesPerDay};
  });
}

std::string local_date_text(const std::string &zone, TimeMs at) {
  BusinessHours hours = BusinessHours::around_the_clock();
  hours.zone = zone;
  const LocalDate date = local_moment(hours, at).date;
  char text[16];
  std::snprintf(text, sizeof text, "%04d-%02u-%02u", date.year, date.month, date.day);
  return text;
}

LocalMoment local_moment(const BusinessHours &hours, TimeMs at) {
  const Zone zone = zone_of(hours);
  const std::chrono::milliseconds since_epoch(at);
  const date::local_time<std::chrono::milliseconds> local =
      zone == nullptr ? date::local_time<std::chrono::milliseconds>(since_epoch)
                      : zone->to_local(date::sys_time<std::chrono::milliseconds>(since_epoch));
  const auto midnight = date::floor<date::days>(local);
  const date::year_month_day ymd(midnight);
  LocalMoment out;
  out.date = {static_cast<int>(ymd.year()), static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day())};
  out.day = midnight.time_since_epoch().count();
  out.weekday = weekday_index(out.day);
  out.minute = static_cast<std::int32_t>(
      std::chrono::duration_cast<std::chrono::minutes>(local - midnight).count());
  return out;
}

bool is_open(const BusinessHours &hours, TimeMs at) {
  if (hours.always_open()) return true;
  at = clamp_time(at);
  return OpenIntervals(hours, at).next().begin <= at;
}

TimeMs next_opening(const BusinessHours &hours, TimeMs at) {
  if (hours.always_open()) return at;
  at = clamp_time(at);
  return std::min(std::max(at, OpenIntervals(hours, at).next().begin), kMaxTimeMs);
}

TimeMs add_business_time(const BusinessHours &hours, TimeMs start, TimeMs duration) {
  if (duration < 0)
    fail(OC_ERR_INTERNAL, "add_business_time: negative duration " + std::to_string(duration));
  if (duration == 0) return start;
  // Open time passes no faster than time itself: what would end after the
  // last instant ends at it, and nothing is added past INT64_MAX.
  start = clamp_time(start);
  if (duration > kMaxTimeMs - start) return kMaxTimeMs;
  if (hours.always_open()) return start + duration;
  OpenIntervals intervals(hours, start);
  for (;;) {
    const Interval interval = intervals.next();
    const TimeMs from = std::max(interval.begin, start);
    if (duration <= interval.end - from) return std::min(from + duration, kMaxTimeMs);
    duration -= interval.end - from;
  }
}

TimeMs business_time_between(const BusinessHours &hours, TimeMs from, TimeMs to) {
  from = clamp_time(from);
  to = clamp_time(to);
  if (to <= from) return 0;
  if (hours.always_open()) return to - from;
  TimeMs total = 0;
  OpenIntervals intervals(hours, from);
  for (;;) {
    const Interval interval = intervals.next();
    if (interval.begin >= to) return total;
    total += std::min(interval.end, to) - std::max(interval.begin, from);
  }
}

namespace {

// The spans in which an SLA clock runs, in order: from `started` to the
// first pause, between pauses, and after the last one (open-ended unless a
// pause is running). Pauses before the start or overlapping are tolerated.
std::vector<Interval> running_spans(const SlaClock &clock) {
  std::vector<Interval> pauses = clock.pauses;
  std::sort(pauses.begin(), pauses.end(),
            [](const Interval &a, const Interval &b) { return a.begin < b.begin; });
  std::vector<Interval> spans;
  TimeMs cursor = clock.started;
  for (const Interval &pause : pauses) {
    if (pause.begin > cursor) spans.push_back(Interval{cursor, pause.begin});
    cursor = std::max(cursor, pause.end);
  }
  const TimeMs end = clock.paused_since ? std::max(cursor, *clock.paused_since)
                                        : std::numeric_limits<TimeMs>::max();
  spans.push_back(Interval{cursor, end});
  return spans;
}

}  // namespace

bool SlaClock::pause(TimeMs at) {
  if (paused_since) return false;
  paused_since = at;
  return true;
}

bool SlaClock::resume(TimeMs at) {
  if (!paused_since) return false;
  pauses.push_back(Interval{*paused_since, std::max(at, *paused_since)});
  paused_since.reset();
  return true;
}

TimeMs SlaClock::elapsed(const BusinessHours &hours, TimeMs now) const {
  TimeMs total = 0;
  for (const Interval &span : running_spans(*this)) {
    if (span.begin >= now) break;
    total += business_time_between(hours, span.begin, std::min(span.end, now));
  }
  return total;
}

std::optional<TimeMs> SlaClock::due(const BusinessHours &hours) const {
  const std::vector<Interval> spans = running_spans(*this);
  TimeMs remaining = std::max<TimeMs>(target, 0);
  for (std::size_t i = 0; i + 1 < spans.size(); ++i) {
    const TimeMs available = business_time_between(hours, spans[i].begin, spans[i].end);
    if (available >= remaining) return add_business_time(hours, spans[i].begin, remaining);
    remaining -= available;
  }
  const Interval &last = spans.back();
  if (!paused_since) return add_business_time(hours, last.begin, remaining);
  if (business_time_between(hours, last.begin, last.end) >= remaining)
    return add_business_time(hours, last.begin, remaining);
  return std::nullopt;
}

}  // namespace ordercare::domain
