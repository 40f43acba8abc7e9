#include "common/time_zones.h"

#include <date/tz.h>

#include <chrono>
#include <mutex>
#include <unordered_map>

namespace ordercare {

std::optional<Zone> find_zone(const std::string &name) {
  if (name.empty() || name == "UTC") return Zone{nullptr};
  static std::mutex mutex;
  static std::unordered_map<std::string, Zone> cache;
  const std::lock_guard lock(mutex);
  if (const auto it = cache.find(name); it != cache.end()) return it->second;
  try {
    const Zone zone = date::locate_zone(name);
    cache.emplace(name, zone);
    return zone;
  } catch (const std::exception &) {
    return std::nullopt;  // unknown names are not cached: they come only from bad input
  }
}

bool is_known_zone(const std::string &name) { return find_zone(name).has_value(); }

std::int64_t floor_div(std::int64_t a, std::int64_t b) { return a / b - ((a % b != 0) && ((a < 0) != (b < 0))); }

TimeMs local_ms(Zone zone, TimeMs at) {
  if (zone == nullptr) return at;
  const auto local = zone->to_local(date::sys_time<std::chrono::milliseconds>(std::chrono::milliseconds(at)));
  return local.time_since_epoch().count();
}

std::int64_t local_day_of(Zone zone, TimeMs at) { return floor_div(local_ms(zone, at), kDayMs); }

TimeMs instant_of(Zone zone, std::int64_t local_day, std::int32_t minute) {
  const TimeMs local = local_day * kDayMs + minute * kMinuteMs;
  if (zone == nullptr) return local;
  const date::local_time<std::chrono::milliseconds> wall{std::chrono::milliseconds(local)};
  const date::local_info info = zone->get_info(wall);
  if (info.result == date::local_info::nonexistent)
    return std::chrono::duration_cast<std::chrono::milliseconds>(info.first.end.time_since_epoch()).count();
  return local - std::chrono::duration_cast<std::chrono::milliseconds>(info.first.offset).count();
}

}  // namespace ordercare
