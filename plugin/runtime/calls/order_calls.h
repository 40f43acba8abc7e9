#pragma once

#include "runtime/call_registry.h"

namespace ordercare::runtime {

// order.get
void register_order_calls(CallRegistry &registry);

}  // namespace ordercare::runtime
