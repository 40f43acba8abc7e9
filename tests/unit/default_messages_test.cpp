// Defaults that work (issue 12, point 3): with no config nothing the plugin
// sends fails for a missing setting. The sample day replayed on the
// defaults reaches the host complete; the shop's settings (store name and
// sign-off, returns portal, survey link and reward) have defaults or keep
// the message that needs them from being chosen; a config that enables a
// message without what it needs fails at open naming the field; order
// names read as the shop shows them; an acknowledgement promises what the
// first-response clock promises.
#include <gtest/gtest.h>

#include <fstream>
#include <string>
#include <vector>

#include "common/failure.h"
#include "runtime/config.h"
#include "support/scenario.h"
#include "support/sla_support.h"

namespace ordercare::testing {
namespace {

const CustomerSpec kAnn("c-ann", "Ann Example", {}, "ann@example.org");

bool has(const std::string &text, const std::string &part) { return text.find(part) != std::string::npos; }

std::string text_of(const HostRequest &notice) { return notice.body["message"].value("text", ""); }


// What opening with `config` reports: OC_OK, or the status and message.
CallError open_error(const Json &config) {
  try {
    runtime::parse_config(dump_json(config));
  } catch (const Failure &failure) {
    return {failure.status(), failure.what()};
  }
  return {};
}

// --- The sample day on the defaults --------------------------------------------------------

// Replays host_shims/c/data/sample_day.jsonl as ordercare-host does with a
// fixed clock: the clock follows each event's occurred_at, and the host
// polls after every line. Lines the plugin refuses (the file has eight on
// purpose) are skipped.
void replay_sample_day(Scenario &s) {
  std::ifstream in(std::string(OC_TEST_SOURCE_DIR) + "/host_shims/c/data/sample_day.jsonl");
  ASSERT_TRUE(in) << "sample_day.jsonl not found";
  std::string line;
  int accepted = 0;
  while (std::getline(in, line)) {
    if (line.empty()) continue;
    try {
      const Json event = Json::parse(line);
      if (auto at = time_of(event.value("occurred_at", Json())); at && *at > s.now()) s.set_now(*at);
    } catch (const Json::exception &) {
      // An invalid line: the plugin refuses it below.
    }
    try {
      s.submit_raw(line);
      ++accepted;
    } catch (const Failure &) {
    }
    s.poll_all();
  }
  EXPECT_GT(accepted, 400);
}

TEST(SampleDay, WithNoConfigEveryMessageTheHostGetsIsComplete) {
  TestHost host;
  Scenario s(host, Json::object(), 1'793'923'200'000);  // 2026-11-06T00:00:00Z
  replay_sample_day(s);
  // Agents finish some of the day's cases: resolved, then closed, which is
  // when a survey would go out (the defaults have no survey link).
  int closed = 0;
  for (const auto &c : s.cases({{"active", true}})) {
    if (closed == 5) break;
    const std::string id = c["id"];
    s.call("case.assign", {{"id", id}, {"agent", "mia"}});
    s.call("case.resolve", {{"id", id}, {"agent", "mia"}, {"resolution", "sorted"}, {"action_taken", "replied"}});
    s.call("case.close", {{"id", id}, {"agent", "mia"}, {"follow_up", "customer confirmed by phone"}});
    ++closed;
  }
  // The day's SLA timers fire on it.
  for (int hour = 0; hour < 6; ++hour) {
    s.advance(kHourMs);
    s.poll_all();
  }
  const auto sent = host.requests("notify");
  int to_customers = 0;
  for (const auto &notice : sent) {
    const std::string text = text_of(notice);
    ASSERT_FALSE(text.empty()) << "rendered without text: " << notice.body.dump();
    EXPECT_FALSE(has(text, "{{")) << text;
    EXPECT_FALSE(has(text, "##")) << text;
    EXPECT_FALSE(has(text, "our store")) << text;
    if (notice.body["audience"] != "customer") continue;
    EXPECT_FALSE(has(text, "30 seconds")) << text;
    ++to_customers;
  }
  EXPECT_GT(to_customers, 50);
  // Nothing was held back for a missing value: no notice failed, none waits.
  for (const auto &e : s.effects({{"kind", "notify"}})) {
    EXPECT_EQ(e["status"], "done") << e.dump();
    EXPECT_FALSE(e["last_error"].is_string() && has(e["last_error"].get<std::string>(), "has no value")) << e.dump();
  }
  // The closed cases say why they had no survey.
  EXPECT_TRUE(notices(host, "feedback_survey").empty());
  EXPECT_TRUE(notices(host, "feedback_survey_with_reward").empty());
  EXPECT_EQ(closed, 5);
}

// --- Store name and sign-off -----------------------------------------------------------------

TEST(SignOff, WithoutAStoreNameMessagesAreSignedByCustomerSupport) {
  TestHost host;
  Scenario s(host);
  open_case(s, "A", kAnn, "email", "Where is my order?");
  s.poll_all();
  const std::string text = the_notice(host, "auto_acknowledgement")["message"]["text"];
  EXPECT_TRUE(text.ends_with("\n\nCustomer Support")) << text;
  EXPECT_FALSE(has(text, "our store")) << text;
}

TEST(SignOff, TheStoreNameSignsInEachLanguage) {
  TestHost host;
  Scenario s(host, {{"policy", {{"store", {{"name", "Lampenladen"}}}}}});
  const std::string id = open_case(s, "A", kAnn, "email", "Where is my order?");
  s.call("case.reply", {{"id", id}, {"agent", "mia"}, {"text", "Es ist unterwegs."}, {"language", "de"}});
  s.poll_all();
  EXPECT_TRUE(std::string(the_notice(host, "auto_acknowledgement")["message"]["text"])
                  .ends_with("\n\nLampenladen Customer Support"));
  const std::string german = the_notice(host, "agent_reply")["message"]["text"];
  EXPECT_TRUE(has(german, "Ihr Kundenservice von Lampenladen")) << german;
}

TEST(SignOff, AConfiguredSignOffIsUsedPerLanguage) {
  TestHost host;
  Scenario s(host, {{"policy",
                     {{"store", {{"name", "Lampenladen"},
                                 {"sign_off", {{"en", "Mia and the lamp team"}, {"de", "Mia und das Lampen-Team"}}}}}}}});
  const std::string id = open_case(s, "A", kAnn, "email", "Where is my order?");
  s.call("case.reply", {{"id", id}, {"agent", "mia"}, {"text", "Es ist unterwegs."}, {"language", "de-AT"}});
  s.poll_all();
  EXPECT_TRUE(std::string(the_notice(host, "auto_acknowledgement")["message"]["text"])
                  .ends_with("\n\nMia and the lamp team"));
  EXPECT_TRUE(has(the_notice(host, "agent_reply")["message"]["text"], "Mia und das Lampen-Team"));
}

TEST(SignOff, AStoreNameIsRequiredByATemplateThatUsesIt) {
  const Json templates = {{"complaint_acknowledgement", {{"body", {{"en", "Sorry! {{store.name}}"}}}}}};
  CallError e = open_error({{"templates", templates}});
  EXPECT_EQ(e.status, OC_ERR_CONFIG);
  EXPECT_TRUE(has(e.message, "config: policy.store.name: required: template 'complaint_acknowledgement'"))
      << e.message;
  e = open_error({{"templates", templates}, {"policy", {{"store", {{"name", "Lampenladen"}}}}}});
  EXPECT_EQ(e.status, OC_OK) << e.message;
  // The older spelling still names the store; both at once is a mistake.
  EXPECT_EQ(open_error({{"templates", templates}, {"policy", {{"store_name", "Lampenladen"}}}}).status, OC_OK);
  e = open_error({{"policy", {{"store_name", "A"}, {"store", {{"name", "B"}}}}}});
  EXPECT_EQ(e.status, OC_ERR_CONFIG);
  EXPECT_TRUE(has(e.message, "policy.store.name")) << e.message;
  e = open_error({{"policy", {{"store", {{"sign_off", {{"en", "  "}}}}}}}});
  EXPECT_EQ(e.status, OC_ERR_CONFIG);
  EXPECT_TRUE(has(e.message, "policy.store.sign_off.en")) << e.message;
}

// --- Customers without a name ---------------------------------------------------------------

TEST(Greeting, ACustomerWithoutANameIsStillWrittenTo) {
  TestHost host;
  Scenario s(host);
  open_case(s, "A", CustomerSpec("c-anon", "", {}, "anon@example.org"), "email", "Where is my order?");
  open_case(s, "B", kAnn, "email", "Where is my order?");
  s.poll_all();
  const auto acks = notices(host, "auto_acknowledgement");
  ASSERT_EQ(acks.size(), 2u);
  for (const auto &ack : acks) {
    const std::string text = text_of(ack);
    EXPECT_TRUE(text.starts_with(ack.body["order_id"] == "A" ? "Hello,\n" : "Hi Ann Example,\n")) << text;
  }
  for (const auto &e : s.effects({{"status", "failed"}})) ADD_FAILURE() << e.dump();
  // German.
  TestHost de_host;
  Scenario de(de_host, {{"policy", {{"language", "de"}}}});
  open_case(de, "A", CustomerSpec("c-anon", "", {}, "anon@example.org"), "email", "Wo ist meine Bestellung?");
  de.poll_all();
  EXPECT_TRUE(std::string(the_notice(de_host, "auto_acknowledgement")["message"]["text"]).starts_with("Guten Tag,\n"));
}

// --- Feedback survey ---------------------------------------------------------------------------

// A case of order A resolved and closed by an agent.
std::string closed_case(Scenario &s) {
  const std::string id = open_case(s, "A", kAnn, "email", "Where is my order?");
  s.call("case.assign", {{"id", id}, {"agent", "mia"}});
  s.call("case.resolve", {{"id", id}, {"agent", "mia"}, {"resolution", "delivered"}, {"action_taken", "tracked"}});
  s.call("case.close", {{"id", id}, {"agent", "mia"}, {"follow_up", "customer confirmed"}});
  s.poll_all();
  return id;
}

TEST(Survey, WithoutALinkNoSurveyIsSentAndTheCaseSaysWhy) {
  TestHost host;
  Scenario s(host);
  const std::string id = closed_case(s);
  EXPECT_TRUE(notices(host, "feedback_survey").empty());
  EXPECT_TRUE(notices(host, "feedback_survey_with_reward").empty());
  for (const auto &e : s.effects({{"case_id", id}, {"status", "failed"}})) ADD_FAILURE() << e.dump();
  bool noted = false;
  for (const auto &entry : log_entries(s.get_case(id), "note"))
    noted = noted || entry["details"].value("survey", "") == "not sent: policy.survey.url is not set";
  EXPECT_TRUE(noted);
}

TEST(Survey, WithALinkTheSurveyGoesOutAndTheRewardOnlyWhenThereIsOne) {
  {
    TestHost host;
    Scenario s(host, {{"policy", {{"survey", {{"url", "https://shop.example/survey"}}}}}});
    closed_case(s);
    const std::string text = the_notice(host, "feedback_survey")["message"]["text"];
    EXPECT_TRUE(has(text, "https://shop.example/survey")) << text;
    EXPECT_FALSE(has(text, "thank-you")) << "no reward promised: " << text;
  }
  TestHost host;
  Scenario s(host, {{"policy", {{"survey", {{"url", "https://shop.example/survey"}, {"reward", "10% off"}}}}}});
  closed_case(s);
  EXPECT_TRUE(notices(host, "feedback_survey").empty());
  const std::string text = the_notice(host, "feedback_survey_with_reward")["message"]["text"];
  EXPECT_TRUE(has(text, "you will receive 10% off for your next purchase")) << text;
}

TEST(Survey, EnablingItWithoutWhatItNeedsFailsAtOpen) {
  CallError e = open_error({{"policy", {{"survey", {{"enabled", true}}}}}});
  EXPECT_EQ(e.status, OC_ERR_CONFIG);
  EXPECT_TRUE(has(e.message, "policy.survey.url: required")) << e.message;
  e = open_error({{"policy", {{"survey", {{"url", "survey.example"}}}}}});
  EXPECT_EQ(e.status, OC_ERR_CONFIG);
  EXPECT_TRUE(has(e.message, "policy.survey.url: expected an http(s) URL")) << e.message;
  // A survey template that promises a reward the policy does not name.
  const Json templates = {{"feedback_survey", {{"body", {{"en", "{{survey.url}} for {{survey.reward}}"}}}}}};
  e = open_error({{"templates", templates}, {"policy", {{"survey", {{"url", "https://s.example"}}}}}});
  EXPECT_EQ(e.status, OC_ERR_CONFIG);
  EXPECT_TRUE(has(e.message, "config: policy.survey.reward: required: template 'feedback_survey' (en body)"))
      << e.message;
  // Off, it needs nothing.
  EXPECT_EQ(open_error({{"templates", templates}}).status, OC_OK);
}

// --- Return portal -------------------------------------------------------------------------------

TEST(ReturnPortal, ACancellationTooLateWithoutAPortalAsksTheCustomerToReply) {
  TestHost host;
  Scenario s(host);
  s.submit(s.order_created("A", kAnn));
  s.submit(s.order_updated("A", "shipped"));
  s.submit(s.cancellation("A", "changed my mind", "email"));
  s.poll_all();
  EXPECT_TRUE(notices(host, "cancellation_already_shipped").empty());
  const std::string text = the_notice(host, "cancellation_already_shipped_no_portal")["message"]["text"];
  EXPECT_TRUE(has(text, "reply to this message within 30 days")) << text;
  for (const auto &e : s.effects({{"status", "failed"}})) ADD_FAILURE() << e.dump();
}

TEST(ReturnPortal, WithAPortalTheCustomerGetsItsLink) {
  TestHost host;
  Scenario s(host, {{"policy", {{"returns", {{"portal_url", "https://shop.example/returns"}}}}}});
  s.submit(s.order_created("A", kAnn));
  s.submit(s.order_updated("A", "shipped"));
  s.submit(s.cancellation("A", "changed my mind", "email"));
  s.poll_all();
  EXPECT_TRUE(notices(host, "cancellation_already_shipped_no_portal").empty());
  EXPECT_TRUE(has(the_notice(host, "cancellation_already_shipped")["message"]["text"], "https://shop.example/returns"));
  const CallError e = open_error({{"policy", {{"returns", {{"portal_url", "returns page"}}}}}});
  EXPECT_EQ(e.status, OC_ERR_CONFIG);
  EXPECT_TRUE(has(e.message, "policy.returns.portal_url")) << e.message;
}

TEST(ReturnPortal, APlaybookMessageThatNeedsThePortalNeedsItSetAtOpen) {
  const Json config = {{"policy", {{"playbooks", {{"return", {{"customer_template", "return_info"}}}}}}},
                       {"templates",
                        {{"return_info", {{"audience", "customer"}, {"body", {{"en", "Start here: {{return.portal_url}}"}}}}}}}};
  const CallError e = open_error(config);
  EXPECT_EQ(e.status, OC_ERR_CONFIG);
  EXPECT_TRUE(has(e.message, "config: policy.returns.portal_url: required: template 'return_info'")) << e.message;
}

// --- Return labels -------------------------------------------------------------------------------

TEST(ReturnLabel, IssuingOneWithoutTheLabelIsRefusedAndTellsTheCustomerNothing) {
  TestHost host;
  Scenario s(host);
  s.submit(s.order_created("A", kAnn, OrderOptions().with_items({LineSpec("LAMP-1", 4500)})));
  s.submit(s.order_updated("A", "delivered"));
  s.submit(s.return_requested("A", {ReturnLine("L1")}, "R-1"));
  ASSERT_EQ(s.get_return("R-1")["status"], "approved");
  for (const Json &args : {Json{{"id", "R-1"}}, Json{{"id", "R-1"}, {"label", " "}}}) {
    const CallError e = s.error("return.issue_label", args);
    EXPECT_EQ(e.status, OC_ERR_REFUSED);
    EXPECT_TRUE(has(e.message, "give label")) << e.message;
  }
  s.poll_all();
  const Json r = s.get_return("R-1");
  EXPECT_EQ(r["status"], "approved");
  EXPECT_TRUE(r["label_issued_at"].is_null());
  EXPECT_TRUE(notices(host, "return_approved").empty());
  s.call("return.issue_label", {{"id", "R-1"}, {"label", "https://labels.example/R-1.pdf"}});
  s.poll_all();
  EXPECT_EQ(s.get_return("R-1")["status"], "label_issued");
  EXPECT_TRUE(has(the_notice(host, "return_approved")["message"]["text"], "https://labels.example/R-1.pdf"));
}

// --- Order names ----------------------------------------------------------------------------------

TEST(OrderNames, ReadAsTheShopShowsThem) {
  TestHost host;
  Scenario s(host);
  open_case(s, "A", kAnn, "email", "It arrived broken", OrderOptions().numbered("#1001"));
  open_case(s, "B", CustomerSpec("c-bo", "Bo"), "email", "It arrived broken", OrderOptions().numbered("1002"));
  open_case(s, "C", CustomerSpec("c-cy", "Cy"), "email", "It arrived broken", OrderOptions().numbered("SO-77"));
  s.poll_all();
  std::vector<std::string> subjects;
  for (const auto &n : notices(host, "damaged_item_photo_request")) subjects.push_back(n.body["message"]["subject"]);
  ASSERT_EQ(subjects.size(), 3u);
  EXPECT_EQ(subjects[0], "Your damaged item from order #1001");
  EXPECT_EQ(subjects[1], "Your damaged item from order #1002");
  EXPECT_EQ(subjects[2], "Your damaged item from order SO-77");
}

TEST(OrderNames, AnOperatorsHashBeforeTheNumberIsNotDoubled) {
  TestHost host;
  const Json templates = {{"damaged_item_photo_request", {{"subject", {{"en", "Order #{{order.number}}"}}}}}};
  Scenario s(host, {{"templates", templates}});
  open_case(s, "A", kAnn, "email", "It arrived broken", OrderOptions().numbered("#1001"));
  s.poll_all();
  EXPECT_EQ(the_notice(host, "damaged_item_photo_request")["message"]["subject"], "Order #1001");
}

// --- What an acknowledgement promises -------------------------------------------------------------

TEST(ResponsePromise, ChatPromisesAFewMinutesAndEmailItsTarget) {
  TestHost host;
  Scenario s(host);
  open_case(s, "A", kAnn, "chat", "Where is my order?");
  open_case(s, "B", CustomerSpec("c-bo", "Bo"), "email", "Where is my order?");
  s.poll_all();
  for (const auto &n : notices(host, "auto_acknowledgement")) {
    const std::string text = text_of(n);
    if (n.body["channel"] == "chat")
      EXPECT_TRUE(has(text, "get back to you within a few minutes.")) << text;
    else
      EXPECT_TRUE(has(text, "get back to you within 2 hours.")) << text;
  }
}

// Support works Monday to Friday, 09:00-17:00 in Berlin.
Json office_hours() {
  return sla_policy({{"business_hours",
                      {{"zone", "Europe/Berlin"},
                       {"hours", {{"mon", "09:00-17:00"}, {"tue", "09:00-17:00"}, {"wed", "09:00-17:00"},
                                  {"thu", "09:00-17:00"}, {"fri", "09:00-17:00"}}}}}});
}

TEST(ResponsePromise, BusinessHoursPromiseTheHourTheClockEnds) {
  // Thursday 2026-11-19 16:30 in Berlin (15:30Z): two hours of email
  // target end at 10:30 the next morning.
  TestHost host;
  Scenario s(host, office_hours(), 1'795'102'200'000);
  open_case(s, "A", kAnn, "email", "Where is my order?");
  s.poll_all();
  EXPECT_TRUE(has(the_notice(host, "auto_acknowledgement")["message"]["text"],
                  "get back to you by tomorrow 10:30."));
  // Friday at the same hour: Monday morning.
  TestHost friday;
  Scenario f(friday, office_hours(), 1'795'102'200'000 + kDayMs);
  open_case(f, "A", kAnn, "email", "Where is my order?");
  f.poll_all();
  EXPECT_TRUE(has(the_notice(friday, "auto_acknowledgement")["message"]["text"], "get back to you by Monday 10:30."));
}

TEST(ResponsePromise, InGermanToo) {
  TestHost host;
  Json config = office_hours();
  config["policy"]["language"] = "de";
  Scenario s(host, config, 1'795'102'200'000);
  open_case(s, "A", kAnn, "email", "Wo ist meine Bestellung?");
  open_case(s, "B", CustomerSpec("c-bo", "Bo"), "chat", "Wo ist meine Bestellung?");
  s.poll_all();
  for (const auto &n : notices(host, "auto_acknowledgement")) {
    const std::string text = text_of(n);
    if (n.body["channel"] == "chat")
      EXPECT_TRUE(has(text, "meldet sich innerhalb weniger Minuten bei Ihnen")) << text;
    else
      EXPECT_TRUE(has(text, "meldet sich bis morgen 10:30 Uhr bei Ihnen")) << text;
  }
}

}  // namespace
}  // namespace ordercare::testing
