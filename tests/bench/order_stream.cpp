#include "bench/order_stream.h"

#include "common/json.h"

namespace ordercare::bench {

namespace {

Json event(const std::string &id, const char *type, TimeMs at, Json data) {
  return {{"id", id},     {"type", type},   {"occurred_at", format_rfc3339(at)},
          {"source", "host"}, {"store", "bench-eu"}, {"data", std::move(data)}};
}

// A shop's catalogue: orders spread over it, so no product is a hot spot.
constexpr int kCatalogue = 240;
std::string sku_of(int s) { return "SKU-" + std::to_string(10000 + s); }
std::int64_t price_of(int s) { return 900 + s * 37 % 200 * 100; }

}  // namespace

std::vector<OrderEvents> order_stream(int orders, TimeMs now) {
  std::vector<OrderEvents> out;
  out.reserve(static_cast<std::size_t>(orders));
  const TimeMs start = now / kSecondMs * kSecondMs - kMinuteMs;
  for (int n = 0; n < orders; ++n) {
    const std::string id = "bench-ord-" + std::to_string(n);
    int k = 0;
    TimeMs at = start + n % 7 * kSecondMs;
    auto next = [&](const char *type, Json data) {
      at += 3 * kSecondMs;
      return dump_json(event(id + "-e" + std::to_string(k++), type, at, std::move(data)));
    };
    const Json customer = {{"id", "bench-cus-" + std::to_string(n)},
                           {"name", "Bench Customer " + std::to_string(n)},
                           {"email", "customer" + std::to_string(n) + "@example.org"},
                           {"phone", "+49-30-5550" + std::to_string(1000 + n % 9000)}};
    Json items = Json::array();
    std::int64_t total = 0;
    const int lines = 1 + n % 3;
    for (int l = 0; l < lines; ++l) {
      const int s = (n * 7 + l * 13) % kCatalogue;
      const std::int64_t quantity = 1 + (n + l) % 2;
      items.push_back({{"line_id", "L" + std::to_string(l + 1)}, {"sku", sku_of(s)}, {"name", "Product " + sku_of(s)},
                       {"quantity", quantity}, {"unit_price", price_of(s)}});
      total += quantity * price_of(s);
    }
    OrderEvents order;
    order.events.push_back(next("order.created",
                                {{"order", {{"id", id},
                                            {"number", "#B" + std::to_string(n)},
                                            {"placed_at", format_rfc3339(at)},
                                            {"currency", "EUR"},
                                            {"total", total},
                                            {"channel", "web"},
                                            {"customer", customer},
                                            {"items", items},
                                            {"shipping_address",
                                             {{"name", customer["name"]},
                                              {"line1", std::to_string(1 + n % 200) + " Example Strasse"},
                                              {"city", "Berlin"},
                                              {"postal_code", "10115"},
                                              {"country", "DE"}}}}}}));
    order.events.push_back(next("order.updated", {{"order_id", id}, {"status", "processing"}}));
    order.events.push_back(next("order.updated", {{"order_id", id}, {"status", "shipped"}}));
    const std::string shipment = "bench-shp-" + std::to_string(n);
    if (n % 2 == 0)
      order.events.push_back(next("shipment.updated", {{"order_id", id},
                                                       {"shipment_id", shipment},
                                                       {"carrier", "dhl"},
                                                       {"tracking_number", "BT" + std::to_string(700000 + n)},
                                                       {"status", "delayed"},
                                                       {"eta", format_rfc3339(now + 3 * kDayMs)},
                                                       {"reason", "missed connection at the regional hub"}}));
    if (n % 3 == 0)
      order.events.push_back(next("customer.message",
                                  {{"message_id", "bench-msg-" + std::to_string(n)},
                                   {"order_id", id},
                                   {"customer", customer},
                                   {"channel", "email"},
                                   {"text", "Where is my order? Tracking has not moved for three days and I need "
                                            "it by the weekend."}}));
    order.events.push_back(next("shipment.updated", {{"order_id", id},
                                                     {"shipment_id", shipment},
                                                     {"carrier", "dhl"},
                                                     {"tracking_number", "BT" + std::to_string(700000 + n)},
                                                     {"status", "delivered"}}));
    order.events.push_back(next("order.updated", {{"order_id", id}, {"status", "delivered"}}));
    if (n % 2 == 1) {
      const std::string rma = "bench-rma-" + std::to_string(n);
      order.events.push_back(next("return.requested", {{"return_id", rma},
                                                       {"order_id", id},
                                                       {"items", {{{"line_id", "L1"}, {"quantity", 1},
                                                                   {"reason", n % 4 == 1 ? "damaged" : "changed_mind"}}}}}));
      order.events.push_back(next("return.received", {{"return_id", rma},
                                                      {"items", {{{"line_id", "L1"}, {"quantity", 1},
                                                                  {"condition", "resellable"}}}},
                                                      {"location", "WH-" + std::to_string(n % 3)}}));
    }
    out.push_back(std::move(order));
  }
  return out;
}

}  // namespace ordercare::bench
