// SLA policies by conditions (issue 13, point 1): the first policy whose
// conditions all hold (priority, channel, issue type, store, customer tags,
// whether a customer waits) sets a case's targets; next-reply and
// periodic-update clocks besides first response and resolution; a case the
// system raised runs an internal action clock, not a first response to
// nobody. On the virtual clock, through the plugin.
#include <gtest/gtest.h>

#include <algorithm>
#include <string>

#include "common/json.h"
#include "common/time_format.h"
#include "support/scenario.h"
#include "support/sla_support.h"

namespace ordercare::testing {
namespace {

const CustomerSpec kAnn("c-ann", "Ann Example", {}, "ann@example.org");
const CustomerSpec kVip("c-vip", "Vera Important", {"vip"}, "vera@example.org");
const CustomerSpec kTrade("c-trade", "Theo Trade", {"wholesale"}, "theo@example.org");

void reply(Scenario &s, const std::string &case_id) {
  s.call("case.reply", {{"id", case_id}, {"agent", "ann"}, {"text", "We are on it"}});
  s.poll_all();  // the host delivers it: that is the answer
}

std::optional<TimeMs> target_of(const Json &c, const std::string &clock) {
  const Json k = sla_clock(c, clock);
  if (k.is_null()) return std::nullopt;
  return k["target_ms"].get<TimeMs>();
}

TEST(SlaPolicies, AP1ByEmailIsNotGivenTheTwoHoursOfAP3) {
  Scenario s;
  const std::string vip = open_case(s, "A", kVip, "email", "I am not happy with the colour");
  const std::string ann = open_case(s, "B", kAnn, "email", "I am not happy with the colour");
  const Json p1 = s.get_case(vip), p3 = s.get_case(ann);
  ASSERT_EQ(p1["priority"], "P1");
  ASSERT_EQ(p3["priority"], "P3");
  EXPECT_EQ(target_of(p1, "first_response"), 30 * kMinuteMs) << "the P1 policy";
  EXPECT_EQ(target_of(p3, "first_response"), 2 * kHourMs) << "email's general target";
  EXPECT_EQ(target_of(p1, "resolution"), 4 * kHourMs);
  // Channels the policy does not name keep their general targets: a P1
  // chat is answered in 30 seconds, never in the email's 30 minutes.
  const std::string chat = open_case(s, "C", kVip, "chat", "I am not happy with the colour");
  EXPECT_EQ(target_of(s.get_case(chat), "first_response"), 30 * kSecondMs);
}

TEST(SlaPolicies, TheFirstMatchWinsAndWhatItDoesNotNameIsTheGeneralTarget) {
  Scenario s(sla_policy({{"policies",
                          {{{"name", "email"}, {"when", {{"channel", {"email"}}}}, {"targets", {{"first_response", "45m"}}}},
                           {{"name", "P3"},
                            {"when", {{"priority", {"P3"}}}},
                            {"targets", {{"first_response", "5m"}, {"resolution", "3d"}}}}}}}));
  const std::string email = open_case(s, "A", kAnn, "email", "I am not happy with the colour");
  const std::string phone = open_case(s, "B", kAnn, "phone", "I am not happy with the colour");
  const Json e = s.get_case(email), p = s.get_case(phone);
  EXPECT_EQ(target_of(e, "first_response"), 45 * kMinuteMs);
  EXPECT_EQ(target_of(e, "resolution"), 24 * kHourMs) << "the email policy names no resolution";
  EXPECT_EQ(target_of(p, "first_response"), 5 * kMinuteMs);
  EXPECT_EQ(target_of(p, "resolution"), 3 * kDayMs);
}

TEST(SlaPolicies, EveryConditionMustHold) {
  Json policy = {{"name", "EU trade damage"},
                 {"when", {{"store", {"eu"}}, {"customer_tags", {"wholesale", "partner"}}, {"type", {"damaged_item"}}}},
                 {"targets", {{"first_response", "20m"}}}};
  Scenario s(sla_policy({{"policies", {policy}}}));
  auto open_in = [&](const std::string &order_id, const CustomerSpec &who, const std::string &store,
                     const std::string &text) {
    s.submit(s.order_created(order_id, who));
    Json message = s.message(who, order_id, "email", text);
    message["store"] = store;
    return target_of(s.get_case(s.submit(message)["cases"][0]), "first_response");
  };
  EXPECT_EQ(open_in("A", kTrade, "eu", "The vase arrived broken"), 20 * kMinuteMs);
  EXPECT_EQ(open_in("B", kAnn, "eu", "The vase arrived broken"), 2 * kHourMs) << "no listed tag";
  EXPECT_EQ(open_in("C", kTrade, "us", "The vase arrived broken"), 2 * kHourMs) << "another store";
  EXPECT_EQ(open_in("D", kTrade, "eu", "I am not happy with the colour"), 2 * kHourMs) << "another type";
}

TEST(SlaPolicies, ACaseTheSystemRaisedRunsAnInternalActionClockNotAFirstResponse) {
  Scenario s;
  const Json result = s.submit(s.inventory_discrepancy("SKU-1", "main", 10, 7));
  ASSERT_EQ(result["cases"].size(), 1u) << result;
  const std::string id = result["cases"][0];
  const TimeMs opened = s.now();
  Json c = s.get_case(id);
  EXPECT_TRUE(sla_clock(c, "first_response").is_null()) << "nobody is waiting for an answer";
  EXPECT_EQ(clock_due(c, "internal_action"), opened + 2 * kHourMs);
  // A person acting on it meets the target.
  s.set_now(opened + 40 * kMinuteMs);
  s.call("case.assign", {{"id", id}, {"agent", "kim"}});
  c = s.get_case(id);
  EXPECT_EQ(time_of(sla_clock(c, "internal_action")["met_at"]), opened + 40 * kMinuteMs);
  s.set_now(opened + 3 * kHourMs);
  s.poll();
  EXPECT_FALSE(sla_clock(s.get_case(id), "internal_action")["breached"].get<bool>());
}

TEST(SlaPolicies, AnUntouchedSystemCaseBreachesItsInternalActionTarget) {
  Scenario s(sla_policy({{"digest_interval", 0}}));
  const std::string id = s.submit(s.inventory_discrepancy("SKU-1", "main", 10, 7))["cases"][0];
  const TimeMs opened = s.now();
  // (The warehouse, asked about the count, is chased at 30 minutes.)
  auto internal_breaches = [&] {
    const auto stages = sla_stages(s.get_case(id));
    return std::count(stages.begin(), stages.end(), "breach:internal_action");
  };
  s.set_now(opened + 2 * kHourMs - 1);
  s.poll();
  EXPECT_EQ(internal_breaches(), 0);
  s.set_now(opened + 2 * kHourMs);
  s.poll();
  EXPECT_EQ(internal_breaches(), 1);
  const Json c = s.get_case(id);
  ASSERT_EQ(c["escalations"].size(), 1u);
  EXPECT_EQ(c["escalations"][0]["to"], "team_lead");
}

TEST(SlaPolicies, NextReplyIsOwedFromTheCustomersMessageAfterAnAnswer) {
  TestHost host;
  Scenario s(host, sla_policy({{"digest_interval", 0}}));
  // A wrong item is P2: a next reply within 2 hours.
  const std::string id = open_case(s, "A", kAnn, "email", "You sent me the wrong item");
  ASSERT_EQ(s.get_case(id)["priority"], "P2");
  reply(s, id);
  EXPECT_TRUE(sla_clock(s.get_case(id), "next_reply").is_null()) << "nothing is owed yet";
  s.advance(30 * kMinuteMs);
  const TimeMs wrote = s.now();
  s.submit(s.message(kAnn, "A", "email", "You sent me the wrong item, any news?"));
  Json c = s.get_case(id);
  EXPECT_EQ(clock_due(c, "next_reply"), wrote + 2 * kHourMs);
  s.set_now(wrote + kHourMs);
  reply(s, id);
  c = s.get_case(id);
  EXPECT_EQ(time_of(sla_clock(c, "next_reply")["met_at"]), wrote + kHourMs);
  // Owed again, and missed this time: the breach climbs the path.
  s.advance(kMinuteMs);
  const TimeMs again = s.now();
  s.submit(s.message(kAnn, "A", "email", "You sent me the wrong item. Hello?"));
  s.set_now(again + 2 * kHourMs);
  s.poll_all();
  c = s.get_case(id);
  EXPECT_TRUE(sla_clock(c, "next_reply")["breached"].get<bool>());
  EXPECT_EQ(c["escalations"].back()["to"], "team_lead");
  bool told = false;
  for (const auto &n : notices(host, "team_sla_breached"))
    told = told || n.body["message"]["text"].get<std::string>().find("next reply") != std::string::npos;
  EXPECT_TRUE(told) << "the team hears the next reply was missed";
}

TEST(SlaPolicies, APeriodicUpdateIsOwedWhileTheCaseIsWorkedOn) {
  Scenario s(sla_policy({{"digest_interval", 0}}));
  const std::string id = open_case(s, "A", kAnn, "email", "You sent me the wrong item");
  s.advance(10 * kMinuteMs);
  const TimeMs first = s.now();
  reply(s, id);
  EXPECT_EQ(clock_due(s.get_case(id), "periodic_update"), first + 4 * kHourMs);
  // Each reply starts the count again.
  s.set_now(first + 3 * kHourMs);
  reply(s, id);
  EXPECT_EQ(clock_due(s.get_case(id), "periodic_update"), first + 7 * kHourMs);
  // Resolved: nothing more is owed.
  s.call("case.resolve", {{"id", id}, {"agent", "ann"}, {"resolution", "Replacement sent"}, {"action_taken", "Reshipped"}});
  EXPECT_EQ(clock_due(s.get_case(id), "periodic_update"), std::nullopt);
}

TEST(SlaPolicies, AMacroPromisesThePoliciesFirstResponse) {
  TestHost host;
  Scenario s(host, {{"templates",
                     {{"eta_promise",
                       {{"audience", "customer"},
                        {"subject", {{"en", "Your message"}}},
                        {"body", {{"en", "We answer within {{expected_response}}."}}}}}}}});
  const std::string id = open_case(s, "A", kVip, "email", "I am not happy with the colour");
  ASSERT_EQ(s.get_case(id)["priority"], "P1");
  s.call("case.send_template", {{"id", id}, {"agent", "ann"}, {"template", "eta_promise"}});
  s.poll_all();
  const std::string text = the_notice(host, "eta_promise")["message"]["text"];
  EXPECT_NE(text.find("within 30 minutes"), std::string::npos) << "the P1 policy's, not email's 2 hours: " << text;
}

TEST(SlaPolicies, NullTurnsAMetricOff) {
  Scenario s(sla_policy(
      {{"policies", {{{"when", {{"channel", {"social"}}}}, {"targets", {{"first_response", nullptr}}}}}}}));
  const std::string id = open_case(s, "A", kAnn, "social", "I am not happy with the colour");
  EXPECT_TRUE(sla_clock(s.get_case(id), "first_response").is_null());
}

TEST(SlaPolicies, ABadPolicyIsRefusedAtOpenNamingWhere) {
  Scenario s;
  struct Case {
    Json policies;
    std::string path;
  } cases[] = {
      {Json{{{"when", {{"priority", {"P4"}}}}, {"targets", {{"resolution", "1h"}}}}}, "policy.sla.policies[0].when.priority"},
      {Json{{{"when", {{"colour", {"red"}}}}, {"targets", {{"resolution", "1h"}}}}}, "policy.sla.policies[0].when.colour"},
      {Json{{{"targets", {{"first_reply", "1h"}}}}}, "policy.sla.policies[0].targets.first_reply"},
      {Json{{{"when", {{"channel", {"email"}}}}}}, "policy.sla.policies[0]"},
      {Json{{{"targets", {{"next_reply", "soon"}}}}}, "policy.sla.policies[0].targets.next_reply"},
      {Json::object(), "policy.sla.policies"},
  };
  for (const auto &bad : cases) {
    const CallError e = s.reopen_error(sla_policy({{"policies", bad.policies}}));
    EXPECT_EQ(e.status, OC_ERR_CONFIG) << bad.policies;
    EXPECT_NE(e.message.find(bad.path), std::string::npos) << e.message;
  }
}

}  // namespace
}  // namespace ordercare::testing
