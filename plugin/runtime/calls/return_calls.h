#pragma once

#include "runtime/call_registry.h"
#include "runtime/engine.h"

namespace ordercare::runtime {

// returns.list, return.get, return.approve, return.reject,
// return.issue_label, return.in_transit, return.receive, return.inspect,
// return.refund, return.cancel, order.refund, effects.list. A command
// decides with the policy of its order's store.
void register_return_calls(CallRegistry &registry, Engine &engine);

}  // namespace ordercare::runtime
