#pragma once

#include "runtime/call_registry.h"

namespace ordercare::runtime {

// events.list, events.get
void register_event_calls(CallRegistry &registry);

}  // namespace ordercare::runtime
