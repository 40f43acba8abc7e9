#include "ingest/bigcommerce_mapper.h"

#include <array>

#include "common/event_type.h"
#include "common/failure.h"
#include "ingest/payload_reader.h"

namespace ordercare::ingest {

namespace {

constexpr std::string_view kSource = "bigcommerce";

struct StatusMapping {
  std::int64_t id;
  std::string_view name;    // BigCommerce's
  std::string_view status;  // canonical; "" maps to nothing
};

constexpr std::array<StatusMapping, 15> kStatuses = {{
    {0, "Incomplete", ""},
    {1, "Pending", "pending"},
    {2, "Shipped", "shipped"},
    {3, "Partially Shipped", "processing"},
    {4, "Refunded", ""},
    {5, "Cancelled", "cancelled"},
    {6, "Declined", "cancelled"},
    {7, "Awaiting Payment", "pending"},
    {8, "Awaiting Pickup", "packed"},
    {9, "Awaiting Shipment", "packed"},
    {10, "Completed", "delivered"},
    {11, "Awaiting Fulfillment", "processing"},
    {12, "Manual Verification Required", "pending"},
    {13, "Disputed", "disputed"},  // not an order status: a payment.disputed
    {14, "Partially Refunded", ""},
}};

const StatusMapping *find_status(std::int64_t id) {
  for (const StatusMapping &m : kStatuses)
    if (m.id == id) return &m;
  return nullptr;
}

}  // namespace

MappedEvents map_bigcommerce(const Headers &headers, Json payload) {
  PayloadReader root(PayloadReader::Consume{}, payload, "payload");
  // The scope stays in data.platform; the canonical type says less.
  const auto scope = root.peek_string("scope");
  if (!scope) fail(OC_ERR_SCHEMA, root.field_path("scope") + ": required");
  if (*scope != "store/order/statusUpdated")
    return ignored("ignored: scope " + *scope + " carries only an id");

  PayloadReader &data = root.object("data");
  PayloadReader &status = data.object("status");
  const Json *new_status = status.peek("new_status_id");
  if (!new_status || !new_status->is_number_integer())
    fail(OC_ERR_SCHEMA, status.field_path("new_status_id") + ": expected a status id");
  const StatusMapping *mapping = find_status(new_status->get<std::int64_t>());
  if (!mapping) return ignored("ignored: unknown BigCommerce status id " + new_status->dump());
  if (mapping->status.empty())
    return ignored("ignored: BigCommerce status " + std::string(mapping->name) +
                   " has no canonical order status");

  const std::string store = root.id("store_id");
  std::string key;
  if (auto id = headers.get("webhook-id"); id && !id->empty())
    key = std::string(kSource) + ":" + std::string(*id);
  else
    key = std::string(kSource) + ":" + store + ":" + root.string("hash");
  const auto created = root.optional_unix_seconds("created_at");
  if (!created) fail(OC_ERR_SCHEMA, root.field_path("created_at") + ": required");

  Json out = Json::object();
  out["order_id"] = data.id("id");
  EventType type = EventType::order_updated;
  if (mapping->status == "disputed") {
    // The chargeback as Stripe's charge.dispute.created raises it; the
    // status change carries no amount, so the order's stands for it.
    type = EventType::payment_disputed;
  } else {
    out["status"] = mapping->status;
    if (mapping->id == 6) out["reason"] = "declined";
    out["updated_at"] = format_rfc3339(*created);
  }
  out["platform"] = root.leftovers();
  std::vector<Json> events;
  events.push_back(make_event(type, *created, kSource, store, std::move(out)));
  return with_ids(key, std::move(events));
}

}  // namespace ordercare::ingest
