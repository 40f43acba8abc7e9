// Order actions (ABI 1.3): the host's order_action callback carries out
// reship, exchange, cancel, return_label and offer, each under its own
// idempotency key. One test per row of the seeds' playbooks that uses them
// (seed 000's order issues, seed 004's wrong/damaged item and delay), the
// agents' calls refused by policy and arithmetic, the host's answers
// (DONE, REJECTED, RETRY_LATER, PENDING then order_action.result), and a
// host without the callback, which gets each request as a team task.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "support/scenario.h"

namespace ordercare::testing {
namespace {

const CustomerSpec kAnn("c-ann", "Ann Archer", {}, "ann@example.org");

// One line: L1, a mug, 2 x 25.00.
OrderOptions one_mug() { return OrderOptions().with_items({LineSpec("SKU-MUG", 2500, 2, "Mug")}); }

// Two lines: L1 (2 x Mug 25.00), L2 (1 x Lamp 40.00).
OrderOptions mug_and_lamp() {
  return OrderOptions().with_items({LineSpec("SKU-MUG", 2500, 2, "Mug"), LineSpec("SKU-LAMP", 4000, 1, "Lamp")});
}

// What a host that carries everything out answers: tracking for a
// replacement, a label for a return label, a code for an offer.
HostReply carried_out(const HostRequest &r) {
  const std::string action = r.body.value("action", "");
  if (action == "reship")
    return {OC_OUTCOME_DONE,
            {{"carrier", "DHL"}, {"tracking_number", "TRK-" + r.key}, {"eta", "2026-11-24T12:00:00Z"},
             {"host_reference", "shp-1"}}};
  if (action == "return_label")
    return {OC_OUTCOME_DONE, {{"label_url", "https://labels.example/" + r.key}, {"tracking_number", "RET-1"}}};
  if (action == "offer") return {OC_OUTCOME_DONE, {{"code", "SORRY-" + r.key}}};
  return {OC_OUTCOME_DONE, {{"host_reference", "done-" + r.key}}};
}

struct ActingHost {
  ActingHost() { host.on("order_action", carried_out); }
  TestHost host;
};

std::vector<HostRequest> actions_asked(const TestHost &host, const std::string &action = "") {
  std::vector<HostRequest> out;
  for (const auto &r : host.requests("order_action"))
    if (action.empty() || r.body.value("action", "") == action) out.push_back(r);
  return out;
}

// The customer notices sent (delivered to the host), by template.
std::vector<HostRequest> notices(const TestHost &host, const std::string &template_id) {
  std::vector<HostRequest> out;
  for (const auto &r : host.requests("notify"))
    if (r.body.value("audience", "") == "customer" && r.body.value("template", "") == template_id) out.push_back(r);
  return out;
}

Json order_of(Scenario &s, const std::string &id) { return s.call("order.get", {{"id", id}}); }

Json action_of(Scenario &s, const std::string &order_id, const std::string &key) {
  for (const auto &a : order_of(s, order_id).value("actions", Json::array()))
    if (a["id"] == key) return a;
  ADD_FAILURE() << "order " << order_id << " has no action " << key;
  return nullptr;
}

std::string case_id_of(Scenario &s, const std::string &order_id) {
  return s.only_case(order_id)["id"].get<std::string>();
}

// Seed 000 "Incorrect item delivered: initiate a replacement, and provide a
// return label"; seed 004 "Ship replacement: rush ship if available".
TEST(OrderActionPlaybooks, WrongItemShipsAReplacementAndALabelAndTellsTheCustomerOnceBothAreDone) {
  ActingHost h;
  Scenario s(h.host);
  s.submit(s.order_created("A", kAnn, one_mug()));
  s.submit(s.message(kAnn, "A", "email", "I got the wrong item, this is not what I ordered"));
  s.poll_all();
  const auto reship = actions_asked(h.host, "reship");
  const auto label = actions_asked(h.host, "return_label");
  ASSERT_EQ(reship.size(), 1u);
  ASSERT_EQ(label.size(), 1u);
  EXPECT_EQ(reship[0].key, "reship:A:1");
  EXPECT_EQ(reship[0].body["shipping_speed"], "expedited");
  EXPECT_EQ(reship[0].body["reason"], "wrong_item");
  EXPECT_EQ(reship[0].body["lines"][0]["line_id"], "L1");
  EXPECT_EQ(reship[0].body["lines"][0]["quantity"], 2);
  EXPECT_EQ(label[0].key, "return_label:A:1");
  const auto sent = notices(h.host, "wrong_item_replacement");
  ASSERT_EQ(sent.size(), 1u) << "one message with both the tracking and the label";
  const std::string text = sent[0].body["message"]["text"];
  EXPECT_NE(text.find("TRK-reship:A:1"), std::string::npos) << text;
  EXPECT_NE(text.find("https://labels.example/return_label:A:1"), std::string::npos) << text;
  EXPECT_EQ(action_of(s, "A", "reship:A:1")["status"], "done");
  EXPECT_EQ(action_of(s, "A", "return_label:A:1")["status"], "done");
}

TEST(OrderActionPlaybooks, WrongItemNoticeWaitsForALabelAnsweredPendingUntilItsResultEvent) {
  TestHost host;
  host.on("order_action", [](const HostRequest &r) {
    return r.body["action"] == "return_label" ? HostReply{OC_OUTCOME_PENDING, nullptr} : carried_out(r);
  });
  Scenario s(host);
  s.submit(s.order_created("A", kAnn, one_mug()));
  s.submit(s.message(kAnn, "A", "email", "Wrong item in my parcel"));
  s.poll_all();
  EXPECT_TRUE(notices(host, "wrong_item_replacement").empty()) << "the label is not there yet";
  EXPECT_EQ(action_of(s, "A", "return_label:A:1")["status"], "pending");
  // A result without the label is refused and changes nothing.
  Json result = {{"id", "res-1"},
                 {"type", "order_action.result"},
                 {"occurred_at", format_rfc3339(s.now())},
                 {"source", "host"},
                 {"data", {{"action_id", "return_label:A:1"}, {"status", "succeeded"}}}};
  EXPECT_EQ(s.submit_error(result).status, OC_ERR_SCHEMA);
  result["data"]["label_url"] = "https://labels.example/late";
  s.submit(result);
  s.poll_all();
  ASSERT_EQ(notices(host, "wrong_item_replacement").size(), 1u);
  EXPECT_EQ(action_of(s, "A", "return_label:A:1")["status"], "done");
  // The same result again is a duplicate and sends nothing more.
  EXPECT_EQ(s.submit(result)["status"], "duplicate");
  s.poll_all();
  EXPECT_EQ(notices(host, "wrong_item_replacement").size(), 1u);
}

// Seed 004 "Item arrived damaged: Immediate: ship replacement if in stock".
TEST(OrderActionPlaybooks, DamagedItemIsReplacedIfInStock) {
  ActingHost h;
  Scenario s(h.host);
  s.submit(s.order_created("A", kAnn, one_mug()));
  s.submit(s.message(kAnn, "A", "email", "The mug arrived broken"));
  s.poll_all();
  const auto reship = actions_asked(h.host, "reship");
  ASSERT_EQ(reship.size(), 1u);
  EXPECT_EQ(reship[0].body["only_if_in_stock"], true);
  EXPECT_EQ(reship[0].body["reason"], "damaged_item");
  EXPECT_EQ(notices(h.host, "damaged_item_replacement").size(), 1u);
}

TEST(OrderActionPlaybooks, DamagedItemOutOfStockOffersTheCustomerTheChoiceWithoutEscalating) {
  TestHost host;
  host.on("order_action", [](const HostRequest &) {
    return HostReply{OC_OUTCOME_REJECTED, {{"out_of_stock", true}, {"reason", "none left"}}};
  });
  Scenario s(host);
  s.submit(s.order_created("A", kAnn, one_mug()));
  s.submit(s.message(kAnn, "A", "email", "The mug arrived broken"));
  s.poll_all();
  EXPECT_EQ(action_of(s, "A", "reship:A:1")["status"], "rejected");
  EXPECT_EQ(notices(host, "out_of_stock_choice").size(), 1u);
  EXPECT_EQ(s.only_case("A")["escalation_level"], 0);
}

// Seed 000 "Item missing from order: verify with the warehouse team and
// send the missing item ASAP": no reship until the warehouse confirms.
TEST(OrderActionPlaybooks, MissingItemIsReshippedOnlyAfterTheWarehouseConfirms) {
  ActingHost h;
  Scenario s(h.host);
  s.submit(s.order_created("A", kAnn, mug_and_lamp()));
  s.submit(s.message(kAnn, "A", "email", "The lamp was missing from my order"));
  s.poll_all();
  EXPECT_TRUE(actions_asked(h.host).empty());
  const std::string case_id = case_id_of(s, "A");
  EXPECT_EQ(s.get_case(case_id)["status"], "waiting_warehouse");
  EXPECT_EQ(action_of(s, "A", "reship:A:1")["status"], "held");
  // Another reship of the lamp is refused meanwhile: the held one counts.
  EXPECT_EQ(s.error("order.reship", {{"order_id", "A"}, {"case_id", case_id}, {"reason", "again"},
                                     {"lines", {{{"line_id", "L2"}}}}})
                .status,
            OC_ERR_REFUSED);
  s.call("case.resume", {{"id", case_id}, {"agent", "ana"}, {"confirmed", true}});
  s.poll_all();
  const auto reship = actions_asked(h.host, "reship");
  ASSERT_EQ(reship.size(), 1u);
  EXPECT_EQ(reship[0].body["lines"].size(), 1u);
  EXPECT_EQ(reship[0].body["lines"][0]["sku"], "SKU-LAMP");
  EXPECT_EQ(notices(h.host, "missing_item_reship").size(), 1u);
}

TEST(OrderActionPlaybooks, MissingItemTheWarehouseDoesNotConfirmIsDropped) {
  ActingHost h;
  Scenario s(h.host);
  s.submit(s.order_created("A", kAnn, mug_and_lamp()));
  s.submit(s.message(kAnn, "A", "email", "The lamp was missing from my order"));
  s.poll_all();
  s.call("case.resume", {{"id", case_id_of(s, "A")}, {"agent", "ana"}, {"confirmed", false}});
  s.poll_all();
  EXPECT_TRUE(actions_asked(h.host).empty());
  EXPECT_EQ(action_of(s, "A", "reship:A:1")["status"], "dropped");
}

// Seed 000 "Order cancellation request: check if the order is still
// processing. If shipped, explain return options."
TEST(OrderActionPlaybooks, CancellationOfAnOrderNotShippedIsCarriedOutByTheHost) {
  ActingHost h;
  Scenario s(h.host);
  s.submit(s.order_created("A", kAnn, one_mug()));
  s.submit(s.order_updated("A", "processing"));
  s.submit(s.cancellation("A", "changed my mind"));
  s.poll_all();
  const auto cancel = actions_asked(h.host, "cancel");
  ASSERT_EQ(cancel.size(), 1u);
  EXPECT_EQ(cancel[0].key, "cancel:A:1");
  EXPECT_EQ(order_of(s, "A")["status"], "cancelled");
  EXPECT_EQ(notices(h.host, "cancellation_confirmed").size(), 1u);
  // The platform's own order.updated later sends nothing twice.
  s.submit(s.order_updated("A", "cancelled"));
  s.poll_all();
  EXPECT_EQ(notices(h.host, "cancellation_confirmed").size(), 1u);
}

TEST(OrderActionPlaybooks, CancellationTheHostFindsTooLateExplainsTheReturnOptions) {
  TestHost host;
  host.on("order_action", [](const HostRequest &) {
    return HostReply{OC_OUTCOME_REJECTED, {{"too_late", true}, {"order_status", "shipped"}}};
  });
  Scenario s(host);
  s.submit(s.order_created("A", kAnn, one_mug()));
  s.submit(s.cancellation("A"));
  s.poll_all();
  EXPECT_EQ(action_of(s, "A", "cancel:A:1")["status"], "too_late");
  EXPECT_EQ(notices(host, "cancellation_already_shipped_no_portal").size(), 1u);
  EXPECT_EQ(s.only_case("A")["escalation_level"], 0);
  EXPECT_NE(order_of(s, "A")["status"], "cancelled");
}

// Seed 000 "Shipping delay: offer expedited shipping or a discount if
// necessary"; seed 004 "CS can offer: [discount/free shipping]".
TEST(OrderActionPlaybooks, DelayPastThePromisedDateCarriesThePolicysOffer) {
  ActingHost h;
  Scenario s(h.host);
  s.submit(s.order_created("A", kAnn, one_mug().promised(s.now() + 2 * kDayMs)));
  s.submit(s.shipment("A", "S1", "delayed",
                      ShipmentOptions().tracked("DHL", "T1").due(s.now() + 5 * kDayMs).because("storm at the hub")));
  s.poll_all();
  const auto offer = actions_asked(h.host, "offer");
  ASSERT_EQ(offer.size(), 1u);
  EXPECT_EQ(offer[0].body["offer"]["type"], "discount_code");
  EXPECT_EQ(offer[0].body["offer"]["amount"]["amount"], 500) << "10% of 50.00";
  EXPECT_TRUE(notices(h.host, "shipping_delay").empty());
  const auto sent = notices(h.host, "shipping_delay_with_offer");
  ASSERT_EQ(sent.size(), 1u);
  EXPECT_NE(sent[0].body["message"]["text"].get<std::string>().find("SORRY-offer:A:1"), std::string::npos);
}

TEST(OrderActionPlaybooks, DelayStillWithinThePromiseGetsNoOffer) {
  ActingHost h;
  Scenario s(h.host);
  s.submit(s.order_created("A", kAnn, one_mug().promised(s.now() + 9 * kDayMs)));
  s.submit(s.shipment("A", "S1", "delayed",
                      ShipmentOptions().tracked("DHL", "T1").due(s.now() + 5 * kDayMs).because("storm at the hub")));
  s.poll_all();
  EXPECT_TRUE(actions_asked(h.host).empty());
  EXPECT_EQ(notices(h.host, "shipping_delay").size(), 1u);
}

// Seed 000 "Out-of-stock item: offer an alternative product, store credit,
// or refund"; seed 004 "Options: substitute, backorder, refund". The
// customer chooses; the agent's call carries the choice out, once.
TEST(OrderActionPlaybooks, OutOfStockTheCustomersChoiceIsCarriedOutByTheHost) {
  ActingHost h;
  Scenario s(h.host);
  for (const char *id : {"A", "B"}) {
    s.submit(s.order_created(id, kAnn, OrderOptions().with_items({LineSpec("SKU-SHORT", 3000, 1, "Lantern")})));
    s.submit(s.order_updated(id, "processing"));
  }
  s.submit(s.inventory_discrepancy("SKU-SHORT", "main", 5, 0));
  s.poll_all();
  EXPECT_EQ(notices(h.host, "out_of_stock_choice").size(), 2u) << "each customer is asked to choose";
  auto out_of_stock_case = [&](const std::string &order_id) {
    for (const auto &c : s.cases_of_order(order_id))
      if (c["type"] == "out_of_stock") return c["id"].get<std::string>();
    ADD_FAILURE() << "order " << order_id << " has no out-of-stock case";
    return std::string();
  };
  // A: the alternative.
  s.call("order.exchange", {{"order_id", "A"}, {"case_id", out_of_stock_case("A")}, {"reason", "customer chose"},
                            {"lines", {{{"line_id", "L1"}, {"new_sku", "SKU-LANTERN-2"}}}}});
  // B: store credit, a refund in that method.
  s.call("order.refund", {{"order_id", "B"}, {"case_id", out_of_stock_case("B")}, {"amount", 3000},
                          {"method", "store_credit"}, {"reason", "customer chose store credit"}});
  s.poll_all();
  const auto exchange = actions_asked(h.host, "exchange");
  ASSERT_EQ(exchange.size(), 1u);
  EXPECT_EQ(exchange[0].body["order_id"], "A");
  EXPECT_EQ(exchange[0].body["lines"][0]["new_sku"], "SKU-LANTERN-2");
  const auto refunds = h.host.requests("refund");
  ASSERT_EQ(refunds.size(), 1u);
  EXPECT_EQ(refunds[0].body["method"], "store_credit");
  EXPECT_EQ(notices(h.host, "exchange_arranged").size(), 1u);
}

// --- Agents' calls -------------------------------------------------------------

struct Calls : ::testing::Test {
  Calls() : s(h.host) {
    s.submit(s.order_created("A", kAnn, mug_and_lamp()));
    s.submit(s.message(kAnn, "A", "email", "Where is my order?"));
    case_id = case_id_of(s, "A");
    s.poll_all();
    h.host.forget();
  }
  Json args(Json more) {
    more["order_id"] = "A";
    more["case_id"] = case_id;
    if (!more.contains("reason")) more["reason"] = "agent decided";
    return more;
  }
  ActingHost h;
  Scenario s;
  std::string case_id;
};

TEST_F(Calls, ReshipNeverSendsMoreOfALineThanWasOrdered) {
  const Json first = s.call("order.reship", args({{"lines", {{{"line_id", "L1"}, {"quantity", 2}}}},
                                                  {"shipping_speed", "overnight"}}));
  EXPECT_EQ(first["action"]["id"], "reship:A:1");
  const Json before = order_of(s, "A");
  const CallError more = s.error("order.reship", args({{"lines", {{{"line_id", "L1"}, {"quantity", 1}}}}}));
  EXPECT_EQ(more.status, OC_ERR_REFUSED);
  EXPECT_NE(more.message.find("at most 0 more"), std::string::npos) << more.message;
  EXPECT_EQ(s.error("order.reship", args({{"lines", {{{"line_id", "L9"}}}}})).status, OC_ERR_REFUSED);
  EXPECT_EQ(order_of(s, "A"), before) << "a refused call changes nothing";
  s.poll_all();
  const auto asked = actions_asked(h.host, "reship");
  ASSERT_EQ(asked.size(), 1u);
  EXPECT_EQ(asked[0].body["shipping_speed"], "overnight");
  EXPECT_EQ(notices(h.host, "replacement_shipped").size(), 1u);
}

TEST_F(Calls, OffersStayUnderThePolicyCapPerOrderInTheOrdersCurrency) {
  auto offer = [&](std::int64_t amount, const std::string &currency) {
    return args({{"offer", "store_credit"}, {"amount", {{"amount", amount}, {"currency", currency}}}});
  };
  s.call("order.offer", offer(2000, "USD"));
  const CallError over = s.error("order.offer", offer(501, "USD"));
  EXPECT_EQ(over.status, OC_ERR_REFUSED);
  EXPECT_NE(over.message.find("at most 5.00 USD more"), std::string::npos) << over.message;
  EXPECT_EQ(s.error("order.offer", offer(100, "EUR")).status, OC_ERR_REFUSED);
  EXPECT_EQ(s.error("order.offer", args({{"offer", "gift"}, {"amount", {{"amount", 1}, {"currency", "USD"}}}})).status,
            OC_ERR_SCHEMA);
  s.call("order.offer", offer(500, "USD"));
  s.poll_all();
  EXPECT_EQ(actions_asked(h.host, "offer").size(), 2u);
  EXPECT_EQ(notices(h.host, "offer_made").size(), 2u);
}

TEST_F(Calls, BadArgumentsAreSchemaErrorsNamingTheFieldAndChangeNothing) {
  const Json before = order_of(s, "A");
  const auto schema = [&](const std::string &method, const Json &a, const std::string &field) {
    const CallError e = s.error(method, a);
    EXPECT_EQ(e.status, OC_ERR_SCHEMA) << method << " " << a.dump();
    EXPECT_NE(e.message.find(field), std::string::npos) << e.message;
  };
  schema("order.offer", args({{"offer", "store_credit"}, {"amount", 500}}), "amount");
  schema("order.offer", args({{"offer", "store_credit"}, {"amount", {{"amount", 0}, {"currency", "USD"}}}}), "amount");
  schema("order.reship", args({{"lines", "L1"}}), "lines");
  schema("order.reship", args({{"lines", {{{"line_id", "L1"}, {"quantity", 0}}}}}), "quantity");
  schema("order.reship", args({{"shipping_speed", "teleport"}}), "shipping_speed");
  schema("order.cancel", args({{"bogus", 1}}), "bogus");
  schema("order.cancel", {{"order_id", "A"}, {"case_id", case_id}}, "reason");
  schema("return.label", {{"id", "R-1"}, {"order_id", "A"}}, "id");
  EXPECT_EQ(order_of(s, "A"), before);
  s.poll_all();
  EXPECT_TRUE(actions_asked(h.host).empty());
}

TEST_F(Calls, CancelIsOneAtATimeAndTooLateOnceShipped) {
  s.call("order.cancel", args({}));
  EXPECT_EQ(s.error("order.cancel", args({})).status, OC_ERR_REFUSED);
  s.poll_all();
  EXPECT_EQ(actions_asked(h.host, "cancel").size(), 1u);
  EXPECT_EQ(s.error("order.reship", args({{"lines", {{{"line_id", "L1"}}}}})).status, OC_ERR_TRANSITION)
      << "the order is cancelled";
}

TEST_F(Calls, CancelOfAShippedOrderIsRefusedAsTooLate) {
  s.submit(s.order_updated("A", "shipped"));
  const CallError late = s.error("order.cancel", args({}));
  EXPECT_EQ(late.status, OC_ERR_TRANSITION);
  EXPECT_NE(late.message.find("too late"), std::string::npos) << late.message;
}

TEST_F(Calls, ExchangeNeedsTheNewVariantAndCountsWhatIsReturned) {
  EXPECT_EQ(s.error("order.exchange", args({{"lines", {{{"line_id", "L1"}}}}})).status, OC_ERR_SCHEMA);
  s.submit(s.order_updated("A", "delivered"));
  s.submit(s.return_requested("A", {ReturnLine("L1", "changed_mind", 1)}));
  EXPECT_EQ(s.error("order.exchange", args({{"lines", {{{"line_id", "L1"}, {"quantity", 2}, {"new_sku", "SKU-MUG-RED"}}}}}))
                .status,
            OC_ERR_REFUSED);
  s.call("order.exchange", args({{"lines", {{{"line_id", "L1"}, {"quantity", 1}, {"new_sku", "SKU-MUG-RED"}}}}}));
  s.poll_all();
  const auto asked = actions_asked(h.host, "exchange");
  ASSERT_EQ(asked.size(), 1u);
  EXPECT_EQ(asked[0].body["lines"][0]["new_sku"], "SKU-MUG-RED");
  EXPECT_EQ(notices(h.host, "exchange_arranged").size(), 1u);
}

TEST_F(Calls, UnknownCaseOrOrderIsNotFoundAndARequestIdActsOnce) {
  EXPECT_EQ(s.error("order.cancel", {{"order_id", "A"}, {"case_id", "C-none"}, {"reason", "x"}}).status,
            OC_ERR_NOT_FOUND);
  EXPECT_EQ(s.error("order.cancel", {{"order_id", "B"}, {"case_id", case_id}, {"reason", "x"}}).status,
            OC_ERR_NOT_FOUND);
  Json once = args({{"lines", {{{"line_id", "L2"}}}}, {"request_id", "rs-1"}});
  const Json first = s.call("order.reship", once);
  EXPECT_EQ(s.call("order.reship", once), first);
  s.poll_all();
  EXPECT_EQ(actions_asked(h.host, "reship").size(), 1u);
}

TEST_F(Calls, ReturnLabelForAReturnIssuesItWhenTheHostAnswersWithTheLabel) {
  s.submit(s.order_updated("A", "delivered"));
  s.submit(s.return_requested("A", {ReturnLine("L2", "changed_mind", 1)}, "R-1"));
  ASSERT_EQ(s.get_return("R-1")["status"], "approved");
  s.call("return.label", {{"id", "R-1"}});
  EXPECT_EQ(s.error("return.label", {{"id", "R-1"}}).status, OC_ERR_REFUSED) << "one label at a time";
  s.poll_all();
  const Json r = s.get_return("R-1");
  EXPECT_EQ(r["status"], "label_issued");
  EXPECT_EQ(r["label"], "https://labels.example/return_label:A:1");
  EXPECT_EQ(notices(h.host, "return_approved").size(), 1u);
}

// "The customer notice waits for it": DONE without a label is no answer.
TEST(OrderActionAnswers, ALabelAnsweredDoneWithoutItsUrlIsAskedAgainUnderTheSameKey) {
  TestHost host;
  int calls = 0;
  host.on("order_action", [&](const HostRequest &r) {
    return ++calls == 1 ? HostReply{OC_OUTCOME_DONE, {{"tracking_number", "RET-1"}}} : carried_out(r);
  });
  Scenario s(host, {{"outbox", {{"base_backoff", "1s"}, {"jitter", 0}}}});
  s.submit(s.order_created("A", kAnn, one_mug()));
  s.submit(s.order_updated("A", "delivered"));
  s.submit(s.return_requested("A", {ReturnLine("L1", "changed_mind", 2)}, "R-1"));
  s.call("return.label", {{"id", "R-1"}});
  s.poll_all();
  EXPECT_EQ(s.get_return("R-1")["status"], "approved");
  EXPECT_TRUE(notices(host, "return_approved").empty());
  s.advance(kMinuteMs);
  s.poll_all();
  const auto asked = actions_asked(host, "return_label");
  ASSERT_EQ(asked.size(), 2u);
  EXPECT_EQ(asked[0].key, asked[1].key);
  EXPECT_EQ(asked[1].attempt, 2u);
  EXPECT_EQ(s.get_return("R-1")["status"], "label_issued");
  EXPECT_EQ(notices(host, "return_approved").size(), 1u);
}

TEST(OrderActionAnswers, RetryLaterGoesAgainUnderTheSameKeyAndARejectionEscalates) {
  TestHost host;
  int calls = 0;
  host.on("order_action", [&](const HostRequest &) {
    return ++calls == 1 ? HostReply{OC_OUTCOME_RETRY_LATER, nullptr}
                        : HostReply{OC_OUTCOME_REJECTED, {{"reason", "carrier refuses the address"}}};
  });
  Scenario s(host, {{"outbox", {{"base_backoff", "1s"}, {"jitter", 0}}}});
  s.submit(s.order_created("A", kAnn, one_mug()));
  s.submit(s.message(kAnn, "A", "email", "The mug arrived broken"));
  s.poll_all();
  s.advance(kMinuteMs);
  s.poll_all();
  const auto asked = actions_asked(host, "reship");
  ASSERT_EQ(asked.size(), 2u);
  EXPECT_EQ(asked[1].key, asked[0].key);
  EXPECT_EQ(action_of(s, "A", "reship:A:1")["status"], "rejected");
  EXPECT_EQ(s.only_case("A")["status"], "escalated");
}

// --- A host without order_action -------------------------------------------------

TEST(OrderActionFallback, AHostWithoutTheCallbackGetsEachRequestAsATeamTask) {
  TestHost host;  // order_action left NULL
  Scenario s(host);
  s.submit(s.order_created("A", kAnn, one_mug()));
  s.submit(s.message(kAnn, "A", "email", "I got the wrong item"));
  s.poll_all();
  EXPECT_TRUE(s.effects({{"kind", "order_action"}}).empty()) << "the wrong-item playbook as before";
  const std::string case_id = case_id_of(s, "A");
  host.forget();
  const Json out = s.call("order.reship", {{"order_id", "A"}, {"case_id", case_id}, {"reason", "wrong item"}});
  EXPECT_EQ(out["action"]["status"], "team_task");
  s.poll_all();
  EXPECT_TRUE(s.effects({{"kind", "order_action"}}).empty());
  bool asked = false;
  for (const auto &r : host.requests("notify"))
    if (r.body["audience"] == "team" && r.body["team"] == "warehouse")
      for (const auto &need : r.body["needs"]) asked = asked || need.get<std::string>().rfind("Reship 2 x Mug", 0) == 0;
  EXPECT_TRUE(asked) << "the warehouse was asked to reship";
  // The team's task counts: the line cannot be reshipped again.
  EXPECT_EQ(s.error("order.reship", {{"order_id", "A"}, {"case_id", case_id}, {"reason", "again"}}).status,
            OC_ERR_REFUSED);
}

}  // namespace
}  // namespace ordercare::testing
