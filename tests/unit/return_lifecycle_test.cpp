// Returns (RMA) from request to refund, through oc_call and oc_submit with a
// host whose callbacks are test code: the lifecycle and its transition
// table (an illegal step is OC_ERR_TRANSITION and changes nothing), the
// return policy of seed 000 (window, final sale, condition, who pays
// shipping, keep the item, instant refund, restocking fee, inspection at
// receipt), bad input, refund arithmetic in USD, JPY and KWD, the host's
// answers to a refund, and the inventory discrepancy playbook of seed 004.
#include <gtest/gtest.h>

#include <map>
#include <set>
#include <string>
#include <vector>

#include "common/value_ranges.h"
#include "support/scenario.h"

namespace ordercare::testing {
namespace {

const CustomerSpec kAnn("c-ann", "Ann Archer", {}, "ann@example.org");
const CustomerSpec kTrusted("c-tru", "Tom Trust", {"trusted"});

// Two lines: L1 (2 x 25.00) and L2 (1 x 40.00); 90.00 paid.
const std::vector<LineSpec> kTwoLines = {LineSpec("SKU-MUG", 2500, 2, "Mug"), LineSpec("SKU-LAMP", 4000, 1, "Lamp")};

Json returns_policy(Json returns) { return {{"policy", {{"returns", std::move(returns)}}}}; }

// An order delivered now.
void delivered_order(Scenario &s, const std::string &order_id, const CustomerSpec &who = kAnn,
                     OrderOptions options = OrderOptions().with_items(kTwoLines)) {
  s.submit(s.order_created(order_id, who, std::move(options)));
  s.advance(kHourMs);
  s.submit(s.order_updated(order_id, "delivered"));
  s.advance(kHourMs);
}

std::string case_of_return(Scenario &s, const std::string &return_id) {
  return s.get_return(return_id)["case_id"].get<std::string>();
}

// Everything a return command could change.
Json everything(Scenario &s, const std::string &return_id) {
  const Json r = s.get_return(return_id);
  return {{"return", r},
          {"case", s.get_case(r["case_id"].get<std::string>())},
          {"effects", s.effects()},
          {"escalations", s.escalations()}};
}

Json with_id(const std::string &id, Json args = Json::object()) {
  args["id"] = id;
  return args;
}

Json one_item(const std::string &line_id, std::int64_t quantity, const std::string &condition) {
  return Json::array({{{"line_id", line_id}, {"quantity", quantity}, {"condition", condition}}});
}

// The effects of one kind, as effects.list shows them.
Json effects_of_kind(Scenario &s, const std::string &kind) { return s.effects({{"kind", kind}}); }

std::int64_t amount_of(const Json &money) { return money.at("amount").get<std::int64_t>(); }

const Json *find_item(const Json &r, const std::string &line_id) {
  for (const auto &item : r["items"])
    if (item["line_id"] == line_id) return &item;
  return nullptr;
}

// The case's log entries of one kind.
std::vector<Json> log_of(const Json &c, const std::string &kind) {
  std::vector<Json> out;
  for (const auto &entry : c["log"])
    if (entry["kind"] == kind) out.push_back(entry);
  return out;
}

bool mentions(const Json &list, const std::string &needle) {
  for (const auto &item : list)
    if (item.is_string() && item.get<std::string>().find(needle) != std::string::npos) return true;
  return false;
}

// --- The lifecycle --------------------------------------------------------

TEST(ReturnLifecycle, RequestedApprovedLabelTransitReceivedInspectedRefundedClosed) {
  TestHost host;
  Scenario s(host);
  delivered_order(s, "A");
  s.advance(3 * kDayMs);
  const Json submitted = s.submit(s.return_requested("A", {ReturnLine("L2", "changed_mind")}, "R1"));
  Json r = s.get_return("R1");
  EXPECT_EQ(r["status"], "approved") << "an eligible request is approved by policy";
  EXPECT_TRUE(mentions(r["decisions"], "approved by policy")) << r["decisions"];
  EXPECT_FALSE(r["store_pays_shipping"]);
  EXPECT_FALSE(r["keep_item"]);
  EXPECT_FALSE(r["instant_refund"]);
  EXPECT_EQ(amount_of(r["refund_due"]), 4000);
  ASSERT_TRUE(r["case_id"].is_string());
  const std::string case_id = r["case_id"];
  EXPECT_TRUE(contains(submitted["cases"], case_id));
  Json c = s.get_case(case_id);
  EXPECT_EQ(c["type"], "return");
  EXPECT_TRUE(contains(c["return_ids"], "R1")) << "the return is linked to its case";
  EXPECT_TRUE(effects_of_kind(s, "refund").empty()) << "no refund before the item is back";

  s.advance(kHourMs);
  r = s.call("return.issue_label", {{"id", "R1"}, {"label", "https://labels.example/R1.pdf"}});
  EXPECT_EQ(r["status"], "label_issued");
  EXPECT_EQ(r["label"], "https://labels.example/R1.pdf");
  EXPECT_TRUE(contains(Json(s.notices_of(case_id)), "customer:return_approved"));

  s.advance(kDayMs);
  EXPECT_EQ(s.call("return.in_transit", {{"id", "R1"}})["status"], "in_transit");
  s.advance(2 * kDayMs);
  r = s.call("return.receive", {{"id", "R1"}, {"items", one_item("L2", 1, "resellable")}});
  EXPECT_EQ(r["status"], "received");
  EXPECT_EQ((*find_item(r, "L2"))["received"], 1);
  EXPECT_TRUE(effects_of_kind(s, "refund").empty()) << "received is not yet inspected";

  s.advance(kHourMs);
  r = s.call("return.inspect", {{"id", "R1"}, {"items", one_item("L2", 1, "resellable")}});
  EXPECT_EQ(r["status"], "inspected") << "the refund is out, not yet done";
  EXPECT_EQ((*find_item(r, "L2"))["disposition"], "restocked");
  const Json refunds = effects_of_kind(s, "refund");
  ASSERT_EQ(refunds.size(), 1u);
  EXPECT_EQ(refunds[0]["id"], "refund:R1:1");
  EXPECT_EQ(refunds[0]["payload"]["amount"], (Json{{"amount", 4000}, {"currency", "USD"}}));
  EXPECT_EQ(refunds[0]["payload"]["return_id"], "R1");
  const Json stock = effects_of_kind(s, "adjust_inventory");
  ASSERT_EQ(stock.size(), 1u);
  EXPECT_EQ(stock[0]["payload"]["sku"], "SKU-LAMP");
  EXPECT_EQ(stock[0]["payload"]["location"], "main");
  EXPECT_EQ(stock[0]["payload"]["delta"], 1);

  s.advance(kHourMs);
  s.poll_all();
  ASSERT_EQ(host.requests("refund").size(), 1u);
  EXPECT_EQ(host.requests("refund")[0].key, "refund:R1:1");
  r = s.get_return("R1");
  EXPECT_EQ(r["status"], "closed") << "refund done: refunded, then closed";
  EXPECT_TRUE(r["refunded_at"].is_string());
  EXPECT_TRUE(r["closed_at"].is_string());
  EXPECT_EQ(amount_of(r["refunded"]), 4000);
  ASSERT_EQ(r["refunds"].size(), 1u);
  EXPECT_EQ(r["refunds"][0]["status"], "succeeded");
  EXPECT_EQ(s.effect("refund:R1:1")["status"], "done");
  EXPECT_EQ(s.returns({{"status", "closed"}}).size(), 1u);
  EXPECT_EQ(s.returns({{"order_id", "A"}}).size(), 1u);
}

TEST(ReturnLifecycle, IneligibleRequestStaysRequestedUntilRejectedWithReason) {
  // Without returns.auto_reject an agent decides (return_auto_reject_test).
  Scenario s(returns_policy({{"final_sale_skus", {"SKU-LAMP"}}, {"auto_reject", false}}));
  delivered_order(s, "A");
  s.submit(s.return_requested("A", {ReturnLine("L2", "changed_mind")}, "R1"));
  Json r = s.get_return("R1");
  EXPECT_EQ(r["status"], "requested") << "nothing eligible: no automatic approval";
  EXPECT_FALSE((*find_item(r, "L2"))["eligible"]);
  EXPECT_EQ((*find_item(r, "L2"))["decision"], "final-sale item");
  const std::string case_id = r["case_id"];
  EXPECT_TRUE(mentions(s.get_case(case_id)["follow_ups"], "not eligible"));

  EXPECT_EQ(s.error("return.reject", {{"id", "R1"}}).status, OC_ERR_SCHEMA) << "a rejection needs its reason";
  r = s.call("return.reject", {{"id", "R1"}, {"reason", "final sale"}, {"agent", "sam"}});
  EXPECT_EQ(r["status"], "rejected");
  EXPECT_EQ(r["rejection_reason"], "final sale");
  EXPECT_TRUE(contains(Json(s.notices_of(case_id)), "customer:return_rejected"));
  const auto logged = log_of(s.get_case(case_id), "return");
  ASSERT_FALSE(logged.empty());
  EXPECT_EQ(logged.back()["details"]["status"], "rejected");
  EXPECT_EQ(logged.back()["details"]["reason"], "final sale");
  EXPECT_EQ(logged.back()["actor"], "sam");
}

TEST(ReturnLifecycle, AnAgentMayApproveAnExceptionToARequestedReturn) {
  Scenario s(returns_policy({{"auto_approve", false}}));
  delivered_order(s, "A");
  s.submit(s.return_requested("A", {ReturnLine("L1", "changed_mind", 2)}, "R1"));
  EXPECT_EQ(s.get_return("R1")["status"], "requested") << "auto_approve off";
  const Json r = s.call("return.approve", {{"id", "R1"}, {"reason", "loyal customer"}});
  EXPECT_EQ(r["status"], "approved");
  EXPECT_TRUE(mentions(r["decisions"], "exception: loyal customer"));
  EXPECT_TRUE(r["approved_at"].is_string());
}

// The ship-by date of a label is 14 days on, and saturates at the last
// instant like every deadline: with a clock a few days before the end of
// 9999 it is 9999-12-31, not a year 10000.
TEST(ReturnLifecycle, ShipByDateNearTheEndOfTimeIsTheLastDay) {
  TestHost host;
  Scenario s(host, Json::object(), kMaxTimeMs - 5 * kDayMs);
  delivered_order(s, "A");
  s.submit(s.return_requested("A", {ReturnLine("L2", "changed_mind")}, "R1"));
  s.call("return.issue_label", {{"id", "R1"}, {"label", "https://labels.example/R1.pdf"}});
  s.poll_all();
  std::string text;
  for (const auto &n : host.requests("notify"))
    if (n.body.value("template", "") == "return_approved") text = n.body["message"]["text"];
  EXPECT_NE(text.find("send them by 9999-12-31."), std::string::npos) << text;
}

TEST(ReturnLifecycle, CancelledBeforeTheItemShipsBack) {
  Scenario s;
  delivered_order(s, "A");
  s.submit(s.return_requested("A", {ReturnLine("L2")}, "R1"));
  s.call("return.issue_label", {{"id", "R1"}, {"label", "https://labels.example/R1.pdf"}});
  const Json r = s.call("return.cancel", {{"id", "R1"}, {"reason", "customer kept it"}});
  EXPECT_EQ(r["status"], "cancelled");
  // A cancelled return frees its items for a new request.
  s.submit(s.return_requested("A", {ReturnLine("L2")}, "R2"));
  EXPECT_TRUE((*find_item(s.get_return("R2"), "L2"))["eligible"]);
}

TEST(ReturnLifecycle, ReturnWithARefundCannotBeCancelled) {
  Scenario s(returns_policy({{"auto_approve", true}}));
  delivered_order(s, "A");
  s.submit(s.return_requested("A", {ReturnLine("L2")}, "R1"));
  s.call("return.refund", {{"id", "R1"}, {"amount", 1000}});
  const Json before = everything(s, "R1");
  EXPECT_EQ(s.error("return.cancel", {{"id", "R1"}}).status, OC_ERR_REFUSED);
  EXPECT_EQ(everything(s, "R1"), before);
}

// --- The transition table ---------------------------------------------------

struct ReturnCommandSpec {
  std::string name;
  Json args;  // without id
};

const std::vector<ReturnCommandSpec> kCommands = {
    {"return.approve", Json::object()},
    {"return.reject", {{"reason", "no"}}},
    {"return.issue_label", {{"label", "https://labels.example/R1.pdf"}}},
    {"return.in_transit", Json::object()},
    {"return.receive", {{"items", one_item("L2", 1, "resellable")}}},
    {"return.inspect", {{"items", one_item("L2", 1, "resellable")}}},
    {"return.refund", {{"amount", 500}}},
    {"return.cancel", Json::object()},
};

// Where each command may run (the lifecycle of DESIGN.md) and where it leads.
const std::map<std::string, std::map<std::string, std::string>> kLegal = {
    {"return.approve", {{"requested", "approved"}}},
    {"return.reject", {{"requested", "rejected"}}},
    {"return.issue_label", {{"approved", "label_issued"}}},
    {"return.in_transit", {{"label_issued", "in_transit"}}},
    {"return.receive", {{"approved", "received"}, {"label_issued", "received"}, {"in_transit", "received"}}},
    {"return.inspect", {{"received", "inspected"}}},
    {"return.refund",
     {{"approved", "approved"},
      {"label_issued", "label_issued"},
      {"in_transit", "in_transit"},
      {"received", "received"}}},
    {"return.cancel", {{"requested", "cancelled"}, {"approved", "cancelled"}, {"label_issued", "cancelled"}}},
};

// Legal steps that the arithmetic refuses instead (OC_ERR_REFUSED, tested
// on their own): a refund once the inspection asked for everything, and
// receiving again what was received already.
const std::set<std::pair<std::string, std::string>> kRefusedNotIllegal = {
    {"return.refund", "inspected"}, {"return.receive", "received"}, {"return.receive", "inspected"}};

const std::vector<std::string> kReturnStates = {"requested", "approved", "rejected",  "label_issued", "in_transit",
                                                "received",  "inspected", "closed",   "cancelled"};

// A fresh return R1 for L2 (40.00, no instant refund) in `state`, reached
// with legal commands; auto approval off so "requested" is reachable.
void return_in(Scenario &s, const std::string &state) {
  delivered_order(s, "A");
  s.submit(s.return_requested("A", {ReturnLine("L2", "changed_mind")}, "R1"));
  auto run = [&](const std::string &method, Json args = Json::object()) {
    s.advance(kMinuteMs);
    s.call(method, with_id("R1", std::move(args)));
  };
  if (state == "requested") return;
  if (state == "rejected") return run("return.reject", {{"reason", "no"}});
  if (state == "cancelled") return run("return.cancel");
  run("return.approve");
  if (state == "approved") return;
  run("return.issue_label", {{"label", "https://labels.example/R1.pdf"}});
  if (state == "label_issued") return;
  run("return.in_transit");
  if (state == "in_transit") return;
  run("return.receive", {{"items", one_item("L2", 1, "resellable")}});
  if (state == "received") return;
  run("return.inspect", {{"items", one_item("L2", 1, "resellable")}});
  if (state == "inspected") return;
  s.poll_all();  // the host refunds: the return closes
}

TEST(ReturnTransitions, EveryIllegalCommandIsATransitionErrorAndChangesNothing) {
  for (const std::string &state : kReturnStates) {
    SCOPED_TRACE("state " + state);
    TestHost host;
    Scenario s(host, returns_policy({{"auto_approve", false}}));
    return_in(s, state);
    ASSERT_EQ(s.get_return("R1")["status"], state);
    for (const auto &command : kCommands) {
      if (kLegal.at(command.name).count(state) || kRefusedNotIllegal.count({command.name, state})) continue;
      SCOPED_TRACE(command.name);
      const Json before = everything(s, "R1");
      s.advance(kMinuteMs);
      const CallError e = s.error(command.name, with_id("R1", command.args));
      EXPECT_EQ(e.status, OC_ERR_TRANSITION) << e.message;
      EXPECT_NE(e.message.find(state), std::string::npos) << "the message says the state: " << e.message;
      EXPECT_EQ(everything(s, "R1"), before) << "the return, its case, the outbox and the escalations";
    }
  }
}

TEST(ReturnTransitions, NothingLeftToRefundAfterInspectionIsRefused) {
  Scenario s(returns_policy({{"auto_approve", false}}));
  return_in(s, "inspected");
  const Json before = everything(s, "R1");
  const CallError e = s.error("return.refund", {{"id", "R1"}, {"amount", 500}});
  EXPECT_EQ(e.status, OC_ERR_REFUSED) << e.message;
  EXPECT_EQ(everything(s, "R1"), before);
}

TEST(ReturnTransitions, EveryLegalCommandLeadsWhereTheLifecycleSays) {
  for (const auto &command : kCommands) {
    for (const auto &[from, to] : kLegal.at(command.name)) {
      SCOPED_TRACE(command.name + " from " + from);
      TestHost host;
      Scenario s(host, returns_policy({{"auto_approve", false}}));
      return_in(s, from);
      s.advance(kMinuteMs);
      const Json r = s.call(command.name, with_id("R1", command.args));
      EXPECT_EQ(r["status"], to);
    }
  }
}

// --- Policy -----------------------------------------------------------------

TEST(ReturnPolicy, WindowCountsDaysFromDeliveryAndOurFaultsHaveNoDeadline) {
  Scenario s;
  delivered_order(s, "A");
  delivered_order(s, "B");
  delivered_order(s, "C");
  s.advance(29 * kDayMs);
  s.submit(s.return_requested("A", {ReturnLine("L2", "changed_mind")}, "R-inside"));
  EXPECT_EQ(s.get_return("R-inside")["status"], "approved") << "day 29 of 30";
  s.advance(2 * kDayMs);
  s.submit(s.return_requested("B", {ReturnLine("L2", "changed_mind")}, "R-outside"));
  const Json outside = s.get_return("R-outside");
  EXPECT_EQ(outside["status"], "rejected") << "nothing on it may come back: policy decides (returns.auto_reject)";
  const Json &item = *find_item(outside, "L2");
  EXPECT_FALSE(item["eligible"]);
  EXPECT_NE(item["decision"].get<std::string>().find("outside the 30-day return window"), std::string::npos)
      << item["decision"];
  s.submit(s.return_requested("C", {ReturnLine("L2", "damaged")}, "R-damaged"));
  const Json damaged = s.get_return("R-damaged");
  EXPECT_EQ(damaged["status"], "approved") << "a damaged item is put right whenever it is found";
  EXPECT_TRUE(damaged["store_pays_shipping"]);
}

TEST(ReturnPolicy, ConfiguredWindow) {
  Scenario s(returns_policy({{"window_days", 7}}));
  delivered_order(s, "A");
  s.advance(8 * kDayMs);
  s.submit(s.return_requested("A", {ReturnLine("L2")}, "R1"));
  EXPECT_NE((*find_item(s.get_return("R1"), "L2"))["decision"].get<std::string>().find("7-day"),
            std::string::npos);
}

TEST(ReturnPolicy, FinalSaleAndRejectedConditionsAreDecidedPerItem) {
  Scenario s(returns_policy({{"final_sale_skus", {"SKU-MUG"}}, {"rejected_conditions", {"used", "washed"}}}));
  delivered_order(s, "A");
  s.submit(s.return_requested("A", {ReturnLine("L1", "changed_mind", 1), ReturnLine("L2", "changed_mind", 1, "", "used")},
                              "R1"));
  const Json r = s.get_return("R1");
  EXPECT_EQ(r["status"], "rejected");
  EXPECT_EQ((*find_item(r, "L1"))["decision"], "final-sale item");
  EXPECT_EQ((*find_item(r, "L2"))["decision"], "condition 'used' is not accepted for returns");
  EXPECT_TRUE(mentions(r["decisions"], "nothing on this request can be returned"));
  EXPECT_EQ(amount_of(r["refund_due"]), 0);
}

TEST(ReturnPolicy, PartlyEligibleRequestIsApprovedForTheEligibleItemsOnly) {
  Scenario s(returns_policy({{"final_sale_skus", {"SKU-MUG"}}}));
  delivered_order(s, "A");
  s.submit(s.return_requested("A", {ReturnLine("L1", "changed_mind", 2), ReturnLine("L2")}, "R1"));
  const Json r = s.get_return("R1");
  EXPECT_EQ(r["status"], "approved");
  EXPECT_FALSE((*find_item(r, "L1"))["eligible"]);
  EXPECT_TRUE((*find_item(r, "L2"))["eligible"]);
  EXPECT_EQ(amount_of(r["refund_due"]), 4000);
  EXPECT_EQ(s.error("return.receive", {{"id", "R1"}, {"items", one_item("L1", 1, "resellable")}}).status,
            OC_ERR_REFUSED)
      << "an item that was not accepted cannot be received";
}

TEST(ReturnPolicy, StorePaysShippingForOurFaultsOnly) {
  Scenario s;
  delivered_order(s, "A");
  delivered_order(s, "B");
  delivered_order(s, "C");
  s.submit(s.return_requested("A", {ReturnLine("L2", "wrong_item")}, "R-wrong"));
  s.submit(s.return_requested("B", {ReturnLine("L2", "damaged")}, "R-damaged"));
  s.submit(s.return_requested("C", {ReturnLine("L2", "changed_mind")}, "R-mind"));
  for (const char *id : {"R-wrong", "R-damaged"}) {
    const Json r = s.get_return(id);
    EXPECT_TRUE(r["store_pays_shipping"]) << id;
    EXPECT_TRUE(mentions(r["decisions"], "the store pays return shipping")) << id;
  }
  EXPECT_FALSE(s.get_return("R-mind")["store_pays_shipping"]);
}

TEST(ReturnPolicy, LowValueWrongItemIsKeptAndRefundedAtApproval) {
  TestHost host;
  Scenario s(host);
  delivered_order(s, "A", kAnn, OrderOptions().with_items({LineSpec("SKU-SOCK", 1200), LineSpec("SKU-HAT", 3000)}));
  const Json submitted = s.submit(s.return_requested("A", {ReturnLine("L1", "wrong_item")}, "R1"));
  Json r = s.get_return("R1");
  EXPECT_EQ(r["status"], "approved");
  EXPECT_TRUE(r["keep_item"]) << "12.00 is below the 15.00 keep-item threshold";
  EXPECT_TRUE(mentions(r["decisions"], "the customer keeps the item"));
  EXPECT_TRUE(contains(submitted["effects"], "refund:R1:1")) << "refunded at approval";
  EXPECT_EQ(s.effect("refund:R1:1")["payload"]["reason"], "return kept by customer");
  const Json before = everything(s, "R1");
  EXPECT_EQ(s.error("return.issue_label", {{"id", "R1"}}).status, OC_ERR_REFUSED) << "no label to send";
  EXPECT_EQ(everything(s, "R1"), before);
  s.poll_all();
  r = s.get_return("R1");
  EXPECT_EQ(r["status"], "closed");
  EXPECT_EQ(amount_of(r["refunded"]), 1200);
  EXPECT_TRUE(effects_of_kind(s, "adjust_inventory").empty()) << "nothing comes back to stock";
}

TEST(ReturnPolicy, KeepItemOnlyForItsReasons) {
  Scenario s;
  delivered_order(s, "A", kAnn, OrderOptions().with_items({LineSpec("SKU-SOCK", 1200)}));
  s.submit(s.return_requested("A", {ReturnLine("L1", "changed_mind")}, "R1"));
  const Json r = s.get_return("R1");
  EXPECT_FALSE(r["keep_item"]) << "a change of mind comes back";
  EXPECT_TRUE(r["instant_refund"]) << "12.00 is below the 20.00 instant-refund threshold";
}

TEST(ReturnPolicy, InstantRefundBelowThresholdThenTheReturnClosesWhenInspected) {
  TestHost host;
  Scenario s(host);
  delivered_order(s, "A", kAnn, OrderOptions().with_items({LineSpec("SKU-CAP", 1800)}));
  const Json submitted = s.submit(s.return_requested("A", {ReturnLine("L1", "changed_mind")}, "R1"));
  EXPECT_TRUE(contains(submitted["effects"], "refund:R1:1"));
  EXPECT_EQ(s.effect("refund:R1:1")["payload"]["reason"], "instant refund");
  EXPECT_TRUE(mentions(s.get_return("R1")["decisions"], "below the instant-refund threshold"));
  s.poll_all();
  EXPECT_EQ(s.get_return("R1")["status"], "approved") << "refunded, but the item is still to come back";
  s.call("return.receive", {{"id", "R1"}, {"items", one_item("L1", 1, "resellable")}});
  const Json r = s.call("return.inspect", {{"id", "R1"}});
  EXPECT_EQ(r["status"], "closed");
  EXPECT_EQ(effects_of_kind(s, "refund").size(), 1u) << "no second refund at inspection";
}

TEST(ReturnPolicy, TrustedCustomersAreRefundedAtApprovalWhateverTheAmount) {
  Scenario s;
  delivered_order(s, "A", kTrusted);
  const Json submitted = s.submit(s.return_requested("A", {ReturnLine("L1", "changed_mind", 2)}, "R1"));
  const Json r = s.get_return("R1");
  EXPECT_TRUE(r["instant_refund"]);
  EXPECT_TRUE(mentions(r["decisions"], "trusted customer"));
  EXPECT_EQ(s.effect("refund:R1:1")["payload"]["amount"]["amount"], 5000);
  EXPECT_TRUE(contains(submitted["effects"], "refund:R1:1"));
}

TEST(ReturnPolicy, RestockingFeeOnAChangeOfMind) {
  Scenario s(returns_policy({{"restocking_fee_percent", {{"changed_mind", 15}}}}));
  delivered_order(s, "A");
  delivered_order(s, "B");
  s.submit(s.return_requested("A", {ReturnLine("L2", "changed_mind")}, "R1"));
  Json r = s.get_return("R1");
  EXPECT_EQ(r["restocking_fee"], 600);
  EXPECT_EQ(amount_of(r["refund_due"]), 3400);
  EXPECT_TRUE(mentions(r["decisions"], "restocking fee"));
  s.submit(s.return_received("R1", one_item("L2", 1, "resellable")));
  EXPECT_EQ(s.effect("refund:R1:1")["payload"]["amount"]["amount"], 3400);
  s.submit(s.return_requested("B", {ReturnLine("L2", "damaged")}, "R2"));
  EXPECT_EQ(s.get_return("R2")["restocking_fee"], 0) << "no fee when it is our fault";
}

TEST(ReturnPolicy, ReceiptEventInspectsRestocksAtItsLocationAndRefunds) {
  TestHost host;
  Scenario s(host);
  delivered_order(s, "A");
  s.submit(s.return_requested("A", {ReturnLine("L1", "changed_mind", 2), ReturnLine("L2", "damaged")}, "R1"));
  s.advance(4 * kDayMs);
  Json items = Json::array({{{"line_id", "L1"}, {"quantity", 2}, {"condition", "resellable"}},
                            {{"line_id", "L2"}, {"quantity", 1}, {"condition", "damaged"}}});
  const Json submitted = s.submit(s.return_received("R1", items, "store-7"));
  const Json r = s.get_return("R1");
  EXPECT_EQ(r["status"], "inspected");
  EXPECT_EQ((*find_item(r, "L1"))["disposition"], "restocked");
  EXPECT_EQ((*find_item(r, "L2"))["disposition"], "scrapped");
  std::map<std::string, Json> stock;
  for (const auto &e : effects_of_kind(s, "adjust_inventory")) stock[e["payload"]["sku"]] = e["payload"];
  ASSERT_EQ(stock.size(), 2u);
  EXPECT_EQ(stock["SKU-MUG"]["location"], "store-7") << "back to stock where it was received";
  EXPECT_EQ(stock["SKU-MUG"]["delta"], 2);
  EXPECT_EQ(stock["SKU-MUG"]["reason"], "return_restock");
  EXPECT_EQ(stock["SKU-LAMP"]["location"], "returns_area") << "seed 004: damaged goes to the returns area";
  EXPECT_EQ(stock["SKU-LAMP"]["reason"], "return_damaged");
  EXPECT_TRUE(contains(submitted["effects"], "refund:R1:1"));
  EXPECT_EQ(s.effect("refund:R1:1")["payload"]["amount"]["amount"], 9000);
  s.poll_all();
  EXPECT_EQ(s.get_return("R1")["status"], "closed");
  EXPECT_EQ(host.requests("adjust_inventory").size(), 2u);
}

TEST(ReturnPolicy, WithoutInspectionAtReceiptTheWarehouseInspectsByCommand) {
  Scenario s(returns_policy({{"inspect_on_receipt", false}}));
  delivered_order(s, "A");
  s.submit(s.return_requested("A", {ReturnLine("L2")}, "R1"));
  s.submit(s.return_received("R1", one_item("L2", 1, "damaged")));
  EXPECT_EQ(s.get_return("R1")["status"], "received");
  EXPECT_TRUE(effects_of_kind(s, "refund").empty());
  const Json r = s.call("return.inspect", {{"id", "R1"}});
  EXPECT_EQ(r["status"], "inspected");
  EXPECT_EQ((*find_item(r, "L2"))["disposition"], "scrapped") << "the condition received is kept";
  EXPECT_EQ(effects_of_kind(s, "refund").size(), 1u);
}

TEST(ReturnPolicy, WithoutRefundOnInspectionTheAgentRefunds) {
  TestHost host;
  Scenario s(host, returns_policy({{"refund_on_inspection", false}}));
  delivered_order(s, "A");
  s.submit(s.return_requested("A", {ReturnLine("L2")}, "R1"));
  s.submit(s.return_received("R1", one_item("L2", 1, "resellable")));
  EXPECT_EQ(s.get_return("R1")["status"], "inspected");
  EXPECT_TRUE(effects_of_kind(s, "refund").empty());
  s.call("return.refund", {{"id", "R1"}, {"method", "store_credit"}});
  EXPECT_EQ(s.effect("refund:R1:1")["payload"]["method"], "store_credit");
  EXPECT_EQ(s.effect("refund:R1:1")["payload"]["amount"]["amount"], 4000) << "the amount defaults to what is owed";
  s.poll_all();
  EXPECT_EQ(s.get_return("R1")["status"], "closed");
}

// --- Parcels ----------------------------------------------------------------

Json both_lines_returned(Scenario &s) {
  delivered_order(s, "A");
  s.submit(s.return_requested("A", {ReturnLine("L1", "changed_mind", 2), ReturnLine("L2", "damaged")}, "R1"));
  return s.get_return("R1");
}

TEST(ReturnParcels, TheRefundWaitsUntilEveryItemIsBack) {
  TestHost host;
  Scenario s(host);
  ASSERT_EQ(amount_of(both_lines_returned(s)["refund_due"]), 9000);
  s.submit(s.return_received("R1", one_item("L1", 2, "resellable")));
  Json r = s.get_return("R1");
  EXPECT_EQ(r["status"], "inspected");
  EXPECT_EQ((*find_item(r, "L1"))["disposition"], "restocked");
  EXPECT_TRUE(effects_of_kind(s, "refund").empty()) << "the lamp is not back: nothing refunded for it yet";
  EXPECT_TRUE(mentions(s.get_case(r["case_id"])["follow_ups"], "1 item(s) not received yet"));
  EXPECT_EQ(effects_of_kind(s, "adjust_inventory").size(), 1u);
  // The second parcel.
  s.advance(kDayMs);
  s.submit(s.return_received("R1", one_item("L2", 1, "damaged")));
  r = s.get_return("R1");
  EXPECT_EQ(r["status"], "inspected");
  EXPECT_EQ((*find_item(r, "L2"))["disposition"], "scrapped");
  EXPECT_EQ(effects_of_kind(s, "adjust_inventory").size(), 2u);
  EXPECT_EQ(s.effect("refund:R1:1")["payload"]["amount"]["amount"], 9000);
  s.poll_all();
  EXPECT_EQ(s.get_return("R1")["status"], "closed");
  EXPECT_EQ(host.requests("refund").size(), 1u);
}

TEST(ReturnParcels, ByCommandAndAPartRefundForWhatCameBack) {
  Scenario s(returns_policy({{"inspect_on_receipt", false}}));
  both_lines_returned(s);
  s.call("return.receive", {{"id", "R1"}, {"items", one_item("L1", 2, "resellable")}});
  s.call("return.inspect", {{"id", "R1"}});
  EXPECT_TRUE(effects_of_kind(s, "refund").empty());
  EXPECT_EQ(s.call("return.receive", {{"id", "R1"}, {"items", one_item("L2", 1, "damaged")}})["status"], "received");
  EXPECT_EQ(s.call("return.inspect", {{"id", "R1"}})["status"], "inspected");
  EXPECT_EQ(s.effect("refund:R1:1")["payload"]["amount"]["amount"], 9000);

  // The lamp never comes back: the agent refunds what did.
  Scenario t(returns_policy({{"inspect_on_receipt", false}}));
  both_lines_returned(t);
  t.call("return.receive", {{"id", "R1"}, {"items", one_item("L1", 2, "resellable")}});
  t.call("return.inspect", {{"id", "R1"}});
  const Json r = t.call("return.refund", {{"id", "R1"}, {"amount", 5000}});
  EXPECT_EQ(r["refunds"][0]["amount"]["amount"], 5000);
}

// --- Bad input (issue 4, point 6) --------------------------------------------

TEST(ReturnBadInput, RefundAboveWhatRemainsIsRefusedAndChangesNothing) {
  Scenario s;
  delivered_order(s, "A");
  s.submit(s.return_requested("A", {ReturnLine("L2")}, "R1"));
  const Json before = everything(s, "R1");
  CallError e = s.error("return.refund", {{"id", "R1"}, {"amount", 4001}});
  EXPECT_EQ(e.status, OC_ERR_REFUSED);
  EXPECT_NE(e.message.find("R1"), std::string::npos) << e.message;
  e = s.error("order.refund", {{"order_id", "A"}, {"amount", 9001}, {"reason", "goodwill"}});
  EXPECT_EQ(e.status, OC_ERR_REFUSED) << e.message;
  EXPECT_EQ(everything(s, "R1"), before);
  EXPECT_TRUE(effects_of_kind(s, "refund").empty());
}

TEST(ReturnBadInput, UnknownReturnIdIsNotFound) {
  Scenario s;
  delivered_order(s, "A");
  for (const auto &command : kCommands) {
    SCOPED_TRACE(command.name);
    EXPECT_EQ(s.error(command.name, with_id("R-nope", command.args)).status, OC_ERR_NOT_FOUND);
  }
  EXPECT_EQ(s.error("return.get", {{"id", "R-nope"}}).status, OC_ERR_NOT_FOUND);
  EXPECT_EQ(s.error("order.refund", {{"order_id", "nope"}, {"amount", 100}, {"reason", "x"}}).status,
            OC_ERR_NOT_FOUND);
  EXPECT_TRUE(effects_of_kind(s, "refund").empty());
}

// A refund filed under a case must name a case of that order: before, an
// unknown case_id was taken and the refund hung on nothing.
TEST(ReturnBadInput, AnOrderRefundUnderAnUnknownCaseIsNotFoundAndChangesNothing) {
  Scenario s;
  delivered_order(s, "A");
  delivered_order(s, "B");
  const std::string case_of_b = s.submit(s.message(kAnn, "B", "email", "Where is my refund?"))["cases"][0];
  const Json order_before = s.call("order.get", {{"id", "A"}});
  for (const std::string &case_id : {std::string("C-nope"), case_of_b}) {
    SCOPED_TRACE(case_id);
    const CallError e =
        s.error("order.refund", {{"order_id", "A"}, {"amount", 100}, {"reason", "x"}, {"case_id", case_id}});
    EXPECT_EQ(e.status, OC_ERR_NOT_FOUND);
    EXPECT_NE(e.message.find(case_id), std::string::npos) << e.message;
  }
  EXPECT_EQ(s.call("order.get", {{"id", "A"}}), order_before);
  EXPECT_TRUE(effects_of_kind(s, "refund").empty());
}

TEST(ReturnBadInput, ReturnForAnUnknownOrderWaitsForItAndAsksTheHost) {
  Scenario s;
  const Json submitted = s.submit(s.return_requested("GHOST", {ReturnLine("L1")}, "R1"));
  EXPECT_EQ(submitted["status"], "accepted");
  EXPECT_EQ(s.error("return.get", {{"id", "R1"}}).status, OC_ERR_NOT_FOUND) << "parked, not applied";
  const Json lookup = s.effect("lookup_order:GHOST");
  EXPECT_EQ(lookup["kind"], "lookup_order");
  EXPECT_EQ(lookup["payload"]["order_id"], "GHOST");
  // The order arrives: the parked request runs.
  s.submit(s.order_created("GHOST", kAnn));
  EXPECT_EQ(s.get_return("R1")["order_id"], "GHOST");
}

TEST(ReturnBadInput, UnknownLineAndTooManyItemsAreIneligibleWithTheReason) {
  Scenario s;
  delivered_order(s, "A");
  s.submit(s.return_requested("A", {ReturnLine("L9"), ReturnLine("L2", "changed_mind", 3)}, "R1"));
  const Json r = s.get_return("R1");
  EXPECT_EQ(r["status"], "rejected");
  EXPECT_EQ((*find_item(r, "L9"))["decision"], "no line L9 on order A");
  EXPECT_EQ((*find_item(r, "L2"))["decision"], "only 1 of line L2 can still be returned");
  // Across returns: what an earlier return holds cannot be returned again.
  s.submit(s.return_requested("A", {ReturnLine("L1", "changed_mind", 2)}, "R2"));
  s.submit(s.return_requested("A", {ReturnLine("L1", "changed_mind", 1)}, "R3"));
  EXPECT_EQ((*find_item(s.get_return("R3"), "L1"))["decision"], "only 0 of line L1 can still be returned");
}

// A request that lists a line twice is checked on the quantities added up:
// two listings of 2 on a line of 2 return 2, not 4.
TEST(ReturnBadInput, ALineListedTwiceIsOneItemCheckedOnItsTotalQuantity) {
  Scenario s;
  delivered_order(s, "A");  // L1: 2 x 25.00
  s.submit(s.return_requested("A", {ReturnLine("L1", "changed_mind", 2), ReturnLine("L1", "changed_mind", 2)}, "R1"));
  Json r = s.get_return("R1");
  ASSERT_EQ(r["items"].size(), 1u) << r["items"];
  EXPECT_EQ(r["items"][0]["quantity"], 4);
  EXPECT_EQ(r["items"][0]["eligible"], false);
  EXPECT_EQ(r["items"][0]["decision"], "only 2 of line L1 can still be returned");
  EXPECT_EQ(r["status"], "rejected");
  EXPECT_EQ(amount_of(r["refund_due"]), 0);
  EXPECT_TRUE(mentions(r["decisions"], "line L1 listed 2 times")) << r["decisions"];

  s.submit(s.return_requested("A", {ReturnLine("L1", "damaged"), ReturnLine("L1", "changed_mind")}, "R2"));
  r = s.get_return("R2");
  ASSERT_EQ(r["items"].size(), 1u) << r["items"];
  EXPECT_EQ(r["items"][0]["quantity"], 2);
  EXPECT_EQ(r["items"][0]["eligible"], true);
  EXPECT_EQ(r["items"][0]["reason"], "damaged") << "the first listing's reason";
  EXPECT_EQ(amount_of(r["refund_due"]), 5000);
  s.submit(s.return_requested("A", {ReturnLine("L1")}, "R3"));
  EXPECT_EQ((*find_item(s.get_return("R3"), "L1"))["decision"], "only 0 of line L1 can still be returned");
}

TEST(ReturnBadInput, ReceivingAnItemTwiceIsRefusedAndChangesNothing) {
  Scenario s(returns_policy({{"inspect_on_receipt", false}}));
  delivered_order(s, "A");
  s.submit(s.return_requested("A", {ReturnLine("L1", "changed_mind", 2), ReturnLine("L2")}, "R1"));
  s.call("return.receive", {{"id", "R1"}, {"items", one_item("L1", 2, "resellable")}});
  Json before = everything(s, "R1");
  CallError e = s.error("return.receive", {{"id", "R1"}, {"items", one_item("L1", 1, "resellable")}});
  EXPECT_EQ(e.status, OC_ERR_REFUSED) << e.message;
  EXPECT_EQ(everything(s, "R1"), before);
  // The rest of the return may still arrive in another parcel.
  const Json r = s.call("return.receive", {{"id", "R1"}, {"items", one_item("L2", 1, "damaged")}});
  EXPECT_EQ(r["status"], "received");
  EXPECT_EQ((*find_item(r, "L2"))["received"], 1);
}

// A receipt that lists a line twice is checked on the quantities added up:
// two listings of 2 of a line of 2 are more than is expected.
TEST(ReturnBadInput, AReceiptListingALineTwiceIsCheckedOnItsTotalQuantity) {
  Scenario s(returns_policy({{"inspect_on_receipt", false}}));
  delivered_order(s, "A");
  s.submit(s.return_requested("A", {ReturnLine("L1", "changed_mind", 2)}, "R1"));
  const Json before = everything(s, "R1");
  const Json twice = Json::array({{{"line_id", "L1"}, {"quantity", 2}, {"condition", "resellable"}},
                                  {{"line_id", "L1"}, {"quantity", 2}, {"condition", "resellable"}}});
  const CallError e = s.error("return.receive", {{"id", "R1"}, {"items", twice}});
  EXPECT_EQ(e.status, OC_ERR_REFUSED) << e.message;
  EXPECT_EQ(everything(s, "R1"), before);
  const Json halves = Json::array({{{"line_id", "L1"}, {"quantity", 1}, {"condition", "resellable"}},
                                   {{"line_id", "L1"}, {"quantity", 1}, {"condition", "resellable"}}});
  EXPECT_EQ((*find_item(s.call("return.receive", {{"id", "R1"}, {"items", halves}}), "L1"))["received"], 2);
}

TEST(ReturnBadInput, AReceiptEventForItemsReceivedAlreadyIsLoggedAndChangesNothing) {
  Scenario s;
  delivered_order(s, "A");
  s.submit(s.return_requested("A", {ReturnLine("L2")}, "R1"));
  s.submit(s.return_received("R1", one_item("L2", 1, "resellable")));
  const Json before_return = s.get_return("R1");
  const Json before_effects = s.effects();
  const Json again = s.submit(s.return_received("R1", one_item("L2", 1, "resellable")));
  EXPECT_EQ(again["status"], "accepted") << "the warehouse's report is kept in the log";
  EXPECT_TRUE(again["effects"].empty());
  EXPECT_EQ(s.get_return("R1"), before_return);
  EXPECT_EQ(s.effects(), before_effects);
  const auto rejected = log_of(s.get_case(case_of_return(s, "R1")), "event");
  ASSERT_FALSE(rejected.empty());
  EXPECT_TRUE(rejected.back()["details"].contains("rejected")) << rejected.back();
}

TEST(ReturnBadInput, AReceiptEventForAnUnknownReturnChangesNothing) {
  Scenario s;
  delivered_order(s, "A");
  const Json before = s.effects();
  const Json result = s.submit(s.return_received("R-nope", one_item("L2", 1, "resellable")));
  EXPECT_EQ(result["status"], "accepted");
  EXPECT_EQ(s.effects(), before);
  EXPECT_TRUE(s.returns().empty());
}

// --- Refund arithmetic ------------------------------------------------------

TEST(RefundArithmetic, ThresholdsAndFeesScaleWithTheCurrencysDecimals) {
  Scenario s(returns_policy({{"restocking_fee_percent", {{"changed_mind", 15}}}}));
  // JPY has no minor unit: 1000 yen is well above the 20 yen threshold.
  delivered_order(s, "J", kAnn, OrderOptions().in("JPY").with_items({LineSpec("SKU-J", 4980), LineSpec("SKU-J2", 1000)}));
  s.submit(s.return_requested("J", {ReturnLine("L1", "changed_mind"), ReturnLine("L2", "changed_mind")}, "RJ"));
  Json r = s.get_return("RJ");
  EXPECT_FALSE(r["instant_refund"]);
  EXPECT_EQ(r["restocking_fee"], 747 + 150) << "15% of 4980 and of 1000 yen, in whole yen";
  EXPECT_EQ(r["refund_due"], (Json{{"amount", 5980 - 897}, {"currency", "JPY"}}));
  s.submit(s.return_received("RJ", Json::array({{{"line_id", "L1"}, {"quantity", 1}, {"condition", "resellable"}},
                                                 {{"line_id", "L2"}, {"quantity", 1}, {"condition", "resellable"}}})));
  EXPECT_EQ(s.effect("refund:RJ:1")["payload"]["amount"], (Json{{"amount", 5083}, {"currency", "JPY"}}));

  // KWD has three decimals: 12.345 KWD is below 15 KWD (keep the item) and
  // below 20 KWD.
  delivered_order(s, "K", kAnn, OrderOptions().in("KWD").with_items({LineSpec("SKU-K", 12345), LineSpec("SKU-K2", 12345)}));
  s.submit(s.return_requested("K", {ReturnLine("L1", "damaged")}, "RK1"));
  r = s.get_return("RK1");
  EXPECT_TRUE(r["keep_item"]);
  EXPECT_EQ(s.effect("refund:RK1:1")["payload"]["amount"], (Json{{"amount", 12345}, {"currency", "KWD"}}));
  s.submit(s.return_requested("K", {ReturnLine("L2", "changed_mind")}, "RK2"));
  r = s.get_return("RK2");
  EXPECT_TRUE(r["instant_refund"]);
  EXPECT_EQ(r["restocking_fee"], 1851) << "15% of 12.345 KWD is 1.85175, kept in whole fils";
  EXPECT_EQ(s.effect("refund:RK2:1")["payload"]["amount"]["amount"], 12345 - 1851);

  // The same 12.00 in USD minor units is below the thresholds too.
  delivered_order(s, "U", kAnn, OrderOptions().with_items({LineSpec("SKU-U", 1200)}));
  s.submit(s.return_requested("U", {ReturnLine("L1", "damaged")}, "RU"));
  EXPECT_TRUE(s.get_return("RU")["keep_item"]);
}

TEST(RefundArithmetic, NeverMoreThanPaidAcrossReturnsAndOrderRefunds) {
  TestHost host;
  Scenario s(host);
  delivered_order(s, "A");  // 90.00 paid
  Json result = s.call("order.refund", {{"order_id", "A"}, {"amount", 1500}, {"reason", "late delivery"}});
  EXPECT_EQ(result["refundable"]["amount"], 7500);
  s.submit(s.return_requested("A", {ReturnLine("L1", "changed_mind", 1)}, "R1"));
  s.call("return.refund", {{"id", "R1"}, {"amount", 1000}});  // part now, the rest after inspection
  s.submit(s.return_received("R1", one_item("L1", 1, "resellable")));
  EXPECT_EQ(s.effect("refund:R1:2")["payload"]["amount"]["amount"], 1500) << "25.00 less the 10.00 already out";
  s.submit(s.return_requested("A", {ReturnLine("L1", "changed_mind", 1), ReturnLine("L2")}, "R2"));
  s.poll_all();
  // Paid 90.00; committed 15.00 + 25.00 = 40.00; R2 is owed 65.00 but only
  // 50.00 remains of the order.
  EXPECT_EQ(s.error("return.refund", {{"id", "R2"}, {"amount", 5001}}).status, OC_ERR_REFUSED);
  s.call("return.refund", {{"id", "R2"}, {"amount", 5000}});
  EXPECT_EQ(s.error("order.refund", {{"order_id", "A"}, {"amount", 1}, {"reason", "more"}}).status, OC_ERR_REFUSED);
  s.poll_all();
  std::int64_t sent = 0;
  std::set<std::string> keys;
  for (const auto &request : host.requests("refund")) {
    if (keys.insert(request.key).second) sent += request.body["amount"]["amount"].get<std::int64_t>();
  }
  EXPECT_EQ(sent, 9000) << "everything paid went back, and not a cent more";
}

// A second order.created for a known order is a correction of its lines
// and total, never a new identity: another customer or currency is refused,
// and so is a total below what was refunded or a line below what a return
// holds. A refused one changes nothing, so the refund ceiling stays put.
TEST(RefundArithmetic, ASecondOrderCreatedCorrectsLinesAndTotalButNeverTheOrdersIdentity) {
  Scenario s;
  delivered_order(s, "A");  // Ann, 90.00: L1 2 x 25.00, L2 1 x 40.00
  s.call("order.refund", {{"order_id", "A"}, {"amount", 5000}, {"reason", "late delivery"}});
  s.submit(s.return_requested("A", {ReturnLine("L1", "changed_mind", 2)}, "R1"));
  const Json before = s.call("order.get", {{"id", "A"}});
  const Json events_before = s.call("events.list", {{"limit", 1000}});
  struct Bad {
    Json event;
    std::string field;
  };
  const std::vector<LineSpec> rich = {LineSpec("SKU-MUG", 2500, 2), LineSpec("SKU-LAMP", 4000, 1),
                                      LineSpec("SKU-GOLD", 100'000'000, 1)};
  const std::vector<Bad> bad = {
      {s.order_created("A", CustomerSpec("c-mallory", "Mallory"), OrderOptions().with_items(rich)),
       "data.order.customer.id"},
      {s.order_created("A", kAnn, OrderOptions().with_items(rich).in("EUR")), "data.order.currency"},
      {s.order_created("A", kAnn, OrderOptions().with_items({LineSpec("SKU-MUG", 2500, 2)}).with_total(4999)),
       "data.order.total"},
      {s.order_created("A", kAnn, OrderOptions().with_items({LineSpec("SKU-MUG", 2500, 1), LineSpec("SKU-LAMP", 9000, 1)})),
       "data.order.items"},
  };
  for (const auto &b : bad) {
    const CallError e = s.submit_error(b.event);
    EXPECT_EQ(e.status, OC_ERR_REFUSED) << b.event;
    EXPECT_EQ(e.message.rfind(b.field + ":", 0), 0u) << e.message;
  }
  EXPECT_EQ(s.call("order.get", {{"id", "A"}}), before);
  EXPECT_EQ(s.call("events.list", {{"limit", 1000}}), events_before) << "a refused event is not stored";
  EXPECT_EQ(s.error("order.refund", {{"order_id", "A"}, {"amount", 4001}, {"reason", "more"}}).status, OC_ERR_REFUSED)
      << "the ceiling is still 90.00";

  // The same customer and currency: the lines and total are corrected, the
  // order keeps its status, and the ceiling follows the new total.
  s.submit(s.order_created("A", kAnn, OrderOptions().with_items(rich)));
  const Json after = s.call("order.get", {{"id", "A"}});
  EXPECT_EQ(after["total"], 100'009'000);
  EXPECT_EQ(after["status"], before["status"]);
  EXPECT_EQ(after["customer_id"], "c-ann");
  EXPECT_EQ(s.call("order.refund", {{"order_id", "A"}, {"amount", 4001}, {"reason", "more"}})["refundable"]["amount"],
            100'009'000 - after["refunded"].get<std::int64_t>() - 4001);
}

TEST(RefundArithmetic, ReceiptAfterTheOrderWasRefundedElsewhereRefundsOnlyWhatRemains) {
  TestHost host;
  Scenario s(host);
  delivered_order(s, "A");  // 90.00 paid
  s.submit(s.return_requested("A", {ReturnLine("L2")}, "R1"));  // 40.00 owed on receipt
  s.call("order.refund", {{"order_id", "A"}, {"amount", 7000}, {"reason", "goodwill"}});
  // The warehouse's receipt is a fact: it is recorded and restocked even
  // though only 20.00 of the order is left to refund.
  const Json result = s.submit(s.return_received("R1", one_item("L2", 1, "resellable")));
  EXPECT_EQ(result["status"], "accepted");
  EXPECT_EQ(s.get_return("R1")["status"], "inspected");
  EXPECT_EQ(effects_of_kind(s, "adjust_inventory").size(), 1u);
  EXPECT_EQ(s.effect("refund:R1:1")["payload"]["amount"]["amount"], 2000);
  s.poll_all();
  std::int64_t sent = 0;
  for (const auto &request : host.requests("refund")) sent += request.body["amount"]["amount"].get<std::int64_t>();
  EXPECT_EQ(sent, 9000);
}

TEST(RefundArithmetic, InstantRefundOnAnOrderAlreadyRefundedIsCappedNotRefused) {
  Scenario s;
  delivered_order(s, "A", kTrusted);  // 90.00 paid
  s.call("order.refund", {{"order_id", "A"}, {"amount", 8000}, {"reason", "goodwill"}});
  const Json result = s.submit(s.return_requested("A", {ReturnLine("L2")}, "R1"));
  EXPECT_EQ(result["status"], "accepted") << "the customer's request is kept";
  EXPECT_EQ(s.get_return("R1")["status"], "approved");
  EXPECT_EQ(s.effect("refund:R1:1")["payload"]["amount"]["amount"], 1000);
}

// --- The host's answer to a refund --------------------------------------------

// A case's escalations to finance (SLA timers may add others as time passes).
Json to_finance(const Json &c) {
  Json out = Json::array();
  for (const auto &e : c["escalations"])
    if (e["to"] == "finance") out.push_back(e);
  return out;
}

// A return R1 of L2 (40.00) received and inspected: refund:R1:1 is out.
std::string inspected_return(Scenario &s) {
  delivered_order(s, "A");
  s.submit(s.return_requested("A", {ReturnLine("L2")}, "R1"));
  s.advance(2 * kDayMs);
  s.submit(s.return_received("R1", one_item("L2", 1, "resellable")));
  return case_of_return(s, "R1");
}

TEST(RefundAnswers, DoneClosesTheReturnNotifiesAndLogsTheProcessingTime) {
  TestHost host;
  host.on("refund", [](const HostRequest &) { return HostReply{OC_OUTCOME_DONE, {{"host_reference", "re_123"}}}; });
  Scenario s(host);
  const std::string case_id = inspected_return(s);
  s.advance(kHourMs);
  s.poll_all();
  const Json r = s.get_return("R1");
  EXPECT_EQ(r["status"], "closed");
  EXPECT_EQ(r["refunds"][0]["note"], "re_123");
  const Json c = s.get_case(case_id);
  EXPECT_TRUE(contains(Json(s.notices_of(case_id)), "customer:refund_issued"));
  bool logged = false;
  for (const auto &entry : log_of(c, "refund"))
    if (entry["details"].value("status", "") == "succeeded") {
      logged = true;
      EXPECT_EQ(entry["details"]["processing_ms"], 2 * kDayMs + kHourMs) << "from the request to the refund";
      EXPECT_EQ(entry["details"]["within_target"], true) << "seed 000: under 7 days";
    }
  EXPECT_TRUE(logged) << c["log"];
  const auto notices = host.requests("notify");
  bool refund_notice = false;
  for (const auto &n : notices)
    if (n.body["message"]["template"] == "refund_issued") {
      refund_notice = true;
      EXPECT_NE(n.body["message"]["text"].get<std::string>().find("40.00"), std::string::npos) << n.body;
    }
  EXPECT_TRUE(refund_notice);
}

TEST(RefundAnswers, RejectedReleasesTheAmountNotesAndEscalatesToFinance) {
  TestHost host;
  host.on("refund", [](const HostRequest &) { return HostReply{OC_OUTCOME_REJECTED, {{"reason", "card expired"}}}; });
  Scenario s(host);
  const std::string case_id = inspected_return(s);
  s.poll_all();
  Json r = s.get_return("R1");
  EXPECT_EQ(r["status"], "inspected") << "not refunded";
  ASSERT_EQ(r["refunds"].size(), 1u);
  EXPECT_EQ(r["refunds"][0]["status"], "failed");
  EXPECT_EQ(r["refunds"][0]["note"], "card expired");
  EXPECT_EQ(s.effect("refund:R1:1")["status"], "failed");
  const Json c = s.get_case(case_id);
  EXPECT_EQ(c["status"], "escalated");
  bool noted = false;
  for (const auto &entry : log_of(c, "refund"))
    if (entry["details"].value("status", "") == "failed") {
      noted = true;
      EXPECT_EQ(entry["details"]["reason"], "card expired");
    }
  EXPECT_TRUE(noted);
  const Json finance = to_finance(c);
  ASSERT_EQ(finance.size(), 1u) << c["escalations"];
  EXPECT_NE(finance[0]["reason"].get<std::string>().find("card expired"), std::string::npos);
  // The amount is free again: the agent refunds it another way.
  host.on("refund", [](const HostRequest &) { return HostReply{}; });
  r = s.call("return.refund", {{"id", "R1"}, {"method", "store_credit"}});
  EXPECT_EQ(r["refunds"][1]["amount"]["amount"], 4000);
  s.poll_all();
  EXPECT_EQ(s.get_return("R1")["status"], "closed");
}

TEST(RefundAnswers, RetryLaterBacksOffUnderTheSameKey) {
  TestHost host;
  host.on("refund", [](const HostRequest &) { return HostReply{OC_OUTCOME_RETRY_LATER}; });
  Scenario s(host, {{"outbox", {{"base_backoff", "10s"}, {"max_backoff", "1h"}, {"jitter", 0.5}}}});
  inspected_return(s);
  const TimeMs answered = s.now();
  s.poll_all();
  Json e = s.effect("refund:R1:1");
  EXPECT_EQ(e["status"], "pending");
  EXPECT_EQ(e["attempts"], 1);
  const TimeMs next = *parse_rfc3339(e["next_attempt_at"].get<std::string>());
  EXPECT_GE(next, answered + 10 * kSecondMs);
  EXPECT_LE(next, answered + 15 * kSecondMs);
  EXPECT_EQ(s.poll(), 0u) << "not due yet";
  s.set_now(next);
  host.on("refund", [](const HostRequest &) { return HostReply{}; });
  s.poll_all();
  const auto asked = host.requests("refund");
  ASSERT_EQ(asked.size(), 2u);
  EXPECT_EQ(asked[1].key, asked[0].key);
  EXPECT_EQ(asked[1].attempt, 2u);
  EXPECT_EQ(s.get_return("R1")["status"], "closed");
}

TEST(RefundAnswers, PendingThenResultSucceededCloses) {
  TestHost host;
  host.on("refund", [](const HostRequest &) { return HostReply{OC_OUTCOME_PENDING}; });
  Scenario s(host);
  const std::string case_id = inspected_return(s);
  s.poll_all();
  Json r = s.get_return("R1");
  EXPECT_EQ(r["status"], "inspected");
  EXPECT_EQ(r["refunds"][0]["status"], "pending");
  EXPECT_EQ(s.effect("refund:R1:1")["status"], "done") << "the host has it; the event completes it";
  s.advance(8 * kDayMs);
  s.submit(s.refund_result("refund:R1:1", "succeeded", 4000));
  r = s.get_return("R1");
  EXPECT_EQ(r["status"], "closed");
  EXPECT_EQ(r["refunds"][0]["status"], "succeeded");
  bool logged = false;
  for (const auto &entry : log_of(s.get_case(case_id), "refund"))
    if (entry["details"].value("status", "") == "succeeded") {
      logged = true;
      EXPECT_EQ(entry["details"]["within_target"], false) << "over 7 days";
    }
  EXPECT_TRUE(logged);
  // A late duplicate result changes nothing.
  const Json before = everything(s, "R1");
  s.submit(s.refund_result("refund:R1:1", "failed"));
  EXPECT_EQ(everything(s, "R1"), before);
}

TEST(RefundAnswers, PendingThenResultFailedReleasesAndEscalates) {
  TestHost host;
  host.on("refund", [](const HostRequest &) { return HostReply{OC_OUTCOME_PENDING}; });
  Scenario s(host);
  const std::string case_id = inspected_return(s);
  s.poll_all();
  Json failed = s.refund_result("refund:R1:1", "failed");
  failed["data"]["reason"] = "bank declined";
  s.submit(failed);
  const Json r = s.get_return("R1");
  EXPECT_EQ(r["refunds"][0]["status"], "failed");
  EXPECT_EQ(amount_of(r["refunded"]), 0);
  const Json c = s.get_case(case_id);
  EXPECT_EQ(c["status"], "escalated");
  const Json finance = to_finance(c);
  ASSERT_EQ(finance.size(), 1u) << c["escalations"];
  EXPECT_NE(finance[0]["reason"].get<std::string>().find("bank declined"), std::string::npos);
  EXPECT_EQ(s.call("order.refund", {{"order_id", "A"}, {"amount", 9000}, {"reason", "all of it"}})["refundable"]["amount"], 0)
      << "the failed 40.00 counts no more";
}

TEST(RefundAnswers, AFailedRefundOutsideAnyCaseOpensACaseForFinance) {
  TestHost host;
  host.on("refund", [](const HostRequest &) { return HostReply{OC_OUTCOME_REJECTED, {{"reason", "account closed"}}}; });
  Scenario s(host);
  delivered_order(s, "A");
  s.call("order.refund", {{"order_id", "A"}, {"amount", 1500}, {"reason", "late delivery"}});
  EXPECT_TRUE(s.cases_of_order("A").empty()) << "a refund alone is no case";
  s.poll_all();
  EXPECT_EQ(s.effect("refund:order:A:1")["status"], "failed");
  const Json cases = s.cases_of_order("A");
  ASSERT_EQ(cases.size(), 1u) << "a person must hear of it";
  const Json c = s.get_case(cases[0]["id"]);
  EXPECT_EQ(c["type"], "refund");
  EXPECT_EQ(c["status"], "escalated");
  const Json finance = to_finance(c);
  ASSERT_EQ(finance.size(), 1u) << c["escalations"];
  EXPECT_NE(finance[0]["reason"].get<std::string>().find("account closed"), std::string::npos);
  // Likewise when the host reports the failure later.
  host.on("refund", [](const HostRequest &) { return HostReply{OC_OUTCOME_PENDING}; });
  s.call("order.refund", {{"order_id", "A"}, {"amount", 1000}, {"reason", "goodwill"}});
  s.poll_all();
  s.submit(s.refund_result("refund:order:A:2", "failed"));
  bool logged = false;
  for (const auto &entry : log_of(s.get_case(cases[0]["id"]), "refund"))
    logged = logged || entry["details"].value("refund_id", "") == "refund:order:A:2";
  EXPECT_TRUE(logged) << "the same refund case hears of the second failure";
}

// A return named like another order (RMA-77 of order A, and order RMA-77)
// gave both refunds the key refund:RMA-77:1; the second was dropped and
// stayed "requested" for ever. Keys are unique by construction now.
TEST(RefundAnswers, AReturnNamedLikeAnotherOrderKeepsItsRefundApart) {
  TestHost host;
  Scenario s(host);
  s.submit(s.order_created("A", kAnn, OrderOptions().with_items({LineSpec("SKU-A", 1000)})));
  s.submit(s.order_updated("A", "delivered"));
  s.submit(s.order_created("RMA-77", kAnn, OrderOptions().with_items({LineSpec("SKU-B", 3000)})));
  s.submit(s.order_updated("RMA-77", "delivered"));
  s.submit(s.return_requested("A", {ReturnLine("L1", "wrong_item")}, "RMA-77"));
  s.call("order.refund", {{"order_id", "RMA-77"}, {"amount", 500}, {"reason", "late"}});
  s.poll_all();
  std::set<std::string> keys;
  for (const auto &r : host.requests("refund")) keys.insert(r.key);
  EXPECT_EQ(keys.size(), 2u) << "two refunds, two keys";
  for (const auto &e : s.effects({{"kind", "refund"}})) EXPECT_EQ(e["status"], "done") << e["id"];
  EXPECT_EQ(s.call("order.get", {{"id", "RMA-77"}})["refunds"][0]["status"], "succeeded");
  EXPECT_EQ(s.call("order.get", {{"id", "A"}})["refunds"][0]["status"], "succeeded");
}

TEST(RefundAnswers, ResultForAnUnknownRefundChangesNothing) {
  Scenario s;
  const std::string case_id = inspected_return(s);
  const Json before = everything(s, "R1");
  const Json result = s.submit(s.refund_result("refund:R-nope:1", "succeeded"));
  EXPECT_EQ(result["status"], "accepted");
  EXPECT_EQ(everything(s, "R1")["return"], before["return"]);
  EXPECT_EQ(everything(s, "R1")["effects"], before["effects"]);
}

// --- Inventory discrepancy ----------------------------------------------------

TEST(InventoryDiscrepancy, AdjustsStockAndOffersChoicesToTheOrdersTheShortfallHits) {
  TestHost host;
  Scenario s(host);
  // Open orders holding SKU-X, oldest first; one already shipped.
  s.submit(s.order_created("SHIPPED", CustomerSpec("c0"), OrderOptions().with_items({LineSpec("SKU-X", 1000, 5)})));
  s.submit(s.order_updated("SHIPPED", "shipped"));
  const std::vector<std::pair<std::string, std::int64_t>> open = {{"O1", 2}, {"O2", 1}, {"O3", 2}, {"O4", 1}};
  for (const auto &[id, quantity] : open) {
    s.advance(kMinuteMs);
    s.submit(s.order_created(id, CustomerSpec("c-" + id, "Name " + id), OrderOptions().with_items({LineSpec("SKU-X", 1000, quantity)})));
  }
  s.advance(kHourMs);
  const Json event = s.inventory_discrepancy("SKU-X", "main", 10, 3);
  const Json result = s.submit(event);
  const std::string event_id = event["id"];
  const Json adjust = s.effect("inventory:" + event_id);
  EXPECT_EQ(adjust["kind"], "adjust_inventory");
  EXPECT_EQ(adjust["payload"]["delta"], -7) << "physical - system";
  EXPECT_EQ(adjust["payload"]["sku"], "SKU-X");
  EXPECT_EQ(adjust["payload"]["location"], "main");
  EXPECT_TRUE(contains(result["effects"], "inventory:" + event_id));

  // 3 on the shelf cover O1 (2) and O2 (1); O3 and O4 are hit.
  for (const char *covered : {"O1", "O2", "SHIPPED"}) EXPECT_TRUE(s.cases_of_order(covered).empty()) << covered;
  for (const char *hit : {"O3", "O4"}) {
    SCOPED_TRACE(hit);
    const Json c = s.only_case(hit);
    EXPECT_EQ(c["type"], "out_of_stock");
    const auto notices = s.notices_of(c["id"]);
    EXPECT_TRUE(contains(Json(notices), "customer:out_of_stock_choice")) << Json(notices);
    EXPECT_TRUE(contains(Json(notices), "team:warehouse:team_cs_request")) << Json(notices);
  }
  // The inventory case lists them.
  const Json inventory_cases = s.cases({{"type", "inventory_discrepancy"}});
  ASSERT_EQ(inventory_cases.size(), 1u);
  const Json inventory_case = s.get_case(inventory_cases[0]["id"]);
  bool listed = false;
  for (const auto &entry : log_of(inventory_case, "event"))
    if (entry["details"].contains("affected_orders")) {
      listed = true;
      EXPECT_EQ(entry["details"]["affected_orders"],
                Json::array({{{"order_id", "O3"}, {"short_by", 2}}, {{"order_id", "O4"}, {"short_by", 1}}}));
    }
  EXPECT_TRUE(listed);
  s.poll_all();
  const auto adjustments = host.requests("adjust_inventory");
  ASSERT_EQ(adjustments.size(), 1u);
  EXPECT_EQ(adjustments[0].body["delta"], -7);
}

TEST(InventoryDiscrepancy, MoreOnTheShelfThanTheSystemSaysHitsNobody) {
  Scenario s;
  s.submit(s.order_created("O1", CustomerSpec("c1"), OrderOptions().with_items({LineSpec("SKU-X", 1000, 2)})));
  const Json event = s.inventory_discrepancy("SKU-X", "main", 1, 4);
  s.submit(event);
  EXPECT_EQ(s.effect("inventory:" + event["id"].get<std::string>())["payload"]["delta"], 3);
  EXPECT_TRUE(s.cases_of_order("O1").empty());
  // A count that agrees adjusts nothing.
  const Json same = s.inventory_discrepancy("SKU-X", "main", 4, 4);
  s.submit(same);
  for (const auto &e : s.effects({{"kind", "adjust_inventory"}}))
    EXPECT_NE(e["id"], "inventory:" + same["id"].get<std::string>());
}

}  // namespace
}  // namespace ordercare::testing
