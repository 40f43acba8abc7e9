// An open plugin with its webhook server on an ephemeral 127.0.0.1 port,
// driven through the C ABI, and the signed requests each platform sends.
#pragma once

#include <string>
#include <string_view>

#include "common/json.h"
#include "e2e/http_client.h"
#include "ordercare.h"
#include "support/temp_dir.h"

namespace ordercare::e2e {

constexpr std::string_view kShop = "keramik-o.myshopify.com";
constexpr std::string_view kShopSecret = "shpss_e2e_shop_secret";
constexpr std::string_view kShopSharedSecret = "shpss_e2e_app_secret";
constexpr std::string_view kWooSource = "https://shop.example.se/";
constexpr std::string_view kWooSecret = "wc_e2e_secret";
constexpr std::string_view kStripeSecret = "whsec_stripe_e2e";
constexpr std::string_view kBigCommerceSecret = "bc_client_secret_e2e";
// base64 of 32 bytes: a Standard Webhooks secret, and the one it replaces.
constexpr std::string_view kEventsSecret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw4yvxPDwnCkg=";
constexpr std::string_view kEventsPreviousSecret = "whsec_C2FVsBQIhrscChlQIMV+b5sSYspob7oD4S0oMeRbzHY=";

class WebhookServer {
 public:
  // `webhooks` is merged over the test defaults (port 0, short timeouts,
  // the secrets above); `store` over {"path": <temp>/ordercare.db}.
  explicit WebhookServer(const Json &webhooks = Json::object(), const Json &store = Json::object());
  ~WebhookServer();
  WebhookServer(const WebhookServer &) = delete;
  WebhookServer &operator=(const WebhookServer &) = delete;

  int port() const { return port_; }
  std::string db_path() const { return dir_.file("ordercare.db"); }
  // The store section it opened with: another server given it shares the store.
  const Json &store() const { return store_; }
  oc_plugin *plugin() { return plugin_; }
  // oc_call; fails the test on an error status.
  Json call(const std::string &method, const Json &args = Json::object());
  // Waits (up to 10 s) until webhooks.status counts `n` open connections:
  // a connection the client closed is counted down once its server thread
  // reads the close, which may come after the client's next request on
  // another connection (and thread). False if it never did.
  bool await_connections(int n);
  // oc_call returning the status only (the result is dropped).
  oc_status try_call(const std::string &method, const Json &args);
  void close();

 private:
  testing::TempDir dir_;
  Json store_;
  oc_plugin *plugin_ = nullptr;
  int port_ = 0;
};

// Another process holding a SQLite store's write lock, as a second writer
// or a backup tool would, until release() or destruction. (A second SQLite
// in this process would not do: POSIX locks are per process, so it would
// neither block the plugin nor be safe.)
class StoreLockedElsewhere {
 public:
  explicit StoreLockedElsewhere(const std::string &path);
  ~StoreLockedElsewhere();
  StoreLockedElsewhere(const StoreLockedElsewhere &) = delete;
  StoreLockedElsewhere &operator=(const StoreLockedElsewhere &) = delete;
  void release();

 private:
  int child_ = -1;  // pid_t
  int release_ = -1;
};

std::string read_sample(const std::string &platform, const std::string &name);
// The Shopify orders/create sample as order `id`: deliveries are keyed by what
// the body says, so each new delivery needs an order of its own.
std::string shopify_order(std::int64_t id);

// Complete signed requests, ready to write to a socket.
std::string shopify_request(std::string_view topic, std::string_view body, std::string_view event_id,
                            std::string_view shop = kShop, std::string_view secret = kShopSecret);
std::string woocommerce_request(std::string_view topic, std::string_view body, std::string_view delivery_id);
std::string stripe_request(std::string_view body, std::int64_t timestamp_s);
std::string bigcommerce_request(std::string_view body, std::string_view webhook_id);
std::string events_request(std::string_view body, std::string_view webhook_id,
                           std::string_view secret = kEventsSecret);

std::int64_t unix_now();

// A canonical customer.message (chat "hello" from cust-1) for /webhooks/events.
Json message_event();

}  // namespace ordercare::e2e
