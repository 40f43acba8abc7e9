#pragma once

#include "runtime/call_registry.h"

namespace ordercare::runtime {

// service_log.export {from?, to?, format}: seed 002's customer service log,
// one entry per case opened in [from, to), as JSON or CSV.
Json export_service_log(CallContext &ctx, const Json &args);

}  // namespace ordercare::runtime
