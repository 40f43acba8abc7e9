// What an acknowledgement promises, in words (domain/response_promise.h):
// the first-response target while the clock runs straight through, the
// local hour it ends at when business hours stretch it.
#include <gtest/gtest.h>

#include "common/time_format.h"
#include "domain/business_calendar.h"
#include "domain/response_promise.h"

namespace ordercare::domain {
namespace {

TimeMs at(const char *rfc3339) { return *parse_rfc3339(rfc3339); }

// Monday to Friday 09:00-17:00 in Berlin (CET, UTC+1, in November).
BusinessHours berlin_office() {
  return BusinessHours::from_json({{"zone", "Europe/Berlin"},
                                   {"hours",
                                    {{"mon", "09:00-17:00"},
                                     {"tue", "09:00-17:00"},
                                     {"wed", "09:00-17:00"},
                                     {"thu", "09:00-17:00"},
                                     {"fri", "09:00-17:00"}}}},
                                  "hours");
}

std::string promise(const BusinessHours &hours, const char *now, TimeMs target, const char *language = "en") {
  const TimeMs start = at(now);
  return response_promise(start, add_business_time(hours, start, target), target, hours, language);
}

TEST(ResponsePromiseWords, AroundTheClockTheTargetInWords) {
  const BusinessHours always = BusinessHours::around_the_clock();
  EXPECT_EQ(promise(always, "2026-11-20T09:00:00Z", 30 * kSecondMs), "within a few minutes");
  EXPECT_EQ(promise(always, "2026-11-20T09:00:00Z", 5 * kMinuteMs), "within a few minutes");
  EXPECT_EQ(promise(always, "2026-11-20T09:00:00Z", 10 * kMinuteMs), "within 10 minutes");
  EXPECT_EQ(promise(always, "2026-11-20T09:00:00Z", 2 * kHourMs), "within 2 hours");
  EXPECT_EQ(promise(always, "2026-11-20T09:00:00Z", kDayMs), "within 1 day");
  EXPECT_EQ(promise(always, "2026-11-20T09:00:00Z", 30 * kSecondMs, "de"), "innerhalb weniger Minuten");
  EXPECT_EQ(promise(always, "2026-11-20T09:00:00Z", 2 * kHourMs, "de-AT"), "innerhalb von 2 Stunden");
}

TEST(ResponsePromiseWords, InsideOpeningHoursTheTargetToo) {
  // Thursday 10:00 in Berlin: two hours end at 12:00, the same as the target.
  EXPECT_EQ(promise(berlin_office(), "2026-11-19T09:00:00Z", 2 * kHourMs), "within 2 hours");
}

TEST(ResponsePromiseWords, OpeningHoursPromiseTheLocalHourTheClockEnds) {
  const BusinessHours office = berlin_office();
  // Thursday 07:00 in Berlin, before opening: 11:00 the same day.
  EXPECT_EQ(promise(office, "2026-11-19T06:00:00Z", 2 * kHourMs), "by 11:00 today");
  // Thursday 16:30: tomorrow 10:30.
  EXPECT_EQ(promise(office, "2026-11-19T15:30:00Z", 2 * kHourMs), "by tomorrow 10:30");
  EXPECT_EQ(promise(office, "2026-11-19T15:30:00Z", 2 * kHourMs, "de"), "bis morgen 10:30 Uhr");
  // Friday 16:30: Monday.
  EXPECT_EQ(promise(office, "2026-11-20T15:30:00Z", 2 * kHourMs), "by Monday 10:30");
  EXPECT_EQ(promise(office, "2026-11-20T15:30:00Z", 2 * kHourMs, "de"), "bis Montag 10:30 Uhr");
  // A week or more away: the date.
  EXPECT_EQ(promise(office, "2026-11-20T15:30:00Z", 40 * kHourMs), "by 27 November 16:30");
  EXPECT_EQ(promise(office, "2026-11-20T15:30:00Z", 40 * kHourMs, "de"), "bis zum 27. November 16:30 Uhr");
}

}  // namespace
}  // namespace ordercare::domain
