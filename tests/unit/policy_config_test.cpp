// The case engine's policy: the seeds' numbers as defaults, the config's
// "policy" section merged over them and taking effect in the cases raised,
// and every bad value refused at open with OC_ERR_CONFIG naming its path.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "common/failure.h"
#include "domain/policy.h"
#include "domain/vocabulary.h"
#include "runtime/config.h"
#include "support/scenario.h"

namespace ordercare::testing {
namespace {

using domain::IssueType;
using domain::Policy;
using domain::Priority;

const CustomerSpec kAnn("c-ann", "Ann Archer");

TEST(PolicyDefaults, AreTheSeedsNumbers) {
  const Policy &p = Policy::defaults();
  // Seed 004's escalation priority guide.
  const std::vector<std::pair<std::string, Priority>> guide = {
      {"customer_waiting_at_store", Priority::p1}, {"vip_complaint", Priority::p1},
      {"event_deadline", Priority::p1},            {"media_social", Priority::p1},
      {"product_safety", Priority::p1},            {"wrong_item", Priority::p2},
      {"damaged_item", Priority::p2},              {"multiple_failed_deliveries", Priority::p2},
      {"threatening_cancellation", Priority::p2},  {"large_order", Priority::p2},
      {"wismo", Priority::p3},                     {"delivery_delay", Priority::p3},
      {"minor_packaging", Priority::p3},           {"tracking", Priority::p3},
      {"return_processing", Priority::p3},
  };
  for (const auto &[trigger, priority] : guide) {
    ASSERT_TRUE(p.priority.triggers.count(trigger)) << trigger;
    EXPECT_EQ(p.priority.triggers.at(trigger), priority) << trigger;
  }
  EXPECT_EQ(p.priority.fallback, Priority::p3);
  EXPECT_EQ(p.priority.large_order_major_units, 500);
  EXPECT_EQ(domain::large_order_threshold(p.priority, "USD"), 50000);
  EXPECT_EQ(domain::large_order_threshold(p.priority, "JPY"), 500);
  EXPECT_EQ(domain::large_order_threshold(p.priority, "KWD"), 500000);
  EXPECT_EQ(p.priority.vip_tags, std::vector<std::string>{"vip"});
  // Seed 004's red flags, all escalating at once.
  for (const char *flag : {"legal_threat", "product_safety", "repeated_complaints", "media_influencer",
                           "fraud_suspected", "misconduct"})
    EXPECT_TRUE(p.red_flags.escalates(flag)) << flag;
  EXPECT_EQ(p.red_flags.repeat_threshold, 3);
  EXPECT_EQ(p.red_flags.repeat_window, 72 * kHourMs);
  EXPECT_EQ(p.red_flags.contact_for("legal_threat"), "legal");
  EXPECT_EQ(p.red_flags.contact_for("repeated_complaints"), "cs_manager");
  // Seed 000/DESIGN SLA targets.
  EXPECT_EQ(p.sla.first_response("chat"), 30 * kSecondMs);
  EXPECT_EQ(p.sla.first_response("email"), 2 * kHourMs);
  EXPECT_EQ(p.sla.first_response("phone"), 10 * kMinuteMs);
  EXPECT_EQ(p.sla.resolution(Priority::p1), 4 * kHourMs);
  EXPECT_EQ(p.sla.resolution(Priority::p3), 24 * kHourMs);
  EXPECT_EQ(p.sla.refund, 7 * kDayMs);
  EXPECT_EQ(p.sla.warehouse_response, 30 * kMinuteMs);
  EXPECT_EQ(p.sla.store_pickup_ready, 2 * kHourMs);
  // Every issue type starts on a playbook with an initial action.
  for (const char *type : {"wismo", "shipping_delay", "wrong_item", "damaged_item", "missing_item",
                           "cancellation_request", "order_change", "out_of_stock", "return", "refund", "payment",
                           "missing_receipt", "inventory_discrepancy", "complaint", "store_pickup",
                           "fraud_suspected", "stock_transfer"}) {
    auto t = domain::parse_issue_type(type);
    ASSERT_TRUE(t) << type;
    EXPECT_FALSE(p.playbook(*t).initial_action.empty()) << type;
  }
  // Seed 004's "What CS needs from you" for a wrong item.
  EXPECT_EQ(p.playbook(IssueType::wrong_item).needs,
            (std::vector<std::string>{"Confirmation we have correct item", "Ship date for replacement",
                                      "Whether customer needs to return wrong item"}));
}

TEST(PolicyOverrides, MergeOverTheDefaults) {
  const auto config = runtime::parse_config(R"({"policy": {"priority": {"large_order": {"major_units": 100},
      "triggers": {"wismo": "P2"}}, "red_flags": {"contacts": {"legal_threat": "legal_counsel"}}}})");
  const Policy &p = config.policy;
  EXPECT_EQ(domain::large_order_threshold(p.priority, "USD"), 10000);
  EXPECT_EQ(p.priority.triggers.at("wismo"), Priority::p2);
  // Objects merge: the rest of the guide is still there.
  EXPECT_EQ(p.priority.triggers.at("wrong_item"), Priority::p2);
  EXPECT_EQ(p.priority.triggers.size(), Policy::defaults().priority.triggers.size());
  EXPECT_EQ(p.red_flags.contact_for("legal_threat"), "legal_counsel");
  EXPECT_EQ(p.red_flags.contact_for("product_safety"), "quality_team");
  EXPECT_EQ(p.classifier.rules.size(), Policy::defaults().classifier.rules.size());
}

Json wismo_priority(const Json &policy, const std::string &currency, std::int64_t total,
                    const std::vector<std::string> &tags = {}) {
  Scenario s(Json{{"policy", policy}});
  s.submit(s.order_created("A", CustomerSpec("c-1", "Cy", tags), OrderOptions().in(currency).with_total(total)));
  s.submit(s.message(CustomerSpec("c-1"), "A", "email", "Where is my order?"));
  return s.cases()[0]["priority"];
}

TEST(PolicyOverrides, LargeOrderThresholdTakesEffect) {
  const Json lower = {{"priority", {{"large_order", {{"major_units", 100}}}}}};
  EXPECT_EQ(wismo_priority(lower, "USD", 10000), "P2");
  EXPECT_EQ(wismo_priority(lower, "USD", 9999), "P3");
  EXPECT_EQ(wismo_priority(lower, "JPY", 100), "P2");
  const Json per_currency = {{"priority", {{"large_order", {{"minor_units_by_currency", {{"USD", 20000}}}}}}}};
  EXPECT_EQ(wismo_priority(per_currency, "USD", 20000), "P2");
  EXPECT_EQ(wismo_priority(per_currency, "USD", 19999), "P3");
  EXPECT_EQ(wismo_priority(per_currency, "JPY", 500), "P2");  // the default 500 still applies
}

TEST(PolicyOverrides, TriggerPriorityAndVipTagsTakeEffect) {
  EXPECT_EQ(wismo_priority({{"priority", {{"triggers", {{"wismo", "P1"}}}}}}, "USD", 100), "P1");
  EXPECT_EQ(wismo_priority({{"priority", {{"vip_tags", {"gold"}}}}}, "USD", 100, {"gold"}), "P1");
  EXPECT_EQ(wismo_priority({{"priority", {{"vip_tags", {"gold"}}}}}, "USD", 100, {"vip"}), "P3");
  EXPECT_EQ(wismo_priority({{"priority", {{"default", "P2"}, {"triggers", {{"wismo", nullptr}}}}}}, "USD", 100),
            "P2");
}

TEST(PolicyOverrides, ExtraClassifierRuleComesFirst) {
  Scenario s(Json{{"policy",
               {{"classifier",
                 {{"extra_rules", {{{"id", "gift_card"}, {"type", "payment"}, {"phrases", {"gift card*"}}}}}}}}}});
  s.submit(s.order_created("A", kAnn));
  s.submit(s.message(kAnn, "A", "email", "My gift cards were refused at checkout. Where is my order?"));
  const Json c = s.cases()[0];
  EXPECT_EQ(c["type"], "payment");
  EXPECT_NE(c["reason"].get<std::string>().find("gift_card"), std::string::npos) << c["reason"];
  // The default rules still apply after it.
  s.submit(s.order_created("B", kAnn));
  s.submit(s.message(kAnn, "B", "email", "Where is my order?"));
  EXPECT_EQ(s.cases({{"order_id", "B"}})[0]["type"], "wismo");
}

TEST(PolicyOverrides, SignalPhrasesAndEscalationListReplaceTheDefaults) {
  // Arrays replace: the legal phrases are now only the operator's.
  Scenario s(Json{{"policy", {{"signals", {{"legal_threat", {"ombudsman"}}}}, {"red_flags", {{"escalate", {"legal_threat"}}}}}}});
  s.submit(s.order_created("A", kAnn));
  s.submit(s.message(kAnn, "A", "email", "I am taking this to the ombudsman"));
  EXPECT_EQ(s.cases({{"order_id", "A"}})[0]["status"], "escalated");
  s.submit(s.order_created("B", kAnn));
  s.submit(s.message(kAnn, "B", "email", "My lawyer will hear about this"));
  EXPECT_EQ(s.cases({{"order_id", "B"}})[0]["status"], "new");
  // Product safety no longer escalates, but it is still P1.
  s.submit(s.order_created("C", kAnn));
  s.submit(s.message(kAnn, "C", "email", "The heater caught fire"));
  const Json c = s.cases({{"order_id", "C"}})[0];
  EXPECT_EQ(c["status"], "new");
  EXPECT_EQ(c["priority"], "P1");
  EXPECT_EQ(s.escalations().size(), 1u);
}

TEST(PolicyOverrides, RepeatedComplaintThresholdAndTeamsAndSla) {
  Scenario s(Json{{"policy",
               {{"red_flags", {{"repeated_complaints", {{"threshold", 2}, {"window", "1h"}}}}},
                {"teams", {{"by_type", {{"damaged_item", "breakage_desk"}}}}},
                {"sla", {{"resolution", {{"P2", "3h"}}}}}}}});
  for (const char *id : {"A", "B", "C"})
    s.submit(s.order_created(id, CustomerSpec(std::string("c-") + id), OrderOptions().with_items({LineSpec("MUG")})));
  s.submit(s.message(CustomerSpec("c-A"), "A", "email", "The mug arrived broken"));
  s.advance(2 * kHourMs);
  s.submit(s.message(CustomerSpec("c-B"), "B", "email", "The mug arrived broken"));
  EXPECT_EQ(s.cases({{"order_id", "B"}})[0]["status"], "new");  // A is outside the 1h window
  s.advance(kMinuteMs);
  s.submit(s.message(CustomerSpec("c-C"), "C", "email", "The mug arrived broken"));
  const Json c = s.cases({{"order_id", "C"}})[0];
  EXPECT_EQ(c["status"], "escalated");
  EXPECT_EQ(c["team"], "breakage_desk");
  EXPECT_EQ(c["resolution_due"], format_rfc3339(s.now() + 3 * kHourMs));
}

// --- Bad policies --------------------------------------------------------------

struct BadPolicy {
  std::string name;
  Json policy;
  std::string path;  // the field the message must name
};

void PrintTo(const BadPolicy &bad, std::ostream *os) { *os << bad.policy.dump(); }

std::vector<BadPolicy> bad_policies() {
  const Json rule = {{"id", "x"}, {"type", "wismo"}, {"phrases", {"a"}}};
  auto with = [&](const char *key, Json value) {
    Json r = rule;
    if (value.is_null())
      r.erase(key);
    else
      r[key] = std::move(value);
    return Json{{"classifier", {{"extra_rules", {r}}}}};
  };
  return {
      {"unknown_section", {{"colour", "blue"}}, "policy.colour"},
      {"not_an_object", "strict", "policy"},
      {"unknown_priority_field", {{"priority", {{"bogus", 1}}}}, "policy.priority.bogus"},
      {"bad_priority", {{"priority", {{"triggers", {{"wrong_item", "P4"}}}}}}, "policy.priority.triggers.wrong_item"},
      {"priority_as_number", {{"priority", {{"triggers", {{"wrong_item", 2}}}}}}, "policy.priority.triggers.wrong_item"},
      {"unknown_trigger", {{"priority", {{"triggers", {{"wrong_itme", "P2"}}}}}}, "policy.priority.triggers.wrong_itme"},
      {"bad_default_priority", {{"priority", {{"default", "urgent"}}}}, "policy.priority.default"},
      {"negative_large_order", {{"priority", {{"large_order", {{"major_units", -5}}}}}},
       "policy.priority.large_order.major_units"},
      {"bad_currency_code", {{"priority", {{"large_order", {{"minor_units_by_currency", {{"US", 100}}}}}}}},
       "policy.priority.large_order.minor_units_by_currency.US"},
      {"bad_deadline_window", {{"priority", {{"deadline_window", "two weeks"}}}}, "policy.priority.deadline_window"},
      {"vip_tags_not_a_list", {{"priority", {{"vip_tags", "vip"}}}}, "policy.priority.vip_tags"},
      {"unknown_issue_type_in_rule", with("type", "space_travel"), "policy.classifier.extra_rules[0].type"},
      {"rule_without_id", with("id", nullptr), "policy.classifier.extra_rules[0].id"},
      {"rule_with_unknown_field", with("colour", 1), "policy.classifier.extra_rules[0].colour"},
      {"empty_phrase_list_in_rule", with("phrases", Json::array()), "policy.classifier.extra_rules[0].phrases"},
      {"empty_phrase", with("phrases", {""}), "policy.classifier.extra_rules[0].phrases[0]"},
      {"bare_wildcard_phrase", with("phrases", {"*"}), "policy.classifier.extra_rules[0].phrases[0]"},
      {"phrase_not_a_string", with("phrases", {3}), "policy.classifier.extra_rules[0].phrases[0]"},
      {"unknown_fallback_type", {{"classifier", {{"fallback_type", "nothing"}}}}, "policy.classifier.fallback_type"},
      {"rules_not_a_list", {{"classifier", {{"rules", "all"}}}}, "policy.classifier.rules"},
      {"empty_signal_phrases", {{"signals", {{"legal_threat", Json::array()}}}}, "policy.signals.legal_threat"},
      {"signal_phrases_not_a_list", {{"signals", {{"legal_threat", "lawyer"}}}}, "policy.signals.legal_threat"},
      {"signals_removed", {{"signals", nullptr}}, "policy.signals"},
      {"unknown_signal", {{"signals", {{"legal_thret", {"lawyer"}}}}}, "policy.signals.legal_thret"},
      {"unknown_red_flag_in_escalate", {{"red_flags", {{"escalate", {"legal_threat", "space_aliens"}}}}},
       "policy.red_flags.escalate[1]"},
      {"unknown_red_flag_contact", {{"red_flags", {{"contacts", {{"legal_thret", "legal"}}}}}},
       "policy.red_flags.contacts.legal_thret"},
      {"empty_contact", {{"red_flags", {{"contacts", {{"legal_threat", ""}}}}}}, "policy.red_flags.contacts.legal_threat"},
      {"bad_repeat_window", {{"red_flags", {{"repeated_complaints", {{"window", "soon"}}}}}},
       "policy.red_flags.repeated_complaints.window"},
      {"repeat_threshold_of_one", {{"red_flags", {{"repeated_complaints", {{"threshold", 1}}}}}},
       "policy.red_flags.repeated_complaints.threshold"},
      {"negative_promised_resolution", {{"red_flags", {{"promised_resolution", {{"P1", -4}}}}}},
       "policy.red_flags.promised_resolution.P1"},
      {"unknown_priority_in_promise", {{"red_flags", {{"promised_resolution", {{"P4", "4h"}}}}}},
       "policy.red_flags.promised_resolution.P4"},
      {"bad_first_response", {{"sla", {{"first_response", {{"chat", "fast"}}}}}}, "policy.sla.first_response.chat"},
      {"bad_resolution_target", {{"sla", {{"resolution", {{"P2", true}}}}}}, "policy.sla.resolution.P2"},
      {"bad_refund_target", {{"sla", {{"refund", "7 days"}}}}, "policy.sla.refund"},
      {"unknown_issue_type_in_teams", {{"teams", {{"by_type", {{"unicorns", "x"}}}}}}, "policy.teams.by_type.unicorns"},
      {"unknown_playbook", {{"playbooks", {{"unicorns", Json::object()}}}}, "policy.playbooks.unicorns"},
      {"playbook_needs_not_a_list", {{"playbooks", {{"wismo", {{"needs", "x"}}}}}}, "policy.playbooks.wismo.needs"},
      {"unknown_playbook_field", {{"playbooks", {{"wismo", {{"tone", "warm"}}}}}}, "policy.playbooks.wismo.tone"},
  };
}

class BadPolicyConfig : public ::testing::TestWithParam<BadPolicy> {};

TEST_P(BadPolicyConfig, IsRefusedAtOpenNamingTheField) {
  const BadPolicy &bad = GetParam();
  try {
    Scenario s(Json{{"policy", bad.policy}});
    ADD_FAILURE() << "opened with policy " << bad.policy.dump();
  } catch (const Failure &failure) {
    EXPECT_EQ(failure.status(), OC_ERR_CONFIG) << failure.what();
    const std::string message = failure.what();
    EXPECT_EQ(message.rfind("config: ", 0), 0u) << message;
    EXPECT_NE(message.find(bad.path + ":"), std::string::npos) << "expected '" << bad.path << "' in: " << message;
  }
}

INSTANTIATE_TEST_SUITE_P(Policy, BadPolicyConfig, ::testing::ValuesIn(bad_policies()),
                         [](const ::testing::TestParamInfo<BadPolicy> &param) { return param.param.name; });

}  // namespace
}  // namespace ordercare::testing
