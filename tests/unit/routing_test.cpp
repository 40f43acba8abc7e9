// Seed 001's smart routing through the plugin (issue 5, point 5): inside a
// team, round-robin and least-open assignment among the agents marked
// available (agent.set_available), which is the runtime's roster state; bad
// routing config is refused at open naming the field. The routing rules
// themselves are decisions, tested on the domain alone in
// routing_rules_test.cpp.
#include <gtest/gtest.h>

#include <map>
#include <string>
#include <vector>

#include "support/scenario.h"
#include "support/sla_support.h"

namespace ordercare::testing {
namespace {

TEST(Routing, BadRoutingConfigIsRefusedAtOpenNamingTheField) {
  Scenario s;
  struct Bad {
    Json routing;
    std::string field;
  };
  const std::vector<Bad> cases = {
      {{{"rules", {{{"when", {{"channel", {"chat"}}}}, {"team", "x"}}}}}, "policy.routing.rules[0].id"},
      {{{"rules", {{{"id", "r"}, {"when", Json::object()}}}}}, "policy.routing.rules[0].team"},
      {{{"rules", {routing_rule("ok", Json::object(), "t"), routing_rule("r", {{"type", {"parcel"}}}, "t")}}},
       "policy.routing.rules[1].when.type"},
      {{{"rules", {routing_rule("r", {{"colour", "red"}}, "t")}}}, "policy.routing.rules[0].when.colour"},
      {{{"rules", {routing_rule("r", {{"order_value_at_least", -5}}, "t")}}},
       "policy.routing.rules[0].when.order_value_at_least"},
      {{{"rules", {routing_rule("r", {{"keywords", "refund"}}, "t")}}}, "policy.routing.rules[0].when.keywords"},
      {{{"rules", {{"id", "r"}}}}, "policy.routing.rules"},
      {{{"assignment", {{"support", {{"agents", Json::array()}}}}}}, "policy.routing.assignment.support.agents"},
      {{{"assignment", {{"support", {{"agents", {"a"}}, {"strategy", "random"}}}}}},
       "policy.routing.assignment.support.strategy"},
      {{{"assignment", {{"support", {{"agents", {"a"}}, {"shift", "night"}}}}}},
       "policy.routing.assignment.support.shift"},
      {{{"routes", Json::array()}}, "policy.routing.routes"},
  };
  for (const auto &bad : cases) {
    const CallError e = s.reopen_error(routing_policy(bad.routing));
    EXPECT_EQ(e.status, OC_ERR_CONFIG) << bad.routing;
    EXPECT_NE(e.message.find(bad.field), std::string::npos) << bad.field << " not named in: " << e.message;
  }
  // And a good one opens.
  EXPECT_EQ(s.reopen_error(routing_policy({{"rules", {routing_rule("r", {{"type", {"wismo"}}}, "t")}}})).status, OC_OK);
}

// --- Assignment inside a team --------------------------------------------------------

Json roster(std::vector<std::string> agents, const std::string &strategy = "round_robin") {
  return {{"assignment", {{"support", {{"agents", std::move(agents)}, {"strategy", strategy}}}}}};
}

TEST(Assignment, RoundRobinRotatesAndStaysFair) {
  Scenario s(routing_policy(roster({"ann", "bob", "cyd"})));
  CaseOpener o(s);
  std::vector<std::string> order;
  std::map<std::string, int> counts;
  for (int i = 0; i < 10; ++i) {
    s.advance(kMinuteMs);
    const Json c = o.open("email", "Where is my order?");
    ASSERT_TRUE(c["assignee"].is_string()) << c;
    order.push_back(c["assignee"]);
    counts[c["assignee"]] += 1;
  }
  EXPECT_EQ(order, (std::vector<std::string>{"ann", "bob", "cyd", "ann", "bob", "cyd", "ann", "bob", "cyd", "ann"}));
  EXPECT_EQ(counts.size(), 3u);
  EXPECT_EQ(counts["ann"], 4);
  EXPECT_EQ(counts["bob"], 3);
  EXPECT_EQ(counts["cyd"], 3);
  // The assignment is on the case's log, with the strategy.
  const Json c = o.open("email", "Where is my order?");
  const auto assigns = log_entries(c, "assign");
  ASSERT_EQ(assigns.size(), 1u);
  EXPECT_EQ(assigns[0]["actor"], "system");
  EXPECT_EQ(assigns[0]["details"]["why"], "round_robin");
}

TEST(Assignment, RoundRobinStaysFairWhenCasesArriveInTheSameMillisecond) {
  // A burst of events with one host time (an import, a webhook retry storm).
  Scenario s(routing_policy(roster({"ann", "bob", "cyd"})));
  CaseOpener o(s);
  std::map<std::string, int> counts;
  std::vector<std::string> order;
  for (int i = 0; i < 9; ++i) {
    const Json c = o.open("email", "Where is my order?");
    order.push_back(c["assignee"]);
    counts[c["assignee"]] += 1;
  }
  EXPECT_EQ(order, (std::vector<std::string>{"ann", "bob", "cyd", "ann", "bob", "cyd", "ann", "bob", "cyd"}));
  EXPECT_EQ(counts["ann"], 3);
  EXPECT_EQ(counts["bob"], 3);
  EXPECT_EQ(counts["cyd"], 3);
}

TEST(Assignment, ManyCasesOverAvailableAgentsDifferByAtMostOne) {
  Scenario s(routing_policy(roster({"a1", "a2", "a3", "a4", "a5"})));
  set_available(s, "support", "a4", false);
  CaseOpener o(s);
  std::map<std::string, int> counts;
  for (int i = 0; i < 23; ++i) {
    if (i % 4 == 0) s.advance(kSecondMs);
    counts[o.open("email", "Where is my order?")["assignee"]] += 1;
  }
  EXPECT_EQ(counts.count("a4"), 0u) << "an unavailable agent gets nothing";
  ASSERT_EQ(counts.size(), 4u);
  int lo = 1000, hi = 0;
  for (const auto &[agent, n] : counts) {
    lo = std::min(lo, n);
    hi = std::max(hi, n);
  }
  EXPECT_LE(hi - lo, 1) << "23 cases over 4 agents";
}

TEST(Assignment, AnUnavailableAgentIsSkippedAndIsNextWhenBack) {
  Scenario s(routing_policy(roster({"ann", "bob", "cyd"})));
  CaseOpener o(s);
  EXPECT_EQ(set_available(s, "support", "bob", false),
            (Json{{"team", "support"}, {"agent", "bob"}, {"available", false}}));
  std::vector<std::string> order;
  for (int i = 0; i < 4; ++i) {
    s.advance(kMinuteMs);
    order.push_back(o.open("email", "Where is my order?")["assignee"]);
  }
  EXPECT_EQ(order, (std::vector<std::string>{"ann", "cyd", "ann", "cyd"}));
  // Back from the break: bob waited longest, so he is next.
  set_available(s, "support", "bob", true);
  s.advance(kMinuteMs);
  EXPECT_EQ(o.open("email", "Where is my order?")["assignee"], "bob");
  s.advance(kMinuteMs);
  EXPECT_EQ(o.open("email", "Where is my order?")["assignee"], "ann");
}

TEST(Assignment, NobodyAvailableLeavesTheCaseUnassigned) {
  Scenario s(routing_policy(roster({"ann", "bob"})));
  set_available(s, "support", "ann", false);
  set_available(s, "support", "bob", false);
  CaseOpener o(s);
  const Json c = o.open("email", "Where is my order?");
  EXPECT_EQ(c["assignee"], nullptr);
  EXPECT_TRUE(log_entries(c, "assign").empty());
}

TEST(Assignment, AvailabilitySurvivesARestart) {
  Scenario s(routing_policy(roster({"ann", "bob"})));
  set_available(s, "support", "ann", false);
  s.reopen();
  CaseOpener o(s);
  EXPECT_EQ(o.open("email", "Where is my order?")["assignee"], "bob");
}

TEST(Assignment, LeastOpenGoesToTheAgentWithFewestActiveCases) {
  Scenario s(routing_policy(roster({"ann", "bob"}, "least_open")));
  CaseOpener o(s);
  std::vector<std::string> ids;
  std::vector<std::string> order;
  for (int i = 0; i < 4; ++i) {
    s.advance(kMinuteMs);
    const Json c = o.open("email", "Where is my order?");
    ids.push_back(c["id"]);
    order.push_back(c["assignee"]);
  }
  EXPECT_EQ(order, (std::vector<std::string>{"ann", "bob", "ann", "bob"}));
  // Bob closes both of his: he has none open, Ann two, so the next two are his.
  for (std::size_t i = 1; i < ids.size(); i += 2) {
    s.call("case.reply", {{"id", ids[i]}, {"agent", "bob"}, {"text", "It shipped today"}});
    s.call("case.resolve",
           {{"id", ids[i]}, {"agent", "bob"}, {"resolution", "Shipped"}, {"action_taken", "Tracking sent"}});
  }
  s.advance(kMinuteMs);
  const Json next = o.open("email", "Where is my order?");
  EXPECT_EQ(next["assignee"], "bob");
  EXPECT_EQ(log_entries(next, "assign")[0]["details"]["why"], "least_open");
  s.advance(kMinuteMs);
  EXPECT_EQ(o.open("email", "Where is my order?")["assignee"], "bob") << "bob 1 open, ann 2";
  s.advance(kMinuteMs);
  EXPECT_EQ(o.open("email", "Where is my order?")["assignee"], "ann") << "2 each: the one who waited longer";
}

TEST(Assignment, ATeamWithoutARosterLeavesCasesUnassigned) {
  Scenario s(routing_policy(roster({"ann", "bob"})));
  CaseOpener o(s);
  const Json payment = o.open("email", "My card was charged twice");
  EXPECT_EQ(payment["team"], "payments");
  EXPECT_EQ(payment["assignee"], nullptr);
  EXPECT_EQ(o.open("email", "Where is my order?")["assignee"], "ann");
}

TEST(Assignment, RoutingAndRosterTogether) {
  Json routing = roster({"ann"});
  routing["rules"] = Json::array({routing_rule("returns_team", {{"type", {"return", "refund"}}}, "returns")});
  routing["assignment"]["returns"] = {{"agents", {"rita", "ravi"}}};
  Scenario s(routing_policy(routing));
  CaseOpener o(s);
  EXPECT_EQ(o.open("email", "I would like to return the jacket")["assignee"], "rita");
  s.advance(kMinuteMs);
  EXPECT_EQ(o.open("email", "I want to send it back")["assignee"], "ravi");
  EXPECT_EQ(o.open("email", "Where is my order?")["assignee"], "ann");
}

TEST(Assignment, SetAvailableRefusesUnknownTeamsAndAgentsAndBadArgs) {
  Scenario s(routing_policy(roster({"ann"})));
  CallError e = s.error("agent.set_available", {{"team", "nights"}, {"agent", "ann"}, {"available", true}});
  EXPECT_EQ(e.status, OC_ERR_NOT_FOUND);
  EXPECT_NE(e.message.find("policy.routing.assignment.nights"), std::string::npos) << e.message;
  e = s.error("agent.set_available", {{"team", "support"}, {"agent", "zed"}, {"available", true}});
  EXPECT_EQ(e.status, OC_ERR_NOT_FOUND);
  EXPECT_NE(e.message.find("zed"), std::string::npos) << e.message;
  e = s.error("agent.set_available", {{"team", "support"}, {"agent", "ann"}});
  EXPECT_EQ(e.status, OC_ERR_SCHEMA);
  EXPECT_NE(e.message.find("available"), std::string::npos) << e.message;
  e = s.error("agent.set_available", {{"team", "support"}, {"agent", "ann"}, {"available", "no"}});
  EXPECT_EQ(e.status, OC_ERR_SCHEMA);
  e = s.error("agent.set_available", {{"team", "support"}, {"agent", "ann"}, {"available", false}, {"until", "5pm"}});
  EXPECT_EQ(e.status, OC_ERR_SCHEMA);
  EXPECT_NE(e.message.find("until"), std::string::npos) << e.message;
  e = s.error("agent.set_available", {{"agent", "ann"}, {"available", false}});
  EXPECT_EQ(e.status, OC_ERR_SCHEMA);
  EXPECT_NE(e.message.find("team"), std::string::npos) << e.message;
}

}  // namespace
}  // namespace ordercare::testing
