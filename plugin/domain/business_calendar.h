// Business hours of a team and the arithmetic SLA clocks need on them: when
// does N ms of open time end, how much open time lies between two instants.
//
// Hours are wall-clock windows in the team's IANA zone, so 09:00-17:00 is
// eight hours on every day, DST days included. Each window's opening and
// closing wall-clock time is turned into an instant with these rules:
//   - a local time that does not exist (the spring-forward gap) is the
//     instant the gap ends, so a window inside the gap is empty that day and
//     01:00-02:30 across a 02:00->03:00 jump is one hour long;
//   - a local time that occurs twice (the fall-back hour) is its earlier
//     occurrence, so 00:00-03:00 across a 03:00->02:00 jump is four hours.
// A window closing at 24:00 ends at the next local midnight, so an overnight
// shift written as Mon 22:00-24:00 plus Tue 00:00-06:00 runs without a seam.
// Holidays close every window of that local date.
//
// The zone rules come from the system tzdata through howardhinnant's date
// library, which uses the transitions stored in the files (through 2037 on
// Debian's data); SLA deadlines are days away, never decades.
#pragma once

#include <array>
#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/json.h"
#include "common/time_format.h"

namespace ordercare::domain {

constexpr std::int32_t kMinutesPerDay = 24 * 60;

// One opening of a day: [open, close) in minutes after local midnight.
struct DayWindow {
  std::int32_t open = 0;
  std::int32_t close = 0;  // at most kMinutesPerDay
  bool operator==(const DayWindow &) const = default;
};

// A date on the calendar of the team's zone.
struct LocalDate {
  std::int32_t year = 1970;
  std::uint32_t month = 1;
  std::uint32_t day = 1;
  auto operator<=>(const LocalDate &) const = default;
};

// A half-open span of time [begin, end), UTC milliseconds.
struct Interval {
  TimeMs begin = 0;
  TimeMs end = 0;
  bool operator==(const Interval &) const = default;
};

struct BusinessHours {
  std::string zone;                            // IANA name; "" means UTC
  std::array<std::vector<DayWindow>, 7> week;  // index 0 is Monday; sorted, disjoint
  std::vector<LocalDate> holidays;             // sorted; whole local days closed

  // Open every minute of every day, with no zone needed.
  static BusinessHours around_the_clock();

  // Reads the config form, or the string "24/7" for around_the_clock():
  //   {"zone": "Europe/Berlin",
  //    "hours": {"mon": "09:00-17:00", "tue": "09:00-12:00,13:00-17:00",
  //              "sat": null, ...},
  //    "holidays": ["2026-12-25"]}
  // A day may also be a list of "HH:MM-HH:MM" strings; an absent, null or ""
  // day is closed. Throws Failure(OC_ERR_CONFIG, "<path>.<field>: ...").
  static BusinessHours from_json(const Json &config, std::string_view path);

  // Throws Failure(OC_ERR_CONFIG) naming the field under `path` unless the
  // zone is known, every window is well-formed, each day's windows are
  // sorted and disjoint, and the week has at least one window.
  void validate(std::string_view path) const;

  // True when every day is one 00:00-24:00 window and there are no holidays;
  // the arithmetic below then needs no zone at all.
  bool always_open() const;

  bool operator==(const BusinessHours &) const = default;
};

// The functions below expect hours that pass validate(); a calendar that has
// no opening for weeks in a row makes them throw Failure(OC_ERR_CONFIG)
// instead of searching forever.

bool is_open(const BusinessHours &hours, TimeMs at);

// `at` on the wall clock of the hours' zone (UTC without one): the local
// date, its weekday (0 is Monday), the minutes after local midnight, and
// the local day counted from 1970-01-01, for telling today from tomorrow.
struct LocalMoment {
  LocalDate date;
  std::int64_t day = 0;
  std::size_t weekday = 0;
  std::int32_t minute = 0;
};
LocalMoment local_moment(const BusinessHours &hours, TimeMs at);

// `at`'s date in IANA zone `zone` ("" for UTC) as "YYYY-MM-DD". Throws
// Failure(OC_ERR_CONFIG) for an unknown zone.
std::string local_date_text(const std::string &zone, TimeMs at);

// `at` itself when open, else the instant the next window opens.
TimeMs next_opening(const BusinessHours &hours, TimeMs at);

// The instant by which `duration` ms of open time have passed since
// `start`; time before the next opening does not count. A zero duration is
// `start` itself. Throws Failure(OC_ERR_INTERNAL) for a negative duration.
TimeMs add_business_time(const BusinessHours &hours, TimeMs start, TimeMs duration);

// Open milliseconds in [from, to); 0 when to <= from.
TimeMs business_time_between(const BusinessHours &hours, TimeMs from, TimeMs to);

// An SLA clock: `target` ms of business time counted from `started`,
// stopped while the case waits on the customer. `pauses` are the finished
// pauses; `paused_since` is set while one is running. The struct is plain
// data so it can be stored with the case and replayed.
struct SlaClock {
  TimeMs started = 0;
  TimeMs target = 0;
  std::vector<Interval> pauses;
  std::optional<TimeMs> paused_since;

  // Stops the clock at `at`; false (and no change) if it is already paused.
  bool pause(TimeMs at);
  // Starts it again at `at`, recording the pause; false if it was running.
  bool resume(TimeMs at);

  // Business time counted from `started` up to `now`, pauses excluded.
  TimeMs elapsed(const BusinessHours &hours, TimeMs now) const;

  // When the target is reached. While paused the remaining time is frozen
  // and there is no due time (nullopt), unless the target had already been
  // reached before the pause began: then that past instant is returned.
  std::optional<TimeMs> due(const BusinessHours &hours) const;

  bool operator==(const SlaClock &) const = default;
};

}  // namespace ordercare::domain
