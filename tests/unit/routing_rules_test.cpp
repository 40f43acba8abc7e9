// Seed 001's smart routing rules on the domain alone (support/
// domain_harness.h; issue 5, point 5): rules on issue type, keywords (any
// language, any case), channel, order value in the order's own currency and
// customer tags send a new case to a team, the first matching rule wins and
// the issue type's team is the fallback. Assignment inside a team, which
// needs the runtime's roster state, and the config checks at open are in
// routing_test.cpp.
#include <gtest/gtest.h>

#include <string>

#include "support/domain_harness.h"
#include "support/sla_support.h"

namespace ordercare::testing {
namespace {

const CustomerSpec kAnn("c-ann", "Ann Example", {}, "ann@example.org");

// --- Routing rules ----------------------------------------------------------------------

TEST(RoutingRules, TheDefaultRuleSendsReturnsAndRefundsToTheReturnsTeam) {
  DomainHarness s;
  CaseOpener o(s);
  const Json ret = o.open("email", "I would like to return the jacket");
  EXPECT_EQ(ret["type"], "return");
  EXPECT_EQ(ret["team"], "returns");
  EXPECT_NE(ret["reason"].get<std::string>().find("routed to returns by rule returns_team"), std::string::npos)
      << ret["reason"];
  EXPECT_EQ(o.open("email", "Please refund me")["team"], "returns");
}

TEST(RoutingRules, WithoutAMatchingRuleTheIssueTypesTeamTakesIt) {
  DomainHarness s(routing_policy({{"rules", {routing_rule("chat_desk", {{"channel", {"chat"}}}, "live_desk")}}}));
  CaseOpener o(s);
  EXPECT_EQ(o.open("email", "Where is my order?")["team"], "support") << "teams.default";
  EXPECT_EQ(o.open("email", "My card was charged twice")["team"], "payments") << "teams.by_type.payment";
  const Json c = o.open("email", "Where is my order?");
  EXPECT_EQ(c["reason"].get<std::string>().find("routed"), std::string::npos) << c["reason"];
}

TEST(RoutingRules, RulesOnIssueType) {
  DomainHarness s(routing_policy(
      {{"rules", {routing_rule("warehouse_errors", {{"type", {"wrong_item", "missing_item"}}}, "fulfilment_qa")}}}));
  CaseOpener o(s);
  EXPECT_EQ(o.open("email", "I received the wrong item")["team"], "fulfilment_qa");
  EXPECT_EQ(o.open("email", "One item is missing from my order")["team"], "fulfilment_qa");
  EXPECT_EQ(o.open("email", "The lamp arrived broken")["team"], "support");
}

TEST(RoutingRules, KeywordsMatchInAnyLanguageAndAnyCase) {
  DomainHarness s(routing_policy({{"rules",
                              {routing_rule("german_desk", {{"keywords", {"Bestellung", "ändern"}}}, "dach"),
                               routing_rule("french_desk", {{"keywords", {"COMMANDE"}}}, "francophone"),
                               routing_rule("japan_desk", {{"keywords", {"注文"}}}, "japan"),
                               routing_rule("russian_desk", {{"keywords", {"заказ"}}}, "cis")}}}));
  CaseOpener o(s);
  EXPECT_EQ(o.open("email", "WO IST MEINE BESTELLUNG?")["team"], "dach");
  EXPECT_EQ(o.open("email", "Bitte die Lieferadresse ÄNDERN")["team"], "dach");
  EXPECT_EQ(o.open("email", "Où est ma commande ?")["team"], "francophone");
  EXPECT_EQ(o.open("email", "注文はどこですか")["team"], "japan");
  EXPECT_EQ(o.open("email", "ГДЕ МОЙ ЗАКАЗ?")["team"], "cis");
  EXPECT_EQ(o.open("email", "Where is my order?")["team"], "support");
  // Whole words: "commander" is not "commande".
  EXPECT_EQ(o.open("email", "Je voudrais commander encore, où est le colis ?")["team"], "support");
}

TEST(RoutingRules, RulesOnChannel) {
  DomainHarness s(routing_policy(
      {{"rules", {routing_rule("social_desk", {{"channel", {"social", "marketplace"}}}, "community")}}}));
  CaseOpener o(s);
  EXPECT_EQ(o.open("social", "Where is my order?")["team"], "community");
  EXPECT_EQ(o.open("marketplace", "Where is my order?")["team"], "community");
  EXPECT_EQ(o.open("chat", "Where is my order?")["team"], "support");
}

TEST(RoutingRules, OrderValueIsMeasuredInTheOrdersOwnCurrency) {
  // 300 major units: 300 yen is 300 minor units, 300 dinars 300000, 300
  // dollars 30000.
  DomainHarness s(
      routing_policy({{"rules", {routing_rule("big_orders", {{"order_value_at_least", 300}}, "key_accounts")}}}));
  CaseOpener o(s);
  EXPECT_EQ(o.open("email", "Where is my order?", OrderOptions().in("JPY").with_total(300))["team"], "key_accounts");
  EXPECT_EQ(o.open("email", "Where is my order?", OrderOptions().in("JPY").with_total(299))["team"], "support");
  EXPECT_EQ(o.open("email", "Where is my order?", OrderOptions().in("KWD").with_total(300000))["team"], "key_accounts");
  EXPECT_EQ(o.open("email", "Where is my order?", OrderOptions().in("KWD").with_total(299999))["team"], "support");
  EXPECT_EQ(o.open("email", "Where is my order?", OrderOptions().in("USD").with_total(30000))["team"], "key_accounts");
  EXPECT_EQ(o.open("email", "Where is my order?", OrderOptions().in("USD").with_total(29999))["team"], "support");
}

TEST(RoutingRules, ACaseWithoutAnOrderNeverMatchesAnOrderValueRule) {
  DomainHarness s(
      routing_policy({{"rules", {routing_rule("big_orders", {{"order_value_at_least", 0}}, "key_accounts")}}}));
  const Json result = s.submit(s.message(kAnn, std::nullopt, "email", "Do you ship to Norway?"));
  ASSERT_FALSE(result["cases"].empty());
  EXPECT_EQ(s.get_case(result["cases"][0])["team"], "support");
}

TEST(RoutingRules, RulesOnCustomerTags) {
  DomainHarness s(
      routing_policy({{"rules", {routing_rule("b2b", {{"customer_tags", {"wholesale", "reseller"}}}, "b2b_desk")}}}));
  CaseOpener o(s);
  EXPECT_EQ(o.open("email", "Where is my order?", {}, CustomerSpec("c-w", "Wendy", {"reseller"}))["team"], "b2b_desk");
  EXPECT_EQ(o.open("email", "Where is my order?", {}, CustomerSpec("c-x", "Xavier", {"vip"}))["team"], "support");
  EXPECT_EQ(o.open("email", "Where is my order?")["team"], "support");
}

TEST(RoutingRules, AllConditionsOfARuleMustHold) {
  DomainHarness s(routing_policy(
      {{"rules", {routing_rule("chat_wismo", {{"type", {"wismo"}}, {"channel", {"chat"}}}, "live_tracking")}}}));
  CaseOpener o(s);
  EXPECT_EQ(o.open("chat", "Where is my order?")["team"], "live_tracking");
  EXPECT_EQ(o.open("email", "Where is my order?")["team"], "support");
  EXPECT_EQ(o.open("chat", "I received the wrong item")["team"], "support");
}

TEST(RoutingRules, TheFirstMatchingRuleWins) {
  DomainHarness s(routing_policy({{"rules",
                              {routing_rule("vip_first", {{"customer_tags", {"vip"}}}, "concierge"),
                               routing_rule("chat", {{"channel", {"chat"}}}, "live_desk"),
                               routing_rule("anything", Json::object(), "catch_all")}}}));
  CaseOpener o(s);
  const Json vip = o.open("chat", "Where is my order?", {}, CustomerSpec("c-v", "Vera", {"vip"}));
  EXPECT_EQ(vip["team"], "concierge");
  EXPECT_NE(vip["reason"].get<std::string>().find("by rule vip_first"), std::string::npos) << vip["reason"];
  EXPECT_EQ(o.open("chat", "Where is my order?")["team"], "live_desk");
  EXPECT_EQ(o.open("email", "Where is my order?")["team"], "catch_all");
}

}  // namespace
}  // namespace ordercare::testing
