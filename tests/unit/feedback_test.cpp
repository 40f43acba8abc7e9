// Feedback that returns (issue 12, point 6): seed 000's survey goes out once
// per case and survey, also when the case is closed again and across a
// restart with the survey still in the outbox; CSAT and NPS answers come
// back as feedback.received events or case.csat / case.nps calls and land
// on the case and in the metrics; a low answer opens one follow-up case for
// a person (seed 003: share feedback internally). Bad answers are refused
// with the field named and change nothing.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "support/scenario.h"
#include "support/sla_support.h"
#include "support/test_store.h"

namespace ordercare::testing {
namespace {

const CustomerSpec kAnn("c-ann", "Ann Example", {}, "ann@example.org");
const Json kResolve = {{"agent", "sam"}, {"resolution", "Replacement sent"}, {"action_taken", "Shipped a replacement"}};
const std::string kSurveyUrl = "https://shop.example/survey";

Json survey_config(const std::string &url = kSurveyUrl, Json extra = Json::object()) {
  Json policy = {{"survey", {{"url", url}}}};
  policy.update(extra);
  return {{"policy", policy}};
}

Json with_id(const std::string &id, Json args) {
  args["id"] = id;
  return args;
}

// A case about order A, resolved by sam and then closed.
std::string closed_case(Scenario &s) {
  const std::string id = open_case(s, "A", kAnn, "email", "The vase arrived broken");
  s.advance(kMinuteMs);
  s.call("case.assign", {{"id", id}, {"agent", "sam"}});
  s.call("case.resolve", with_id(id, kResolve));
  s.advance(kMinuteMs);
  s.call("case.close", {{"id", id}, {"agent", "sam"}, {"follow_up", "Confirmed by phone"}});
  s.advance(kMinuteMs);
  return id;
}

void close_again(Scenario &s, const std::string &id) {
  s.call("case.reopen", {{"id", id}, {"reason", "the replacement is broken too"}});
  s.call("case.resolve", with_id(id, kResolve));
  s.call("case.close", {{"id", id}, {"agent", "sam"}, {"follow_up", "Confirmed by email"}});
}

Json feedback(Scenario &s, const std::string &case_id, Json answers) {
  Json data = {{"case_id", case_id}};
  data.update(answers);
  return {{"id", s.next_id()},
          {"type", "feedback.received"},
          {"occurred_at", format_rfc3339(s.now())},
          {"source", "survey"},
          {"data", data}};
}

// The survey effects of the outbox, by template.
std::vector<Json> survey_effects(Scenario &s) {
  std::vector<Json> out;
  for (const auto &e : s.effects({{"kind", "notify"}})) {
    const std::string id = e["id"];
    if (id.find(":survey:") != std::string::npos) out.push_back(e);
  }
  return out;
}

bool logged_note(const Json &c, const std::string &key, const std::string &part) {
  for (const auto &entry : log_entries(c, "note"))
    if (entry["details"].value(key, "").find(part) != std::string::npos) return true;
  return false;
}

// The cases that follow up case `id`.
std::vector<Json> follow_ups_of(Scenario &s, const std::string &id) {
  std::vector<Json> out;
  for (const auto &summary : s.cases()) {
    Json c = s.get_case(summary["id"]);
    if (c.value("follow_up_of", Json()).is_string() && c["follow_up_of"] == id) out.push_back(c);
  }
  return out;
}

// --- The survey: once per case and survey -------------------------------------------------

TEST(Survey, GoesOutOncePerCaseWhenItClosesAgain) {
  TestHost host;
  Scenario s(host, survey_config());
  const std::string id = closed_case(s);
  s.poll_all();
  ASSERT_EQ(notices(host, "feedback_survey").size(), 1u);
  close_again(s, id);
  s.poll_all();
  EXPECT_EQ(notices(host, "feedback_survey").size(), 1u);
  EXPECT_EQ(survey_effects(s).size(), 1u);
  const Json c = s.get_case(id);
  ASSERT_EQ(c["surveys"].size(), 1u) << c["surveys"];
  EXPECT_TRUE(logged_note(c, "survey", "went to this case before")) << c["log"];
  // Its key names the case and the survey, not what closed the case.
  const std::string key = survey_effects(s)[0]["id"];
  EXPECT_NE(key.find(id), std::string::npos) << key;
  EXPECT_NE(key.find(c["surveys"][0].get<std::string>()), std::string::npos) << key;
}

TEST(Survey, ANewSurveyGoesToACaseClosedAgain) {
  TestHost host;
  Scenario s(host, survey_config());
  const std::string id = closed_case(s);
  s.reopen(survey_config("https://shop.example/survey-2027"));
  close_again(s, id);
  s.poll_all();
  const auto sent = notices(host, "feedback_survey");
  ASSERT_EQ(sent.size(), 2u);
  EXPECT_NE(sent[1].body["message"]["text"].get<std::string>().find("survey-2027"), std::string::npos);
  EXPECT_EQ(s.get_case(id)["surveys"].size(), 2u);
  // An operator may name the survey: the same id is the same survey.
  s.reopen(survey_config("https://shop.example/other", {{"survey", {{"url", "https://shop.example/other"}, {"id", "q4"}}}}));
  close_again(s, id);
  s.reopen(survey_config("https://shop.example/other-again",
                         {{"survey", {{"url", "https://shop.example/other-again"}, {"id", "q4"}}}}));
  close_again(s, id);
  s.poll_all();
  EXPECT_EQ(notices(host, "feedback_survey").size(), 3u);
}

// The survey is queued when the case closes and the plugin stops before
// the host has it: after the restart it goes out once, under the key it
// was queued with, and closing the case again queues nothing more.
TEST(Survey, OnceAcrossARestartWithTheSurveyInTheOutbox) {
  TestHost host;
  // The first delivery fails (the host's mail server is down): the survey
  // stays in the outbox with one attempt.
  int asked = 0;
  host.on("notify", [&asked](const HostRequest &r) {
    if (r.body.value("template", "") == "feedback_survey" && asked++ == 0) return HostReply{OC_OUTCOME_RETRY_LATER};
    return HostReply{};
  });
  Scenario s(host, survey_config());
  const std::string id = closed_case(s);
  s.poll_all();
  ASSERT_EQ(survey_effects(s).size(), 1u);
  const std::string key = survey_effects(s)[0]["id"];
  EXPECT_EQ(survey_effects(s)[0]["status"], "pending");
  s.reopen();
  close_again(s, id);
  s.advance(kHourMs);
  s.poll_all();
  s.reopen();
  s.advance(2 * kHourMs);
  s.poll_all();
  const auto sent = notices(host, "feedback_survey");
  ASSERT_EQ(sent.size(), 2u);  // the failed try and the one delivery
  EXPECT_EQ(sent[0].key, key);
  EXPECT_EQ(sent[1].key, key);
  ASSERT_EQ(survey_effects(s).size(), 1u);
  EXPECT_EQ(survey_effects(s)[0]["status"], "done");
}

TEST(Survey, WithoutACustomerNothingIsSentAndTheLogSaysWhy) {
  Scenario s(survey_config());
  s.submit(s.inventory_discrepancy("SKU-1", "main", 10, 7));
  const Json list = s.cases();
  ASSERT_EQ(list.size(), 1u);
  const std::string id = list[0]["id"];
  s.call("case.assign", {{"id", id}, {"agent", "sam"}});
  s.call("case.resolve", with_id(id, kResolve));
  s.call("case.close", {{"id", id}, {"agent", "sam"}, {"follow_up", "Recounted"}});
  const Json c = s.get_case(id);
  EXPECT_TRUE(c["surveys"].empty());
  EXPECT_TRUE(logged_note(c, "survey", "no customer")) << c["log"];
  EXPECT_TRUE(survey_effects(s).empty());
}

// --- Answers coming back --------------------------------------------------------------

TEST(Feedback, AnEventRecordsCsatAndNpsAndTheMetricsCountThem) {
  Scenario s(survey_config());
  const std::string id = closed_case(s);
  const Json result = s.submit(feedback(s, id, {{"csat", 5}, {"nps", 9}, {"comment", "Quick and kind"}}));
  EXPECT_EQ(result["status"], "accepted");
  const Json c = s.get_case(id);
  EXPECT_EQ(c["csat"], 5);
  EXPECT_EQ(c["nps"], 9);
  EXPECT_EQ(c["pii"]["csat_comment"], "Quick and kind");
  ASSERT_EQ(log_entries(c, "csat").size(), 1u);
  EXPECT_EQ(log_entries(c, "csat")[0]["details"]["via"], "feedback.received");
  EXPECT_TRUE(follow_ups_of(s, id).empty());
  const Json m = s.call("metrics", {{"from", format_rfc3339(kScenarioStart)}, {"to", format_rfc3339(s.now() + 1)}});
  EXPECT_EQ(m["totals"]["csat"]["ratings"], 1);
  EXPECT_EQ(m["totals"]["csat"]["satisfied"], 1);
  EXPECT_EQ(m["totals"]["nps"]["responses"], 1);
  EXPECT_EQ(m["totals"]["nps"]["promoters"], 1);
}

TEST(Feedback, ALowCsatOpensOneFollowUpForThePeopleWhoCanAct) {
  TestHost host;
  Scenario s(host, survey_config());
  const std::string id = closed_case(s);
  s.poll_all();
  host.forget();
  s.submit(feedback(s, id, {{"csat", 1}, {"comment", "Nobody listened"}}));
  auto follow_ups = follow_ups_of(s, id);
  ASSERT_EQ(follow_ups.size(), 1u);
  const Json &task = follow_ups[0];
  const Json rated = s.get_case(id);
  EXPECT_EQ(rated["follow_up_case"], task["id"]);
  EXPECT_EQ(task["type"], "complaint");
  EXPECT_EQ(task["team"], rated["team"]);
  EXPECT_EQ(task["customer_id"], "c-ann");
  EXPECT_EQ(task["order_id"], "A");
  EXPECT_NE(task["reason"].get<std::string>().find("CSAT 1/5"), std::string::npos) << task["reason"];
  s.poll_all();
  // The team hears of it; the customer is not sent an acknowledgement.
  const Json notice = the_notice(host, "team_feedback_follow_up");
  EXPECT_EQ(notice["team"], rated["team"]);
  EXPECT_NE(notice["message"]["text"].get<std::string>().find(id), std::string::npos) << notice;
  EXPECT_TRUE(notices(host, "auto_acknowledgement").empty());
  // A second low answer while the follow-up is open is noted on it.
  s.submit(feedback(s, id, {{"nps", 2}}));
  follow_ups = follow_ups_of(s, id);
  ASSERT_EQ(follow_ups.size(), 1u);
  ASSERT_EQ(log_entries(follow_ups[0], "feedback").size(), 1u);
  EXPECT_EQ(log_entries(follow_ups[0], "feedback")[0]["details"]["answer"], "NPS 2/10");
  EXPECT_EQ(s.get_case(id)["nps"], 2);
}

TEST(Feedback, ALowScoreByCallFollowsUpTooAndTheThresholdsAreConfigurable) {
  Scenario s(survey_config(kSurveyUrl, {{"feedback", {{"low_csat", 3}, {"low_nps", 0}, {"team", "cs_leads"}}}}));
  const std::string id = closed_case(s);
  s.call("case.nps", {{"id", id}, {"score", 1}});
  EXPECT_TRUE(follow_ups_of(s, id).empty());  // only 0 is low here
  s.call("case.csat", {{"id", id}, {"rating", 3}});
  const auto follow_ups = follow_ups_of(s, id);
  ASSERT_EQ(follow_ups.size(), 1u);
  EXPECT_EQ(follow_ups[0]["team"], "cs_leads");
  EXPECT_EQ(log_entries(s.get_case(id), "csat")[0]["details"]["via"], "case.csat");
}

TEST(Feedback, AFollowUpOnACaseWithoutAnOrderStaysWithTheCustomerAndTheStore) {
  Json config = survey_config();
  config["stores"] = {{"eu", {{"name", "Nordhaven Europe"}}}};
  Scenario s(config);
  Json message = s.message(kAnn, std::nullopt, "chat", "Your website keeps logging me out");
  message["store"] = "eu";
  const Json opened = s.submit(message);
  const std::string id = opened["cases"][0];
  s.call("case.assign", {{"id", id}, {"agent", "sam"}});
  s.call("case.resolve", with_id(id, kResolve));
  s.call("case.close", {{"id", id}, {"agent", "sam"}, {"follow_up", "Checked in chat"}});
  // The survey tool's answer names no store: it is the rated case's.
  s.submit(feedback(s, id, {{"nps", 0}}));
  const auto follow_ups = follow_ups_of(s, id);
  ASSERT_EQ(follow_ups.size(), 1u);
  EXPECT_EQ(follow_ups[0]["customer_id"], "c-ann");
  EXPECT_TRUE(follow_ups[0]["order_id"].is_null());
  EXPECT_EQ(follow_ups[0]["store"], "eu");
}

TEST(Feedback, BadAnswersAreRefusedAndChangeNothing) {
  Scenario s(survey_config());
  const std::string id = closed_case(s);
  const Json before = {{"case", s.get_case(id)}, {"events", s.call("events.list", {{"limit", 1000}})}};
  struct Bad {
    Json answers;
    oc_status status;
    std::string says;
  };
  const std::vector<Bad> bad = {
      {{{"csat", 6}}, OC_ERR_SCHEMA, "data.csat"},
      {{{"csat", 0}}, OC_ERR_SCHEMA, "data.csat"},
      {{{"nps", 11}}, OC_ERR_SCHEMA, "data.nps"},
      {{{"nps", -1}}, OC_ERR_SCHEMA, "data.nps"},
      {{{"nps", "ten"}}, OC_ERR_SCHEMA, "data.nps"},
      {{{"comment", "no score at all"}}, OC_ERR_SCHEMA, "data: give csat (1 to 5), nps (0 to 10) or both"},
  };
  for (const Bad &b : bad) {
    const CallError e = s.submit_error(feedback(s, id, b.answers));
    EXPECT_EQ(e.status, b.status) << b.answers << ": " << e.message;
    EXPECT_NE(e.message.find(b.says), std::string::npos) << e.message;
  }
  CallError e = s.submit_error(feedback(s, "C-nowhere", {{"csat", 4}}));
  EXPECT_EQ(e.status, OC_ERR_NOT_FOUND) << e.message;
  EXPECT_NE(e.message.find("data.case_id"), std::string::npos) << e.message;
  e = s.error("case.nps", {{"id", id}, {"score", 11}});
  EXPECT_EQ(e.status, OC_ERR_SCHEMA);
  EXPECT_NE(e.message.find("score"), std::string::npos) << e.message;
  e = s.error("case.csat", {{"id", id}, {"rating", 0}});
  EXPECT_EQ(e.status, OC_ERR_SCHEMA);
  const Json after = {{"case", s.get_case(id)}, {"events", s.call("events.list", {{"limit", 1000}})}};
  EXPECT_EQ(after, before);
}

TEST(Feedback, ACsatForACaseStillOpenIsRefused) {
  Scenario s(survey_config());
  const std::string id = open_case(s, "A", kAnn, "email", "The vase arrived broken");
  const Json before = s.get_case(id);
  const CallError e = s.submit_error(feedback(s, id, {{"csat", 2}}));
  EXPECT_EQ(e.status, OC_ERR_TRANSITION) << e.message;
  EXPECT_EQ(s.get_case(id), before);
  EXPECT_TRUE(follow_ups_of(s, id).empty());
}

TEST(Feedback, TheThresholdsAreCheckedAtOpen) {
  Scenario s;
  for (const Json &feedback_policy : {Json{{"low_csat", 6}}, Json{{"low_nps", 11}}, Json{{"bogus", 1}}}) {
    const CallError e = s.reopen_error({{"policy", {{"feedback", feedback_policy}}}});
    EXPECT_EQ(e.status, OC_ERR_CONFIG) << feedback_policy;
    EXPECT_NE(e.message.find("policy.feedback."), std::string::npos) << e.message;
  }
}

}  // namespace
}  // namespace ordercare::testing
