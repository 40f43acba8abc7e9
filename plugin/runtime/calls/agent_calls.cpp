#include "runtime/calls/agent_calls.h"

#include <algorithm>

#include "common/failure.h"
#include "common/subject.h"

namespace ordercare::runtime {

namespace {

}  // namespace

void register_agent_calls(CallRegistry &registry, const domain::Policy &policy) {
  registry.add_command("agent.set_available", [&policy](CallContext &ctx, const Json &json) -> Json {
    ConfigReader args = args_reader(json);
    const std::string team = required_nonempty(args, "team");
    const std::string agent = required_nonempty(args, "agent");
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
    ctx.job.store.claim({Subject::team(team)});
    ctx.job.store.state().set_agent_available(team, agent, available);
    return {{"team", team}, {"agent", agent}, {"available", available}};
  });
}

}  // namespace ordercare::runtime
