// The webhook server end to end over 127.0.0.1: real signatures for every
// platform topic, unicode, zero-value, JPY/KWD and 300-line orders,
// duplicates and reordering, keep-alive and pipelining, the error answers,
// and /metrics and /healthz. What the plugin made of each delivery is read
// back through oc_call.
#include <gtest/gtest.h>

#include "e2e/webhook_fixture.h"
#include "ingest/webhook_signature.h"

namespace ordercare::e2e {
namespace {

Response post(WebhookServer &server, const std::string &request) {
  HttpClient client(server.port());
  EXPECT_TRUE(client.send(request));
  return client.read_response();
}

std::string status_of(const Response &r) { return r.json().value("status", ""); }

// A metric's value in a /metrics page; -1 when the sample is absent.
double metric(const std::string &page, const std::string &sample) {
  const std::size_t at = page.find("\n" + sample + " ");
  if (at == std::string::npos) return -1;
  return std::stod(page.substr(at + sample.size() + 2));
}

TEST(WebhookServer, ReportsItsEphemeralPortAndServesHealth) {
  WebhookServer server;
  const Json status = server.call("webhooks.status");
  EXPECT_EQ(status["listening"], true);
  EXPECT_EQ(status["address"], "127.0.0.1");
  EXPECT_GT(server.port(), 0);
  HttpClient client(server.port());
  const Response health = client.request("GET", "/healthz");
  EXPECT_EQ(health.status, 200);
  EXPECT_EQ(health.json()["store"]["reachable"], true);
  EXPECT_EQ(*health.headers.get("Content-Type"), "application/json");
}

TEST(WebhookServer, EveryShopifyTopicWithRealSignatures) {
  WebhookServer server;
  // Ids come from the signed body (the resource and, for what changes, a
  // digest of the content): the same fulfillment body under a second topic
  // is the same shipment fact.
  struct Case {
    const char *topic, *sample, *expect, *id;
  } cases[] = {
      {"orders/create", "orders_create.json", "accepted", "shopify:order.created:5623984128"},
      {"orders/updated", "orders_updated.json", "accepted", "shopify:order.updated:5623984128:"},
      {"orders/cancelled", "orders_cancelled.json", "accepted", "shopify:order.cancelled:6001002006"},
      {"fulfillments/create", "fulfillments_update.json", "accepted", "shopify:shipment.updated:4455667788:"},
      {"fulfillments/update", "fulfillments_update.json", "duplicate", "shopify:shipment.updated:4455667788:"},
      {"refunds/create", "refunds_create.json", "accepted", "shopify:refund.result:88002"},
      {"returns/request", "returns_request.json", "accepted", "shopify:return.requested:3344556"},
      {"inventory_levels/update", "inventory_levels_update.json", "ignored", ""},
  };
  int n = 0;
  for (const Case &c : cases) {
    const std::string event_id = "evt-" + std::to_string(++n);
    const Response r = post(server, shopify_request(c.topic, read_sample("shopify", c.sample), event_id));
    ASSERT_EQ(r.status, 200) << c.topic << ": " << r.body;
    EXPECT_EQ(status_of(r), c.expect) << c.topic << ": " << r.body;
    if (*c.id) {
      const std::string id = r.json()["events"][0]["id"];
      EXPECT_EQ(id.rfind(c.id, 0), 0u) << c.topic << ": " << id;
      EXPECT_EQ(server.call("events.get", {{"id", id}})["source"], "shopify");
    }
  }
  // Every fulfillment of the updated order was delivered; the fulfillment
  // events (older) did not move it back.
  EXPECT_EQ(server.call("order.get", {{"id", "5623984128"}})["status"], "delivered");
}

TEST(WebhookServer, UnicodeZeroValueJpyKwdAndThreeHundredLines) {
  WebhookServer server;
  EXPECT_EQ(post(server, shopify_request("orders/create", read_sample("shopify", "orders_create.json"), "u1")).status,
            200);
  EXPECT_EQ(post(server, shopify_request("orders/create", read_sample("shopify", "orders_create_jpy.json"), "j1")).status,
            200);
  EXPECT_EQ(post(server, shopify_request("orders/create", read_sample("shopify", "orders_create_kwd.json"), "k1")).status,
            200);
  EXPECT_EQ(
      post(server, shopify_request("orders/create", read_sample("shopify", "orders_create_zero.json"), "z1")).status,
      200);

  Json big = Json::parse(read_sample("shopify", "orders_create.json"));
  big["id"] = 990001;
  big["line_items"] = Json::array();
  std::int64_t total = 0;
  for (int i = 0; i < 300; ++i) {
    const int cents = 100 + i * 7;
    big["line_items"].push_back({{"id", 50000 + i},
                                 {"sku", "SKU-" + std::to_string(i)},
                                 {"name", "Teil " + std::to_string(i) + " — Größe ß 粉色"},
                                 {"price", std::to_string(cents / 100) + "." + (cents % 100 < 10 ? "0" : "") +
                                               std::to_string(cents % 100)},
                                 {"quantity", 1}});
    total += cents;
  }
  big["total_price"] = std::to_string(total / 100) + "." + (total % 100 < 10 ? "0" : "") + std::to_string(total % 100);
  const Response r = post(server, shopify_request("orders/create", big.dump(), "big1"));
  ASSERT_EQ(r.status, 200) << r.body;

  const Json usd = server.call("order.get", {{"id", "5623984128"}});
  EXPECT_EQ(usd["total"], 16148);
  EXPECT_EQ(usd["items"][0]["name"], "Café au lait mug — 粉色");
  const Json lines = server.call("order.get", {{"id", "990001"}});
  EXPECT_EQ(lines["items"].size(), 300u);
  EXPECT_EQ(lines["total"], total);
  // The minor units follow each currency: yen have none, dinars three.
  const Json events = server.call("events.get", {{"id", "shopify:order.created:6001002003"}});
  EXPECT_EQ(events["data"]["order"]["currency"], "JPY");
  EXPECT_EQ(events["data"]["order"]["total"], 12800);
  const Json kwd = server.call("events.get", {{"id", "shopify:order.created:6001002004"}});
  EXPECT_EQ(kwd["data"]["order"]["total"], 12345);
  const Json zero = server.call("events.get", {{"id", "shopify:order.created:6001002005"}});
  EXPECT_EQ(zero["data"]["order"]["total"], 0);
}

TEST(WebhookServer, DuplicateDeliveryGets200AndChangesNothing) {
  WebhookServer server;
  const std::string request = shopify_request("orders/create", read_sample("shopify", "orders_create.json"), "dup");
  const Response first = post(server, request);
  ASSERT_EQ(first.status, 200);
  EXPECT_EQ(status_of(first), "accepted");
  const Json before = server.call("events.list");
  const Json effects_before = server.call("effects.list");
  const Response again = post(server, request);
  EXPECT_EQ(again.status, 200);
  EXPECT_EQ(status_of(again), "duplicate");
  EXPECT_EQ(again.json()["events"][0]["status"], "duplicate");
  EXPECT_EQ(server.call("events.list"), before);
  EXPECT_EQ(server.call("effects.list"), effects_before);
}

// Shopify signs the body alone: X-Shopify-Event-Id, -Webhook-Id and
// -Triggered-At are not covered. A captured failed-delivery notice resent
// under new ones once opened a "multiple failed deliveries" case; it must
// change nothing.
TEST(WebhookServer, AShopifyReplayUnderNewDeliveryHeadersChangesNothing) {
  WebhookServer server;
  ASSERT_EQ(post(server, shopify_request("orders/create", read_sample("shopify", "orders_create.json"), "c")).status,
            200);
  Json failed = Json::parse(read_sample("shopify", "fulfillments_update.json"));
  failed["shipment_status"] = "failure";
  const std::string body = failed.dump();
  const Response first = post(server, shopify_request("fulfillments/update", body, "evt-real"));
  ASSERT_EQ(first.status, 200) << first.body;
  EXPECT_EQ(status_of(first), "accepted");
  const Json events = server.call("events.list", {{"limit", 1000}});
  const Json cases = server.call("cases.list");
  const Json effects = server.call("effects.list");

  std::string replay = shopify_request("fulfillments/update", body, "evt-replayed");
  const std::string triggered = "X-Shopify-Triggered-At: 2026-03-19T14:00:00.123456789Z";
  replay.replace(replay.find(triggered), triggered.size(), "X-Shopify-Triggered-At: 2026-03-21T08:00:00Z");
  for (const std::string &request : {replay, shopify_request("fulfillments/create", body, "evt-other-topic")}) {
    const Response again = post(server, request);
    EXPECT_EQ(again.status, 200) << again.body;
    EXPECT_EQ(status_of(again), "duplicate") << again.body;
  }
  EXPECT_EQ(server.call("events.list", {{"limit", 1000}}), events);
  EXPECT_EQ(server.call("cases.list"), cases);
  EXPECT_EQ(server.call("effects.list"), effects);
}

TEST(WebhookServer, AnOlderUpdateAfterANewerOneDoesNotRollBack) {
  WebhookServer server;
  ASSERT_EQ(post(server, shopify_request("orders/create", read_sample("shopify", "orders_create.json"), "c")).status,
            200);
  Json newer = Json::parse(read_sample("shopify", "orders_updated.json"));
  Json older = newer;
  older["updated_at"] = "2026-03-16T08:00:00-04:00";
  older["fulfillment_status"] = nullptr;
  older["fulfillments"] = Json::array();
  older["financial_status"] = "paid";
  ASSERT_EQ(post(server, shopify_request("orders/updated", newer.dump(), "new")).status, 200);
  const std::string status = server.call("order.get", {{"id", "5623984128"}})["status"];
  EXPECT_TRUE(status == "shipped" || status == "delivered") << status;
  const Response late = post(server, shopify_request("orders/updated", older.dump(), "old"));
  EXPECT_EQ(late.status, 200);
  EXPECT_EQ(status_of(late), "accepted");  // kept in the log, but not applied
  EXPECT_EQ(server.call("order.get", {{"id", "5623984128"}})["status"], status);
}

TEST(WebhookServer, WooCommerceStatusesAndTheActivationPing) {
  WebhookServer server;
  const Response ping = post(server, request_bytes("POST", "/webhooks/woocommerce",
                                                   {{"Content-Type", "application/x-www-form-urlencoded"},
                                                    {"X-WC-Webhook-Source", std::string(kWooSource)}},
                                                   "webhook_id=12"));
  EXPECT_EQ(ping.status, 200);
  EXPECT_EQ(status_of(ping), "ping");

  const std::string created = read_sample("woocommerce", "order_created.json");
  Response r = post(server, woocommerce_request("order.created", created, "d-1"));
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(status_of(r), "accepted");
  Json order = Json::parse(created);
  int minute = 20;
  const std::pair<const char *, const char *> statuses[] = {{"on-hold", "pending"}, {"processing", "processing"},
                                                            {"completed", "shipped"}, {"cancelled", "cancelled"}};
  for (const auto &[woo, ours] : statuses) {
    order["status"] = woo;
    order["date_modified_gmt"] = "2026-03-11T19:" + std::to_string(minute++) + ":00";
    r = post(server, woocommerce_request("order.updated", order.dump(), std::string("d-") + woo));
    ASSERT_EQ(r.status, 200) << woo << ": " << r.body;
    EXPECT_EQ(server.call("order.get", {{"id", "4750"}})["status"], ours) << woo;
  }
  r = post(server, woocommerce_request("order.updated", read_sample("woocommerce", "order_refunded.json"), "d-r"));
  EXPECT_EQ(r.status, 200) << r.body;
  r = post(server, woocommerce_request("order.updated", read_sample("woocommerce", "order_failed.json"), "d-f"));
  EXPECT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(status_of(r), "accepted");
  r = post(server, woocommerce_request("order.updated", read_sample("woocommerce", "order_updated_kwd.json"), "d-k"));
  EXPECT_EQ(r.status, 200) << r.body;
}

// WooCommerce's delivery id is a hash of the webhook id and the current
// second, and not signed: two orders sent within one second share it, and a
// captured delivery can be resent under a new one.
TEST(WebhookServer, WooCommerceDeliveriesAreKeyedByTheSignedOrderNotTheDeliveryId) {
  WebhookServer server;
  Json order = Json::parse(read_sample("woocommerce", "order_created.json"));
  const std::string first = order.dump();
  order["id"] = 4751;
  order["number"] = "4751";
  const std::string second = order.dump();
  Response r = post(server, woocommerce_request("order.created", first, "same-second"));
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(status_of(r), "accepted");
  r = post(server, woocommerce_request("order.created", second, "same-second"));
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(status_of(r), "accepted") << r.body;
  EXPECT_EQ(server.call("order.get", {{"id", "4750"}})["id"], "4750");
  EXPECT_EQ(server.call("order.get", {{"id", "4751"}})["id"], "4751");

  const Json events = server.call("events.list", {{"limit", 1000}});
  r = post(server, woocommerce_request("order.created", first, "a-new-delivery-id"));
  EXPECT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(status_of(r), "duplicate") << r.body;
  EXPECT_EQ(server.call("events.list", {{"limit", 1000}}), events);
}

TEST(WebhookServer, StripeDisputesAndRefundsWithTimestampTolerance) {
  WebhookServer server;
  for (const char *sample : {"charge_dispute_created.json", "charge_dispute_created_jpy.json", "charge_refunded.json",
                             "refund_updated.json"}) {
    const Response r = post(server, stripe_request(read_sample("stripe", sample), unix_now()));
    EXPECT_EQ(r.status, 200) << sample << ": " << r.body;
  }
  const Response dispute = post(server, stripe_request(read_sample("stripe", "charge_dispute_created.json"), unix_now()));
  EXPECT_EQ(status_of(dispute), "duplicate");  // Stripe's event id is the key
  const Response replayed =
      post(server, stripe_request(read_sample("stripe", "charge_dispute_created.json"), unix_now() - 3600));
  EXPECT_EQ(replayed.status, 401);
  EXPECT_EQ(replayed.json()["reason"], "stale_timestamp");
}

// The topics answered and then dropped before schema v1.2: each is now
// acted on, and a redelivery is a duplicate.
TEST(WebhookServer, ShopifyPlatformRefundOversoldStockAndPrivacyTopics) {
  WebhookServer server;
  ASSERT_EQ(post(server, shopify_request("orders/create", read_sample("shopify", "orders_create.json"), "o")).status, 200);
  // A refund made in the Shopify admin lowers what is left to refund.
  const Response refund = post(server, shopify_request("refunds/create", read_sample("shopify", "refunds_create_admin.json"), "r"));
  ASSERT_EQ(refund.status, 200) << refund.body;
  EXPECT_EQ(status_of(refund), "accepted");
  EXPECT_EQ(refund.json()["events"][0]["id"], "shopify:refund.recorded:88017");
  EXPECT_EQ(server.call("order.get", {{"id", "5623984128"}})["refunded"], 1500);
  // Oversold stock: a discrepancy case on Shopify's inventory item.
  const Response oversold =
      post(server, shopify_request("inventory_levels/update", read_sample("shopify", "inventory_levels_update_oversold.json"), "i"));
  EXPECT_EQ(status_of(oversold), "accepted") << oversold.body;
  EXPECT_EQ(server.call("cases.list", {{"type", "inventory_discrepancy"}})["cases"].size(), 1u);
  // The customer's data, then their erasure; each again is a duplicate.
  Json request = Json::parse(read_sample("shopify", "customers_data_request.json"));
  request["customer"]["id"] = 7712349184;
  const Response exported = post(server, shopify_request("customers/data_request", request.dump(), "d"));
  EXPECT_EQ(status_of(exported), "accepted") << exported.body;
  EXPECT_EQ(exported.json()["events"].size(), 1u);
  Json redact = Json::parse(read_sample("shopify", "customers_redact.json"));
  redact["customer"]["id"] = 7712349184;
  const Response erased = post(server, shopify_request("customers/redact", redact.dump(), "x"));
  EXPECT_EQ(status_of(erased), "accepted") << erased.body;
  EXPECT_EQ(status_of(post(server, shopify_request("customers/redact", redact.dump(), "x2"))), "duplicate");
  const Response shop = post(server, shopify_request("shop/redact", read_sample("shopify", "shop_redact.json"), "s"));
  EXPECT_EQ(status_of(shop), "accepted") << shop.body;
}

TEST(WebhookServer, BigCommerceStatusUpdate) {
  WebhookServer server;
  const Response r = post(server, bigcommerce_request(read_sample("bigcommerce", "order_status_updated.json"), "bc-1"));
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(status_of(r), "accepted");
  EXPECT_EQ(r.json()["events"][0]["id"], "bigcommerce:bc-1");
  // Status 13, Disputed: the payment case.
  Json disputed = Json::parse(read_sample("bigcommerce", "order_status_updated.json"));
  disputed["data"]["status"]["new_status_id"] = 13;
  const Response dispute = post(server, bigcommerce_request(disputed.dump(), "bc-3"));
  EXPECT_EQ(status_of(dispute), "accepted") << dispute.body;
  EXPECT_EQ(server.call("events.get", {{"id", "bigcommerce:bc-3"}})["type"], "payment.disputed");
  const Response thin = post(server, bigcommerce_request(read_sample("bigcommerce", "order_created.json"), "bc-2"));
  EXPECT_EQ(thin.status, 200);
  EXPECT_EQ(status_of(thin), "ignored");
}

Json canonical_event(const std::string &id) {
  Json e{{"type", "customer.message"},
         {"occurred_at", "2026-03-20T10:00:00Z"},
         {"source", "chat-widget"},
         {"data",
          {{"customer", {{"id", "cust-9"}, {"name", "Ødegård Łukasz"}}},
           {"channel", "chat"},
           {"text", "Where is my order? 🙂"}}}};
  if (!id.empty()) e["id"] = id;
  return e;
}

TEST(WebhookServer, CanonicalEventsSignedPerStandardWebhooks) {
  WebhookServer server;
  // Without an id the webhook-id becomes it; with the same id it is fine.
  Response r = post(server, events_request(canonical_event("").dump(), "msg_1"));
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.json()["events"][0]["id"], "msg_1");
  r = post(server, events_request(canonical_event("msg_2").dump(), "msg_2"));
  EXPECT_EQ(r.status, 200) << r.body;
  // An id that disagrees with the dedupe key is refused, naming the field.
  r = post(server, events_request(canonical_event("other").dump(), "msg_3"));
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(r.json()["error"].get<std::string>().rfind("id:", 0), 0u) << r.body;
  // The previous secret still works during its rotation window.
  r = post(server, events_request(canonical_event("").dump(), "msg_4", kEventsPreviousSecret));
  EXPECT_EQ(r.status, 200) << r.body;
  r = post(server, events_request(canonical_event("").dump(), "msg_5", "whsec_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="));
  EXPECT_EQ(r.status, 401);
  EXPECT_EQ(r.json()["reason"], "bad_signature");
  // A schema error names the field.
  Json bad = canonical_event("msg_6");
  bad["data"]["channel"] = "pigeon";
  r = post(server, events_request(bad.dump(), "msg_6"));
  EXPECT_EQ(r.status, 400);
  EXPECT_NE(r.json()["error"].get<std::string>().find("data.channel"), std::string::npos) << r.body;
}

TEST(WebhookServer, SignatureFailuresAre401WithAJsonBody) {
  WebhookServer server;
  const std::string body = read_sample("shopify", "orders_create.json");
  Response r = post(server, shopify_request("orders/create", body, "s1", kShop, "wrong-secret"));
  EXPECT_EQ(r.status, 401);
  EXPECT_EQ(r.json()["reason"], "bad_signature");
  // A shop without its own secret is checked with the app's shared one.
  r = post(server, shopify_request("orders/create", body, "s2", "other.myshopify.com", kShopSharedSecret));
  EXPECT_EQ(r.status, 200) << r.body;
  r = post(server, request_bytes("POST", "/webhooks/shopify", {{"X-Shopify-Topic", "orders/create"}}, body));
  EXPECT_EQ(r.status, 401);
  EXPECT_EQ(r.json()["reason"], "missing_header");
  // One flipped byte of the body is a different message.
  const Json before = server.call("events.list");
  std::string tampered = shopify_request("orders/create", shopify_order(77), "s3");
  tampered[tampered.size() - 5] ^= 1;
  EXPECT_EQ(post(server, tampered).status, 401);
  EXPECT_EQ(server.try_call("events.get", {{"id", "shopify:order.created:77"}}), OC_ERR_NOT_FOUND);
  EXPECT_EQ(server.call("events.list"), before);
}

TEST(WebhookServer, MalformedPayloadsAre400NamingTheField) {
  WebhookServer server;
  Response r = post(server, shopify_request("orders/create", "{\"id\": 1,", "m1"));
  EXPECT_EQ(r.status, 400);
  EXPECT_NE(r.json()["error"].get<std::string>().find("payload"), std::string::npos) << r.body;
  Json wrong = Json::parse(read_sample("shopify", "orders_create.json"));
  wrong["line_items"][1]["price"] = "a lot";
  r = post(server, shopify_request("orders/create", wrong.dump(), "m2"));
  EXPECT_EQ(r.status, 400);
  EXPECT_NE(r.json()["error"].get<std::string>().find("payload.line_items[1].price"), std::string::npos) << r.body;
  r = post(server, request_bytes("POST", "/webhooks/shopify",
                                 {{"X-Shopify-Hmac-Sha256", "bm90IGEgbWFj"}, {"X-Shopify-Shop-Domain", "x"}}, "{}"));
  EXPECT_EQ(r.status, 401);
}

TEST(WebhookServer, UnknownPathsAndWrongMethods) {
  WebhookServer server;
  HttpClient client(server.port());
  Response r = client.request("GET", "/nothing-here");
  EXPECT_EQ(r.status, 404);
  EXPECT_EQ(r.json()["reason"], "not_found");
  r = client.request("GET", "/webhooks/shopify");
  EXPECT_EQ(r.status, 405);
  EXPECT_EQ(*r.headers.get("Allow"), "POST");
  r = client.request("POST", "/metrics", {}, "x");
  EXPECT_EQ(r.status, 405);
  EXPECT_EQ(*r.headers.get("Allow"), "GET");
  // The connection is still good after all that (keep-alive).
  EXPECT_EQ(client.request("GET", "/healthz?verbose=1").status, 200);
}

TEST(WebhookServer, PipelinedRequestsAreAnsweredInOrder) {
  WebhookServer server;
  std::string batch;
  std::vector<int> expected;
  for (int i = 0; i < 6; ++i) {
    batch += shopify_request("orders/create", shopify_order(700 + i), "p" + std::to_string(i));
    expected.push_back(200);
    if (i == 2) {
      batch += request_bytes("GET", "/missing", {});
      expected.push_back(404);
      batch += request_bytes("GET", "/healthz", {});
      expected.push_back(200);
    }
  }
  HttpClient client(server.port());
  ASSERT_TRUE(client.send(batch));  // one write, many requests
  int post_index = 0;
  for (std::size_t i = 0; i < expected.size(); ++i) {
    const Response r = client.read_response();
    ASSERT_EQ(r.status, expected[i]) << "response " << i << ": " << r.body;
    if (r.json().contains("events")) {
      EXPECT_EQ(r.json()["events"][0]["id"], "shopify:order.created:" + std::to_string(700 + post_index++));
    }
  }
  EXPECT_EQ(post_index, 6);
}

TEST(WebhookServer, PipeliningPastTheLimitPausesAndResumes) {
  WebhookServer server(Json{{"max_pipelined", 2}});
  std::string batch;
  for (int i = 0; i < 12; ++i)
    batch += events_request(canonical_event("").dump(), "pl_" + std::to_string(i));
  HttpClient client(server.port());
  ASSERT_TRUE(client.send(batch));
  for (int i = 0; i < 12; ++i) {
    const Response r = client.read_response();
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(r.json()["events"][0]["id"], "pl_" + std::to_string(i));
  }
}

TEST(WebhookServer, ConnectionCloseIsHonoured) {
  WebhookServer server;
  HttpClient client(server.port());
  ASSERT_TRUE(client.send(request_bytes("GET", "/healthz", {{"Connection", "close"}})));
  const Response r = client.read_response();
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(*r.headers.get("Connection"), "close");
  EXPECT_TRUE(client.wait_closed());
}

TEST(WebhookServer, ExpectContinueGetsA100First) {
  WebhookServer server;
  const std::string body = canonical_event("").dump();
  const std::int64_t now = unix_now();
  HttpClient client(server.port());
  // The head alone, announcing the body that is sent only after the 100.
  std::string head = "POST /webhooks/events HTTP/1.1\r\nExpect: 100-continue\r\nwebhook-id: ec_1\r\n"
                     "webhook-timestamp: " + std::to_string(now) + "\r\nwebhook-signature: " +
                     ingest::standard_webhooks_signature(kEventsSecret, "ec_1", now, body) +
                     "\r\nContent-Length: " + std::to_string(body.size()) + "\r\n\r\n";
  ASSERT_TRUE(client.send(head));
  const Response go_on = client.read_response();
  EXPECT_EQ(go_on.status, 100);
  ASSERT_TRUE(client.send(body));
  EXPECT_EQ(client.read_response().status, 200);
}

TEST(WebhookServer, MetricsCountRequestsEventsAndFailures) {
  WebhookServer server;
  for (int i = 0; i < 3; ++i)
    ASSERT_EQ(post(server, shopify_request("orders/create", shopify_order(900 + i), "mx" + std::to_string(i))).status, 200);
  ASSERT_EQ(post(server, shopify_request("orders/create", shopify_order(900), "mx0")).status, 200);  // a duplicate
  ASSERT_EQ(post(server, shopify_request("orders/create", shopify_order(903), "bad", kShop, "nope")).status, 401);
  ASSERT_EQ(post(server, shopify_request("orders/create", "[", "mal")).status, 400);
  HttpClient client(server.port());
  ASSERT_EQ(client.request("GET", "/nope").status, 404);
  ASSERT_TRUE(server.await_connections(1));  // the posts' own, closed by now
  const Response page = client.request("GET", "/metrics");
  ASSERT_EQ(page.status, 200);
  EXPECT_EQ(*page.headers.get("Content-Type"), "text/plain; version=0.0.4; charset=utf-8");
  const std::string &m = page.body;
  EXPECT_NE(m.find("# HELP ordercare_http_requests_total "), std::string::npos);
  EXPECT_NE(m.find("# TYPE ordercare_http_requests_total counter"), std::string::npos);
  EXPECT_NE(m.find("# TYPE ordercare_http_request_duration_seconds histogram"), std::string::npos);
  EXPECT_EQ(metric(m, "ordercare_http_requests_total{endpoint=\"/webhooks/shopify\",status=\"200\"}"), 4);
  EXPECT_EQ(metric(m, "ordercare_http_requests_total{endpoint=\"/webhooks/shopify\",status=\"401\"}"), 1);
  EXPECT_EQ(metric(m, "ordercare_http_requests_total{endpoint=\"/webhooks/shopify\",status=\"400\"}"), 1);
  EXPECT_EQ(metric(m, "ordercare_http_requests_total{endpoint=\"other\",status=\"404\"}"), 1);
  EXPECT_EQ(metric(m, "ordercare_webhook_events_total{endpoint=\"/webhooks/shopify\",outcome=\"accepted\"}"), 3);
  EXPECT_EQ(metric(m, "ordercare_webhook_events_total{endpoint=\"/webhooks/shopify\",outcome=\"duplicate\"}"), 1);
  EXPECT_EQ(metric(m, "ordercare_webhook_events_total{endpoint=\"/webhooks/shopify\",outcome=\"rejected\"}"), 1);
  EXPECT_EQ(
      metric(m, "ordercare_webhook_signature_failures_total{endpoint=\"/webhooks/shopify\",reason=\"bad_signature\"}"),
      1);
  EXPECT_EQ(metric(m, "ordercare_http_request_duration_seconds_count{endpoint=\"/webhooks/shopify\"}"), 6);
  EXPECT_EQ(metric(m, "ordercare_http_request_duration_seconds_bucket{endpoint=\"/webhooks/shopify\",le=\"+Inf\"}"), 6);
  EXPECT_EQ(metric(m, "ordercare_store_up"), 1);
  EXPECT_GE(metric(m, "ordercare_outbox_effects{status=\"pending\"}"), 0);
  EXPECT_EQ(metric(m, "ordercare_sla_breached_cases"), 0);
  EXPECT_EQ(metric(m, "ordercare_http_open_connections"), 1);
}

// RFC 9112 section 5.1: whitespace between a header name and its colon is
// a 400, never a header named "Host ".
TEST(WebhookServer, WhitespaceBeforeAHeaderColonIs400) {
  WebhookServer server;
  HttpClient client(server.port());
  ASSERT_TRUE(client.send("GET /healthz HTTP/1.1\r\nHost : x\r\n\r\n"));
  const Response r = client.read_response();
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(r.json()["reason"], "malformed_request");
  EXPECT_TRUE(client.wait_closed());
}

TEST(WebhookServer, MonitoringEndpointsAnswerOnlyTheTokenWhenOneIsSet) {
  WebhookServer server(Json{{"monitoring_token", "m0n-t0ken"}});
  HttpClient client(server.port());
  for (const char *path : {"/metrics", "/healthz"}) {
    Response r = client.request("GET", path);
    EXPECT_EQ(r.status, 401) << path;
    EXPECT_EQ(r.json()["reason"], "unauthorized") << path;
    EXPECT_EQ(*r.headers.get("WWW-Authenticate"), "Bearer realm=\"ordercare\"") << path;
    EXPECT_EQ(r.body.find("m0n-t0ken"), std::string::npos);
    EXPECT_EQ(client.request("GET", path, {{"Authorization", "Bearer wrong"}}).status, 401) << path;
    EXPECT_EQ(client.request("GET", path, {{"Authorization", "Basic m0n-t0ken"}}).status, 401) << path;
    EXPECT_EQ(client.request("GET", path, {{"Authorization", "Bearer m0n-t0ken"}, {"Authorization", "Bearer x"}}).status,
              401)
        << path;
    EXPECT_EQ(client.request("GET", path, {{"Authorization", "Bearer m0n-t0ken"}}).status, 200) << path;
    EXPECT_EQ(client.request("GET", path, {{"Authorization", "bearer m0n-t0ken"}}).status, 200) << path;
  }
  const Response page = client.request("GET", "/metrics", {{"Authorization", "Bearer m0n-t0ken"}});
  EXPECT_NE(page.body.find("ordercare_http_requests_total{endpoint=\"/metrics\",status=\"401\"}"), std::string::npos);
  // Webhooks themselves are signed, not token-gated.
  EXPECT_EQ(post(server, events_request(message_event().dump(), "tok_1")).status, 200);
}

TEST(WebhookServer, ClosingThePluginClosesOpenConnections) {
  WebhookServer server;
  HttpClient idle(server.port());
  HttpClient half(server.port());
  ASSERT_TRUE(half.send("POST /webhooks/events HTTP/1.1\r\nContent-Length: 10\r\n\r\nabc"));
  ASSERT_EQ(idle.request("GET", "/healthz").status, 200);
  server.close();
  EXPECT_TRUE(idle.wait_closed());
  EXPECT_TRUE(half.wait_closed());
}

TEST(WebhookServer, APortInUseFailsTheOpen) {
  WebhookServer first;
  testing::TempDir dir;
  const std::string config = Json{{"store", {{"path", dir.file("other.db")}}},
                                  {"webhooks", {{"port", first.port()}}}}
                                 .dump();
  oc_options options{};
  options.struct_size = sizeof options;
  options.config_json = config.c_str();
  options.config_len = config.size();
  oc_plugin *p = nullptr;
  EXPECT_EQ(oc_open(&options, nullptr, &p), OC_ERR_CONFIG);
  EXPECT_NE(std::string(oc_last_error()).find("cannot listen on 127.0.0.1:" + std::to_string(first.port())),
            std::string::npos)
      << oc_last_error();
  EXPECT_EQ(p, nullptr);
}

}  // namespace
}  // namespace ordercare::e2e
