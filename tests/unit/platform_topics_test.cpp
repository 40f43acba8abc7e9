// Platform deliveries that were answered and then dropped before: refunds
// made on the platform (refund.recorded) booked on the order's ledger, the
// shop's out-of-stock cancellation, Shopify's oversold stock levels and
// BigCommerce's disputed status, through oc_submit on both engines.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "support/scenario.h"

namespace ordercare::testing {
namespace {

const CustomerSpec kTrusted("c-tru", "Tom Trust", {"trusted"}, "tom@example.org");

// Two lines: L1 (2 x 25.00) and L2 (1 x 40.00); 90.00 paid.
const std::vector<LineSpec> kTwoLines = {LineSpec("SKU-MUG", 2500, 2, "Mug"), LineSpec("SKU-LAMP", 4000, 1, "Lamp")};

void delivered_order(Scenario &s, const std::string &order_id) {
  s.submit(s.order_created(order_id, kTrusted, OrderOptions().with_items(kTwoLines)));
  s.advance(kHourMs);
  s.submit(s.order_updated(order_id, "delivered"));
  s.advance(kHourMs);
}

// What a platform mapper makes of a refund made in the platform's admin.
Json platform_refund(Scenario &s, const std::string &order_id, const std::string &refund_id, std::int64_t amount,
                     const std::string &currency = "USD", const std::string &source = "shopify") {
  return {{"id", s.next_id()},
          {"type", "refund.recorded"},
          {"occurred_at", format_rfc3339(s.now())},
          {"source", source},
          {"data",
           {{"order_id", order_id},
            {"refund_id", refund_id},
            {"amount", amount},
            {"currency", currency},
            {"reason", "refunded in the admin"}}}};
}

std::vector<Json> refund_effects(Scenario &s) {
  std::vector<Json> out;
  for (const Json &e : s.effects())
    if (e["kind"] == "refund") out.push_back(e);
  return out;
}

TEST(PlatformRefund, AFullRefundOnThePlatformLeavesNothingToRefundAgain) {
  Scenario s;
  delivered_order(s, "A");
  s.submit(platform_refund(s, "A", "88017", 9000));
  const Json order = s.call("order.get", {{"id", "A"}});
  EXPECT_EQ(order["refunded"], 9000) << order;
  ASSERT_EQ(order["refunds"].size(), 1u);
  EXPECT_EQ(order["refunds"][0]["method"], "platform");
  EXPECT_EQ(order["refunds"][0]["status"], "succeeded");

  // The customer asks for their money back: a trusted customer's return is
  // refunded at approval, but nothing is left to refund.
  s.submit(s.return_requested("A", {ReturnLine("L1", "changed_mind", 2)}, "R1"));
  EXPECT_TRUE(s.get_return("R1")["instant_refund"]);
  EXPECT_TRUE(refund_effects(s).empty());
  // Nor can an agent refund the same money.
  const CallError refused = s.error("order.refund", {{"order_id", "A"}, {"amount", 100}, {"reason", "goodwill"}});
  EXPECT_EQ(refused.status, OC_ERR_REFUSED);
  EXPECT_NE(refused.message.find("exceeds what remains of order A"), std::string::npos) << refused.message;
  EXPECT_TRUE(refund_effects(s).empty());
}

TEST(PlatformRefund, APartialRefundLowersTheCeiling) {
  Scenario s;
  delivered_order(s, "A");
  s.submit(platform_refund(s, "A", "re_1", 6000, "USD", "stripe"));
  // The return is owed 50.00, and only 30.00 of the order is left.
  s.submit(s.return_requested("A", {ReturnLine("L1", "changed_mind", 2)}, "R1"));
  const std::vector<Json> refunds = refund_effects(s);
  ASSERT_EQ(refunds.size(), 1u);
  EXPECT_EQ(s.effect("refund:R1:1")["payload"]["amount"]["amount"], 3000);
  EXPECT_EQ(s.call("order.get", {{"id", "A"}})["refunded"], 9000);
}

TEST(PlatformRefund, TheSameRefundSeenAgainIsBookedOnce) {
  Scenario s;
  delivered_order(s, "A");
  s.submit(platform_refund(s, "A", "re_1", 1000, "USD", "stripe"));
  // charge.refunded lists every refund of the charge again, in new events.
  s.submit(platform_refund(s, "A", "re_1", 1000, "USD", "stripe"));
  s.submit(platform_refund(s, "A", "re_2", 500, "USD", "stripe"));
  const Json order = s.call("order.get", {{"id", "A"}});
  EXPECT_EQ(order["refunds"].size(), 2u);
  EXPECT_EQ(order["refunded"], 1500);
  EXPECT_EQ(s.call("order.refund", {{"order_id", "A"}, {"amount", 7500}, {"reason", "the rest"}})["refundable"]["amount"],
            0);
}

TEST(PlatformRefund, AnotherCurrencyIsRefusedAndChangesNothing) {
  Scenario s;
  delivered_order(s, "A");
  const Json before = s.call("order.get", {{"id", "A"}});
  const CallError e = s.submit_error(platform_refund(s, "A", "re_9", 1000, "EUR"));
  EXPECT_EQ(e.status, OC_ERR_REFUSED);
  EXPECT_NE(e.message.find("data.currency"), std::string::npos) << e.message;
  EXPECT_EQ(s.call("order.get", {{"id", "A"}}), before);
}

TEST(PlatformRefund, BeforeTheOrderIsKnownItWaitsForIt) {
  Scenario s;
  s.submit(platform_refund(s, "A", "88017", 2500));
  delivered_order(s, "A");
  EXPECT_EQ(s.call("order.get", {{"id", "A"}})["refunded"], 2500);
}

// The reports count the money, and do not time a refund ordercare did not make.
TEST(PlatformRefund, TheReportsCountItsMoney) {
  Scenario s;
  delivered_order(s, "A");
  s.advance(kDayMs);
  s.submit(platform_refund(s, "A", "88017", 1500));
  const Json m = s.call("metrics", {{"from", format_rfc3339(kScenarioStart)}, {"to", format_rfc3339(s.now() + kMinuteMs)}});
  const Json &refunds = m["totals"]["refunds"];
  EXPECT_EQ(refunds["processed"], 1) << refunds;
  EXPECT_EQ(refunds["amounts"], Json::parse(R"([{"amount":1500,"currency":"USD"}])")) << refunds;
  EXPECT_TRUE(refunds["processing"]["mean_ms"].is_null()) << refunds;
}

// The cases of an order, by type.
Json case_of_type(Scenario &s, const std::string &order_id, const std::string &type) {
  for (const Json &c : s.cases_of_order(order_id))
    if (c["type"] == type) return s.get_case(c["id"].get<std::string>());
  return nullptr;
}

bool mentions(const Json &list, const std::string &words) {
  for (const Json &line : list)
    if (line.is_string() && line.get<std::string>().find(words) != std::string::npos) return true;
  return false;
}

Json shop_cancelled(Scenario &s, const std::string &order_id, const std::string &reason, bool voided) {
  Json e = s.order_updated(order_id, "cancelled");
  e["data"]["reason"] = reason;
  if (voided) e["data"]["payment_voided"] = true;
  return e;
}

// Shopify orders/cancelled, cancel_reason "inventory", the authorisation
// voided: an out-of-stock case, the apology with an alternative, and no
// refund, for none is owed.
TEST(OutOfStockCancellation, AVoidedAuthorisationOwesNoRefund) {
  Scenario s;
  s.submit(s.order_created("A", kTrusted, OrderOptions().with_items(kTwoLines)));
  s.advance(kHourMs);
  s.submit(shop_cancelled(s, "A", "inventory", true));
  const Json c = case_of_type(s, "A", "out_of_stock");
  ASSERT_TRUE(c.is_object()) << s.cases_of_order("A");
  EXPECT_TRUE(contains(Json(s.notices_of(c["id"].get<std::string>())), "customer:out_of_stock_cancelled_unpaid"));
  EXPECT_FALSE(contains(Json(s.notices_of(c["id"].get<std::string>())), "customer:out_of_stock_cancelled"));
  EXPECT_TRUE(mentions(c["follow_ups"], "no refund is owed")) << c["follow_ups"];
  EXPECT_TRUE(refund_effects(s).empty());
  // Redelivered (a new event id, the same fact): one case, one message.
  s.submit(shop_cancelled(s, "A", "inventory", true));
  EXPECT_EQ(s.cases_of_order("A").size(), 1u);
}

// Paid: the apology tells what is owed back, by the rules any cancellation
// follows; the platform's refund, when it comes, is booked on the ledger.
TEST(OutOfStockCancellation, APaidOrderIsOwedItsRefund) {
  TestHost host;
  Scenario s(host);
  s.submit(s.order_created("A", kTrusted, OrderOptions().with_items(kTwoLines)));
  s.advance(kHourMs);
  s.submit(shop_cancelled(s, "A", "inventory", false));
  const Json c = case_of_type(s, "A", "out_of_stock");
  ASSERT_TRUE(c.is_object());
  EXPECT_TRUE(contains(Json(s.notices_of(c["id"].get<std::string>())), "customer:out_of_stock_cancelled"));
  EXPECT_TRUE(mentions(c["follow_ups"], "90.00 USD is owed back")) << c["follow_ups"];
  s.poll_all();
  bool told = false;
  for (const HostRequest &r : host.requests("notify"))
    if (r.body.dump().find("out_of_stock_cancelled") != std::string::npos)
      told = r.body.dump().find("90.00 USD") != std::string::npos;
  EXPECT_TRUE(told);
  s.submit(platform_refund(s, "A", "88020", 9000));
  EXPECT_EQ(s.call("order.get", {{"id", "A"}})["refunded"], 9000);
}

TEST(OutOfStockCancellation, OtherReasonsOpenNoOutOfStockCase) {
  Scenario s;
  s.submit(s.order_created("A", kTrusted, OrderOptions().with_items(kTwoLines)));
  s.advance(kHourMs);
  s.submit(shop_cancelled(s, "A", "customer", false));
  EXPECT_TRUE(case_of_type(s, "A", "out_of_stock").is_null());
}

Json oversold(Scenario &s, const std::string &sku, std::int64_t units) {
  Json e = s.inventory_discrepancy(sku, "shopify-location:24826418", 0, 0, "shopify");
  e["data"]["oversold"] = units;
  return e;
}

// Shopify sold a unit it does not have: the newest open order is short,
// and the platform's count is not adjusted (it is the platform's own).
TEST(Oversold, TheNewestOpenOrdersGoWithout) {
  Scenario s;
  s.submit(s.order_created("A", kTrusted, OrderOptions().with_items({LineSpec("SKU-MUG", 2500, 2, "Mug")})));
  s.advance(kHourMs);
  s.submit(s.order_created("B", kTrusted, OrderOptions().with_items({LineSpec("SKU-MUG", 2500, 1, "Mug")})));
  s.advance(kHourMs);
  const Json submitted = s.submit(oversold(s, "SKU-MUG", 1));
  for (const Json &e : s.effects()) EXPECT_NE(e["kind"], "adjust_inventory") << e;
  EXPECT_TRUE(case_of_type(s, "A", "out_of_stock").is_null());
  const Json b = case_of_type(s, "B", "out_of_stock");
  ASSERT_TRUE(b.is_object()) << s.cases_of_order("B");
  EXPECT_TRUE(contains(Json(s.notices_of(b["id"].get<std::string>())), "customer:out_of_stock_choice"));
}

// Without a SKU the discrepancy stays on Shopify's inventory item: a case
// for the warehouse, no order hit, nothing adjusted.
TEST(Oversold, OnAnInventoryItemItIsACaseOfItsOwn) {
  Scenario s;
  s.submit(oversold(s, "shopify-inventory-item:271878346596884015", 3));
  const Json cases = s.cases({{"type", "inventory_discrepancy"}});
  ASSERT_EQ(cases.size(), 1u) << cases;
  const Json c = s.get_case(cases[0]["id"].get<std::string>());
  EXPECT_EQ(c["skus"], Json::array({"shopify-inventory-item:271878346596884015"}));
  EXPECT_NE(c["reason"].get<std::string>().find("oversold by 3"), std::string::npos) << c["reason"];
  for (const Json &e : s.effects()) EXPECT_NE(e["kind"], "adjust_inventory") << e;
}

// BigCommerce's "Disputed" status names no amount: the order's total is
// what the dispute is about.
TEST(Dispute, WithoutAnAmountTheOrdersTotalStandsForIt) {
  Scenario s;
  s.submit(s.order_created("A", kTrusted, OrderOptions().with_items(kTwoLines)));
  Json e = s.payment_disputed("A", 0, "USD");
  e["source"] = "bigcommerce";
  e["data"] = {{"order_id", "A"}};
  s.submit(e);
  const Json c = case_of_type(s, "A", "payment");
  ASSERT_TRUE(c.is_object()) << s.cases_of_order("A");
  EXPECT_TRUE(contains(c["triggers"], "payment_disputed"));
  bool logged = false;
  for (const Json &entry : c["log"])
    if (entry["kind"] == "event" && entry["details"].value("event", "") == "payment.disputed")
      logged = entry["details"]["amount"] == 9000 && entry["details"]["currency"] == "USD";
  EXPECT_TRUE(logged) << c["log"];
}

constexpr const char *kShop = "keramik-o.myshopify.com";
const CustomerSpec kAda("207119551", "Ada Jensen", {}, "ada.jensen@example.org", "+4520123456");
const CustomerSpec kBo("207119552", "Bo Lindqvist", {}, "bo.lindqvist@example.org");

Json in_shop(Json event, const std::string &shop = kShop) {
  event["store"] = shop;
  return event;
}

Json privacy(Scenario &s, Json data) {
  return {{"id", s.next_id()},
          {"type", "privacy.requested"},
          {"occurred_at", format_rfc3339(s.now())},
          {"source", "shopify"},
          {"store", kShop},
          {"data", std::move(data)}};
}

const CustomerSpec kGale("shopify-guest-6001002006", "Guest Gale", {}, "gale@example.org");

// Ada's order, a guest's order, and a case each in their own words.
void ada_and_a_guest(Scenario &s) {
  s.submit(in_shop(s.order_created("5623984128", kAda)));
  s.submit(in_shop(s.order_created("6001002006", kGale)));
  s.submit(in_shop(s.message(kAda, "5623984128", "email", "Where is my parcel? Call me on +4520123456")));
  s.submit(in_shop(s.message(kGale, "6001002006", "email", "My parcel is late, Gale here")));
}

void bo_elsewhere(Scenario &s, const std::string &shop) {
  s.submit(in_shop(s.order_created("7001", kBo), shop));
  s.submit(in_shop(s.message(kBo, "7001", "email", "Where is my order? Bo"), shop));
}

// The service log names each case's customer from the PII vault.
std::string service_log(Scenario &s) { return s.call("service_log.export", {{"format", "json"}}).dump(); }

TEST(PrivacyRequest, CustomersRedactErasesTheCustomerAndTheGuestOfTheListedOrders) {
  Scenario s;
  ada_and_a_guest(s);
  bo_elsewhere(s, kShop);
  const std::string case_id = s.only_case("5623984128")["id"];
  ASSERT_TRUE(s.get_case(case_id)["pii"].contains("description"));
  ASSERT_NE(service_log(s).find("Ada Jensen"), std::string::npos);
  const Json request = privacy(s, {{"kind", "customer_redact"},
                                   {"shop", kShop},
                                   {"customer_id", kAda.id},
                                   {"order_ids", {"5623984128", "6001002006"}}});
  s.submit(request);
  // The PII is gone: the case's description, the customer's name and
  // contact, and the guest's of the other listed order.
  EXPECT_FALSE(s.get_case(case_id)["pii"].contains("description")) << s.get_case(case_id);
  const std::string log = service_log(s);
  for (const char *gone : {"Ada Jensen", "ada.jensen@example.org", "+4520123456", "Guest Gale", "gale@example.org"})
    EXPECT_EQ(log.find(gone), std::string::npos) << gone;
  // Bo, not named, keeps his data.
  EXPECT_NE(log.find("Bo Lindqvist"), std::string::npos);
  // Redelivered: the same event is a duplicate; a new one changes nothing.
  EXPECT_EQ(s.submit(request)["status"], "duplicate");
  Json resent = request;
  resent["id"] = s.next_id();
  EXPECT_EQ(s.submit(resent)["status"], "accepted");
  EXPECT_FALSE(s.get_case(case_id)["pii"].contains("description"));
  EXPECT_NE(service_log(s).find("Bo Lindqvist"), std::string::npos);
}

TEST(PrivacyRequest, ShopRedactErasesEveryCustomerOfThatShopOnly) {
  Scenario s;
  ada_and_a_guest(s);
  bo_elsewhere(s, "other-shop.myshopify.com");
  s.submit(privacy(s, {{"kind", "shop_redact"}, {"shop", kShop}}));
  const std::string log = service_log(s);
  EXPECT_EQ(log.find("Ada Jensen"), std::string::npos);
  EXPECT_EQ(log.find("Guest Gale"), std::string::npos);
  EXPECT_NE(log.find("Bo Lindqvist"), std::string::npos) << "another shop's customer stays";
  // Redelivered as a new event: nothing more to erase, nothing else lost.
  EXPECT_EQ(s.submit(privacy(s, {{"kind", "shop_redact"}, {"shop", kShop}}))["status"], "accepted");
  EXPECT_NE(service_log(s).find("Bo Lindqvist"), std::string::npos);
}

// customers/data_request: the shop's support team gets everything held
// about the customer, readable and as JSON; nothing is erased.
TEST(PrivacyRequest, DataRequestSendsTheExportToTheSupportTeam) {
  TestHost host;
  Scenario s(host);
  ada_and_a_guest(s);
  s.poll_all();
  host.forget();
  const Json submitted = s.submit(privacy(s, {{"kind", "customer_data_request"},
                                              {"shop", kShop},
                                              {"customer_id", kAda.id},
                                              {"request_id", "9999"}}));
  ASSERT_EQ(submitted["effects"].size(), 1u) << submitted;
  s.poll_all();
  const auto notices = host.requests("notify");
  ASSERT_EQ(notices.size(), 1u);
  const Json &body = notices[0].body;
  EXPECT_EQ(body["team"], "support") << body;
  EXPECT_EQ(body["message"]["template"], "team_privacy_export");
  const std::string text = body["message"]["text"];
  EXPECT_NE(text.find("request 9999"), std::string::npos) << text;
  EXPECT_NE(text.find("ada.jensen@example.org"), std::string::npos) << text;
  EXPECT_NE(text.find("Call me on +4520123456"), std::string::npos) << text;
  EXPECT_EQ(body["export"]["customer"]["pii"]["email"], "ada.jensen@example.org") << body["export"];
  EXPECT_EQ(body["export"]["orders"].size(), 1u);
  EXPECT_EQ(body["export"]["cases"].size(), 1u);
  // Not an erasure: Ada's data is still there.
  EXPECT_NE(service_log(s).find("Ada Jensen"), std::string::npos);
}

// A data request redelivered (the same event): one export, not two.
TEST(PrivacyRequest, ARedeliveredDataRequestExportsOnce) {
  TestHost host;
  Scenario s(host);
  ada_and_a_guest(s);
  const Json request = privacy(s, {{"kind", "customer_data_request"}, {"shop", kShop}, {"customer_id", kAda.id}});
  s.submit(request);
  EXPECT_EQ(s.submit(request)["status"], "duplicate");
  s.poll_all();
  std::size_t exports = 0;
  for (const HostRequest &r : host.requests("notify")) exports += r.body.contains("export") ? 1 : 0;
  EXPECT_EQ(exports, 1u);
}

}  // namespace
}  // namespace ordercare::testing
