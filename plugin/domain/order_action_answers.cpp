// What the host's answer to an order action means: the order's ledger,
// the case, and the customer's notice, which carries what the host did
// (tracking, the label, the code) and so waits for it.
#include <algorithm>

#include "common/currency.h"
#include "common/failure.h"
#include "common/value_ranges.h"
#include "domain/case_state_machine.h"
#include "domain/event_handlers.h"
#include "domain/order_action_parts.h"
#include "domain/order_actions.h"
#include "domain/priority.h"
#include "domain/return_rules.h"
#include "domain/warehouse_answers.h"

namespace ordercare::domain {

namespace {

std::string money(std::int64_t minor, const std::string &currency) {
  return format_money(minor, currency);
}

// The other action of a wrong item's pair (replacement and label) on the
// same case, if any.
const OrderAction *partner_of(const Order &order, const OrderAction &a) {
  const std::string other = a.kind == "reship" ? "return_label" : "reship";
  for (const auto &b : order.actions)
    if (b.kind == other && b.case_id == a.case_id && b.reason == "wrong_item" && b.committed()) return &b;
  return nullptr;
}

// The host's answer, the fields ordercare uses (CALLBACKS.md), as text.
Json kept_result(const Json &reply) {
  Json out = Json::object();
  if (!reply.is_object()) return out;
  for (const char *key : {"host_reference", "carrier", "tracking_number", "eta", "label_url", "code", "order_status"})
    if (auto it = reply.find(key); it != reply.end() && it->is_string()) out[key] = *it;
  for (const char *key : {"too_late", "out_of_stock"})
    if (auto it = reply.find(key); it != reply.end() && it->is_boolean()) out[key] = *it;
  return out;
}

// Tracking of the new shipment, when the host gave all of it.
bool put_shipment(Json &vars, const Json &result) {
  const std::string carrier = result.value("carrier", ""), tracking = result.value("tracking_number", "");
  const auto eta = parse_rfc3339(result.value("eta", ""));
  if (carrier.empty() || tracking.empty() || !eta) return false;
  vars["shipment.carrier"] = carrier;
  vars["shipment.tracking_number"] = tracking;
  vars["eta"] = format_rfc3339(*eta).substr(0, 10);
  return true;
}

// Seed 000 "Incorrect item: initiate a replacement and provide a return
// label": one message with both, once both are done; a half that failed
// lets the other go alone.
void wrong_item_notice(CaseWork &work, CaseRecord &c, const OrderAction &a) {
  const Order &order = *work.order();
  const OrderAction *other = partner_of(order, a);
  if (other && other->status != "done") {
    add_unique(c.follow_ups, "Customer notice waits for the " + std::string(other->kind == "reship" ? "replacement" : "return label"));
    return;
  }
  const OrderAction &reship = a.kind == "reship" ? a : (other ? *other : a);
  const OrderAction *label = a.kind == "return_label" ? &a : other;
  Json vars = order_variables(&order);
  vars["item.name"] = item_names(a.lines);
  const bool tracked = reship.kind == "reship" && put_shipment(vars, reship.result);
  if (label && tracked) {
    vars["return.label_url"] = label->result.value("label_url", "");
    work.notify_customer(c, "wrong_item_replacement", vars, "wrong-item-" + a.id);
  } else if (label) {
    vars["return.label_url"] = label->result.value("label_url", "");
    work.notify_customer(c, reship.kind == "reship" && reship.status == "done" ? "wrong_item_replacement_untracked"
                                                                              : "return_label_ready",
                         vars, "wrong-item-" + a.id);
  } else {
    work.notify_customer(c, tracked ? "replacement_shipped" : "replacement_arranged", vars, "replacement-" + a.id);
  }
}

void after_done(CaseWork &work, CaseRecord *c, const OrderAction &a) {
  Order &order = work.edit_order();
  if (a.kind == "cancel") {
    if (order.status != OrderStatus::cancelled) {
      order.status = OrderStatus::cancelled;
      order.status_at = std::max(order.status_at, work.now());
    }
    if (!c) return;
    Json vars = order_variables(&order);
    vars["refund.amount"] = money(order.refundable(), order.currency);
    vars["refund.timeline"] = work.policy().returns.refund_timeline;
    add_unique(c->follow_ups, "Order cancelled by the host; customer told the refund timeline");
    work.notify_customer(*c, "cancellation_confirmed", vars, "cancelled");
    return;
  }
  if (a.kind == "return_label" && a.return_id) {
    ReturnRecord *r = work.find_return(*a.return_id);
    if (r && can_transition(r->status, ReturnStatus::label_issued)) {
      r->status = ReturnStatus::label_issued;
      r->label_issued_at = work.now();
      r->label = a.result.value("label_url", "");
      if (c) {
        work.log(*c, "return", "host", {{"return_id", r->id}, {"status", "label_issued"}, {"action_id", a.id}});
        Json vars = order_variables(&order);
        vars["return.id"] = r->id;
        vars["return.label_url"] = *r->label;
        vars["return.ship_by"] = format_rfc3339(add_saturating(work.now(), 14 * kDayMs)).substr(0, 10);
        work.notify_customer(*c, "return_approved", vars, "return-label-" + r->id);
      }
    }
    return;
  }
  if (!c) return;
  Json vars = order_variables(&order);
  vars["item.name"] = item_names(a.lines);
  if ((a.kind == "reship" || a.kind == "return_label") && a.reason == "wrong_item") return wrong_item_notice(work, *c, a);
  if (a.kind == "reship") {
    const bool tracked = put_shipment(vars, a.result);
    const std::string tmpl = !tracked                       ? "replacement_arranged"
                             : a.reason == "missing_item" ? "missing_item_reship"
                             : a.reason == "damaged_item" ? "damaged_item_replacement"
                                                          : "replacement_shipped";
    work.notify_customer(*c, tmpl, vars, "replacement-" + a.id);
  } else if (a.kind == "exchange") {
    vars["exchange.items"] = lines_text(a.lines);
    work.notify_customer(*c, "exchange_arranged", vars, "exchange-" + a.id);
  } else if (a.kind == "return_label") {
    vars["return.label_url"] = a.result.value("label_url", "");
    work.notify_customer(*c, "return_label_ready", vars, "return-label-" + a.id);
  } else if (a.kind == "offer") {
    const std::string code = a.result.value("code", "");
    std::string words = offer_words(a.offer) + (code.empty() ? "" : " " + code) + " worth " + money(a.amount, order.currency);
    vars["offer"] = words;
    if (send_warehouse_delay_notice(work, *c, a, words)) return;
    // The delay playbook's offer: the delay notice waited for it.
    if (a.agent == "system" && c->type == IssueType::shipping_delay && vars.contains("eta")) {
      vars["delay.reason"] = a.reason;
      work.notify_customer(*c, "shipping_delay_with_offer", vars, "delay-update");
    } else {
      work.notify_customer(*c, "offer_made", vars, "offer-" + a.id);
    }
  }
}

// An answer that leaves the action undone: the customer still hears what
// the playbook owes them, and a person is asked where one must decide.
void after_failure(CaseWork &work, CaseRecord *c, const OrderAction &a, HostAnswer answer, const std::string &why) {
  if (!c) return;
  const Order &order = *work.order();
  Json vars = order_variables(&order);
  if (a.status == "too_late") {
    // Seed 000: "If shipped, explain return options."
    vars["return.window_days"] = std::to_string(work.policy().returns.window_days);
    vars["refund.timeline"] = work.policy().returns.refund_timeline;
    const std::string &portal = work.policy().returns.portal_url;
    if (!portal.empty()) vars["return.portal_url"] = portal;
    add_unique(c->follow_ups, "Too late to cancel: the order had shipped; customer told the return options");
    work.notify_customer(*c, portal.empty() ? "cancellation_already_shipped_no_portal" : "cancellation_already_shipped",
                         vars, "too-late");
    return;
  }
  if (a.kind == "reship" && a.result.value("out_of_stock", false)) {
    // Seed 004 "Ship replacement if in stock"; if not, seed 000's options.
    vars["item.name"] = item_names(a.lines);
    add_unique(c->follow_ups, "Replacement out of stock: customer offered a similar item, backorder or refund");
    work.notify_customer(*c, "out_of_stock_choice", vars, "out-of-stock-" + a.id);
    return;
  }
  if (!send_warehouse_delay_notice(work, *c, a, "") && a.kind == "offer" && a.agent == "system" &&
      c->type == IssueType::shipping_delay && vars.contains("eta")) {
    // The delay notice waited for the offer; it goes without one.
    vars["delay.reason"] = a.reason;
    work.notify_customer(*c, "shipping_delay", vars, "delay-update");
  }
  add_unique(c->follow_ups, action_summary(a, order) + ": " + (answer == HostAnswer::gave_up ? "gave up" : "rejected") + ": " + why);
  if (is_active(c->status))
    work.escalate(*c, "host could not carry out " + a.kind + " " + a.id + " (" + why + ")",
                  work.policy().red_flags.default_contact, "system");
}

}  // namespace

void settle_order_action(CaseWork &work, CaseRecord *c, const Effect &effect, HostAnswer answer, const Json &reply,
                         const std::string &detail) {
  if (!work.order()) return;
  Order &order = work.edit_order();
  OrderAction *found = order.find_action(effect.id);
  // Final already (a result event after the answer, or a repeat): nothing more.
  if (!found || !found->open()) return;
  if (!c) c = case_in(work, found->case_id);
  OrderAction &a = *found;
  switch (answer) {
    case HostAnswer::pending:
      a.status = "pending";
      if (c) work.log(*c, "action", "host", {{"action_id", a.id}, {"kind", a.kind}, {"status", "pending"}});
      return;
    case HostAnswer::done: {
      const Json result = kept_result(reply);
      // The customer's notice waits for the label: an answer without one
      // cannot be used, and the host is asked again under the same key.
      if (a.kind == "return_label" && result.value("label_url", "").empty())
        fail(OC_ERR_SCHEMA, "order_action: the host answered DONE to return_label " + a.id + " without label_url");
      a.status = "done";
      a.completed_at = work.now();
      a.result = result;
      const OrderAction done = a;
      if (c)
        work.log(*c, "action", "host", {{"action_id", done.id}, {"kind", done.kind}, {"status", "done"},
                                        {"host_reference", result.value("host_reference", "")}});
      after_done(work, c, done);
      return;
    }
    case HostAnswer::rejected:
    case HostAnswer::gave_up: {
      const Json result = kept_result(reply);
      a.result = result;
      a.completed_at = work.now();
      a.note = detail;
      a.status = answer == HostAnswer::gave_up       ? "failed"
                 : a.kind == "cancel" && result.value("too_late", false) ? "too_late"
                                                                         : "rejected";
      const OrderAction failed = a;
      if (c)
        work.log(*c, "action", "host", {{"action_id", failed.id}, {"kind", failed.kind}, {"status", failed.status},
                                        {"reason", detail}});
      after_failure(work, c, failed, answer, detail);
      return;
    }
  }
}

void on_order_action_result(CaseWork &work, const EventView &event) {
  const std::string id = text_of(event.data, "action_id");
  const bool ok = text_of(event.data, "status") == "succeeded";
  Order *order = work.order() ? &work.edit_order() : nullptr;
  if (!order || !order->find_action(id)) {
    for (const CaseRecord *c : work.active_cases())
      work.log(*c, "event", "host", {{"action_id", id}, {"rejected", "unknown order action"}});
    return;
  }
  Effect e;
  e.id = id;
  e.kind = "order_action";
  const std::string why = optional_text_of(event.data, "reason").value_or(ok ? "" : "failed");
  settle_order_action(work, nullptr, e, ok ? HostAnswer::done : HostAnswer::rejected, event.data, why);
}

}  // namespace ordercare::domain
