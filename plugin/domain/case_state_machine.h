// The case lifecycle as an explicit transition table:
//   new -> open -> (waiting_customer | waiting_warehouse) -> escalated
//       -> resolved -> closed, and reopened from resolved or closed.
// Anything not in the table is illegal and is refused with a message; it
// is never a silent no-op.
#pragma once

#include <string>

#include "domain/vocabulary.h"

namespace ordercare::domain {

bool can_transition(CaseStatus from, CaseStatus to);

// Throws Failure(OC_ERR_TRANSITION) naming the case, both states and what
// would be legal from `from`.
void require_transition(const std::string &case_id, CaseStatus from, CaseStatus to,
                        const std::string &command);

// States in which the case is still being worked (not resolved or closed).
bool is_active(CaseStatus status);

}  // namespace ordercare::domain
