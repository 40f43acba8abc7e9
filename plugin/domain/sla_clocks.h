// A case's SLA clocks, kept in step with the case. Every change to a case
// goes through sync_clocks(), so pausing while waiting on the customer,
// resuming on their reply, stopping on the first response or resolution,
// restarting on reopen and tightening on a raised priority happen in one
// place, on the team's business calendar.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "domain/entities.h"
#include "domain/policy.h"

namespace ordercare::domain {

void sync_clocks(CaseRecord &c, const SlaTargets &sla, TimeMs now);

// The instants at which something happens to the case: one warning and one
// breach per running clock (unless already past). The store keeps these as
// the timer queue.
struct SlaTimer {
  std::string clock;
  std::string stage;  // warning | breach
  TimeMs due = 0;

  bool operator==(const SlaTimer &) const = default;
};
std::vector<SlaTimer> timers_of(const CaseRecord &c);

// A clock's name as a person reads it ("first response").
std::string clock_label(const std::string &name);

// "2 hours", "30 seconds", "10 minutes", "1 day 4 hours": a target in words
// for the customer's acknowledgement, in English or German ("2 Stunden")
// by the language tag's primary subtag; other languages get English, as
// their templates fall back to it.
std::string humanize_duration(TimeMs ms, std::string_view language = "en");

}  // namespace ordercare::domain
