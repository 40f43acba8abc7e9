// Stripe events below the socket: samples under tests/data/webhooks/stripe/
// are signed the way Stripe signs ("t=...,v1=..."), verified on their exact
// bytes, parsed, mapped, and checked against the canonical schema.
#include "ingest/stripe_mapper.h"

#include <gtest/gtest.h>

#include <limits>

#include "common/failure.h"
#include "ingest/webhook_signature.h"
#include "support/webhook_samples.h"

namespace ordercare::ingest {
namespace {

constexpr std::string_view kSecret = "whsec_stripe_endpoint_secret_42";

std::string read_sample(const std::string &name) { return testing::read_webhook_sample("stripe", name); }

Json sample_json(const std::string &name) { return testing::webhook_sample_json("stripe", name); }

MappedEvents deliver(const std::string &sample) {
  const std::string body = read_sample(sample);
  const Json payload = parse_json(body, "payload");
  // Stripe signs when it sends, which is about when the event was created.
  const std::int64_t sent = payload["created"].get<std::int64_t>() + 3;
  const Headers headers{{"Stripe-Signature", stripe_signature_header(kSecret, sent, body)},
                        {"Content-Type", "application/json; charset=utf-8"}};
  const VerifyResult verified = verify_stripe(headers, body, SecretSet{std::string(kSecret), {}, 0},
                                              (sent + 20) * kSecondMs, kDefaultSignatureTolerance);
  EXPECT_TRUE(verified.ok()) << verified.message;
  return testing::validated(map_stripe(headers, payload));
}

MappedEvents map_json(const Json &payload) { return testing::validated(map_stripe(Headers{}, payload)); }

std::string failure_of(const Json &payload) {
  try {
    map_stripe(Headers{}, payload);
  } catch (const Failure &f) {
    EXPECT_EQ(f.status(), OC_ERR_SCHEMA);
    return f.what();
  }
  return "(mapped)";
}

TEST(StripeDispute, BecomesPaymentDisputed) {
  const MappedEvents mapped = deliver("charge_dispute_created.json");
  ASSERT_EQ(mapped.events.size(), 1u);
  const Json e = mapped.events[0];
  EXPECT_EQ(e["id"], "stripe:evt_1PxDispute0001");
  EXPECT_EQ(e["type"], "payment.disputed");
  EXPECT_EQ(e["source"], "stripe");
  EXPECT_FALSE(e.contains("store"));
  EXPECT_EQ(e["occurred_at"], "2026-03-15T00:00:00Z");
  const Json &data = e["data"];
  EXPECT_EQ(data["order_id"], "5623984128");  // from metadata.order_id
  EXPECT_EQ(data["amount"], 4999);
  EXPECT_EQ(data["currency"], "USD");
  EXPECT_EQ(data["reason"], "product_not_received");
  EXPECT_EQ(data["dispute_id"], "dp_1PxD9k2eZvKYlo2C0a1b2c3d");
  // The Stripe type and the references stay on the record.
  EXPECT_EQ(data["platform"]["type"], "charge.dispute.created");
  EXPECT_EQ(data["platform"]["data"]["object"]["charge"], "ch_3PxD8f2eZvKYlo2C1q2w3e4r");
  EXPECT_EQ(data["platform"]["data"]["object"]["evidence_details"]["due_by"], 1774310399);
  EXPECT_FALSE(data["platform"]["data"]["object"].contains("amount"));
}

TEST(StripeDispute, JpyAmountsAreWholeYenAndTheAccountIsTheStore) {
  const Json e = deliver("charge_dispute_created_jpy.json").events.at(0);
  EXPECT_EQ(e["store"], "acct_1JpShopTokyo");
  EXPECT_EQ(e["data"]["amount"], 12800);
  EXPECT_EQ(e["data"]["currency"], "JPY");
  // No metadata.order_id: the PaymentIntent is what the host can look up.
  EXPECT_EQ(e["data"]["order_id"], "pi_3PxJPY");
  Json p = sample_json("charge_dispute_created_jpy.json");
  p["data"]["object"].erase("payment_intent");
  EXPECT_EQ(map_json(p).events.at(0)["data"]["order_id"], "ch_3PxJPY");
}

TEST(StripeRefund, OrdercaresRefundSucceededInKwd) {
  const Json e = deliver("refund_updated.json").events.at(0);
  EXPECT_EQ(e["type"], "refund.result");
  EXPECT_EQ(e["id"], "stripe:evt_3PxRefund0001");
  EXPECT_EQ(e["data"]["refund_id"], "rf_KW_0001");
  EXPECT_EQ(e["data"]["status"], "succeeded");
  EXPECT_EQ(e["data"]["amount"], 12345);
  EXPECT_EQ(e["data"]["currency"], "KWD");
  EXPECT_EQ(e["data"]["host_reference"], "re_3PxRf2eZvKYlo2C0xyz");
  EXPECT_EQ(e["data"]["platform"]["data"]["previous_attributes"]["status"], "pending");
  EXPECT_EQ(e["data"]["platform"]["request"]["idempotency_key"], "rf_KW_0001");
}

TEST(StripeRefund, OutcomesAndForeignRefunds) {
  Json p = sample_json("refund_updated.json");
  p["data"]["object"]["status"] = "failed";
  p["data"]["object"]["failure_reason"] = "expired_or_canceled_card";
  Json e = map_json(p).events.at(0);
  EXPECT_EQ(e["data"]["status"], "failed");
  EXPECT_EQ(e["data"]["reason"], "expired_or_canceled_card");

  p["type"] = "refund.failed";
  p["data"]["object"]["status"] = "canceled";
  p["data"]["object"].erase("failure_reason");
  EXPECT_EQ(map_json(p).events.at(0)["data"]["status"], "failed");

  p = sample_json("refund_updated.json");
  p["type"] = "refund.created";
  p["data"]["object"]["status"] = "pending";
  MappedEvents mapped = map_json(p);
  EXPECT_TRUE(mapped.events.empty());
  EXPECT_EQ(mapped.reason, "ignored: refund is pending");

  // A refund made in the dashboard: booked on the order's ledger once it
  // has gone out, and not before.
  p = sample_json("refund_updated.json");
  p["data"]["object"]["metadata"].erase("ordercare_refund_id");
  e = map_json(p).events.at(0);
  EXPECT_EQ(e["type"], "refund.recorded");
  EXPECT_EQ(e["id"], "stripe:evt_3PxRefund0001");
  EXPECT_EQ(e["data"]["order_id"], "6001002004");
  EXPECT_EQ(e["data"]["refund_id"], "re_3PxRf2eZvKYlo2C0xyz");
  EXPECT_EQ(e["data"]["amount"], 12345);
  EXPECT_EQ(e["data"]["currency"], "KWD");
  EXPECT_EQ(e["data"]["reason"], "requested_by_customer");
  p["data"]["object"]["metadata"].erase("order_id");
  EXPECT_EQ(map_json(p).events.at(0)["data"]["order_id"], "pi_3PxKWD");
  p["data"]["object"]["status"] = "pending";
  mapped = map_json(p);
  EXPECT_TRUE(mapped.events.empty());
  EXPECT_NE(mapped.reason.find("outside ordercare is pending"), std::string::npos);
}

// ordercare's own refund answers its request; the one made in the
// dashboard (re_2) is booked on the order's ledger.
TEST(StripeChargeRefunded, AnswersOrdercaresRefundsAndRecordsTheOthers) {
  const MappedEvents mapped = deliver("charge_refunded.json");
  ASSERT_EQ(mapped.events.size(), 2u);
  const Json recorded = mapped.events[1];
  EXPECT_EQ(recorded["type"], "refund.recorded");
  EXPECT_EQ(recorded["id"], "stripe:evt_3PxChargeRefunded#2");
  EXPECT_EQ(recorded["data"]["order_id"], "8813");  // the charge's metadata
  EXPECT_EQ(recorded["data"]["refund_id"], "re_2");
  EXPECT_EQ(recorded["data"]["amount"], 1000);
  EXPECT_EQ(recorded["data"]["currency"], "EUR");
  const Json e = mapped.events[0];
  EXPECT_EQ(e["type"], "refund.result");
  EXPECT_EQ(e["id"], "stripe:evt_3PxChargeRefunded#1");
  EXPECT_EQ(e["data"]["refund_id"], "rf_7Q2W");
  EXPECT_EQ(e["data"]["amount"], 4990);
  EXPECT_EQ(e["data"]["currency"], "EUR");
  EXPECT_EQ(e["data"]["host_reference"], "re_1");
  // What neither mapping read stays, at its place.
  EXPECT_EQ(e["data"]["platform"]["data"]["object"]["refunds"]["data"][1]["created"], 1773700000);

  // Without metadata the payment intent names the order, as for disputes.
  Json p = sample_json("charge_refunded.json");
  p["data"]["object"].erase("metadata");
  EXPECT_EQ(map_json(p).events.at(1)["data"]["order_id"], "pi_3PxEUR");

  p = sample_json("charge_refunded.json");
  p["data"]["object"].erase("refunds");  // newer API versions do not embed them
  const MappedEvents none = map_json(p);
  EXPECT_TRUE(none.events.empty());
  EXPECT_NE(none.reason.find("charge.refunded"), std::string::npos);
}

TEST(StripeEvents, OtherTypesAreIgnored) {
  const MappedEvents mapped = map_json(Json{{"type", "payment_intent.succeeded"}, {"id", "evt_1"}});
  EXPECT_TRUE(mapped.events.empty());
  EXPECT_EQ(mapped.reason, "ignored: event type payment_intent.succeeded");
}

TEST(StripeEvents, WrongShapesNameTheField) {
  Json p = sample_json("charge_dispute_created.json");
  p["data"]["object"]["amount"] = "49.99";
  EXPECT_EQ(failure_of(p), "payload.data.object.amount: expected an integer, got string");
  p = sample_json("charge_dispute_created.json");
  p["data"]["object"]["amount"] = -5;
  EXPECT_EQ(failure_of(p), "payload.data.object.amount: expected a non-negative amount");
  p = sample_json("charge_dispute_created.json");
  p["data"].erase("object");
  EXPECT_EQ(failure_of(p), "payload.data.object: required");
  p = sample_json("charge_dispute_created.json");
  p.erase("created");
  EXPECT_EQ(failure_of(p), "payload.created: required");
  p = sample_json("charge_dispute_created.json");
  p["data"]["object"]["currency"] = "dollars";
  EXPECT_EQ(failure_of(p), "payload.data.object.currency: expected a three-letter ISO 4217 currency code");
  p = sample_json("charge_dispute_created.json");
  p["data"]["object"]["currency"] = "isk";
  p["data"]["object"]["amount"] = 12345;
  EXPECT_EQ(failure_of(p), "payload.data.object.amount: not a whole ISO 4217 minor unit of ISK");
  EXPECT_EQ(failure_of(Json{{"id", "evt_1"}}), "payload.type: required");
  EXPECT_EQ(failure_of(Json("text")), "payload: expected an object, got string");
}

TEST(StripeAmounts, RescaledToIsoMinorUnits) {
  EXPECT_EQ(stripe_to_iso_minor_units(4999, "usd"), 4999);
  EXPECT_EQ(stripe_to_iso_minor_units(500, "JPY"), 500);
  EXPECT_EQ(stripe_to_iso_minor_units(12340, "kwd"), 12340);
  // Stripe sends ISK with two (always zero) decimals; ISO has none.
  EXPECT_EQ(stripe_to_iso_minor_units(12300, "isk"), 123);
  EXPECT_EQ(stripe_to_iso_minor_units(12345, "isk"), std::nullopt);
  // Stripe treats MGA as zero-decimal; ISO gives it two.
  EXPECT_EQ(stripe_to_iso_minor_units(500, "mga"), 50000);
  EXPECT_EQ(stripe_to_iso_minor_units(std::numeric_limits<std::int64_t>::max(), "mga"), std::nullopt);
  EXPECT_EQ(stripe_to_iso_minor_units(1, "us"), std::nullopt);
}

}  // namespace
}  // namespace ordercare::ingest
