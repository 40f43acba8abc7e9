// BigCommerce deliveries below the socket: signed with Standard Webhooks
// headers under the app's client secret, verified on their exact bytes,
// parsed, mapped, and checked against the canonical schema.
#include "ingest/bigcommerce_mapper.h"

#include <gtest/gtest.h>


#include "common/failure.h"
#include "ingest/webhook_signature.h"
#include "support/webhook_samples.h"

namespace ordercare::ingest {
namespace {

constexpr std::string_view kClientSecret = "bc_app_client_secret_7d1e";
constexpr std::string_view kWebhookId = "3c8e5a1f-6b2d-4e9a-8f7c-0d1e2f3a4b5c";

std::string read_sample(const std::string &name) { return testing::read_webhook_sample("bigcommerce", name); }

Json sample_json(const std::string &name) { return testing::webhook_sample_json("bigcommerce", name); }

MappedEvents deliver_body(const std::string &body) {
  const std::int64_t sent = 1561488110;
  const Headers headers{
      {"webhook-id", std::string(kWebhookId)},
      {"webhook-timestamp", std::to_string(sent)},
      {"webhook-signature", standard_webhooks_signature(kClientSecret, kWebhookId, sent, body)}};
  const VerifyResult verified =
      verify_standard_webhooks(headers, body, SecretSet{std::string(kClientSecret), {}, 0},
                               sent * kSecondMs + 1500, kDefaultSignatureTolerance);
  EXPECT_TRUE(verified.ok()) << verified.message;
  return testing::validated(map_bigcommerce(headers, parse_json(body, "payload")));
}

MappedEvents map_json(const Json &payload, const Headers &headers = Headers{}) {
  return testing::validated(map_bigcommerce(headers, payload));
}

TEST(BigCommerceStatus, ShippedOrder) {
  const MappedEvents mapped = deliver_body(read_sample("order_status_updated.json"));
  ASSERT_EQ(mapped.events.size(), 1u);
  const Json e = mapped.events[0];
  EXPECT_EQ(e["id"], "bigcommerce:" + std::string(kWebhookId));
  EXPECT_EQ(e["type"], "order.updated");
  EXPECT_EQ(e["source"], "bigcommerce");
  EXPECT_EQ(e["store"], "1025646");
  EXPECT_EQ(e["occurred_at"], "2019-06-25T18:41:46Z");
  EXPECT_EQ(e["data"]["order_id"], "250");
  EXPECT_EQ(e["data"]["status"], "shipped");
  EXPECT_EQ(e["data"]["updated_at"], "2019-06-25T18:41:46Z");
  const Json &platform = e["data"]["platform"];
  EXPECT_EQ(platform["scope"], "store/order/statusUpdated");
  EXPECT_EQ(platform["data"]["status"]["previous_status_id"], 11);
  EXPECT_EQ(platform["data"]["status"]["new_status_id"], 2);
  EXPECT_EQ(platform["hash"], "dd70c0976e06b67aaf671e73f49dcb79230ebf9d");
  EXPECT_EQ(platform["producer"], "stores/{store_hash}");
}

TEST(BigCommerceStatus, EveryStatusId) {
  const std::pair<int, const char *> mapped_ids[] = {
      {1, "pending"},   {2, "shipped"},   {3, "processing"}, {5, "cancelled"},
      {6, "cancelled"}, {7, "pending"},   {8, "packed"},     {9, "packed"},
      {10, "delivered"}, {11, "processing"}, {12, "pending"}};
  for (const auto &[id, status] : mapped_ids) {
    Json p = sample_json("order_status_updated.json");
    p["data"]["status"]["new_status_id"] = id;
    const MappedEvents m = map_json(p);
    ASSERT_EQ(m.events.size(), 1u) << id;
    EXPECT_EQ(m.events[0]["data"]["status"], status) << id;
    EXPECT_EQ(m.events[0]["data"].contains("reason"), id == 6) << id;
  }
  for (int id : {0, 4, 14, 99}) {
    Json p = sample_json("order_status_updated.json");
    p["data"]["status"]["new_status_id"] = id;
    const MappedEvents m = map_json(p);
    EXPECT_TRUE(m.events.empty()) << id;
    EXPECT_EQ(m.reason.rfind("ignored: ", 0), 0u) << m.reason;
  }
}

// Status 13, "Disputed": a chargeback, raised like Stripe's
// charge.dispute.created; the status change names no amount.
TEST(BigCommerceStatus, DisputedIsAPaymentDispute) {
  Json p = sample_json("order_status_updated.json");
  p["data"]["status"]["new_status_id"] = 13;
  const MappedEvents m = map_json(p);
  ASSERT_EQ(m.events.size(), 1u);
  const Json &e = m.events[0];
  EXPECT_EQ(e["type"], "payment.disputed");
  EXPECT_EQ(e["data"]["order_id"], p["data"]["id"].dump());
  EXPECT_FALSE(e["data"].contains("status"));
  EXPECT_FALSE(e["data"].contains("amount"));
  EXPECT_EQ(e["data"]["platform"]["data"]["status"]["previous_status_id"], p["data"]["status"]["previous_status_id"]);
}

TEST(BigCommerceStatus, WithoutAWebhookIdTheHashDedupes) {
  const Json p = sample_json("order_status_updated.json");
  const Json e = map_json(p).events.at(0);
  EXPECT_EQ(e["id"], "bigcommerce:1025646:dd70c0976e06b67aaf671e73f49dcb79230ebf9d");
  EXPECT_EQ(map_json(p).events, map_json(p).events);
}

TEST(BigCommerceScopes, ThinScopesMapToNothing) {
  const MappedEvents m = map_json(sample_json("order_created.json"));
  EXPECT_TRUE(m.events.empty());
  EXPECT_EQ(m.reason, "ignored: scope store/order/created carries only an id");
}

TEST(BigCommerceScopes, WrongShapesNameTheField) {
  auto failure_of = [](const Json &payload) -> std::string {
    try {
      map_bigcommerce(Headers{}, payload);
    } catch (const Failure &f) {
      EXPECT_EQ(f.status(), OC_ERR_SCHEMA);
      return f.what();
    }
    return "(mapped)";
  };
  Json p = sample_json("order_status_updated.json");
  p["data"]["status"]["new_status_id"] = "2";
  EXPECT_EQ(failure_of(p), "payload.data.status.new_status_id: expected a status id");
  p = sample_json("order_status_updated.json");
  p["data"].erase("status");
  EXPECT_EQ(failure_of(p), "payload.data.status: required");
  p = sample_json("order_status_updated.json");
  p["created_at"] = "2019-06-25";
  EXPECT_EQ(failure_of(p), "payload.created_at: expected an integer, got string");
  p = sample_json("order_status_updated.json");
  p.erase("scope");
  EXPECT_EQ(failure_of(p), "payload.scope: required");
  p = sample_json("order_status_updated.json");
  p["data"]["id"] = nullptr;
  EXPECT_EQ(failure_of(p), "payload.data.id: required");
}

}  // namespace
}  // namespace ordercare::ingest
