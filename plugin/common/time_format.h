// Time is an int64 of milliseconds since the Unix epoch, UTC. Text forms
// exist only at the edges: RFC 3339 in events and results.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace ordercare {

using TimeMs = std::int64_t;

constexpr TimeMs kSecondMs = 1000;
constexpr TimeMs kMinuteMs = 60 * kSecondMs;
constexpr TimeMs kHourMs = 60 * kMinuteMs;
constexpr TimeMs kDayMs = 24 * kHourMs;

// Parses "2026-11-22T10:00:00Z", "2026-11-22T10:00:00.250+02:00" and the
// like (RFC 3339 section 5.6: an offset is required). nullopt if malformed.
std::optional<TimeMs> parse_rfc3339(std::string_view text);

// Formats as "2026-11-22T10:00:00Z", or with ".250" when there are millis.
std::string format_rfc3339(TimeMs ms);
// The same text appended to `out`, for writers that build a document.
void append_rfc3339(std::string &out, TimeMs ms);

// "2026-11-22 10:00" (UTC, to the minute): short enough for a table column.
std::string format_minute(TimeMs ms);

// Days since 1970-01-01 for a proleptic Gregorian date, and back.
std::int64_t days_from_civil(std::int64_t y, unsigned m, unsigned d);
void civil_from_days(std::int64_t days, std::int64_t &y, unsigned &m, unsigned &d);

}  // namespace ordercare
