#include "domain/entities_json.h"

#include "common/failure.h"

namespace ordercare::domain {

namespace {

void put_time(Json &j, const char *key, TimeMs t) { j[key] = format_rfc3339(t); }

void put_time(Json &j, const char *key, const std::optional<TimeMs> &t) {
  j[key] = t ? Json(format_rfc3339(*t)) : Json(nullptr);
}

void put(Json &j, const char *key, const std::optional<std::string> &v) {
  j[key] = v ? Json(*v) : Json(nullptr);
}

void put(Json &j, const char *key, const std::optional<std::int64_t> &v) {
  j[key] = v ? Json(*v) : Json(nullptr);
}

TimeMs time_at(const Json &j, const char *key) {
  auto it = j.find(key);
  if (it == j.end() || !it->is_string()) return 0;
  return parse_rfc3339(it->get<std::string>()).value_or(0);
}

std::optional<TimeMs> optional_time_at(const Json &j, const char *key) {
  auto it = j.find(key);
  if (it == j.end() || !it->is_string()) return std::nullopt;
  return parse_rfc3339(it->get<std::string>());
}

std::string text_at(const Json &j, const char *key) {
  auto it = j.find(key);
  return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
}

std::optional<std::string> optional_text_at(const Json &j, const char *key) {
  auto it = j.find(key);
  if (it == j.end() || !it->is_string()) return std::nullopt;
  return it->get<std::string>();
}

std::int64_t int_at(const Json &j, const char *key) {
  auto it = j.find(key);
  return it != j.end() && it->is_number_integer() ? it->get<std::int64_t>() : 0;
}

std::optional<std::int64_t> optional_int_at(const Json &j, const char *key) {
  auto it = j.find(key);
  if (it == j.end() || !it->is_number_integer()) return std::nullopt;
  return it->get<std::int64_t>();
}

std::vector<std::string> strings_at(const Json &j, const char *key) {
  std::vector<std::string> out;
  auto it = j.find(key);
  if (it == j.end() || !it->is_array()) return out;
  for (const auto &v : *it)
    if (v.is_string()) out.push_back(v.get<std::string>());
  return out;
}

Json object_at(const Json &j, const char *key) {
  auto it = j.find(key);
  return it != j.end() && it->is_object() ? *it : Json::object();
}

template <class E, class Parse>
E enum_at(const Json &j, const char *key, E fallback, Parse parse) {
  return parse(text_at(j, key)).value_or(fallback);
}

}  // namespace

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

Json clock_json(const CaseClock &c) {
  Json pauses = Json::array();
  for (const auto &p : c.clock.pauses) pauses.push_back({format_rfc3339(p.begin), format_rfc3339(p.end)});
  Json j = {{"name", c.name},
            {"started", format_rfc3339(c.clock.started)},
            {"target_ms", c.clock.target},
            {"pauses", std::move(pauses)},
            {"warned", c.warned},
            {"breached", c.breached}};
  put_time(j, "paused_since", c.clock.paused_since);
  put_time(j, "met_at", c.met_at);
  put_time(j, "warn_at", c.warn_at);
  put_time(j, "due", c.due);
  put_time(j, "deadline", c.deadline);
  return j;
}

CaseClock clock_from_json(const Json &j) {
  CaseClock c;
  c.name = text_at(j, "name");
  c.clock.started = time_at(j, "started");
  c.clock.target = int_at(j, "target_ms");
  if (auto it = j.find("pauses"); it != j.end() && it->is_array())
    for (const auto &p : *it)
      if (p.is_array() && p.size() == 2 && p[0].is_string() && p[1].is_string())
        c.clock.pauses.push_back({parse_rfc3339(p[0].get<std::string>()).value_or(0),
                                  parse_rfc3339(p[1].get<std::string>()).value_or(0)});
  c.clock.paused_since = optional_time_at(j, "paused_since");
  c.met_at = optional_time_at(j, "met_at");
  c.warned = j.value("warned", false);
  c.breached = j.value("breached", false);
  c.warn_at = optional_time_at(j, "warn_at");
  c.due = optional_time_at(j, "due");
  c.deadline = optional_time_at(j, "deadline");
  return c;
}

}  // namespace

// Written on every order and shipment event: built field by field, not from
// nested initializer lists, which make every pair an array first (three
// allocations a field where one will do).
Json to_json(const Order &o) {
  Json items = Json::array();
  for (const auto &l : o.items) {
    Json &jl = items.emplace_back(Json::object());
    jl["line_id"] = l.line_id;
    jl["sku"] = l.sku;
    jl["name"] = l.name;
    jl["quantity"] = l.quantity;
    jl["unit_price"] = l.unit_price;
    if (!l.location.empty()) jl["location"] = l.location;
  }
  Json shipments = Json::array();
  for (const auto &s : o.shipments) {
    Json &js = shipments.emplace_back(Json::object());
    js["id"] = s.id;
    js["carrier"] = s.carrier;
    js["tracking_number"] = s.tracking_number;
    js["status"] = to_string(s.status);
    js["failed_attempts"] = s.failed_attempts;
    put_time(js, "status_at", s.status_at);
    put_time(js, "eta", s.eta);
  }
  Json refunds = Json::array();
  for (const auto &r : o.refunds) {
    Json &jr = refunds.emplace_back(Json::object());
    jr["id"] = r.id;
    jr["amount"] = r.amount;
    jr["method"] = r.method;
    jr["status"] = r.status;
    jr["reason"] = r.reason;
    jr["note"] = r.note;
    put(jr, "return_id", r.return_id);
    put(jr, "case_id", r.case_id);
    put_time(jr, "requested_at", r.requested_at);
    put_time(jr, "completed_at", r.completed_at);
  }
  Json actions = Json::array();
  for (const auto &a : o.actions) actions.push_back(to_json(a));
  Json j = Json::object();
  j["id"] = o.id;
  j["number"] = o.number;
  if (!o.display_name.empty()) j["name"] = o.display_name;
  if (o.locale) j["locale"] = *o.locale;
  j["customer_id"] = o.customer_id;
  j["currency"] = o.currency;
  j["total"] = o.total;
  j["channel"] = o.channel;
  j["status"] = to_string(o.status);
  j["items"] = std::move(items);
  if (!o.location.empty()) j["location"] = o.location;
  if (o.ship_date) put_time(j, "ship_date", *o.ship_date);
  j["shipments"] = std::move(shipments);
  j["failed_deliveries"] = o.failed_deliveries;
  j["refunds"] = std::move(refunds);
  j["refunded"] = o.committed_refunds();
  if (!o.actions.empty()) j["actions"] = std::move(actions);
  if (o.pickup) {
    Json &p = j["pickup"] = Json::object();
    p["location"] = o.pickup->location;
    put_time(p, "requested_at", o.pickup->requested_at);
    put_time(p, "packed_at", o.pickup->packed_at);
    put_time(p, "labelled_at", o.pickup->labelled_at);
    put_time(p, "ready_at", o.pickup->ready_at);
    put_time(p, "collected_at", o.pickup->collected_at);
    if (!o.pickup->id_checked.empty()) p["id_checked"] = o.pickup->id_checked;
    if (!o.pickup->released_by.empty()) p["released_by"] = o.pickup->released_by;
  }
  j["pii"] = o.pii;
  put(j, "store", o.store_id);
  put_time(j, "placed_at", o.placed_at);
  put_time(j, "promised_by", o.promised_by);
  put_time(j, "status_at", o.status_at);
  put_time(j, "delivered_at", o.delivered_at);
  return j;
}

Order order_from_json(const Json &j) {
  Order o;
  o.id = text_at(j, "id");
  o.number = text_at(j, "number");
  o.display_name = text_at(j, "name");
  o.locale = optional_text_at(j, "locale");
  o.customer_id = text_at(j, "customer_id");
  o.store_id = optional_text_at(j, "store");
  o.currency = text_at(j, "currency");
  o.total = int_at(j, "total");
  o.channel = text_at(j, "channel");
  o.placed_at = time_at(j, "placed_at");
  o.promised_by = optional_time_at(j, "promised_by");
  o.status = enum_at(j, "status", OrderStatus::pending, parse_order_status);
  o.status_at = time_at(j, "status_at");
  if (auto it = j.find("items"); it != j.end() && it->is_array())
    for (const auto &l : *it)
      o.items.push_back({text_at(l, "line_id"), text_at(l, "sku"), text_at(l, "name"),
                         int_at(l, "quantity"), int_at(l, "unit_price"), text_at(l, "location")});
  o.location = text_at(j, "location");
  o.ship_date = optional_time_at(j, "ship_date");
  if (auto it = j.find("shipments"); it != j.end() && it->is_array())
    for (const auto &s : *it)
      o.shipments.push_back({text_at(s, "id"), text_at(s, "carrier"), text_at(s, "tracking_number"),
                             enum_at(s, "status", ShipmentStatus::in_transit, parse_shipment_status),
                             time_at(s, "status_at"), optional_time_at(s, "eta"),
                             int_at(s, "failed_attempts")});
  o.failed_deliveries = int_at(j, "failed_deliveries");
  o.delivered_at = optional_time_at(j, "delivered_at");
  if (auto it = j.find("refunds"); it != j.end() && it->is_array())
    for (const auto &r : *it)
      o.refunds.push_back({text_at(r, "id"), int_at(r, "amount"), text_at(r, "method"), text_at(r, "status"),
                           optional_text_at(r, "return_id"), optional_text_at(r, "case_id"),
                           text_at(r, "reason"), time_at(r, "requested_at"),
                           optional_time_at(r, "completed_at"), text_at(r, "note")});
  if (auto it = j.find("actions"); it != j.end() && it->is_array())
    for (const auto &a : *it) o.actions.push_back(order_action_from_json(a));
  if (auto it = j.find("pickup"); it != j.end() && it->is_object()) {
    StorePickup p;
    p.location = text_at(*it, "location");
    p.requested_at = time_at(*it, "requested_at");
    p.packed_at = optional_time_at(*it, "packed_at");
    p.labelled_at = optional_time_at(*it, "labelled_at");
    p.ready_at = optional_time_at(*it, "ready_at");
    p.collected_at = optional_time_at(*it, "collected_at");
    p.id_checked = text_at(*it, "id_checked");
    p.released_by = text_at(*it, "released_by");
    o.pickup = std::move(p);
  }
  o.pii = object_at(j, "pii");
  return o;
}

Json to_json(const OrderAction &a) {
  Json lines = Json::array();
  for (const auto &l : a.lines) {
    Json &jl = lines.emplace_back(Json::object());
    jl["line_id"] = l.line_id;
    jl["sku"] = l.sku;
    jl["name"] = l.name;
    jl["quantity"] = l.quantity;
    if (!l.new_sku.empty()) jl["new_sku"] = l.new_sku;
  }
  Json j = Json::object();
  j["id"] = a.id;
  j["kind"] = a.kind;
  j["status"] = a.status;
  put(j, "case_id", a.case_id);
  put(j, "return_id", a.return_id);
  j["reason"] = a.reason;
  if (!a.lines.empty()) j["lines"] = std::move(lines);
  if (!a.shipping_speed.empty()) j["shipping_speed"] = a.shipping_speed;
  if (a.only_if_in_stock) j["only_if_in_stock"] = true;
  if (!a.offer.empty()) j["offer"] = a.offer;
  if (a.amount != 0) j["amount"] = a.amount;
  j["agent"] = a.agent;
  put_time(j, "requested_at", a.requested_at);
  put_time(j, "completed_at", a.completed_at);
  j["result"] = a.result;
  j["note"] = a.note;
  return j;
}

OrderAction order_action_from_json(const Json &j) {
  OrderAction a;
  a.id = text_at(j, "id");
  a.kind = text_at(j, "kind");
  a.status = text_at(j, "status");
  a.case_id = optional_text_at(j, "case_id");
  a.return_id = optional_text_at(j, "return_id");
  a.reason = text_at(j, "reason");
  if (auto it = j.find("lines"); it != j.end() && it->is_array())
    for (const auto &l : *it)
      a.lines.push_back({text_at(l, "line_id"), text_at(l, "sku"), text_at(l, "name"), int_at(l, "quantity"),
                         text_at(l, "new_sku")});
  a.shipping_speed = text_at(j, "shipping_speed");
  a.only_if_in_stock = j.value("only_if_in_stock", false);
  a.offer = text_at(j, "offer");
  a.amount = int_at(j, "amount");
  a.agent = text_at(j, "agent");
  a.requested_at = time_at(j, "requested_at");
  a.completed_at = optional_time_at(j, "completed_at");
  // Sealed with the order: after an erasure it reads back as a marker.
  if (auto it = j.find("result"); it != j.end() && it->is_object()) a.result = *it;
  a.note = text_at(j, "note");
  return a;
}

Json to_json(const Customer &c) {
  return {{"id", c.id}, {"tags", c.tags}, {"erased", c.erased}, {"pii", c.pii}};
}

Customer customer_from_json(const Json &j) {
  Customer c;
  c.id = text_at(j, "id");
  c.tags = strings_at(j, "tags");
  c.erased = j.value("erased", false);
  c.pii = object_at(j, "pii");
  return c;
}

Json to_json(const CaseRecord &c) {
  Json j = {{"id", c.id},
            {"type", to_string(c.type)},
            {"priority", to_string(c.priority)},
            {"status", to_string(c.status)},
            {"channel", c.channel},
            {"team", c.team},
            {"escalation_level", c.escalation_level},
            {"breached", c.breached},
            {"vip", c.vip},
            {"triggers", c.triggers},
            {"red_flags", c.red_flags},
            {"skus", c.skus},
            {"reason", c.reason},
            {"initial_action", c.initial_action},
            {"follow_ups", c.follow_ups},
            {"event_ids", c.event_ids},
            {"return_ids", c.return_ids},
            {"reopen_count", c.reopen_count},
            {"customer_contacts", c.customer_contacts},
            {"pii", c.pii}};
  Json clocks = Json::array();
  for (const auto &clock : c.clocks) clocks.push_back(clock_json(clock));
  j["sla"] = std::move(clocks);
  put(j, "order_id", c.order_id);
  put(j, "customer_id", c.customer_id);
  put(j, "assignee", c.assignee);
  put(j, "location", c.location);
  put(j, "resolution", c.resolution);
  put(j, "action_taken", c.action_taken);
  put(j, "follow_up", c.follow_up);
  put(j, "resolved_by", c.resolved_by);
  put(j, "csat", c.csat);
  put(j, "nps", c.nps);
  put(j, "store", c.store_id);
  put(j, "language", c.language);
  j["surveys"] = c.surveys;
  put(j, "follow_up_of", c.follow_up_of);
  put(j, "follow_up_case", c.follow_up_case);
  put_time(j, "opened_at", c.opened_at);
  put_time(j, "updated_at", c.updated_at);
  put_time(j, "first_response_at", c.first_response_at);
  put_time(j, "first_response_due", c.first_response_due);
  put_time(j, "resolution_due", c.resolution_due);
  put_time(j, "resolved_at", c.resolved_at);
  put_time(j, "closed_at", c.closed_at);
  put_time(j, "acted_at", c.acted_at);
  put_time(j, "warehouse_asked_at", c.warehouse_asked_at);
  j["customer_tags"] = c.customer_tags;
  put_time(j, "last_customer_at", c.last_customer_at);
  put_time(j, "last_reply_at", c.last_reply_at);
  return j;
}

CaseRecord case_from_json(const Json &j) {
  CaseRecord c;
  c.id = text_at(j, "id");
  c.order_id = optional_text_at(j, "order_id");
  c.customer_id = optional_text_at(j, "customer_id");
  c.type = enum_at(j, "type", IssueType::complaint, parse_issue_type);
  c.priority = enum_at(j, "priority", Priority::p3, parse_priority);
  c.status = enum_at(j, "status", CaseStatus::new_case, parse_case_status);
  c.channel = text_at(j, "channel");
  c.team = text_at(j, "team");
  c.assignee = optional_text_at(j, "assignee");
  c.opened_at = time_at(j, "opened_at");
  c.updated_at = time_at(j, "updated_at");
  c.first_response_at = optional_time_at(j, "first_response_at");
  c.first_response_due = optional_time_at(j, "first_response_due");
  c.resolution_due = optional_time_at(j, "resolution_due");
  c.resolved_at = optional_time_at(j, "resolved_at");
  c.closed_at = optional_time_at(j, "closed_at");
  c.acted_at = optional_time_at(j, "acted_at");
  c.warehouse_asked_at = optional_time_at(j, "warehouse_asked_at");
  c.customer_tags = strings_at(j, "customer_tags");
  c.last_customer_at = optional_time_at(j, "last_customer_at");
  c.last_reply_at = optional_time_at(j, "last_reply_at");
  c.escalation_level = int_at(j, "escalation_level");
  c.breached = j.value("breached", false);
  c.vip = j.value("vip", false);
  c.triggers = strings_at(j, "triggers");
  c.red_flags = strings_at(j, "red_flags");
  c.skus = strings_at(j, "skus");
  c.location = optional_text_at(j, "location");
  c.reason = text_at(j, "reason");
  c.initial_action = text_at(j, "initial_action");
  c.follow_ups = strings_at(j, "follow_ups");
  c.resolution = optional_text_at(j, "resolution");
  c.action_taken = optional_text_at(j, "action_taken");
  c.follow_up = optional_text_at(j, "follow_up");
  c.resolved_by = optional_text_at(j, "resolved_by");
  c.csat = optional_int_at(j, "csat");
  c.nps = optional_int_at(j, "nps");
  c.store_id = optional_text_at(j, "store");
  c.language = optional_text_at(j, "language");
  c.surveys = strings_at(j, "surveys");
  c.follow_up_of = optional_text_at(j, "follow_up_of");
  c.follow_up_case = optional_text_at(j, "follow_up_case");
  c.event_ids = strings_at(j, "event_ids");
  c.return_ids = strings_at(j, "return_ids");
  c.reopen_count = int_at(j, "reopen_count");
  c.customer_contacts = int_at(j, "customer_contacts");
  if (auto it = j.find("sla"); it != j.end() && it->is_array())
    for (const auto &clock : *it) c.clocks.push_back(clock_from_json(clock));
  c.pii = object_at(j, "pii");
  return c;
}

Json to_json(const CaseLogEntry &e) {
  Json j = {{"case_id", e.case_id},
            {"kind", e.kind},
            {"actor", e.actor},
            {"details", e.details},
            {"pii", e.pii}};
  put_time(j, "at", e.at);
  put(j, "customer_id", e.customer_id);
  put(j, "order_id", e.order_id);
  return j;
}

CaseLogEntry log_entry_from_json(const Json &j) {
  CaseLogEntry e;
  e.case_id = text_at(j, "case_id");
  e.at = time_at(j, "at");
  e.kind = text_at(j, "kind");
  e.actor = text_at(j, "actor");
  e.details = object_at(j, "details");
  e.pii = object_at(j, "pii");
  e.customer_id = optional_text_at(j, "customer_id");
  e.order_id = optional_text_at(j, "order_id");
  return e;
}

Json to_json(const Escalation &e) {
  Json j = {{"id", e.id},
            {"case_id", e.case_id},
            {"issue", e.issue},
            {"reason", e.reason},
            {"kind", e.kind},
            {"to", e.to},
            {"level", e.level},
            {"action_taken", e.action_taken},
            {"status", e.resolved ? "resolved" : "open"}};
  put(j, "order_id", e.order_id);
  put(j, "customer_id", e.customer_id);
  put(j, "resolved_by", e.resolved_by);
  put_time(j, "at", e.at);
  put_time(j, "promised_resolution", e.promised_resolution);
  put_time(j, "resolved_at", e.resolved_at);
  return j;
}

Escalation escalation_from_json(const Json &j) {
  Escalation e;
  e.id = text_at(j, "id");
  e.case_id = text_at(j, "case_id");
  e.order_id = optional_text_at(j, "order_id");
  e.customer_id = optional_text_at(j, "customer_id");
  e.at = time_at(j, "at");
  e.issue = text_at(j, "issue");
  e.reason = text_at(j, "reason");
  // Escalations written before kinds were kept: told by the reasons the
  // system wrote.
  e.kind = j.contains("kind") ? text_at(j, "kind")
           : e.reason.rfind("red flag: ", 0) == 0 ? "red_flag"
           : e.reason.rfind("SLA breached: ", 0) == 0 ? "sla_breach"
                                                      : "agent";
  e.to = text_at(j, "to");
  e.level = int_at(j, "level");
  e.promised_resolution = optional_time_at(j, "promised_resolution");
  e.action_taken = text_at(j, "action_taken");
  e.resolved = text_at(j, "status") == "resolved";
  e.resolved_by = optional_text_at(j, "resolved_by");
  e.resolved_at = optional_time_at(j, "resolved_at");
  return e;
}

Json to_json(const Effect &e) {
  Json j = {{"id", e.id}, {"kind", e.kind}, {"ordering_key", e.ordering_key}, {"payload", e.payload}};
  put(j, "case_id", e.case_id);
  put(j, "order_id", e.order_id);
  put(j, "customer_id", e.customer_id);
  put_time(j, "created_at", e.created_at);
  return j;
}

Effect effect_from_json(const Json &j) {
  Effect e;
  e.id = text_at(j, "id");
  e.kind = text_at(j, "kind");
  e.case_id = optional_text_at(j, "case_id");
  e.order_id = optional_text_at(j, "order_id");
  e.customer_id = optional_text_at(j, "customer_id");
  e.ordering_key = text_at(j, "ordering_key");
  e.created_at = time_at(j, "created_at");
  e.payload = object_at(j, "payload");
  return e;
}

}  // namespace ordercare::domain
