// Agents' messages that reach the customer (issue 12, point 1): case.reply
// and case.send_template go out through the host's notify callback as
// outbox effects, once per message also when a call is retried or the
// plugin restarts; first response is recorded only when the host answers
// DONE; a message the host rejects is noted on the case; a macro with a
// placeholder lacking a value is refused before anything changes; and
// templates.list shows what an agent can send.
#include <gtest/gtest.h>

#include <map>
#include <string>
#include <vector>

#include "support/scenario.h"
#include "support/sla_support.h"
#include "support/test_store.h"

namespace ordercare::testing {
namespace {

const CustomerSpec kAnn("c-ann", "Ann Example", {}, "ann@example.org");

bool has(const std::string &text, const std::string &part) { return text.find(part) != std::string::npos; }

Json reply_args(const std::string &case_id, const std::string &text, Json extra = Json::object()) {
  Json args = {{"id", case_id}, {"agent", "kim"}, {"text", text}};
  args.update(extra);
  return args;
}

// A case about order A opened by Ann's message, whose own notices (the
// acknowledgement, the team's request) are delivered and forgotten, so the
// host's requests from here on are the agent's alone.
std::string quiet_case(Scenario &s, TestHost &host, const std::string &channel, const std::string &text,
                       OrderOptions options = {}) {
  const std::string id = open_case(s, "A", kAnn, channel, text, std::move(options));
  s.poll_all();
  host.forget();
  return id;
}

// Everything a refused command must leave as it was.
Json everything(Scenario &s, const std::string &case_id) {
  return {{"case", s.get_case(case_id)}, {"effects", s.effects()}};
}

// A host that rejects every agent reply and carries out everything else.
void reject_replies(TestHost &host) {
  host.on("notify", [](const HostRequest &r) {
    if (r.body.value("template", "") == "agent_reply")
      return HostReply{OC_OUTCOME_REJECTED, {{"reason", "mailbox full"}}};
    return HostReply{};
  });
}

// --- case.reply ------------------------------------------------------------------------

TEST(CaseReply, GoesToTheCustomerOnTheCaseChannelAndCountsWhenDelivered) {
  TestHost host;
  Scenario s(host);
  const std::string id = quiet_case(s, host, "chat", "Where is my order?");
  s.advance(kMinuteMs);
  const Json c = s.call("case.reply", reply_args(id, "It left our warehouse this morning."));
  EXPECT_TRUE(c["first_response_at"].is_null()) << "not delivered yet";
  EXPECT_EQ(c["assignee"], "kim");
  s.advance(kMinuteMs);
  const TimeMs delivered_at = s.now();
  s.poll_all();
  const auto sent = notices(host, "agent_reply");
  ASSERT_EQ(sent.size(), 1u);
  const Json &body = sent[0].body;
  EXPECT_EQ(body["audience"], "customer");
  EXPECT_EQ(body["channel"], "chat") << "the case's channel";
  EXPECT_EQ(body["agent"], "kim");
  EXPECT_EQ(body["case_id"], id);
  EXPECT_EQ(body["to"]["email"], "ann@example.org");
  const std::string text = body["message"]["text"];
  EXPECT_TRUE(has(text, "It left our warehouse this morning.")) << text;
  EXPECT_TRUE(has(text, id)) << text;
  EXPECT_FALSE(body["message"].contains("html")) << "html is for email only";
  const Json after = s.get_case(id);
  EXPECT_EQ(after["first_response_at"], format_rfc3339(delivered_at)) << "the time the host confirmed it";
  EXPECT_EQ(clock_due(after, "first_response"), std::nullopt) << "the first-response clock stopped";
  const auto delivery = log_entries(after, "delivery");
  ASSERT_EQ(delivery.size(), 1u);
  EXPECT_EQ(delivery[0]["details"]["outcome"], "delivered");
  EXPECT_EQ(delivery[0]["details"]["first_response"], true);
  // A second reply is delivered too, and the first response stays.
  s.advance(kHourMs);
  s.call("case.reply", reply_args(id, "Tracking: 1Z999"));
  s.poll_all();
  EXPECT_EQ(notices(host, "agent_reply").size(), 2u);
  EXPECT_EQ(s.get_case(id)["first_response_at"], format_rfc3339(delivered_at));
}

TEST(CaseReply, IsEscapedPerChannelAndGoesOutInTheGivenLanguage) {
  TestHost host;
  Scenario s(host);
  const std::string id = open_case(s, "A", kAnn, "email", "Where is my order?");
  s.call("case.reply", reply_args(id, "Use <b>code</b> SAVE & smile\x07"));
  s.call("case.reply", reply_args(id, "Ihr Paket ist unterwegs.", {{"language", "de-AT"}, {"channel", "chat"}}));
  s.poll_all();
  const auto sent = notices(host, "agent_reply");
  ASSERT_EQ(sent.size(), 2u);
  const Json &email = sent[0].body["message"];
  EXPECT_EQ(sent[0].body["channel"], "email");
  EXPECT_TRUE(has(email["html"], "Use &lt;b&gt;code&lt;/b&gt; SAVE &amp; smile")) << email.dump();
  EXPECT_TRUE(has(email["text"], "Use <b>code</b> SAVE & smile")) << email.dump();
  EXPECT_FALSE(has(email["text"], "\x07")) << "control characters are dropped";
  EXPECT_EQ(email["language"], "en");
  const Json &german = sent[1].body["message"];
  EXPECT_EQ(sent[1].body["channel"], "chat");
  EXPECT_EQ(german["language"], "de");
  EXPECT_EQ(german["subject"], "Zu Ihrer Anfrage (Vorgang " + id + ")");
  EXPECT_TRUE(has(german["text"], "Ihr Paket ist unterwegs.")) << german.dump();
}

TEST(CaseReply, TheChannelMustBeOneOfTheSchemasAndABadOneChangesNothing) {
  TestHost host;
  Scenario s(host);
  const std::string id = quiet_case(s, host, "email", "Where is my order?");
  const Json before = everything(s, id);
  for (const std::string bad : {"pigeon", "web", "system", ""}) {
    const CallError e = s.error("case.reply", reply_args(id, "Hi", {{"channel", bad}}));
    EXPECT_EQ(e.status, OC_ERR_SCHEMA) << bad;
    EXPECT_TRUE(has(e.message, "channel")) << e.message;
    EXPECT_TRUE(has(e.message, "marketplace")) << e.message;
  }
  for (const std::string bad : {"x", "english!", "de--at", "-de", "de-", "e1", "deutschland"}) {
    const CallError e = s.error("case.reply", reply_args(id, "Hi", {{"language", bad}}));
    EXPECT_EQ(e.status, OC_ERR_SCHEMA) << bad;
    EXPECT_TRUE(has(e.message, "language")) << e.message;
  }
  EXPECT_EQ(everything(s, id), before);
  s.poll_all();
  EXPECT_TRUE(host.requests("notify").empty());
  // Each of the schema's contact channels is accepted and used.
  for (const std::string channel : {"email", "chat", "phone", "social", "marketplace", "store"})
    s.call("case.reply", reply_args(id, "Hello", {{"channel", channel}}));
  s.poll_all();
  std::vector<std::string> used;
  for (const auto &n : notices(host, "agent_reply")) used.push_back(n.body["channel"]);
  EXPECT_EQ(used, (std::vector<std::string>{"email", "chat", "phone", "social", "marketplace", "store"}));
}

TEST(CaseReply, ACaseTheEngineOpenedIsAnsweredByEmail) {
  TestHost host;
  Scenario s(host);
  s.submit(s.order_created("A", kAnn));
  s.advance(kHourMs);
  const Json opened = s.submit(s.shipment("A", "S1", "damaged"));
  ASSERT_EQ(opened["cases"].size(), 1u);
  const std::string id = opened["cases"][0];
  ASSERT_NE(s.get_case(id)["channel"], "email");
  s.call("case.reply", reply_args(id, "We are sending a new one."));
  s.poll_all();
  const auto sent = notices(host, "agent_reply");
  ASSERT_EQ(sent.size(), 1u);
  EXPECT_EQ(sent[0].body["channel"], "email");
}

TEST(CaseReply, ARetriedCallWithItsRequestIdSendsOnceAlsoAfterARestart) {
  TestHost host;
  Scenario s(host);
  const std::string id = quiet_case(s, host, "email", "Where is my order?");
  const Json args = reply_args(id, "A new lamp is on its way", {{"request_id", "reply-7"}});
  const Json first = s.call("case.reply", args);
  // The host crashed before it saw the answer, and calls again after the restart.
  s.reopen();
  s.advance(kMinuteMs);
  EXPECT_EQ(s.call("case.reply", args), first);
  s.poll_all();
  s.advance(kMinuteMs);
  EXPECT_EQ(s.call("case.reply", args), first);
  s.poll_all();
  EXPECT_EQ(notices(host, "agent_reply").size(), 1u);
  std::size_t queued = 0;
  for (const auto &e : s.effects({{"case_id", id}}))
    if (e["payload"].value("template", "") == "agent_reply") ++queued;
  EXPECT_EQ(queued, 1u);
  EXPECT_EQ(log_entries(s.get_case(id), "reply").size(), 1u);
  // Another reply (another request_id) is a message of its own.
  s.call("case.reply", reply_args(id, "And here is the tracking number", {{"request_id", "reply-8"}}));
  s.poll_all();
  EXPECT_EQ(notices(host, "agent_reply").size(), 2u);
}

TEST(CaseReply, OneTheHostRejectsIsNotedAndIsNoFirstResponse) {
  TestHost host;
  reject_replies(host);
  Scenario s(host);
  const std::string id = open_case(s, "A", kAnn, "email", "Where is my order?");
  s.call("case.reply", reply_args(id, "On its way"));
  s.poll_all();
  ASSERT_EQ(notices(host, "agent_reply").size(), 1u);
  Json c = s.get_case(id);
  EXPECT_TRUE(c["first_response_at"].is_null());
  EXPECT_TRUE(clock_due(c, "first_response").has_value()) << "the first-response clock still runs";
  const auto delivery = log_entries(c, "delivery");
  ASSERT_EQ(delivery.size(), 1u);
  EXPECT_EQ(delivery[0]["details"]["outcome"], "rejected");
  EXPECT_EQ(delivery[0]["details"]["first_response"], false);
  EXPECT_EQ(delivery[0]["details"]["detail"], "mailbox full");
  const Json metrics = s.call("metrics", {{"from", format_rfc3339(kScenarioStart - kDayMs)},
                                          {"to", format_rfc3339(s.now() + kMinuteMs)}});
  EXPECT_EQ(metrics["totals"]["first_response"]["awaiting"], 1);
  // Once a reply gets through, it is the first response.
  host.on("notify", [](const HostRequest &) { return HostReply{}; });
  s.advance(10 * kMinuteMs);
  s.call("case.reply", reply_args(id, "Trying again: it is on its way"));
  s.advance(kMinuteMs);
  s.poll_all();
  EXPECT_EQ(s.get_case(id)["first_response_at"], format_rfc3339(s.now()));
}

TEST(CaseReply, PendingAtTheHostIsNotYetAFirstResponse) {
  TestHost host;
  host.on("notify", [](const HostRequest &r) {
    return HostReply{r.body.value("template", "") == "agent_reply" ? OC_OUTCOME_PENDING : OC_OUTCOME_DONE};
  });
  Scenario s(host);
  const std::string id = open_case(s, "A", kAnn, "email", "Where is my order?");
  s.call("case.reply", reply_args(id, "On its way"));
  s.poll_all();
  const Json c = s.get_case(id);
  EXPECT_TRUE(c["first_response_at"].is_null());
  const auto delivery = log_entries(c, "delivery");
  ASSERT_EQ(delivery.size(), 1u);
  EXPECT_EQ(delivery[0]["details"]["outcome"], "pending");
}

TEST(CaseReply, AHostWithoutNotifySendsItsOwnRepliesAndTheCallRecordsThem) {
  TestHost host;
  host.without("notify");
  Scenario s(host);
  const std::string id = open_case(s, "A", kAnn, "email", "Where is my order?");
  const Json c = s.call("case.reply", reply_args(id, "On its way"));
  EXPECT_EQ(c["first_response_at"], format_rfc3339(s.now()));
  for (const auto &e : s.effects({{"case_id", id}})) EXPECT_NE(e["payload"].value("template", ""), "agent_reply");
  const auto replies = log_entries(s.get_case(id), "reply");
  ASSERT_EQ(replies.size(), 1u);
  EXPECT_EQ(replies[0]["details"]["delivery"], "by_host");
}

TEST(CaseReply, ACaseWithoutACustomerHasNoOneToWriteTo) {
  TestHost host;
  Scenario s(host);
  const Json opened = s.submit(s.inventory_discrepancy("SKU-1", "WH-1", 10, 7));
  ASSERT_EQ(opened["cases"].size(), 1u);
  const std::string id = opened["cases"][0];
  const Json before = everything(s, id);
  const CallError e = s.error("case.reply", reply_args(id, "Hello"));
  EXPECT_EQ(e.status, OC_ERR_REFUSED);
  EXPECT_TRUE(has(e.message, "no customer")) << e.message;
  EXPECT_EQ(everything(s, id), before);
}

TEST(CaseReply, ItsTextIsSealedInTheStoreLikeEveryMessage) {
  OC_SQLITE_ONLY("reads the store file");
  TestHost host;
  Scenario s(host);
  const std::string id = open_case(s, "A", kAnn, "email", "Where is my order?");
  const std::string secret = "your door code 4471-QUOKKA";
  s.call("case.reply", reply_args(id, "Left it by the door, " + secret));
  const std::string queued = s.raw_store_bytes();
  s.poll_all();
  ASSERT_EQ(notices(host, "agent_reply").size(), 1u);
  EXPECT_TRUE(has(notices(host, "agent_reply")[0].body["message"]["text"], secret));
  EXPECT_FALSE(has(queued, "QUOKKA")) << "in the outbox";
  EXPECT_FALSE(has(s.raw_store_bytes(), "QUOKKA")) << "once delivered";
}

// --- case.send_template --------------------------------------------------------------

TEST(SendTemplate, AMissingPlaceholderIsRefusedByNameAndNothingChanges) {
  TestHost host;
  Scenario s(host);
  const std::string id = quiet_case(s, host, "email", "Where is my order?");
  const Json before = everything(s, id);
  const CallError e = s.error("case.send_template", {{"id", id}, {"agent", "kim"}, {"template", "shipping_delay"}});
  EXPECT_EQ(e.status, OC_ERR_REFUSED);
  EXPECT_TRUE(has(e.message, "shipping_delay")) << e.message;
  EXPECT_TRUE(has(e.message, "delay.reason, eta")) << e.message;
  EXPECT_FALSE(has(e.message, "order.number")) << "the case gives that: " << e.message;
  // One of the two given: the other is still named.
  const CallError half = s.error("case.send_template", {{"id", id},
                                                        {"agent", "kim"},
                                                        {"template", "shipping_delay"},
                                                        {"variables", {{"eta", "2026-11-25"}}},
                                                        {"request_id", "macro-1"}});
  EXPECT_EQ(half.status, OC_ERR_REFUSED);
  EXPECT_TRUE(has(half.message, "no value for delay.reason;")) << half.message;
  EXPECT_EQ(everything(s, id), before);
  s.poll_all();
  EXPECT_TRUE(host.requests("notify").empty()) << "never half-sent";
  // A refused command kept nothing: its request_id may be used again.
  s.call("case.send_template", {{"id", id},
                                {"agent", "kim"},
                                {"template", "shipping_delay"},
                                {"variables", {{"eta", "2026-11-25"}, {"delay.reason", "a storm at the hub"}}},
                                {"request_id", "macro-1"}});
  s.poll_all();
  EXPECT_EQ(notices(host, "shipping_delay").size(), 1u);
}

TEST(SendTemplate, SendsAnyCustomerTemplateWithTheCasesAndTheCallsValues) {
  TestHost host;
  Scenario s(host);
  const std::string id = quiet_case(s, host, "email", "The vase arrived broken", OrderOptions().numbered("1001").with_items(
                                                                      {LineSpec("SKU-VASE", 4000, 1, "Blue Vase")}));
  const Json c = s.call("case.send_template", {{"id", id},
                                               {"agent", "kim"},
                                               {"template", "damaged_item_photo_request"},
                                               {"await_customer", true}});
  EXPECT_EQ(c["status"], "waiting_customer");
  EXPECT_TRUE(c["first_response_at"].is_null());
  s.advance(kMinuteMs);
  s.poll_all();
  const auto sent = notices(host, "damaged_item_photo_request");
  ASSERT_EQ(sent.size(), 1u);
  EXPECT_EQ(sent[0].body["agent"], "kim");
  const std::string text = sent[0].body["message"]["text"];
  EXPECT_TRUE(has(text, "Ann Example")) << text;
  EXPECT_TRUE(has(sent[0].body["message"]["subject"], "#1001")) << sent[0].body.dump();
  EXPECT_TRUE(has(text, "Blue Vase")) << text;
  EXPECT_EQ(s.get_case(id)["first_response_at"], format_rfc3339(s.now()));
  const auto replies = log_entries(s.get_case(id), "reply");
  ASSERT_EQ(replies.size(), 1u);
  EXPECT_EQ(replies[0]["details"]["template"], "damaged_item_photo_request");
  // The call's values fill what the case cannot, and replace what it gives.
  s.call("case.send_template", {{"id", id},
                                {"agent", "kim"},
                                {"template", "out_of_stock_options"},
                                {"channel", "chat"},
                                {"variables", {{"substitute.name", "Green <Vase>"}, {"restock_date", "1 December"},
                                               {"item.name", "Blue Vase (large)"}}}});
  s.poll_all();
  const auto options = notices(host, "out_of_stock_options");
  ASSERT_EQ(options.size(), 1u);
  EXPECT_EQ(options[0].body["channel"], "chat");
  const std::string offer = options[0].body["message"]["text"];
  EXPECT_TRUE(has(offer, "Green <Vase>")) << offer;
  EXPECT_TRUE(has(offer, "1 December")) << offer;
  EXPECT_TRUE(has(offer, "Blue Vase (large)")) << offer;
  // In German, what the engine words itself is German too.
  s.call("case.send_template",
         {{"id", id}, {"agent", "kim"}, {"template", "auto_acknowledgement"}, {"language", "de"}});
  s.poll_all();
  const auto acks = notices(host, "auto_acknowledgement");
  ASSERT_EQ(acks.size(), 1u);
  EXPECT_EQ(acks[0].body["message"]["language"], "de");
  // The case is a P2 by email: an answer within an hour (SLA policy "P2").
  EXPECT_TRUE(has(acks[0].body["message"]["text"], "innerhalb von 1 Stunde")) << acks[0].body.dump();
}

TEST(SendTemplate, RefusesUnknownAndTeamTemplatesAndBadArguments) {
  TestHost host;
  Scenario s(host);
  const std::string id = open_case(s, "A", kAnn, "email", "Where is my order?");
  const Json before = everything(s, id);
  const Json base = {{"id", id}, {"agent", "kim"}};
  auto with = [&](Json extra) {
    Json args = base;
    args.update(extra);
    return args;
  };
  CallError e = s.error("case.send_template", with({{"template", "no_such_template"}}));
  EXPECT_EQ(e.status, OC_ERR_NOT_FOUND);
  EXPECT_TRUE(has(e.message, "no_such_template")) << e.message;
  e = s.error("case.send_template", with({{"template", "team_escalation"}}));
  EXPECT_EQ(e.status, OC_ERR_REFUSED);
  EXPECT_TRUE(has(e.message, "team")) << e.message;
  e = s.error("case.send_template", base);
  EXPECT_EQ(e.status, OC_ERR_SCHEMA);
  EXPECT_TRUE(has(e.message, "template")) << e.message;
  e = s.error("case.send_template", with({{"template", "resolution_follow_up"}, {"variables", "x"}}));
  EXPECT_EQ(e.status, OC_ERR_SCHEMA);
  EXPECT_TRUE(has(e.message, "variables")) << e.message;
  e = s.error("case.send_template", with({{"template", "resolution_follow_up"}, {"variables", {{"eta", {1, 2}}}}}));
  EXPECT_EQ(e.status, OC_ERR_SCHEMA);
  EXPECT_TRUE(has(e.message, "variables.eta")) << e.message;
  e = s.error("case.send_template", with({{"template", "resolution_follow_up"}, {"variables", {{"a b", "x"}}}}));
  EXPECT_EQ(e.status, OC_ERR_SCHEMA);
  e = s.error("case.send_template", with({{"template", "resolution_follow_up"}, {"channel", "fax"}}));
  EXPECT_EQ(e.status, OC_ERR_SCHEMA);
  EXPECT_TRUE(has(e.message, "channel")) << e.message;
  e = s.error("case.send_template", with({{"template", "resolution_follow_up"}, {"colour", "blue"}}));
  EXPECT_EQ(e.status, OC_ERR_SCHEMA);
  EXPECT_TRUE(has(e.message, "colour")) << e.message;
  EXPECT_EQ(everything(s, id), before);
}

TEST(SendTemplate, WithoutANotifyCallbackNothingCanBeSent) {
  TestHost host;
  host.without("notify");
  Scenario s(host);
  const std::string id = open_case(s, "A", kAnn, "email", "Where is my order?");
  const Json before = everything(s, id);
  const CallError e =
      s.error("case.send_template", {{"id", id}, {"agent", "kim"}, {"template", "resolution_follow_up"}});
  EXPECT_EQ(e.status, OC_ERR_REFUSED);
  EXPECT_TRUE(has(e.message, "notify")) << e.message;
  EXPECT_EQ(everything(s, id), before);
}

// --- templates.list --------------------------------------------------------------------

TEST(TemplatesList, ShowsEachTemplatePerLanguageWithItsPlaceholders) {
  Json config = {{"templates", {{"agent_reply", {{"subject", {{"fr", "Votre demande ({{case.id}})"}}},
                                                  {"body", {{"fr", "{{reply.text}}\n\n{{store.name}}"}}}}}}},
                 {"policy", {{"store", {{"name", "Lampenladen"}}}}}};
  Scenario s(config);
  // More templates than a default page (50) holds: all of them on one.
  const Json list = s.call("templates.list", {{"limit", 1000}});
  EXPECT_TRUE(list["next_cursor"].is_null());
  std::map<std::string, Json> by_id;
  for (const auto &t : list["templates"]) by_id[t["id"]] = t;
  ASSERT_TRUE(by_id.contains("agent_reply"));
  ASSERT_TRUE(by_id.contains("shipping_delay"));
  ASSERT_TRUE(by_id.contains("team_escalation"));
  const Json &reply = by_id["agent_reply"];
  EXPECT_EQ(reply["audience"], "customer");
  EXPECT_EQ(reply["customer_facing"], true);
  EXPECT_TRUE(reply["description"].is_string());
  std::map<std::string, Json> languages;
  for (const auto &l : reply["languages"]) languages[l["language"]] = l;
  ASSERT_EQ(languages.size(), 3u) << reply.dump();
  EXPECT_EQ(languages["en"]["placeholders"], (Json{"case.id", "reply.text", "store.sign_off"}));
  EXPECT_EQ(languages["en"]["has_subject"], true);
  EXPECT_EQ(languages["fr"]["placeholders"], (Json{"case.id", "reply.text", "store.name"}));
  std::map<std::string, Json> delay_languages;
  for (const auto &l : by_id["shipping_delay"]["languages"]) delay_languages[l["language"]] = l;
  EXPECT_EQ(delay_languages["en"]["placeholders"],
            (Json{"order.name", "greeting", "delay.reason", "eta", "store.sign_off"}));
  EXPECT_EQ(by_id["team_escalation"]["customer_facing"], false);
  EXPECT_EQ(by_id["team_escalation"]["audience"], "team");
  EXPECT_EQ(by_id["team_escalation"]["languages"][0]["has_subject"], false);

  // Filters: customer templates only; one language.
  const Json customer = s.call("templates.list", {{"audience", "customer"}})["templates"];
  for (const auto &t : customer) EXPECT_EQ(t["customer_facing"], true) << t["id"];
  const Json french = s.call("templates.list", {{"language", "FR"}})["templates"];
  ASSERT_EQ(french.size(), 1u);
  EXPECT_EQ(french[0]["id"], "agent_reply");
  ASSERT_EQ(french[0]["languages"].size(), 1u);
  // Paging as every list pages.
  Json page = s.call("templates.list", {{"limit", 5}});
  std::size_t total = page["templates"].size();
  while (!page["next_cursor"].is_null()) {
    page = s.call("templates.list", {{"limit", 5}, {"cursor", page["next_cursor"]}});
    total += page["templates"].size();
  }
  EXPECT_EQ(total, list["templates"].size());
  EXPECT_EQ(s.error("templates.list", {{"audience", "agents"}}).status, OC_ERR_SCHEMA);
}

}  // namespace
}  // namespace ordercare::testing
