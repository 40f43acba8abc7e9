#include "ingest/shopify_mapper.h"

#include <array>

#include "common/currency.h"
#include "common/event_type.h"
#include "common/failure.h"
#include "common/language_tag.h"
#include "ingest/payload_reader.h"

namespace ordercare::ingest {

namespace {

constexpr std::string_view kSource = "shopify";

struct Delivery {
  const PayloadReader *payload = nullptr;  // over the signed body, parsed
  std::optional<std::string> store;
  std::optional<TimeMs> triggered_at;

  // payload_digest of the signed body: a serialization of all of it, so
  // made only for the keys that need one (what changes, not what happens once).
  std::string digest() const { return payload_digest(payload->value()); }
};

Delivery read_delivery(const Headers &headers, const PayloadReader &payload) {
  Delivery delivery;
  delivery.payload = &payload;
  if (auto shop = headers.get("X-Shopify-Shop-Domain"); shop && !shop->empty())
    delivery.store = std::string(*shop);
  // The header is not signed: it only dates an event whose payload has no
  // time of its own, and never names one. Its time is still bounded like
  // any payload time.
  if (auto at = headers.get("X-Shopify-Triggered-At"))
    if (auto t = parse_rfc3339(*at); t && *t >= 0 && *t < 253'402'300'800'000)
      delivery.triggered_at = t;
  return delivery;
}

// The Admin GraphQL ids some payloads use ("gid://shopify/Order/123") name
// the same object as the REST id "123".
std::string strip_global_id(std::string id) {
  if (id.rfind("gid://", 0) == 0) {
    const std::size_t slash = id.rfind('/');
    if (slash + 1 < id.size()) return id.substr(slash + 1);
  }
  return id;
}

// The first of the payload's timestamps that is present, read in order, or
// the delivery's trigger time.
TimeMs occurred_at(PayloadReader &reader, std::initializer_list<std::string_view> keys,
                   const Delivery &delivery) {
  for (std::string_view key : keys)
    if (auto t = reader.optional_time(key)) return *t;
  if (delivery.triggered_at) return *delivery.triggered_at;
  fail(OC_ERR_SCHEMA, reader.field_path(*keys.begin()) + ": required");
}

// "shopify:<what>:<id>[:<version>]" (see the header).
std::string event_key(std::string_view what, std::string_view id, std::string_view version = {}) {
  std::string out = std::string(kSource) + ":" + std::string(what) + ":" + std::string(id);
  if (!version.empty()) out += ":" + std::string(version);
  return out;
}

// An event's key names it by its type's wire spelling.
std::string event_key(EventType what, std::string_view id, std::string_view version = {}) {
  return event_key(name_of(what), id, version);
}

std::string lower(std::string text) {
  for (char &c : text)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return text;
}

bool contains_any(std::string_view text, std::initializer_list<std::string_view> words) {
  for (std::string_view word : words)
    if (text.find(word) != std::string_view::npos) return true;
  return false;
}

// source_name is "web", "pos", "shopify_draft_order", a sales channel's
// handle or an app id; it stays in data.platform as sent.
std::string channel_for(const std::optional<std::string> &source_name) {
  if (!source_name) return "web";
  const std::string name = lower(*source_name);
  if (name == "pos") return "store";
  if (name == "shopify_draft_order") return "phone";
  if (contains_any(name, {"facebook", "instagram", "tiktok", "pinterest", "snapchat", "youtube"}))
    return "social";
  if (contains_any(name, {"amazon", "ebay", "etsy", "walmart", "mercadolibre", "zalando"}))
    return "marketplace";
  return "web";
}

std::optional<std::string> peek_id(const PayloadReader &reader, std::string_view key) {
  const Json *v = reader.peek(key);
  if (v && v->is_number_integer()) return v->dump();
  if (v && v->is_string() && !v->get_ref<const std::string &>().empty())
    return v->get<std::string>();
  return std::nullopt;
}

// The first present value; later fields are read only when needed, so
// the ones not used stay in data.platform.
template <typename... Reads>
std::optional<std::string> first_of(Reads &&...reads) {
  std::optional<std::string> value;
  ((value = value ? value : reads()), ...);
  return value;
}

Json split_tags(const std::string &tags) {
  Json out = Json::array();
  std::size_t pos = 0;
  while (pos <= tags.size()) {
    const std::size_t comma = std::min(tags.find(',', pos), tags.size());
    std::size_t begin = pos, end = comma;
    while (begin < end && tags[begin] == ' ') ++begin;
    while (end > begin && tags[end - 1] == ' ') --end;
    if (end > begin) out.push_back(tags.substr(begin, end - begin));
    pos = comma + 1;
  }
  return out;
}

Json map_customer(PayloadReader &order, const std::string &order_id) {
  Json customer = Json::object();
  PayloadReader *c = order.optional_object("customer");
  const auto id = c ? c->optional_id("id") : std::nullopt;
  customer["id"] = id ? *id : "shopify-guest-" + order_id;
  if (c) {
    std::string name = c->optional_string("first_name").value_or("");
    const std::string last = c->optional_string("last_name").value_or("");
    if (!name.empty() && !last.empty()) name += ' ';
    name += last;
    if (!name.empty()) customer["name"] = name;
  }
  auto field = [&](std::string_view key) {
    return first_of([&] { return c ? c->optional_string(key) : std::nullopt; },
                    [&] { return order.optional_string(key); });
  };
  if (auto email = field("email")) customer["email"] = *email;
  if (auto phone = field("phone")) customer["phone"] = *phone;
  if (c)
    if (auto tags = c->optional_string("tags")) customer["tags"] = split_tags(*tags);
  return customer;
}

Json map_items(PayloadReader &order, const std::string &currency) {
  Json items = Json::array();
  for (PayloadReader *line : order.objects("line_items")) {
    // After an order edit, current_quantity is what the customer will get; a
    // line edited down to 0 is gone (it stays, whole, in data.platform).
    const Json *current = line->peek("current_quantity");
    const bool edited = current && current->is_number_integer();
    if (edited && *current == 0) continue;
    Json item = Json::object();
    const std::string line_id = line->id("id");
    item["line_id"] = line_id;
    if (auto sku = line->optional_string("sku"))
      item["sku"] = *sku;
    else if (auto variant = peek_id(*line, "variant_id"))
      item["sku"] = "shopify-variant-" + *variant;
    else
      item["sku"] = "shopify-line-" + line_id;
    if (auto name = first_of([&] { return line->optional_string("name"); },
                             [&] { return line->optional_string("title"); }))
      item["name"] = *name;
    const std::string_view quantity_key = edited ? "current_quantity" : "quantity";
    const std::int64_t quantity = line->integer(quantity_key);
    if (quantity <= 0)
      fail(OC_ERR_SCHEMA, line->field_path(quantity_key) + ": expected a positive integer");
    item["quantity"] = quantity;
    item["unit_price"] = line->money("price", currency);
    items.push_back(std::move(item));
  }
  return items;
}

Json shipping_address(PayloadReader &order) {
  const Json *address = order.get("shipping_address");
  if (!address) return nullptr;
  if (!address->is_object())
    fail(OC_ERR_SCHEMA, order.field_path("shipping_address") + ": expected an object");
  return *address;
}

MappedEvents map_order_created(PayloadReader &order, const Delivery &delivery) {
  const std::string order_id = order.id("id");
  const std::string currency = order.currency("currency");
  Json o = Json::object();
  o["id"] = order_id;
  if (auto number = first_of([&] { return order.optional_string("name"); },
                             [&] { return order.optional_id("order_number"); }))
    o["number"] = *number;
  // The shop's own way of showing it ("#1001", or with the prefix and
  // suffix the shop set), shown to customers as it is.
  if (auto name = order.optional_string("name"); name && !name->empty()) o["name"] = *name;
  // The customer's language at checkout; a tag the schema would refuse is
  // left out rather than refusing the order.
  if (auto locale = order.optional_string("customer_locale"); locale && valid_language_tag(*locale))
    o["locale"] = *locale;
  const TimeMs created = occurred_at(order, {"created_at"}, delivery);
  o["placed_at"] = format_rfc3339(order.optional_time("processed_at").value_or(created));
  o["currency"] = currency;
  o["total"] = order.money("total_price", currency);
  o["channel"] = channel_for(order.peek_string("source_name"));
  o["customer"] = map_customer(order, order_id);
  o["items"] = map_items(order, currency);
  if (o["items"].empty())
    fail(OC_ERR_SCHEMA, order.field_path("line_items") + ": expected at least one line");
  if (Json address = shipping_address(order); !address.is_null())
    o["shipping_address"] = std::move(address);
  if (auto note = order.optional_string("note")) o["note"] = *note;

  Json data = Json::object();
  data["order"] = std::move(o);
  if (auto updated = order.optional_time("updated_at")) data["updated_at"] = format_rfc3339(*updated);
  data["platform"] = order.leftovers();
  std::vector<Json> events;
  events.push_back(make_event(EventType::order_created, created, kSource, delivery.store, std::move(data)));
  return with_ids(event_key(EventType::order_created, order_id), std::move(events));
}

bool all_delivered(const Json *fulfillments) {
  if (!fulfillments || !fulfillments->is_array() || fulfillments->empty()) return false;
  bool any = false;
  for (const Json &f : *fulfillments) {
    if (!f.is_object()) return false;
    const auto status = f.find("status");
    if (status != f.end() && *status != "success") continue;  // cancelled ones do not count
    const auto shipment = f.find("shipment_status");
    if (shipment == f.end() || *shipment != "delivered") return false;
    any = true;
  }
  return any;
}

std::string order_status(const PayloadReader &order) {
  if (order.peek("cancelled_at")) return "cancelled";
  const auto fulfillment = order.peek_string("fulfillment_status");
  if (fulfillment == "fulfilled")
    return all_delivered(order.peek("fulfillments")) ? "delivered" : "shipped";
  if (fulfillment == "partial") return "processing";
  if (order.peek_string("financial_status") == "pending") return "pending";
  return "processing";
}

// Successful refund transactions in the order's currency, from the refunds
// Shopify embeds in the order; nullopt when there are none.
std::optional<std::int64_t> refunded_total(const PayloadReader &order, const std::string &currency) {
  const Json *refunds = order.peek("refunds");
  if (!refunds || !refunds->is_array() || refunds->empty()) return std::nullopt;
  std::int64_t total = 0;
  for (std::size_t i = 0; i < refunds->size(); ++i) {
    const Json &refund = (*refunds)[i];
    if (!refund.is_object() || !refund.contains("transactions")) continue;
    const Json &transactions = refund["transactions"];
    if (!transactions.is_array()) continue;
    for (std::size_t j = 0; j < transactions.size(); ++j) {
      const Json &t = transactions[j];
      if (!t.is_object() || t.value("kind", Json()) != "refund" ||
          t.value("status", Json()) != "success")
        continue;
      const Json amount = t.value("amount", Json());
      const Json code = t.value("currency", Json(currency));
      if (!code.is_string() || normalize_currency(code.get<std::string>()) != currency) continue;
      const auto minor =
          amount.is_string() ? decimal_to_minor_units(amount.get<std::string>(), currency)
                             : std::nullopt;
      if (!minor || *minor < 0 || *minor > INT64_MAX - total)
        fail(OC_ERR_SCHEMA, order.field_path("refunds") + "[" + std::to_string(i) +
                                "].transactions[" + std::to_string(j) +
                                "].amount: expected a decimal amount in " + currency);
      total += *minor;
    }
  }
  return total;
}

MappedEvents map_order_updated(PayloadReader &order, const Delivery &delivery, bool cancelled) {
  // The topic is not signed: only the payload can say the order is cancelled.
  if (cancelled && !order.has("cancelled_at"))
    fail(OC_ERR_SCHEMA, order.field_path("cancelled_at") + ": required for orders/cancelled");
  const std::string order_id = order.id("id");
  Json data = Json::object();
  data["order_id"] = order_id;
  data["status"] = cancelled ? std::string("cancelled") : order_status(order);
  const std::string currency = order.currency("currency");
  data["currency"] = currency;
  data["total"] = order.money("total_price", currency);
  if (order.has("line_items")) data["items"] = map_items(order, currency);
  if (auto refunded = refunded_total(order, currency)) data["refunded"] = *refunded;
  if (cancelled) {
    if (auto reason = order.optional_string("cancel_reason")) data["reason"] = *reason;
    // An authorisation voided: the customer was never charged.
    if (order.peek_string("financial_status") == "voided") data["payment_voided"] = true;
  }
  const auto updated = order.optional_time("updated_at");
  const TimeMs at = cancelled ? occurred_at(order, {"cancelled_at", "updated_at"}, delivery)
                              : occurred_at(order, {"updated_at"}, delivery);
  if (updated) data["updated_at"] = format_rfc3339(*updated);
  std::string key = cancelled ? event_key("order.cancelled", order_id)
                              : event_key(EventType::order_updated, order_id, delivery.digest());
  data["platform"] = order.leftovers();
  std::vector<Json> events;
  events.push_back(make_event(EventType::order_updated, at, kSource, delivery.store, std::move(data)));
  return with_ids(std::move(key), std::move(events));
}

struct ShipmentStatus {
  std::string_view status;  // canonical, "" when it maps to nothing
};

ShipmentStatus canonical_shipment_status(const std::optional<std::string> &shipment) {
  if (!shipment) return {"in_transit"};
  static constexpr std::array<std::pair<std::string_view, std::string_view>, 14> kTable = {{
      {"confirmed", "in_transit"},
      {"label_printed", "in_transit"},
      {"label_purchased", "in_transit"},
      {"carrier_picked_up", "in_transit"},
      {"in_transit", "in_transit"},
      {"out_for_delivery", "in_transit"},
      {"ready_for_pickup", "in_transit"},
      {"delayed", "delayed"},
      {"attempted_delivery", "delivery_failed"},
      {"failure", "delivery_failed"},
      {"not_delivered", "delivery_failed"},
      {"delivered", "delivered"},
      {"picked_up", "delivered"},
      {"label_voided", ""},
  }};
  for (const auto &[from, to] : kTable)
    if (*shipment == from) return {to};
  return {""};
}

MappedEvents map_fulfillment(PayloadReader &f, const Delivery &delivery) {
  const auto status = f.peek_string("status");
  const auto shipment = f.peek_string("shipment_status");
  std::string canonical;
  std::string reason;
  if (status == "pending" || status == "open")
    return ignored("ignored: fulfillment is " + *status + ", not shipped yet");
  if (status == "cancelled") return ignored("ignored: fulfillment cancelled");
  if (status == "error" || status == "failure") {
    canonical = "delivery_failed";
    reason = "fulfillment_" + *status;
  } else {
    canonical = std::string(canonical_shipment_status(shipment).status);
    if (canonical.empty())
      return ignored("ignored: shipment_status " + shipment.value_or("") +
                     " has no canonical shipment status");
    if (shipment && *shipment != canonical) reason = *shipment;
  }

  Json data = Json::object();
  data["order_id"] = f.id("order_id");
  const std::string fulfillment_id = f.id("id");
  data["shipment_id"] = fulfillment_id;
  if (auto carrier = f.optional_string("tracking_company")) data["carrier"] = *carrier;
  if (auto number = f.optional_string("tracking_number")) data["tracking_number"] = *number;
  data["status"] = canonical;
  if (!reason.empty()) data["reason"] = reason;
  const TimeMs at = occurred_at(f, {"updated_at", "created_at"}, delivery);
  data["updated_at"] = format_rfc3339(at);
  std::string key = event_key(EventType::shipment_updated, fulfillment_id, delivery.digest());
  data["platform"] = f.leftovers();
  std::vector<Json> events;
  events.push_back(make_event(EventType::shipment_updated, at, kSource, delivery.store, std::move(data)));
  return with_ids(std::move(key), std::move(events));
}

// The refund transactions of a Shopify refund, added up.
struct RefundMoney {
  bool succeeded = false, pending = false, failed = false;
  std::optional<std::string> currency;
  std::int64_t amount = 0;
  std::optional<std::string> failure_reason;
};

RefundMoney refund_money(PayloadReader &refund) {
  RefundMoney money;
  for (PayloadReader *t : refund.optional_objects("transactions")) {
    if (t->peek_string("kind") != "refund") continue;
    const auto status = t->peek_string("status");
    if (status == "success") {
      const std::string code = t->currency("currency");
      if (money.currency && *money.currency != code)
        fail(OC_ERR_SCHEMA, t->field_path("currency") + ": refund transactions in two currencies");
      money.currency = code;
      const std::int64_t minor = t->money("amount", code);
      if (minor < 0 || minor > INT64_MAX - money.amount)
        fail(OC_ERR_SCHEMA, t->field_path("amount") + ": out of range");
      money.amount += minor;
      money.succeeded = true;
    } else if (status == "pending") {
      money.pending = true;
    } else if (status == "failure" || status == "error") {
      money.failed = true;
      if (!money.failure_reason) money.failure_reason = t->optional_string("message");
    }
  }
  return money;
}

// A refund made in the Shopify admin (or by another app): the money that
// went back is booked on the order's ledger as refund.recorded.
MappedEvents map_platform_refund(PayloadReader &refund, const Delivery &delivery, const RefundMoney &money) {
  const std::string refund_id = refund.id("id");
  if (!money.succeeded)
    return ignored(money.pending ? "ignored: refund " + refund_id + " is still pending"
                                 : "ignored: refund " + refund_id + " paid nothing back (no successful refund transaction)");
  Json data = Json::object();
  data["order_id"] = refund.id("order_id");
  data["refund_id"] = refund_id;
  data["amount"] = money.amount;
  data["currency"] = *money.currency;
  if (auto note = refund.optional_string("note"); note && !note->empty()) data["reason"] = *note;
  const TimeMs at = occurred_at(refund, {"processed_at", "created_at"}, delivery);
  data["platform"] = refund.leftovers();
  std::vector<Json> events;
  events.push_back(make_event(EventType::refund_recorded, at, kSource, delivery.store, std::move(data)));
  return with_ids(event_key(EventType::refund_recorded, refund_id), std::move(events));
}

MappedEvents map_refund(PayloadReader &refund, const Delivery &delivery) {
  const auto note = refund.peek_string("note");
  const auto key = note ? find_refund_key(*note) : std::nullopt;
  const RefundMoney money = refund_money(refund);
  if (!key) return map_platform_refund(refund, delivery, money);
  if (!money.succeeded && money.pending) return ignored("ignored: refund " + *key + " is still pending");

  Json data = Json::object();
  data["refund_id"] = *key;
  data["status"] = money.succeeded || !money.failed ? "succeeded" : "failed";
  if (money.currency) {
    data["amount"] = money.amount;
    data["currency"] = *money.currency;
  }
  if (!money.succeeded && money.failure_reason) data["reason"] = *money.failure_reason;
  const std::string refund_id = refund.id("id");
  data["host_reference"] = refund_id;
  if (auto order_id = refund.optional_id("order_id")) data["order_id"] = *order_id;
  const TimeMs at = occurred_at(refund, {"processed_at", "created_at"}, delivery);
  data["platform"] = refund.leftovers();
  std::vector<Json> events;
  events.push_back(make_event(EventType::refund_result, at, kSource, delivery.store, std::move(data)));
  return with_ids(event_key(EventType::refund_result, refund_id), std::move(events));
}

std::string return_reason(const std::optional<std::string> &reason) {
  if (!reason) return "other";
  const std::string r = lower(*reason);
  if (r == "defective") return "damaged";
  if (r == "wrong_item" || r == "not_as_described") return r;
  if (r == "unwanted" || r == "size_too_small" || r == "size_too_large" || r == "style" ||
      r == "color")
    return "changed_mind";
  return "other";
}

std::string return_line_id(PayloadReader &line) {
  if (PayloadReader *fulfillment_line = line.optional_object("fulfillment_line_item"))
    return strip_global_id(fulfillment_line->object("line_item").id("id"));
  if (PayloadReader *item = line.optional_object("line_item")) return strip_global_id(item->id("id"));
  return strip_global_id(line.id("line_item_id"));
}

MappedEvents map_return(PayloadReader &ret, const Delivery &delivery) {
  Json data = Json::object();
  const std::string return_id = strip_global_id(ret.id("id"));
  data["return_id"] = return_id;
  PayloadReader *order = ret.optional_object("order");
  data["order_id"] = strip_global_id(order ? order->id("id") : ret.id("order_id"));
  Json items = Json::array();
  for (PayloadReader *line : ret.objects("return_line_items")) {
    Json item = Json::object();
    item["line_id"] = return_line_id(*line);
    const std::int64_t quantity = line->integer("quantity");
    if (quantity <= 0)
      fail(OC_ERR_SCHEMA, line->field_path("quantity") + ": expected a positive integer");
    item["quantity"] = quantity;
    item["reason"] = return_reason(line->peek_string("return_reason"));
    if (auto note = first_of([&] { return line->optional_string("customer_note"); },
                             [&] { return line->optional_string("return_reason_note"); }))
      item["note"] = *note;
    items.push_back(std::move(item));
  }
  if (items.empty())
    fail(OC_ERR_SCHEMA, ret.field_path("return_line_items") + ": expected at least one line");
  data["items"] = std::move(items);
  const TimeMs at = occurred_at(ret, {"requested_at", "created_at", "updated_at"}, delivery);
  data["platform"] = ret.leftovers();
  std::vector<Json> events;
  events.push_back(make_event(EventType::return_requested, at, kSource, delivery.store, std::move(data)));
  return with_ids(event_key(EventType::return_requested, return_id), std::move(events));
}

// inventory_levels/update: Shopify's own count of an item at a location. A
// negative `available` means it sold units it does not have. The payload
// names the inventory item, not a SKU, and no payload ordercare reads links
// the two (order lines carry the variant and the SKU only), so the
// discrepancy is kept on the item itself: shopify-inventory-item:<id>.
MappedEvents map_inventory_level(PayloadReader &level, const Delivery &delivery) {
  const Json *available = level.get("available");
  if (!available)
    return ignored("ignored: inventory_levels/update for an untracked item (no available count)");
  if (!available->is_number_integer())
    fail(OC_ERR_SCHEMA, level.field_path("available") + ": expected an integer");
  // An unsigned JSON integer is never negative (and may not fit an int64).
  if (available->is_number_unsigned() || available->get<std::int64_t>() >= 0)
    return ignored("ignored: inventory_levels/update reports " + available->dump() +
                   " available; only a negative count (oversold) is a discrepancy");
  const std::int64_t count = available->get<std::int64_t>();
  if (count < -1'000'000'000'000)
    fail(OC_ERR_SCHEMA, level.field_path("available") + ": out of range");
  const std::string item = level.id("inventory_item_id");
  const std::string location = level.id("location_id");
  Json data = Json::object();
  data["sku"] = "shopify-inventory-item:" + item;
  data["location"] = "shopify-location:" + location;
  data["system_count"] = 0;
  data["physical_count"] = 0;
  data["oversold"] = -count;
  data["reported_by"] = "shopify";
  data["note"] = "Shopify reports " + std::to_string(count) + " available: sold " + std::to_string(-count) +
                 " more than in stock";
  const TimeMs at = occurred_at(level, {"updated_at"}, delivery);
  const EventType type = EventType::inventory_discrepancy;
  std::string key = event_key(type, item + "@" + location, delivery.digest());
  data["platform"] = level.leftovers();
  std::vector<Json> events;
  events.push_back(make_event(type, at, kSource, delivery.store, std::move(data)));
  return with_ids(std::move(key), std::move(events));
}

// Shopify's mandatory privacy webhooks. The event carries ids only: the
// payload's e-mail and phone are what the request is about, and are not
// kept (so no data.platform either).
MappedEvents map_privacy(std::string_view topic, PayloadReader &request, const Delivery &delivery) {
  Json data = Json::object();
  const std::string shop = request.string("shop_domain");
  data["shop"] = shop;
  if (topic == "shop/redact") {
    data["kind"] = "shop_redact";
  } else {
    const bool redact = topic == "customers/redact";
    data["kind"] = redact ? "customer_redact" : "customer_data_request";
    if (PayloadReader *customer = request.optional_object("customer"))
      if (auto id = customer->optional_id("id")) data["customer_id"] = *id;
    Json orders = Json::array();
    const std::string_view key = redact ? "orders_to_redact" : "orders_requested";
    if (const Json *listed = request.get(key)) {
      if (!listed->is_array()) fail(OC_ERR_SCHEMA, request.field_path(key) + ": expected an array");
      for (std::size_t i = 0; i < listed->size(); ++i) {
        const Json &id = (*listed)[i];
        if (id.is_number_integer())
          orders.push_back(id.dump());
        else if (id.is_string() && !id.get_ref<const std::string &>().empty())
          orders.push_back(strip_global_id(id.get<std::string>()));
        else
          fail(OC_ERR_SCHEMA, request.field_path(key) + "[" + std::to_string(i) + "]: expected an order id");
      }
    }
    if (!orders.empty()) data["order_ids"] = std::move(orders);
    if (!data.contains("customer_id") && !data.contains("order_ids"))
      fail(OC_ERR_SCHEMA, request.field_path("customer") + ".id: required (or " + std::string(key) + ")");
    if (PayloadReader *asked = request.optional_object("data_request"))
      if (auto id = asked->optional_id("id")) data["request_id"] = *id;
  }
  if (!delivery.triggered_at)
    fail(OC_ERR_SCHEMA, "X-Shopify-Triggered-At: required (a privacy request has no time of its own)");
  const TimeMs at = *delivery.triggered_at;
  std::vector<Json> events;
  const EventType type = EventType::privacy_requested;
  events.push_back(make_event(type, at, kSource, shop, std::move(data)));
  return with_ids(event_key(type, std::string(topic.substr(0, topic.find('/'))) + "-" +
                                               std::string(topic.substr(topic.find('/') + 1)),
                            delivery.digest()),
                  std::move(events));
}

}  // namespace

MappedEvents map_shopify(std::string_view topic, const Headers &headers, Json payload) {
  const bool known = topic == "orders/create" || topic == "orders/updated" ||
                     topic == "orders/paid" || topic == "orders/fulfilled" ||
                     topic == "orders/partially_fulfilled" || topic == "orders/cancelled" ||
                     topic == "fulfillments/create" || topic == "fulfillments/update" ||
                     topic == "refunds/create" || topic == "returns/request";
  const bool privacy = topic == "customers/redact" || topic == "customers/data_request" || topic == "shop/redact";
  if (!known && !privacy && topic != "inventory_levels/update")
    return ignored("ignored: topic " + std::string(topic));

  PayloadReader reader(PayloadReader::Consume{}, payload, "payload");
  const Delivery delivery = read_delivery(headers, reader);
  if (topic == "orders/create") return map_order_created(reader, delivery);
  if (topic == "orders/cancelled") return map_order_updated(reader, delivery, true);
  if (topic.substr(0, 7) == "orders/") return map_order_updated(reader, delivery, false);
  if (topic.substr(0, 13) == "fulfillments/") return map_fulfillment(reader, delivery);
  if (topic == "refunds/create") return map_refund(reader, delivery);
  if (topic == "inventory_levels/update") return map_inventory_level(reader, delivery);
  if (privacy) return map_privacy(topic, reader, delivery);
  return map_return(reader, delivery);
}

}  // namespace ordercare::ingest
