#pragma once

#include "runtime/call_registry.h"

namespace ordercare::runtime {

// transfers.list, transfer.get: seed 004's documented store <-> warehouse
// transfers (domain/transfers.h), with their history.
void register_transfer_calls(CallRegistry &registry);

}  // namespace ordercare::runtime
