// What an acknowledgement promises the customer: the case's first-response
// clock put in words a customer reads, never a bare SLA figure.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "domain/business_calendar.h"
#include "domain/entities.h"
#include "domain/policy.h"

namespace ordercare::domain {

// `due` is when the clock of `target` ms started at `now` ends on `hours`.
// While it runs straight through (due - now is the target): "within a few
// minutes" (5 minutes or less), "within 10 minutes", "within 2 hours",
// "within 1 day". When business hours stretch it, the local time of the
// hours' zone: "by 17:00 today", "by tomorrow 10:00", "by Monday 10:00",
// "by 24 November 10:00". German for a "de" tag ("innerhalb von 2
// Stunden", "bis morgen 10:00 Uhr"); other languages get English, as
// their templates fall back to it.
std::string response_promise(TimeMs now, TimeMs due, TimeMs target, const BusinessHours &hours,
                             std::string_view language);

// The promise of case `c`'s first-response clock as it stands at `now`
// (synced by sync_clocks): its due time on the case's calendar, or the
// bare target while it has none (paused).
std::string response_promise(const CaseRecord &c, const SlaTargets &sla, TimeMs now, std::string_view language);

}  // namespace ordercare::domain
