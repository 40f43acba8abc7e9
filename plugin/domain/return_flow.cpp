#include "domain/return_flow.h"

#include <algorithm>

#include "common/crypto.h"
#include "common/currency.h"
#include "common/failure.h"
#include "common/value_ranges.h"
#include "domain/agent_messages.h"
#include "domain/case_state_machine.h"
#include "domain/case_work.h"
#include "domain/event_handlers.h"
#include "domain/location_clocks.h"
#include "domain/locations.h"
#include "domain/order_actions.h"
#include "domain/priority.h"

namespace ordercare::domain {

namespace {

std::string money(std::int64_t minor, const std::string &currency) {
  return format_money(minor, currency);
}

CaseRecord *case_of(CaseWork &work, const ReturnRecord &r) {
  if (!r.case_id) return nullptr;
  for (const CaseRecord *c : work.active_cases())
    if (c->id == *r.case_id) return &work.edit(*c);
  for (const auto &c : work.state().cases)
    if (c.id == *r.case_id) return &work.edit(c);
  return nullptr;
}

Json return_variables(const CaseWork &work, const ReturnRecord &r) {
  Json vars = order_variables(work.order());
  vars["return.id"] = r.id;
  return vars;
}

// Books a refund on the order, queues the request to the host and notes it.
void issue_refund(CaseWork &work, ReturnRecord *r, std::int64_t amount, const std::string &method,
                  const std::string &reason, const std::string &actor) {
  Order &order = work.edit_order();
  CaseRecord *c = r ? case_of(work, *r) : nullptr;
  const RefundRecord &refund =
      book_refund(order, r, c ? std::optional<std::string>(c->id) : std::nullopt, amount, method, reason, work.now());
  work.queue_effect(refund_effect(order, refund, r));
  if (c) {
    work.log(*c, "refund", actor,
             {{"refund_id", refund.id}, {"amount", money(amount, order.currency)}, {"method", method},
              {"reason", reason}});
    add_unique(c->follow_ups, "Refund of " + money(amount, order.currency) + " requested (" + refund.id + ")");
  }
}

// What policy refunds a return now: what it is still owed, but never more
// than what remains of the order. A refund made elsewhere (order.refund)
// may have used some of it, and a customer's request or a warehouse's
// receipt is a fact that must not be refused for that; the case says so.
std::int64_t owed_now(CaseWork &work, ReturnRecord &r) {
  const std::int64_t owed = refund_remaining(r, *work.order());
  const std::int64_t left = work.order()->refundable();
  if (owed <= left) return owed;
  if (CaseRecord *c = case_of(work, r))
    add_unique(c->follow_ups, "Return " + r.id + " is owed " + money(owed, r.currency) + " but only " +
                                  money(left, r.currency) + " of the order is left to refund");
  return left;
}

// The item as the customer knows it.
std::string item_label(const ReturnItem &item) {
  return item.name.empty() ? (item.sku.empty() ? "line " + item.line_id : item.sku) : item.name;
}

// Why the items policy turned down cannot come back, item by item, in the
// words the customer notice uses ("Mug: final-sale item; Tea: outside the
// 30-day return window (delivered 2026-10-01)").
std::string declined_reasons(const ReturnRecord &r, const std::string &separator) {
  std::string out;
  for (const auto &item : r.items)
    if (!item.eligible) out += (out.empty() ? "" : separator) + item_label(item) + ": " + item.decision;
  return out;
}

// A request approved for some of its items tells the customer which, and
// why the others cannot come back (nothing is refunded for them).
void explain_partial_approval(CaseWork &work, CaseRecord &c, const ReturnRecord &r) {
  std::string accepted;
  for (const auto &item : r.items)
    if (item.eligible) accepted += (accepted.empty() ? "- " : "\n- ") + std::to_string(item.quantity) + " x " + item_label(item);
  Json vars = return_variables(work, r);
  vars["return.accepted_items"] = accepted;
  vars["return.declined_items"] = "- " + declined_reasons(r, "\n- ");
  work.notify_customer(c, "return_partly_approved", vars, "return-partly-approved-" + r.id);
}

void approve(CaseWork &work, ReturnRecord &r, const std::string &actor, const std::string &why) {
  require_transition(r, ReturnStatus::approved, "return.approve");
  r.status = ReturnStatus::approved;
  r.approved_at = work.now();
  if (!why.empty()) r.decisions.push_back(why);
  if (CaseRecord *c = case_of(work, r)) {
    work.log(*c, "return", actor, {{"return_id", r.id}, {"status", "approved"}, {"decisions", r.decisions}});
    if (c->initial_action.empty() || c->initial_action == work.policy().playbook(IssueType::return_request).initial_action)
      c->initial_action = "Return " + r.id + " approved" + (r.keep_item ? ": customer keeps the item" : "");
    const bool partly = std::any_of(r.items.begin(), r.items.end(), [](const ReturnItem &i) { return !i.eligible; }) &&
                        std::any_of(r.items.begin(), r.items.end(), [](const ReturnItem &i) { return i.eligible; });
    if (partly) explain_partial_approval(work, *c, r);
  }
  // Refund at once when policy says so (keep the item, low value, trusted).
  const std::int64_t due = owed_now(work, r);
  if ((r.keep_item || r.instant_refund) && due > 0)
    issue_refund(work, &r, due, "original", r.keep_item ? "return kept by customer" : "instant refund", actor);
}

void reject(CaseWork &work, ReturnRecord &r, const std::string &actor, const std::string &reason) {
  require_transition(r, ReturnStatus::rejected, "return.reject");
  r.status = ReturnStatus::rejected;
  r.rejection_reason = reason;
  if (CaseRecord *c = case_of(work, r)) {
    work.log(*c, "return", actor, {{"return_id", r.id}, {"status", "rejected"}, {"reason", reason}});
    Json vars = return_variables(work, r);
    vars["return.reason"] = reason;
    work.notify_customer(*c, "return_rejected", vars, "return-rejected-" + r.id);
  }
}

// The rest of a return may come in another parcel: receiving stays legal
// after a first receipt or inspection (receive_items refuses an item
// received already, OC_ERR_REFUSED).
void require_receivable(const ReturnRecord &r, const std::string &command) {
  if (r.status == ReturnStatus::received || r.status == ReturnStatus::inspected) return;
  require_transition(r, ReturnStatus::received, command);
}

void refund_after_inspection(CaseWork &work, ReturnRecord &r, const std::string &actor) {
  if (!work.policy().returns.refund_on_inspection) return;
  // What is refunded is what came back: while items are still expected the
  // refund waits for them (an agent may refund part with return.refund).
  std::int64_t missing = 0;
  for (const auto &item : r.items)
    if (item.eligible) missing += item.quantity - item.received;
  if (missing > 0) {
    if (CaseRecord *c = case_of(work, r))
      add_unique(c->follow_ups, "Return " + r.id + ": " + std::to_string(missing) +
                                    " item(s) not received yet; the refund waits for them");
    return;
  }
  const std::int64_t due = owed_now(work, r);
  if (due > 0)
    issue_refund(work, &r, due, "original", "return inspected", actor);
}

std::vector<RequestedItem> requested_items(const Json &items) {
  std::vector<RequestedItem> out;
  for (const auto &item : items)
    out.push_back({text_of(item, "line_id"), item.value("quantity", std::int64_t{0}), text_of(item, "reason"),
                   text_of(item, "condition")});
  return out;
}

std::vector<ReturnRecord> returns_of(const Snapshot &state) { return state.returns; }

std::vector<ReceivedItem> received_items(const Json &items) {
  std::vector<ReceivedItem> out;
  for (const auto &item : items)
    out.push_back({text_of(item, "line_id"), item.value("quantity", std::int64_t{0}), text_of(item, "condition")});
  return out;
}

// Every item taken in has its condition: the return can be processed.
bool conditions_known(const ReturnRecord &r) {
  return std::all_of(r.items.begin(), r.items.end(),
                     [](const ReturnItem &i) { return i.received == 0 || !i.received_condition.empty(); });
}

// Seed 004 "Customer returning item to store", steps 2 to 5 at once:
// resellable -> back to stock at this store, damaged -> its returns area
// (no stock; the item says so), the return processed and the refund
// decided now (a store refunds the same day whatever refund_on_inspection
// says), the same-day clock met.
void inspect_at_store(CaseWork &work, ReturnRecord &r, const std::vector<ReceivedItem> &items, const Location &store,
                      const std::string &actor) {
  ReturnPolicy policy = work.policy().returns;
  policy.restock_location = store.id;
  for (auto &effect : inspect_items(r, items, work.now(), policy))
    if (effect.payload.value("reason", "") != "return_damaged") work.queue_effect(std::move(effect));
  Json dispositions = Json::array();
  for (auto &item : r.items) {
    if (item.disposition == "scrapped") item.disposition = "returns_area";
    if (!item.disposition.empty())
      dispositions.push_back({{"line_id", item.line_id}, {"condition", item.received_condition},
                              {"disposition", item.disposition}});
  }
  r.status = ReturnStatus::inspected;
  CaseRecord *c = case_of(work, r);
  if (c) {
    work.log(*c, "return", actor, {{"return_id", r.id}, {"status", "inspected"}, {"location", store.id},
                                   {"items", dispositions}});
    meet_location_clock(*c, kStoreReturnClock, work.now());
  }
  const std::int64_t due = owed_now(work, r);
  if (due > 0) issue_refund(work, &r, due, "original", "return processed at store " + store.id, actor);
}

// Taken in at a store: processed now when every item's condition is known,
// else the store's day clock runs until it is (return.inspect).
void received_at_store(CaseWork &work, ReturnRecord &r, const std::vector<ReceivedItem> &items,
                       const Location &store, const std::string &actor) {
  r.received_at_store = store.id;
  CaseRecord *c = case_of(work, r);
  if (c) c->location = store.id;
  if (conditions_known(r)) return inspect_at_store(work, r, items, store, actor);
  if (c && !c->clock(kStoreReturnClock))
    start_location_clock(*c, kStoreReturnClock, work.now(), end_of_store_day(store, work.now()));
  if (c)
    add_unique(c->follow_ups, "Return " + r.id + " taken in at " + store.id +
                                  ": check each item's condition and process it before the store closes");
}

// A customer walks into a store with items and no RMA: the return is made
// on the spot from the order and its lines, by the return policy (an item
// policy would refuse cannot be taken back: the event is refused and
// changes nothing), then received and processed like any other.
void take_walk_in(CaseWork &work, const EventView &event, const Location &store) {
  const Json &data = event.data;
  // Not kept for later: the items are on the counter now, and a return
  // refused once the order arrived could not be answered to anyone.
  if (!work.order())
    fail(OC_ERR_NOT_FOUND, "return.received: order " + text_of(data, "order_id") +
                               " is not known; submit its order.created first");
  const std::string id = optional_text_of(data, "return_id")
                             .value_or("R-" + crypto::hex_encode(crypto::sha256(event.id)).substr(0, 10));
  std::vector<RequestedItem> wanted;
  for (const auto &item : data["items"])
    wanted.push_back({text_of(item, "line_id"), item.value("quantity", std::int64_t{0}),
                      optional_text_of(item, "reason").value_or("changed_mind"), ""});
  ReturnRecord r = build_return(id, *work.order(), work.customer(), wanted, returns_of(work.state()), work.now(),
                                work.policy().returns);
  if (std::any_of(r.items.begin(), r.items.end(), [](const ReturnItem &i) { return !i.eligible; }))
    fail(OC_ERR_REFUSED, "return.received: walk-in return at " + store.id + " cannot be taken back: " +
                             declined_reasons(r, "; "));
  // The items are on the counter: nothing is kept, nothing refunded before
  // they are checked.
  r.keep_item = false;
  r.instant_refund = false;
  r.decisions.erase(std::remove_if(r.decisions.begin(), r.decisions.end(),
                                   [](const std::string &d) {
                                     return d.find("keeps the item") != std::string::npos ||
                                            d.find("refund at approval") != std::string::npos;
                                   }),
                    r.decisions.end());
  r.walk_in = true;
  CaseRecord &c = work.case_for(IssueType::return_request, Origin::system, "walk-in return at store " + store.id, "store");
  r.case_id = c.id;
  c.location = store.id;
  if (c.initial_action.empty()) c.initial_action = "Walk-in return taken at " + store.name + " without an RMA";
  // The store's staff took it in: a person has acted on the case.
  c.acted_at = work.now();
  add_unique(c.return_ids, r.id);
  for (const auto &item : r.items)
    if (!item.sku.empty()) add_unique(c.skus, item.sku);
  work.log(c, "return", "store", {{"return_id", r.id}, {"status", "requested"}, {"walk_in", true},
                                  {"location", store.id}, {"decisions", r.decisions}});
  ReturnRecord &added = work.add_return(std::move(r));
  approve(work, added, "store", "walk-in return taken at store " + store.id);
  const std::vector<ReceivedItem> items = received_items(data["items"]);
  receive_items(added, items, work.now());
  added.status = ReturnStatus::received;
  work.log(c, "return", "store", {{"return_id", added.id}, {"status", "received"}, {"location", store.id}});
  received_at_store(work, added, items, store, "store");
  settle(added, *work.order(), work.now());
}

}  // namespace

void on_return_requested(CaseWork &work, const EventView &event) {
  const Json &data = event.data;
  if (!work.order()) return wait_for_order(work, text_of(data, "order_id"));
  const std::string id = optional_text_of(data, "return_id")
                             .value_or("R-" + crypto::hex_encode(crypto::sha256(event.id)).substr(0, 10));
  if (work.find_return(id)) return;  // the same return requested again
  CaseRecord &c = work.case_for(IssueType::return_request, Origin::customer, "return requested", "web");
  if (work.is_new(c)) work.customer_wrote(c);
  ReturnRecord r = build_return(id, *work.order(), work.customer(), requested_items(data["items"]),
                                returns_of(work.state()), work.now(), work.policy().returns);
  r.case_id = c.id;
  if (auto photos = data.find("photos"); photos != data.end()) r.decisions.push_back("photos attached");
  Json notes = Json::array();
  for (const auto &item : data["items"])
    if (auto note = optional_text_of(item, "note")) notes.push_back(*note);
  if (!notes.empty()) r.pii["notes"] = notes;
  add_unique(c.return_ids, r.id);
  for (const auto &item : r.items) {
    if (!item.sku.empty()) add_unique(c.skus, item.sku);
    if (item.reason == "wrong_item") work.add_trigger(c, "wrong_item");
    if (item.reason == "damaged") work.add_trigger(c, "damaged_item");
  }
  Json items = Json::array();
  for (const auto &item : r.items)
    items.push_back({{"line_id", item.line_id}, {"eligible", item.eligible}, {"decision", item.decision}});
  work.log(c, "return", "customer", {{"return_id", r.id}, {"status", "requested"}, {"items", items},
                                     {"decisions", r.decisions}});
  ReturnRecord &added = work.add_return(std::move(r));
  start_playbook(work, c);
  bool eligible = false;
  for (const auto &item : added.items) eligible = eligible || item.eligible;
  if (eligible && work.policy().returns.auto_approve) approve(work, added, "system", "approved by policy");
  if (eligible) return;
  if (work.policy().returns.auto_reject) {
    // Policy can decide: nothing on the request may come back, and the
    // customer hears why at once rather than after an agent's look.
    reject(work, added, "system", declined_reasons(added, "; "));
    c.initial_action = "Return " + added.id + " rejected by policy; the customer was told why";
    add_unique(c.follow_ups, "Return " + added.id + " rejected by policy (returns.auto_reject); the customer was told why");
  } else {
    add_unique(c.follow_ups, "Return " + added.id + " is not eligible: reject it with the reason or approve an exception");
  }
}

void on_return_received(CaseWork &work, const EventView &event) {
  const Json &data = event.data;
  const std::optional<std::string> location = optional_text_of(data, "location");
  const Location *store = location ? work.policy().physical_locations().store(*location) : nullptr;
  const std::string id = text_of(data, "return_id");
  if (data.value("walk_in", false) && !work.find_return(id)) {
    if (!store)
      fail(OC_ERR_REFUSED, "return.received: a walk-in return is taken at a store: data.location must name a store "
                           "of the config's locations" + (location ? " (\"" + *location + "\" is not one)" : std::string()));
    return take_walk_in(work, event, *store);
  }
  ReturnRecord *r = work.find_return(id);
  if (!r) {
    // Nothing to apply it to: the event is kept in the log, and said so.
    for (const CaseRecord *c : work.active_cases())
      work.log(*c, "event", "warehouse", {{"return_id", id}, {"rejected", "unknown return"}});
    return;
  }
  const std::vector<ReceivedItem> items = received_items(data["items"]);
  CaseRecord *c = case_of(work, *r);
  try {
    require_receivable(*r, name_of(EventType::return_received));
    ReturnRecord next = *r;
    receive_items(next, items, work.now());
    next.status = ReturnStatus::received;
    *r = std::move(next);
  } catch (const Failure &refused) {
    // A warehouse report that does not fit (received twice, unknown line)
    // changes nothing; the case says why.
    if (c) work.log(*c, "event", "warehouse", {{"return_id", id}, {"rejected", refused.what()}});
    return;
  }
  if (store) {
    if (c) work.log(*c, "return", "store", {{"return_id", id}, {"status", "received"}, {"location", store->id}});
    received_at_store(work, *r, items, *store, "store");
    settle(*r, *work.order(), work.now());
    return;
  }
  if (c) work.log(*c, "return", "warehouse", {{"return_id", id}, {"status", "received"}});
  // Items taken in without their condition wait for return.inspect.
  if (!work.policy().returns.inspect_on_receipt || !conditions_known(*r)) return;
  ReturnPolicy policy = work.policy().returns;
  if (location) policy.restock_location = *location;
  for (auto &effect : inspect_items(*r, items, work.now(), policy)) work.queue_effect(std::move(effect));
  r->status = ReturnStatus::inspected;
  if (c) work.log(*c, "return", "warehouse", {{"return_id", id}, {"status", "inspected"}});
  refund_after_inspection(work, *r, "system");
  settle(*r, *work.order(), work.now());
}

void on_refund_result(CaseWork &work, const EventView &event) {
  const std::string refund_id = text_of(event.data, "refund_id");
  Effect e;
  e.id = refund_id;
  e.kind = "refund";
  const bool ok = text_of(event.data, "status") == "succeeded";
  std::string detail = optional_text_of(event.data, "reason").value_or(
      optional_text_of(event.data, "host_reference").value_or(""));
  if (!work.order() || !work.edit_order().find_refund(refund_id)) {
    for (const CaseRecord *c : work.active_cases())
      work.log(*c, "event", "host", {{"refund_id", refund_id}, {"rejected", "unknown refund"}});
    return;
  }
  Decision d = decide_effect_answer(work.state(), e, ok ? HostAnswer::done : HostAnswer::rejected, detail,
                                    work.now(), work.policy());
  // Fold the answer's decision into this one.
  if (d.order) work.set_order(*d.order, true);
  for (auto &c : d.cases) work.edit(c) = c;
  for (auto &r : d.returns)
    if (ReturnRecord *mine = work.find_return(r.id)) *mine = r;
  for (auto &entry : d.log) work.decision().log.push_back(std::move(entry));
  for (auto &esc : d.escalations) work.decision().escalations.push_back(std::move(esc));
  for (auto &effect : d.effects) work.queue_effect(std::move(effect));
}

Decision decide_return_command(const Snapshot &state, const ReturnCommand &cmd, TimeMs now,
                               const Policy &policy) {
  CaseWork work(state, nullptr, now, policy, cmd.command_id);
  ReturnRecord *r = work.find_return(cmd.return_id);
  if (!r) fail(OC_ERR_NOT_FOUND, "no return with id '" + cmd.return_id + "'");
  CaseRecord *c = case_of(work, *r);
  if (cmd.kind == "approve") {
    approve(work, *r, cmd.agent, cmd.reason.empty() ? "approved by " + cmd.agent : "exception: " + cmd.reason);
  } else if (cmd.kind == "reject") {
    if (cmd.reason.empty()) fail(OC_ERR_SCHEMA, "args: reason: required");
    reject(work, *r, cmd.agent, cmd.reason);
  } else if (cmd.kind == "issue_label") {
    require_transition(*r, ReturnStatus::label_issued, "return.issue_label");
    if (r->keep_item) fail(OC_ERR_REFUSED, "return.issue_label: return " + r->id + " needs no label, the customer keeps the item");
    // The customer notice is the label: without one there is nothing to
    // send, and the return must not look as if the customer had it.
    if (!cmd.label || cmd.label->find_first_not_of(" \t\r\n") == std::string::npos)
      fail(OC_ERR_REFUSED, "return.issue_label: return " + r->id +
                               " needs the label to send the customer: give label (its URL); the return stays " +
                               std::string(to_string(r->status)));
    r->status = ReturnStatus::label_issued;
    r->label_issued_at = now;
    r->label = cmd.label;
    if (c) {
      work.log(*c, "return", cmd.agent, {{"return_id", r->id}, {"status", "label_issued"}});
      Json vars = return_variables(work, *r);
      if (cmd.label) vars["return.label_url"] = *cmd.label;
      vars["return.ship_by"] = format_rfc3339(add_saturating(now, 14 * kDayMs)).substr(0, 10);
      work.notify_customer(*c, "return_approved", vars, "return-label-" + r->id);
    }
  } else if (cmd.kind == "in_transit") {
    require_transition(*r, ReturnStatus::in_transit, "return.in_transit");
    r->status = ReturnStatus::in_transit;
    if (c) work.log(*c, "return", cmd.agent, {{"return_id", r->id}, {"status", "in_transit"}});
  } else if (cmd.kind == "receive") {
    require_receivable(*r, "return.receive");
    receive_items(*r, cmd.items, now);
    r->status = ReturnStatus::received;
    if (c) work.log(*c, "return", cmd.agent, {{"return_id", r->id}, {"status", "received"}});
  } else if (cmd.kind == "inspect") {
    require_transition(*r, ReturnStatus::inspected, "return.inspect");
    const Location *store =
        r->received_at_store ? policy.physical_locations().store(*r->received_at_store) : nullptr;
    if (store) {
      inspect_at_store(work, *r, cmd.items, *store, cmd.agent);
      settle(*r, *work.order(), now);
      return work.finish();
    }
    for (auto &effect : inspect_items(*r, cmd.items, now, policy.returns)) work.queue_effect(std::move(effect));
    r->status = ReturnStatus::inspected;
    if (c) {
      Json items = Json::array();
      for (const auto &item : r->items)
        if (!item.disposition.empty()) items.push_back({{"line_id", item.line_id}, {"disposition", item.disposition}});
      work.log(*c, "return", cmd.agent, {{"return_id", r->id}, {"status", "inspected"}, {"items", items}});
    }
    refund_after_inspection(work, *r, cmd.agent);
  } else if (cmd.kind == "refund") {
    if (cmd.method != "original" && cmd.method != "store_credit")
      fail(OC_ERR_SCHEMA, "args: method: expected \"original\" or \"store_credit\"");
    if (r->status == ReturnStatus::requested || r->status == ReturnStatus::rejected ||
        r->status == ReturnStatus::cancelled || r->status == ReturnStatus::closed)
      fail(OC_ERR_TRANSITION, "return.refund: return " + r->id + " is " + std::string(to_string(r->status)) +
                                  "; it can be refunded once approved");
    const std::int64_t amount = cmd.amount.value_or(refund_remaining(*r, *work.order()));
    issue_refund(work, r, amount, cmd.method, cmd.reason.empty() ? "agent refund" : cmd.reason, cmd.agent);
  } else if (cmd.kind == "cancel") {
    require_transition(*r, ReturnStatus::cancelled, "return.cancel");
    if (outstanding_for(*work.order(), r->id) > 0 || refunded_for(*work.order(), r->id) > 0)
      fail(OC_ERR_REFUSED, "return.cancel: return " + r->id + " already has a refund");
    r->status = ReturnStatus::cancelled;
    if (c) work.log(*c, "return", cmd.agent, {{"return_id", r->id}, {"status", "cancelled"}, {"reason", cmd.reason}});
  } else {
    fail(OC_ERR_INTERNAL, "unknown return command " + cmd.kind);
  }
  settle(*r, *work.order(), now);
  return work.finish();
}

Decision decide_order_refund(const Snapshot &state, const OrderRefundCommand &cmd, TimeMs now,
                             const Policy &policy) {
  if (cmd.method != "original" && cmd.method != "store_credit")
    fail(OC_ERR_SCHEMA, "args: method: expected \"original\" or \"store_credit\"");
  if (cmd.reason.empty()) fail(OC_ERR_SCHEMA, "args: reason: required");
  CaseWork work(state, nullptr, now, policy, cmd.command_id);
  if (!work.order()) fail(OC_ERR_NOT_FOUND, "no order with id '" + cmd.order_id + "'");
  if (cmd.case_id && std::none_of(state.cases.begin(), state.cases.end(),
                                  [&](const CaseRecord &c) { return c.id == *cmd.case_id; }))
    fail(OC_ERR_NOT_FOUND, "order.refund: order " + cmd.order_id + " has no case '" + *cmd.case_id + "'");
  Order &order = work.edit_order();
  const RefundRecord &refund = book_refund(order, nullptr, cmd.case_id, cmd.amount, cmd.method, cmd.reason, now);
  work.queue_effect(refund_effect(order, refund, nullptr));
  if (cmd.case_id)
    for (const auto &c : state.cases)
      if (c.id == *cmd.case_id) {
        CaseRecord &copy = work.edit(c);
        work.log(copy, "refund", cmd.agent,
                 {{"refund_id", refund.id}, {"amount", money(cmd.amount, order.currency)}, {"reason", cmd.reason}});
        add_unique(copy.follow_ups, "Refund of " + money(cmd.amount, order.currency) + " requested");
      }
  return work.finish();
}

Decision decide_effect_answer(const Snapshot &state, const Effect &effect, HostAnswer answer,
                              const std::string &detail, TimeMs now, const Policy &policy, const Json &reply) {
  CaseWork work(state, nullptr, now, policy, "answer:" + effect.id);
  CaseRecord *c = nullptr;
  if (effect.case_id)
    for (const auto &known : state.cases)
      if (known.id == *effect.case_id) c = &work.edit(known);
  if (c && is_agent_message(effect)) {
    settle_agent_message(work, *c, effect, answer, detail);
    return work.finish();
  }
  if (effect.kind == "order_action") {
    settle_order_action(work, c, effect, answer, reply, detail);
    return work.finish();
  }
  if (effect.kind != "refund" || !work.order()) {
    if (answer == HostAnswer::rejected || answer == HostAnswer::gave_up) {
      const std::string what = answer == HostAnswer::gave_up ? "gave up after repeated failures" : "rejected";
      if (c) {
        work.log(*c, "effect", "host", {{"effect", effect.id}, {"kind", effect.kind}, {"outcome", what},
                                        {"detail", detail}});
        if (answer == HostAnswer::gave_up && is_active(c->status))
          work.escalate(*c, "host could not carry out " + effect.kind + " (" + detail + ")",
                        policy.red_flags.default_contact, "system");
      }
    }
    return work.finish();
  }
  Order &order = work.edit_order();
  RefundRecord *refund = order.find_refund(effect.id);
  if (!refund) return work.finish();
  if (refund->status == "succeeded" || refund->status == "failed") return work.finish();  // already final
  if (!c && refund->case_id)
    for (const auto &known : state.cases)
      if (known.id == *refund->case_id) c = &work.edit(known);
  ReturnRecord *r = refund->return_id ? work.find_return(*refund->return_id) : nullptr;
  const std::string amount = money(refund->amount, order.currency);
  switch (answer) {
    case HostAnswer::pending:
      refund->status = "pending";
      if (c) work.log(*c, "refund", "host", {{"refund_id", refund->id}, {"status", "pending"}});
      break;
    case HostAnswer::done: {
      refund->status = "succeeded";
      refund->completed_at = now;
      refund->note = detail;
      if (c) {
        // Seed 000: refunds processed within 7 days; the log keeps the time.
        const TimeMs took = now - (r ? r->requested_at : refund->requested_at);
        work.log(*c, "refund", "host",
                 {{"refund_id", refund->id}, {"status", "succeeded"}, {"amount", amount},
                  {"processing_ms", took}, {"within_target", took <= policy.sla.refund}});
        Json vars = order_variables(&order);
        vars["refund.amount"] = amount;
        vars["refund.timeline"] = policy.returns.refund_timeline;
        work.notify_customer(*c, "refund_issued", vars, "refund-" + refund->id);
        add_unique(c->follow_ups, "Refund of " + amount + " issued");
      }
      break;
    }
    case HostAnswer::rejected:
    case HostAnswer::gave_up: {
      refund->status = "failed";
      refund->completed_at = now;
      refund->note = detail;
      if (!c) {
        // A refund asked outside any case (order.refund without one) that
        // fails still needs a person: it gets a refund case of its own.
        c = &work.case_for(IssueType::refund, Origin::system, "refund " + refund->id + " failed", "system");
        start_playbook(work, *c);
        refund->case_id = c->id;
      }
      if (c) {
        work.log(*c, "refund", "host",
                 {{"refund_id", refund->id}, {"status", "failed"}, {"amount", amount}, {"reason", detail}});
        if (is_active(c->status))
          work.escalate(*c, "refund " + refund->id + " of " + amount + " failed: " + detail, policy.teams.finance,
                        "system");
        else
          add_unique(c->follow_ups, "Refund " + refund->id + " failed: " + detail);
      }
      break;
    }
  }
  if (r) settle(*r, order, now);
  return work.finish();
}

}  // namespace ordercare::domain
