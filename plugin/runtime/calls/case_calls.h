#pragma once

#include "runtime/call_registry.h"
#include "runtime/engine.h"

namespace ordercare::runtime {

// cases.list, case.get, case.assign, case.reply, case.note, case.escalate,
// case.resolve, case.close, case.reopen, case.wait, case.resume, case.csat,
// case.nps, escalations.log, service_log.export, customer.erase
void register_case_calls(CallRegistry &registry, Engine &engine, const domain::Policy &policy);

}  // namespace ordercare::runtime
