// The SLA digest: what one team or person hears about SLA warnings,
// breaches and the escalations they caused, once per slot instead of once
// per case per step (SlaTargets::digest_interval).
#pragma once

#include <string>
#include <vector>

#include "domain/decision.h"
#include "domain/policy.h"

namespace ordercare::domain {

// items: the recipient's held notices whose slot has ended by `now`;
// cases: the cases they are about, as they stand now. A notice is dropped
// when someone acted on its case after it was noted, when the case is no
// longer being worked on, or (a warning) when its clock was met or missed
// since. What is left goes out as one team notice (template
// team_sla_digest, key derived from the recipient and the last slot), and
// every item is marked sent either way. A digest the host cannot deliver is
// noted on its most urgent case, as any failed notice is.
Decision decide_sla_digest(const std::string &recipient, const std::vector<DigestItem> &items,
                           const std::vector<CaseRecord> &cases, TimeMs now, const Policy &policy);

}  // namespace ordercare::domain
