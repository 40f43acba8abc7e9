#include "domain/response_promise.h"

#include <array>
#include <cstdio>

#include "domain/sla_clocks.h"

namespace ordercare::domain {

namespace {

// Up to this target a promise says "a few minutes": a customer reading an
// email is not told to expect an answer in 30 seconds.
constexpr TimeMs kFewMinutes = 5 * kMinuteMs;

bool is_german(std::string_view language) {
  const std::string_view primary = language.substr(0, language.find_first_of("-_"));
  return primary.size() == 2 && (primary[0] == 'd' || primary[0] == 'D') && (primary[1] == 'e' || primary[1] == 'E');
}

std::string within(TimeMs target, bool de) {
  if (target <= kFewMinutes) return de ? "innerhalb weniger Minuten" : "within a few minutes";
  return (de ? "innerhalb von " : "within ") + humanize_duration(target, de ? "de" : "en");
}

std::string clock_time(std::int32_t minute) {
  char text[32];
  std::snprintf(text, sizeof text, "%02d:%02d", minute / 60, minute % 60);
  return text;
}

std::string by(const LocalMoment &today, const LocalMoment &due, bool de) {
  static constexpr std::array<const char *, 7> kDays = {"Monday", "Tuesday", "Wednesday", "Thursday",
                                                        "Friday", "Saturday", "Sunday"};
  static constexpr std::array<const char *, 7> kTage = {"Montag", "Dienstag", "Mittwoch", "Donnerstag",
                                                        "Freitag", "Samstag", "Sonntag"};
  static constexpr std::array<const char *, 12> kMonths = {"January", "February", "March",     "April",
                                                           "May",     "June",     "July",      "August",
                                                           "September", "October", "November", "December"};
  static constexpr std::array<const char *, 12> kMonate = {"Januar", "Februar", "März",      "April",
                                                           "Mai",    "Juni",    "Juli",      "August",
                                                           "September", "Oktober", "November", "Dezember"};
  const std::string time = clock_time(due.minute);
  const std::int64_t days = due.day - today.day;
  const std::size_t month = due.date.month - 1;
  if (de) {
    if (days <= 0) return "bis heute " + time + " Uhr";
    if (days == 1) return "bis morgen " + time + " Uhr";
    if (days < 7) return std::string("bis ") + kTage[due.weekday] + " " + time + " Uhr";
    return "bis zum " + std::to_string(due.date.day) + ". " + kMonate[month] + " " + time + " Uhr";
  }
  if (days <= 0) return "by " + time + " today";
  if (days == 1) return "by tomorrow " + time;
  if (days < 7) return std::string("by ") + kDays[due.weekday] + " " + time;
  return "by " + std::to_string(due.date.day) + " " + kMonths[month] + " " + time;
}

}  // namespace

std::string response_promise(TimeMs now, TimeMs due, TimeMs target, const BusinessHours &hours,
                             std::string_view language) {
  const bool de = is_german(language);
  // A clock that runs through (or one already overdue) promises its target;
  // one that waits for opening hours promises the hour it ends at.
  if (due - now <= target) return within(target, de);
  return by(local_moment(hours, now), local_moment(hours, due), de);
}

std::string response_promise(const CaseRecord &c, const SlaTargets &sla, TimeMs now, std::string_view language) {
  const BusinessHours &hours = sla.hours_for(c.team, c.priority);
  const CaseClock *clock = c.clock("first_response");
  if (clock && clock->running() && clock->due) return response_promise(now, *clock->due, clock->clock.target, hours, language);
  const TimeMs target = clock ? clock->clock.target : sla.promised_first_response(c);
  return within(target, is_german(language));
}

}  // namespace ordercare::domain
