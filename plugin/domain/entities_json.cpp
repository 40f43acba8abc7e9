#include "domain/entities_json.h"

#include "domain/json_fields.h"
#include "domain/json_text.h"

namespace ordercare::domain {

std::int64_t Order::committed_refunds() const {
  std::int64_t sum = 0;
  for (const auto &r : refunds)
    if (r.status != "failed") sum += r.amount;
  return sum;
}

RefundRecord *Order::find_refund(const std::string &refund_id) {
  for (auto &r : refunds)
    if (r.id == refund_id) return &r;
  return nullptr;
}

OrderAction *Order::find_action(const std::string &action_id) {
  for (auto &a : actions)
    if (a.id == action_id) return &a;
  return nullptr;
}

bool OrderAction::committed() const {
  return status != "rejected" && status != "failed" && status != "dropped" && status != "too_late";
}

bool OrderAction::open() const {
  return status == "held" || status == "requested" || status == "pending";
}

CaseClock *CaseRecord::clock(const std::string &name) {
  for (auto &c : clocks)
    if (c.name == name) return &c;
  return nullptr;
}

const CaseClock *CaseRecord::clock(const std::string &name) const {
  for (const auto &c : clocks)
    if (c.name == name) return &c;
  return nullptr;
}

namespace {

using namespace json_fields;

// An escalation's "status" is its `resolved` flag in words.
std::string_view escalation_status(bool resolved) { return resolved ? "resolved" : "open"; }

std::optional<bool> parse_escalation_status(std::string_view text) {
  if (text == "resolved") return true;
  if (text == "open") return false;
  return std::nullopt;
}

// The JSON form of each entity, one line a field, in the order of the
// struct. The store keeps these documents sealed and rewrites one only when
// its text changes, so keys, null against left out, and the forms of
// numbers and times stay as they are (entities_json_test pins them). Keys
// come out sorted whatever the order here; fields are read in this order,
// which decides only which of two mistyped flags an error names.

constexpr auto kOrderLine = describe(
    text("line_id", &OrderLine::line_id),
    text("sku", &OrderLine::sku),
    text("name", &OrderLine::name),
    integer("quantity", &OrderLine::quantity),
    integer("unit_price", &OrderLine::unit_price),
    text("location", &OrderLine::location, omit_empty));

constexpr auto kShipment = describe(
    text("id", &Shipment::id),
    text("carrier", &Shipment::carrier),
    text("tracking_number", &Shipment::tracking_number),
    enumeration("status", &Shipment::status, to_string, parse_shipment_status, ShipmentStatus::in_transit),
    time("status_at", &Shipment::status_at),
    time("eta", &Shipment::eta),
    integer("failed_attempts", &Shipment::failed_attempts));

constexpr auto kRefund = describe(
    text("id", &RefundRecord::id),
    integer("amount", &RefundRecord::amount),
    text("method", &RefundRecord::method),
    text("status", &RefundRecord::status),
    text("return_id", &RefundRecord::return_id),
    text("case_id", &RefundRecord::case_id),
    text("reason", &RefundRecord::reason),
    time("requested_at", &RefundRecord::requested_at),
    time("completed_at", &RefundRecord::completed_at),
    text("note", &RefundRecord::note));

constexpr auto kActionLine = describe(
    text("line_id", &ActionLine::line_id),
    text("sku", &ActionLine::sku),
    text("name", &ActionLine::name),
    integer("quantity", &ActionLine::quantity),
    text("new_sku", &ActionLine::new_sku, omit_empty));

constexpr auto kOrderAction = describe(
    text("id", &OrderAction::id),
    text("kind", &OrderAction::kind),
    text("status", &OrderAction::status),
    text("case_id", &OrderAction::case_id),
    text("return_id", &OrderAction::return_id),
    text("reason", &OrderAction::reason),
    list("lines", &OrderAction::lines, kActionLine, omit_empty),
    text("shipping_speed", &OrderAction::shipping_speed, omit_empty),
    flag("only_if_in_stock", &OrderAction::only_if_in_stock, omit_empty),
    text("offer", &OrderAction::offer, omit_empty),
    integer("amount", &OrderAction::amount, omit_empty),
    text("agent", &OrderAction::agent),
    time("requested_at", &OrderAction::requested_at),
    time("completed_at", &OrderAction::completed_at),
    // Sealed with the order: after an erasure it reads back as a marker.
    object("result", &OrderAction::result),
    text("note", &OrderAction::note));

constexpr auto kStorePickup = describe(
    text("location", &StorePickup::location),
    time("requested_at", &StorePickup::requested_at),
    time("packed_at", &StorePickup::packed_at),
    time("labelled_at", &StorePickup::labelled_at),
    time("ready_at", &StorePickup::ready_at),
    time("collected_at", &StorePickup::collected_at),
    text("id_checked", &StorePickup::id_checked, omit_empty),
    text("released_by", &StorePickup::released_by, omit_empty));

constexpr auto kOrder = describe(
    text("id", &Order::id),
    text("number", &Order::number),
    text("name", &Order::display_name, omit_empty),
    text("customer_id", &Order::customer_id),
    text("store", &Order::store_id),
    text("locale", &Order::locale, omit_empty),
    text("currency", &Order::currency),
    integer("total", &Order::total),
    text("channel", &Order::channel),
    time("placed_at", &Order::placed_at),
    time("promised_by", &Order::promised_by),
    enumeration("status", &Order::status, to_string, parse_order_status, OrderStatus::pending),
    time("status_at", &Order::status_at),
    list("items", &Order::items, kOrderLine),
    text("location", &Order::location, omit_empty),
    time("ship_date", &Order::ship_date, omit_empty),
    list("shipments", &Order::shipments, kShipment),
    integer("failed_deliveries", &Order::failed_deliveries),
    time("delivered_at", &Order::delivered_at),
    list("refunds", &Order::refunds, kRefund),
    derived("refunded", &Order::committed_refunds),
    list("actions", &Order::actions, kOrderAction, omit_empty),
    nested("pickup", &Order::pickup, kStorePickup),
    object("pii", &Order::pii));

constexpr auto kCustomer = describe(
    text("id", &Customer::id),
    texts("tags", &Customer::tags),
    flag("erased", &Customer::erased),
    object("pii", &Customer::pii));

constexpr auto kSlaClock = describe(
    time("started", &SlaClock::started),
    integer("target_ms", &SlaClock::target),
    intervals("pauses", &SlaClock::pauses),
    time("paused_since", &SlaClock::paused_since));

constexpr auto kCaseClock = describe(
    text("name", &CaseClock::name),
    flattened(&CaseClock::clock, kSlaClock),
    time("met_at", &CaseClock::met_at),
    flag("warned", &CaseClock::warned),
    flag("breached", &CaseClock::breached),
    time("warn_at", &CaseClock::warn_at),
    time("due", &CaseClock::due),
    time("deadline", &CaseClock::deadline));

constexpr auto kCase = describe(
    text("id", &CaseRecord::id),
    text("order_id", &CaseRecord::order_id),
    text("customer_id", &CaseRecord::customer_id),
    enumeration("type", &CaseRecord::type, to_string, parse_issue_type, IssueType::complaint),
    enumeration("priority", &CaseRecord::priority, to_string, parse_priority, Priority::p3),
    enumeration("status", &CaseRecord::status, to_string, parse_case_status, CaseStatus::new_case),
    text("channel", &CaseRecord::channel),
    text("team", &CaseRecord::team),
    text("assignee", &CaseRecord::assignee),
    time("opened_at", &CaseRecord::opened_at),
    time("updated_at", &CaseRecord::updated_at),
    time("first_response_at", &CaseRecord::first_response_at),
    time("first_response_due", &CaseRecord::first_response_due),
    time("resolution_due", &CaseRecord::resolution_due),
    time("resolved_at", &CaseRecord::resolved_at),
    time("closed_at", &CaseRecord::closed_at),
    integer("escalation_level", &CaseRecord::escalation_level),
    flag("breached", &CaseRecord::breached),
    flag("vip", &CaseRecord::vip),
    texts("triggers", &CaseRecord::triggers),
    texts("red_flags", &CaseRecord::red_flags),
    texts("skus", &CaseRecord::skus),
    text("location", &CaseRecord::location),
    text("reason", &CaseRecord::reason),
    text("initial_action", &CaseRecord::initial_action),
    texts("follow_ups", &CaseRecord::follow_ups),
    text("resolution", &CaseRecord::resolution),
    text("action_taken", &CaseRecord::action_taken),
    text("follow_up", &CaseRecord::follow_up),
    text("resolved_by", &CaseRecord::resolved_by),
    integer("csat", &CaseRecord::csat),
    integer("nps", &CaseRecord::nps),
    texts("event_ids", &CaseRecord::event_ids),
    texts("return_ids", &CaseRecord::return_ids),
    integer("reopen_count", &CaseRecord::reopen_count),
    integer("customer_contacts", &CaseRecord::customer_contacts),
    list("sla", &CaseRecord::clocks, kCaseClock),
    text("store", &CaseRecord::store_id),
    text("language", &CaseRecord::language),
    texts("surveys", &CaseRecord::surveys),
    text("follow_up_of", &CaseRecord::follow_up_of),
    text("follow_up_case", &CaseRecord::follow_up_case),
    time("acted_at", &CaseRecord::acted_at),
    time("warehouse_asked_at", &CaseRecord::warehouse_asked_at),
    texts("customer_tags", &CaseRecord::customer_tags),
    time("last_customer_at", &CaseRecord::last_customer_at),
    time("last_reply_at", &CaseRecord::last_reply_at),
    object("pii", &CaseRecord::pii));

constexpr auto kLogEntry = describe(
    text("case_id", &CaseLogEntry::case_id),
    time("at", &CaseLogEntry::at),
    text("kind", &CaseLogEntry::kind),
    text("actor", &CaseLogEntry::actor),
    object("details", &CaseLogEntry::details),
    object("pii", &CaseLogEntry::pii),
    text("customer_id", &CaseLogEntry::customer_id),
    text("order_id", &CaseLogEntry::order_id));

constexpr auto kEscalation = describe(
    text("id", &Escalation::id),
    text("case_id", &Escalation::case_id),
    text("order_id", &Escalation::order_id),
    text("customer_id", &Escalation::customer_id),
    time("at", &Escalation::at),
    text("issue", &Escalation::issue),
    text("reason", &Escalation::reason),
    text("kind", &Escalation::kind),
    text("to", &Escalation::to),
    integer("level", &Escalation::level),
    time("promised_resolution", &Escalation::promised_resolution),
    text("action_taken", &Escalation::action_taken),
    enumeration("status", &Escalation::resolved, escalation_status, parse_escalation_status, false),
    text("resolved_by", &Escalation::resolved_by),
    time("resolved_at", &Escalation::resolved_at));

constexpr auto kEffect = describe(
    text("id", &Effect::id),
    text("kind", &Effect::kind),
    text("case_id", &Effect::case_id),
    text("order_id", &Effect::order_id),
    text("customer_id", &Effect::customer_id),
    text("ordering_key", &Effect::ordering_key),
    time("created_at", &Effect::created_at),
    object("payload", &Effect::payload));

}  // namespace

Json to_json(const Order &order) { return write(order, kOrder); }
void write_text(const Order &order, TextWriter &w) { append_fields(order, w, kOrder); }
Order order_from_json(const Json &json) { return read(json, kOrder); }

Json to_json(const OrderAction &action) { return write(action, kOrderAction); }
OrderAction order_action_from_json(const Json &json) { return read(json, kOrderAction); }

Json to_json(const Customer &customer) { return write(customer, kCustomer); }
void write_text(const Customer &customer, TextWriter &w) { append_fields(customer, w, kCustomer); }
Customer customer_from_json(const Json &json) { return read(json, kCustomer); }

Json to_json(const CaseRecord &c) { return write(c, kCase); }
void write_text(const CaseRecord &c, TextWriter &w) { append_fields(c, w, kCase); }
CaseRecord case_from_json(const Json &json) { return read(json, kCase); }

Json to_json(const CaseLogEntry &entry) { return write(entry, kLogEntry); }
void write_text(const CaseLogEntry &entry, TextWriter &w) { append_fields(entry, w, kLogEntry); }
CaseLogEntry log_entry_from_json(const Json &json) { return read(json, kLogEntry); }

Json to_json(const Escalation &e) { return write(e, kEscalation); }
void write_text(const Escalation &e, TextWriter &w) { append_fields(e, w, kEscalation); }

Escalation escalation_from_json(const Json &json) {
  Escalation e = read(json, kEscalation);
  // Escalations written before kinds were kept: told by the reasons the
  // system wrote.
  if (!json.contains("kind"))
    e.kind = e.reason.rfind("red flag: ", 0) == 0       ? "red_flag"
             : e.reason.rfind("SLA breached: ", 0) == 0 ? "sla_breach"
                                                        : "agent";
  return e;
}

Json to_json(const Effect &effect) { return write(effect, kEffect); }
void write_text(const Effect &effect, TextWriter &w) { append_fields(effect, w, kEffect); }
Effect effect_from_json(const Json &json) { return read(json, kEffect); }

Json summary_json(const CaseRecord &c) {
  const Json full = to_json(c);
  Json out = Json::object();
  for (const char *key : {"id", "order_id", "customer_id", "type", "priority", "status", "team", "assignee",
                          "opened_at", "first_response_due", "first_response_at", "resolution_due",
                          "escalation_level", "reason", "breached", "red_flags", "vip"})
    out[key] = full.contains(key) ? full[key] : Json();
  return out;
}

}  // namespace ordercare::domain
