// One voice per store, the customer's language (issue 12, point 5): an
// event's `store` selects its profile (config `stores.<id>`: name,
// sign-off, default language, time zone, business hours, policy and
// templates) for its cases, commands and messages; customers are answered
// in their own language when it is known (the language of their message,
// the order's locale) and the message's template is written in it, else in
// the store's; Shopify order names render as the shop shows them. Unknown
// stores, bad profiles and bad language tags are refused with the field
// named and change nothing.
#include <gtest/gtest.h>

#include <functional>
#include <string>
#include <vector>

#include "support/scenario.h"
#include "support/sla_support.h"
#include "support/test_store.h"

namespace ordercare::testing {
namespace {

const CustomerSpec kAnn("c-ann", "Ann Example", {}, "ann@example.org");
const CustomerSpec kBen("c-ben", "Ben Example", {}, "ben@example.org");

bool has(const std::string &text, const std::string &part) { return text.find(part) != std::string::npos; }

// Two stores: Europe writes German and answers email within the hour; the
// US store only has its own name.
const Json kStores = {
    {"stores",
     {{"eu",
       {{"name", "Nordhaven Europe"},
        {"language", "de"},
        {"time_zone", "Europe/Berlin"},
        {"sign_off", {{"de", "Ihr Nordhaven-Team"}, {"en", "The Nordhaven team"}}},
        {"policy", {{"sla", {{"first_response", {{"email", "1h"}}}}}}}}},
      {"us", {{"name", "Nordhaven US"}}}}}};

Json in_store(Json event, const std::string &store) {
  event["store"] = store;
  return event;
}

Json with_locale(Json order_created, const std::string &locale) {
  order_created["data"]["order"]["locale"] = locale;
  return order_created;
}

Json with_language(Json message, const std::string &language) {
  message["data"]["language"] = language;
  return message;
}

// The customer notices the host received, in order.
std::vector<Json> customer_notices(const TestHost &host) {
  std::vector<Json> out;
  for (const auto &r : host.requests("notify"))
    if (r.body.value("audience", "") == "customer") out.push_back(r.body);
  return out;
}

// The one customer notice of a fresh host after `act`.
Json notice_after(Scenario &s, TestHost &host, const std::function<void()> &act) {
  s.poll_all();
  host.forget();
  act();
  s.poll_all();
  const auto notices = customer_notices(host);
  EXPECT_EQ(notices.size(), 1u);
  return notices.empty() ? Json() : notices.front();
}

// Order `order_id` for `who` in `store` ("" for none), then their message.
std::string case_in_store(Scenario &s, const std::string &order_id, const CustomerSpec &who, const std::string &store,
                          const std::string &locale = "", const std::string &language = "") {
  Json order = s.order_created(order_id, who);
  if (!store.empty()) order = in_store(order, store);
  if (!locale.empty()) order = with_locale(order, locale);
  s.submit(order);
  Json message = s.message(who, order_id, "email", "I need to change the address on my order, please");
  if (!language.empty()) message = with_language(message, language);
  return s.submit(message)["cases"][0];
}

// --- One voice per store --------------------------------------------------------------

TEST(StoreProfiles, EachStoreAnswersInItsOwnVoiceAndPolicy) {
  TestHost host;
  Scenario s(host, kStores);
  std::string eu, us, shop;
  Json n = notice_after(s, host, [&] { eu = case_in_store(s, "A", kAnn, "eu"); });
  EXPECT_EQ(n["message"]["language"], "de");
  EXPECT_TRUE(has(n["message"]["text"], "Ihr Nordhaven-Team")) << n["message"]["text"];
  n = notice_after(s, host, [&] { us = case_in_store(s, "B", kBen, "us"); });
  EXPECT_EQ(n["message"]["language"], "en");
  EXPECT_TRUE(has(n["message"]["text"], "Nordhaven US Customer Support")) << n["message"]["text"];
  n = notice_after(s, host, [&] { shop = case_in_store(s, "C", CustomerSpec("c-cy", "Cy"), ""); });
  EXPECT_EQ(n["message"]["language"], "en");
  EXPECT_FALSE(has(n["message"]["text"], "Nordhaven")) << n["message"]["text"];
  // The store's policy: email answered within the hour in Europe.
  const Json eu_case = s.get_case(eu);
  EXPECT_EQ(eu_case["store"], "eu");
  EXPECT_EQ(time_of(eu_case["first_response_due"]), time_of(eu_case["opened_at"]).value() + kHourMs);
  const Json us_case = s.get_case(us);
  EXPECT_EQ(time_of(us_case["first_response_due"]), time_of(us_case["opened_at"]).value() + 2 * kHourMs);
  EXPECT_TRUE(s.get_case(shop)["store"].is_null());
  // An agent's reply on the European case speaks for that store too.
  n = notice_after(s, host, [&] { s.call("case.reply", {{"id", eu}, {"agent", "kim"}, {"text", "Erledigt."}}); });
  EXPECT_EQ(n["template"], "agent_reply");
  EXPECT_EQ(n["message"]["language"], "de");
  EXPECT_TRUE(has(n["message"]["text"], "Erledigt.\n\nIhr Nordhaven-Team")) << n["message"]["text"];
}

TEST(StoreProfiles, AStoresEventsWithoutStoreFollowTheirOrder) {
  TestHost host;
  Scenario s(host, kStores);
  s.submit(in_store(s.order_created("A", kAnn), "eu"));
  s.poll_all();
  host.forget();
  // The carrier's update names no store: it is the order's.
  s.submit(s.shipment("A", "S1", "delayed",
                      ShipmentOptions().tracked("DHL", "123").due(s.now() + 3 * kDayMs).because("storm")));
  s.poll_all();
  const auto notices = customer_notices(host);
  ASSERT_FALSE(notices.empty());
  for (const Json &n : notices) {
    EXPECT_EQ(n["message"]["language"], "de") << n["template"];
    EXPECT_TRUE(has(n["message"]["text"], "Ihr Nordhaven-Team")) << n["message"]["text"];
  }
}

TEST(StoreProfiles, BusinessHoursRunOnTheStoresClock) {
  // The shop is open 09-17 in Berlin; Tokyo keeps those hours on its own
  // clock; Kuwait has its own week. The scenario starts on Friday
  // 2026-11-20 09:00 UTC: 10:00 in Berlin, 18:00 in Tokyo, 12:00 in Kuwait.
  const Json weekdays = {{"mon", "09:00-17:00"}, {"tue", "09:00-17:00"}, {"wed", "09:00-17:00"},
                         {"thu", "09:00-17:00"}, {"fri", "09:00-17:00"}};
  const Json config = {
      {"policy", {{"sla", {{"business_hours", {{"zone", "Europe/Berlin"}, {"hours", weekdays}}}}}}},
      {"stores",
       {{"jp", {{"time_zone", "Asia/Tokyo"}}},
        {"kw",
         {{"time_zone", "Asia/Kuwait"},
          {"business_hours",
           {{"hours",
             {{"sun", "08:00-16:00"}, {"mon", "08:00-16:00"}, {"tue", "08:00-16:00"}, {"wed", "08:00-16:00"},
              {"thu", "08:00-16:00"}}}}}}}}}};
  Scenario s(config);
  const std::string shop = case_in_store(s, "A", kAnn, "");
  const std::string jp = case_in_store(s, "B", kBen, "jp");
  const std::string kw = case_in_store(s, "C", CustomerSpec("c-cy", "Cy"), "kw");
  // Email: two hours of opening time.
  EXPECT_EQ(s.get_case(shop)["first_response_due"], "2026-11-20T11:00:00Z");
  EXPECT_EQ(s.get_case(jp)["first_response_due"], "2026-11-23T02:00:00Z");   // Monday 11:00 in Tokyo
  EXPECT_EQ(s.get_case(kw)["first_response_due"], "2026-11-22T07:00:00Z");   // Sunday 10:00 in Kuwait
}

TEST(StoreProfiles, DatesTheCustomerReadsAreTheStoresLocalDates) {
  TestHost host;
  Scenario s(host, {{"stores", {{"jp", {{"time_zone", "Asia/Tokyo"}}}}}});
  // Due at 20:00 UTC on the 23rd: the 24th in Tokyo.
  const TimeMs eta = *parse_rfc3339("2026-11-23T20:00:00Z");
  for (const std::string store : {"jp", ""}) {
    const std::string order_id = store.empty() ? "SHOP-1" : "JP-1";
    Json order = s.order_created(order_id, kAnn);
    if (!store.empty()) order = in_store(order, store);
    s.submit(order);
    const Json n = notice_after(s, host, [&] {
      s.submit(s.shipment(order_id, "S-" + order_id, "delayed",
                          ShipmentOptions().tracked("DHL", "123").due(eta).because("storm")));
    });
    const std::string text = n["message"]["text"];
    EXPECT_TRUE(has(text, store.empty() ? "2026-11-23" : "2026-11-24")) << store << ": " << text;
  }
}

TEST(StoreProfiles, AStoresTemplatesAreItsOwn) {
  TestHost host;
  const Json config = {
      {"stores",
       {{"eu",
         {{"templates",
           {{"agent_reply",
             {{"subject", {{"en", "Nordhaven Europe: {{case.id}}"}}},
              {"body", {{"en", "{{reply.text}} (EU desk)\n{{store.sign_off}}"}}}}},
            {"eu_voucher",
             {{"audience", "customer"},
              {"subject", {{"en", "A voucher from Europe"}}},
              {"body", {{"en", "{{greeting}} here is EU10.\n{{store.sign_off}}"}}}}}}}}}}}};
  Scenario s(host, config);
  const std::string eu = case_in_store(s, "A", kAnn, "eu");
  const std::string shop = case_in_store(s, "B", kBen, "");
  Json n = notice_after(s, host, [&] { s.call("case.reply", {{"id", eu}, {"agent", "kim"}, {"text", "Done."}}); });
  EXPECT_TRUE(has(n["message"]["text"], "Done. (EU desk)")) << n["message"]["text"];
  n = notice_after(s, host, [&] { s.call("case.reply", {{"id", shop}, {"agent", "kim"}, {"text", "Done."}}); });
  EXPECT_FALSE(has(n["message"]["text"], "EU desk")) << n["message"]["text"];
  // The store's own macro goes to its cases, not to another's.
  n = notice_after(s, host, [&] {
    s.call("case.send_template", {{"id", eu}, {"agent", "kim"}, {"template", "eu_voucher"}});
  });
  EXPECT_TRUE(has(n["message"]["text"], "here is EU10.")) << n["message"]["text"];
  const Json before = s.get_case(shop);
  const CallError e = s.error("case.send_template", {{"id", shop}, {"agent", "kim"}, {"template", "eu_voucher"}});
  EXPECT_EQ(e.status, OC_ERR_NOT_FOUND) << e.message;
  EXPECT_EQ(s.get_case(shop), before);
}

TEST(StoreProfiles, AnEventForAStoreWithoutAProfileIsRefused) {
  Scenario s(kStores);
  const CallError e = s.submit_error(in_store(s.order_created("A", kAnn), "asia"));
  EXPECT_EQ(e.status, OC_ERR_SCHEMA);
  EXPECT_TRUE(has(e.message, "store: no profile for store 'asia'")) << e.message;
  EXPECT_TRUE(has(e.message, "eu, us")) << e.message;
  EXPECT_TRUE(s.call("events.list")["events"].empty());
  EXPECT_TRUE(s.cases().empty());
  // Without profiles a store is only a label, as before.
  Scenario plain;
  EXPECT_EQ(plain.submit(in_store(plain.order_created("A", kAnn), "asia"))["status"], "accepted");
}

TEST(StoreProfiles, ANoticeOfAStoreNoLongerConfiguredGoesOutInTheShopsVoice) {
  TestHost host;
  Scenario s(host, kStores);
  case_in_store(s, "A", kAnn, "eu");  // its acknowledgement waits in the outbox
  s.reopen(Json::object());
  s.poll_all();
  const auto notices = customer_notices(host);
  ASSERT_EQ(notices.size(), 1u);
  // In the language it was queued in, signed by the shop.
  EXPECT_EQ(notices[0]["message"]["language"], "de");
  EXPECT_TRUE(has(notices[0]["message"]["text"], "\n\nIhr Kundenservice")) << notices[0]["message"]["text"];
  EXPECT_FALSE(has(notices[0]["message"]["text"], "Nordhaven")) << notices[0]["message"]["text"];
}

TEST(StoreProfiles, ABadProfileFailsTheOpenNamingTheField) {
  Scenario s;
  struct Bad {
    const char *config;
    std::string says;
  };
  const std::vector<Bad> bad = {
      {R"({"stores": []})", "config: stores: expected an object"},
      {R"({"stores": {"eu": {"language": "deutsch!"}}})", "config: stores.eu.language: expected a language tag"},
      {R"({"stores": {"eu": {"time_zone": "Mars/Olympus"}}})", "config: stores.eu.time_zone: unknown time zone"},
      {R"({"stores": {"eu": {"colour": "blue"}}})", "stores.eu.colour"},
      {R"({"stores": {"eu": {"name": " "}}})", "config: stores.eu.name: must not be blank"},
      {R"({"stores": {"eu": {"time_zone": "Europe/Berlin", "business_hours": {"hours": {"mon": "25:00-26:00"}}}}})",
       "stores.eu.business_hours.hours.mon"},
      {R"({"stores": {"eu": {"policy": {"returns": {"window_days": "thirty"}}}}})",
       "stores.eu.policy.returns.window_days"},
      {R"({"stores": {"eu": {"sign_off": {"not a tag": "Bye"}}}})", "sign_off.not a tag"},
      {R"({"stores": {"eu": {"templates": {"agent_reply": {"body": {"fr": "{{unclosed"}}}}}})",
       "stores.eu.templates.agent_reply"},
      {R"({"stores": {"eu": {"policy": {"survey": {"url": "https://s.example"}},
                               "templates": {"feedback_survey": {"body": {"en": "{{survey.url}} {{survey.reward}}"}}}}}})",
       "config: stores.eu.policy.survey.reward: required: template 'feedback_survey'"},
      {R"({"stores": {"eu": {"templates": {"agent_reply": {"body": {"en": "{{reply.text}} {{store.name}}"}}}}}})",
       "config: stores.eu.name: required: template 'agent_reply'"},
      {R"({"policy": {"language": "e"}})", "config: policy.language: expected a language tag"},
  };

  for (const Bad &b : bad) {
    const CallError e = s.reopen_error(Json::parse(b.config));
    EXPECT_EQ(e.status, OC_ERR_CONFIG) << b.config;
    EXPECT_TRUE(has(e.message, b.says)) << b.config << "\n" << e.message;
  }
}

// --- The customer's language --------------------------------------------------------------

TEST(CustomerLanguage, TheOrdersLocaleWhenTheMessageIsWrittenInIt) {
  TestHost host;
  Scenario s(host);
  Json n = notice_after(s, host, [&] { case_in_store(s, "A", kAnn, "", "de-AT"); });
  EXPECT_EQ(n["message"]["language"], "de");
  EXPECT_TRUE(has(n["message"]["text"], "Hallo Ann Example,")) << n["message"]["text"];
  // No Swedish templates: the store's language, not a guess.
  n = notice_after(s, host, [&] { case_in_store(s, "B", kBen, "", "sv-SE"); });
  EXPECT_EQ(n["message"]["language"], "en");
}

TEST(CustomerLanguage, AnUnwrittenLanguageFallsBackToTheStoresNotToEnglish) {
  TestHost host;
  Scenario s(host, kStores);
  const Json n = notice_after(s, host, [&] { case_in_store(s, "A", kAnn, "eu", "sv-SE"); });
  EXPECT_EQ(n["message"]["language"], "de");
}

TEST(CustomerLanguage, TheLanguageOfTheirMessageComesFirst) {
  TestHost host;
  // French exists for agents' replies only.
  const Json config = {
      {"templates",
       {{"agent_reply",
         {{"subject", {{"fr", "Votre demande ({{case.id}})"}}}, {"body", {{"fr", "{{reply.text}}\n\n{{store.sign_off}}"}}}}}}}};
  Scenario s(host, config);
  std::string id;
  // Written in English to a German-locale order: answered in English.
  Json n = notice_after(s, host, [&] { id = case_in_store(s, "A", kAnn, "", "de", "en"); });
  EXPECT_EQ(n["message"]["language"], "en");
  EXPECT_EQ(s.get_case(id)["language"], "en");
  // Then in French: the acknowledgement has no French, the agent's reply has.
  s.submit(with_language(s.message(kAnn, "A", "email", "Et alors ?"), "fr"));
  n = notice_after(s, host, [&] { s.call("case.reply", {{"id", id}, {"agent", "kim"}, {"text", "Voilà."}}); });
  EXPECT_EQ(n["message"]["language"], "fr");
  EXPECT_EQ(s.get_case(id)["language"], "fr");
  // The agent may still choose.
  n = notice_after(s, host, [&] {
    s.call("case.reply", {{"id", id}, {"agent", "kim"}, {"text", "Bitte sehr."}, {"language", "de"}});
  });
  EXPECT_EQ(n["message"]["language"], "de");
}

TEST(CustomerLanguage, BadLanguageTagsAreRefusedNamingTheField) {
  Scenario s;
  CallError e = s.submit_error(with_locale(s.order_created("A", kAnn), "de AT"));
  EXPECT_EQ(e.status, OC_ERR_SCHEMA);
  EXPECT_TRUE(has(e.message, "data.order.locale")) << e.message;
  e = s.submit_error(with_language(s.message(kAnn, std::nullopt, "chat", "Hallo"), "1de"));
  EXPECT_EQ(e.status, OC_ERR_SCHEMA);
  EXPECT_TRUE(has(e.message, "data.language")) << e.message;
  EXPECT_TRUE(s.call("events.list")["events"].empty());
  const std::string id = case_in_store(s, "A", kAnn, "");
  const Json before = s.get_case(id);
  e = s.error("case.reply", {{"id", id}, {"agent", "kim"}, {"text", "Hi"}, {"language", "de--AT"}});
  EXPECT_EQ(e.status, OC_ERR_SCHEMA);
  EXPECT_TRUE(has(e.message, "args: language")) << e.message;
  EXPECT_EQ(s.get_case(id), before);
}

// --- Order names --------------------------------------------------------------------------

TEST(OrderNames, AShopifyNameRendersAsTheShopShowsIt) {
  TestHost host;
  Scenario s(host);
  Json order = s.order_created("5623984128", kAnn, OrderOptions().numbered("1042"));
  order["data"]["order"]["name"] = "1042-EU";
  s.submit(order);
  s.poll_all();
  host.forget();
  s.submit(s.shipment("5623984128", "S1", "delayed",
                      ShipmentOptions().tracked("DHL", "123").due(s.now() + 3 * kDayMs).because("storm")));
  s.poll_all();
  const auto notices = customer_notices(host);
  ASSERT_FALSE(notices.empty());
  const std::string text = notices[0]["message"]["text"];
  EXPECT_TRUE(has(text, "1042-EU")) << text;
  EXPECT_FALSE(has(text, "#1042")) << text;
  // A bare number, as WooCommerce sends it, still shows as #1042.
  Json woo = s.order_created("W1", kBen, OrderOptions().numbered("1042"));
  s.submit(woo);
  host.forget();
  s.submit(s.shipment("W1", "S2", "delayed",
                      ShipmentOptions().tracked("DHL", "456").due(s.now() + 3 * kDayMs).because("storm")));
  s.poll_all();
  const auto woo_notices = customer_notices(host);
  ASSERT_FALSE(woo_notices.empty());
  EXPECT_TRUE(has(woo_notices[0]["message"]["text"], "#1042")) << woo_notices[0]["message"]["text"];
}

}  // namespace
}  // namespace ordercare::testing
