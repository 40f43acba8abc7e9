// The clocks a store keeps on its own wall clock (seed 004), as case clocks
// with a fixed deadline (CaseClock::deadline): the SLA timer queue fires
// them like any other, and these rules say what a warning or a breach of
// each one means.
//   store_return_day  a return taken at a store is processed by the end of
//                     the store's day ("Don't let returns pile up");
//   pickup_ready      a pickup order is ready within the store's ready time;
//   pickup_hold       a ready order is collected within the hold period.
#pragma once

#include <string>

#include "domain/case_work.h"
#include "domain/locations.h"

namespace ordercare::domain {

inline constexpr const char *kStoreReturnClock = "store_return_day";
inline constexpr const char *kPickupReadyClock = "pickup_ready";
inline constexpr const char *kPickupHoldClock = "pickup_hold";

// Starts (or restarts) the clock `name` on `c` from `at`, due at `deadline`.
void start_location_clock(CaseRecord &c, const std::string &name, TimeMs at, TimeMs deadline);
// Ends it at `at` (the promise was kept); nothing if it is not running.
void meet_location_clock(CaseRecord &c, const std::string &name, TimeMs at);

// The team that hears of a location's clocks: its own, else the policy's
// store team.
std::string location_team(const Policy &policy, const std::optional<std::string> &location);

// A location clock of `c` reached its warning or its deadline at `now`
// (decide_sla_due): warns the store's team, and at the deadline does what
// the clock's promise asks (escalates an unprocessed return, chases an
// order not ready, raises a case for an order not collected).
void location_clock_due(CaseWork &work, CaseRecord &c, CaseClock &clock);

}  // namespace ordercare::domain
