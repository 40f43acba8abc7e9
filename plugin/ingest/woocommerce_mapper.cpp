#include "ingest/woocommerce_mapper.h"

#include <array>
#include <limits>

#include "common/currency.h"
#include "common/event_type.h"
#include "common/failure.h"
#include "ingest/payload_reader.h"

namespace ordercare::ingest {

namespace {

constexpr std::string_view kSource = "woocommerce";

struct Delivery {
  const PayloadReader *payload = nullptr;  // over the signed body, parsed
  std::optional<std::string> store;

  // payload_digest of the signed body: a serialization of all of it, so
  // made only for the keys that need one (a status event, not a creation).
  std::string digest() const { return payload_digest(payload->value()); }

  // "woocommerce:<source>:<what>:<id>[:<version>]" (see the header).
  std::string key(std::string_view what, std::string_view id, std::string_view version = {}) const {
    std::string out = std::string(kSource) + ":" + store.value_or("") + ":" + std::string(what) +
                      ":" + std::string(id);
    if (!version.empty()) out += ":" + std::string(version);
    return out;
  }
};

Delivery read_delivery(const Headers &headers, const PayloadReader &payload) {
  Delivery delivery;
  delivery.payload = &payload;
  if (auto source = headers.get("X-WC-Webhook-Source"); source && !source->empty()) {
    std::string_view url = *source;
    while (!url.empty() && url.back() == '/') url.remove_suffix(1);
    if (!url.empty()) delivery.store = std::string(url);
  }
  return delivery;
}

std::string channel_for(const std::optional<std::string> &created_via) {
  if (created_via == "admin") return "phone";
  if (created_via && created_via->rfind("pos", 0) == 0) return "store";
  return "web";
}

// A customer_id of 0 is WooCommerce's guest checkout.
Json map_customer(PayloadReader &order, const std::string &order_id) {
  Json customer = Json::object();
  const auto id = order.optional_id("customer_id");
  customer["id"] = id && *id != "0" ? *id : "woocommerce-guest-" + order_id;
  if (PayloadReader *billing = order.optional_object("billing")) {
    std::string name = billing->optional_string("first_name").value_or("");
    const std::string last = billing->optional_string("last_name").value_or("");
    if (!name.empty() && !last.empty()) name += ' ';
    name += last;
    if (!name.empty()) customer["name"] = name;
    if (auto email = billing->optional_string("email")) customer["email"] = *email;
    if (auto phone = billing->optional_string("phone")) customer["phone"] = *phone;
  }
  return customer;
}

std::int64_t unit_price(PayloadReader &line, const std::string &currency, std::int64_t quantity) {
  if (!line.has("subtotal")) return line.money("price", currency);
  const std::int64_t subtotal = line.money("subtotal", currency);
  const std::int64_t rest = subtotal % quantity;
  return subtotal / quantity + (rest >= quantity - rest ? 1 : 0);
}

Json map_items(PayloadReader &order, const std::string &currency) {
  Json items = Json::array();
  for (PayloadReader *line : order.objects("line_items")) {
    Json item = Json::object();
    const std::string line_id = line->id("id");
    item["line_id"] = line_id;
    if (auto sku = line->optional_string("sku")) {
      item["sku"] = *sku;
    } else {
      // WooCommerce products need no SKU; the product (and variation) id
      // names the same thing.
      const Json *product = line->peek("product_id");
      const Json *variation = line->peek("variation_id");
      std::string fallback = "woocommerce-product-";
      fallback += product && product->is_number_integer() ? product->dump() : "line-" + line_id;
      if (variation && variation->is_number_integer() && *variation != 0)
        fallback += "-" + variation->dump();
      item["sku"] = fallback;
    }
    if (auto name = line->optional_string("name")) item["name"] = *name;
    const std::int64_t quantity = line->integer("quantity");
    if (quantity <= 0)
      fail(OC_ERR_SCHEMA, line->field_path("quantity") + ": expected a positive integer");
    item["quantity"] = quantity;
    item["unit_price"] = unit_price(*line, currency, quantity);
    items.push_back(std::move(item));
  }
  return items;
}

bool any_field_set(const Json &address) {
  for (const auto &[key, value] : address.items())
    if (value.is_string() && !value.get_ref<const std::string &>().empty()) return true;
  return false;
}

// The canonical event a status stands for; no type maps to nothing.
struct StatusEvent {
  std::optional<EventType> type;
  std::string_view status;  // for order.updated
};

StatusEvent status_event(const std::optional<std::string> &status) {
  if (!status) return {};
  static constexpr std::array<std::pair<std::string_view, StatusEvent>, 12> kTable = {{
      {"pending", {EventType::order_updated, "pending"}},
      {"on-hold", {EventType::order_updated, "pending"}},
      {"processing", {EventType::order_updated, "processing"}},
      {"completed", {EventType::order_updated, "shipped"}},
      {"cancelled", {EventType::order_updated, "cancelled"}},
      {"failed", {EventType::payment_failed, ""}},
      {"picked", {EventType::order_updated, "picked"}},
      {"packed", {EventType::order_updated, "packed"}},
      {"shipped", {EventType::order_updated, "shipped"}},
      {"delivered", {EventType::order_updated, "delivered"}},
      {"refunded", {}},
      {"checkout-draft", {}},
  }};
  for (const auto &[from, to] : kTable)
    if (*status == from) return to;
  return {};
}

struct Order {
  std::string id;
  std::string currency;
  std::optional<TimeMs> created;
  std::optional<TimeMs> modified;
};

Order read_order(PayloadReader &order) {
  Order o;
  o.id = order.id("id");
  o.currency = order.currency("currency");
  o.created = order.optional_time("date_created_gmt", true);
  o.modified = order.optional_time("date_modified_gmt", true);
  return o;
}

TimeMs require(const std::optional<TimeMs> &t, const PayloadReader &order, std::string_view key) {
  if (!t) fail(OC_ERR_SCHEMA, order.field_path(key) + ": required");
  return *t;
}

Json order_created_data(PayloadReader &order, const Order &o) {
  Json out = Json::object();
  out["id"] = o.id;
  if (auto number = order.optional_id("number")) out["number"] = *number;
  out["placed_at"] = format_rfc3339(require(o.created, order, "date_created_gmt"));
  out["currency"] = o.currency;
  out["total"] = order.money("total", o.currency);
  out["channel"] = channel_for(order.peek_string("created_via"));
  out["customer"] = map_customer(order, o.id);
  out["items"] = map_items(order, o.currency);
  if (out["items"].empty())
    fail(OC_ERR_SCHEMA, order.field_path("line_items") + ": expected at least one line");
  if (const Json *shipping = order.peek("shipping");
      shipping && shipping->is_object() && any_field_set(*shipping))
    out["shipping_address"] = *order.get("shipping");
  if (auto note = order.optional_string("customer_note")) out["note"] = *note;
  Json data = Json::object();
  data["order"] = std::move(out);
  if (o.modified) data["updated_at"] = format_rfc3339(*o.modified);
  return data;
}

Json status_data(PayloadReader &order, const Order &o, const StatusEvent &event) {
  Json data = Json::object();
  data["order_id"] = o.id;
  if (event.type == EventType::order_updated) {
    data["status"] = event.status;
    data["currency"] = o.currency;
    if (order.has("total")) data["total"] = order.money("total", o.currency);
    if (order.has("line_items")) data["items"] = map_items(order, o.currency);
  } else {
    data["amount"] = order.money("total", o.currency);
    data["currency"] = o.currency;
    data["reason"] = "failed";
  }
  if (o.modified) data["updated_at"] = format_rfc3339(*o.modified);
  return data;
}

// The refunds the order lists: refund.result for each ordercare asked for
// (see the header), refund.recorded for each made in the WooCommerce admin
// or by another plugin. The list repeats every refund with each update;
// event keys and the ledger take each refund id once.
struct ListedRefund {
  EventType type;
  Json data;
};

std::vector<ListedRefund> listed_refunds(PayloadReader &order, const Order &o) {
  std::vector<ListedRefund> out;
  const Json *refunds = order.peek("refunds");
  if (!refunds || !refunds->is_array()) return out;
  for (PayloadReader *refund : order.optional_objects("refunds")) {
    const auto reason = refund->peek_string("reason");
    const auto key = reason ? find_refund_key(*reason) : std::nullopt;
    // WooCommerce lists refunds with negative totals.
    const std::int64_t total = refund->signed_money("total", o.currency);
    if (total == std::numeric_limits<std::int64_t>::min())
      fail(OC_ERR_SCHEMA, refund->field_path("total") + ": out of range");
    const std::int64_t amount = total < 0 ? -total : total;
    Json data = Json::object();
    if (key) {
      data["refund_id"] = *key;
      data["status"] = "succeeded";
      data["amount"] = amount;
      data["currency"] = o.currency;
      data["host_reference"] = refund->id("id");
      data["order_id"] = o.id;
      out.push_back({EventType::refund_result, std::move(data)});
      continue;
    }
    data["order_id"] = o.id;
    data["refund_id"] = refund->id("id");
    data["amount"] = amount;
    data["currency"] = o.currency;
    if (reason && !reason->empty()) data["reason"] = *reason;
    out.push_back({EventType::refund_recorded, std::move(data)});
  }
  return out;
}

MappedEvents map_order(std::string_view topic, PayloadReader &order, const Delivery &delivery) {
  const auto status = order.peek_string("status");
  if (status == "checkout-draft" || status == "trash")
    return ignored("ignored: order status " + *status);
  const Order o = read_order(order);
  const bool created = topic == "order.created";
  const StatusEvent event = status_event(status);
  const TimeMs at = created ? require(o.created, order, "date_created_gmt")
                            : require(o.modified ? o.modified : o.created, order, "date_modified_gmt");

  std::vector<Json> events;
  std::vector<std::string> keys;
  if (created) {
    events.push_back(make_event(EventType::order_created, at, kSource, delivery.store,
                                order_created_data(order, o)));
    keys.push_back(delivery.key(name_of(EventType::order_created), o.id));
  }
  // Creation already says pending or processing; a later state is news.
  const bool implied = created && (status == "pending" || status == "on-hold" ||
                                   status == "processing");
  if (event.type && !implied) {
    events.push_back(make_event(*event.type, at, kSource, delivery.store, status_data(order, o, event)));
    keys.push_back(delivery.key(name_of(*event.type), o.id, delivery.digest()));
  }
  for (ListedRefund &refund : listed_refunds(order, o)) {
    const std::string id =
        refund.data[refund.type == EventType::refund_result ? "host_reference" : "refund_id"].get<std::string>();
    keys.push_back(delivery.key(name_of(refund.type), id));
    events.push_back(make_event(refund.type, at, kSource, delivery.store, std::move(refund.data)));
  }

  if (events.empty())
    return ignored("ignored: order status " + status.value_or("(none)") +
                   (status == "refunded" ? " lists no refund" : " has no canonical event"));
  events.front()["data"]["platform"] = order.leftovers();
  return with_ids(keys, std::move(events));
}

}  // namespace

MappedEvents map_woocommerce(std::string_view topic, const Headers &headers, Json payload) {
  if (topic != "order.created" && topic != "order.updated")
    return ignored("ignored: topic " + std::string(topic));
  PayloadReader reader(PayloadReader::Consume{}, payload, "payload");
  const Delivery delivery = read_delivery(headers, reader);
  return map_order(topic, reader, delivery);
}

}  // namespace ordercare::ingest
