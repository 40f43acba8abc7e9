#include "common/time_format.h"

#include <gtest/gtest.h>

#include <cstdint>

#include "common/value_ranges.h"

namespace ordercare {
namespace {

// 2026-11-22T10:00:00Z
constexpr TimeMs kNov22 = 1795341600000;

TEST(TimeFormat, ParsesUtcWithZ) {
  EXPECT_EQ(parse_rfc3339("2026-11-22T10:00:00Z"), kNov22);
  EXPECT_EQ(parse_rfc3339("2026-11-22t10:00:00z"), kNov22);
  EXPECT_EQ(parse_rfc3339("1970-01-01T00:00:00Z"), 0);
}

TEST(TimeFormat, AppliesOffsets) {
  EXPECT_EQ(parse_rfc3339("2026-11-22T11:00:00+01:00"), kNov22);
  EXPECT_EQ(parse_rfc3339("2026-11-22T04:30:00-05:30"), kNov22);
  EXPECT_EQ(parse_rfc3339("2026-11-22T10:00:00+00:00"), kNov22);
  EXPECT_EQ(parse_rfc3339("2026-11-22T10:00:00-00:00"), kNov22);
  // An offset can move the instant across a day, month and year boundary.
  EXPECT_EQ(parse_rfc3339("2027-01-01T08:59:59+09:00"), parse_rfc3339("2026-12-31T23:59:59Z"));
  EXPECT_EQ(parse_rfc3339("2026-12-31T23:00:00-23:59"), parse_rfc3339("2027-01-01T22:59:00Z"));
}

TEST(TimeFormat, ReadsFractionsAsMilliseconds) {
  EXPECT_EQ(parse_rfc3339("2026-11-22T10:00:00.250Z"), kNov22 + 250);
  EXPECT_EQ(parse_rfc3339("2026-11-22T10:00:00.5Z"), kNov22 + 500);
  EXPECT_EQ(parse_rfc3339("2026-11-22T10:00:00.07Z"), kNov22 + 70);
  // Digits past the millisecond are dropped, not rounded.
  EXPECT_EQ(parse_rfc3339("2026-11-22T10:00:00.123999999Z"), kNov22 + 123);
  EXPECT_EQ(parse_rfc3339("2026-11-22T11:00:00.250+01:00"), kNov22 + 250);
}

TEST(TimeFormat, AcceptsASpaceForT) { EXPECT_EQ(parse_rfc3339("2026-11-22 10:00:00Z"), kNov22); }

TEST(TimeFormat, KnowsLeapYears) {
  EXPECT_TRUE(parse_rfc3339("2024-02-29T00:00:00Z"));
  EXPECT_TRUE(parse_rfc3339("2000-02-29T00:00:00Z"));  // divisible by 400
  EXPECT_FALSE(parse_rfc3339("1900-02-29T00:00:00Z"));  // divisible by 100
  EXPECT_FALSE(parse_rfc3339("2026-02-29T00:00:00Z"));
  EXPECT_EQ(*parse_rfc3339("2024-03-01T00:00:00Z") - *parse_rfc3339("2024-02-28T00:00:00Z"),
            2 * kDayMs);
  EXPECT_EQ(*parse_rfc3339("2026-03-01T00:00:00Z") - *parse_rfc3339("2026-02-28T00:00:00Z"),
            kDayMs);
}

TEST(TimeFormat, CountsALeapSecondAsTheSecondBefore) {
  EXPECT_EQ(parse_rfc3339("2016-12-31T23:59:60Z"), parse_rfc3339("2016-12-31T23:59:59Z"));
}

TEST(TimeFormat, RejectsMalformedInput) {
  for (const char *bad : {
           "",
           "2026-11-22",
           "2026-11-22T10:00:00",          // no offset
           "2026-11-22T10:00Z",            // no seconds
           "2026-11-22T10:00:00+0100",     // offset without colon
           "2026-11-22T10:00:00+01",       // offset without minutes
           "2026-11-22T10:00:00+24:00",    // offset hour out of range
           "2026-11-22T10:00:00+01:60",    // offset minute out of range
           "2026-11-22T10:00:00.Z",        // empty fraction
           "2026-11-22T10:00:00ZZ",        // trailing garbage
           "2026-11-22T10:00:00Z ",        // trailing space
           "2026-13-01T00:00:00Z",         // month 13
           "2026-00-01T00:00:00Z",         // month 0
           "2026-04-31T00:00:00Z",         // April has 30 days
           "2026-11-00T00:00:00Z",         // day 0
           "2026-11-22T24:00:00Z",         // hour 24
           "2026-11-22T10:60:00Z",         // minute 60
           "2026-11-22T10:00:61Z",         // second 61
           "26-11-22T10:00:00Z",           // two-digit year
           "2026/11/22T10:00:00Z",         // wrong separators
           "2026-11-22X10:00:00Z",         // wrong T
           "2026-1-22T10:00:00Z",          // one-digit month
           "+2026-11-22T10:00:00Z",        // sign
           "2026-11-22T10:00:00.25+01:00x",
           "２０２６-11-22T10:00:00Z",      // non-ASCII digits
       }) {
    EXPECT_FALSE(parse_rfc3339(bad)) << bad;
  }
}

TEST(TimeFormat, FormatsUtcWithMillisOnlyWhenPresent) {
  EXPECT_EQ(format_rfc3339(kNov22), "2026-11-22T10:00:00Z");
  EXPECT_EQ(format_rfc3339(kNov22 + 250), "2026-11-22T10:00:00.250Z");
  EXPECT_EQ(format_rfc3339(kNov22 + 7), "2026-11-22T10:00:00.007Z");
  EXPECT_EQ(format_rfc3339(0), "1970-01-01T00:00:00Z");
}

TEST(TimeFormat, FormatsTimesBeforeTheEpoch) {
  EXPECT_EQ(format_rfc3339(-1), "1969-12-31T23:59:59.999Z");
  EXPECT_EQ(format_rfc3339(-kDayMs), "1969-12-31T00:00:00Z");
  EXPECT_EQ(parse_rfc3339("1969-12-31T23:59:59.999Z"), -1);
}

TEST(TimeFormat, RoundTripsAcrossCenturiesAndLeapDays) {
  // Every 7 hours 13 minutes 17.123 seconds from 1900 to 2100.
  const TimeMs step = 7 * kHourMs + 13 * kMinuteMs + 17 * kSecondMs + 123;
  const TimeMs from = *parse_rfc3339("1900-01-01T00:00:00Z");
  const TimeMs to = *parse_rfc3339("2100-01-01T00:00:00Z");
  int checked = 0;
  for (TimeMs t = from; t < to; t += step, ++checked) {
    const std::string text = format_rfc3339(t);
    ASSERT_EQ(parse_rfc3339(text), t) << text;
  }
  EXPECT_GT(checked, 200000);
  for (const char *text : {"2024-02-29T23:59:59.999Z", "2000-02-29T12:00:00Z",
                           "2100-03-01T00:00:00Z", "9999-12-31T23:59:59.999Z",
                           "0001-01-01T00:00:00Z"})
    EXPECT_EQ(format_rfc3339(*parse_rfc3339(text)), text);
}

// Issue 10, point 5: every int64 formats without overflow (under UBSan),
// and the ends of the range ordercare keeps round-trip.
TEST(TimeFormat, FormatsEveryInt64AndTheRangeEndsRoundTrip) {
  EXPECT_EQ(format_rfc3339(kMinTimeMs), "1970-01-01T00:00:00Z");
  EXPECT_EQ(format_rfc3339(kMaxTimeMs), "9999-12-31T23:59:59.999Z");
  EXPECT_EQ(parse_rfc3339(format_rfc3339(kMaxTimeMs)), kMaxTimeMs);
  EXPECT_EQ(parse_rfc3339("9999-12-31T23:59:59.999Z"), kMaxTimeMs);
  EXPECT_EQ(format_rfc3339(INT64_MAX), "292278994-08-17T07:12:55.807Z");
  EXPECT_EQ(format_rfc3339(INT64_MIN), "-292275055-05-16T16:47:04.192Z");
  EXPECT_FALSE(parse_rfc3339(format_rfc3339(INT64_MAX)));
  EXPECT_FALSE(format_minute(INT64_MIN).empty());
  EXPECT_TRUE(in_time_range(kMaxTimeMs));
  EXPECT_FALSE(in_time_range(kMaxTimeMs + 1));
  EXPECT_FALSE(in_time_range(-1));
  EXPECT_EQ(clamp_time(INT64_MIN), kMinTimeMs);
  EXPECT_EQ(clamp_time(INT64_MAX), kMaxTimeMs);
}

TEST(TimeFormat, CivilDaysMatchKnownDates) {
  EXPECT_EQ(days_from_civil(1970, 1, 1), 0);
  EXPECT_EQ(days_from_civil(2000, 3, 1), 11017);
  EXPECT_EQ(days_from_civil(1969, 12, 31), -1);
  std::int64_t y = 0;
  unsigned m = 0, d = 0;
  civil_from_days(11016, y, m, d);
  EXPECT_EQ(y, 2000);
  EXPECT_EQ(m, 2u);
  EXPECT_EQ(d, 29u);
  for (std::int64_t day = -800000; day < 800000; day += 997) {
    civil_from_days(day, y, m, d);
    ASSERT_EQ(days_from_civil(y, m, d), day);
  }
}

}  // namespace
}  // namespace ordercare
