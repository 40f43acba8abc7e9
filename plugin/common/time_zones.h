// Wall clocks of IANA time zones, for the business calendar, the stores'
// days and the daily report alike. A zone is a pointer into the tz
// database; nullptr stands for UTC, where local time is plain arithmetic.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "common/time_format.h"

namespace date {
class time_zone;
}

namespace ordercare {

using Zone = const date::time_zone *;

// The zone an IANA name names: nullptr for "" and "UTC", nullopt for a
// name the database does not know. Each name is looked up once per
// process (a lookup searches the database; the pointer is stable).
std::optional<Zone> find_zone(const std::string &name);
bool is_known_zone(const std::string &name);

// a / b rounded toward minus infinity, for instants before the epoch.
std::int64_t floor_div(std::int64_t a, std::int64_t b);

// The wall clock of `zone` at `at`, in milliseconds since the local epoch.
TimeMs local_ms(Zone zone, TimeMs at);
// The local day `at` falls in, counted from 1970-01-01 on the zone's clock.
std::int64_t local_day_of(Zone zone, TimeMs at);
// The instant of a wall-clock minute of a local day: a time that a clock
// change skips is the end of the gap, a repeated one its first occurrence.
TimeMs instant_of(Zone zone, std::int64_t local_day, std::int32_t minute);

}  // namespace ordercare
