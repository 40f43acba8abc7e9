#pragma once

#include "runtime/call_registry.h"
#include "runtime/engine.h"

namespace ordercare::runtime {

// order.reship, order.exchange, order.cancel, order.offer, return.label:
// an agent asks the host to act on an order (abi/CALLS.md, "Order
// actions"), refused by policy and arithmetic as refunds are.
void register_order_action_calls(CallRegistry &registry, Engine &engine);

}  // namespace ordercare::runtime
