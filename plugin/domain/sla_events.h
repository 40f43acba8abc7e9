// What happens when a case's SLA clock reaches its warning or its target:
// the decision the runtime writes when a timer falls due.
#pragma once

#include <string>

#include "domain/case_engine.h"
#include "domain/case_work.h"

namespace ordercare::domain {

// state: the case (first in state.cases), its order and customer. Fires
// every stage of every clock due at `now`: a warning tells the team (none
// when the breach is due too: it would come too late); a breach marks the case, escalates it one level up the escalation path
// (priority never lowered), records the escalation with its promised
// resolution and tells the team and the person it went to.
Decision decide_sla_due(const Snapshot &state, TimeMs now, const Policy &policy);

// What a notice about `clock` on `c` renders: the order's variables, the
// clock's name and due time, `target` (how long the clock runs) and the
// case id.
Json sla_variables(const CaseWork &work, const CaseRecord &c, const CaseClock &clock, TimeMs target);

}  // namespace ordercare::domain
