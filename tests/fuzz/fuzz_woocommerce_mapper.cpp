// WooCommerce payload mapper. Input: one byte choosing the topic, then the body.
#include "fuzz_support.h"
#include "ingest/woocommerce_mapper.h"

namespace {

constexpr std::string_view kTopics[] = {"order.created", "order.updated", "order.deleted"};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size) {
  using namespace ordercare;
  if (size == 0) return 0;
  const std::string_view topic = kTopics[data[0] % std::size(kTopics)];
  const auto payload = fuzz::parse_body(fuzz::as_text(data + 1, size - 1));
  if (!payload) return 0;
  const ingest::Headers headers{{"X-WC-Webhook-Topic", std::string(topic)},
                                {"X-WC-Webhook-Source", "https://fuzz.example/"},
                                {"X-WC-Webhook-Delivery-ID", "0123456789abcdef"}};
  fuzz::check_mapper([&] { return ingest::map_woocommerce(topic, headers, *payload); });
  return 0;
}
