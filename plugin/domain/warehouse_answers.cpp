// The warehouse's answers to CS (warehouse_answers.h). The warehouse
// answers about orders CS asked it about: an order ordercare has not seen
// is OC_ERR_NOT_FOUND rather than kept for later, since an answer released
// when the order arrives could only be refused then. An answer that cannot
// be right (a delay of an order that has shipped, a SKU the order does not
// have, a change nobody asked for) is refused before anything changes.
#include "domain/warehouse_answers.h"

#include <algorithm>
#include <cstdio>

#include "common/failure.h"
#include "common/subject.h"
#include "domain/case_state_machine.h"
#include "domain/effect_keys.h"
#include "domain/event_handlers.h"
#include "domain/order_action_parts.h"
#include "domain/order_actions.h"
#include "domain/priority.h"

namespace ordercare::domain {

namespace {

// The offer a warehouse delay asked for carries this before the warehouse's
// reason, so the host's answer to it knows which notice waits for it.
constexpr const char *kDelayOfferReason = "warehouse delay: ";

// A date the customer reads, on the store's own calendar.
std::string customer_date(const CaseWork &work, TimeMs at) {
  return work.policy().time_zone.empty() ? format_rfc3339(at).substr(0, 10)
                                         : local_date_text(work.policy().time_zone, at);
}

// "2026-11-21 16:00", on the store's own clock.
std::string customer_time(const CaseWork &work, TimeMs at) {
  BusinessHours clock = BusinessHours::around_the_clock();
  clock.zone = work.policy().time_zone;
  const std::int32_t minute = local_moment(clock, at).minute;
  char hhmm[8];
  std::snprintf(hhmm, sizeof hhmm, "%02d:%02d", minute / 60 % 24, minute % 60);
  return customer_date(work, at) + " " + hhmm;
}

void require_order(const CaseWork &work, const EventView &event) {
  if (!work.order())
    fail(OC_ERR_NOT_FOUND, "data.order_id: " + name_of(event.type) + ": order " + text_of(event.data, "order_id") +
                               " is not known (no order.created for it)");
}

const OrderLine *line_of(const Order &order, const std::string &sku) {
  for (const auto &line : order.items)
    if (line.sku == sku) return &line;
  return nullptr;
}

const OrderLine &require_line(const Order &order, const std::string &sku) {
  const OrderLine *line = line_of(order, sku);
  if (!line) fail(OC_ERR_REFUSED, "data.sku: order " + order.id + " has no line of SKU " + sku);
  return *line;
}

void require_not_shipped(const Order &order, const std::string &type) {
  const bool gone = order.status == OrderStatus::cancelled ||
                    progress_rank(order.status) >= progress_rank(OrderStatus::shipped);
  if (gone)
    fail(OC_ERR_REFUSED, "data.order_id: " + type + ": order " + order.id + " is " + std::string(to_string(order.status)) +
                             "; the warehouse no longer has it");
}

// The answer is in: the case's question to the warehouse is answered (its
// answer clock stops, sync_clocks) and a case that waited on the warehouse
// is open again for its agent.
void answered(CaseWork &work, CaseRecord &c, const EventView &event) {
  if (c.warehouse_asked_at) {
    work.log(c, "warehouse_answer", "warehouse",
             {{"asked_at", format_rfc3339(*c.warehouse_asked_at)}, {"answer", name_of(event.type)}});
    c.warehouse_asked_at.reset();
  }
  if (c.status == CaseStatus::waiting_warehouse)
    work.change_status(c, CaseStatus::open, "warehouse", name_of(event.type));
}

// A case the answer opened was not asked anything: it gets the playbook's
// initial action, and no question goes to the warehouse that just spoke.
void first_action(CaseRecord &c, const std::string &what) {
  if (c.initial_action.empty()) c.initial_action = what;
}

// Seed 000 "Shipping delay: offer expedited shipping or a discount if
// necessary", as the offer policy sizes it (policy.offers.delay). Made
// only by a host that carries out offers; false when none is made.
bool offer_for_warehouse_delay(CaseWork &work, CaseRecord &c, const std::string &kind, const std::string &reason) {
  const OfferPolicy &policy = work.policy().offers;
  const Order &order = *work.order();
  if (!work.state().order_actions || !policy.on_delay) return false;
  for (const auto &a : order.actions)
    if (a.kind == "offer" && a.case_id == c.id && a.committed()) return false;  // offered already
  const std::int64_t room = offer_cap(policy, order.currency) - committed_offers(order);
  const std::int64_t amount = std::min(order.total * policy.delay_percent / 100, room);
  if (amount <= 0) return false;
  ActionRequest offer;
  offer.kind = "offer";
  offer.offer = kind;
  offer.amount = amount;
  offer.currency = order.currency;
  offer.reason = kDelayOfferReason + reason;
  try {
    request_action(work, c, std::move(offer));
  } catch (const Failure &refused) {
    add_unique(c.follow_ups, std::string("Delay offer not made: ") + refused.what());
    return false;
  }
  return true;
}

// One substitute in words: its name, else its SKU.
std::string substitutes_text(const Json &data) {
  std::string out;
  auto list = data.find("substitutes");
  if (list == data.end() || !list->is_array()) return out;
  for (const Json &s : *list) {
    const std::string name = text_of(s, "name");
    out += (out.empty() ? "" : ", ") + (name.empty() ? text_of(s, "sku") : name);
  }
  return out;
}

// Seed 004 "Options: substitute, backorder, refund" with what the warehouse
// knows: the restock date and the substitutes, each when it said.
void out_of_stock_answer(CaseWork &work, const EventView &event, const std::string &sku,
                         const std::optional<std::int64_t> &count, const std::string &why) {
  const Order &order = *work.order();
  const OrderLine &line = require_line(order, sku);
  const std::optional<TimeMs> restock = time_of(event.data, "restock_date");
  const std::string substitutes = substitutes_text(event.data);
  CaseRecord &c = work.case_for(IssueType::out_of_stock, Origin::system, why, "system");
  add_unique(c.skus, sku);
  answered(work, c, event);
  first_action(c, "Warehouse reported the item out of stock; customer offered a substitute, backorder or refund");
  Json details = {{"answer", name_of(event.type)}, {"sku", sku}};
  if (count) details["count"] = *count;
  if (restock) details["restock_date"] = format_rfc3339(*restock);
  if (auto list = event.data.find("substitutes"); list != event.data.end()) details["substitutes"] = *list;
  work.log(c, "event", "warehouse", std::move(details));
  add_unique(c.follow_ups, "Warehouse: " + sku + " out of stock" +
                               (count ? ", count " + std::to_string(*count) : std::string()) +
                               (restock ? ", restock " + format_rfc3339(*restock).substr(0, 10) : ", no restock date") +
                               (substitutes.empty() ? ", no substitute" : ", substitute " + substitutes));
  Json vars = order_variables(&order);
  vars["item.sku"] = sku;
  vars["item.name"] = line.name.empty() ? sku : line.name;
  if (restock) vars["restock_date"] = customer_date(work, *restock);
  if (!substitutes.empty()) vars["substitute.name"] = substitutes;
  const std::string tmpl = substitutes.empty() ? (restock ? "out_of_stock_choice_dated" : "out_of_stock_choice")
                                               : (restock ? "out_of_stock_choice_substitute_dated"
                                                          : "out_of_stock_choice_substitute");
  work.notify_customer(c, tmpl, vars, "warehouse-out-of-stock-" + sku);
}

}  // namespace

void on_warehouse_order_delayed(CaseWork &work, const EventView &event) {
  const Json &data = event.data;
  require_order(work, event);
  require_not_shipped(*work.order(), name_of(event.type));
  const std::string reason = text_of(data, "reason");
  const TimeMs ship = time_of(data, "new_ship_date").value_or(event.occurred_at);
  if (ship < work.order()->placed_at)
    fail(OC_ERR_REFUSED, "data.new_ship_date: " + format_rfc3339(ship) + " is before order " + work.order()->id +
                             " was placed (" + format_rfc3339(work.order()->placed_at) + ")");
  const std::string offer = text_of(data, "offer");  // "" leaves it to the policy
  work.edit_order().ship_date = ship;
  const Order &order = *work.order();
  CaseRecord &c = work.case_for(IssueType::shipping_delay, Origin::system,
                                "warehouse: order delayed, new ship date " + format_rfc3339(ship).substr(0, 10),
                                "system");
  answered(work, c, event);
  first_action(c, "Warehouse reported the delay and the new ship date; customer told");
  work.log(c, "event", "warehouse",
           {{"answer", name_of(event.type)}, {"reason", reason}, {"new_ship_date", format_rfc3339(ship)},
            {"offer", offer.empty() ? "policy" : offer}});
  add_unique(c.follow_ups, "Warehouse: delayed (" + reason + "); new ship date " + format_rfc3339(ship).substr(0, 10));
  // The warehouse says what CS can offer; without a word from it, the
  // policy offers when the new date breaks the promise made at checkout.
  const bool late = order.promised_by && ship > *order.promised_by;
  if (offer != "none" && (!offer.empty() || late) &&
      offer_for_warehouse_delay(work, c, offer.empty() ? work.policy().offers.delay_offer : offer, reason))
    return;  // the notice waits for the offer (send_warehouse_delay_notice)
  if (!offer.empty() && offer != "none")
    add_unique(c.follow_ups, "Warehouse says CS can offer " + offer_words(offer) + ": not made automatically");
  Json vars = order_variables(&order);
  vars["delay.reason"] = reason;
  vars["ship_date"] = customer_date(work, ship);
  work.notify_customer(c, "warehouse_delay", vars, "warehouse-delay");
}

bool send_warehouse_delay_notice(CaseWork &work, CaseRecord &c, const OrderAction &action, const std::string &offer) {
  const std::string prefix = kDelayOfferReason;
  if (action.kind != "offer" || action.agent != "system" || action.reason.rfind(prefix, 0) != 0 || !work.order() ||
      !work.order()->ship_date)
    return false;
  Json vars = order_variables(work.order());
  vars["delay.reason"] = action.reason.substr(prefix.size());
  vars["ship_date"] = customer_date(work, *work.order()->ship_date);
  if (!offer.empty()) vars["offer"] = offer;
  work.notify_customer(c, offer.empty() ? "warehouse_delay" : "warehouse_delay_with_offer", vars, "warehouse-delay");
  return true;
}

void on_warehouse_out_of_stock(CaseWork &work, const EventView &event) {
  const Json &data = event.data;
  require_order(work, event);
  const std::string sku = text_of(data, "sku");
  const std::int64_t count = data.value("count", std::int64_t{0});
  out_of_stock_answer(work, event, sku, count,
                      "warehouse: " + sku + " out of stock (count " + std::to_string(count) + ")");
}

void on_warehouse_damaged_at_pick(CaseWork &work, const EventView &event) {
  const Json &data = event.data;
  require_order(work, event);
  require_not_shipped(*work.order(), name_of(event.type));
  const std::string sku = text_of(data, "sku");
  const OrderLine &line = require_line(*work.order(), sku);
  const std::int64_t quantity = data.value("quantity", std::int64_t{1});
  const bool replaced = data.value("replacement_in_stock", false);
  const std::optional<TimeMs> ship = time_of(data, "new_ship_date");
  std::string location = text_of(data, "location");
  if (location.empty()) location = line.fulfilled_from(work.order()->location);
  const std::string order_id = work.order()->id;

  // The damaged units are no longer for sale where they were picked: the
  // host's stock there follows, once (the key is the event's).
  auto take_out_of_stock = [&](CaseRecord *c) {
    if (location.empty()) {
      if (c) add_unique(c->follow_ups, "Damaged at pick: no location known, stock of " + sku + " not adjusted");
      return;
    }
    Effect adjust;
    adjust.id = effect_key({"inventory", event.id});
    adjust.kind = "adjust_inventory";
    if (c) adjust.case_id = c->id;
    adjust.ordering_key = Subject::sku(sku).str();
    adjust.payload = {{"sku", sku},          {"location", location}, {"delta", -quantity},
                      {"reason", "damaged_at_pick"}, {"order_id", order_id},  {"event_id", event.id}};
    work.queue_effect(std::move(adjust));
  };

  if (!replaced) {
    // No sound unit to send instead: seed 004's out-of-stock options.
    out_of_stock_answer(work, event, sku, std::nullopt,
                        "warehouse: " + sku + " damaged at pick, no replacement in stock");
    take_out_of_stock(work.find_active(IssueType::out_of_stock));
    return;
  }
  if (ship && *ship < work.order()->placed_at)
    fail(OC_ERR_REFUSED, "data.new_ship_date: " + format_rfc3339(*ship) + " is before order " + order_id +
                             " was placed (" + format_rfc3339(work.order()->placed_at) + ")");
  if (ship) work.edit_order().ship_date = *ship;
  // A sound unit goes instead: the cases of the order that wait on the
  // warehouse hear it, and the customer only when the ship date moves.
  CaseRecord *target = nullptr;
  for (const CaseRecord *active : work.active_cases())
    if (active->warehouse_asked_at || active->status == CaseStatus::waiting_warehouse) {
      target = &work.edit(*active);
      answered(work, *target, event);
    }
  if (!target && ship)
    target = &work.case_for(IssueType::shipping_delay, Origin::system,
                            "warehouse: " + sku + " damaged at pick, replacement ships " +
                                format_rfc3339(*ship).substr(0, 10),
                            "system");
  if (!target) {
    // Nothing to tell anyone but the stock: the order ships as planned.
    for (const CaseRecord *active : work.active_cases())
      work.log(*active, "event", "warehouse", {{"answer", name_of(event.type)}, {"sku", sku}, {"replaced", true}});
    take_out_of_stock(nullptr);
    return;
  }
  CaseRecord &c = *target;
  add_unique(c.skus, sku);
  first_action(c, "Warehouse found the item damaged at pick and picked a sound one; customer told the new ship date");
  work.log(c, "event", "warehouse",
           {{"answer", name_of(event.type)}, {"sku", sku}, {"quantity", quantity}, {"replaced", true},
            {"new_ship_date", ship ? Json(format_rfc3339(*ship)) : Json(nullptr)}});
  add_unique(c.follow_ups, "Warehouse: " + std::to_string(quantity) + " x " + sku + " damaged at pick, replaced from stock" +
                               (ship ? "; ships " + format_rfc3339(*ship).substr(0, 10) : std::string()));
  take_out_of_stock(&c);
  if (!ship) return;
  Json vars = order_variables(work.order());
  vars["item.name"] = line.name.empty() ? sku : line.name;
  vars["ship_date"] = customer_date(work, *ship);
  work.notify_customer(c, "damaged_at_pick_delay", vars, "damaged-at-pick-" + sku);
}

void on_warehouse_change_answer(CaseWork &work, const EventView &event) {
  const Json &data = event.data;
  require_order(work, event);
  const std::string change = text_of(data, "change");
  // The change request it answers: the order's latest active one.
  const CaseRecord *asked = nullptr;
  for (const CaseRecord *active : work.active_cases())
    if (active->type == IssueType::order_change && (!asked || active->updated_at > asked->updated_at)) asked = active;
  if (!asked)
    fail(OC_ERR_NOT_FOUND, "data.order_id: order " + work.order()->id +
                               " has no open change request (order.change_requested) for the warehouse to answer");
  CaseRecord &c = work.edit(*asked);
  answered(work, c, event);
  const bool yes = data.value("can_change", false);
  Json vars = order_variables(work.order());
  if (yes) {
    const TimeMs by = time_of(data, "by").value_or(event.occurred_at);
    work.log(c, "event", "warehouse", {{"answer", name_of(event.type)}, {"can_change", true}, {"change", change},
                                       {"by", format_rfc3339(by)}});
    add_unique(c.follow_ups, "Warehouse: the change can be made, by " + format_minute(by) + " UTC");
    vars["change.by"] = customer_time(work, by);
    work.notify_customer(c, "order_change_confirmed", vars, "change-answer");
  } else {
    const std::string reason = text_of(data, "reason");
    work.log(c, "event", "warehouse", {{"answer", name_of(event.type)}, {"can_change", false}, {"change", change},
                                       {"reason", reason}});
    add_unique(c.follow_ups, "Warehouse: the change cannot be made: " + reason);
    vars["change.reason"] = reason;
    work.notify_customer(c, "order_change_declined", vars, "change-answer");
  }
}

}  // namespace ordercare::domain
