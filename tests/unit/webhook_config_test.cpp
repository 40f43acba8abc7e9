// The `webhooks` config section: defaults, strictness, port sharing, threads,
// secrets from the environment, rotation windows, and messages that name
// the field without ever repeating a secret.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <thread>

#include "common/failure.h"
#include "runtime/config.h"
#include "runtime/webhook_threads.h"

namespace ordercare::runtime {
namespace {

std::string error_of(const std::string &config) {
  try {
    parse_config(config);
  } catch (const Failure &f) {
    EXPECT_EQ(f.status(), OC_ERR_CONFIG);
    return f.what();
  }
  ADD_FAILURE() << "accepted: " << config;
  return "";
}

TEST(WebhookConfig, OffWithoutTheSectionAndDefaultsWithIt) {
  EXPECT_FALSE(parse_config("{}").webhooks.enabled);
  const WebhookConfig w = parse_config(R"({"webhooks": {}})").webhooks;
  EXPECT_TRUE(w.enabled);
  EXPECT_EQ(w.listen, "127.0.0.1");
  EXPECT_EQ(w.port, 8080);
  EXPECT_EQ(w.max_body_bytes, 1u << 20);
  EXPECT_EQ(w.header_timeout, 10 * kSecondMs);
  EXPECT_EQ(w.idle_timeout, 60 * kSecondMs);
  EXPECT_EQ(w.timestamp_tolerance, 5 * kMinuteMs);
  EXPECT_EQ(w.shopify.for_sender("any.myshopify.com"), nullptr);
  EXPECT_FALSE(parse_config(R"({"webhooks": {"enabled": false}})").webhooks.enabled);
}

TEST(WebhookConfig, PortSharingIsExclusiveUnlessSaidShared) {
  EXPECT_EQ(parse_config(R"({"webhooks": {}})").webhooks.port_sharing, PortSharing::exclusive);
  EXPECT_EQ(parse_config(R"({"webhooks": {"port_sharing": "exclusive"}})").webhooks.port_sharing,
            PortSharing::exclusive);
  EXPECT_EQ(parse_config(R"({"webhooks": {"port_sharing": "shared"}})").webhooks.port_sharing, PortSharing::shared);
  EXPECT_NE(error_of(R"({"webhooks": {"port_sharing": "reuseport"}})")
                .find("webhooks.port_sharing: expected one of: exclusive, shared (got 'reuseport')"),
            std::string::npos);
  EXPECT_NE(error_of(R"({"webhooks": {"port_sharing": true}})").find("webhooks.port_sharing"), std::string::npos);
}

TEST(WebhookConfig, ThreadsAreOnePerCoreUnlessSaid) {
  const WebhookConfig automatic = parse_config(R"({"webhooks": {}})").webhooks;
  EXPECT_EQ(automatic.threads, 0u);
  const std::size_t cores = std::max(1u, std::thread::hardware_concurrency());
  EXPECT_EQ(webhook_thread_count(automatic), std::min<std::size_t>(cores, 4));
  const WebhookConfig three = parse_config(R"({"webhooks": {"threads": 3}})").webhooks;
  EXPECT_EQ(three.threads, 3u);
  EXPECT_EQ(webhook_thread_count(three), 3u);
  EXPECT_NE(error_of(R"({"webhooks": {"threads": 65}})").find("webhooks.threads"), std::string::npos);
  EXPECT_NE(error_of(R"({"webhooks": {"threads": -1}})").find("webhooks.threads"), std::string::npos);
  EXPECT_NE(error_of(R"({"webhooks": {"threads": "two"}})").find("webhooks.threads"), std::string::npos);
}

TEST(WebhookConfig, PerShopSecretsWithRotationAndASharedFallback) {
  const WebhookConfig w = parse_config(R"({"webhooks": {"port": 0, "header_timeout": "2s",
      "shopify": {"secret": "app", "shops": {"Example.myshopify.com": {"secret": "new",
        "previous_secret": "old", "previous_valid_until": "2026-12-01T00:00:00Z"}}},
      "woocommerce": {"sources": {"https://shop.example.com/": {"secret": "wc"}}}}})")
                              .webhooks;
  EXPECT_EQ(w.port, 0);
  EXPECT_EQ(w.header_timeout, 2 * kSecondMs);
  const ingest::SecretSet *shop = w.shopify.for_sender("example.myshopify.com");
  ASSERT_NE(shop, nullptr);
  EXPECT_EQ(shop->current, "new");
  EXPECT_EQ(shop->previous, "old");
  EXPECT_EQ(shop->previous_not_after, *parse_rfc3339("2026-12-01T00:00:00Z"));
  EXPECT_EQ(w.shopify.for_sender("other.myshopify.com")->current, "app");
  // WooCommerce sends its source URL with a trailing slash, or not.
  EXPECT_EQ(w.woocommerce.for_sender("https://shop.example.com")->current, "wc");
  EXPECT_EQ(w.woocommerce.for_sender("https://elsewhere.example"), nullptr);
}

TEST(WebhookConfig, SecretsFromTheEnvironment) {
  ::setenv("OC_TEST_STRIPE_SECRET", "whsec_from_env", 1);
  const WebhookConfig w =
      parse_config(R"({"webhooks": {"stripe": {"secret_env": "OC_TEST_STRIPE_SECRET"}}})").webhooks;
  EXPECT_EQ(w.stripe.for_sender("")->current, "whsec_from_env");
  ::unsetenv("OC_TEST_STRIPE_SECRET");
  EXPECT_NE(error_of(R"({"webhooks": {"stripe": {"secret_env": "OC_TEST_STRIPE_SECRET"}}})")
                .find("webhooks.stripe.secret_env: environment variable OC_TEST_STRIPE_SECRET is not set"),
            std::string::npos);
}

TEST(WebhookConfig, AMonitoringTokenIsOptionalInlineOrFromTheEnvironment) {
  EXPECT_EQ(parse_config(R"({"webhooks": {}})").webhooks.monitoring_token, "");
  EXPECT_EQ(parse_config(R"({"webhooks": {"monitoring_token": "t0k-en"}})").webhooks.monitoring_token, "t0k-en");
  ::setenv("OC_TEST_MONITORING_TOKEN", "from-env", 1);
  EXPECT_EQ(parse_config(R"({"webhooks": {"monitoring_token_env": "OC_TEST_MONITORING_TOKEN"}})").webhooks.monitoring_token,
            "from-env");
  ::unsetenv("OC_TEST_MONITORING_TOKEN");
  EXPECT_NE(error_of(R"({"webhooks": {"monitoring_token_env": "OC_TEST_MONITORING_TOKEN"}})")
                .find("webhooks.monitoring_token_env: environment variable OC_TEST_MONITORING_TOKEN is not set"),
            std::string::npos);
  EXPECT_NE(error_of(R"({"webhooks": {"monitoring_token": ""}})").find("webhooks.monitoring_token: must not be empty"),
            std::string::npos);
  const std::string spaced = error_of(R"({"webhooks": {"monitoring_token": "two words"}})");
  EXPECT_NE(spaced.find("webhooks.monitoring_token: expected printable ASCII without spaces"), std::string::npos);
  EXPECT_EQ(spaced.find("two words"), std::string::npos) << "the token is never repeated";
}

TEST(WebhookConfig, MistakesNameTheFieldAndNeverTheSecret) {
  EXPECT_NE(error_of(R"({"webhooks": {"prot": 8080}})").find("webhooks.prot: unknown field"), std::string::npos);
  EXPECT_NE(error_of(R"({"webhooks": {"listen": "localhost"}})").find("webhooks.listen"), std::string::npos);
  EXPECT_NE(error_of(R"({"webhooks": {"port": 70000}})").find("webhooks.port"), std::string::npos);
  EXPECT_NE(error_of(R"({"webhooks": {"idle_timeout": "0s"}})").find("webhooks.idle_timeout: must be positive"),
            std::string::npos);
  EXPECT_NE(error_of(R"({"webhooks": {"shopify": {"shops": {"a.myshopify.com": {"secret": "s3cr3t", "typo": 1}}}}})")
                .find("webhooks.shopify.shops.a.myshopify.com.typo: unknown field"),
            std::string::npos);
  const std::string rotation =
      error_of(R"({"webhooks": {"stripe": {"secret": "s3cr3t", "previous_secret": "0ld-s3cr3t"}}})");
  EXPECT_NE(rotation.find("webhooks.stripe.previous_valid_until: required"), std::string::npos);
  EXPECT_EQ(rotation.find("s3cr3t"), std::string::npos);
  const std::string standard = error_of(R"({"webhooks": {"events": {"secret": "whsec_!!not-base64!!"}}})");
  EXPECT_NE(standard.find("webhooks.events.secret: not a usable Standard Webhooks secret"), std::string::npos);
  EXPECT_EQ(standard.find("not-base64"), std::string::npos);
  EXPECT_NE(error_of(R"({"webhooks": {"shopify": {"secret": "a", "secret_env": "B"}}})").find("not both"),
            std::string::npos);
  // An empty platform section is "not configured": its deliveries get 401.
  EXPECT_EQ(parse_config(R"({"webhooks": {"bigcommerce": {}}})").webhooks.bigcommerce.for_sender(""), nullptr);
}

}  // namespace
}  // namespace ordercare::runtime
