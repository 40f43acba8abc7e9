#include "domain/business_calendar.h"

#include <gtest/gtest.h>

#include <cstdint>

#include "common/failure.h"
#include "common/value_ranges.h"

namespace ordercare::domain {
namespace {

TimeMs at(const char *rfc3339) {
  const auto ms = parse_rfc3339(rfc3339);
  if (!ms) throw std::invalid_argument(rfc3339);
  return *ms;
}

BusinessHours hours_from(const char *json) {
  return BusinessHours::from_json(parse_json(json, "config"), "teams.support.business_hours");
}

// Mon-Fri 09:00-17:00 in Berlin, the shape most teams have.
BusinessHours berlin_office() {
  return hours_from(R"({"zone": "Europe/Berlin", "hours": {
      "mon": "09:00-17:00", "tue": "09:00-17:00", "wed": "09:00-17:00",
      "thu": "09:00-17:00", "fri": "09:00-17:00", "sat": null, "sun": null}})");
}

BusinessHours every_day(const char *zone, const char *window) {
  Json config = {{"zone", zone}, {"hours", Json::object()}};
  for (const char *day : {"mon", "tue", "wed", "thu", "fri", "sat", "sun"})
    config["hours"][day] = window;
  return BusinessHours::from_json(config, "business_hours");
}

std::string config_error_of(const char *json) {
  try {
    hours_from(json);
  } catch (const Failure &failure) {
    EXPECT_EQ(failure.status(), OC_ERR_CONFIG);
    return failure.what();
  }
  ADD_FAILURE() << "accepted: " << json;
  return {};
}

TEST(BusinessCalendar, FridayAfternoonPlusOneHourIsMondayMorning) {
  const BusinessHours hours = berlin_office();
  EXPECT_EQ(add_business_time(hours, at("2026-03-06T16:30:00+01:00"), kHourMs),
            at("2026-03-09T09:30:00+01:00"));
}

TEST(BusinessCalendar, ClockStartsAtTheNextOpening) {
  const BusinessHours hours = berlin_office();
  EXPECT_EQ(add_business_time(hours, at("2026-03-03T07:00:00+01:00"), 30 * kMinuteMs),
            at("2026-03-03T09:30:00+01:00"));
  EXPECT_EQ(add_business_time(hours, at("2026-03-07T12:00:00+01:00"), 30 * kMinuteMs),
            at("2026-03-09T09:30:00+01:00"));
}

TEST(BusinessCalendar, TimeThatFitsBeforeClosingEndsAtClosing) {
  const BusinessHours hours = berlin_office();
  EXPECT_EQ(add_business_time(hours, at("2026-03-06T16:00:00+01:00"), kHourMs),
            at("2026-03-06T17:00:00+01:00"));
  EXPECT_EQ(add_business_time(hours, at("2026-03-06T16:00:00+01:00"), kHourMs + 1),
            at("2026-03-09T09:00:00.001+01:00"));
}

TEST(BusinessCalendar, ZeroDurationIsTheStartAndNegativeIsABug) {
  const BusinessHours hours = berlin_office();
  const TimeMs saturday = at("2026-03-07T12:00:00+01:00");
  EXPECT_EQ(add_business_time(hours, saturday, 0), saturday);
  EXPECT_THROW(add_business_time(hours, saturday, -1), Failure);
}

TEST(BusinessCalendar, OpenIncludesOpeningAndExcludesClosing) {
  const BusinessHours hours = berlin_office();
  EXPECT_FALSE(is_open(hours, at("2026-03-03T08:59:59.999+01:00")));
  EXPECT_TRUE(is_open(hours, at("2026-03-03T09:00:00+01:00")));
  EXPECT_TRUE(is_open(hours, at("2026-03-03T16:59:59.999+01:00")));
  EXPECT_FALSE(is_open(hours, at("2026-03-03T17:00:00+01:00")));
  EXPECT_FALSE(is_open(hours, at("2026-03-07T12:00:00+01:00")));
}

TEST(BusinessCalendar, NextOpeningSkipsTheWeekend) {
  const BusinessHours hours = berlin_office();
  EXPECT_EQ(next_opening(hours, at("2026-03-07T10:00:00+01:00")),
            at("2026-03-09T09:00:00+01:00"));
  EXPECT_EQ(next_opening(hours, at("2026-03-06T17:00:00+01:00")),
            at("2026-03-09T09:00:00+01:00"));
  const TimeMs open = at("2026-03-04T11:11:00+01:00");
  EXPECT_EQ(next_opening(hours, open), open);
}

TEST(BusinessCalendar, BetweenCountsOnlyOpenTime) {
  const BusinessHours hours = berlin_office();
  EXPECT_EQ(business_time_between(hours, at("2026-03-02T00:00:00+01:00"),
                                  at("2026-03-09T00:00:00+01:00")),
            40 * kHourMs);
  EXPECT_EQ(business_time_between(hours, at("2026-03-06T16:30:00+01:00"),
                                  at("2026-03-09T09:30:00+01:00")),
            kHourMs);
  EXPECT_EQ(business_time_between(hours, at("2026-03-07T00:00:00+01:00"),
                                  at("2026-03-08T23:59:00+01:00")),
            0);
  EXPECT_EQ(business_time_between(hours, at("2026-03-09T12:00:00+01:00"),
                                  at("2026-03-09T10:00:00+01:00")),
            0);
}

TEST(BusinessCalendar, LunchBreakIsSkipped) {
  const BusinessHours hours = hours_from(R"({"zone": "Europe/Berlin",
      "hours": {"tue": "09:00-12:00, 13:00-17:00"}})");
  EXPECT_EQ(add_business_time(hours, at("2026-03-03T11:30:00+01:00"), kHourMs),
            at("2026-03-03T13:30:00+01:00"));
  EXPECT_FALSE(is_open(hours, at("2026-03-03T12:30:00+01:00")));
  EXPECT_EQ(business_time_between(hours, at("2026-03-03T00:00:00+01:00"),
                                  at("2026-03-04T00:00:00+01:00")),
            7 * kHourMs);
}

TEST(BusinessCalendar, OvernightShiftWrittenAsTwoWindowsJoins) {
  const BusinessHours hours = hours_from(R"({"zone": "Europe/Berlin",
      "hours": {"mon": "22:00-24:00", "tue": ["00:00-06:00"]}})");
  EXPECT_EQ(add_business_time(hours, at("2026-03-02T23:00:00+01:00"), 2 * kHourMs),
            at("2026-03-03T01:00:00+01:00"));
  EXPECT_TRUE(is_open(hours, at("2026-03-03T00:00:00+01:00")));
  EXPECT_TRUE(is_open(hours, at("2026-03-02T23:59:59.999+01:00")));
  EXPECT_EQ(business_time_between(hours, at("2026-03-02T21:00:00+01:00"),
                                  at("2026-03-03T07:00:00+01:00")),
            8 * kHourMs);
  // A week later the shift repeats: Tue 05:00 + 2 h ends Tue 06:00 + 1 h next week.
  EXPECT_EQ(add_business_time(hours, at("2026-03-03T05:00:00+01:00"), 2 * kHourMs),
            at("2026-03-09T23:00:00+01:00"));
}

TEST(BusinessCalendar, HolidayIsClosedAllDay) {
  const BusinessHours hours = hours_from(R"({"zone": "Europe/Berlin",
      "hours": {"mon": "09:00-17:00", "tue": "09:00-17:00", "wed": "09:00-17:00",
                "thu": "09:00-17:00", "fri": "09:00-17:00"},
      "holidays": ["2026-05-01", "2026-12-25"]})");
  EXPECT_FALSE(is_open(hours, at("2026-05-01T10:00:00+02:00")));
  EXPECT_EQ(add_business_time(hours, at("2026-04-30T16:00:00+02:00"), 2 * kHourMs),
            at("2026-05-04T10:00:00+02:00"));
  EXPECT_EQ(business_time_between(hours, at("2026-04-27T00:00:00+02:00"),
                                  at("2026-05-04T00:00:00+02:00")),
            32 * kHourMs);
  EXPECT_EQ(add_business_time(hours, at("2026-12-24T16:00:00+01:00"), 2 * kHourMs),
            at("2026-12-28T10:00:00+01:00"));
}

TEST(BusinessCalendar, BerlinSpringForwardKeepsEightHourDays) {
  const BusinessHours hours = every_day("Europe/Berlin", "09:00-17:00");
  // 2026-03-29 is the Sunday the clocks jump from 02:00 to 03:00.
  EXPECT_EQ(business_time_between(hours, at("2026-03-29T00:00:00+01:00"),
                                  at("2026-03-30T00:00:00+02:00")),
            8 * kHourMs);
  EXPECT_EQ(add_business_time(hours, at("2026-03-28T16:00:00+01:00"), 2 * kHourMs),
            at("2026-03-29T10:00:00+02:00"));
  EXPECT_EQ(next_opening(hours, at("2026-03-29T01:30:00+01:00")),
            at("2026-03-29T09:00:00+02:00"));
}

TEST(BusinessCalendar, WindowsInTheSpringForwardGapMapToTheGapEnd) {
  const BusinessHours across = every_day("Europe/Berlin", "01:00-04:00");
  EXPECT_EQ(business_time_between(across, at("2026-03-29T00:00:00+01:00"),
                                  at("2026-03-30T00:00:00+02:00")),
            2 * kHourMs);
  EXPECT_EQ(business_time_between(across, at("2026-03-22T00:00:00+01:00"),
                                  at("2026-03-23T00:00:00+01:00")),
            3 * kHourMs);

  const BusinessHours inside = every_day("Europe/Berlin", "02:00-03:00");
  EXPECT_EQ(business_time_between(inside, at("2026-03-29T00:00:00+01:00"),
                                  at("2026-03-30T00:00:00+02:00")),
            0);
  // The hour that does not exist is skipped: Saturday's window, then Monday's.
  EXPECT_EQ(add_business_time(inside, at("2026-03-28T02:30:00+01:00"), kHourMs),
            at("2026-03-30T02:30:00+02:00"));

  const BusinessHours starts_in_gap = every_day("Europe/Berlin", "02:30-05:00");
  EXPECT_EQ(next_opening(starts_in_gap, at("2026-03-29T00:00:00+01:00")),
            at("2026-03-29T03:00:00+02:00"));
  EXPECT_EQ(business_time_between(starts_in_gap, at("2026-03-29T00:00:00+01:00"),
                                  at("2026-03-30T00:00:00+02:00")),
            2 * kHourMs);
}

TEST(BusinessCalendar, BerlinFallBackCountsRealTime) {
  // 2026-10-25: clocks go back from 03:00 CEST to 02:00 CET.
  const BusinessHours office = every_day("Europe/Berlin", "09:00-17:00");
  EXPECT_EQ(business_time_between(office, at("2026-10-25T00:00:00+02:00"),
                                  at("2026-10-26T00:00:00+01:00")),
            8 * kHourMs);
  EXPECT_EQ(add_business_time(office, at("2026-10-24T16:00:00+02:00"), 2 * kHourMs),
            at("2026-10-25T10:00:00+01:00"));

  const BusinessHours night = every_day("Europe/Berlin", "00:00-04:00");
  EXPECT_EQ(business_time_between(night, at("2026-10-25T00:00:00+02:00"),
                                  at("2026-10-26T00:00:00+01:00")),
            5 * kHourMs);
  EXPECT_EQ(add_business_time(night, at("2026-10-25T00:00:00+02:00"), 4 * kHourMs),
            at("2026-10-25T03:00:00+01:00"));

  // An opening in the repeated hour is its first occurrence.
  const BusinessHours repeated = every_day("Europe/Berlin", "02:30-03:30");
  EXPECT_EQ(next_opening(repeated, at("2026-10-25T00:00:00+02:00")),
            at("2026-10-25T02:30:00+02:00"));
  EXPECT_EQ(business_time_between(repeated, at("2026-10-25T00:00:00+02:00"),
                                  at("2026-10-26T00:00:00+01:00")),
            2 * kHourMs);
}

TEST(BusinessCalendar, NewYorkDstWeeks) {
  const BusinessHours office = hours_from(R"({"zone": "America/New_York", "hours": {
      "mon": "09:00-17:00", "tue": "09:00-17:00", "wed": "09:00-17:00",
      "thu": "09:00-17:00", "fri": "09:00-17:00"}})");
  // Spring forward on Sunday 2026-03-08, fall back on Sunday 2026-11-01.
  EXPECT_EQ(add_business_time(office, at("2026-03-06T16:00:00-05:00"), 2 * kHourMs),
            at("2026-03-09T10:00:00-04:00"));
  EXPECT_EQ(add_business_time(office, at("2026-10-30T16:00:00-04:00"), 2 * kHourMs),
            at("2026-11-02T10:00:00-05:00"));
  EXPECT_EQ(business_time_between(office, at("2026-03-02T00:00:00-05:00"),
                                  at("2026-03-16T00:00:00-04:00")),
            80 * kHourMs);

  const BusinessHours whole_days = every_day("America/New_York", "00:00-24:00");
  // Whole days with no holidays are always open whatever the zone; the
  // spring-forward Sunday still has only 23 real hours.
  EXPECT_TRUE(whole_days.always_open());
  EXPECT_EQ(business_time_between(whole_days, at("2026-03-08T00:00:00-05:00"),
                                  at("2026-03-09T00:00:00-04:00")),
            23 * kHourMs);
  BusinessHours with_holiday = whole_days;
  with_holiday.holidays = {LocalDate{2026, 3, 9}};
  EXPECT_EQ(business_time_between(with_holiday, at("2026-03-08T00:00:00-05:00"),
                                  at("2026-03-10T00:00:00-04:00")),
            23 * kHourMs);
  EXPECT_EQ(business_time_between(with_holiday, at("2026-10-31T12:00:00-04:00"),
                                  at("2026-11-02T00:00:00-05:00")),
            37 * kHourMs);
}

TEST(BusinessCalendar, ManyBusinessDaysIterateByDay) {
  const BusinessHours hours = berlin_office();
  // Seven business days of eight hours: the second Tuesday at closing.
  EXPECT_EQ(add_business_time(hours, at("2026-06-01T09:00:00+02:00"), 56 * kHourMs),
            at("2026-06-09T17:00:00+02:00"));
  // 1000 business days cross six DST changes; the round trip must agree.
  const TimeMs start = at("2026-01-05T09:00:00+01:00");
  const TimeMs end = add_business_time(hours, start, 8000 * kHourMs);
  EXPECT_EQ(end, at("2029-11-02T17:00:00+01:00"));
  EXPECT_EQ(business_time_between(hours, start, end), 8000 * kHourMs);
}

TEST(BusinessCalendar, AroundTheClock) {
  const BusinessHours hours = BusinessHours::around_the_clock();
  EXPECT_TRUE(hours.always_open());
  const TimeMs start = at("2026-03-07T03:00:00Z");
  EXPECT_TRUE(is_open(hours, start));
  EXPECT_EQ(add_business_time(hours, start, 7 * kDayMs), start + 7 * kDayMs);
  EXPECT_EQ(business_time_between(hours, start, start + kDayMs), kDayMs);
  EXPECT_EQ(hours_from(R"("24/7")"), hours);
}

TEST(BusinessCalendar, AroundTheClockWithAHoliday) {
  const BusinessHours hours = hours_from(R"({"zone": "Europe/Berlin", "hours": {
      "mon": "00:00-24:00", "tue": "00:00-24:00", "wed": "00:00-24:00", "thu": "00:00-24:00",
      "fri": "00:00-24:00", "sat": "00:00-24:00", "sun": "00:00-24:00"},
      "holidays": ["2026-12-25"]})");
  EXPECT_FALSE(hours.always_open());
  EXPECT_EQ(add_business_time(hours, at("2026-12-24T23:00:00+01:00"), 2 * kHourMs),
            at("2026-12-26T01:00:00+01:00"));
}

TEST(BusinessCalendar, CalendarWithNoOpeningFailsInsteadOfLooping) {
  BusinessHours hours;
  hours.zone = "Europe/Berlin";
  EXPECT_THROW(hours.validate("teams.x.business_hours"), Failure);
  try {
    add_business_time(hours, at("2026-03-02T09:00:00+01:00"), kHourMs);
    ADD_FAILURE() << "no error";
  } catch (const Failure &failure) {
    EXPECT_EQ(failure.status(), OC_ERR_CONFIG);
    EXPECT_NE(std::string(failure.what()).find("no opening"), std::string::npos);
  }
}

TEST(BusinessCalendar, TouchingWindowsAreJoined) {
  const BusinessHours hours = hours_from(R"({"zone": "UTC",
      "hours": {"wed": "12:00-17:00,09:00-12:00"}})");
  EXPECT_EQ(hours.week[2], (std::vector<DayWindow>{{9 * 60, 17 * 60}}));
}

TEST(BusinessCalendar, MalformedConfigNamesTheField) {
  const std::string prefix = "teams.support.business_hours";
  EXPECT_EQ(config_error_of(R"({"zone": "Mars/Olympus", "hours": {"mon": "09:00-17:00"}})"),
            prefix + ".zone: unknown time zone \"Mars/Olympus\"");
  EXPECT_EQ(config_error_of(R"({"hours": {"mon": "09:00-17:00"}})").rfind(prefix + ".zone: ", 0),
            0u);
  EXPECT_EQ(config_error_of(R"({"zone": "UTC", "hours": {"mon": "9-17"}})"),
            prefix + ".hours.mon: \"9-17\" is not a window HH:MM-HH:MM");
  EXPECT_EQ(config_error_of(R"({"zone": "UTC", "hours": {"tue": "09:00-12:00,25:00-26:00"}})"),
            prefix + ".hours.tue: \"25:00-26:00\" is not a window HH:MM-HH:MM");
  EXPECT_EQ(config_error_of(R"({"zone": "UTC", "hours": {"mon": "22:00-06:00"}})")
                .rfind(prefix + ".hours.mon: \"22:00-06:00\" closes before it opens", 0),
            0u);
  EXPECT_EQ(config_error_of(R"({"zone": "UTC", "hours": {"fri": "09:00-12:00,11:00-13:00"}})"),
            prefix + ".hours.fri: windows 09:00-12:00 and 11:00-13:00 overlap or are out of order");
  EXPECT_EQ(config_error_of(R"({"zone": "UTC", "hours": {"monday": "09:00-17:00"}})"),
            prefix + ".hours.monday: unknown day (expected mon, tue, wed, thu, fri, sat, sun)");
  EXPECT_EQ(config_error_of(R"({"zone": "UTC", "hours": {"sat": ["10:00-14:00", 5]}})"),
            prefix + ".hours.sat[1]: expected a window \"HH:MM-HH:MM\"");
  EXPECT_EQ(config_error_of(R"({"zone": "UTC", "hours": {"sat": null, "sun": ""}})"),
            prefix + ".hours: no open hours on any day of the week");
  EXPECT_EQ(config_error_of(R"({"zone": "UTC", "hours": {"mon": "09:00-17:00"},
                               "holidays": ["2026-12-25", "2026-02-30"]})"),
            prefix + ".holidays[1]: expected a date \"YYYY-MM-DD\"");
  EXPECT_EQ(config_error_of(R"({"zone": "UTC", "hours": {"mon": "09:00-17:00"}, "holiday": []})")
                .rfind(prefix + ".holiday: unknown field", 0),
            0u);
  EXPECT_EQ(config_error_of(R"([1, 2])"), prefix + ": expected an object or \"24/7\"");
}

TEST(SlaClock, RunsOnBusinessTime) {
  const BusinessHours hours = berlin_office();
  SlaClock clock{at("2026-03-02T10:00:00+01:00"), 4 * kHourMs, {}, {}};
  EXPECT_EQ(clock.due(hours), at("2026-03-02T14:00:00+01:00"));
  clock.started = at("2026-03-02T15:00:00+01:00");
  EXPECT_EQ(clock.due(hours), at("2026-03-03T11:00:00+01:00"));
  EXPECT_EQ(clock.elapsed(hours, at("2026-03-03T10:00:00+01:00")), 3 * kHourMs);
}

TEST(SlaClock, PauseFreezesTheRemainingTimeAndResumeRestartsIt) {
  const BusinessHours hours = berlin_office();
  SlaClock clock{at("2026-03-02T10:00:00+01:00"), 4 * kHourMs, {}, {}};
  EXPECT_TRUE(clock.pause(at("2026-03-02T11:00:00+01:00")));
  EXPECT_FALSE(clock.pause(at("2026-03-02T12:00:00+01:00")));
  EXPECT_EQ(clock.due(hours), std::nullopt);
  EXPECT_EQ(clock.elapsed(hours, at("2026-03-05T12:00:00+01:00")), kHourMs);

  EXPECT_TRUE(clock.resume(at("2026-03-04T10:00:00+01:00")));
  EXPECT_FALSE(clock.resume(at("2026-03-04T10:30:00+01:00")));
  ASSERT_EQ(clock.pauses.size(), 1u);
  EXPECT_EQ(clock.due(hours), at("2026-03-04T13:00:00+01:00"));
  EXPECT_EQ(clock.elapsed(hours, at("2026-03-04T12:00:00+01:00")), 3 * kHourMs);

  // A second pause that ends outside business hours resumes at the next opening.
  clock.pause(at("2026-03-04T12:00:00+01:00"));
  clock.resume(at("2026-03-06T20:00:00+01:00"));
  EXPECT_EQ(clock.due(hours), at("2026-03-09T10:00:00+01:00"));
}

TEST(SlaClock, PauseOutsideBusinessHoursChangesNothing) {
  const BusinessHours hours = berlin_office();
  SlaClock clock{at("2026-03-02T14:00:00+01:00"), 4 * kHourMs, {}, {}};
  const auto due = clock.due(hours);
  EXPECT_EQ(due, at("2026-03-03T10:00:00+01:00"));
  clock.pause(at("2026-03-02T18:00:00+01:00"));
  clock.resume(at("2026-03-03T08:00:00+01:00"));
  EXPECT_EQ(clock.due(hours), due);
}

TEST(SlaClock, TargetReachedBeforeThePauseStaysDue) {
  const BusinessHours hours = berlin_office();
  SlaClock clock{at("2026-03-02T10:00:00+01:00"), kHourMs, {}, {}};
  clock.pause(at("2026-03-02T15:00:00+01:00"));
  EXPECT_EQ(clock.due(hours), at("2026-03-02T11:00:00+01:00"));
  // Exactly at the pause counts as reached too.
  SlaClock exact{at("2026-03-02T10:00:00+01:00"), kHourMs, {}, at("2026-03-02T11:00:00+01:00")};
  EXPECT_EQ(exact.due(hours), at("2026-03-02T11:00:00+01:00"));
}

TEST(SlaClock, AroundTheClockPausesShiftTheDueTimeByTheirLength) {
  const BusinessHours hours = BusinessHours::around_the_clock();
  SlaClock clock{at("2026-03-02T10:00:00Z"), 10 * kMinuteMs, {}, {}};
  clock.pause(at("2026-03-02T10:04:00Z"));
  clock.resume(at("2026-03-02T12:00:00Z"));
  EXPECT_EQ(clock.due(hours), at("2026-03-02T12:06:00Z"));
}

TEST(SlaClock, ZeroTargetIsDueAtTheStart) {
  const BusinessHours hours = berlin_office();
  const SlaClock clock{at("2026-03-07T10:00:00+01:00"), 0, {}, {}};
  EXPECT_EQ(clock.due(hours), at("2026-03-07T10:00:00+01:00"));
}

// Issue 10, point 5: deadline arithmetic saturates at the last instant a
// timestamp can hold (value_ranges.h) instead of overflowing; run under
// UBSan, these overflowed before.
TEST(BusinessCalendarRanges, DeadlinesPastTheLastInstantAreTheLastInstant) {
  for (const BusinessHours &hours : {BusinessHours::around_the_clock(), berlin_office()}) {
    EXPECT_EQ(add_business_time(hours, kMaxTimeMs - kMinuteMs, kHourMs), kMaxTimeMs);
    EXPECT_EQ(add_business_time(hours, kMaxTimeMs, 1), kMaxTimeMs);
    EXPECT_EQ(add_business_time(hours, INT64_MAX - 5, kHourMs), kMaxTimeMs);
    EXPECT_EQ(add_business_time(hours, at("2026-03-02T10:00:00+01:00"), INT64_MAX), kMaxTimeMs);
  }
  // On office hours the last instant comes before the open time runs out.
  EXPECT_EQ(add_business_time(berlin_office(), at("9999-12-31T16:00:00+01:00"), 2 * kHourMs), kMaxTimeMs);
}

TEST(BusinessCalendarRanges, InstantsOutsideTheRangeAreTakenAtItsEnds) {
  const BusinessHours always = BusinessHours::around_the_clock();
  EXPECT_EQ(business_time_between(always, INT64_MIN, INT64_MAX), kMaxTimeMs - kMinTimeMs);
  EXPECT_EQ(business_time_between(always, INT64_MIN, kMinuteMs), kMinuteMs);
  EXPECT_EQ(business_time_between(always, kMaxTimeMs - kMinuteMs, INT64_MAX), kMinuteMs);
  const BusinessHours office = berlin_office();
  EXPECT_EQ(business_time_between(office, kMaxTimeMs - kDayMs, INT64_MAX),
            business_time_between(office, kMaxTimeMs - kDayMs, kMaxTimeMs));
  EXPECT_EQ(add_business_time(always, INT64_MIN, kMinuteMs), kMinTimeMs + kMinuteMs);
  EXPECT_EQ(next_opening(office, INT64_MAX), kMaxTimeMs);
  EXPECT_FALSE(is_open(office, INT64_MIN));  // 1970-01-01 00:00 in Berlin: a Thursday, 01:00
}

TEST(BusinessCalendarRanges, AClockStartedNearTheEndIsDueAtTheEnd) {
  const BusinessHours hours = berlin_office();
  SlaClock clock{kMaxTimeMs - kHourMs, 24 * kHourMs, {}, {}};
  EXPECT_EQ(clock.due(hours), kMaxTimeMs);
  EXPECT_EQ(clock.due(BusinessHours::around_the_clock()), kMaxTimeMs);
  clock.pause(kMaxTimeMs - kMinuteMs);
  clock.resume(INT64_MAX);
  EXPECT_EQ(clock.due(BusinessHours::around_the_clock()), kMaxTimeMs);
  EXPECT_GE(clock.elapsed(BusinessHours::around_the_clock(), INT64_MAX), 0);
}

}  // namespace
}  // namespace ordercare::domain
