#include "runtime/calls/agent_calls.h"

#include <algorithm>

#include "common/failure.h"

namespace ordercare::runtime {

namespace {

std::string required(ConfigReader &args, const char *key) {
  auto value = args.optional_string(key);
  if (!value || value->empty()) fail(OC_ERR_SCHEMA, std::string("args: ") + key + ": missing required field");
  return *value;
}

}  // namespace

void register_agent_calls(CallRegistry &registry, const domain::Policy &policy) {
  registry.add("agent.set_available", [&policy](CallContext &ctx, const Json &json) -> Json {
    ConfigReader args = args_reader(json);
    const std::string team = required(args, "team");
    const std::string agent = required(args, "agent");
    if (!args.has("available")) fail(OC_ERR_SCHEMA, "args: available: missing required field");
    const bool available = args.boolean("available", true);
    args.finish();
    // Only a roster's agents are ever assigned: any other name is a typo that
    // would otherwise change nothing without a word.
    const auto roster = policy.routing.rosters.find(team);
    if (roster == policy.routing.rosters.end())
      fail(OC_ERR_NOT_FOUND, "agent.set_available: team '" + team +
                                 "' has no roster (policy.routing.assignment." + team + ")");
    const auto &agents = roster->second.agents;
    if (std::find(agents.begin(), agents.end(), agent) == agents.end())
      fail(OC_ERR_NOT_FOUND, "agent.set_available: '" + agent + "' is not on the roster of team '" + team + "'");
    ctx.job.store.state().set_agent_available(team, agent, available);
    return {{"team", team}, {"agent", agent}, {"available", available}};
  });
}

}  // namespace ordercare::runtime
