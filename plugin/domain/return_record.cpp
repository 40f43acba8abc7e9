#include "domain/return_record.h"

#include "domain/json_fields.h"
#include "domain/json_text.h"
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

namespace {

using namespace json_fields;

// A sum of the return's, {"amount": minor units, "currency": its own}, as
// to_json writes it: computed, never read back.
struct Money {
  using Entity = ReturnRecord;
  std::string_view key;
  std::int64_t (*amount)(const ReturnRecord &);

  Json value(const ReturnRecord &r) const { return {{"amount", amount(r)}, {"currency", r.currency}}; }
  void write(const ReturnRecord &r, Json &to) const { to[key] = value(r); }
  template <class W>
  void append(const ReturnRecord &r, W &w) const {
    w.member(key, [&](bool above) {
      if (above) return w.json_below(value(r));
      w.out() += "{\"amount\":";
      append_json_integer(w.out(), amount(r));
      w.out() += ",\"currency\":";
      w.string(r.currency);
      w.out() += '}';
    });
  }
  void read(const Json &, ReturnRecord &) const {}
};

// The return's refunds, which live in its order's ledger: without the
// order (the store's form) none.
struct NoRefunds {
  using Entity = ReturnRecord;
  std::string_view key;

  void write(const ReturnRecord &, Json &to) const { to[key] = Json::array(); }
  template <class W>
  void append(const ReturnRecord &, W &w) const {
    w.member(key, [&](bool) { w.out() += "[]"; });
  }
  void read(const Json &, ReturnRecord &) const {}
};

constexpr auto kReturnItem = describe(
    text("line_id", &ReturnItem::line_id),
    text("sku", &ReturnItem::sku),
    text("name", &ReturnItem::name),
    integer("quantity", &ReturnItem::quantity),
    integer("unit_price", &ReturnItem::unit_price),
    text("reason", &ReturnItem::reason),
    text("reported_condition", &ReturnItem::reported_condition),
    flag("eligible", &ReturnItem::eligible),
    text("decision", &ReturnItem::decision),
    integer("received", &ReturnItem::received),
    text("received_condition", &ReturnItem::received_condition),
    text("disposition", &ReturnItem::disposition));

// A return without its order: the store's form, and to_json's before it
// adds the order's refunds.
constexpr auto kStoredReturn = describe(
    text("id", &ReturnRecord::id),
    text("order_id", &ReturnRecord::order_id),
    text("customer_id", &ReturnRecord::customer_id),
    text("case_id", &ReturnRecord::case_id),
    enumeration("status", &ReturnRecord::status, to_string, parse_return_status, ReturnStatus::requested),
    text("currency", &ReturnRecord::currency),
    list("items", &ReturnRecord::items, kReturnItem),
    flag("store_pays_shipping", &ReturnRecord::store_pays_shipping),
    flag("keep_item", &ReturnRecord::keep_item),
    flag("instant_refund", &ReturnRecord::instant_refund),
    integer("restocking_fee", &ReturnRecord::restocking_fee),
    texts("decisions", &ReturnRecord::decisions),
    text("label", &ReturnRecord::label),
    NoRefunds{"refunds"},
    Money{"refund_due", [](const ReturnRecord &r) { return r.refund_due(); }},
    Money{"refunded", [](const ReturnRecord &) { return std::int64_t{0}; }},
    time("requested_at", &ReturnRecord::requested_at),
    time("approved_at", &ReturnRecord::approved_at),
    time("label_issued_at", &ReturnRecord::label_issued_at),
    time("received_at", &ReturnRecord::received_at),
    time("inspected_at", &ReturnRecord::inspected_at),
    time("refunded_at", &ReturnRecord::refunded_at),
    time("closed_at", &ReturnRecord::closed_at),
    text("rejection_reason", &ReturnRecord::rejection_reason),
    text("received_at_store", &ReturnRecord::received_at_store),
    flag("walk_in", &ReturnRecord::walk_in),
    object("pii", &ReturnRecord::pii));

}  // namespace

Json to_json(const ReturnRecord &r, const Order *order) {
  Json j = write(r, kStoredReturn);
  if (!order) return j;
  // The return's refunds in the order's ledger, and what of them succeeded.
  Json &refunds = j["refunds"];
  std::int64_t refunded = 0;
  for (const auto &f : order->refunds)
    if (f.return_id == r.id) {
      refunds.push_back({{"id", f.id}, {"amount", {{"amount", f.amount}, {"currency", r.currency}}},
                         {"method", f.method}, {"status", f.status},
                         {"requested_at", format_rfc3339(f.requested_at)},
                         {"completed_at", time_json(f.completed_at)}, {"note", f.note}});
      if (f.status == "succeeded") refunded += f.amount;
    }
  j["refunded"]["amount"] = refunded;
  return j;
}

void write_text(const ReturnRecord &r, TextWriter &w) { append_fields(r, w, kStoredReturn); }

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
