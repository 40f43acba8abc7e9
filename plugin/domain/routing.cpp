#include "domain/routing.h"

#include <algorithm>

#include "common/config_reader.h"
#include "common/utf8.h"
#include "domain/classifier.h"
#include "domain/policy.h"

namespace ordercare::domain {

namespace {

bool any_tag(const Customer *customer, const std::vector<std::string> &tags) {
  if (!customer) return false;
  for (const auto &tag : customer->tags)
    if (contains(tags, tag)) return true;
  return false;
}

bool matches(const RoutingRule &rule, const RoutingFacts &facts, const std::string &folded) {
  if (!rule.types.empty() && std::find(rule.types.begin(), rule.types.end(), facts.type) == rule.types.end())
    return false;
  if (!rule.channels.empty() && !contains(rule.channels, facts.channel)) return false;
  if (!rule.customer_tags.empty() && !any_tag(facts.customer, rule.customer_tags)) return false;
  if (rule.order_value_at_least_major) {
    if (!facts.order) return false;
    if (facts.order->total < major_to_minor(*rule.order_value_at_least_major, facts.order->currency)) return false;
  }
  if (!rule.keywords.empty()) {
    bool found = false;
    for (const auto &k : rule.keywords) found = found || contains_phrase(folded, Phrase{k, false});
    if (!found) return false;
  }
  return true;
}

}  // namespace

const RoutingRule *route(const RoutingPolicy &policy, const RoutingFacts &facts) {
  const std::string folded = fold_case(facts.text);
  for (const auto &rule : policy.rules)
    if (matches(rule, facts, folded)) return &rule;
  return nullptr;
}

RoutingPolicy routing_from_json(const Json &value, const std::string &path) {
  RoutingPolicy out;
  ConfigReader root(value, path);
  if (const Json *rules = root.child("rules")) {
    if (!rules->is_array()) fail_config(root.path_of("rules"), "expected an array");
    for (std::size_t i = 0; i < rules->size(); ++i) {
      const std::string at = root.path_of("rules") + "[" + std::to_string(i) + "]";
      ConfigReader r((*rules)[i], at);
      RoutingRule rule;
      rule.id = r.string("id", "");
      if (rule.id.empty()) fail_config(r.path_of("id"), "required");
      rule.team = r.string("team", "");
      if (rule.team.empty()) fail_config(r.path_of("team"), "required");
      const Json *when = r.child("when");
      ConfigReader w(value_or_empty(when), r.path_of("when"));
      for (const auto &t : w.string_list("type", {})) {
        auto type = parse_issue_type(t);
        if (!type) fail_config(w.path_of("type"), "unknown issue type '" + t + "'");
        rule.types.push_back(*type);
      }
      for (const auto &k : w.string_list("keywords", {})) rule.keywords.push_back(fold_case(k));
      rule.channels = w.string_list("channel", {});
      if (w.has("order_value_at_least"))
        rule.order_value_at_least_major = w.integer("order_value_at_least", 0, 0, 1'000'000'000);
      rule.customer_tags = w.string_list("customer_tags", {});
      w.finish();
      r.finish();
      out.rules.push_back(std::move(rule));
    }
  }
  if (const Json *rosters = root.child("assignment")) {
    if (!rosters->is_object()) fail_config(root.path_of("assignment"), "expected an object of team -> roster");
    for (auto it = rosters->begin(); it != rosters->end(); ++it) {
      ConfigReader r(it.value(), root.path_of("assignment") + "." + it.key());
      TeamRoster roster;
      roster.strategy = r.choice("strategy", roster.strategy, {"round_robin", "least_open"});
      roster.agents = r.string_list("agents", {});
      if (roster.agents.empty()) fail_config(r.path_of("agents"), "name at least one agent");
      r.finish();
      out.rosters[it.key()] = std::move(roster);
    }
  }
  root.finish();
  return out;
}

std::optional<std::string> choose_agent(const TeamRoster &roster, const std::vector<AgentState> &agents,
                                        const std::optional<std::string> &exclude) {
  struct Candidate {
    AgentState state;
    std::size_t rank;  // roster order breaks the last ties
  };
  std::vector<Candidate> candidates;
  for (std::size_t rank = 0; rank < roster.agents.size(); ++rank) {
    const auto it = std::find_if(agents.begin(), agents.end(),
                                 [&](const AgentState &a) { return a.name == roster.agents[rank]; });
    AgentState state;
    state.name = roster.agents[rank];
    if (it != agents.end()) state = *it;
    if (state.available && !(exclude && state.name == *exclude)) candidates.push_back({state, rank});
  }
  if (candidates.empty()) return std::nullopt;
  const bool least_open = roster.strategy == "least_open";
  // Never assigned sorts before any time: -1 stands below every instant.
  auto last = [](const Candidate &c) { return c.state.last_assigned_at.value_or(-1); };
  const auto best = std::min_element(candidates.begin(), candidates.end(), [&](const Candidate &a, const Candidate &b) {
    if (least_open && a.state.open_cases != b.state.open_cases) return a.state.open_cases < b.state.open_cases;
    if (last(a) != last(b)) return last(a) < last(b);
    return a.rank < b.rank;
  });
  return best->state.name;
}

}  // namespace ordercare::domain
