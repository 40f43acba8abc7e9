// Signature verification per scheme. The expected MACs below were computed
// independently with `openssl dgst -sha256 -hmac` (and, for Standard
// Webhooks, the vector the specification's own libraries test against), so
// a wrong construction here cannot agree with itself.
#include "ingest/webhook_signature.h"

#include <gtest/gtest.h>

#include "common/failure.h"

namespace ordercare::ingest {
namespace {

constexpr std::string_view kShopifyBody =
    R"({"id":820982911946154508,"email":"jon@example.com","total_price":"49.99"})";
constexpr std::string_view kShopifySecret = "shpss_test_secret_0123";
constexpr std::string_view kShopifyOldSecret = "old_secret_4567";
constexpr std::string_view kShopifyMac = "2zQVnjwBcWlm4JVlJDMeQWzTkR816JaE0d3cofPCeLE=";
constexpr std::string_view kShopifyOldMac = "P17m0jESD1rZkDzQFH97B54tMErotF34EW/uy3Uli38=";

constexpr std::string_view kWooBody =
    R"({"id":4750,"status":"processing","currency":"CLP","total":"15990"})";
constexpr std::string_view kWooSecret = "ck_woo_secret_xyz";
constexpr std::string_view kWooMac = "/z4MWBtunh/y4dHGZvethrVRjlhnfJOPzPDy9LnVp8c=";

constexpr std::string_view kStripeBody =
    R"({"id":"evt_1NG8Du2eZvKYlo2CUI79vXWy","type":"charge.dispute.created"})";
constexpr std::string_view kStripeSecret = "whsec_test_stripe_secret";
constexpr std::string_view kStripeMac =
    "50016be137463e0f70891acb1858b58c07f13a439c92ae75aafbf8892913e623";
constexpr std::int64_t kStripeT = 1700000000;
constexpr TimeMs kStripeNow = kStripeT * 1000;

// The Standard Webhooks reference vector.
constexpr std::string_view kSwSecret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
constexpr std::string_view kSwId = "msg_p5jXN8AQM9LWM0D4loKWxJek";
constexpr std::string_view kSwTimestamp = "1614265330";
constexpr std::string_view kSwBody = R"({"test": 2432232314})";
constexpr std::string_view kSwSignature = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";
constexpr TimeMs kSwNow = 1614265330LL * 1000;

// BigCommerce: Standard Webhooks headers, keyed with the raw client secret.
constexpr std::string_view kBcSecret = "bc_client_secret_abc";
constexpr std::string_view kBcId = "f3a9c2e4-1b7d-4c1e-9a55-2f0e6f6d1c11";
constexpr std::string_view kBcBody = R"({"scope":"store/order/statusUpdated"})";
constexpr std::string_view kBcSignature = "v1,AKLI3SfDAdUjwavQUXD8ByRMiR7EPyEwstFYiHEAqww=";

constexpr TimeMs kNow = 1'760'000'000'000;
constexpr TimeMs kTolerance = 5 * kMinuteMs;

SecretSet only(std::string_view secret) { return SecretSet{std::string(secret), {}, 0}; }

Headers shopify_headers(std::string_view mac) {
  return Headers{{"X-Shopify-Topic", "orders/create"},
                 {"X-Shopify-Hmac-Sha256", std::string(mac)},
                 {"X-Shopify-Shop-Domain", "example.myshopify.com"}};
}

Headers stripe_headers(std::string value) { return Headers{{"Stripe-Signature", std::move(value)}}; }

Headers sw_headers(std::string_view id, std::string_view ts, std::string_view sig) {
  return Headers{{"webhook-id", std::string(id)},
                 {"webhook-timestamp", std::string(ts)},
                 {"webhook-signature", std::string(sig)}};
}

// No failure message may carry a secret or what the signature should have been.
void expect_no_leak(const VerifyResult &r, std::initializer_list<std::string_view> secrets) {
  for (std::string_view s : secrets) EXPECT_EQ(r.message.find(s), std::string::npos) << r.message;
}

TEST(ShopifySignature, AcceptsTheIndependentlyComputedVector) {
  const auto r = verify_shopify(shopify_headers(kShopifyMac), kShopifyBody, only(kShopifySecret), kNow);
  EXPECT_TRUE(r.ok()) << r.message;
  EXPECT_FALSE(r.matched_previous);
  EXPECT_EQ(r.message, "");
}

TEST(ShopifySignature, SigningHelperProducesTheSameHeader) {
  EXPECT_EQ(shopify_signature(kShopifySecret, kShopifyBody), kShopifyMac);
  EXPECT_EQ(woocommerce_signature(kWooSecret, kWooBody), kWooMac);
}

TEST(ShopifySignature, HeaderNamesAreCaseInsensitive) {
  for (const char *name : {"x-shopify-hmac-sha256", "X-SHOPIFY-HMAC-SHA256", "X-Shopify-Hmac-SHA256"}) {
    Headers h{{name, std::string(kShopifyMac)}};
    EXPECT_TRUE(verify_shopify(h, kShopifyBody, only(kShopifySecret), kNow).ok()) << name;
  }
}

TEST(ShopifySignature, VerifiesTheExactBytesReceived) {
  // The same JSON re-serialized with a space is a different message.
  const std::string reformatted =
      R"({"id": 820982911946154508,"email":"jon@example.com","total_price":"49.99"})";
  const auto r = verify_shopify(shopify_headers(kShopifyMac), reformatted, only(kShopifySecret), kNow);
  EXPECT_EQ(r.status, VerifyStatus::bad_signature);
  expect_no_leak(r, {kShopifySecret, shopify_signature(kShopifySecret, reformatted)});

  std::string tampered(kShopifyBody);
  tampered.replace(tampered.find("49.99"), 5, "00.01");
  EXPECT_EQ(verify_shopify(shopify_headers(kShopifyMac), tampered, only(kShopifySecret), kNow).status,
            VerifyStatus::bad_signature);
}

TEST(ShopifySignature, WrongSecretIsABadSignature) {
  const auto r = verify_shopify(shopify_headers(kShopifyMac), kShopifyBody, only("another"), kNow);
  EXPECT_EQ(r.status, VerifyStatus::bad_signature);
  EXPECT_NE(r.message.find("X-Shopify-Hmac-Sha256"), std::string::npos);
  expect_no_leak(r, {"another", shopify_signature("another", kShopifyBody)});
}

TEST(ShopifySignature, MissingDuplicateAndMalformedHeaders) {
  Headers none{{"X-Shopify-Topic", "orders/create"}};
  EXPECT_EQ(verify_shopify(none, kShopifyBody, only(kShopifySecret), kNow).status,
            VerifyStatus::missing_header);

  Headers twice = shopify_headers(kShopifyMac);
  twice.add("x-shopify-hmac-sha256", std::string(kShopifyMac));
  const auto dup = verify_shopify(twice, kShopifyBody, only(kShopifySecret), kNow);
  EXPECT_EQ(dup.status, VerifyStatus::malformed_header);
  EXPECT_NE(dup.message.find("2 times"), std::string::npos);

  for (const char *bad : {"", "not base64!", "c2hvcnQ=", "2zQVnjwBcWlm4JVlJDMeQWzTkR816JaE0d3cofPCeLE=AAAA"}) {
    const auto r = verify_shopify(shopify_headers(bad), kShopifyBody, only(kShopifySecret), kNow);
    EXPECT_EQ(r.status, VerifyStatus::malformed_header) << bad;
  }
  // A hex digest (the wrong encoding) is refused as malformed, not compared.
  const auto hex = verify_shopify(
      shopify_headers("db34159e3c017169668e5565243310e964d3913f35e89684d1dddca1f3c278b1"),
      kShopifyBody, only(kShopifySecret), kNow);
  EXPECT_EQ(hex.status, VerifyStatus::malformed_header);
}

TEST(ShopifySignature, SurroundingWhitespaceIsNotPartOfTheValue) {
  Headers h{{"X-Shopify-Hmac-Sha256", "  " + std::string(kShopifyMac) + "\t"}};
  EXPECT_TRUE(verify_shopify(h, kShopifyBody, only(kShopifySecret), kNow).ok());
}

TEST(ShopifySignature, NoSecretConfigured) {
  const auto r = verify_shopify(shopify_headers(kShopifyMac), kShopifyBody, SecretSet{}, kNow);
  EXPECT_EQ(r.status, VerifyStatus::no_secret);
}

TEST(SecretRotation, PreviousSecretIsAcceptedUntilNotAfterInclusive) {
  const SecretSet rotating{std::string(kShopifySecret), std::string(kShopifyOldSecret), kNow};
  const auto old_ok = verify_shopify(shopify_headers(kShopifyOldMac), kShopifyBody, rotating, kNow);
  EXPECT_TRUE(old_ok.ok()) << old_ok.message;
  EXPECT_TRUE(old_ok.matched_previous);

  const auto new_ok = verify_shopify(shopify_headers(kShopifyMac), kShopifyBody, rotating, kNow);
  EXPECT_TRUE(new_ok.ok());
  EXPECT_FALSE(new_ok.matched_previous);

  const auto expired = verify_shopify(shopify_headers(kShopifyOldMac), kShopifyBody, rotating, kNow + 1);
  EXPECT_EQ(expired.status, VerifyStatus::bad_signature);
  expect_no_leak(expired, {kShopifySecret, kShopifyOldSecret, kShopifyMac});
  // The current secret is unaffected by the window closing.
  EXPECT_TRUE(verify_shopify(shopify_headers(kShopifyMac), kShopifyBody, rotating, kNow + kDayMs).ok());
}

TEST(SecretRotation, OnlyAnExpiredPreviousSecretIsNoSecret) {
  const SecretSet expired{"", std::string(kShopifyOldSecret), kNow - 1};
  EXPECT_EQ(verify_shopify(shopify_headers(kShopifyOldMac), kShopifyBody, expired, kNow).status,
            VerifyStatus::no_secret);
  const SecretSet open{"", std::string(kShopifyOldSecret), kNow};
  EXPECT_TRUE(verify_shopify(shopify_headers(kShopifyOldMac), kShopifyBody, open, kNow).ok());
}

TEST(WooCommerceSignature, AcceptsTheIndependentlyComputedVector) {
  Headers h{{"X-WC-Webhook-Signature", std::string(kWooMac)},
            {"X-WC-Webhook-Topic", "order.updated"},
            {"X-WC-Webhook-Delivery-ID", "36e520ebabc2fa725092ff4a47acedf2"}};
  EXPECT_TRUE(verify_woocommerce(h, kWooBody, only(kWooSecret), kNow).ok());
  Headers lower{{"x-wc-webhook-signature", std::string(kWooMac)}};
  EXPECT_TRUE(verify_woocommerce(lower, kWooBody, only(kWooSecret), kNow).ok());
  EXPECT_EQ(verify_woocommerce(h, std::string(kWooBody) + " ", only(kWooSecret), kNow).status,
            VerifyStatus::bad_signature);
}

TEST(WooCommerceSignature, UnsignedActivationPingIsAPing) {
  const Headers none;
  const auto r = verify_woocommerce(none, "webhook_id=12", only(kWooSecret), kNow);
  EXPECT_EQ(r.status, VerifyStatus::ping);
  EXPECT_FALSE(r.ok());
  EXPECT_TRUE(is_woocommerce_ping("webhook_id=7"));
  for (const char *body : {"webhook_id=", "webhook_id=12&x=1", "webhook_id=abc", "{\"id\":1}",
                           "webhook_id=123456789012345678901"}) {
    EXPECT_FALSE(is_woocommerce_ping(body)) << body;
    EXPECT_EQ(verify_woocommerce(none, body, only(kWooSecret), kNow).status,
              VerifyStatus::missing_header)
        << body;
  }
}

TEST(WooCommerceSignature, ASignedPingIsVerifiedLikeAnyDelivery) {
  Headers h{{"X-WC-Webhook-Signature", woocommerce_signature(kWooSecret, "webhook_id=12")}};
  EXPECT_TRUE(verify_woocommerce(h, "webhook_id=12", only(kWooSecret), kNow).ok());
  Headers forged{{"X-WC-Webhook-Signature", std::string(kWooMac)}};
  EXPECT_EQ(verify_woocommerce(forged, "webhook_id=12", only(kWooSecret), kNow).status,
            VerifyStatus::bad_signature);
}

std::string stripe_value(std::string_view mac = kStripeMac) {
  return "t=" + std::to_string(kStripeT) + ",v1=" + std::string(mac);
}

TEST(StripeSignature, AcceptsTheIndependentlyComputedVector) {
  const auto r = verify_stripe(stripe_headers(stripe_value()), kStripeBody, only(kStripeSecret),
                               kStripeNow, kTolerance);
  EXPECT_TRUE(r.ok()) << r.message;
  EXPECT_EQ(stripe_signature_header(kStripeSecret, kStripeT, kStripeBody), stripe_value());
  Headers lower{{"stripe-signature", stripe_value()}};
  EXPECT_TRUE(verify_stripe(lower, kStripeBody, only(kStripeSecret), kStripeNow, kTolerance).ok());
}

TEST(StripeSignature, ToleranceEdgesInBothDirections) {
  const SecretSet s = only(kStripeSecret);
  const auto h = stripe_headers(stripe_value());
  EXPECT_TRUE(verify_stripe(h, kStripeBody, s, kStripeNow + kTolerance, kTolerance).ok());
  EXPECT_TRUE(verify_stripe(h, kStripeBody, s, kStripeNow - kTolerance, kTolerance).ok());
  const auto late = verify_stripe(h, kStripeBody, s, kStripeNow + kTolerance + 1, kTolerance);
  EXPECT_EQ(late.status, VerifyStatus::stale_timestamp);
  EXPECT_NE(late.message.find("tolerance is 300 s"), std::string::npos) << late.message;
  EXPECT_EQ(verify_stripe(h, kStripeBody, s, kStripeNow - kTolerance - 1, kTolerance).status,
            VerifyStatus::stale_timestamp);
}

TEST(StripeSignature, OneMatchingV1AmongSeveralIsEnough) {
  const std::string bogus(64, 'a');
  const std::string value = "t=" + std::to_string(kStripeT) + ",v1=" + bogus + ",v0=" + bogus +
                            ",v1=" + std::string(kStripeMac);
  EXPECT_TRUE(verify_stripe(stripe_headers(value), kStripeBody, only(kStripeSecret), kStripeNow,
                            kTolerance)
                  .ok());
  // Upper-case hex names the same bytes.
  std::string upper(kStripeMac);
  for (char &c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  EXPECT_TRUE(verify_stripe(stripe_headers(stripe_value(upper)), kStripeBody, only(kStripeSecret),
                            kStripeNow, kTolerance)
                  .ok());
}

TEST(StripeSignature, TheTimestampIsSigned) {
  // The same v1 under another t is a replay with a forged time.
  const std::string value = "t=" + std::to_string(kStripeT + 1) + ",v1=" + std::string(kStripeMac);
  EXPECT_EQ(verify_stripe(stripe_headers(value), kStripeBody, only(kStripeSecret), kStripeNow,
                          kTolerance)
                .status,
            VerifyStatus::bad_signature);
}

TEST(StripeSignature, MalformedHeaders) {
  const std::string mac(kStripeMac);
  const std::string t = "t=" + std::to_string(kStripeT);
  for (const std::string &value :
       {std::string("v1=") + mac, t, t + ",v0=" + mac, t + "," + t + ",v1=" + mac,
        "t=17e8,v1=" + mac, "t=,v1=" + mac, t + ",v1=xyz", t + ",garbage", std::string(","),
        "t=-1,v1=" + mac}) {
    const auto r = verify_stripe(stripe_headers(value), kStripeBody, only(kStripeSecret),
                                 kStripeNow, kTolerance);
    EXPECT_EQ(r.status, VerifyStatus::malformed_header) << value << ": " << r.message;
  }
  EXPECT_EQ(verify_stripe(Headers{}, kStripeBody, only(kStripeSecret), kStripeNow, kTolerance).status,
            VerifyStatus::missing_header);
  Headers twice = stripe_headers(stripe_value());
  twice.add("Stripe-Signature", stripe_value());
  EXPECT_EQ(verify_stripe(twice, kStripeBody, only(kStripeSecret), kStripeNow, kTolerance).status,
            VerifyStatus::malformed_header);
}

TEST(StripeSignature, RotationAcceptsTheOldEndpointSecretInTheWindow) {
  const std::string old_header = stripe_signature_header("whsec_old", kStripeT, kStripeBody);
  const SecretSet rotating{std::string(kStripeSecret), "whsec_old", kStripeNow + kHourMs};
  const auto r = verify_stripe(stripe_headers(old_header), kStripeBody, rotating, kStripeNow, kTolerance);
  EXPECT_TRUE(r.ok());
  EXPECT_TRUE(r.matched_previous);
  const SecretSet closed{std::string(kStripeSecret), "whsec_old", kStripeNow - 1};
  const auto after = verify_stripe(stripe_headers(old_header), kStripeBody, closed, kStripeNow, kTolerance);
  EXPECT_EQ(after.status, VerifyStatus::bad_signature);
  expect_no_leak(after, {"whsec_old", kStripeSecret, kStripeMac});
}

TEST(StandardWebhooks, AcceptsTheReferenceVector) {
  const auto r = verify_standard_webhooks(sw_headers(kSwId, kSwTimestamp, kSwSignature), kSwBody,
                                          only(kSwSecret), kSwNow, kTolerance);
  EXPECT_TRUE(r.ok()) << r.message;
  EXPECT_EQ(standard_webhooks_signature(kSwSecret, kSwId, 1614265330, kSwBody), kSwSignature);
  Headers mixed{{"Webhook-Id", std::string(kSwId)},
                {"WEBHOOK-TIMESTAMP", std::string(kSwTimestamp)},
                {"Webhook-Signature", std::string(kSwSignature)}};
  EXPECT_TRUE(verify_standard_webhooks(mixed, kSwBody, only(kSwSecret), kSwNow, kTolerance).ok());
}

TEST(StandardWebhooks, RawSecretsAreKeyBytesAsGiven) {
  // BigCommerce's client secret is not a whsec_ secret: its bytes are the key.
  const auto r = verify_standard_webhooks(sw_headers(kBcId, "1700000000", kBcSignature), kBcBody,
                                          only(kBcSecret), 1700000000LL * 1000, kTolerance);
  EXPECT_TRUE(r.ok()) << r.message;
  EXPECT_EQ(standard_webhooks_signature(kBcSecret, kBcId, 1700000000, kBcBody), kBcSignature);
  // So the reference key without its prefix is a different key.
  EXPECT_EQ(verify_standard_webhooks(sw_headers(kSwId, kSwTimestamp, kSwSignature), kSwBody,
                                     only("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"), kSwNow, kTolerance)
                .status,
            VerifyStatus::bad_signature);
}

TEST(StandardWebhooks, SeveralSignaturesForRotation) {
  const std::string list = "v1a,hnO3f9T8Ytu9HwrXslvumlUpqtNVqkhqw/enGzPCXe5BdqzCInXqYXFymVJaA7AZdpXwVLPo3mNl8EM+m7TBAg== "
                           "v1,Ceo5qEr07ixe2NLpvHk3FH9bwy/WavXrAFQ/9tdO6mc= v2,xyz " +
                           std::string(kSwSignature);
  EXPECT_TRUE(verify_standard_webhooks(sw_headers(kSwId, kSwTimestamp, list), kSwBody,
                                       only(kSwSecret), kSwNow, kTolerance)
                  .ok());
  const std::string wrong_only = "v1,Ceo5qEr07ixe2NLpvHk3FH9bwy/WavXrAFQ/9tdO6mc=";
  EXPECT_EQ(verify_standard_webhooks(sw_headers(kSwId, kSwTimestamp, wrong_only), kSwBody,
                                     only(kSwSecret), kSwNow, kTolerance)
                .status,
            VerifyStatus::bad_signature);
}

TEST(StandardWebhooks, ReceiverSideRotation) {
  const SecretSet rotating{"whsec_bmV3LXNlY3JldC1rZXktMjQtYnl0ZXMtbG9uZw==", std::string(kSwSecret),
                           kSwNow};
  const auto r = verify_standard_webhooks(sw_headers(kSwId, kSwTimestamp, kSwSignature), kSwBody,
                                          rotating, kSwNow, kTolerance);
  EXPECT_TRUE(r.ok());
  EXPECT_TRUE(r.matched_previous);
  const SecretSet closed{rotating.current, rotating.previous, kSwNow - 1};
  EXPECT_EQ(verify_standard_webhooks(sw_headers(kSwId, kSwTimestamp, kSwSignature), kSwBody, closed,
                                     kSwNow, kTolerance)
                .status,
            VerifyStatus::bad_signature);
}

TEST(StandardWebhooks, ToleranceEdges) {
  const auto h = sw_headers(kSwId, kSwTimestamp, kSwSignature);
  EXPECT_TRUE(verify_standard_webhooks(h, kSwBody, only(kSwSecret), kSwNow + kTolerance, kTolerance).ok());
  EXPECT_TRUE(verify_standard_webhooks(h, kSwBody, only(kSwSecret), kSwNow - kTolerance, kTolerance).ok());
  EXPECT_EQ(verify_standard_webhooks(h, kSwBody, only(kSwSecret), kSwNow + kTolerance + 1, kTolerance).status,
            VerifyStatus::stale_timestamp);
  EXPECT_EQ(verify_standard_webhooks(h, kSwBody, only(kSwSecret), kSwNow - kTolerance - 1, kTolerance).status,
            VerifyStatus::stale_timestamp);
}

TEST(StandardWebhooks, MissingAndMalformedHeaders) {
  const SecretSet s = only(kSwSecret);
  for (const char *drop : {"webhook-id", "webhook-timestamp", "webhook-signature"}) {
    Headers h;
    for (const auto &[name, value] : sw_headers(kSwId, kSwTimestamp, kSwSignature))
      if (name != drop) h.add(name, value);
    const auto r = verify_standard_webhooks(h, kSwBody, s, kSwNow, kTolerance);
    EXPECT_EQ(r.status, VerifyStatus::missing_header) << drop;
    EXPECT_NE(r.message.find(drop), std::string::npos) << r.message;
  }
  struct Case {
    std::string id, ts, sig;
  };
  for (const Case &c : std::initializer_list<Case>{
           {"msg.1", std::string(kSwTimestamp), std::string(kSwSignature)},
           {std::string(kSwId), "1614265330.5", std::string(kSwSignature)},
           {std::string(kSwId), "-1614265330", std::string(kSwSignature)},
           {std::string(kSwId), "99999999999999999999", std::string(kSwSignature)},
           {std::string(kSwId), std::string(kSwTimestamp), "v1a,abc"},
           {std::string(kSwId), std::string(kSwTimestamp), "v1,@@@@"},
           {std::string(kSwId), std::string(kSwTimestamp), "g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="},
       }) {
    const auto r = verify_standard_webhooks(sw_headers(c.id, c.ts, c.sig), kSwBody, s, kSwNow, kTolerance);
    EXPECT_EQ(r.status, VerifyStatus::malformed_header) << c.id << " " << c.ts << " " << c.sig;
  }
  Headers twice = sw_headers(kSwId, kSwTimestamp, kSwSignature);
  twice.add("webhook-signature", std::string(kSwSignature));
  EXPECT_EQ(verify_standard_webhooks(twice, kSwBody, s, kSwNow, kTolerance).status,
            VerifyStatus::malformed_header);
}

TEST(StandardWebhooks, UnusableSecrets) {
  const auto h = sw_headers(kSwId, kSwTimestamp, kSwSignature);
  EXPECT_EQ(verify_standard_webhooks(h, kSwBody, only("whsec_***"), kSwNow, kTolerance).status,
            VerifyStatus::no_secret);
  EXPECT_EQ(verify_standard_webhooks(h, kSwBody, only("whsec_"), kSwNow, kTolerance).status,
            VerifyStatus::no_secret);
  EXPECT_EQ(verify_standard_webhooks(h, kSwBody, SecretSet{}, kSwNow, kTolerance).status,
            VerifyStatus::no_secret);
  // A broken current secret does not stop a valid previous one in its window.
  const SecretSet half{"whsec_***", std::string(kSwSecret), kSwNow};
  EXPECT_TRUE(verify_standard_webhooks(h, kSwBody, half, kSwNow, kTolerance).ok());
  EXPECT_THROW(standard_webhooks_signature("whsec_***", kSwId, 1, kSwBody), Failure);
  EXPECT_EQ(standard_webhooks_key("whsec_AAEC"), std::string("\x00\x01\x02", 3));
  EXPECT_EQ(standard_webhooks_key("raw"), std::string("raw"));
  EXPECT_EQ(standard_webhooks_key(""), std::nullopt);
}

TEST(VerifyStatus, NamesForLogsAndMetrics) {
  EXPECT_EQ(verify_status_name(VerifyStatus::ok), "ok");
  EXPECT_EQ(verify_status_name(VerifyStatus::ping), "ping");
  EXPECT_EQ(verify_status_name(VerifyStatus::missing_header), "missing_header");
  EXPECT_EQ(verify_status_name(VerifyStatus::malformed_header), "malformed_header");
  EXPECT_EQ(verify_status_name(VerifyStatus::bad_signature), "bad_signature");
  EXPECT_EQ(verify_status_name(VerifyStatus::stale_timestamp), "stale_timestamp");
  EXPECT_EQ(verify_status_name(VerifyStatus::no_secret), "no_secret");
}

TEST(Headers, CaseInsensitiveMultimap) {
  Headers h{{"Content-Type", "application/json"}, {"X-Dup", "a"}, {"x-dup", " b "}};
  EXPECT_EQ(h.get("content-type"), "application/json");
  EXPECT_EQ(h.count("X-DUP"), 2u);
  ASSERT_EQ(h.get_all("x-Dup").size(), 2u);
  EXPECT_EQ(h.get_all("x-Dup")[1], "b");
  EXPECT_EQ(h.get("missing"), std::nullopt);
  EXPECT_EQ(h.size(), 3u);
  EXPECT_TRUE(header_name_equal("Webhook-Id", "webhook-id"));
  EXPECT_FALSE(header_name_equal("webhook-id", "webhook-ids"));
}

}  // namespace
}  // namespace ordercare::ingest
