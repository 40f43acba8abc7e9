// Notifications through the plugin (issue 5, points 6 and 7): seed 001's
// auto-responder on new customer-channel cases, templates rendered when an
// effect is dispatched (per language, HTML for email and plain text
// elsewhere, values escaped, operator overrides from the config), and the
// refusals: a placeholder without a value fails the effect with a case note
// and never reaches the host, nor does anything for an erased customer.
#include <gtest/gtest.h>

#include <chrono>
#include <map>
#include <string>
#include <thread>
#include <vector>

#include "support/scenario.h"
#include "support/sla_support.h"

namespace ordercare::testing {
namespace {

const CustomerSpec kAnn("c-ann", "Ann Example", {}, "ann@example.org");

bool has(const std::string &text, const std::string &part) { return text.find(part) != std::string::npos; }


// A config whose "templates" section replaces the English body of `id`.
Json english_body(const std::string &id, const std::string &text) {
  Json templates = Json::object();
  templates[id]["body"]["en"] = text;
  return {{"templates", std::move(templates)}};
}

std::vector<std::string> effect_templates(Scenario &s, const std::string &case_id) {
  std::vector<std::string> out;
  for (const auto &e : s.effects({{"case_id", case_id}}))
    if (e["kind"] == "notify") out.push_back(e["payload"].value("template", ""));
  return out;
}

// --- Auto-responder -----------------------------------------------------------------------

TEST(AutoResponder, ANewEmailCaseIsAcknowledgedWithTheEmailResponseTime) {
  TestHost host;
  Scenario s(host);
  const std::string id = open_case(s, "A", kAnn, "email", "Where is my order?");
  s.poll_all();
  const Json ack = the_notice(host, "auto_acknowledgement");
  ASSERT_TRUE(ack.is_object());
  EXPECT_EQ(ack["audience"], "customer");
  EXPECT_EQ(ack["to"]["email"], "ann@example.org");
  EXPECT_EQ(ack["to"]["name"], "Ann Example");
  const std::string text = ack["message"]["text"];
  EXPECT_TRUE(has(text, "Hi Ann Example,")) << text;
  EXPECT_TRUE(has(text, "within 2 hours")) << text;
  EXPECT_TRUE(has(text, id)) << text;
  EXPECT_EQ(text.find("{{"), std::string::npos) << text;
  EXPECT_EQ(ack["message"]["subject"], "We have your message (ref. " + id + ")");
  EXPECT_FALSE(ack.contains("variables")) << "the host gets the message, not the raw variables";
  const auto logged = log_entries(s.get_case(id), "effect");
  ASSERT_FALSE(logged.empty());
  EXPECT_EQ(logged[0]["details"]["template"], "auto_acknowledgement");
}

TEST(AutoResponder, EachChannelPromisesItsOwnResponseTime) {
  TestHost host;
  Scenario s(host);
  open_case(s, "A", kAnn, "chat", "Where is my order?");
  open_case(s, "B", CustomerSpec("c-bo", "Bo"), "social", "Where is my order?");
  open_case(s, "C", CustomerSpec("c-cy", "Cy"), "marketplace", "Where is my order?");
  s.poll_all();
  std::map<std::string, std::string> by_channel;
  for (const auto &n : notices(host, "auto_acknowledgement")) by_channel[n.body["channel"]] = n.body["message"]["text"];
  ASSERT_EQ(by_channel.size(), 3u);
  // A 30-second target reads as what a customer can expect of it.
  EXPECT_TRUE(has(by_channel["chat"], "within a few minutes")) << by_channel["chat"];
  EXPECT_TRUE(has(by_channel["social"], "within 10 minutes")) << by_channel["social"];
  EXPECT_TRUE(has(by_channel["marketplace"], "within 10 minutes")) << by_channel["marketplace"];
}

TEST(AutoResponder, TheTeamsOwnTargetIsWhatTheCustomerIsPromised) {
  TestHost host;
  // No SLA policies: the team's own target against the general one (a
  // policy's would come between them, sla_policy_test).
  Scenario s(host, sla_policy({{"teams", {{"support", {{"first_response", {{"email", "4h"}}}}}}},
                              {"first_response", {{"email", "90m"}}},
                              {"policies", Json::array()}}));
  open_case(s, "A", kAnn, "email", "Where is my order?");
  open_case(s, "B", CustomerSpec("c-bo", "Bo"), "email", "My card was charged twice");
  s.poll_all();
  std::map<std::string, std::string> by_case;
  for (const auto &n : notices(host, "auto_acknowledgement")) by_case[n.body["order_id"]] = n.body["message"]["text"];
  EXPECT_TRUE(has(by_case["A"], "within 4 hours")) << by_case["A"];
  EXPECT_TRUE(has(by_case["B"], "within 1 hour 30 minutes")) << "payments has no override: " << by_case["B"];
}

TEST(AutoResponder, NotForPhoneOrStoreContacts) {
  TestHost host;
  Scenario s(host);
  const std::string phone = open_case(s, "A", kAnn, "phone", "Where is my order?");
  s.submit(s.order_created("B", CustomerSpec("c-bo", "Bo")));
  const Json pickup = s.submit(s.pickup("B", "berlin-mitte", false));
  s.poll_all();
  EXPECT_TRUE(notices(host, "auto_acknowledgement").empty());
  EXPECT_FALSE(contains(Json(effect_templates(s, phone)), "auto_acknowledgement"));
  EXPECT_FALSE(contains(Json(effect_templates(s, pickup["cases"][0])), "auto_acknowledgement"));
}

TEST(AutoResponder, NotWhenThePlaybookAlreadyWritesToTheCustomer) {
  TestHost host;
  Scenario s(host);
  const std::string id = open_case(s, "A", kAnn, "email", "I received the wrong item");
  s.poll_all();
  EXPECT_TRUE(notices(host, "auto_acknowledgement").empty());
  const Json apology = the_notice(host, "complaint_acknowledgement");
  EXPECT_TRUE(has(apology["message"]["text"], "Hi Ann Example,"));
  const auto queued = effect_templates(s, id);
  EXPECT_TRUE(contains(Json(queued), "complaint_acknowledgement"));
  EXPECT_FALSE(contains(Json(queued), "auto_acknowledgement"));
}

TEST(AutoResponder, OnlyANewCaseIsAcknowledged) {
  TestHost host;
  Scenario s(host);
  open_case(s, "A", kAnn, "email", "Where is my order?");
  s.advance(kMinuteMs);
  s.submit(s.message(kAnn, "A", "email", "Where is my order? Any news?"));
  s.poll_all();
  EXPECT_EQ(notices(host, "auto_acknowledgement").size(), 1u);
}

TEST(AutoResponder, CanBeTurnedOffOrLimitedToSomeChannels) {
  {
    TestHost host;
    Scenario s(host, {{"policy", {{"auto_responder", {{"enabled", false}}}}}});
    open_case(s, "A", kAnn, "email", "Where is my order?");
    s.poll_all();
    EXPECT_TRUE(notices(host, "auto_acknowledgement").empty());
  }
  TestHost host;
  Scenario s(host, {{"policy", {{"auto_responder", {{"channels", {"email"}}}}}}});
  open_case(s, "A", kAnn, "email", "Where is my order?");
  open_case(s, "B", CustomerSpec("c-bo", "Bo"), "chat", "Where is my order?");
  s.poll_all();
  const auto acks = notices(host, "auto_acknowledgement");
  ASSERT_EQ(acks.size(), 1u);
  EXPECT_EQ(acks[0].body["channel"], "email");
}

// --- Rendering at dispatch -----------------------------------------------------------

TEST(Rendering, InThePolicysLanguageWithDurationsInThatLanguage) {
  TestHost host;
  Scenario s(host, {{"policy", {{"language", "de"}}}});
  const std::string id = open_case(s, "A", kAnn, "email", "Wo ist meine Bestellung?");
  s.poll_all();
  const Json ack = the_notice(host, "auto_acknowledgement");
  ASSERT_TRUE(ack.is_object());
  EXPECT_EQ(ack["message"]["language"], "de");
  const std::string text = ack["message"]["text"];
  EXPECT_TRUE(has(text, "Hallo Ann Example,")) << text;
  EXPECT_TRUE(has(text, "innerhalb von 2 Stunden")) << text;
  EXPECT_EQ(ack["message"]["subject"], "Ihre Nachricht ist bei uns angekommen (Vorgang " + id + ")");
  // The warehouse's request is German too.
  const Json request = the_notice(host, "team_cs_request");
  EXPECT_EQ(request["message"]["language"], "de");
  EXPECT_EQ(request["message"]["text"].get<std::string>().find("{{"), std::string::npos);
}

TEST(Rendering, ARegionalLanguageFallsBackToItsPrimaryTagThenEnglish) {
  {
    TestHost host;
    Scenario s(host, {{"policy", {{"language", "de-AT"}}}});
    open_case(s, "A", kAnn, "chat", "Wo ist meine Bestellung?");
    s.poll_all();
    const Json ack = the_notice(host, "auto_acknowledgement");
    EXPECT_EQ(ack["message"]["language"], "de");
    EXPECT_TRUE(has(ack["message"]["text"], "innerhalb weniger Minuten")) << ack["message"]["text"];
  }
  TestHost host;
  Scenario s(host, {{"policy", {{"language", "fi"}}}});
  open_case(s, "A", kAnn, "chat", "Where is my order?");
  s.poll_all();
  const Json ack = the_notice(host, "auto_acknowledgement");
  EXPECT_EQ(ack["message"]["language"], "en");
  EXPECT_TRUE(has(ack["message"]["text"], "within a few minutes"));
}

TEST(Rendering, EmailGetsHtmlWithEscapedValuesAndOtherChannelsPlainText) {
  TestHost host;
  Scenario s(host);
  const CustomerSpec tricky("c-t", "Tom <b>&</b> \"Jerry\" O'Neil\x07\x1b[31m", {}, "tom@example.org");
  open_case(s, "A", tricky, "email", "Where is my order?");
  open_case(s, "B", CustomerSpec("c-u", "Ute <i>", {}, "ute@example.org"), "chat", "Where is my order?");
  s.poll_all();
  const auto acks = notices(host, "auto_acknowledgement");
  ASSERT_EQ(acks.size(), 2u);
  const Json &email = acks[0].body["channel"] == "email" ? acks[0].body : acks[1].body;
  const Json &chat = acks[0].body["channel"] == "chat" ? acks[0].body : acks[1].body;
  ASSERT_TRUE(email["message"].contains("html")) << email;
  const std::string html = email["message"]["html"];
  EXPECT_TRUE(has(html, "Hi Tom &lt;b&gt;&amp;&lt;/b&gt; &quot;Jerry&quot; O&#39;Neil[31m,")) << html;
  EXPECT_FALSE(has(html, "<b>"));
  const std::string text = email["message"]["text"];
  EXPECT_TRUE(has(text, "Hi Tom <b>&</b> \"Jerry\" O'Neil[31m,")) << "plain text is not HTML-escaped: " << text;
  EXPECT_FALSE(has(text, "\x1b")) << "control characters never reach a message";
  EXPECT_FALSE(has(text, "\x07"));
  // The subject line is plain text either way.
  EXPECT_FALSE(has(email["message"]["subject"], "&lt;"));
  EXPECT_FALSE(chat["message"].contains("html")) << "chat is plain text only";
  EXPECT_TRUE(has(chat["message"]["text"], "Hi Ute <i>,"));
}

TEST(Rendering, TeamNoticesArePlainTextWithTheirNeeds) {
  TestHost host;
  Scenario s(host);
  open_case(s, "A", kAnn, "email", "Where is my order?");
  s.poll_all();
  const Json request = the_notice(host, "team_cs_request");
  EXPECT_EQ(request["audience"], "team");
  EXPECT_EQ(request["team"], "warehouse");
  EXPECT_FALSE(request["message"].contains("html"));
  EXPECT_FALSE(request.contains("to")) << "no customer contact in a team notice";
  const std::string text = request["message"]["text"];
  EXPECT_TRUE(has(text, "- Actual ship date/time\n- Reason for delay (if any)")) << text;
  EXPECT_TRUE(has(text, "30 minutes")) << text;
}

TEST(Rendering, ATemplateOverrideFromTheConfigIsUsed) {
  TestHost host;
  const Json templates = {
      {"auto_acknowledgement",
       {{"body", {{"en", "Thanks {{customer.name}}! Back to you within {{expected_response}}. {{store.name}}"},
                  {"fr", "Merci {{customer.name}} ! Réponse sous {{expected_response}}."}}},
        {"subject", {{"en", "Got it: {{case.id}}"}, {"fr", "Bien reçu : {{case.id}}"}}}}},
      {"vip_hello", {{"audience", "customer"}, {"body", {{"en", "Hello {{customer.name}}"}}}}}};
  Scenario s(host, {{"templates", templates}, {"policy", {{"store_name", "Lampenladen"}}}});
  const std::string id = open_case(s, "A", kAnn, "email", "Where is my order?");
  s.poll_all();
  Json ack = the_notice(host, "auto_acknowledgement");
  EXPECT_EQ(ack["message"]["text"], "Thanks Ann Example! Back to you within 2 hours. Lampenladen");
  EXPECT_EQ(ack["message"]["subject"], "Got it: " + id);
  EXPECT_EQ(ack["message"]["html"], "Thanks Ann Example! Back to you within 2 hours. Lampenladen");
  // A language the defaults do not have, added by the override.
  TestHost fr_host;
  Scenario fr(fr_host, {{"templates", templates}, {"policy", {{"language", "fr"}, {"store_name", "Lampenladen"}}}});
  open_case(fr, "A", kAnn, "chat", "Où est ma commande ?");
  fr.poll_all();
  ack = the_notice(fr_host, "auto_acknowledgement");
  EXPECT_EQ(ack["message"]["language"], "fr");
  EXPECT_TRUE(has(ack["message"]["text"], "Merci Ann Example !")) << ack["message"]["text"];
}

TEST(Rendering, ABadTemplateOverrideIsRefusedAtOpenNamingTheField) {
  Scenario s;
  CallError e = s.reopen_error(english_body("auto_acknowledgement", "Hi {{customer.name"));
  EXPECT_EQ(e.status, OC_ERR_CONFIG);
  EXPECT_TRUE(has(e.message, "templates.auto_acknowledgement.body.en")) << e.message;
  e = s.reopen_error(english_body("brand_new", "Hi"));
  EXPECT_EQ(e.status, OC_ERR_CONFIG);
  EXPECT_TRUE(has(e.message, "templates.brand_new.audience")) << e.message;
}

// --- Refusals -------------------------------------------------------------------------------

TEST(Refusal, APlaceholderWithoutAValueFailsTheEffectAndNotesTheCase) {
  TestHost host;
  Scenario s(host, english_body("auto_acknowledgement",
                                "Hi {{customer.name}}, you are {{loyalty.tier}}. Within {{expected_response}}."));
  const std::string id = open_case(s, "A", kAnn, "email", "Where is my order?");
  s.poll_all();
  EXPECT_TRUE(notices(host, "auto_acknowledgement").empty()) << "the host never receives it";
  EXPECT_EQ(notices(host, "team_cs_request").size(), 1u) << "other notices still go";
  const Json effect = s.effect("notify:" + id + ":acknowledgement:ev-2");
  EXPECT_EQ(effect["status"], "failed");
  EXPECT_EQ(effect["last_error"], "not sent: template 'auto_acknowledgement' has no value for loyalty.tier");
  // The case says why.
  bool noted = false;
  for (const auto &e : log_entries(s.get_case(id), "effect"))
    if (e["details"].value("effect", "") == effect["id"]) {
      noted = true;
      EXPECT_EQ(e["details"]["outcome"], "rejected");
      EXPECT_TRUE(has(e["details"]["detail"], "has no value for loyalty.tier")) << e;
    }
  EXPECT_TRUE(noted) << s.get_case(id)["log"];
  // And it is never retried.
  s.advance(kDayMs);
  s.poll_all();
  EXPECT_TRUE(notices(host, "auto_acknowledgement").empty());
  EXPECT_EQ(s.effect(effect["id"])["attempts"], effect["attempts"]);
}

TEST(Refusal, ACustomerWithoutANameIsNotAddressedAsBlank) {
  {
    // The defaults greet without a name ({{greeting}}).
    TestHost host;
    Scenario s(host);
    open_case(s, "A", CustomerSpec("c-anon", "", {}, "anon@example.org"), "email", "Where is my order?");
    s.poll_all();
    const std::string text = the_notice(host, "auto_acknowledgement")["message"]["text"];
    EXPECT_TRUE(text.starts_with("Hello,\n")) << text;
    EXPECT_FALSE(has(text, "Hi ,")) << text;
  }
  // An operator's template that needs the name is never sent without it.
  TestHost host;
  Scenario s(host, english_body("auto_acknowledgement", "Dear {{customer.name}}, thanks."));
  const std::string id = open_case(s, "A", CustomerSpec("c-anon", "", {}, "anon@example.org"), "email",
                                   "Where is my order?");
  s.poll_all();
  EXPECT_TRUE(notices(host, "auto_acknowledgement").empty());
  const Json effect = s.effect("notify:" + id + ":acknowledgement:ev-2");
  EXPECT_EQ(effect["status"], "failed");
  EXPECT_EQ(effect["last_error"], "not sent: template 'auto_acknowledgement' has no value for customer.name");
}

TEST(Refusal, AnErasedCustomerIsNeverWrittenTo) {
  TestHost host;
  Scenario s(host);
  const std::string id = open_case(s, "A", kAnn, "email", "Where is my order?");
  // Erased before the host polled: the acknowledgement is already queued.
  s.call("customer.erase", {{"customer_id", kAnn.id}});
  s.poll_all();
  EXPECT_TRUE(notices(host, "auto_acknowledgement").empty());
  for (const auto &r : host.requests("notify")) {
    EXPECT_NE(r.body.value("audience", ""), "customer") << r.body;
    EXPECT_FALSE(has(dump_json(r.body), "ann@example.org")) << r.body;
    EXPECT_FALSE(has(dump_json(r.body), "Ann Example")) << r.body;
  }
  const Json effect = s.effect("notify:" + id + ":acknowledgement:ev-2");
  EXPECT_EQ(effect["status"], "failed");
  EXPECT_EQ(effect["last_error"], "not sent: the customer's data was erased");
  // Later customer messages (resolution follow-up) are refused the same way.
  s.call("case.reply", {{"id", id}, {"agent", "ann"}, {"text", "Shipped"}});
  s.call("case.resolve", {{"id", id}, {"agent", "ann"}, {"resolution", "Shipped"}, {"action_taken", "Tracking sent"}});
  s.poll_all();
  EXPECT_TRUE(notices(host, "resolution_follow_up").empty());
}

// --- Plugin-thread delivery ------------------------------------------------------------

TEST(PluginThreadDelivery, NotificationsAreRenderedAndDeliveredOnThePluginThread) {
  TestHost host;
  Scenario s(host, {{"policy", {{"language", "de"}}}}, kScenarioStart, OC_OPEN_CALLBACKS_ON_PLUGIN_THREAD);
  open_case(s, "A", kAnn, "email", "Wo ist meine Bestellung?");
  bool delivered = false;
  for (int i = 0; i < 2000 && !delivered; ++i) {
    delivered = !notices(host, "auto_acknowledgement").empty() && !notices(host, "team_cs_request").empty();
    if (!delivered) std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  ASSERT_TRUE(delivered);
  const auto acks = notices(host, "auto_acknowledgement");
  EXPECT_NE(acks[0].thread, std::this_thread::get_id());
  EXPECT_TRUE(has(acks[0].body["message"]["text"], "innerhalb von 2 Stunden"));
}

}  // namespace
}  // namespace ordercare::testing
