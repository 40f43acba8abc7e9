// Shopify deliveries end to end below the socket: the sample payloads under
// tests/data/webhooks/shopify/ are signed, verified on their exact bytes,
// parsed and mapped, and every event must pass the canonical schema.
#include "ingest/shopify_mapper.h"

#include <gtest/gtest.h>


#include "common/failure.h"
#include "ingest/webhook_signature.h"
#include "support/webhook_samples.h"

namespace ordercare::ingest {
namespace {

constexpr std::string_view kSecret = "shpss_9f8e7d6c5b4a";
constexpr std::string_view kEventId = "98880550-7158-44d4-b7cd-2c97c8a091b5";
constexpr std::string_view kShop = "keramik-o.myshopify.com";
constexpr TimeMs kNow = 1'773'500'000'000;

std::string read_sample(const std::string &name) { return testing::read_webhook_sample("shopify", name); }

Headers delivery_headers(std::string_view topic, std::string_view body,
                         std::string_view event_id = kEventId) {
  Headers h{{"X-Shopify-Topic", std::string(topic)},
            {"X-Shopify-Hmac-Sha256", shopify_signature(kSecret, body)},
            {"X-Shopify-Shop-Domain", std::string(kShop)},
            {"X-Shopify-API-Version", "2026-01"},
            {"X-Shopify-Webhook-Id", "b54557e4-bdd9-4b37-8a5f-bf7d70bcd043"},
            {"X-Shopify-Triggered-At", "2026-03-19T14:00:00.123456789Z"}};
  if (!event_id.empty()) h.add("X-Shopify-Event-Id", std::string(event_id));
  return h;
}

// What the server will do: verify the raw bytes, parse, map, validate.
MappedEvents deliver_body(std::string_view topic, const std::string &body) {
  const Headers headers = delivery_headers(topic, body);
  const VerifyResult verified = verify_shopify(headers, body, SecretSet{std::string(kSecret), {}, 0}, kNow);
  EXPECT_TRUE(verified.ok()) << verified.message;
  return testing::validated(map_shopify(topic, headers, parse_json(body, "payload")));
}

MappedEvents deliver(std::string_view topic, const std::string &sample) {
  return deliver_body(topic, read_sample(sample));
}

Json sample_json(const std::string &name) { return testing::webhook_sample_json("shopify", name); }

MappedEvents map_json(std::string_view topic, const Json &payload) {
  return testing::validated(map_shopify(topic, delivery_headers(topic, payload.dump()), payload));
}

void expect_schema_failure(std::string_view topic, const Json &payload, const std::string &message) {
  try {
    map_shopify(topic, delivery_headers(topic, payload.dump()), payload);
    ADD_FAILURE() << "mapped without complaint; expected: " << message;
  } catch (const Failure &f) {
    EXPECT_EQ(f.status(), OC_ERR_SCHEMA);
    EXPECT_EQ(std::string(f.what()), message);
  }
}

TEST(ShopifyOrderCreated, MapsARealisticOrderWithUnicodeNames) {
  const MappedEvents mapped = deliver("orders/create", "orders_create.json");
  ASSERT_EQ(mapped.events.size(), 1u);
  const Json &e = mapped.events[0];
  EXPECT_EQ(e["id"], "shopify:order.created:5623984128");
  EXPECT_EQ(e["type"], "order.created");
  EXPECT_EQ(e["source"], "shopify");
  EXPECT_EQ(e["store"], kShop);
  EXPECT_EQ(e["occurred_at"], "2026-03-14T13:26:53Z");

  const Json &order = e["data"]["order"];
  EXPECT_EQ(order["id"], "5623984128");
  EXPECT_EQ(order["number"], "#1042");
  EXPECT_EQ(order["placed_at"], "2026-03-14T13:26:52Z");
  EXPECT_EQ(order["currency"], "USD");
  EXPECT_EQ(order["total"], 16148);
  EXPECT_EQ(order["channel"], "web");
  EXPECT_EQ(order["note"], "Please gift-wrap — it's for my grandmother 🎁");
  EXPECT_EQ(order["customer"], Json::parse(R"({"id":"7712349184","name":"Zoë Ångström",
      "email":"zoe.angstrom@example.com","phone":"+46701234567","tags":["vip","repeat-buyer"]})"));
  ASSERT_EQ(order["items"].size(), 3u);
  EXPECT_EQ(order["items"][0], Json::parse(R"({"line_id":"13733512970","sku":"MUG-CAL-PINK",
      "name":"Café au lait mug — 粉色","quantity":2,"unit_price":2499})"));
  EXPECT_EQ(order["items"][1]["unit_price"], 10650);
  // A line without a SKU is named by its variant; a free line costs 0.
  EXPECT_EQ(order["items"][2]["sku"], "shopify-variant-44012773");
  EXPECT_EQ(order["items"][2]["unit_price"], 0);
  EXPECT_EQ(order["shipping_address"]["city"], "Lund");
  EXPECT_EQ(e["data"]["updated_at"], "2026-03-14T13:26:54Z");
}

// Issue 12: orders show as the shop shows them, and the customer's
// checkout language is kept to answer in.
TEST(ShopifyOrderCreated, KeepsTheShopsOrderNameAndTheCustomersLocale) {
  const Json order = deliver("orders/create", "orders_create.json").events[0]["data"]["order"];
  EXPECT_EQ(order["name"], "#1042");
  EXPECT_EQ(order["locale"], "sv-SE");
  Json payload = sample_json("orders_create.json");
  payload["name"] = "NH-1042-EU";
  payload["customer_locale"] = "not a locale";
  const Json renamed = map_json("orders/create", payload).events[0]["data"]["order"];
  EXPECT_EQ(renamed["name"], "NH-1042-EU");
  // A locale the schema would refuse is left out: the order still comes in.
  EXPECT_FALSE(renamed.contains("locale"));
}

TEST(ShopifyOrderCreated, KeepsEveryUnusedFieldInPlatform) {
  const Json data = deliver("orders/create", "orders_create.json").events[0]["data"];
  const Json &platform = data["platform"];
  // Unused fields survive at their original paths...
  EXPECT_EQ(platform["browser_ip"], "203.0.113.17");
  EXPECT_EQ(platform["source_name"], "web");
  EXPECT_EQ(platform["financial_status"], "paid");
  EXPECT_EQ(platform["billing_address"]["city"], "Malmö");
  EXPECT_EQ(platform["discount_codes"][0]["code"], "SPRING10");
  EXPECT_EQ(platform["note_attributes"][0]["value"], "Grattis på födelsedagen!");
  EXPECT_EQ(platform["customer"]["state"], "enabled");
  EXPECT_EQ(platform["customer"]["default_address"]["city"], "Malmö");
  EXPECT_EQ(platform["line_items"][0]["variant_title"], "粉色");
  EXPECT_EQ(platform["line_items"][2]["variant_id"], 44012773);
  EXPECT_EQ(platform["contact_email"], "zoe.angstrom@example.com");
  // Fallbacks that were not needed are not consumed.
  EXPECT_EQ(platform["email"], "zoe.angstrom@example.com");
  EXPECT_EQ(platform["order_number"], 1042);
  EXPECT_EQ(platform["line_items"][0]["title"], "Café au lait mug");
  // ...and what the mapping used is not repeated there.
  EXPECT_FALSE(platform.contains("total_price"));
  EXPECT_FALSE(platform.contains("shipping_address"));
  EXPECT_FALSE(platform["line_items"][0].contains("price"));
  EXPECT_FALSE(platform["customer"].contains("first_name"));
}

TEST(ShopifyOrderCreated, JpyHasNoMinorUnit) {
  const Json order = deliver("orders/create", "orders_create_jpy.json").events[0]["data"]["order"];
  EXPECT_EQ(order["currency"], "JPY");
  EXPECT_EQ(order["total"], 12800);
  EXPECT_EQ(order["items"][0]["unit_price"], 3200);
  EXPECT_EQ(order["items"][1]["unit_price"], 3200);  // "3200.00" is still whole yen
  EXPECT_EQ(order["channel"], "store");
  EXPECT_EQ(order["customer"]["name"], "太郎 山田");

  Json fractional_yen = sample_json("orders_create_jpy.json");
  fractional_yen["line_items"][0]["price"] = "3200.5";
  expect_schema_failure("orders/create", fractional_yen,
                        "payload.line_items[0].price: expected a decimal amount with at most 0 "
                        "decimals for JPY");
}

TEST(ShopifyOrderCreated, KwdHasThreeDecimals) {
  const Json order = deliver("orders/create", "orders_create_kwd.json").events[0]["data"]["order"];
  EXPECT_EQ(order["total"], 12345);
  EXPECT_EQ(order["items"][0]["unit_price"], 10115);
  EXPECT_EQ(order["items"][1]["unit_price"], 2230);
  EXPECT_EQ(order["channel"], "social");
  EXPECT_EQ(order["customer"]["name"], "فاطمة الصباح");

  Json too_precise = sample_json("orders_create_kwd.json");
  too_precise["total_price"] = "12.3455";
  expect_schema_failure("orders/create", too_precise,
                        "payload.total_price: expected a decimal amount with at most 3 decimals "
                        "for KWD");
}

TEST(ShopifyOrderCreated, ZeroValueGuestOrder) {
  const Json e = deliver("orders/create", "orders_create_zero.json").events[0];
  const Json &order = e["data"]["order"];
  EXPECT_EQ(order["total"], 0);
  EXPECT_EQ(order["items"][0]["unit_price"], 0);
  EXPECT_EQ(order["items"][0]["name"], "Free sample kit");
  EXPECT_EQ(order["channel"], "phone");
  EXPECT_EQ(order["customer"]["id"], "shopify-guest-6001002005");
  EXPECT_EQ(order["customer"]["email"], "guest@example.org");
}

TEST(ShopifyOrderCreated, ThreeHundredLines) {
  Json payload = sample_json("orders_create.json");
  payload["line_items"] = Json::array();
  std::int64_t expected_total = 0;
  for (int i = 0; i < 300; ++i) {
    const int cents = 100 + i * 7;
    payload["line_items"].push_back({{"id", 20000 + i},
                                     {"sku", "SKU-" + std::to_string(i)},
                                     {"name", "Teil Nr. " + std::to_string(i) + " — Größe ß"},
                                     {"price", std::to_string(cents / 100) + "." +
                                                   (cents % 100 < 10 ? "0" : "") +
                                                   std::to_string(cents % 100)},
                                     {"quantity", 1 + i % 3}});
    expected_total += static_cast<std::int64_t>(cents) * (1 + i % 3);
  }
  payload["total_price"] = std::to_string(expected_total / 100) + "." +
                           (expected_total % 100 < 10 ? "0" : "") +
                           std::to_string(expected_total % 100);
  const MappedEvents mapped = deliver_body("orders/create", payload.dump());
  const Json &order = mapped.events[0]["data"]["order"];
  ASSERT_EQ(order["items"].size(), 300u);
  std::int64_t sum = 0;
  for (const Json &item : order["items"])
    sum += item["unit_price"].get<std::int64_t>() * item["quantity"].get<std::int64_t>();
  EXPECT_EQ(sum, expected_total);
  EXPECT_EQ(order["total"], expected_total);
  EXPECT_EQ(order["items"][299]["line_id"], "20299");
  EXPECT_EQ(order["items"][299]["unit_price"], 100 + 299 * 7);
}

TEST(ShopifyOrderCreated, WrongShapesNameTheField) {
  expect_schema_failure("orders/create", Json::array(), "payload: expected an object, got array");
  Json payload = sample_json("orders_create_zero.json");
  payload.erase("line_items");
  expect_schema_failure("orders/create", payload, "payload.line_items: required");
  payload = sample_json("orders_create.json");
  payload["line_items"][1]["quantity"] = 0;
  expect_schema_failure("orders/create", payload,
                        "payload.line_items[1].quantity: expected a positive integer");
  payload = sample_json("orders_create.json");
  payload["line_items"][1]["quantity"] = "2";
  expect_schema_failure("orders/create", payload,
                        "payload.line_items[1].quantity: expected an integer, got string");
  payload = sample_json("orders_create.json");
  payload["currency"] = "US";
  expect_schema_failure("orders/create", payload,
                        "payload.currency: expected a three-letter ISO 4217 currency code");
  payload = sample_json("orders_create.json");
  payload["created_at"] = "yesterday";
  expect_schema_failure("orders/create", payload,
                        "payload.created_at: expected an RFC 3339 timestamp");
  payload = sample_json("orders_create.json");
  payload["line_items"] = Json::array();
  expect_schema_failure("orders/create", payload, "payload.line_items: expected at least one line");
  payload = sample_json("orders_create.json");
  payload["total_price"] = "-1.00";
  expect_schema_failure("orders/create", payload,
                        "payload.total_price: expected a non-negative amount");
  payload = sample_json("orders_create.json");
  payload["created_at"] = "1969-12-31T23:59:59Z";
  expect_schema_failure("orders/create", payload,
                        "payload.created_at: expected an RFC 3339 timestamp");
  payload = sample_json("orders_create.json");
  payload["line_items"][0]["price"] = 24.99;  // a number is read through its exact text
  EXPECT_EQ(map_json("orders/create", payload).events[0]["data"]["order"]["items"][0]["unit_price"],
            2499);
}

TEST(ShopifyOrderUpdated, DeliveredWhenEveryShippedFulfillmentIsDelivered) {
  const MappedEvents mapped = deliver("orders/updated", "orders_updated.json");
  ASSERT_EQ(mapped.events.size(), 1u);
  const Json &e = mapped.events[0];
  EXPECT_EQ(e["type"], "order.updated");
  EXPECT_EQ(e["id"], "shopify:order.updated:5623984128:" +
                         payload_digest(sample_json("orders_updated.json")));
  EXPECT_EQ(e["occurred_at"], "2026-03-18T20:02:11Z");
  const Json &data = e["data"];
  EXPECT_EQ(data["order_id"], "5623984128");
  EXPECT_EQ(data["status"], "delivered");  // the cancelled fulfillment does not count
  EXPECT_EQ(data["total"], 16148);
  EXPECT_EQ(data["currency"], "USD");
  EXPECT_EQ(data["refunded"], 2499);  // the failed refund transaction is not money back
  EXPECT_EQ(data["updated_at"], "2026-03-18T20:02:11Z");
  EXPECT_EQ(data["items"].size(), 2u);
  // What the status was derived from stays visible.
  EXPECT_EQ(data["platform"]["fulfillment_status"], "fulfilled");
  EXPECT_EQ(data["platform"]["financial_status"], "partially_refunded");
  EXPECT_EQ(data["platform"]["refunds"][0]["note"], "Chipped handle");
}

TEST(ShopifyOrderUpdated, StatusDerivation) {
  const Json base = sample_json("orders_updated.json");
  auto status_of = [](const Json &payload) {
    return map_json("orders/updated", payload).events.at(0)["data"]["status"].get<std::string>();
  };
  Json p = base;
  p["fulfillments"][0]["shipment_status"] = "in_transit";
  EXPECT_EQ(status_of(p), "shipped");
  p["fulfillments"] = Json::array();
  EXPECT_EQ(status_of(p), "shipped");
  p["fulfillment_status"] = "partial";
  EXPECT_EQ(status_of(p), "processing");
  p["fulfillment_status"] = nullptr;
  p["financial_status"] = "pending";
  EXPECT_EQ(status_of(p), "pending");
  p["financial_status"] = "authorized";
  EXPECT_EQ(status_of(p), "processing");
  p["cancelled_at"] = "2026-03-18T16:00:00-04:00";
  EXPECT_EQ(status_of(p), "cancelled");
  // orders/paid carries the same order object.
  EXPECT_EQ(map_json("orders/paid", base).events.at(0)["type"], "order.updated");
}

TEST(ShopifyOrderUpdated, OrderEditsChangeTheLines) {
  Json p = sample_json("orders_updated.json");
  p["line_items"][0]["current_quantity"] = 1;
  p["line_items"][1]["current_quantity"] = 0;
  const Json data = map_json("orders/updated", p).events.at(0)["data"];
  ASSERT_EQ(data["items"].size(), 1u);
  EXPECT_EQ(data["items"][0]["line_id"], "13733512970");
  EXPECT_EQ(data["items"][0]["quantity"], 1);
  EXPECT_EQ(data["platform"]["line_items"][0]["quantity"], 2);
  EXPECT_EQ(data["platform"]["line_items"][1]["sku"], "POT-HT-01");  // the removed line, whole
}

TEST(ShopifyOrderUpdated, OlderUpdatesKeepTheirOwnUpdatedAt) {
  // Shopify may deliver an older update after a newer one. Both map, each
  // with its own updated_at, so the domain can refuse the stale one.
  Json newer = sample_json("orders_updated.json");
  Json older = newer;
  older["updated_at"] = "2026-03-16T08:00:00-04:00";
  older["fulfillment_status"] = nullptr;
  const Json a = map_json("orders/updated", newer).events[0];
  const Json b = map_shopify("orders/updated",
                             delivery_headers("orders/updated", older.dump(), "other-event-id"),
                             older)
                     .events[0];
  EXPECT_EQ(a["data"]["updated_at"], "2026-03-18T20:02:11Z");
  EXPECT_EQ(b["data"]["updated_at"], "2026-03-16T12:00:00Z");
  EXPECT_LT(parse_rfc3339(b["data"]["updated_at"].get<std::string>()),
            parse_rfc3339(a["data"]["updated_at"].get<std::string>()));
  EXPECT_NE(a["id"], b["id"]);
}

TEST(ShopifyOrderCancelled, IsAnUpdateToCancelled) {
  const Json e = deliver("orders/cancelled", "orders_cancelled.json").events.at(0);
  EXPECT_EQ(e["type"], "order.updated");
  EXPECT_EQ(e["occurred_at"], "2026-05-04T09:15:29Z");
  EXPECT_EQ(e["data"]["status"], "cancelled");
  EXPECT_EQ(e["data"]["reason"], "customer");
  EXPECT_EQ(e["data"]["total"], 3500);
  EXPECT_EQ(e["data"]["updated_at"], "2026-05-04T09:15:30Z");
  // Paid and refunded: the payment was not a voided authorisation.
  EXPECT_FALSE(e["data"].contains("payment_voided"));
}

TEST(ShopifyOrderCancelled, OutOfStockWithTheAuthorisationVoided) {
  const Json e = deliver("orders/cancelled", "orders_cancelled_inventory.json").events.at(0);
  EXPECT_EQ(e["type"], "order.updated");
  EXPECT_EQ(e["data"]["status"], "cancelled");
  EXPECT_EQ(e["data"]["reason"], "inventory");
  EXPECT_EQ(e["data"]["payment_voided"], true);
  EXPECT_EQ(e["data"]["platform"]["financial_status"], "voided");
}

TEST(ShopifyFulfillment, OutForDeliveryIsInTransitWithTheFinerStatusKept) {
  const Json e = deliver("fulfillments/update", "fulfillments_update.json").events.at(0);
  EXPECT_EQ(e["type"], "shipment.updated");
  EXPECT_EQ(e["occurred_at"], "2026-03-17T11:45:12Z");
  EXPECT_EQ(e["data"]["order_id"], "5623984128");
  EXPECT_EQ(e["data"]["shipment_id"], "4455667788");
  EXPECT_EQ(e["data"]["carrier"], "PostNord");
  EXPECT_EQ(e["data"]["tracking_number"], "UA123456789SE");
  EXPECT_EQ(e["data"]["status"], "in_transit");
  EXPECT_EQ(e["data"]["reason"], "out_for_delivery");
  EXPECT_EQ(e["data"]["updated_at"], "2026-03-17T11:45:12Z");
  EXPECT_EQ(e["data"]["platform"]["shipment_status"], "out_for_delivery");
  EXPECT_EQ(e["data"]["platform"]["tracking_urls"][0], "https://tracking.example/UA123456789SE");
}

TEST(ShopifyFulfillment, ShipmentStatusTable) {
  struct Row {
    Json fulfillment_status, shipment_status;
    const char *status, *reason;
  };
  const Row rows[] = {
      {"success", nullptr, "in_transit", nullptr},
      {"success", "confirmed", "in_transit", "confirmed"},
      {"success", "label_purchased", "in_transit", "label_purchased"},
      {"success", "in_transit", "in_transit", nullptr},
      {"success", "ready_for_pickup", "in_transit", "ready_for_pickup"},
      {"success", "delayed", "delayed", nullptr},
      {"success", "attempted_delivery", "delivery_failed", "attempted_delivery"},
      {"success", "failure", "delivery_failed", "failure"},
      {"success", "delivered", "delivered", nullptr},
      {"success", "picked_up", "delivered", "picked_up"},
      {"failure", nullptr, "delivery_failed", "fulfillment_failure"},
      {"error", "in_transit", "delivery_failed", "fulfillment_error"},
  };
  const Json base = sample_json("fulfillments_update.json");
  for (const Row &row : rows) {
    Json p = base;
    p["status"] = row.fulfillment_status;
    p["shipment_status"] = row.shipment_status;
    const MappedEvents mapped = map_json("fulfillments/create", p);
    ASSERT_EQ(mapped.events.size(), 1u) << row.shipment_status;
    const Json &data = mapped.events[0]["data"];
    EXPECT_EQ(data["status"], row.status) << row.shipment_status;
    if (row.reason)
      EXPECT_EQ(data["reason"], row.reason) << row.shipment_status;
    else
      EXPECT_FALSE(data.contains("reason")) << row.shipment_status;
  }
  for (const auto &[status, shipment] : std::initializer_list<std::pair<Json, Json>>{
           {"pending", nullptr}, {"open", nullptr}, {"cancelled", "in_transit"},
           {"success", "label_voided"}, {"success", "teleported"}}) {
    Json p = base;
    p["status"] = status;
    p["shipment_status"] = shipment;
    const MappedEvents mapped = map_json("fulfillments/update", p);
    EXPECT_TRUE(mapped.events.empty()) << status << " " << shipment;
    EXPECT_EQ(mapped.reason.rfind("ignored: ", 0), 0u) << mapped.reason;
  }
}

TEST(ShopifyRefund, OrdercaresOwnRefundBecomesARefundResult) {
  const MappedEvents mapped = deliver("refunds/create", "refunds_create.json");
  ASSERT_EQ(mapped.events.size(), 1u);
  const Json &e = mapped.events[0];
  EXPECT_EQ(e["type"], "refund.result");
  EXPECT_EQ(e["occurred_at"], "2026-03-19T14:00:01Z");
  EXPECT_EQ(e["data"]["refund_id"], "rf_01HV3K9Q2M");
  EXPECT_EQ(e["data"]["status"], "succeeded");
  EXPECT_EQ(e["data"]["amount"], 10650);
  EXPECT_EQ(e["data"]["currency"], "USD");
  EXPECT_EQ(e["data"]["host_reference"], "88002");
  EXPECT_EQ(e["data"]["order_id"], "5623984128");
  EXPECT_EQ(e["data"]["platform"]["note"],
            "Damaged in transit [ordercare-refund:rf_01HV3K9Q2M] approved by agent");
  EXPECT_EQ(e["data"]["platform"]["refund_line_items"][0]["line_item_id"], 13733512971);
}

// A refund made in the Shopify admin is money gone back all the same: it
// is booked on the order's ledger (refund.recorded), keyed by its own id.
TEST(ShopifyRefund, AMerchantsRefundIsRecorded) {
  const MappedEvents mapped = deliver("refunds/create", "refunds_create_admin.json");
  ASSERT_EQ(mapped.events.size(), 1u);
  const Json &e = mapped.events[0];
  EXPECT_EQ(e["type"], "refund.recorded");
  EXPECT_EQ(e["id"], "shopify:refund.recorded:88017");
  EXPECT_EQ(e["occurred_at"], "2026-03-21T19:12:04Z");
  EXPECT_EQ(e["data"]["order_id"], "5623984128");
  EXPECT_EQ(e["data"]["refund_id"], "88017");
  EXPECT_EQ(e["data"]["amount"], 1500);
  EXPECT_EQ(e["data"]["currency"], "USD");
  EXPECT_EQ(e["data"]["reason"], "Goodwill: late delivery");
  EXPECT_EQ(e["data"]["platform"]["user_id"], 548380009);

  // Still pending, or nothing paid back (a restock only): nothing to book.
  Json p = sample_json("refunds_create_admin.json");
  p["transactions"][0]["status"] = "pending";
  MappedEvents none = map_json("refunds/create", p);
  EXPECT_TRUE(none.events.empty());
  EXPECT_NE(none.reason.find("pending"), std::string::npos);
  p["transactions"] = Json::array();
  none = map_json("refunds/create", p);
  EXPECT_TRUE(none.events.empty());
  EXPECT_NE(none.reason.find("paid nothing back"), std::string::npos);
}

TEST(ShopifyRefund, OtherRefundsAndUnfinishedOnes) {
  Json p = sample_json("refunds_create.json");
  p["note"] = "Goodwill refund by the merchant";
  MappedEvents mapped = map_json("refunds/create", p);
  ASSERT_EQ(mapped.events.size(), 1u);
  EXPECT_EQ(mapped.events[0]["type"], "refund.recorded");
  EXPECT_EQ(mapped.events[0]["data"]["amount"], 10650);

  p = sample_json("refunds_create.json");
  p["transactions"][0]["status"] = "pending";
  mapped = map_json("refunds/create", p);
  EXPECT_TRUE(mapped.events.empty());
  EXPECT_NE(mapped.reason.find("pending"), std::string::npos);

  p = sample_json("refunds_create.json");
  p["transactions"][0]["status"] = "failure";
  p["transactions"][0]["message"] = "Card expired";
  mapped = map_json("refunds/create", p);
  ASSERT_EQ(mapped.events.size(), 1u);
  EXPECT_EQ(mapped.events[0]["data"]["status"], "failed");
  EXPECT_EQ(mapped.events[0]["data"]["reason"], "Card expired");
  EXPECT_FALSE(mapped.events[0]["data"].contains("amount"));
}

TEST(ShopifyReturn, RequestWithReasonsAndGlobalIds) {
  const Json e = deliver("returns/request", "returns_request.json").events.at(0);
  EXPECT_EQ(e["type"], "return.requested");
  // The payload has no timestamp of its own: the trigger time is used.
  EXPECT_EQ(e["occurred_at"], "2026-03-19T14:00:00.123Z");
  EXPECT_EQ(e["data"]["return_id"], "3344556");
  EXPECT_EQ(e["data"]["order_id"], "5623984128");
  ASSERT_EQ(e["data"]["items"].size(), 2u);
  EXPECT_EQ(e["data"]["items"][0], Json::parse(R"({"line_id":"13733512970","quantity":1,
      "reason":"damaged","note":"Handle snapped off — händelsen var olycklig"})"));
  EXPECT_EQ(e["data"]["items"][1], Json::parse(R"({"line_id":"13733512971","quantity":1,
      "reason":"changed_mind"})"));
  EXPECT_EQ(e["data"]["platform"]["return_line_items"][1]["return_reason"], "size_too_small");
  EXPECT_EQ(e["data"]["platform"]["name"], "#1042-R1");
}

TEST(ShopifyInventory, AStockLevelOfZeroOrMoreIsAcknowledgedAndIgnored) {
  const MappedEvents mapped = deliver("inventory_levels/update", "inventory_levels_update.json");
  EXPECT_TRUE(mapped.events.empty());
  EXPECT_EQ(mapped.reason,
            "ignored: inventory_levels/update reports 6 available; only a negative count (oversold) is a discrepancy");
  Json p = sample_json("inventory_levels_update.json");
  p["available"] = 0;
  EXPECT_TRUE(map_json("inventory_levels/update", p).events.empty());
  p["available"] = nullptr;  // an item whose stock Shopify does not track
  EXPECT_TRUE(map_json("inventory_levels/update", p).events.empty());
}

// Negative available: Shopify sold more than it has. The payload names the
// inventory item, never a SKU, so the discrepancy is on the item.
TEST(ShopifyInventory, ANegativeLevelIsAnOversoldDiscrepancyOnTheItem) {
  const MappedEvents mapped = deliver("inventory_levels/update", "inventory_levels_update_oversold.json");
  ASSERT_EQ(mapped.events.size(), 1u);
  const Json &e = mapped.events[0];
  EXPECT_EQ(e["type"], "inventory.discrepancy");
  EXPECT_EQ(e["occurred_at"], "2026-03-19T15:05:00Z");
  EXPECT_EQ(e["data"]["sku"], "shopify-inventory-item:271878346596884015");
  EXPECT_EQ(e["data"]["location"], "shopify-location:24826418");
  EXPECT_EQ(e["data"]["oversold"], 3);
  EXPECT_EQ(e["data"]["system_count"], 0);
  EXPECT_EQ(e["data"]["physical_count"], 0);
  EXPECT_EQ(e["data"]["reported_by"], "shopify");
  EXPECT_FALSE(e["data"]["platform"].contains("available"));
  const Json p = sample_json("inventory_levels_update_oversold.json");
  EXPECT_EQ(e["id"], "shopify:inventory.discrepancy:271878346596884015@24826418:" + payload_digest(p));

  Json bad = p;
  bad["available"] = "-3";
  expect_schema_failure("inventory_levels/update", bad, "payload.available: expected an integer");
}

// The mandatory privacy topics: ids only, never the e-mail or phone the
// request is about.
TEST(ShopifyPrivacy, CustomersRedactNamesTheCustomerAndTheirOrders) {
  const MappedEvents mapped = deliver("customers/redact", "customers_redact.json");
  ASSERT_EQ(mapped.events.size(), 1u);
  const Json &e = mapped.events[0];
  EXPECT_EQ(e["type"], "privacy.requested");
  EXPECT_EQ(e["store"], "keramik-o.myshopify.com");
  EXPECT_EQ(e["occurred_at"], "2026-03-19T14:00:00.123Z");
  EXPECT_EQ(e["data"], Json::parse(R"({"kind":"customer_redact","shop":"keramik-o.myshopify.com",
      "customer_id":"207119551","order_ids":["5623984128","6001002006"]})"));
  EXPECT_EQ(e.dump().find("ada.jensen"), std::string::npos);
  EXPECT_EQ(e.dump().find("4520123456"), std::string::npos);
  EXPECT_EQ(e["id"], "shopify:privacy.requested:customers-redact:" + payload_digest(sample_json("customers_redact.json")));
}

TEST(ShopifyPrivacy, DataRequestAndShopRedact) {
  const Json request = deliver("customers/data_request", "customers_data_request.json").events.at(0);
  EXPECT_EQ(request["data"], Json::parse(R"({"kind":"customer_data_request","shop":"keramik-o.myshopify.com",
      "customer_id":"207119551","order_ids":["5623984128"],"request_id":"9999"})"));
  EXPECT_EQ(request.dump().find("ada.jensen"), std::string::npos);
  const Json shop = deliver("shop/redact", "shop_redact.json").events.at(0);
  EXPECT_EQ(shop["data"], Json::parse(R"({"kind":"shop_redact","shop":"keramik-o.myshopify.com"})"));

  // Neither a customer nor an order: nothing to act on.
  Json p = sample_json("customers_redact.json");
  p.erase("customer");
  p.erase("orders_to_redact");
  expect_schema_failure("customers/redact", p, "payload.customer.id: required (or orders_to_redact)");
  p = sample_json("customers_redact.json");
  p["orders_to_redact"] = Json::array({5623984128, nullptr});
  expect_schema_failure("customers/redact", p, "payload.orders_to_redact[1]: expected an order id");
  p = sample_json("shop_redact.json");
  p.erase("shop_domain");
  expect_schema_failure("shop/redact", p, "payload.shop_domain: required");
}

TEST(ShopifyTopics, UnknownTopicsAreIgnoredWithAReason) {
  const MappedEvents mapped = map_shopify("products/update", Headers{}, Json::object());
  EXPECT_TRUE(mapped.events.empty());
  EXPECT_EQ(mapped.reason, "ignored: topic products/update");
}

// The HMAC covers the body alone: a captured delivery resent with new
// X-Shopify-Event-Id, -Webhook-Id and -Triggered-At headers must map to the
// ids it had, or it would be stored as a new event.
TEST(ShopifyDelivery, IdsComeFromTheSignedBodyNeverFromTheHeaders) {
  const char *samples[][2] = {{"orders/create", "orders_create.json"},
                              {"orders/updated", "orders_updated.json"},
                              {"orders/cancelled", "orders_cancelled.json"},
                              {"fulfillments/update", "fulfillments_update.json"},
                              {"refunds/create", "refunds_create.json"},
                              {"returns/request", "returns_request.json"}};
  for (const auto &[topic, sample] : samples) {
    const Json payload = sample_json(sample);
    const MappedEvents first = map_json(topic, payload);
    Headers replay{{"X-Shopify-Topic", topic},
                   {"X-Shopify-Shop-Domain", "another.myshopify.com"},
                   {"X-Shopify-Webhook-Id", "forged-webhook-id"},
                   {"X-Shopify-Event-Id", "forged-event-id"},
                   {"X-Shopify-Triggered-At", "2026-03-20T09:00:00Z"}};
    const MappedEvents again = map_shopify(topic, replay, payload);
    ASSERT_EQ(first.events.size(), 1u) << topic;
    ASSERT_EQ(again.events.size(), 1u) << topic;
    EXPECT_EQ(again.events[0]["id"], first.events[0]["id"]) << topic;
    // No id header is needed at all.
    const Headers no_ids{{"X-Shopify-Triggered-At", "2026-03-19T14:00:00Z"}};
    EXPECT_EQ(map_shopify(topic, no_ids, payload).events.at(0)["id"], first.events[0]["id"]) << topic;
  }
  EXPECT_EQ(map_json("fulfillments/update", sample_json("fulfillments_update.json")).events[0]["id"],
            "shopify:shipment.updated:4455667788:" + payload_digest(sample_json("fulfillments_update.json")));
  EXPECT_EQ(map_json("refunds/create", sample_json("refunds_create.json")).events[0]["id"],
            "shopify:refund.result:88002");
  EXPECT_EQ(map_json("returns/request", sample_json("returns_request.json")).events[0]["id"],
            "shopify:return.requested:3344556");
  EXPECT_EQ(map_json("orders/cancelled", sample_json("orders_cancelled.json")).events[0]["id"],
            "shopify:order.cancelled:6001002006");
}

TEST(ShopifyDelivery, AnyChangeToWhatChangesIsANewEvent) {
  // Two states of one shipment are two events, however close in time.
  Json f = sample_json("fulfillments_update.json");
  const Json a = map_json("fulfillments/update", f).events.at(0);
  f["shipment_status"] = "failure";
  const Json b = map_json("fulfillments/update", f).events.at(0);
  EXPECT_NE(a["id"], b["id"]);
  // The same for an order: two changes within one second of updated_at.
  Json o = sample_json("orders_updated.json");
  const Json c = map_json("orders/updated", o).events.at(0);
  o["financial_status"] = "refunded";
  EXPECT_NE(map_json("orders/updated", o).events.at(0)["id"], c["id"]);
  // Spacing is not content: the signed body re-serialized keeps its id.
  EXPECT_EQ(map_json("orders/updated", parse_json(o.dump(2), "payload")).events.at(0)["id"],
            map_json("orders/updated", o).events.at(0)["id"]);
}

TEST(ShopifyDelivery, UnparseableBodiesAreJsonErrorsNotCrashes) {
  // Found by fuzz_shopify_mapper: a number beyond double range escaped
  // parse_json as nlohmann's out_of_range.
  for (const char *body : {R"({"id":6100002e02603})", R"({"total_price":1e400})", "{\"id\":"}) {
    try {
      parse_json(body, "payload");
      ADD_FAILURE() << body;
    } catch (const Failure &f) {
      EXPECT_EQ(f.status(), OC_ERR_JSON) << body;
    }
  }
}

TEST(ShopifyDelivery, DuplicatesMapIdenticallyAndTopicsMapByWhatTheBodySays) {
  const std::string body = read_sample("orders_updated.json");
  const MappedEvents first = deliver_body("orders/updated", body);
  const MappedEvents retry = deliver_body("orders/updated", body);
  EXPECT_EQ(first.events, retry.events);
  // One order change triggers orders/updated, orders/paid, ... with one body,
  // and the topic is not signed: they are one fact, stored once.
  for (const char *topic : {"orders/paid", "orders/fulfilled", "orders/partially_fulfilled"})
    EXPECT_EQ(deliver_body(topic, body).events, first.events) << topic;
  // The creation of an order is not its update, though Shopify often sends
  // both with the same body.
  EXPECT_NE(deliver_body("orders/create", read_sample("orders_create.json")).events[0]["id"],
            map_json("orders/updated", sample_json("orders_create.json")).events[0]["id"]);
}

// The topic header is not signed: a paid order's body resent as
// orders/cancelled must not cancel it.
TEST(ShopifyDelivery, OnlyACancelledPayloadCancels) {
  expect_schema_failure("orders/cancelled", sample_json("orders_create.json"),
                        "payload.cancelled_at: required for orders/cancelled");
}

}  // namespace
}  // namespace ordercare::ingest
