// Seed 000's QA scorecard through qa.score: six criteria scored 1-5, the
// total and average returned, the scorecard kept in the case's log (so
// case.get shows it, across a restart, with the comment sealed), each bad
// score refused naming its criterion and changing nothing, and the agents'
// averages in metrics grouped by agent.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "support/scenario.h"

namespace ordercare::testing {
namespace {

const CustomerSpec kAnn("c-ann", "Ann Archer");

const std::vector<std::string> kCriteria = {"greeting",   "active_listening", "empathy",
                                            "resolution", "timeliness",       "professionalism"};

Json scores(std::vector<int> values) {
  Json out = Json::object();
  for (std::size_t i = 0; i < kCriteria.size(); ++i) out[kCriteria[i]] = values[i];
  return out;
}

std::string open_case(Scenario &s, const std::string &order_id = "A") {
  s.submit(s.order_created(order_id, kAnn));
  s.advance(kMinuteMs);
  const Json r = s.submit(s.message(kAnn, order_id, "email", "The vase arrived broken"));
  s.advance(kMinuteMs);
  return r["cases"][0].get<std::string>();
}

std::vector<Json> qa_entries(Scenario &s, const std::string &case_id) {
  std::vector<Json> out;
  const Json c = s.get_case(case_id);
  for (const auto &entry : c["log"])
    if (entry["kind"] == "qa") out.push_back(entry);
  return out;
}

TEST(QaScore, ReturnsTheScorecardWithTotalAndAverage) {
  Scenario s;
  const std::string id = open_case(s);
  const Json card = s.call("qa.score", {{"case_id", id},
                                        {"agent", "kim"},
                                        {"scores", scores({5, 4, 5, 5, 4, 5})},
                                        {"comment", "Warm greeting, clear replacement offer"}});
  EXPECT_EQ(card["case_id"], id);
  EXPECT_EQ(card["agent"], "kim");
  EXPECT_EQ(card["reviewer"], "qa");
  EXPECT_EQ(card["scored_at"], format_rfc3339(s.now()));
  EXPECT_EQ(card["scores"], scores({5, 4, 5, 5, 4, 5}));
  EXPECT_EQ(card["total"], 28);
  EXPECT_EQ(card["max_total"], 30);
  EXPECT_NEAR(card["average"].get<double>(), 28.0 / 6, 1e-9);
  EXPECT_EQ(card["comment"], "Warm greeting, clear replacement offer");
  // The seed's rows, in its order, with its wording.
  ASSERT_EQ(card["criteria"].size(), 6u);
  EXPECT_EQ(card["criteria"][0]["category"], "Greeting");
  EXPECT_EQ(card["criteria"][0]["criteria"], "Polite, professional, and welcoming tone.");
  EXPECT_EQ(card["criteria"][3]["key"], "resolution");
  EXPECT_EQ(card["criteria"][3]["category"], "Resolution Provided");
  EXPECT_EQ(card["criteria"][5]["score"], 5);
}

TEST(QaScore, IsKeptInTheCaseLogAcrossARestartWithTheCommentSealed) {
  Scenario s;
  const std::string id = open_case(s);
  const std::string comment = "Customer quoted order details; agent stayed calm";
  s.call("qa.score", {{"case_id", id},
                      {"agent", "kim"},
                      {"reviewer", "lead-lou"},
                      {"scores", scores({3, 3, 4, 4, 2, 5})},
                      {"comment", comment}});
  s.reopen();
  const auto entries = qa_entries(s, id);
  ASSERT_EQ(entries.size(), 1u);
  EXPECT_EQ(entries[0]["actor"], "lead-lou");
  EXPECT_EQ(entries[0]["details"]["agent"], "kim");
  EXPECT_EQ(entries[0]["details"]["scores"], scores({3, 3, 4, 4, 2, 5}));
  EXPECT_EQ(entries[0]["details"]["total"], 21);
  EXPECT_EQ(entries[0]["pii"]["comment"], comment);
  EXPECT_EQ(s.raw_store_bytes().find(comment), std::string::npos) << "the comment is sealed at rest";
}

TEST(QaScore, ScoresACaseInAnyStateAndSeveralTimes) {
  Scenario s;
  const std::string id = open_case(s);
  s.call("case.assign", {{"id", id}, {"agent", "kim"}});
  s.call("case.resolve", {{"id", id}, {"agent", "kim"}, {"resolution", "Refunded"}, {"action_taken", "Refund"}});
  s.call("case.close", {{"id", id}, {"agent", "kim"}, {"follow_up", "Confirmed by email"}});
  s.call("qa.score", {{"case_id", id}, {"agent", "kim"}, {"scores", scores({5, 5, 5, 5, 5, 5})}});
  s.call("qa.score", {{"case_id", id}, {"agent", "sam"}, {"scores", scores({1, 1, 1, 1, 1, 1})}});
  EXPECT_EQ(qa_entries(s, id).size(), 2u);
  EXPECT_EQ(s.get_case(id)["status"], "closed") << "scoring changes nothing about the case";
}

struct BadScore {
  const char *name;
  Json scores;
  std::string message;
};

void PrintTo(const BadScore &b, std::ostream *os) { *os << b.name; }

class QaScoreRefuses : public ::testing::TestWithParam<BadScore> {};

TEST_P(QaScoreRefuses, NamingTheCriterionAndChangingNothing) {
  Scenario s;
  const std::string id = open_case(s);
  const Json before = s.get_case(id);
  const CallError e = s.error("qa.score", {{"case_id", id}, {"agent", "kim"}, {"scores", GetParam().scores}});
  EXPECT_EQ(e.status, OC_ERR_SCHEMA);
  EXPECT_NE(e.message.find(GetParam().message), std::string::npos) << e.message;
  EXPECT_EQ(s.get_case(id), before);
}

Json with(const std::string &criterion, Json value) {
  Json out = scores({4, 4, 4, 4, 4, 4});
  out[criterion] = std::move(value);
  return out;
}

Json without(const std::string &criterion) {
  Json out = scores({4, 4, 4, 4, 4, 4});
  out.erase(criterion);
  return out;
}

INSTANTIATE_TEST_SUITE_P(
    Table, QaScoreRefuses,
    ::testing::Values(
        BadScore{"zero", with("greeting", 0), "args: scores.greeting: expected an integer from 1 to 5"},
        BadScore{"six", with("empathy", 6), "args: scores.empathy: expected an integer from 1 to 5"},
        BadScore{"fraction", with("timeliness", 4.5), "args: scores.timeliness: expected an integer from 1 to 5"},
        BadScore{"text", with("resolution", "5"), "args: scores.resolution: expected an integer from 1 to 5"},
        BadScore{"boolean", with("professionalism", true), "args: scores.professionalism: expected an integer"},
        BadScore{"null", with("active_listening", nullptr), "args: scores.active_listening: expected an integer"},
        BadScore{"missing", without("timeliness"), "args: scores.timeliness: missing"},
        BadScore{"unknown", with("speed", 5), "args: scores.speed: unknown criterion (expected greeting, "},
        BadScore{"not an object", Json::array({5, 5, 5, 5, 5, 5}), "args: scores: expected an object"}));

TEST(QaScore, RefusesBadArgumentsAndUnknownCases) {
  Scenario s;
  const std::string id = open_case(s);
  const Json good = scores({4, 4, 4, 4, 4, 4});
  struct Bad {
    Json args;
    oc_status status;
    std::string message;
  };
  const std::vector<Bad> bad = {
      {{{"case_id", id}, {"agent", "kim"}, {"scores", good}, {"grade", "A"}}, OC_ERR_SCHEMA, "grade"},
      {{{"case_id", id}, {"scores", good}}, OC_ERR_SCHEMA, "agent: missing"},
      {{{"case_id", id}, {"agent", ""}, {"scores", good}}, OC_ERR_SCHEMA, "agent: must not be empty"},
      {{{"case_id", id}, {"agent", "kim"}}, OC_ERR_SCHEMA, "scores: missing"},
      {{{"agent", "kim"}, {"scores", good}}, OC_ERR_SCHEMA, "case_id: missing"},
      {{{"case_id", id}, {"agent", "kim"}, {"scores", good}, {"comment", 5}}, OC_ERR_SCHEMA, "comment"},
      {{{"case_id", "C-nope"}, {"agent", "kim"}, {"scores", good}}, OC_ERR_NOT_FOUND, "C-nope"},
  };
  for (const auto &b : bad) {
    const CallError e = s.error("qa.score", b.args);
    EXPECT_EQ(e.status, b.status) << b.args;
    EXPECT_NE(e.message.find(b.message), std::string::npos) << e.message;
  }
  EXPECT_TRUE(qa_entries(s, id).empty());
}

TEST(QaScore, AgentAveragesAppearInMetricsByAgent) {
  Scenario s;
  const std::string first = open_case(s, "A");
  const std::string second = open_case(s, "B");
  s.call("qa.score", {{"case_id", first}, {"agent", "kim"}, {"scores", scores({5, 5, 5, 5, 5, 5})}});
  s.call("qa.score", {{"case_id", second}, {"agent", "kim"}, {"scores", scores({3, 3, 3, 3, 3, 3})}});
  s.call("qa.score", {{"case_id", second}, {"agent", "sam"}, {"scores", scores({2, 2, 2, 2, 2, 5})}});
  const Json m = s.call("metrics", {{"from", format_rfc3339(kScenarioStart)},
                                    {"to", format_rfc3339(s.now() + 1)},
                                    {"group_by", "agent"}});
  EXPECT_EQ(m["totals"]["qa"]["scorecards"], 3);
  std::map<std::string, Json> by_agent;
  for (const auto &g : m["groups"]) by_agent[g["key"].get<std::string>()] = g["qa"];
  EXPECT_EQ(by_agent["kim"], (Json{{"scorecards", 2}, {"average", 4.0}}));
  EXPECT_EQ(by_agent["sam"], (Json{{"scorecards", 1}, {"average", 2.5}}));
  // Scorecards before the range do not count.
  const Json later = s.call("metrics", {{"from", format_rfc3339(s.now() + 1)},
                                        {"to", format_rfc3339(s.now() + kHourMs)}});
  EXPECT_EQ(later["totals"]["qa"]["scorecards"], 0);
  EXPECT_TRUE(later["totals"]["qa"]["average"].is_null());
}

}  // namespace
}  // namespace ordercare::testing
