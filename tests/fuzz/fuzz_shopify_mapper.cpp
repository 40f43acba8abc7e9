// Shopify payload mapper. Input: one byte choosing the topic, then the body.
#include "fuzz_support.h"
#include "ingest/shopify_mapper.h"

namespace {

constexpr std::string_view kTopics[] = {
    "orders/create",       "orders/updated",      "orders/paid",     "orders/cancelled",
    "fulfillments/create", "fulfillments/update", "refunds/create",  "returns/request",
    "inventory_levels/update", "orders/partially_fulfilled", "products/update"};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size) {
  using namespace ordercare;
  if (size == 0) return 0;
  const std::string_view topic = kTopics[data[0] % std::size(kTopics)];
  const auto payload = fuzz::parse_body(fuzz::as_text(data + 1, size - 1));
  if (!payload) return 0;
  const ingest::Headers headers{{"X-Shopify-Topic", std::string(topic)},
                                {"X-Shopify-Shop-Domain", "fuzz.myshopify.com"},
                                {"X-Shopify-Event-Id", "ev-1"},
                                {"X-Shopify-Triggered-At", "2026-03-19T14:00:00Z"}};
  fuzz::check_mapper([&] { return ingest::map_shopify(topic, headers, *payload); });
  return 0;
}
