// Seed 001's smart routing: rules on issue type, keywords, channel, order
// value and customer tags send a new case to a team ("all return requests
// to the Returns team"); inside a team, cases go to available agents by
// round-robin or to whoever has the fewest open cases.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "common/json.h"
#include "domain/entities.h"
#include "domain/vocabulary.h"

namespace ordercare::domain {

struct Phrase;

struct RoutingRule {
  std::string id;
  std::vector<IssueType> types;         // any of; empty = any
  std::vector<std::string> keywords;    // case-folded; any of
  std::vector<std::string> channels;    // any of
  std::optional<std::int64_t> order_value_at_least_major;  // in the order's currency
  std::vector<std::string> customer_tags;                  // any of
  std::string team;
};

struct TeamRoster {
  std::string strategy = "round_robin";  // round_robin | least_open
  std::vector<std::string> agents;       // in the order ties are broken
};

struct RoutingPolicy {
  std::vector<RoutingRule> rules;  // first match wins; no match: teams.by_type
  std::map<std::string, TeamRoster> rosters;
};

struct RoutingFacts {
  IssueType type;
  std::string channel;
  std::string text;  // the customer's words, if any
  const Order *order = nullptr;
  const Customer *customer = nullptr;
};

// The first rule that matches, or nullopt.
const RoutingRule *route(const RoutingPolicy &policy, const RoutingFacts &facts);

RoutingPolicy routing_from_json(const Json &value, const std::string &path);

struct AgentState {
  std::string name;
  bool available = true;
  std::int64_t open_cases = 0;
  std::optional<TimeMs> last_assigned_at;
};

// The agent to give the next case to, or nullopt if nobody is available.
// round_robin: the available agent who waited longest since their last case
// (never-assigned first, then roster order), so turns rotate fairly and an
// agent coming back from a break is next. least_open: the fewest open
// cases, ties broken the same way. `exclude` is skipped (reassignment).
std::optional<std::string> choose_agent(const TeamRoster &roster, const std::vector<AgentState> &agents,
                                        const std::optional<std::string> &exclude);

}  // namespace ordercare::domain
