#pragma once

#include "runtime/call_registry.h"
#include "runtime/engine.h"

namespace ordercare::runtime {

// metrics, metrics.formulas, report.daily, qa.score (abi/CALLS.md "Reports").
void register_report_calls(CallRegistry &registry, Engine &engine, const domain::Policy &policy);

}  // namespace ordercare::runtime
