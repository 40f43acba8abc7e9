// WooCommerce deliveries below the socket: samples under
// tests/data/webhooks/woocommerce/ are signed, verified on their exact
// bytes, parsed, mapped, and checked against the canonical schema.
#include "ingest/woocommerce_mapper.h"

#include <gtest/gtest.h>


#include "common/failure.h"
#include "ingest/webhook_signature.h"
#include "support/webhook_samples.h"

namespace ordercare::ingest {
namespace {

constexpr std::string_view kSecret = "wc_secret_5f4dcc3b5aa765d61d8327de";
constexpr std::string_view kSource = "https://tienda.example/";
constexpr std::string_view kDelivery = "36e520ebabc2fa725092ff4a47acedf2";
constexpr TimeMs kNow = 1'773'500'000'000;

std::string read_sample(const std::string &name) { return testing::read_webhook_sample("woocommerce", name); }

Json sample_json(const std::string &name) { return testing::webhook_sample_json("woocommerce", name); }

Headers delivery_headers(std::string_view topic, std::string_view body,
                         std::string_view delivery = kDelivery, std::string_view source = kSource) {
  const std::size_t dot = topic.find('.');
  return Headers{{"X-WC-Webhook-Source", std::string(source)},
                 {"X-WC-Webhook-Topic", std::string(topic)},
                 {"X-WC-Webhook-Resource", std::string(topic.substr(0, dot))},
                 {"X-WC-Webhook-Event", std::string(topic.substr(dot + 1))},
                 {"X-WC-Webhook-Signature", woocommerce_signature(kSecret, body)},
                 {"X-WC-Webhook-ID", "3"},
                 {"X-WC-Webhook-Delivery-ID", std::string(delivery)}};
}

MappedEvents deliver_body(std::string_view topic, const std::string &body) {
  const Headers headers = delivery_headers(topic, body);
  const VerifyResult verified =
      verify_woocommerce(headers, body, SecretSet{std::string(kSecret), {}, 0}, kNow);
  EXPECT_TRUE(verified.ok()) << verified.message;
  return testing::validated(map_woocommerce(topic, headers, parse_json(body, "payload")));
}

MappedEvents deliver(std::string_view topic, const std::string &sample) {
  return deliver_body(topic, read_sample(sample));
}

MappedEvents map_json(std::string_view topic, const Json &payload) {
  return testing::validated(map_woocommerce(topic, delivery_headers(topic, payload.dump()), payload));
}

TEST(WooCommerceOrderCreated, MapsAProcessingOrder) {
  const MappedEvents mapped = deliver("order.created", "order_created.json");
  ASSERT_EQ(mapped.events.size(), 1u) << "processing is implied by creation";
  const Json e = mapped.events[0];
  EXPECT_EQ(e["id"], "woocommerce:https://tienda.example:order.created:4750");
  EXPECT_EQ(e["type"], "order.created");
  EXPECT_EQ(e["source"], "woocommerce");
  EXPECT_EQ(e["store"], "https://tienda.example");
  EXPECT_EQ(e["occurred_at"], "2026-03-11T19:12:57Z");
  const Json &order = e["data"]["order"];
  EXPECT_EQ(order["id"], "4750");
  EXPECT_EQ(order["number"], "4750");
  EXPECT_EQ(order["placed_at"], "2026-03-11T19:12:57Z");
  EXPECT_EQ(order["currency"], "CLP");
  EXPECT_EQ(order["total"], 15990);  // CLP has no minor unit
  EXPECT_EQ(order["channel"], "web");
  EXPECT_EQ(order["customer"], Json::parse(R"({"id":"27","name":"José Muñoz",
      "email":"jose.munoz@example.cl","phone":"+56 9 8765 4321"})"));
  EXPECT_EQ(order["items"], Json::parse(R"json([
      {"line_id":"315","sku":"POL-ALG-M","name":"Polera de algodón — Talla M","quantity":2,"unit_price":6000},
      {"line_id":"316","sku":"woocommerce-product-110","name":"Calcetines (sin SKU)","quantity":3,"unit_price":0}])json"));
  EXPECT_EQ(order["shipping_address"]["address_1"], "Av. Providencia 1234");
  EXPECT_EQ(order["note"], "Dejar en conserjería, por favor. ¡Gracias!");
  EXPECT_EQ(e["data"]["updated_at"], "2026-03-11T19:13:02Z");

  const Json &platform = e["data"]["platform"];
  EXPECT_EQ(platform["status"], "processing");
  EXPECT_EQ(platform["date_created"], "2026-03-11T16:12:57");
  EXPECT_EQ(platform["billing"]["address_1"], "Av. Providencia 1234");
  EXPECT_EQ(platform["meta_data"][0]["value"], "12.345.678-5");
  EXPECT_EQ(platform["line_items"][0]["price"], 6000);
  EXPECT_EQ(platform["line_items"][0]["variation_id"], 101);
  EXPECT_EQ(platform["shipping_lines"][0]["method_title"], "Envío a domicilio");
  EXPECT_FALSE(platform.contains("total"));
  EXPECT_FALSE(platform.contains("shipping"));
  EXPECT_FALSE(platform["billing"].contains("email"));
}

TEST(WooCommerceOrderCreated, BornInALaterStateAlsoReportsThatState) {
  const MappedEvents mapped = deliver("order.created", "order_updated_kwd.json");
  ASSERT_EQ(mapped.events.size(), 2u);
  EXPECT_EQ(mapped.events[0]["type"], "order.created");
  EXPECT_EQ(mapped.events[1]["type"], "order.updated");
  EXPECT_EQ(mapped.events[0]["id"], "woocommerce:https://tienda.example:order.created:8812");
  EXPECT_EQ(mapped.events[1]["id"], "woocommerce:https://tienda.example:order.updated:8812:" +
                                        payload_digest(sample_json("order_updated_kwd.json")));
  // The same body as order.updated is the same status event.
  EXPECT_EQ(deliver("order.updated", "order_updated_kwd.json").events.at(0)["id"], mapped.events[1]["id"]);
  EXPECT_EQ(mapped.events[1]["data"]["status"], "shipped");
  const Json &order = mapped.events[0]["data"]["order"];
  EXPECT_EQ(order["channel"], "phone");  // created in wp-admin
  EXPECT_EQ(order["customer"]["id"], "woocommerce-guest-8812");
  EXPECT_EQ(order["customer"]["name"], "Nasser");
  EXPECT_FALSE(order.contains("shipping_address")) << "an all-empty address is no address";
  EXPECT_TRUE(mapped.events[0]["data"].contains("platform"));
  EXPECT_FALSE(mapped.events[1]["data"].contains("platform"));
}

TEST(WooCommerceOrderUpdated, CompletedKwdOrder) {
  const MappedEvents mapped = deliver("order.updated", "order_updated_kwd.json");
  ASSERT_EQ(mapped.events.size(), 1u);
  const Json &data = mapped.events[0]["data"];
  EXPECT_EQ(mapped.events[0]["occurred_at"], "2026-04-03T14:20:05Z");
  EXPECT_EQ(data["order_id"], "8812");
  EXPECT_EQ(data["status"], "shipped");
  EXPECT_EQ(data["currency"], "KWD");
  EXPECT_EQ(data["total"], 25500);
  EXPECT_EQ(data["items"][0]["unit_price"], 8500);
  EXPECT_EQ(data["updated_at"], "2026-04-03T14:20:05Z");
}

TEST(WooCommerceOrderUpdated, StatusTable) {
  const Json base = sample_json("order_created.json");
  for (const auto &[status, expected] : std::initializer_list<std::pair<const char *, const char *>>{
           {"pending", "pending"},
           {"on-hold", "pending"},
           {"processing", "processing"},
           {"completed", "shipped"},
           {"cancelled", "cancelled"},
           {"shipped", "shipped"},
           {"delivered", "delivered"}}) {
    Json p = base;
    p["status"] = status;
    const MappedEvents mapped = map_json("order.updated", p);
    ASSERT_EQ(mapped.events.size(), 1u) << status;
    EXPECT_EQ(mapped.events[0]["type"], "order.updated") << status;
    EXPECT_EQ(mapped.events[0]["data"]["status"], expected) << status;
    EXPECT_EQ(mapped.events[0]["data"]["platform"]["status"], status);
  }
  for (const char *status : {"checkout-draft", "trash", "refunded", "wc-awaiting-stock"}) {
    Json p = base;
    p["status"] = status;
    const MappedEvents mapped = map_json("order.updated", p);
    EXPECT_TRUE(mapped.events.empty()) << status;
    EXPECT_EQ(mapped.reason.rfind("ignored: order status ", 0), 0u) << mapped.reason;
  }
}

TEST(WooCommerceOrderUpdated, FailedIsAPaymentFailure) {
  const MappedEvents mapped = deliver("order.updated", "order_failed.json");
  ASSERT_EQ(mapped.events.size(), 1u);
  const Json &e = mapped.events[0];
  EXPECT_EQ(e["type"], "payment.failed");
  EXPECT_EQ(e["data"]["order_id"], "8814");
  EXPECT_EQ(e["data"]["amount"], 5400);
  EXPECT_EQ(e["data"]["currency"], "JPY");
  EXPECT_EQ(e["data"]["platform"]["payment_method_title"], "Credit card");

  const MappedEvents created = deliver("order.created", "order_failed.json");
  ASSERT_EQ(created.events.size(), 2u);
  EXPECT_EQ(created.events[0]["type"], "order.created");
  EXPECT_EQ(created.events[0]["data"]["order"]["channel"], "web");  // block checkout
  EXPECT_EQ(created.events[1]["type"], "payment.failed");
}

// Status refunded with two refunds listed: ordercare's own answers its
// request, the merchant's (shipping given back in the admin) is booked on
// the order's ledger.
TEST(WooCommerceRefunds, OrdercaresRefundsAreResultsAndTheOthersAreRecorded) {
  const MappedEvents mapped = deliver("order.updated", "order_refunded.json");
  ASSERT_EQ(mapped.events.size(), 2u);
  const Json &e = mapped.events[0];
  EXPECT_EQ(e["type"], "refund.result");
  EXPECT_EQ(e["data"]["refund_id"], "rf_7Q2W");
  EXPECT_EQ(e["data"]["status"], "succeeded");
  EXPECT_EQ(e["data"]["amount"], 4990);
  EXPECT_EQ(e["data"]["currency"], "EUR");
  EXPECT_EQ(e["data"]["host_reference"], "8820");
  EXPECT_EQ(e["data"]["order_id"], "8813");
  const Json &recorded = mapped.events[1];
  EXPECT_EQ(recorded["type"], "refund.recorded");
  EXPECT_EQ(recorded["id"], "woocommerce:https://tienda.example:refund.recorded:8819");
  EXPECT_EQ(recorded["data"]["order_id"], "8813");
  EXPECT_EQ(recorded["data"]["refund_id"], "8819");
  EXPECT_EQ(recorded["data"]["amount"], 1000);
  EXPECT_EQ(recorded["data"]["currency"], "EUR");
  EXPECT_EQ(recorded["data"]["reason"], "Frais de port offerts");

  // Refunded with no refund listed: nothing says how much went back.
  Json p = sample_json("order_refunded.json");
  p["refunds"] = Json::array();
  const MappedEvents none = map_json("order.updated", p);
  EXPECT_TRUE(none.events.empty());
  EXPECT_NE(none.reason.find("lists no refund"), std::string::npos);

  // A partial refund leaves the status as it was: every fact is reported.
  p = sample_json("order_refunded.json");
  p["status"] = "completed";
  const MappedEvents all = map_json("order.updated", p);
  ASSERT_EQ(all.events.size(), 3u);
  EXPECT_EQ(all.events[0]["data"]["status"], "shipped");
  EXPECT_EQ(all.events[1]["type"], "refund.result");
  EXPECT_EQ(all.events[2]["type"], "refund.recorded");
}

TEST(WooCommerceLines, UnitPriceFromTheExactSubtotal) {
  Json p = sample_json("order_created.json");
  p["currency"] = "USD";
  p["total"] = "10.05";
  p["line_items"][0]["subtotal"] = "10.00";
  p["line_items"][0]["quantity"] = 3;
  p["line_items"][0]["price"] = 3.3333333333333335;
  p["line_items"][1]["subtotal"] = "0.05";
  p["line_items"][1]["quantity"] = 2;
  const Json items = map_json("order.created", p).events[0]["data"]["order"]["items"];
  EXPECT_EQ(items[0]["unit_price"], 333);
  EXPECT_EQ(items[1]["unit_price"], 3);  // 2.5 rounds half up
  p["line_items"][0].erase("subtotal");
  p["line_items"][0]["price"] = "3.33";
  EXPECT_EQ(map_json("order.created", p).events[0]["data"]["order"]["items"][0]["unit_price"], 333);
}

TEST(WooCommerceDelivery, PingsAndOtherTopicsMapToNothing) {
  EXPECT_TRUE(is_woocommerce_ping("webhook_id=3"));
  const MappedEvents ping = map_woocommerce("", Headers{}, Json::object());
  EXPECT_TRUE(ping.events.empty());
  const MappedEvents deleted = map_woocommerce("order.deleted", Headers{}, Json{{"id", 1}});
  EXPECT_EQ(deleted.reason, "ignored: topic order.deleted");
  EXPECT_EQ(map_woocommerce("product.updated", Headers{}, Json::object()).reason,
            "ignored: topic product.updated");
}

TEST(WooCommerceDelivery, DuplicatesAndReordering) {
  const std::string body = read_sample("order_updated_kwd.json");
  EXPECT_EQ(deliver_body("order.updated", body).events, deliver_body("order.updated", body).events);

  Json older = sample_json("order_updated_kwd.json");
  older["status"] = "processing";
  older["date_modified_gmt"] = "2026-04-02T09:00:00";
  const Json stale = map_woocommerce("order.updated",
                                     delivery_headers("order.updated", older.dump(), "aaaa1111"),
                                     older)
                         .events.at(0);
  EXPECT_EQ(stale["data"]["updated_at"], "2026-04-02T09:00:00Z");
  EXPECT_EQ(stale["id"], "woocommerce:https://tienda.example:order.updated:8812:" + payload_digest(older));
}

// The signature covers the body alone, and the delivery id is a hash of the
// webhook id and the current second: a captured delivery resent under a new
// delivery id keeps its ids, and two orders sent in one second stay two.
TEST(WooCommerceDelivery, IdsComeFromTheSignedBodyNeverFromTheDeliveryId) {
  const Json order = sample_json("order_updated_kwd.json");
  const MappedEvents first = map_woocommerce(
      "order.created", delivery_headers("order.created", order.dump(), "d-first"), order);
  const MappedEvents replay = map_woocommerce(
      "order.created", delivery_headers("order.created", order.dump(), "d-replayed"), order);
  ASSERT_EQ(first.events.size(), 2u);
  EXPECT_EQ(replay.events, first.events);
  const Headers no_delivery{{"X-WC-Webhook-Source", std::string(kSource)}};
  EXPECT_EQ(map_woocommerce("order.created", no_delivery, order).events, first.events);

  Json other = sample_json("order_created.json");
  const MappedEvents a = map_woocommerce(
      "order.created", delivery_headers("order.created", other.dump(), "same-second"), other);
  other["id"] = 4751;
  const MappedEvents b = map_woocommerce(
      "order.created", delivery_headers("order.created", other.dump(), "same-second"), other);
  EXPECT_EQ(a.events.at(0)["id"], "woocommerce:https://tienda.example:order.created:4750");
  EXPECT_EQ(b.events.at(0)["id"], "woocommerce:https://tienda.example:order.created:4751");
}

TEST(WooCommerceRefunds, EachRefundIsKeyedByItsOwnId) {
  const Json refunded = sample_json("order_refunded.json");
  const Json e = map_json("order.updated", refunded).events.at(0);
  EXPECT_EQ(e["id"], "woocommerce:https://tienda.example:refund.result:8820");
  // Every later update lists the refund again: it is the same refund.result,
  // beside a status event of its own.
  Json later = refunded;
  later["status"] = "completed";
  later["date_modified_gmt"] = "2026-04-20T10:00:00";
  const MappedEvents both = map_json("order.updated", later);
  ASSERT_EQ(both.events.size(), 3u);
  EXPECT_EQ(both.events[1]["id"], e["id"]);
  EXPECT_EQ(both.events[2]["id"], map_json("order.updated", refunded).events.at(1)["id"]);
  EXPECT_EQ(both.events[0]["id"], "woocommerce:https://tienda.example:order.updated:8813:" + payload_digest(later));
}

TEST(WooCommerceDelivery, IdsStayWithinTheSchemaLimit) {
  const std::string long_source = "https://" + std::string(300, 'a') + ".example/";
  const Json p = sample_json("order_updated_kwd.json");
  const MappedEvents mapped = testing::validated(map_woocommerce(
      "order.updated", delivery_headers("order.updated", p.dump(), kDelivery, long_source), p));
  const std::string id = mapped.events.at(0)["id"];
  EXPECT_LE(id.size(), 256u);
  EXPECT_EQ(id.rfind("woocommerce:sha256:", 0), 0u) << id;
}

TEST(WooCommerceDelivery, WrongShapesNameTheField) {
  auto failure_of = [](const Headers &headers, const Json &payload) -> std::string {
    try {
      map_woocommerce("order.updated", headers, payload);
    } catch (const Failure &f) {
      EXPECT_EQ(f.status(), OC_ERR_SCHEMA);
      return f.what();
    }
    return "(mapped)";
  };
  const Json base = sample_json("order_created.json");
  const Headers h = delivery_headers("order.updated", "");
  Json p = base;
  p["line_items"][1]["quantity"] = "3";
  EXPECT_EQ(failure_of(h, p), "payload.line_items[1].quantity: expected an integer, got string");
  p = base;
  p["total"] = "15.990,00";
  EXPECT_EQ(failure_of(h, p), "payload.total: expected a decimal amount with at most 0 decimals for CLP");
  p = base;
  p["date_modified_gmt"] = "11/03/2026";
  EXPECT_EQ(failure_of(h, p), "payload.date_modified_gmt: expected an RFC 3339 timestamp");
  p = base;
  p.erase("id");
  EXPECT_EQ(failure_of(h, p), "payload.id: required");
}

}  // namespace
}  // namespace ordercare::ingest
