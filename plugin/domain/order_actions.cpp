#include "domain/order_actions.h"

#include <algorithm>

#include "common/currency.h"
#include "common/failure.h"
#include "domain/case_state_machine.h"
#include "domain/effect_keys.h"
#include "domain/order_action_parts.h"
#include "domain/priority.h"
#include "domain/return_rules.h"

namespace ordercare::domain {

namespace {

std::string money(std::int64_t minor, const std::string &currency) {
  return format_money(minor, currency);
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

}  // namespace

std::int64_t committed_offers(const Order &order) {
  std::int64_t n = 0;
  for (const auto &a : order.actions)
    if (a.kind == "offer" && a.committed()) n += a.amount;
  return n;
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

std::string action_summary(const OrderAction &a, const Order &order) {
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

void ask_for_action(CaseWork &work, CaseRecord &c, OrderAction &a) {
  const Order &order = *work.order();
  if (!work.state().order_actions) {
    a.status = "team_task";
    std::vector<std::string> needs{action_summary(a, order) + (a.reason.empty() ? "" : ": " + a.reason)};
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

CaseRecord *case_in(CaseWork &work, const std::optional<std::string> &id) {
  if (!id) return nullptr;
  for (const auto &known : work.state().cases)
    if (known.id == *id) return &work.edit(known);
  return nullptr;
}

std::vector<ActionLine> lines_of_case(const Order &order, const CaseRecord &c) {
  std::vector<ActionLine> out;
  for (const auto &line : order.items)
    if (std::find(c.skus.begin(), c.skus.end(), line.sku) != c.skus.end())
      out.push_back({line.line_id, line.sku, line.name, line.quantity, ""});
  if (out.empty() && order.items.size() == 1)
    out.push_back({order.items[0].line_id, order.items[0].sku, order.items[0].name, order.items[0].quantity, ""});
  return out;
}

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
  if (!r.held) ask_for_action(work, c, booked);
  work.log(c, "action", r.agent,
           {{"action_id", booked.id}, {"kind", booked.kind}, {"status", booked.status},
            {"summary", action_summary(booked, order)}, {"reason", booked.reason}});
  add_unique(c.follow_ups, action_summary(booked, order) + ": " +
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

void release_held_actions(CaseWork &work, CaseRecord &c, bool confirmed, const std::string &agent) {
  if (!work.order()) return;
  bool any = false;
  for (const auto &a : work.order()->actions) any = any || (a.status == "held" && a.case_id == c.id);
  if (!any) return;
  Order &order = work.edit_order();
  for (auto &a : order.actions) {
    if (a.status != "held" || a.case_id != c.id) continue;
    if (confirmed) {
      ask_for_action(work, c, a);
    } else {
      a.status = "dropped";
      a.completed_at = work.now();
      add_unique(c.follow_ups, action_summary(a, order) + ": dropped, the warehouse did not confirm");
    }
    work.log(c, "action", agent, {{"action_id", a.id}, {"kind", a.kind}, {"status", a.status},
                                  {"warehouse_confirmed", confirmed}});
  }
}

}  // namespace ordercare::domain
