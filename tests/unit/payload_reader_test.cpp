// The reading layer under the webhook mappers (issue 10, point 5): every
// integer, amount and time a platform sends is held to the ranges of
// common/value_ranges.h and refused naming the payload field; and through
// each mapper, a number past its range never reaches a canonical event.
#include "ingest/payload_reader.h"

#include <gtest/gtest.h>

#include <fstream>
#include <memory>
#include <sstream>

#include "common/failure.h"
#include "common/value_ranges.h"
#include "ingest/bigcommerce_mapper.h"
#include "ingest/event_validator.h"
#include "ingest/shopify_mapper.h"
#include "ingest/stripe_mapper.h"
#include "ingest/woocommerce_mapper.h"
#include "support/temp_dir.h"

namespace ordercare::ingest {
namespace {

// JSON as a platform's text has it: 2^63 and beyond included.
Json payload(const char *text) { return Json::parse(text); }

template <class Fn>
std::string failure_of(Fn &&fn) {
  try {
    fn();
  } catch (const Failure &failure) {
    EXPECT_EQ(failure.status(), OC_ERR_SCHEMA) << failure.what();
    return failure.what();
  }
  return "(read)";
}

TEST(PayloadReaderRanges, IntegersStopAtTheLargestAmount) {
  const Json p = payload(R"({"edge": 1000000000000000, "low": -1000000000000000,
                             "over": 1000000000000001, "max": 9223372036854775807,
                             "wrapped": 9223372036854775808, "beyond": 18446744073709551616,
                             "under": -9223372036854775808})");
  PayloadReader reader(p, "payload");
  EXPECT_EQ(reader.integer("edge"), kMaxAmount);
  EXPECT_EQ(reader.integer("low"), -kMaxAmount);
  const std::string range = ": expected an integer from -1000000000000000 to 1000000000000000, got ";
  EXPECT_EQ(failure_of([&] { reader.integer("over"); }), "payload.over" + range + "1000000000000001");
  EXPECT_EQ(failure_of([&] { reader.integer("max"); }), "payload.max" + range + "9223372036854775807");
  EXPECT_EQ(failure_of([&] { reader.integer("wrapped"); }), "payload.wrapped" + range + "9223372036854775808");
  EXPECT_EQ(failure_of([&] { reader.integer("under"); }), "payload.under" + range + "-9223372036854775808");
  // Past 2^64 nlohmann holds a double: not an integer at all.
  EXPECT_EQ(failure_of([&] { reader.integer("beyond"); }),
            "payload.beyond: expected an integer, got 1.8446744073709552e+19");
}

TEST(PayloadReaderRanges, AmountsStopAtTheLargestAmount) {
  const Json p = payload(R"({"edge": "10000000000000.00", "over": "10000000000000.01",
                             "two_to_63": "92233720368547758.08", "digits": "99999999999999999999999.99",
                             "number": 9223372036854775808, "yen": 1000000000000001,
                             "refund": "-10000000000000.00", "refund_over": "-10000000000000.01",
                             "refund_digits": "-99999999999999999999", "malformed": "1.000,00"})");
  PayloadReader reader(p, "payload");
  EXPECT_EQ(reader.money("edge", "USD"), kMaxAmount);
  const std::string usd = ": expected an amount from 0 to 10000000000000.00 USD";
  EXPECT_EQ(failure_of([&] { reader.money("over", "USD"); }), "payload.over" + usd);
  EXPECT_EQ(failure_of([&] { reader.money("two_to_63", "USD"); }), "payload.two_to_63" + usd);
  EXPECT_EQ(failure_of([&] { reader.money("digits", "USD"); }), "payload.digits" + usd);
  EXPECT_EQ(failure_of([&] { reader.money("number", "JPY"); }),
            "payload.number: expected an amount from 0 to 1000000000000000 JPY");
  EXPECT_EQ(failure_of([&] { reader.money("yen", "JPY"); }),
            "payload.yen: expected an amount from 0 to 1000000000000000 JPY");
  EXPECT_EQ(reader.signed_money("refund", "USD"), -kMaxAmount);
  const std::string signed_usd = ": expected an amount from -10000000000000.00 USD to 10000000000000.00 USD";
  EXPECT_EQ(failure_of([&] { reader.signed_money("refund_over", "USD"); }), "payload.refund_over" + signed_usd);
  EXPECT_EQ(failure_of([&] { reader.signed_money("refund_digits", "USD"); }),
            "payload.refund_digits" + signed_usd);
  EXPECT_EQ(failure_of([&] { reader.money("malformed", "USD"); }),
            "payload.malformed: expected a decimal amount with at most 2 decimals for USD");
}

TEST(PayloadReaderRanges, TimesAreFrom1970To9999) {
  const Json p = payload(R"({"first": "1970-01-01T00:00:00Z", "last": "9999-12-31T23:59:59.999Z",
                             "ancient": "0001-01-01T00:00:00Z", "before": "1970-01-01T00:59:59+01:00",
                             "after": "9999-12-31T23:00:00-01:00", "naive": "0001-01-01T00:00:00",
                             "s_last": 253402300799, "s_after": 253402300800, "s_before": -1,
                             "s_huge": 9223372036854775807})");
  PayloadReader reader(p, "payload");
  EXPECT_EQ(reader.time("first"), kMinTimeMs);
  EXPECT_EQ(reader.time("last"), kMaxTimeMs);
  // The message is the one for a malformed time: the range is in the header.
  const std::string range = ": expected an RFC 3339 timestamp";
  EXPECT_EQ(failure_of([&] { reader.time("ancient"); }), "payload.ancient" + range);
  EXPECT_EQ(failure_of([&] { reader.time("before"); }), "payload.before" + range);
  EXPECT_EQ(failure_of([&] { reader.time("after"); }), "payload.after" + range);
  EXPECT_EQ(failure_of([&] { reader.time("naive", true); }), "payload.naive" + range);
  EXPECT_EQ(reader.optional_unix_seconds("s_last"), kMaxTimeMs - 999);
  const std::string seconds = ": expected unix seconds from 0 to 253402300799 (1970 to 9999)";
  EXPECT_EQ(failure_of([&] { reader.optional_unix_seconds("s_after"); }), "payload.s_after" + seconds);
  EXPECT_EQ(failure_of([&] { reader.optional_unix_seconds("s_before"); }), "payload.s_before" + seconds);
  EXPECT_NE(failure_of([&] { reader.optional_unix_seconds("s_huge"); }).find("payload.s_huge: expected an integer"),
            std::string::npos);
}

// --- Through each platform's mapper -----------------------------------------------------

Json sample(const std::string &platform, const std::string &name) {
  const std::string path = testing::source_dir() + "/tests/data/webhooks/" + platform + "/" + name;
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + path);
  std::ostringstream text;
  text << in.rdbuf();
  return parse_json(text.str(), "sample");
}

// Maps and validates as the webhook server does; the first refusal's message.
template <class Map>
std::string refusal(Map &&map) {
  try {
    for (const Json &event : map().events) validate_event(event);
  } catch (const Failure &failure) {
    EXPECT_EQ(failure.status(), OC_ERR_SCHEMA) << failure.what();
    return failure.what();
  }
  return "(mapped)";
}

TEST(PayloadReaderRanges, ShopifyNumbersPastTheirRangeAreRefused) {
  const Headers headers{{"X-Shopify-Topic", "orders/create"},
                        {"X-Shopify-Shop-Domain", "keramik-o.myshopify.com"},
                        {"X-Shopify-Webhook-Id", "b54557e4-bdd9-4b37-8a5f-bf7d70bcd043"},
                        {"X-Shopify-Event-Id", "98880550-7158-44d4-b7cd-2c97c8a091b5"}};
  const Json base = sample("shopify", "orders_create.json");
  const auto map = [&](const Json &p) { return refusal([&] { return map_shopify("orders/create", headers, p); }); };
  EXPECT_EQ(map(base), "(mapped)");
  Json p = base;
  p["total_price"] = "92233720368547758.08";
  EXPECT_EQ(map(p), "payload.total_price: expected an amount from 0 to 10000000000000.00 USD");
  p = base;
  p["line_items"][0]["price"] = "10000000000000.01";
  EXPECT_EQ(map(p), "payload.line_items[0].price: expected an amount from 0 to 10000000000000.00 USD");
  p = base;
  p["line_items"][0]["quantity"] = payload("9223372036854775808");
  EXPECT_EQ(map(p), "payload.line_items[0].quantity: expected an integer from -1000000000000000 to "
                    "1000000000000000, got 9223372036854775808");
  p = base;
  p["line_items"][0]["quantity"] = kMaxQuantity + 1;
  EXPECT_EQ(map(p), "data.order.items[0].quantity: expected an integer from 1 to 1000000");
  p = base;
  p["created_at"] = "0001-01-01T00:00:00Z";
  EXPECT_EQ(map(p), "payload.created_at: expected an RFC 3339 timestamp");
}

TEST(PayloadReaderRanges, WooCommerceNumbersPastTheirRangeAreRefused) {
  const Headers headers{{"X-WC-Webhook-Source", "https://tienda.example/"},
                        {"X-WC-Webhook-Topic", "order.created"},
                        {"X-WC-Webhook-Resource", "order"},
                        {"X-WC-Webhook-Event", "created"},
                        {"X-WC-Webhook-ID", "3"},
                        {"X-WC-Webhook-Delivery-ID", "36e520ebabc2fa725092ff4a47acedf2"}};
  const Json base = sample("woocommerce", "order_created.json");
  const auto map = [&](const Json &p) {
    return refusal([&] { return map_woocommerce("order.created", headers, p); });
  };
  EXPECT_EQ(map(base), "(mapped)");
  Json p = base;
  p["total"] = "9223372036854775808";
  EXPECT_EQ(map(p), "payload.total: expected an amount from 0 to 1000000000000000 CLP");
  p = base;
  p["line_items"][0]["quantity"] = payload("18446744073709551615");
  EXPECT_NE(map(p).find("payload.line_items[0].quantity: expected an integer from"), std::string::npos) << map(p);
  p = base;
  p["date_created_gmt"] = "0001-01-01T00:00:00";
  EXPECT_EQ(map(p), "payload.date_created_gmt: expected an RFC 3339 timestamp");
}

TEST(PayloadReaderRanges, StripeNumbersPastTheirRangeAreRefused) {
  const Json base = sample("stripe", "charge_dispute_created.json");
  const auto map = [&](const Json &p) { return refusal([&] { return map_stripe(Headers{}, p); }); };
  EXPECT_EQ(map(base), "(mapped)");
  Json p = base;
  p["data"]["object"]["amount"] = payload("9223372036854775808");
  EXPECT_EQ(map(p), "payload.data.object.amount: expected an integer from -1000000000000000 to "
                    "1000000000000000, got 9223372036854775808");
  p = base;
  p["created"] = 253402300800;
  EXPECT_EQ(map(p), "payload.created: expected unix seconds from 0 to 253402300799 (1970 to 9999)");
}

TEST(PayloadReaderRanges, BigCommerceNumbersPastTheirRangeAreRefused) {
  const Headers headers{{"webhook-id", "3c8e5a1f-6b2d-4e9a-8f7c-0d1e2f3a4b5c"}};
  const Json base = sample("bigcommerce", "order_status_updated.json");
  const auto map = [&](const Json &p) { return refusal([&] { return map_bigcommerce(headers, p); }); };
  EXPECT_EQ(map(base), "(mapped)");
  Json p = base;
  p["created_at"] = payload("9223372036854775808");
  EXPECT_NE(map(p).find("payload.created_at: expected an integer from"), std::string::npos) << map(p);
  p["created_at"] = -1;
  EXPECT_EQ(map(p), "payload.created_at: expected unix seconds from 0 to 253402300799 (1970 to 9999)");
}

// A reader that consumes its payload gives the same leftovers as one that
// copies them, and moves them: the payload keeps only what was read.
TEST(PayloadReaderLeftovers, ConsumingMovesTheSameLeftoversOutOfThePayload) {
  const Json order = sample("shopify", "orders_create.json");
  const auto read_some = [](PayloadReader &r) {
    r.id("id");
    r.currency("currency");
    r.optional_object("customer")->id("id");
    for (PayloadReader *line : r.objects("line_items")) line->id("id");
  };
  PayloadReader copying(order, "payload");
  read_some(copying);
  const Json copied = copying.leftovers();

  Json consumed_payload = order;
  PayloadReader consuming(PayloadReader::Consume{}, consumed_payload, "payload");
  read_some(consuming);
  const std::string id_before = consuming.value()["id"].dump();
  EXPECT_EQ(consuming.leftovers(), copied);
  EXPECT_FALSE(copied.empty());
  EXPECT_TRUE(copied.contains("line_items")) << "each line's unread fields";

  // What was read stays; what was left over was moved, not copied.
  EXPECT_EQ(consumed_payload["id"].dump(), id_before);
  EXPECT_EQ(consumed_payload["line_items"][0]["id"], order["line_items"][0]["id"]);
  for (auto it = copied.begin(); it != copied.end(); ++it) {
    if (it.key() == "customer" || it.key() == "line_items") continue;
    EXPECT_TRUE(consumed_payload[it.key()].is_null()) << it.key();
  }
  EXPECT_TRUE(consumed_payload["line_items"][0]["name"].is_null());
  // The copying reader's payload is whole.
  EXPECT_FALSE(order["line_items"][0]["name"].is_null());
}

// The payload is no longer whole once its leftovers are taken: reading it
// then (a digest of the whole body, for a delivery's key) is a bug, refused.
TEST(PayloadReaderLeftovers, TheConsumedPayloadIsNotReadAfterItsLeftovers) {
  Json p = payload(R"({"id": 1, "extra": {"a": [1, 2]}})");
  PayloadReader reader(PayloadReader::Consume{}, p, "payload");
  reader.id("id");
  EXPECT_EQ(reader.value(), payload(R"({"id": 1, "extra": {"a": [1, 2]}})"));
  EXPECT_EQ(reader.leftovers(), payload(R"({"extra": {"a": [1, 2]}})"));
  try {
    (void)reader.value();
    ADD_FAILURE() << "read after the leftovers";
  } catch (const Failure &failure) {
    EXPECT_EQ(failure.status(), OC_ERR_INTERNAL);
  }
  // A reader that copies can be read again.
  const Json whole = payload(R"({"id": 1, "extra": 2})");
  PayloadReader copying(whole, "payload");
  EXPECT_EQ(copying.leftovers(), payload(R"({"extra": 2, "id": 1})"));
  EXPECT_EQ(copying.value(), whole);
}

// The fields a mapper read are left out of the leftovers, whatever order it
// read them in, however often, and when they were null; a field only peeked
// at, or a key that merely starts like one read, stays.
TEST(PayloadReaderLeftovers, ExactlyTheFieldsReadAreLeftOut) {
  const Json whole = payload(R"({"a": 1, "ab": 2, "b": null, "c": "x", "d": 4, "e": {"f": 5, "g": 6}, "z": 7})");
  for (const bool consume : {false, true}) {
    Json p = whole;
    auto reader = consume ? std::make_unique<PayloadReader>(PayloadReader::Consume{}, p, "payload")
                          : std::make_unique<PayloadReader>(whole, "payload");
    EXPECT_EQ(reader->optional_integer("z"), 7);
    EXPECT_EQ(reader->optional_integer("a"), 1);
    EXPECT_EQ(reader->optional_string("b"), std::nullopt);
    EXPECT_EQ(reader->optional_integer("a"), 1);
    EXPECT_EQ(reader->optional_string("absent"), std::nullopt);
    EXPECT_EQ(reader->peek_string("c"), "x");
    EXPECT_EQ(reader->object("e").integer("g"), 6);
    EXPECT_EQ(reader->leftovers(), payload(R"({"ab": 2, "c": "x", "d": 4, "e": {"f": 5}})")) << consume;
  }
}

}  // namespace
}  // namespace ordercare::ingest
