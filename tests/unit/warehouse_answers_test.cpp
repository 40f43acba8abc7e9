// Seed 004's "To Customer Service Team" answers as events (issue 14, point
// 2): the warehouse reports an order delayed (reason, new ship date, what
// CS can offer), an item out of stock (count, restock date, substitute), an
// item damaged at pick, and whether a change can be made (yes by when, no
// and why). Each answers the order's case, stops the warehouse answer clock
// ("Respond to CS within 30 minutes") and sends the customer what the
// playbook names; a bad answer is refused and changes nothing.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "support/scenario.h"
#include "support/sla_support.h"

namespace ordercare::testing {
namespace {

const CustomerSpec kAnn("c-ann", "Ann Archer", {}, "ann@example.org");

OrderOptions speaker_and_mug() {
  return OrderOptions().with_items({LineSpec("SKU-SPK", 5900, 1, "Mini speaker"), LineSpec("SKU-MUG", 2000, 2, "Mug")});
}

// A warehouse.* event about an order, stamped now.
Json answer(Scenario &s, const std::string &type, Json data) {
  Json event = s.cancellation("unused");
  event["type"] = type;
  event["source"] = "warehouse";
  event["data"] = std::move(data);
  return event;
}

std::string at(TimeMs t) { return format_rfc3339(t); }

std::string text_of(const HostRequest &notice) { return notice.body["message"].value("text", ""); }

bool has(const std::string &text, const std::string &part) { return text.find(part) != std::string::npos; }

// What a host that carries out order actions answers: a code for an offer.
HostReply carried_out(const HostRequest &r) {
  if (r.body.value("action", "") == "offer") return {OC_OUTCOME_DONE, {{"code", "SORRY-7"}}};
  return {OC_OUTCOME_DONE, {{"host_reference", "done"}}};
}

std::vector<HostRequest> offers_asked(const TestHost &host) {
  std::vector<HostRequest> out;
  for (const auto &r : host.requests("order_action"))
    if (r.body.value("action", "") == "offer") out.push_back(r);
  return out;
}

// The warehouse was asked (the playbook's team_cs_request) and has not
// answered: its clock runs.
void expect_asked(const Json &c) {
  EXPECT_TRUE(c["warehouse_asked_at"].is_string()) << c.dump();
  EXPECT_TRUE(sla_clock(c, "warehouse_response")["met_at"].is_null()) << c.dump();
}

// The answer is in: the question is answered and the clock stopped when it came.
void expect_answered(const Json &c, TimeMs when) {
  EXPECT_FALSE(c.contains("warehouse_asked_at") && c["warehouse_asked_at"].is_string()) << c.dump();
  EXPECT_EQ(time_of(sla_clock(c, "warehouse_response")["met_at"]), when) << c.dump();
  EXPECT_EQ(log_entries(c, "warehouse_answer").size(), 1u);
}

// --- Order delayed -----------------------------------------------------------------------------

TEST(WarehouseAnswers, ADelayAnswersTheWismoQuestionWithTheNewShipDate) {
  TestHost host;
  Scenario s(host);
  s.submit(s.order_created("A", kAnn, speaker_and_mug()));
  s.submit(s.order_updated("A", "processing"));
  const std::string case_id = s.submit(s.message(kAnn, "A", "email", "Where is my order?"))["cases"][0];
  expect_asked(s.get_case(case_id));

  s.advance(12 * kMinuteMs);
  const TimeMs ship = s.now() + 2 * kDayMs;
  s.submit(answer(s, "warehouse.order_delayed",
                  {{"order_id", "A"}, {"reason", "the courier missed today's pickup"}, {"new_ship_date", at(ship)}}));
  const Json c = s.get_case(case_id);
  EXPECT_EQ(s.cases_of_order("A").size(), 1u) << "the answer lands on the question's case";
  EXPECT_EQ(c["type"], "shipping_delay");
  expect_answered(c, s.now());
  EXPECT_EQ(s.call("order.get", {{"id", "A"}})["ship_date"], at(ship));

  s.poll_all();
  const auto sent = notices(host, "warehouse_delay");
  ASSERT_EQ(sent.size(), 1u);
  EXPECT_TRUE(has(text_of(sent[0]), "the courier missed today's pickup")) << text_of(sent[0]);
  EXPECT_TRUE(has(text_of(sent[0]), at(ship).substr(0, 10))) << text_of(sent[0]);
}

TEST(WarehouseAnswers, ADelayPastThePromiseCarriesTheOfferPolicysOfferOnceTheHostMadeIt) {
  TestHost host;
  host.on("order_action", carried_out);
  Scenario s(host);
  s.submit(s.order_created("A", kAnn, speaker_and_mug().promised(s.now() + kDayMs)));
  const TimeMs ship = s.now() + 3 * kDayMs;
  s.submit(answer(s, "warehouse.order_delayed",
                  {{"order_id", "A"}, {"reason", "a pallet was mislabelled"}, {"new_ship_date", at(ship)}}));
  s.poll_all();
  const auto offers = offers_asked(host);
  ASSERT_EQ(offers.size(), 1u);
  EXPECT_EQ(offers[0].body["offer"]["type"], "discount_code") << "policy.offers.delay.offer";
  EXPECT_EQ(offers[0].body["offer"]["amount"]["amount"], 990) << "10% of 99.00";
  EXPECT_TRUE(notices(host, "warehouse_delay").empty()) << "the notice waited for the offer";
  const auto sent = notices(host, "warehouse_delay_with_offer");
  ASSERT_EQ(sent.size(), 1u);
  EXPECT_TRUE(has(text_of(sent[0]), "SORRY-7")) << text_of(sent[0]);
  EXPECT_TRUE(has(text_of(sent[0]), at(ship).substr(0, 10))) << text_of(sent[0]);
  EXPECT_TRUE(has(text_of(sent[0]), "a pallet was mislabelled")) << text_of(sent[0]);
}

TEST(WarehouseAnswers, WhatTheWarehouseSaysCsCanOfferIsWhatIsOffered) {
  TestHost host;
  host.on("order_action", carried_out);
  Scenario s(host);
  // No promise broken, but the warehouse says CS can offer free shipping.
  s.submit(s.order_created("A", kAnn, speaker_and_mug()));
  s.submit(answer(s, "warehouse.order_delayed", {{"order_id", "A"}, {"reason", "short-staffed"},
                                                 {"new_ship_date", at(s.now() + kDayMs)},
                                                 {"offer", "free_expedited_shipping"}}));
  // A broken promise, but the warehouse says nothing can be offered.
  s.submit(s.order_created("B", kAnn, speaker_and_mug().promised(s.now() + kHourMs)));
  s.submit(answer(s, "warehouse.order_delayed", {{"order_id", "B"}, {"reason", "short-staffed"},
                                                 {"new_ship_date", at(s.now() + kDayMs)}, {"offer", "none"}}));
  s.poll_all();
  const auto offers = offers_asked(host);
  ASSERT_EQ(offers.size(), 1u);
  EXPECT_EQ(offers[0].body["order_id"], "A");
  EXPECT_EQ(offers[0].body["offer"]["type"], "free_expedited_shipping");
  EXPECT_EQ(notices(host, "warehouse_delay_with_offer").size(), 1u);
  EXPECT_EQ(notices(host, "warehouse_delay").size(), 1u) << "B: the plain notice";
}

TEST(WarehouseAnswers, WithoutAHostThatMakesOffersTheCustomerGetsTheDateAndTheAgentTheOffer) {
  TestHost host;  // no order_action callback
  Scenario s(host);
  s.submit(s.order_created("A", kAnn, speaker_and_mug().promised(s.now() + kHourMs)));
  s.submit(answer(s, "warehouse.order_delayed", {{"order_id", "A"}, {"reason", "short-staffed"},
                                                 {"new_ship_date", at(s.now() + kDayMs)},
                                                 {"offer", "discount_code"}}));
  s.poll_all();
  EXPECT_EQ(notices(host, "warehouse_delay").size(), 1u);
  const Json c = s.only_case("A");
  bool told = false;
  for (const auto &line : c["follow_ups"]) told = told || has(line.get<std::string>(), "CS can offer a discount code");
  EXPECT_TRUE(told) << c["follow_ups"].dump();
}

TEST(WarehouseAnswers, AnOfferTheHostRefusesLetsTheDelayNoticeGoWithoutIt) {
  TestHost host;
  host.on("order_action", [](const HostRequest &) { return HostReply{OC_OUTCOME_REJECTED, nullptr}; });
  Scenario s(host);
  s.submit(s.order_created("A", kAnn, speaker_and_mug().promised(s.now() + kHourMs)));
  s.submit(answer(s, "warehouse.order_delayed",
                  {{"order_id", "A"}, {"reason", "short-staffed"}, {"new_ship_date", at(s.now() + kDayMs)}}));
  s.poll_all();
  EXPECT_EQ(offers_asked(host).size(), 1u);
  EXPECT_TRUE(notices(host, "warehouse_delay_with_offer").empty());
  EXPECT_EQ(notices(host, "warehouse_delay").size(), 1u);
}

// --- Out of stock ------------------------------------------------------------------------------

TEST(WarehouseAnswers, OutOfStockAnswersTheShortfallCaseWithRestockDateAndSubstitute) {
  TestHost host;
  Scenario s(host);
  s.submit(s.order_created("A", kAnn, speaker_and_mug()));
  s.submit(s.inventory_discrepancy("SKU-SPK", "main", 3, 0));
  const Json asked = s.only_case("A");
  ASSERT_EQ(asked["type"], "out_of_stock");
  expect_asked(asked);

  s.advance(20 * kMinuteMs);
  const TimeMs restock = s.now() + 14 * kDayMs;
  s.submit(answer(s, "warehouse.out_of_stock",
                  {{"order_id", "A"},
                   {"sku", "SKU-SPK"},
                   {"count", 0},
                   {"restock_date", at(restock)},
                   {"substitutes", {{{"sku", "SKU-SPK-2"}, {"name", "Mini speaker, second edition"}}}}}));
  const Json c = s.only_case("A");
  EXPECT_EQ(c["id"], asked["id"]);
  expect_answered(c, s.now());
  s.poll_all();
  const Json notice = the_notice(host, "out_of_stock_choice_substitute_dated");
  const std::string text = notice["message"].value("text", "");
  EXPECT_TRUE(has(text, "Mini speaker, second edition")) << text;
  EXPECT_TRUE(has(text, at(restock).substr(0, 10))) << text;
  EXPECT_TRUE(has(text, "Mini speaker from your order")) << text;
}

TEST(WarehouseAnswers, TheCustomersOptionsFollowWhatTheWarehouseKnows) {
  struct Row {
    bool restock, substitute;
    const char *template_id;
  };
  const Row rows[] = {{true, true, "out_of_stock_choice_substitute_dated"},
                      {true, false, "out_of_stock_choice_dated"},
                      {false, true, "out_of_stock_choice_substitute"},
                      {false, false, "out_of_stock_choice"}};
  for (const Row &row : rows) {
    SCOPED_TRACE(row.template_id);
    TestHost host;
    Scenario s(host);
    s.submit(s.order_created("A", kAnn, speaker_and_mug()));
    Json data = {{"order_id", "A"}, {"sku", "SKU-SPK"}, {"count", 0}};
    if (row.restock) data["restock_date"] = at(s.now() + 7 * kDayMs);
    if (row.substitute) data["substitutes"] = {{{"sku", "SKU-SPK-2"}}};
    s.submit(answer(s, "warehouse.out_of_stock", data));
    EXPECT_EQ(s.only_case("A")["type"], "out_of_stock");
    s.poll_all();
    EXPECT_EQ(notices(host, row.template_id).size(), 1u);
  }
}

// --- Damaged at pick ---------------------------------------------------------------------------

TEST(WarehouseAnswers, DamagedAtPickWithAReplacementTakesTheUnitOutOfStockAndMovesTheShipDate) {
  TestHost host;
  Scenario s(host);
  Json order = s.order_created("A", kAnn, speaker_and_mug());
  order["data"]["order"]["items"][1]["location"] = "WH-EU";
  s.submit(order);
  s.submit(s.order_updated("A", "picked"));
  const TimeMs ship = s.now() + kDayMs;
  const Json event = answer(s, "warehouse.damaged_at_pick", {{"order_id", "A"},
                                                            {"sku", "SKU-MUG"},
                                                            {"quantity", 1},
                                                            {"replacement_in_stock", true},
                                                            {"new_ship_date", at(ship)},
                                                            {"note", "handle snapped off"}});
  s.submit(event);
  s.submit(event);  // redelivered: nothing twice
  s.poll_all();
  const auto adjusted = host.requests("adjust_inventory");
  ASSERT_EQ(adjusted.size(), 1u);
  EXPECT_EQ(adjusted[0].body["sku"], "SKU-MUG");
  EXPECT_EQ(adjusted[0].body["location"], "WH-EU") << "where the line is picked";
  EXPECT_EQ(adjusted[0].body["delta"], -1);
  EXPECT_EQ(adjusted[0].body["reason"], "damaged_at_pick");
  const Json c = s.only_case("A");
  EXPECT_EQ(c["type"], "shipping_delay");
  const auto sent = notices(host, "damaged_at_pick_delay");
  ASSERT_EQ(sent.size(), 1u);
  EXPECT_TRUE(has(text_of(sent[0]), "Mug")) << text_of(sent[0]);
  EXPECT_TRUE(has(text_of(sent[0]), at(ship).substr(0, 10))) << text_of(sent[0]);
}

TEST(WarehouseAnswers, DamagedAtPickReplacedOnTimeTellsOnlyTheStock) {
  TestHost host;
  Scenario s(host);
  s.submit(s.order_created("A", kAnn, speaker_and_mug()));
  s.submit(answer(s, "warehouse.damaged_at_pick", {{"order_id", "A"},
                                                  {"sku", "SKU-MUG"},
                                                  {"quantity", 2},
                                                  {"replacement_in_stock", true},
                                                  {"location", "WH-EU"}}));
  s.poll_all();
  EXPECT_TRUE(s.cases_of_order("A").empty()) << "the order ships as planned";
  ASSERT_EQ(host.requests("adjust_inventory").size(), 1u);
  EXPECT_EQ(host.requests("adjust_inventory")[0].body["delta"], -2);
  EXPECT_TRUE(host.requests("notify").empty());
}

TEST(WarehouseAnswers, DamagedAtPickWithNoReplacementIsOutOfStock) {
  TestHost host;
  Scenario s(host);
  s.submit(s.order_created("A", kAnn, speaker_and_mug()));
  s.submit(answer(s, "warehouse.damaged_at_pick", {{"order_id", "A"},
                                                  {"sku", "SKU-SPK"},
                                                  {"quantity", 1},
                                                  {"replacement_in_stock", false},
                                                  {"restock_date", at(s.now() + 5 * kDayMs)},
                                                  {"location", "WH-EU"}}));
  s.poll_all();
  EXPECT_EQ(s.only_case("A")["type"], "out_of_stock");
  EXPECT_EQ(notices(host, "out_of_stock_choice_dated").size(), 1u);
  EXPECT_EQ(host.requests("adjust_inventory").size(), 1u);
}

// --- Can / cannot change -----------------------------------------------------------------------

TEST(WarehouseAnswers, ChangeYesTellsTheCustomerByWhen) {
  TestHost host;
  Scenario s(host);
  s.submit(s.order_created("A", kAnn, speaker_and_mug()));
  s.submit(s.order_updated("A", "processing"));
  const std::string case_id = s.submit(s.change("A", "rush"))["cases"][0];
  expect_asked(s.get_case(case_id));
  // The agent put it on hold for the warehouse: the answer opens it again.
  s.call("case.wait", {{"id", case_id}, {"agent", "mia"}, {"on", "warehouse"}});
  s.advance(25 * kMinuteMs);
  const TimeMs by = s.now() + 3 * kHourMs;
  s.submit(answer(s, "warehouse.change_answer",
                  {{"order_id", "A"}, {"can_change", true}, {"change", "rush"}, {"by", at(by)}}));
  const Json c = s.get_case(case_id);
  EXPECT_EQ(c["status"], "open");
  expect_answered(c, s.now());
  s.poll_all();
  const std::string text = the_notice(host, "order_change_confirmed")["message"].value("text", "");
  EXPECT_TRUE(has(text, format_minute(by))) << "by when, to the minute: " << text;
}

TEST(WarehouseAnswers, ChangeNoTellsTheCustomerWhy) {
  TestHost host;
  Scenario s(host);
  s.submit(s.order_created("A", kAnn, speaker_and_mug()));
  s.submit(s.order_updated("A", "packed"));
  const std::string case_id = s.submit(s.change("A", "address", "Musterstrasse 2"))["cases"][0];
  s.submit(answer(s, "warehouse.change_answer",
                  {{"order_id", "A"}, {"can_change", false}, {"reason", "the parcel is already sealed and labelled"}}));
  expect_answered(s.get_case(case_id), s.now());
  s.poll_all();
  const std::string text = the_notice(host, "order_change_declined")["message"].value("text", "");
  EXPECT_TRUE(has(text, "the parcel is already sealed and labelled")) << text;
}

// --- Bad answers -------------------------------------------------------------------------------

TEST(WarehouseAnswers, AnAnswerThatCannotBeRightIsRefusedAndChangesNothing) {
  Scenario s;
  s.submit(s.order_created("A", kAnn, speaker_and_mug()));
  s.submit(s.order_updated("A", "processing"));
  s.submit(s.message(kAnn, "A", "email", "Where is my order?"));
  s.submit(s.order_created("SHIPPED", kAnn, speaker_and_mug()));
  s.submit(s.order_updated("SHIPPED", "shipped"));
  const Json before = s.cases();
  const std::size_t effects = s.effects().size();
  struct Row {
    std::string type;
    Json data;
    oc_status status;
    std::string error;
  };
  const std::string later = at(s.now() + kDayMs);
  const Row rows[] = {
      {"warehouse.change_answer", {{"order_id", "A"}, {"can_change", true}, {"by", later}}, OC_ERR_NOT_FOUND,
       "data.order_id: order A has no open change request (order.change_requested) for the warehouse to answer"},
      {"warehouse.order_delayed", {{"order_id", "SHIPPED"}, {"reason", "x"}, {"new_ship_date", later}},
       OC_ERR_REFUSED, "data.order_id: warehouse.order_delayed: order SHIPPED is shipped; the warehouse no longer "
                       "has it"},
      {"warehouse.order_delayed", {{"order_id", "A"}, {"reason", "x"}, {"new_ship_date", "2020-01-01T00:00:00Z"}},
       OC_ERR_REFUSED, ""},
      {"warehouse.out_of_stock", {{"order_id", "A"}, {"sku", "SKU-NOPE"}, {"count", 0}}, OC_ERR_REFUSED,
       "data.sku: order A has no line of SKU SKU-NOPE"},
      {"warehouse.damaged_at_pick",
       {{"order_id", "A"}, {"sku", "SKU-NOPE"}, {"quantity", 1}, {"replacement_in_stock", true}}, OC_ERR_REFUSED,
       "data.sku: order A has no line of SKU SKU-NOPE"},
      // The schema: yes needs by when, no needs a reason.
      {"warehouse.change_answer", {{"order_id", "A"}, {"can_change", true}}, OC_ERR_SCHEMA,
       "data.by: missing required field"},
      {"warehouse.change_answer", {{"order_id", "A"}, {"can_change", false}}, OC_ERR_SCHEMA,
       "data.reason: missing required field"},
      {"warehouse.order_delayed", {{"order_id", "A"}, {"reason", "x"}, {"new_ship_date", later}, {"offer", "hug"}},
       OC_ERR_SCHEMA, "data.offer: expected one of: discount_code, free_expedited_shipping, store_credit, none"},
      {"warehouse.order_delayed", {{"order_id", "A"}, {"reason", ""}, {"new_ship_date", later}}, OC_ERR_SCHEMA,
       "data.reason: expected a non-empty string"},
      {"warehouse.out_of_stock", {{"order_id", "A"}, {"sku", "SKU-SPK"}, {"count", -1}}, OC_ERR_SCHEMA,
       "data.count: expected an integer from 0 to 1000000000000"},
      {"warehouse.out_of_stock",
       {{"order_id", "A"}, {"sku", "SKU-SPK"}, {"count", 0}, {"substitutes", {{{"name", "no sku"}}}}}, OC_ERR_SCHEMA,
       "data.substitutes[0].sku: missing required field"},
      {"warehouse.damaged_at_pick", {{"order_id", "A"}, {"sku", "SKU-SPK"}, {"quantity", 1}}, OC_ERR_SCHEMA,
       "data.replacement_in_stock: missing required field"},
  };
  for (const Row &row : rows) {
    SCOPED_TRACE(row.type + " " + row.data.dump());
    const CallError refused = s.submit_error(answer(s, row.type, row.data));
    EXPECT_EQ(refused.status, row.status) << refused.message;
    if (!row.error.empty()) {
      EXPECT_EQ(refused.message, row.error);
    }
  }
  EXPECT_EQ(s.cases(), before);
  EXPECT_EQ(s.effects().size(), effects);
  EXPECT_FALSE(s.call("order.get", {{"id", "A"}}).contains("ship_date"));
}

TEST(WarehouseAnswers, AnAnswerAboutAnOrderNeverSeenIsNotFound) {
  TestHost host;
  Scenario s(host);
  const CallError unknown = s.submit_error(answer(
      s, "warehouse.order_delayed", {{"order_id", "A"}, {"reason", "short-staffed"}, {"new_ship_date", at(s.now() + kDayMs)}}));
  EXPECT_EQ(unknown.status, OC_ERR_NOT_FOUND) << unknown.message;
  EXPECT_EQ(unknown.message, "data.order_id: warehouse.order_delayed: order A is not known (no order.created for it)");
  // Nothing was kept to run when the order arrives.
  s.submit(s.order_created("A", kAnn, speaker_and_mug()));
  EXPECT_TRUE(s.cases_of_order("A").empty());
  s.poll_all();
  EXPECT_TRUE(notices(host, "warehouse_delay").empty());
}

}  // namespace
}  // namespace ordercare::testing
