#include "domain/locations.h"

#include <cctype>

#include "common/config_reader.h"
#include "common/failure.h"
#include "common/time_zones.h"
#include "common/utf8.h"
#include "domain/business_calendar.h"

namespace ordercare::domain {

namespace {

// "HH:MM", 00:00 to 23:59: a closing time is a minute of the day.
std::optional<std::int32_t> parse_clock_time(const std::string &text) {
  if (text.size() != 5 || text[2] != ':') return std::nullopt;
  for (std::size_t i : {0u, 1u, 3u, 4u})
    if (!std::isdigit(static_cast<unsigned char>(text[i]))) return std::nullopt;
  const int hours = (text[0] - '0') * 10 + (text[1] - '0');
  const int minutes = (text[3] - '0') * 10 + (text[4] - '0');
  if (hours > 23 || minutes > 59) return std::nullopt;
  return hours * 60 + minutes;
}

// A calendar "open" for the one minute the store closes each day: the next
// opening of it is the next closing time, with the calendar's rules for
// DST gaps and repeated hours.
BusinessHours closing_minutes(const Location &store) {
  BusinessHours hours;
  hours.zone = store.time_zone;
  for (auto &day : hours.week) day.push_back({store.closes_at, store.closes_at + 1});
  return hours;
}

Location read_location(const std::string &id, const Json &value, TimeMs default_ready) {
  const std::string path = "locations." + id;
  if (id.empty() || id.size() > 256 || find_invalid_utf8(id))
    fail_config(path, "a location id is 1 to 256 bytes of UTF-8, as events name it");
  if (!value.is_object()) fail_config(path, "expected an object {kind, name, time_zone, ...}");
  ConfigReader r(value, path);
  Location out;
  out.id = id;
  if (!r.has("kind")) fail_config(path + ".kind", "required: \"store\" or \"warehouse\"");
  out.kind = r.choice("kind", "warehouse", {"store", "warehouse"}) == "store" ? LocationKind::store
                                                                            : LocationKind::warehouse;
  out.name = r.string("name", id);
  if (out.name.find_first_not_of(" \t\r\n") == std::string::npos) fail_config(path + ".name", "must not be blank");
  out.time_zone = r.string("time_zone", "");
  if (!is_known_zone(out.time_zone))
    fail_config(path + ".time_zone", "unknown time zone \"" + out.time_zone + "\"");
  // Any location may have its team: a warehouse's hears of the open orders
  // a stock count there leaves short (1.3).
  out.team = r.string("team", "");
  if (r.has("team") && out.team.find_first_not_of(" \t\r\n") == std::string::npos)
    fail_config(path + ".team", "must not be blank");
  if (!out.is_store()) {
    for (const char *store_only : {"closes_at", "pickup_hold", "ready_within"})
      if (r.has(store_only))
        fail_config(path + "." + store_only, "only a store has this (kind is \"warehouse\")");
    out.transfer_lead_time = r.duration_ms("transfer_lead_time", out.transfer_lead_time);
    if (out.transfer_lead_time <= 0) fail_config(path + ".transfer_lead_time", "must be positive");
    r.finish();
    return out;
  }
  if (r.has("transfer_lead_time"))
    fail_config(path + ".transfer_lead_time", "only a warehouse has this (kind is \"store\")");
  if (!r.has("closes_at")) fail_config(path + ".closes_at", "required for a store: its closing time \"HH:MM\"");
  const std::string closes = r.string("closes_at", "");
  const auto minute = parse_clock_time(closes);
  if (!minute) fail_config(path + ".closes_at", "expected a time \"HH:MM\" from 00:00 to 23:59, got \"" + closes + "\"");
  out.closes_at = *minute;
  out.pickup_hold = r.duration_ms("pickup_hold", out.pickup_hold);
  if (out.pickup_hold <= 0) fail_config(path + ".pickup_hold", "must be positive");
  out.ready_within = r.duration_ms("ready_within", default_ready);
  if (out.ready_within <= 0) fail_config(path + ".ready_within", "must be positive");
  r.finish();
  return out;
}

}  // namespace

Locations Locations::from_config(const Json &section, TimeMs default_ready) {
  Locations out;
  if (section.is_null()) return out;
  if (!section.is_object()) fail_config("locations", "expected an object of locations by location id");
  for (auto it = section.begin(); it != section.end(); ++it)
    out.by_id_[it.key()] = read_location(it.key(), it.value(), default_ready);
  return out;
}

const Location *Locations::find(const std::string &id) const {
  auto it = by_id_.find(id);
  return it == by_id_.end() ? nullptr : &it->second;
}

const Location *Locations::store(const std::string &id) const {
  const Location *found = find(id);
  return found && found->is_store() ? found : nullptr;
}

TimeMs end_of_store_day(const Location &store, TimeMs at) { return next_opening(closing_minutes(store), at); }

const char *to_string(LocationKind kind) { return kind == LocationKind::store ? "store" : "warehouse"; }

}  // namespace ordercare::domain
