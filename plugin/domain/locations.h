// The physical places orders are fulfilled from and returns come back to:
// the config's top-level "locations" object, by location id. Not to be
// confused with "stores", which are storefronts (brands, channels): a
// location is a building with a stock count, a time zone and, for a shop,
// opening hours that bound its day.
//
//   "locations": {
//     "STORE-BER-1": {"kind": "store", "name": "Berlin Mitte",
//                     "time_zone": "Europe/Berlin", "closes_at": "20:00",
//                     "pickup_hold": "7d", "ready_within": "2h",
//                     "team": "store-berlin"},
//     "WH-EU": {"kind": "warehouse", "name": "EU warehouse",
//               "time_zone": "Europe/Amsterdam"}
//   }
//
// Seed 004 gives the store's numbers: an order for pickup is ready within
// 2 hours, returns are processed the same day (by closing time), and an
// order not collected within the hold period needs a person.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>

#include "common/json.h"
#include "common/time_format.h"

namespace ordercare::domain {

enum class LocationKind { store, warehouse };

struct Location {
  std::string id;
  LocationKind kind = LocationKind::warehouse;
  std::string name;
  std::string time_zone;  // IANA name; "" is UTC
  // Stores only: closing time in minutes after local midnight (the end of
  // the store's day), how long a pickup order is held, how soon it must be
  // ready.
  std::int32_t closes_at = 0;
  TimeMs pickup_hold = 7 * kDayMs;
  TimeMs ready_within = 2 * kHourMs;
  // The team that hears of the location: a store's clocks, the open orders
  // a stock count there leaves short ("" = the policy's store or warehouse
  // team).
  std::string team;
  // Warehouses only: how long a store waits for a transfer the warehouse
  // fits into its regular pace (transfers.h).
  TimeMs transfer_lead_time = 4 * kHourMs;

  bool is_store() const { return kind == LocationKind::store; }
  bool operator==(const Location &) const = default;
};

class Locations {
 public:
  // Reads the config's "locations" (null: none). Strict: an unknown key, a
  // missing kind, a store without closes_at, a store-only field on a
  // warehouse, an unknown time zone or a non-positive duration is
  // Failure(OC_ERR_CONFIG, "config: locations.<id>.<field>: ..."). A store
  // without ready_within takes `default_ready` (policy.sla.store_pickup_ready).
  static Locations from_config(const Json &section, TimeMs default_ready);

  const Location *find(const std::string &id) const;
  // The location if it is a store, else nullptr.
  const Location *store(const std::string &id) const;
  bool empty() const { return by_id_.empty(); }
  const std::map<std::string, Location> &all() const { return by_id_; }

  bool operator==(const Locations &) const = default;

 private:
  std::map<std::string, Location> by_id_;
};

// The end of the store's day that `at` falls in: its next closing time on
// its own wall clock (`at` itself at the closing minute). A return taken
// after closing belongs to the next day.
TimeMs end_of_store_day(const Location &store, TimeMs at);

const char *to_string(LocationKind kind);

}  // namespace ordercare::domain
