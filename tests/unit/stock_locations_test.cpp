// Seed 004 "Item out of stock but system showed available", with real
// locations (issue 14, point 1): orders say where each line is fulfilled
// from; a stock count at a location hits only the open orders drawing the
// SKU from it, oldest first, each short by what the count no longer covers
// ("Affecting other orders?"); and the location's team gets that list.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "support/scenario.h"
#include "support/sla_support.h"

namespace ordercare::testing {
namespace {

Json locations_config(Json warehouse_eu = Json::object()) {
  Json eu = {{"kind", "warehouse"}, {"name", "EU warehouse"}, {"team", "wh-eu"}};
  eu.update(warehouse_eu);
  return {{"locations",
           {{"WH-EU", eu},
            {"WH-US", {{"kind", "warehouse"}, {"name", "US warehouse"}}},
            {"STORE-BER-1", {{"kind", "store"}, {"name", "Berlin Mitte"}, {"closes_at", "20:00"}}}}}};
}

// order.created for `order_id` with lines of `sku` (quantity each), the
// first drawing from `line_location` (none when empty) and the order from
// `order_location` (none when empty).
Json order_at(Scenario &s, const std::string &order_id, const std::string &sku, std::int64_t quantity,
              const std::string &line_location, const std::string &order_location = "") {
  Json event = s.order_created(order_id, CustomerSpec("c-" + order_id, "Customer " + order_id),
                               OrderOptions().with_items({LineSpec(sku, 2500, quantity, "Speaker")}));
  if (!line_location.empty()) event["data"]["order"]["items"][0]["location"] = line_location;
  if (!order_location.empty()) event["data"]["order"]["location"] = order_location;
  return event;
}

std::vector<std::string> out_of_stock_orders(Scenario &s) {
  std::vector<std::string> out;
  for (const Json &c : s.cases({{"type", "out_of_stock"}})) out.push_back(c["order_id"]);
  return sorted(out);
}

std::string text_of(const Json &notice) { return notice["message"].value("text", ""); }

TEST(StockLocations, OrdersKeepTheLocationOfEachLine) {
  Scenario s(locations_config());
  s.submit(order_at(s, "A", "SPK-1", 1, "WH-US", "WH-EU"));
  const Json order = s.call("order.get", {{"id", "A"}});
  EXPECT_EQ(order["items"][0]["location"], "WH-US");
  EXPECT_EQ(order["location"], "WH-EU");
  s.submit(order_at(s, "B", "SPK-1", 1, ""));
  const Json plain = s.call("order.get", {{"id", "B"}});
  EXPECT_FALSE(plain["items"][0].contains("location")) << "an order without locations reads as before";
  EXPECT_FALSE(plain.contains("location"));
  // Kept across a reopen: it lives in the stored order.
  s.reopen();
  EXPECT_EQ(s.call("order.get", {{"id", "A"}})["items"][0]["location"], "WH-US");
}

TEST(StockLocations, ACountAtOneWarehouseHitsOnlyTheOrdersDrawingFromIt) {
  Scenario s(locations_config());
  s.submit(order_at(s, "EU-LINE", "SPK-1", 1, "WH-EU"));
  s.advance(kMinuteMs);
  s.submit(order_at(s, "US-LINE", "SPK-1", 1, "WH-US"));
  s.advance(kMinuteMs);
  s.submit(order_at(s, "EU-ORDER", "SPK-1", 1, "", "WH-EU"));  // the order's location serves the line
  s.advance(kMinuteMs);
  s.submit(order_at(s, "US-ORDER", "SPK-1", 1, "", "WH-US"));
  s.advance(kMinuteMs);
  s.submit(order_at(s, "ANYWHERE", "SPK-1", 1, ""));  // no location at all: may draw from any
  s.advance(kMinuteMs);
  s.submit(order_at(s, "EU-ELSEWHERE", "SPK-1", 1, "WH-US", "WH-EU"));  // the line's own wins
  s.advance(kMinuteMs);

  s.submit(s.inventory_discrepancy("SPK-1", "WH-EU", 5, 0));
  EXPECT_EQ(out_of_stock_orders(s), sorted({"ANYWHERE", "EU-LINE", "EU-ORDER"}));
  // The other warehouse's count no longer hits the EU orders already short,
  // only its own (and the order that may draw from anywhere).
  s.submit(s.inventory_discrepancy("SPK-1", "WH-US", 3, 0));
  EXPECT_EQ(out_of_stock_orders(s),
            sorted({"ANYWHERE", "EU-ELSEWHERE", "EU-LINE", "EU-ORDER", "US-LINE", "US-ORDER"}));
}

TEST(StockLocations, TheLocationsTeamGetsTheShortOrdersOldestFirstWithTheirShortfall) {
  TestHost host;
  Scenario s(host, locations_config());
  s.submit(order_at(s, "O1", "SPK-1", 1, "WH-EU"));  // oldest: the count covers it
  s.advance(kMinuteMs);
  s.submit(order_at(s, "O2", "SPK-1", 2, "WH-EU"));  // 1 left for 2: short by 1
  s.advance(kMinuteMs);
  s.submit(order_at(s, "O3", "SPK-1", 3, "WH-EU"));  // nothing left: short by 3
  s.advance(kMinuteMs);
  s.submit(order_at(s, "O4", "SPK-1", 4, "WH-US"));  // elsewhere: not counted here
  s.advance(kMinuteMs);

  s.submit(s.inventory_discrepancy("SPK-1", "WH-EU", 10, 2));
  EXPECT_EQ(out_of_stock_orders(s), sorted({"O2", "O3"}));
  s.poll_all();
  const Json notice = the_notice(host, "team_stock_shortfall");
  EXPECT_EQ(notice["team"], "wh-eu") << "the location's own team";
  const std::string text = text_of(notice);
  EXPECT_NE(text.find("EU warehouse"), std::string::npos) << text;
  const auto o2 = text.find("(O2): 1 short"), o3 = text.find("(O3): 3 short");
  ASSERT_NE(o2, std::string::npos) << text;
  ASSERT_NE(o3, std::string::npos) << text;
  EXPECT_LT(o2, o3) << "oldest first: " << text;
  EXPECT_EQ(text.find("O1"), std::string::npos) << "covered by the count: " << text;
  EXPECT_EQ(text.find("O4"), std::string::npos) << "drawn from another warehouse: " << text;

  // Each short order still gets its own follow-up: the customer's choice.
  for (const char *order_id : {"O2", "O3"}) {
    SCOPED_TRACE(order_id);
    const Json c = s.only_case(order_id);
    EXPECT_EQ(c["type"], "out_of_stock");
    EXPECT_TRUE(contains(Json(s.notices_of(c["id"])), "customer:out_of_stock_choice"));
  }
}

TEST(StockLocations, WithoutATeamOfItsOwnTheWarehouseOrStoreTeamHears) {
  TestHost host;
  Json config = locations_config();
  config["locations"]["WH-EU"].erase("team");
  Scenario s(host, config);
  s.submit(order_at(s, "A", "SPK-1", 1, "WH-EU"));
  s.submit(order_at(s, "B", "MUG-1", 1, "STORE-BER-1"));
  s.submit(s.inventory_discrepancy("SPK-1", "WH-EU", 1, 0));
  s.submit(s.inventory_discrepancy("MUG-1", "STORE-BER-1", 1, 0));
  s.poll_all();
  std::vector<std::string> teams;
  for (const auto &request : notices(host, "team_stock_shortfall")) teams.push_back(request.body["team"]);
  EXPECT_EQ(sorted(teams), sorted({"warehouse", "store"}));
}

TEST(StockLocations, ACountThatHitsNoOrderTellsNoOne) {
  TestHost host;
  Scenario s(host, locations_config());
  s.submit(order_at(s, "A", "SPK-1", 1, "WH-US"));
  s.submit(s.inventory_discrepancy("SPK-1", "WH-EU", 4, 0));  // nothing left there
  s.poll_all();
  EXPECT_TRUE(notices(host, "team_stock_shortfall").empty());
  EXPECT_TRUE(out_of_stock_orders(s).empty());
}

TEST(StockLocations, AWarehouseMayHaveATeamButNoStoreHours) {
  Scenario s(locations_config());
  const CallError blank = s.reopen_error(locations_config({{"team", " "}}));
  EXPECT_EQ(blank.status, OC_ERR_CONFIG);
  EXPECT_NE(blank.message.find("config: locations.WH-EU.team: must not be blank"), std::string::npos) << blank.message;
  const CallError hours = s.reopen_error(locations_config({{"closes_at", "18:00"}}));
  EXPECT_EQ(hours.status, OC_ERR_CONFIG);
  EXPECT_NE(hours.message.find("config: locations.WH-EU.closes_at: only a store has this"), std::string::npos)
      << hours.message;
  EXPECT_EQ(s.reopen_error(locations_config()).status, OC_OK);
}

}  // namespace
}  // namespace ordercare::testing
