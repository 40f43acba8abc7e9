#include "domain/return_record.h"

#include "domain/record_fields.h"

namespace ordercare::domain {

using namespace record_fields;

std::int64_t ReturnRecord::refund_due() const {
  std::int64_t total = 0;
  for (const auto &item : items)
    if (item.eligible) total += item.unit_price * item.quantity;
  return total > restocking_fee ? total - restocking_fee : 0;
}

std::int64_t refunded_for(const Order &order, const std::string &return_id) {
  std::int64_t total = 0;
  for (const auto &r : order.refunds)
    if (r.return_id == return_id && r.status == "succeeded") total += r.amount;
  return total;
}

std::int64_t outstanding_for(const Order &order, const std::string &return_id) {
  std::int64_t total = 0;
  for (const auto &r : order.refunds)
    if (r.return_id == return_id && (r.status == "requested" || r.status == "pending")) total += r.amount;
  return total;
}

Json to_json(const ReturnRecord &r, const Order *order) {
  Json items = Json::array();
  for (const auto &i : r.items)
    items.push_back({{"line_id", i.line_id}, {"sku", i.sku}, {"name", i.name}, {"quantity", i.quantity},
                     {"unit_price", i.unit_price}, {"reason", i.reason},
                     {"reported_condition", i.reported_condition}, {"eligible", i.eligible},
                     {"decision", i.decision}, {"received", i.received},
                     {"received_condition", i.received_condition}, {"disposition", i.disposition}});
  Json refunds = Json::array();
  std::int64_t refunded = 0;
  if (order)
    for (const auto &f : order->refunds)
      if (f.return_id == r.id) {
        refunds.push_back({{"id", f.id}, {"amount", {{"amount", f.amount}, {"currency", r.currency}}},
                           {"method", f.method}, {"status", f.status},
                           {"requested_at", format_rfc3339(f.requested_at)},
                           {"completed_at", time_json(f.completed_at)}, {"note", f.note}});
        if (f.status == "succeeded") refunded += f.amount;
      }
  return {{"id", r.id},
          {"order_id", r.order_id},
          {"customer_id", r.customer_id},
          {"case_id", r.case_id ? Json(*r.case_id) : Json(nullptr)},
          {"status", to_string(r.status)},
          {"currency", r.currency},
          {"items", std::move(items)},
          {"store_pays_shipping", r.store_pays_shipping},
          {"keep_item", r.keep_item},
          {"instant_refund", r.instant_refund},
          {"restocking_fee", r.restocking_fee},
          {"decisions", r.decisions},
          {"label", r.label ? Json(*r.label) : Json(nullptr)},
          {"refunds", std::move(refunds)},
          {"refund_due", {{"amount", r.refund_due()}, {"currency", r.currency}}},
          {"refunded", {{"amount", refunded}, {"currency", r.currency}}},
          {"requested_at", format_rfc3339(r.requested_at)},
          {"approved_at", time_json(r.approved_at)},
          {"label_issued_at", time_json(r.label_issued_at)},
          {"received_at", time_json(r.received_at)},
          {"inspected_at", time_json(r.inspected_at)},
          {"refunded_at", time_json(r.refunded_at)},
          {"closed_at", time_json(r.closed_at)},
          {"rejection_reason", r.rejection_reason ? Json(*r.rejection_reason) : Json(nullptr)},
          {"received_at_store", r.received_at_store ? Json(*r.received_at_store) : Json(nullptr)},
          {"walk_in", r.walk_in},
          {"pii", r.pii}};
}

ReturnRecord return_from_json(const Json &j) {
  ReturnRecord r;
  r.id = text(j, "id");
  r.order_id = text(j, "order_id");
  r.customer_id = text(j, "customer_id");
  if (auto c = j.find("case_id"); c != j.end() && c->is_string()) r.case_id = c->get<std::string>();
  r.status = parse_return_status(text(j, "status")).value_or(ReturnStatus::requested);
  r.currency = text(j, "currency");
  for (const auto &i : j.value("items", Json::array()))
    r.items.push_back({text(i, "line_id"), text(i, "sku"), text(i, "name"), integer(i, "quantity"),
                       integer(i, "unit_price"), text(i, "reason"), text(i, "reported_condition"),
                       i.value("eligible", true), text(i, "decision"), integer(i, "received"),
                       text(i, "received_condition"), text(i, "disposition")});
  r.store_pays_shipping = j.value("store_pays_shipping", false);
  r.keep_item = j.value("keep_item", false);
  r.instant_refund = j.value("instant_refund", false);
  r.restocking_fee = integer(j, "restocking_fee");
  r.decisions = j.value("decisions", std::vector<std::string>{});
  if (auto l = j.find("label"); l != j.end() && l->is_string()) r.label = l->get<std::string>();
  r.requested_at = time(j, "requested_at").value_or(0);
  r.approved_at = time(j, "approved_at");
  r.label_issued_at = time(j, "label_issued_at");
  r.received_at = time(j, "received_at");
  r.inspected_at = time(j, "inspected_at");
  r.refunded_at = time(j, "refunded_at");
  r.closed_at = time(j, "closed_at");
  if (auto reason = j.find("rejection_reason"); reason != j.end() && reason->is_string())
    r.rejection_reason = reason->get<std::string>();
  if (auto at = j.find("received_at_store"); at != j.end() && at->is_string()) r.received_at_store = at->get<std::string>();
  r.walk_in = j.value("walk_in", false);
  r.pii = j.value("pii", Json::object());
  return r;
}

}  // namespace ordercare::domain
