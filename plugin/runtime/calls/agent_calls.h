#pragma once

#include "domain/policy.h"
#include "runtime/call_registry.h"

namespace ordercare::runtime {

// agent.set_available {team, agent, available}: an agent of a team's roster
// (policy.routing.assignment) goes on or off shift; assignment skips agents
// who are not available.
void register_agent_calls(CallRegistry &registry, const domain::Policy &policy);

}  // namespace ordercare::runtime
