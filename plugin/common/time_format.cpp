#include "common/time_format.h"

#include <cstdio>

namespace ordercare {

// Howard Hinnant's public-domain calendar algorithms (the ones behind
// std::chrono's civil calendar).
std::int64_t days_from_civil(std::int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const auto yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

void civil_from_days(std::int64_t z, std::int64_t &y, unsigned &m, unsigned &d) {
  z += 719468;
  const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const auto doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  d = doy - (153 * mp + 2) / 5 + 1;
  m = mp < 10 ? mp + 3 : mp - 9;
  y = static_cast<std::int64_t>(yoe) + era * 400 + (m <= 2);
}

namespace {

bool read_digits(std::string_view s, std::size_t pos, std::size_t count, unsigned &out) {
  if (pos + count > s.size()) return false;
  out = 0;
  for (std::size_t i = pos; i < pos + count; ++i) {
    if (s[i] < '0' || s[i] > '9') return false;
    out = out * 10 + static_cast<unsigned>(s[i] - '0');
  }
  return true;
}

bool is_leap(std::int64_t y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

unsigned days_in_month(std::int64_t y, unsigned m) {
  static const unsigned days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && is_leap(y) ? 29 : days[m - 1];
}

}  // namespace

std::optional<TimeMs> parse_rfc3339(std::string_view s) {
  unsigned year, month, day, hour, minute, second;
  if (!read_digits(s, 0, 4, year) || s.size() < 20 || s[4] != '-' ||
      !read_digits(s, 5, 2, month) || s[7] != '-' || !read_digits(s, 8, 2, day) ||
      (s[10] != 'T' && s[10] != 't' && s[10] != ' ') || !read_digits(s, 11, 2, hour) ||
      s[13] != ':' || !read_digits(s, 14, 2, minute) || s[16] != ':' ||
      !read_digits(s, 17, 2, second))
    return std::nullopt;
  if (month < 1 || month > 12 || day < 1 || day > days_in_month(year, month) || hour > 23 ||
      minute > 59 || second > 60)
    return std::nullopt;
  if (second == 60) second = 59;  // a leap second counts as the second before it
  std::size_t pos = 19;
  TimeMs millis = 0;
  if (pos < s.size() && s[pos] == '.') {
    ++pos;
    const std::size_t start = pos;
    TimeMs scale = 100;
    while (pos < s.size() && s[pos] >= '0' && s[pos] <= '9') {
      millis += (s[pos] - '0') * scale;
      scale /= 10;
      ++pos;
    }
    if (pos == start) return std::nullopt;
  }
  if (pos >= s.size()) return std::nullopt;
  TimeMs offset_ms = 0;
  if (s[pos] == 'Z' || s[pos] == 'z') {
    ++pos;
  } else if (s[pos] == '+' || s[pos] == '-') {
    unsigned oh, om;
    if (!read_digits(s, pos + 1, 2, oh) || pos + 3 >= s.size() || s[pos + 3] != ':' ||
        !read_digits(s, pos + 4, 2, om) || oh > 23 || om > 59)
      return std::nullopt;
    offset_ms = (oh * kHourMs + om * kMinuteMs) * (s[pos] == '-' ? -1 : 1);
    pos += 6;
  } else {
    return std::nullopt;
  }
  if (pos != s.size()) return std::nullopt;
  const std::int64_t days = days_from_civil(year, month, day);
  return days * kDayMs + hour * kHourMs + minute * kMinuteMs + second * kSecondMs + millis -
         offset_ms;
}

void append_rfc3339(std::string &out, TimeMs ms) {
  std::int64_t days = ms / kDayMs;
  TimeMs rem = ms % kDayMs;
  if (rem < 0) {
    rem += kDayMs;
    --days;
  }
  std::int64_t y;
  unsigned m, d;
  civil_from_days(days, y, m, d);
  const auto h = static_cast<int>(rem / kHourMs);
  const auto mi = static_cast<int>(rem / kMinuteMs % 60);
  const auto sec = static_cast<int>(rem / kSecondMs % 60);
  const auto milli = static_cast<int>(rem % kSecondMs);
  char buf[40];
  if (y < 0 || y > 9999) {
    if (milli != 0)
      std::snprintf(buf, sizeof buf, "%04lld-%02u-%02uT%02d:%02d:%02d.%03dZ",
                    static_cast<long long>(y), m, d, h, mi, sec, milli);
    else
      std::snprintf(buf, sizeof buf, "%04lld-%02u-%02uT%02d:%02d:%02dZ",
                    static_cast<long long>(y), m, d, h, mi, sec);
    out += buf;
    return;
  }
  // Every time the event path stores is formatted here, thousands a batch:
  // digits by hand, where snprintf parsed its format string each time.
  char *o = buf;
  auto digits = [&o](unsigned value, int width) {
    for (int i = width - 1; i >= 0; --i, value /= 10) o[i] = static_cast<char>('0' + value % 10);
    o += width;
  };
  digits(static_cast<unsigned>(y), 4);
  *o++ = '-';
  digits(m, 2);
  *o++ = '-';
  digits(d, 2);
  *o++ = 'T';
  digits(static_cast<unsigned>(h), 2);
  *o++ = ':';
  digits(static_cast<unsigned>(mi), 2);
  *o++ = ':';
  digits(static_cast<unsigned>(sec), 2);
  if (milli != 0) {
    *o++ = '.';
    digits(static_cast<unsigned>(milli), 3);
  }
  *o++ = 'Z';
  out.append(buf, o);
}

std::string format_rfc3339(TimeMs ms) {
  std::string out;
  append_rfc3339(out, ms);
  return out;
}

std::string format_minute(TimeMs ms) {
  const std::string text = format_rfc3339(ms);
  return text.substr(0, 10) + " " + text.substr(11, 5);
}

}  // namespace ordercare
