#include "e2e/webhook_fixture.h"

#include <gtest/gtest.h>
#include <sqlite3.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <sstream>
#include <thread>

#include "ingest/webhook_signature.h"
#include "support/test_store.h"

namespace ordercare::e2e {

namespace {

Json default_webhooks() {
  return Json{
      {"listen", "127.0.0.1"},
      {"port", 0},
      {"max_body_bytes", 262144},
      {"header_timeout", "400ms"},
      {"body_timeout", "800ms"},
      {"idle_timeout", "2s"},
      {"shopify",
       {{"secret", kShopSharedSecret}, {"shops", {{std::string(kShop), {{"secret", kShopSecret}}}}}}},
      {"woocommerce", {{"sources", {{std::string(kWooSource), {{"secret", kWooSecret}}}}}}},
      {"stripe", {{"secret", kStripeSecret}}},
      {"bigcommerce", {{"secret", kBigCommerceSecret}}},
      {"events",
       {{"secret", kEventsSecret},
        {"previous_secret", kEventsPreviousSecret},
        {"previous_valid_until", "2099-01-01T00:00:00Z"}}}};
}

}  // namespace

std::int64_t unix_now() {
  return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

Json message_event() {
  return Json{{"type", "customer.message"},
              {"occurred_at", "2026-03-20T10:00:00Z"},
              {"source", "chat-widget"},
              {"data", {{"customer", {{"id", "cust-1"}}}, {"channel", "chat"}, {"text", "hello"}}}};
}

WebhookServer::WebhookServer(const Json &webhooks, const Json &store) {
  Json config{{"store", testing::test_store_section(db_path(), "webhooks")}, {"webhooks", default_webhooks()}};
  config["store"].update(store);
  if (config["store"].value("engine", "") == "postgres") config["crypto"] = {{"master_key", testing::kTestMasterKey}};
  store_ = config["store"];
  config["webhooks"].update(webhooks);
  const std::string text = config.dump();
  oc_options options{};
  options.struct_size = sizeof options;
  options.config_json = text.c_str();
  options.config_len = text.size();
  const oc_status status = oc_open(&options, nullptr, &plugin_);
  if (status != OC_OK) throw std::runtime_error(std::string("oc_open: ") + oc_last_error());
  port_ = call("webhooks.status")["port"].get<int>();
}

WebhookServer::~WebhookServer() { close(); }

void WebhookServer::close() {
  if (plugin_) oc_close(plugin_);
  plugin_ = nullptr;
}

oc_status WebhookServer::try_call(const std::string &method, const Json &args) {
  const std::string text = args.dump();
  oc_buffer *result = nullptr;
  const oc_status status = oc_call(plugin_, method.c_str(), text.c_str(), text.size(), &result);
  oc_buffer_free(result);
  return status;
}

bool WebhookServer::await_connections(int n) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (call("webhooks.status")["connections"] != n) {
    if (std::chrono::steady_clock::now() >= deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  return true;
}

Json WebhookServer::call(const std::string &method, const Json &args) {
  const std::string text = args.dump();
  oc_buffer *result = nullptr;
  const oc_status status = oc_call(plugin_, method.c_str(), text.c_str(), text.size(), &result);
  if (status != OC_OK) {
    ADD_FAILURE() << method << ": " << oc_status_name(status) << ": " << oc_last_error();
    return Json();
  }
  Json out = Json::parse(std::string(oc_buffer_data(result), oc_buffer_size(result)));
  oc_buffer_free(result);
  return out;
}

StoreLockedElsewhere::StoreLockedElsewhere(const std::string &path) {
  int locked[2], unlock[2];
  if (::pipe(locked) != 0 || ::pipe(unlock) != 0) throw std::runtime_error("pipe");
  child_ = ::fork();
  if (child_ < 0) throw std::runtime_error("fork");
  if (child_ == 0) {
    ::close(locked[0]);
    ::close(unlock[1]);
    sqlite3 *db = nullptr;
    char byte = 0;
    if (sqlite3_open(path.c_str(), &db) == SQLITE_OK &&
        sqlite3_exec(db, "BEGIN EXCLUSIVE", nullptr, nullptr, nullptr) == SQLITE_OK &&
        ::write(locked[1], "L", 1) == 1)
      while (::read(unlock[0], &byte, 1) > 0) {
      }
    ::_exit(0);
  }
  ::close(locked[1]);
  ::close(unlock[0]);
  release_ = unlock[1];
  char byte = 0;
  const bool ok = ::read(locked[0], &byte, 1) == 1;
  ::close(locked[0]);
  if (!ok) {
    release();
    throw std::runtime_error("the child could not lock " + path);
  }
}

StoreLockedElsewhere::~StoreLockedElsewhere() { release(); }

void StoreLockedElsewhere::release() {
  if (release_ >= 0) ::close(release_);
  release_ = -1;
  if (child_ > 0) ::waitpid(child_, nullptr, 0);
  child_ = -1;
}

std::string read_sample(const std::string &platform, const std::string &name) {
  const std::string path = testing::source_dir() + "/tests/data/webhooks/" + platform + "/" + name;
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + path);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

std::string shopify_order(std::int64_t id) {
  Json order = Json::parse(read_sample("shopify", "orders_create.json"));
  order["id"] = id;
  return order.dump();
}

std::string shopify_request(std::string_view topic, std::string_view body, std::string_view event_id,
                            std::string_view shop, std::string_view secret) {
  return request_bytes("POST", "/webhooks/shopify",
                       {{"Content-Type", "application/json"},
                        {"X-Shopify-Topic", std::string(topic)},
                        {"X-Shopify-Hmac-Sha256", ingest::shopify_signature(secret, body)},
                        {"X-Shopify-Shop-Domain", std::string(shop)},
                        {"X-Shopify-API-Version", "2026-01"},
                        {"X-Shopify-Triggered-At", "2026-03-19T14:00:00.123456789Z"},
                        {"X-Shopify-Webhook-Id", "wh-" + std::string(event_id)},
                        {"X-Shopify-Event-Id", std::string(event_id)}},
                       body);
}

std::string woocommerce_request(std::string_view topic, std::string_view body, std::string_view delivery_id) {
  const std::size_t dot = topic.find('.');
  return request_bytes("POST", "/webhooks/woocommerce",
                       {{"Content-Type", "application/json"},
                        {"X-WC-Webhook-Source", std::string(kWooSource)},
                        {"X-WC-Webhook-Topic", std::string(topic)},
                        {"X-WC-Webhook-Resource", std::string(topic.substr(0, dot))},
                        {"X-WC-Webhook-Event", std::string(topic.substr(dot + 1))},
                        {"X-WC-Webhook-Signature", ingest::woocommerce_signature(kWooSecret, body)},
                        {"X-WC-Webhook-ID", "3"},
                        {"X-WC-Webhook-Delivery-ID", std::string(delivery_id)}},
                       body);
}

std::string stripe_request(std::string_view body, std::int64_t timestamp_s) {
  return request_bytes("POST", "/webhooks/stripe",
                       {{"Content-Type", "application/json; charset=utf-8"},
                        {"Stripe-Signature", ingest::stripe_signature_header(kStripeSecret, timestamp_s, body)}},
                       body);
}

std::string bigcommerce_request(std::string_view body, std::string_view webhook_id) {
  const std::int64_t now = unix_now();
  return request_bytes(
      "POST", "/webhooks/bigcommerce",
      {{"Content-Type", "application/json"},
       {"webhook-id", std::string(webhook_id)},
       {"webhook-timestamp", std::to_string(now)},
       {"webhook-signature", ingest::standard_webhooks_signature(kBigCommerceSecret, webhook_id, now, body)}},
      body);
}

std::string events_request(std::string_view body, std::string_view webhook_id, std::string_view secret) {
  const std::int64_t now = unix_now();
  return request_bytes("POST", "/webhooks/events",
                       {{"Content-Type", "application/json"},
                        {"webhook-id", std::string(webhook_id)},
                        {"webhook-timestamp", std::to_string(now)},
                        {"webhook-signature", ingest::standard_webhooks_signature(secret, webhook_id, now, body)}},
                       body);
}

}  // namespace ordercare::e2e
