#include "domain/order_actions.h"

#include <algorithm>

#include "common/failure.h"
#include "common/value_ranges.h"
#include "domain/case_state_machine.h"
#include "domain/effect_keys.h"
#include "domain/event_handlers.h"
#include "domain/priority.h"
#include "domain/return_rules.h"
#include "ingest/currency.h"

namespace ordercare::domain {

namespace {

std::string money(std::int64_t minor, const std::string &currency) {
  return ingest::format_money(minor, currency);
}

// The call an agent makes for the kind, for messages.
std::string command_name(const std::string &kind) {
  return kind == "return_label" ? "return.label" : "order." + kind;
}

// Units of a line that actions of `kind` hold already.
std::int64_t committed_quantity(const Order &order, const std::string &kind, const std::string &line_id) {
  std::int64_t n = 0;
  for (const auto &a : order.actions)
    if (a.kind == kind && a.committed())
      for (const auto &l : a.lines)
        if (l.line_id == line_id) n += l.quantity;
  return n;
}

// Units of a line on its way back in returns that stand.
std::int64_t returned_quantity(const std::vector<ReturnRecord> &returns, const std::string &line_id) {
  std::int64_t n = 0;
  for (const auto &r : returns) {
    if (r.status == ReturnStatus::rejected || r.status == ReturnStatus::cancelled) continue;
    for (const auto &item : r.items)
      if (item.eligible && item.line_id == line_id) n += item.quantity;
  }
  return n;
}

std::int64_t committed_offers(const Order &order) {
  std::int64_t n = 0;
  for (const auto &a : order.actions)
    if (a.kind == "offer" && a.committed()) n += a.amount;
  return n;
}

// Names each line from the order; a line named twice is one line with the
// quantities added, and a quantity of 0 means all of it.
std::vector<ActionLine> complete_lines(const Order &order, const std::vector<ActionLine> &wanted,
                                       const std::string &command) {
  if (wanted.empty()) fail(OC_ERR_SCHEMA, "args: lines: give at least one line of the order");
  std::vector<ActionLine> out;
  for (const auto &want : wanted) {
    auto line = std::find_if(order.items.begin(), order.items.end(),
                             [&](const OrderLine &l) { return l.line_id == want.line_id; });
    if (line == order.items.end())
      fail(OC_ERR_REFUSED, command + ": order " + order.id + " has no line " + want.line_id);
    auto same = std::find_if(out.begin(), out.end(), [&](const ActionLine &l) {
      return l.line_id == want.line_id && l.new_sku == want.new_sku;
    });
    const std::int64_t quantity = want.quantity > 0 ? want.quantity : line->quantity;
    if (same != out.end()) {
      same->quantity += quantity;  // each at most 10^6 and few lines: no overflow
      continue;
    }
    out.push_back({line->line_id, line->sku, line->name, quantity, want.new_sku});
  }
  return out;
}

// Never more of a line than was ordered: reshipped, exchanged (or being
// returned), or sent a return label for, counted with what was asked before.
void check_quantities(const Order &order, const std::vector<ReturnRecord> &returns, const std::string &kind,
                      const std::vector<ActionLine> &lines, const std::string &command) {
  for (const auto &l : lines) {
    std::int64_t ordered = 0;
    for (const auto &line : order.items)
      if (line.line_id == l.line_id) ordered += line.quantity;
    std::int64_t used = committed_quantity(order, kind, l.line_id);
    std::string what = kind == "reship" ? "reshipped" : kind == "exchange" ? "exchanged" : "sent a return label";
    if (kind == "exchange") {
      used += returned_quantity(returns, l.line_id);
      what = "exchanged or returned";
    }
    if (used + l.quantity > ordered)
      fail(OC_ERR_REFUSED, command + ": line " + l.line_id + " (" + l.sku + ") of order " + order.id + " was ordered " +
                               std::to_string(ordered) + " time(s) and " + std::to_string(used) + " already " + what +
                               "; at most " + std::to_string(std::max<std::int64_t>(ordered - used, 0)) + " more");
  }
}

std::string lines_text(const std::vector<ActionLine> &lines) {
  std::string out;
  for (const auto &l : lines) {
    out += (out.empty() ? "" : ", ") + std::to_string(l.quantity) + " x " + (l.name.empty() ? l.sku : l.name) +
           " (" + l.sku + ")";
    if (!l.new_sku.empty()) out += " for " + l.new_sku;
  }
  return out;
}

std::string item_names(const std::vector<ActionLine> &lines) {
  std::string out;
  for (const auto &l : lines) out += (out.empty() ? "" : ", ") + (l.name.empty() ? l.sku : l.name);
  return out;
}

std::string offer_words(const std::string &offer) {
  if (offer == "discount_code") return "a discount code";
  if (offer == "free_expedited_shipping") return "free expedited shipping";
  return "store credit";
}

// The action in a sentence, for the team's task and the case log. Without
// its reason, which may be an agent's or a customer's words and is kept
// sealed apart.
std::string summary(const OrderAction &a, const Order &order) {
  if (a.kind == "reship")
    return "Reship " + lines_text(a.lines) + " by " + a.shipping_speed + " shipping" +
           (a.only_if_in_stock ? " if in stock" : "");
  if (a.kind == "exchange") return "Exchange " + lines_text(a.lines);
  if (a.kind == "cancel") return "Cancel order " + order_name(order) + " before it ships";
  if (a.kind == "return_label")
    return "Send the customer a prepaid return label for " + lines_text(a.lines) +
           (a.return_id ? " (return " + *a.return_id + ")" : "");
  return "Offer " + offer_words(a.offer) + " worth " + money(a.amount, order.currency);
}

// What the team needs to send back for each kind (seed 004's "What CS
// needs from you").
std::vector<std::string> needs_back(const OrderAction &a) {
  if (a.kind == "reship" || a.kind == "exchange") return {"Ship date and carrier", "Tracking for the new shipment"};
  if (a.kind == "cancel") return {"Cancelled: Yes/No", "If no: Clear reason (already shipped?)"};
  if (a.kind == "return_label") return {"The label's link and its tracking number"};
  return {"The code or credit issued"};
}

const std::string &team_for(const Policy &policy, const OrderAction &a, const CaseRecord &c) {
  if (a.kind == "cancel") return policy.teams.fulfilment;
  if (a.kind == "offer") return c.team;
  return policy.teams.warehouse;
}

// The request the host's order_action callback receives (CALLBACKS.md).
Json request_body(const Order &order, const OrderAction &a, const CaseRecord &c) {
  Json body = {{"action", a.kind},
               {"action_id", a.id},
               {"order_id", order.id},
               {"case_id", c.id},
               {"order_status", to_string(order.status)},
               {"reason", a.reason}};
  if (!order.customer_id.empty()) body["customer_id"] = order.customer_id;
  if (!a.lines.empty()) {
    Json lines = Json::array();
    for (const auto &l : a.lines) {
      Json line = {{"line_id", l.line_id}, {"sku", l.sku}, {"quantity", l.quantity}};
      if (!l.name.empty()) line["name"] = l.name;
      if (!l.new_sku.empty()) line["new_sku"] = l.new_sku;
      lines.push_back(std::move(line));
    }
    body["lines"] = std::move(lines);
  }
  if (!a.shipping_speed.empty()) body["shipping_speed"] = a.shipping_speed;
  if (a.kind == "reship") body["only_if_in_stock"] = a.only_if_in_stock;
  if (a.return_id) body["return_id"] = *a.return_id;
  if (a.kind == "offer")
    body["offer"] = {{"type", a.offer}, {"amount", {{"amount", a.amount}, {"currency", order.currency}}}};
  return body;
}

// Asks for a booked action: of the host, or of a team when the host has no
// order_action callback.
void ask(CaseWork &work, CaseRecord &c, OrderAction &a) {
  const Order &order = *work.order();
  if (!work.state().order_actions) {
    a.status = "team_task";
    std::vector<std::string> needs{summary(a, order) + (a.reason.empty() ? "" : ": " + a.reason)};
    for (auto &need : needs_back(a)) needs.push_back(std::move(need));
    work.notify_team(c, team_for(work.policy(), a, c), "team_cs_request", std::move(needs), order_variables(&order),
                     "action-" + a.id);
    return;
  }
  a.status = "requested";
  Effect e;
  e.id = a.id;
  e.kind = "order_action";
  e.case_id = c.id;
  e.order_id = order.id;
  if (!order.customer_id.empty()) e.customer_id = order.customer_id;
  e.payload = request_body(order, a, c);
  work.queue_effect(std::move(e));
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
  if (a.kind == "offer" && a.agent == "system" && c->type == IssueType::shipping_delay && vars.contains("eta")) {
    // The delay notice waited for the offer; it goes without one.
    vars["delay.reason"] = a.reason;
    work.notify_customer(*c, "shipping_delay", vars, "delay-update");
  }
  add_unique(c->follow_ups, summary(a, order) + ": " + (answer == HostAnswer::gave_up ? "gave up" : "rejected") + ": " + why);
  if (is_active(c->status))
    work.escalate(*c, "host could not carry out " + a.kind + " " + a.id + " (" + why + ")",
                  work.policy().red_flags.default_contact, "system");
}

CaseRecord *case_in(CaseWork &work, const std::optional<std::string> &id) {
  if (!id) return nullptr;
  for (const auto &known : work.state().cases)
    if (known.id == *id) return &work.edit(known);
  return nullptr;
}

// The lines a case is about: its SKUs' lines, or the only line of the order.
std::vector<ActionLine> lines_of_case(const Order &order, const CaseRecord &c) {
  std::vector<ActionLine> out;
  for (const auto &line : order.items)
    if (std::find(c.skus.begin(), c.skus.end(), line.sku) != c.skus.end())
      out.push_back({line.line_id, line.sku, line.name, line.quantity, ""});
  if (out.empty() && order.items.size() == 1)
    out.push_back({order.items[0].line_id, order.items[0].sku, order.items[0].name, order.items[0].quantity, ""});
  return out;
}

// A playbook's action that policy or arithmetic refuses is not the
// customer's problem: the case says why, and a person acts.
void try_request(CaseWork &work, CaseRecord &c, const ActionRequest &request) {
  try {
    request_action(work, c, request);
  } catch (const Failure &refused) {
    work.log(c, "action", "system", {{"kind", request.kind}, {"status", "not_asked"}, {"detail", refused.what()}});
    add_unique(c.follow_ups, std::string("Playbook action not asked: ") + refused.what());
  }
}

}  // namespace

const OrderAction &request_action(CaseWork &work, CaseRecord &c, ActionRequest r) {
  const std::string command = command_name(r.kind);
  if (!work.order()) fail(OC_ERR_NOT_FOUND, command + ": the order of case " + c.id + " is not known");
  const Order &known = *work.order();
  if (known.status == OrderStatus::cancelled)
    fail(OC_ERR_TRANSITION, command + ": order " + known.id + " is cancelled");
  OrderAction a;
  a.kind = r.kind;
  a.reason = r.reason;
  a.case_id = c.id;
  a.agent = r.agent;
  a.requested_at = work.now();
  if (r.kind == "reship" || r.kind == "exchange") {
    a.lines = complete_lines(known, r.lines, command);
    if (r.kind == "exchange")
      for (const auto &l : a.lines)
        if (l.new_sku.empty()) fail(OC_ERR_SCHEMA, "args: lines: each line of an exchange needs new_sku");
    check_quantities(known, work.state().returns, r.kind, a.lines, command);
    a.shipping_speed = r.shipping_speed.empty() ? "standard" : r.shipping_speed;
    a.only_if_in_stock = r.kind == "reship" && r.only_if_in_stock;
  } else if (r.kind == "return_label") {
    a.shipping_speed = r.shipping_speed.empty() ? "standard" : r.shipping_speed;
    if (r.return_id) {
      const ReturnRecord *ret = nullptr;
      for (const auto &known_return : work.state().returns)
        if (known_return.id == *r.return_id) ret = &known_return;
      if (!ret) fail(OC_ERR_NOT_FOUND, "no return with id '" + *r.return_id + "'");
      require_transition(*ret, ReturnStatus::label_issued, command);
      if (ret->keep_item)
        fail(OC_ERR_REFUSED, command + ": return " + ret->id + " needs no label, the customer keeps the item");
      for (const auto &other : known.actions)
        if (other.kind == "return_label" && other.return_id == r.return_id && other.open())
          fail(OC_ERR_REFUSED, command + ": a label for return " + ret->id + " is already asked for (" + other.id + ")");
      a.return_id = ret->id;
      for (const auto &item : ret->items)
        if (item.eligible) a.lines.push_back({item.line_id, item.sku, item.name, item.quantity, ""});
    } else {
      a.lines = complete_lines(known, r.lines, command);
      check_quantities(known, work.state().returns, r.kind, a.lines, command);
    }
  } else if (r.kind == "cancel") {
    if (progress_rank(known.status) >= progress_rank(OrderStatus::shipped))
      fail(OC_ERR_TRANSITION, command + ": order " + known.id + " is " + std::string(to_string(known.status)) +
                                  ": too late to cancel; offer the return options instead");
    for (const auto &other : known.actions)
      if (other.kind == "cancel" && other.committed())
        fail(OC_ERR_REFUSED, command + ": order " + known.id + " is already being cancelled (" + other.id + ")");
  } else if (r.kind == "offer") {
    if (r.offer != "discount_code" && r.offer != "free_expedited_shipping" && r.offer != "store_credit")
      fail(OC_ERR_SCHEMA, "args: offer: expected \"discount_code\", \"free_expedited_shipping\" or \"store_credit\"");
    if (r.currency != known.currency)
      fail(OC_ERR_REFUSED, command + ": order " + known.id + " is in " + known.currency + "; an offer is made in it (got " +
                               r.currency + ")");
    if (r.amount <= 0) fail(OC_ERR_REFUSED, command + ": the amount must be positive");
    const std::int64_t cap = offer_cap(work.policy().offers, known.currency);
    const std::int64_t given = committed_offers(known);
    if (r.amount > cap - given)
      fail(OC_ERR_REFUSED, command + ": order " + known.id + " has " + money(given, known.currency) +
                               " of offers; the cap is " + money(cap, known.currency) + " per order (policy.offers.cap_per_order), so at most " +
                               money(std::max<std::int64_t>(cap - given, 0), known.currency) + " more");
    a.offer = r.offer;
    a.amount = r.amount;
  } else {
    fail(OC_ERR_INTERNAL, "unknown order action " + r.kind);
  }
  // Everything is checked: the action is booked, then asked for.
  Order &order = work.edit_order();
  std::int64_t n = 1;
  for (const auto &other : order.actions) n += other.kind == a.kind;
  a.id = effect_key({a.kind, order.id, std::to_string(n)});
  a.status = "held";
  order.actions.push_back(std::move(a));
  OrderAction &booked = order.actions.back();
  if (!r.held) ask(work, c, booked);
  work.log(c, "action", r.agent,
           {{"action_id", booked.id}, {"kind", booked.kind}, {"status", booked.status},
            {"summary", summary(booked, order)}, {"reason", booked.reason}});
  add_unique(c.follow_ups, summary(booked, order) + ": " +
                               (booked.status == "held" ? "waits for the warehouse to confirm"
                                : booked.status == "team_task" ? "asked of the " + team_for(work.policy(), booked, c) + " team"
                                                               : "asked of the host") +
                               " (" + booked.id + ")");
  return booked;
}

Decision decide_order_action(const Snapshot &state, const OrderActionCommand &cmd, TimeMs now, const Policy &policy) {
  const std::string command = command_name(cmd.request.kind);
  if (cmd.request.reason.empty() && cmd.request.kind != "return_label") fail(OC_ERR_SCHEMA, "args: reason: required");
  CaseWork work(state, nullptr, now, policy, cmd.command_id);
  if (!work.order()) fail(OC_ERR_NOT_FOUND, "no order with id '" + cmd.order_id + "'");
  CaseRecord *c = case_in(work, cmd.case_id);
  if (!c) fail(OC_ERR_NOT_FOUND, command + ": order " + cmd.order_id + " has no case '" + cmd.case_id + "'");
  if (!is_active(c->status))
    fail(OC_ERR_TRANSITION, command + ": case " + c->id + " is " + std::string(to_string(c->status)) + "; reopen it first");
  ActionRequest request = cmd.request;
  if (request.kind == "return_label" && request.reason.empty()) request.reason = request.return_id ? "return" : "agent";
  // No lines named: the case's items, as the playbooks take them.
  if ((request.kind == "reship" || (request.kind == "return_label" && !request.return_id)) && request.lines.empty())
    request.lines = lines_of_case(*work.order(), *c);
  request_action(work, *c, std::move(request));
  return work.finish();
}

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

void release_held_actions(CaseWork &work, CaseRecord &c, bool confirmed, const std::string &agent) {
  if (!work.order()) return;
  bool any = false;
  for (const auto &a : work.order()->actions) any = any || (a.status == "held" && a.case_id == c.id);
  if (!any) return;
  Order &order = work.edit_order();
  for (auto &a : order.actions) {
    if (a.status != "held" || a.case_id != c.id) continue;
    if (confirmed) {
      ask(work, c, a);
    } else {
      a.status = "dropped";
      a.completed_at = work.now();
      add_unique(c.follow_ups, summary(a, order) + ": dropped, the warehouse did not confirm");
    }
    work.log(c, "action", agent, {{"action_id", a.id}, {"kind", a.kind}, {"status", a.status},
                                  {"warehouse_confirmed", confirmed}});
  }
}

void plan_item_actions(CaseWork &work, CaseRecord &c) {
  if (!work.state().order_actions || !work.order() || !work.is_new(c)) return;
  const std::vector<ActionLine> lines = lines_of_case(*work.order(), c);
  if (lines.empty()) return;  // the case names no item: the team finds out, as before
  ActionRequest reship;
  reship.kind = "reship";
  reship.lines = lines;
  reship.reason = std::string(to_string(c.type));
  if (c.type == IssueType::wrong_item) {
    // Seed 004 "Ship replacement: rush ship if available"; "Email return label".
    reship.shipping_speed = "expedited";
    try_request(work, c, reship);
    ActionRequest label;
    label.kind = "return_label";
    label.lines = lines;
    label.reason = "wrong_item";
    try_request(work, c, label);
  } else if (c.type == IssueType::damaged_item) {
    // Seed 004 "Immediate: ship replacement if in stock".
    reship.only_if_in_stock = true;
    try_request(work, c, reship);
  } else if (c.type == IssueType::missing_item) {
    // Seed 000 "Verify with the warehouse team and send the missing item".
    reship.held = true;
    try_request(work, c, reship);
    if (can_transition(c.status, CaseStatus::waiting_warehouse))
      work.change_status(c, CaseStatus::waiting_warehouse, "system", "missing item: warehouse to confirm");
  }
}

bool offer_for_delay(CaseWork &work, CaseRecord &c, const std::string &delay_reason) {
  const OfferPolicy &policy = work.policy().offers;
  const Order *order = work.order();
  if (!work.state().order_actions || !policy.on_delay || !order || !order->promised_by || order->shipments.empty())
    return false;
  const auto &eta = order->shipments.back().eta;
  if (!eta || *eta <= *order->promised_by) return false;  // still on time: no offer needed
  for (const auto &a : order->actions)
    if (a.kind == "offer" && a.case_id == c.id && a.committed()) return false;  // offered already
  const std::int64_t room = offer_cap(policy, order->currency) - committed_offers(*order);
  const std::int64_t amount = std::min(order->total * policy.delay_percent / 100, room);
  if (amount <= 0) return false;
  ActionRequest offer;
  offer.kind = "offer";
  offer.offer = policy.delay_offer;
  offer.amount = amount;
  offer.currency = order->currency;
  offer.reason = delay_reason;
  try {
    request_action(work, c, std::move(offer));
  } catch (const Failure &) {
    return false;
  }
  return true;
}

void cancel_via_host(CaseWork &work, CaseRecord &c, const std::string &reason) {
  ActionRequest cancel;
  cancel.kind = "cancel";
  cancel.reason = reason.empty() ? "customer asked to cancel" : reason;
  try_request(work, c, cancel);
}

}  // namespace ordercare::domain
