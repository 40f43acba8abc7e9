#include "support/case_world.h"

#include <algorithm>

#include <gtest/gtest.h>

namespace ordercare::testing {

namespace {

Json customer_json(const CustomerSpec &c) {
  Json out = {{"id", c.id}};
  if (!c.name.empty()) out["name"] = c.name;
  if (!c.email.empty()) out["email"] = c.email;
  if (!c.phone.empty()) out["phone"] = c.phone;
  if (!c.tags.empty()) out["tags"] = c.tags;
  return out;
}

Json lines_json(const std::vector<LineSpec> &lines) {
  Json out = Json::array();
  for (std::size_t i = 0; i < lines.size(); ++i) {
    const LineSpec &l = lines[i];
    Json line = {{"line_id", l.line_id.empty() ? "L" + std::to_string(i + 1) : l.line_id},
                 {"sku", l.sku},
                 {"quantity", l.quantity},
                 {"unit_price", l.unit_price}};
    if (!l.name.empty()) line["name"] = l.name;
    out.push_back(std::move(line));
  }
  return out;
}

}  // namespace

bool contains(const Json &array, const std::string &value) {
  if (!array.is_array()) return false;
  for (const auto &item : array)
    if (item.is_string() && item.get<std::string>() == value) return true;
  return false;
}

std::vector<std::string> strings_of(const Json &array) {
  std::vector<std::string> out;
  if (!array.is_array()) return out;
  for (const auto &item : array)
    if (item.is_string()) out.push_back(item.get<std::string>());
  return out;
}

std::vector<std::string> ids_of(const Json &rows) {
  std::vector<std::string> out;
  for (const auto &row : rows) out.push_back(row["id"].get<std::string>());
  return out;
}

std::vector<std::string> sorted(std::vector<std::string> v) {
  std::sort(v.begin(), v.end());
  return v;
}

std::string CaseWorld::next_id() { return "ev-" + std::to_string(++next_event_); }

Json CaseWorld::stamp(Json event, const std::string &type, Json data) {
  event["id"] = next_id();
  event["type"] = type;
  event["occurred_at"] = format_rfc3339(now());
  event["source"] = "host";
  event["data"] = std::move(data);
  return event;
}

Json CaseWorld::order_created(const std::string &order_id, const CustomerSpec &customer, OrderOptions o) {
  if (o.items.empty()) o.items.push_back(LineSpec{"SKU-" + order_id});
  std::int64_t sum = 0;
  for (const auto &l : o.items) sum += l.unit_price * l.quantity;
  Json order = {{"id", order_id},
                {"placed_at", format_rfc3339(now())},
                {"currency", o.currency},
                {"total", o.total.value_or(sum)},
                {"channel", o.channel},
                {"customer", customer_json(customer)},
                {"items", lines_json(o.items)}};
  if (!o.number.empty()) order["number"] = o.number;
  if (o.promised_by) order["promised_by"] = format_rfc3339(*o.promised_by);
  if (!o.shipping_address.is_null()) order["shipping_address"] = o.shipping_address;
  if (!o.note.empty()) order["note"] = o.note;
  return stamp(Json::object(), "order.created", {{"order", std::move(order)}});
}

Json CaseWorld::order_updated(const std::string &order_id, const std::string &status, UpdateOptions o) {
  Json data = {{"order_id", order_id}, {"status", status}};
  if (o.promised_by) data["promised_by"] = format_rfc3339(*o.promised_by);
  if (o.total) data["total"] = *o.total;
  if (o.items) data["items"] = lines_json(*o.items);
  return stamp(Json::object(), "order.updated", std::move(data));
}

Json CaseWorld::shipment(const std::string &order_id, const std::string &shipment_id, const std::string &status,
                        ShipmentOptions o) {
  Json data = {{"order_id", order_id}, {"shipment_id", shipment_id}, {"status", status}};
  if (!o.carrier.empty()) data["carrier"] = o.carrier;
  if (!o.tracking_number.empty()) data["tracking_number"] = o.tracking_number;
  if (o.eta) data["eta"] = format_rfc3339(*o.eta);
  if (!o.reason.empty()) data["reason"] = o.reason;
  return stamp(Json::object(), "shipment.updated", std::move(data));
}

Json CaseWorld::message(const CustomerSpec &customer, const std::optional<std::string> &order_id,
                       const std::string &channel, const std::string &text, MessageOptions o) {
  Json data = {{"customer", customer_json(customer)}, {"channel", channel}, {"text", text}};
  if (order_id) data["order_id"] = *order_id;
  if (o.is_public) data["public"] = *o.is_public;
  if (o.audience) data["audience"] = *o.audience;
  return stamp(Json::object(), "customer.message", std::move(data));
}

Json CaseWorld::cancellation(const std::string &order_id, const std::string &reason, const std::string &channel) {
  Json data = {{"order_id", order_id}};
  if (!reason.empty()) data["reason"] = reason;
  if (!channel.empty()) data["channel"] = channel;
  return stamp(Json::object(), "cancellation.requested", std::move(data));
}

Json CaseWorld::change(const std::string &order_id, const std::string &change, Json details) {
  Json data = {{"order_id", order_id}, {"change", change}};
  if (!details.is_null()) data["details"] = std::move(details);
  return stamp(Json::object(), "order.change_requested", std::move(data));
}

Json CaseWorld::pickup(const std::string &order_id, const std::string &store_id, bool customer_waiting) {
  return stamp(Json::object(), "pickup.requested",
               {{"order_id", order_id}, {"store_id", store_id}, {"customer_waiting", customer_waiting}});
}

Json CaseWorld::payment_failed(const std::string &order_id, std::int64_t amount, const std::string &currency,
                              const std::string &reason) {
  Json data = {{"order_id", order_id}, {"amount", amount}, {"currency", currency}};
  if (!reason.empty()) data["reason"] = reason;
  return stamp(Json::object(), "payment.failed", std::move(data));
}

Json CaseWorld::payment_disputed(const std::string &order_id, std::int64_t amount, const std::string &currency,
                                const std::string &reason, const std::string &dispute_id) {
  Json data = {{"order_id", order_id}, {"amount", amount}, {"currency", currency}};
  if (!reason.empty()) data["reason"] = reason;
  if (!dispute_id.empty()) data["dispute_id"] = dispute_id;
  return stamp(Json::object(), "payment.disputed", std::move(data));
}

Json CaseWorld::inventory_discrepancy(const std::string &sku, const std::string &location,
                                     std::int64_t system_count, std::int64_t physical_count,
                                     const std::string &reported_by) {
  return stamp(Json::object(), "inventory.discrepancy",
               {{"sku", sku},
                {"location", location},
                {"system_count", system_count},
                {"physical_count", physical_count},
                {"reported_by", reported_by}});
}

Json CaseWorld::return_requested(const std::string &order_id, std::vector<ReturnLine> items,
                                const std::string &return_id) {
  Json lines = Json::array();
  for (const auto &item : items) {
    Json line = {{"line_id", item.line_id}, {"quantity", item.quantity}, {"reason", item.reason}};
    if (!item.note.empty()) line["note"] = item.note;
    if (!item.condition.empty()) line["condition"] = item.condition;
    lines.push_back(std::move(line));
  }
  Json data = {{"order_id", order_id}, {"items", std::move(lines)}};
  if (!return_id.empty()) data["return_id"] = return_id;
  return stamp(Json::object(), "return.requested", std::move(data));
}

Json CaseWorld::return_received(const std::string &return_id, Json items, const std::string &location) {
  Json data = {{"return_id", return_id}, {"items", std::move(items)}};
  if (!location.empty()) data["location"] = location;
  return stamp(Json::object(), "return.received", std::move(data));
}

Json CaseWorld::refund_result(const std::string &refund_id, const std::string &status,
                             std::optional<std::int64_t> amount) {
  Json data = {{"refund_id", refund_id}, {"status", status}};
  if (amount) data["amount"] = *amount;
  return stamp(Json::object(), "refund.result", std::move(data));
}

Json CaseWorld::cases(Json filters) {
  Json out = Json::array();
  filters["limit"] = 1000;
  while (true) {
    Json page = call("cases.list", filters);
    for (auto &c : page["cases"]) out.push_back(std::move(c));
    if (page["next_cursor"].is_null()) return out;
    filters["cursor"] = page["next_cursor"];
  }
}

Json CaseWorld::cases_of_order(const std::string &order_id) { return cases({{"order_id", order_id}}); }

Json CaseWorld::get_return(const std::string &return_id) { return call("return.get", {{"id", return_id}}); }

Json CaseWorld::all_pages(const std::string &method, const char *items, Json filters) {
  Json out = Json::array();
  filters["limit"] = 1000;
  while (true) {
    Json page = call(method, filters);
    for (auto &item : page[items]) out.push_back(std::move(item));
    if (page["next_cursor"].is_null()) return out;
    filters["cursor"] = page["next_cursor"];
  }
}

Json CaseWorld::returns(Json filters) { return all_pages("returns.list", "returns", std::move(filters)); }

Json CaseWorld::effects(Json filters) { return all_pages("effects.list", "effects", std::move(filters)); }

Json CaseWorld::effect(const std::string &effect_id) {
  for (auto &row : effects())
    if (row.value("id", "") == effect_id) return row;
  ADD_FAILURE() << "no effect " << effect_id << " in effects.list";
  return nullptr;
}

Json CaseWorld::only_case(const std::string &order_id) {
  Json list = cases_of_order(order_id);
  if (list.size() != 1) {
    ADD_FAILURE() << "order " << order_id << " has " << list.size() << " cases, expected 1: " << list.dump();
    return list.empty() ? Json::object() : get_case(list[0]["id"].get<std::string>());
  }
  return get_case(list[0]["id"].get<std::string>());
}

Json CaseWorld::get_case(const std::string &case_id) { return call("case.get", {{"id", case_id}}); }

Json CaseWorld::escalations(Json filters) { return call("escalations.log", std::move(filters))["rows"]; }

Json CaseWorld::effects_of(const std::string &case_id) {
  Json c = get_case(case_id);
  return std::move(c["effects"]);
}

std::vector<std::string> CaseWorld::notices_of(const std::string &case_id) {
  std::vector<std::string> out;
  const Json c = get_case(case_id);
  for (const auto &entry : c["log"]) {
    if (entry.value("kind", "") != "effect") continue;
    const Json &details = entry["details"];
    const std::string to = details.value("notify", "");
    const std::string audience = to == "customer" ? "customer" : "team:" + to;
    out.push_back(audience + ":" + details.value("template", ""));
  }
  return out;
}

}  // namespace ordercare::testing
