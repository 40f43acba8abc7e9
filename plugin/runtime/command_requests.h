// request_id, a caller's retry key for a command (Stripe's Idempotency-Key):
// a host that crashed after oc_call and calls again with the same id gets
// the first answer back and nothing happens twice; the same id with other
// arguments is refused. Queries take no request_id.
#pragma once

#include <optional>
#include <string>

#include "common/json.h"
#include "runtime/call_registry.h"

namespace ordercare::runtime {

// Takes "request_id" out of a command's args (a non-empty string of at most
// 200 characters), so the handler sees only its own arguments.
std::optional<std::string> take_request_id(Json &args);

// Runs the command once per request_id, on the plugin thread inside its
// job: the first call runs `handler` and keeps its answer in the same
// transaction as what it did; a later one with the same method and
// arguments returns that answer.
Json run_once(CallContext &ctx, const std::string &method, const Json &args, const std::string &request_id,
              const CallHandler &handler);

}  // namespace ordercare::runtime
