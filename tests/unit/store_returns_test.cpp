// Seed 004 "Customer returning item to store": a store takes a return with
// or without an RMA; condition decides (resellable back to this store's
// stock, damaged to its returns area); the return, the refund and the
// inventory update happen at once, exactly once; a return left unprocessed
// at the end of the store's day is flagged to the store's team and
// escalated.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "support/locations_config.h"
#include "support/scenario.h"
#include "support/sla_support.h"

namespace ordercare::testing {
namespace {

const CustomerSpec kAnn("c-ann", "Ann Archer", {}, "ann@example.org");

// 2026-11-20T09:00Z is 10:00 in Berlin; the store closes at 20:00 local,
// 19:00Z.
const TimeMs kClosing = kScenarioStart + 10 * kHourMs;

Json store_config(Json policy = Json::object()) {
  Json config = {{"locations",
                  {{"STORE-BER-1", berlin_store()},
                   {"WH-EU", {{"kind", "warehouse"}, {"name", "EU warehouse"}}}}}};
  if (!policy.empty()) config["policy"] = std::move(policy);
  return config;
}

// L1: 2 x 25.00 mugs, L2: 1 x 40.00 lamp; delivered.
void delivered_order(Scenario &s, const std::string &order_id = "A") {
  s.submit(s.order_created(order_id, kAnn,
                           OrderOptions().with_items({LineSpec("SKU-MUG", 2500, 2, "Mug"),
                                                      LineSpec("SKU-LAMP", 4000, 1, "Lamp")})));
  s.submit(s.order_updated(order_id, "delivered"));
}

Json item(const std::string &line_id, std::int64_t quantity, const std::string &condition = "") {
  Json out = {{"line_id", line_id}, {"quantity", quantity}};
  if (!condition.empty()) out["condition"] = condition;
  return out;
}

Json walk_in(Scenario &s, const std::string &order_id, Json items, const std::string &location = "STORE-BER-1") {
  Json event = s.return_received("unused", std::move(items), location);
  event["data"].erase("return_id");
  event["data"]["order_id"] = order_id;
  event["data"]["walk_in"] = true;
  return event;
}

std::vector<Json> payloads(Scenario &s, const std::string &kind) {
  std::vector<Json> out;
  for (const auto &e : s.effects({{"kind", kind}})) out.push_back(e["payload"]);
  return out;
}

std::string only_return_id(Scenario &s) {
  const Json all = s.returns();
  EXPECT_EQ(all.size(), 1u);
  return all.empty() ? "" : all[0]["id"].get<std::string>();
}

TEST(StoreReturns, WalkInWithoutRmaIsMadeReceivedRestockedAndRefundedAtOnce) {
  TestHost host;
  Scenario s(host, store_config());
  delivered_order(s);
  s.advance(2 * kHourMs);
  const Json event = walk_in(s, "A", Json::array({item("L1", 2, "resellable"), item("L2", 1, "damaged")}));
  EXPECT_EQ(s.submit(event)["status"], "accepted");

  const std::string id = only_return_id(s);
  Json r = s.get_return(id);
  EXPECT_TRUE(r["walk_in"].get<bool>());
  EXPECT_EQ(r["received_at_store"], "STORE-BER-1");
  EXPECT_EQ(r["status"], "inspected") << "processed on the spot; the refund is on its way";
  for (const auto &i : r["items"]) {
    EXPECT_EQ(i["disposition"], i["line_id"] == "L1" ? "restocked" : "returns_area") << i;
  }
  // Resellable: back to this store's stock. Damaged: no stock moves.
  const auto inventory = payloads(s, "adjust_inventory");
  ASSERT_EQ(inventory.size(), 1u);
  EXPECT_EQ(inventory[0]["sku"], "SKU-MUG");
  EXPECT_EQ(inventory[0]["location"], "STORE-BER-1");
  EXPECT_EQ(inventory[0]["delta"], 2);
  // The refund is decided now, in full.
  const auto refunds = payloads(s, "refund");
  ASSERT_EQ(refunds.size(), 1u);
  EXPECT_EQ(refunds[0]["amount"]["amount"], 9000);
  EXPECT_EQ(refunds[0]["return_id"], id);

  const Json c = s.get_case(r["case_id"].get<std::string>());
  EXPECT_EQ(c["type"], "return");
  EXPECT_EQ(c["location"], "STORE-BER-1");
  EXPECT_TRUE(sla_clock(c, "store_return_day").is_null()) << "processed at once: nothing to chase";

  s.poll_all();
  EXPECT_EQ(host.requests("refund").size(), 1u);
  EXPECT_EQ(host.requests("adjust_inventory").size(), 1u);
  EXPECT_EQ(s.get_return(id)["status"], "closed") << "refunded: done";

  // The store's system sends it again: nothing more.
  const Json again = s.submit(event);
  EXPECT_EQ(again["status"], "duplicate");
  s.poll_all();
  EXPECT_EQ(host.requests("refund").size(), 1u);
  EXPECT_EQ(host.requests("adjust_inventory").size(), 1u);
  EXPECT_EQ(s.returns().size(), 1u);
}

TEST(StoreReturns, AnotherWalkInForWhatWasAlreadyReturnedIsRefusedAndChangesNothing) {
  Scenario s(store_config());
  delivered_order(s);
  s.submit(walk_in(s, "A", Json::array({item("L1", 2, "resellable")})));
  const Json before = s.effects();
  const CallError twice = s.submit_error(walk_in(s, "A", Json::array({item("L1", 1, "resellable")})));
  EXPECT_EQ(twice.status, OC_ERR_REFUSED);
  EXPECT_NE(twice.message.find("can still be returned"), std::string::npos) << twice.message;
  EXPECT_EQ(s.effects(), before);
  EXPECT_EQ(s.returns().size(), 1u);
}

TEST(StoreReturns, FinalSaleItemsAreNotTakenBackAtTheCounter) {
  Scenario s(store_config({{"returns", {{"final_sale_skus", {"SKU-LAMP"}}}}}));
  delivered_order(s);
  const CallError refused = s.submit_error(walk_in(s, "A", Json::array({item("L2", 1, "resellable")})));
  EXPECT_EQ(refused.status, OC_ERR_REFUSED);
  EXPECT_NE(refused.message.find("final-sale"), std::string::npos) << refused.message;
  EXPECT_TRUE(s.returns().empty());
  EXPECT_TRUE(s.effects({{"kind", "refund"}}).empty());
}

TEST(StoreReturns, WalkInMustBeAtAConfiguredStore) {
  Scenario s(store_config());
  delivered_order(s);
  for (const std::string location : {"WH-EU", "STORE-NOWHERE"}) {
    const CallError refused = s.submit_error(walk_in(s, "A", Json::array({item("L1", 1, "resellable")}), location));
    EXPECT_EQ(refused.status, OC_ERR_REFUSED) << location;
    EXPECT_NE(refused.message.find("data.location"), std::string::npos) << refused.message;
  }
  // An order the plugin has not seen: refused now, not kept for later.
  EXPECT_EQ(s.submit_error(walk_in(s, "B", Json::array({item("L1", 1, "resellable")}))).status, OC_ERR_NOT_FOUND);
  s.submit(s.order_created("B", kAnn));
  EXPECT_TRUE(s.returns().empty());
  Json no_order = walk_in(s, "A", Json::array({item("L1", 1, "resellable")}));
  no_order["data"].erase("order_id");
  EXPECT_EQ(s.submit_error(no_order).status, OC_ERR_SCHEMA);
  EXPECT_TRUE(s.returns().empty());
}

TEST(StoreReturns, RmaReturnAtAStoreRestocksThereAndRefundsTheSameMoment) {
  // Even where the warehouse's returns wait for an agent's refund.
  Scenario s(store_config({{"returns", {{"refund_on_inspection", false}}}}));
  delivered_order(s);
  s.submit(s.return_requested("A", {ReturnLine("L2", "changed_mind")}, "R1"));
  s.advance(kDayMs);
  s.submit(s.return_received("R1", Json::array({item("L2", 1, "resellable")}), "STORE-BER-1"));
  const auto inventory = payloads(s, "adjust_inventory");
  ASSERT_EQ(inventory.size(), 1u);
  EXPECT_EQ(inventory[0]["location"], "STORE-BER-1");
  const auto refunds = payloads(s, "refund");
  ASSERT_EQ(refunds.size(), 1u);
  EXPECT_EQ(refunds[0]["amount"]["amount"], 4000);
  EXPECT_EQ(s.get_return("R1")["received_at_store"], "STORE-BER-1");
  EXPECT_FALSE(s.get_return("R1")["walk_in"].get<bool>());
}

TEST(StoreReturns, AReturnLeftUnprocessedAtClosingIsFlaggedAndEscalatedOnce) {
  TestHost host;
  Scenario s(host, store_config());
  delivered_order(s);
  // Taken in at 11:00 local, condition not checked yet.
  s.set_now(kScenarioStart + kHourMs);
  s.submit(walk_in(s, "A", Json::array({item("L1", 1)})));
  const std::string id = only_return_id(s);
  const std::string case_id = s.get_return(id)["case_id"];
  EXPECT_EQ(s.get_return(id)["status"], "received");
  EXPECT_TRUE(s.effects({{"kind", "refund"}}).empty()) << "nothing refunded before the condition is known";
  EXPECT_EQ(clock_due(s.get_case(case_id), "store_return_day"), kClosing) << "the end of the store's day";

  s.set_now(kClosing - 1);
  s.poll_all();
  EXPECT_TRUE(s.escalations().empty()) << "the store took it in: nobody else is chased" << s.escalations().dump();
  s.set_now(kClosing);
  s.poll_all();
  const Json rows = s.escalations();
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0]["kind"], "sla_breach");
  const auto told = notices(host, "team_sla_breached");
  ASSERT_EQ(told.size(), 1u);
  EXPECT_EQ(told[0].body["team"], "store-berlin") << "the store's own team";
  EXPECT_EQ(s.get_case(case_id)["status"], "escalated");

  EXPECT_NE(rows[0]["issue"].get<std::string>().find("left unprocessed"), std::string::npos) << rows[0];
  // The timer does not fire again (the case's own resolution clock may).
  s.advance(kDayMs);
  s.poll_all();
  std::size_t flagged = 0;
  for (const auto &row : s.escalations())
    if (row["issue"].get<std::string>().find("left unprocessed") != std::string::npos) ++flagged;
  EXPECT_EQ(flagged, 1u);
  EXPECT_EQ(notices(host, "team_sla_breached").size(), 1u);
}

TEST(StoreReturns, ProcessedBeforeClosingMeetsTheClock) {
  TestHost host;
  Scenario s(host, store_config());
  delivered_order(s);
  s.submit(walk_in(s, "A", Json::array({item("L1", 2)})));
  const std::string id = only_return_id(s);
  const std::string case_id = s.get_return(id)["case_id"];
  s.advance(3 * kHourMs);
  const Json r = s.call("return.inspect", {{"id", id}, {"items", Json::array({item("L1", 2, "resellable")})}});
  EXPECT_EQ(r["status"], "inspected");
  const auto inventory = payloads(s, "adjust_inventory");
  ASSERT_EQ(inventory.size(), 1u);
  EXPECT_EQ(inventory[0]["location"], "STORE-BER-1");
  EXPECT_EQ(payloads(s, "refund").size(), 1u);
  EXPECT_TRUE(time_of(sla_clock(s.get_case(case_id), "store_return_day")["met_at"]).has_value());
  s.set_now(kClosing + kHourMs);
  s.poll_all();
  EXPECT_TRUE(s.escalations().empty());
  EXPECT_TRUE(notices(host, "team_sla_breached").empty());
}

TEST(StoreReturns, TakenInAfterClosingBelongsToTheNextDay) {
  Scenario s(store_config());
  delivered_order(s);
  s.set_now(kClosing + 30 * kMinuteMs);
  s.submit(walk_in(s, "A", Json::array({item("L1", 1)})));
  const std::string case_id = s.get_return(only_return_id(s))["case_id"];
  EXPECT_EQ(clock_due(s.get_case(case_id), "store_return_day"), kClosing + kDayMs);
}

}  // namespace
}  // namespace ordercare::testing
