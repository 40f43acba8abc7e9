#pragma once

#include "runtime/call_registry.h"
#include "runtime/engine.h"
#include "runtime/host_callbacks.h"
#include "runtime/notification_renderer.h"

namespace ordercare::runtime {

// cases.list, case.get, case.assign, case.reply, case.send_template,
// case.note, case.escalate, case.resolve, case.close, case.reopen,
// case.wait, case.resume, case.csat, case.nps, escalations.log,
// service_log.export, customer.erase. A command decides with the policy of
// its case's store (engine.policy_of). An agent's message is rendered with
// `renderer` before it is queued; `host` tells whether there is a notify
// callback to send it with.
void register_case_calls(CallRegistry &registry, Engine &engine, const NotificationRenderer &renderer,
                         const HostCallbacks &host);

}  // namespace ordercare::runtime
