// order.created, order.updated, shipment.updated: the order's own facts,
// never rolled back by an older delivery of an update.
#include <algorithm>

#include "common/currency.h"
#include "common/failure.h"
#include "domain/case_state_machine.h"
#include "domain/event_handlers.h"
#include "domain/order_actions.h"
#include "domain/priority.h"

namespace ordercare::domain {

namespace {

// The fact's own time: a platform's updated_at when it carries one (kept
// as an unknown field of the event), else when the event occurred.
TimeMs fact_time(const EventView &event) {
  auto updated = time_of(event.data, "updated_at");
  return updated ? std::max(*updated, event.occurred_at) : event.occurred_at;
}

std::vector<OrderLine> read_lines(const Json &items) {
  std::vector<OrderLine> lines;
  for (const auto &item : items)
    lines.push_back({text_of(item, "line_id"), text_of(item, "sku"), text_of(item, "name"),
                     item.value("quantity", std::int64_t{0}), item.value("unit_price", std::int64_t{0}),
                     text_of(item, "location")});
  return lines;
}

Shipment &shipment_of(Order &order, const std::string &id) {
  for (auto &s : order.shipments)
    if (s.id == id) return s;
  order.shipments.push_back(Shipment{});
  order.shipments.back().id = id;
  return order.shipments.back();
}

// Cases an event about delivery can join: the active delivery case.
void log_on_delivery_case(CaseWork &work, const std::string &what) {
  if (CaseRecord *c = work.find_active(IssueType::shipping_delay))
    work.log(*c, "event", "carrier", {{"shipment", what}});
}

// A second order.created for a known order: the order's identity, its
// customer and currency, cannot change, and a correction of its lines and
// total cannot take back what was refunded or what a return holds. Throws
// Failure(OC_ERR_REFUSED) before anything changes.
void require_correction(const CaseWork &work, const Json &o) {
  const Order &known = *work.order();
  const std::string customer = text_of(o["customer"], "id");
  const std::string currency = text_of(o, "currency");
  const std::string refusal = "order.created: order " + known.id + " is known";
  if (customer != known.customer_id)
    fail(OC_ERR_REFUSED, "data.order.customer.id: " + refusal + " as customer " + known.customer_id +
                             "'s; an order's customer cannot change (got " + customer + ")");
  if (currency != known.currency)
    fail(OC_ERR_REFUSED, "data.order.currency: " + refusal + " in " + known.currency +
                             "; an order's currency cannot change (got " + currency + ")");
  const std::int64_t total = o.value("total", std::int64_t{0});
  const std::int64_t committed = known.committed_refunds();
  if (total < committed)
    fail(OC_ERR_REFUSED, "data.order.total: " + refusal + " with " + std::to_string(committed) +
                             " refunded or asked to be refunded; the total cannot fall below that (got " +
                             std::to_string(total) + ")");
  const std::vector<OrderLine> lines = read_lines(o["items"]);
  for (const ReturnRecord &r : work.state().returns) {
    if (r.order_id != known.id || r.status == ReturnStatus::rejected || r.status == ReturnStatus::cancelled)
      continue;
    for (const ReturnItem &item : r.items) {
      if (!item.eligible) continue;
      std::int64_t ordered = 0;
      for (const OrderLine &line : lines)
        if (line.line_id == item.line_id) ordered += line.quantity;
      if (ordered < item.quantity)
        fail(OC_ERR_REFUSED, "data.order.items: " + refusal + " and return " + r.id + " holds " +
                                 std::to_string(item.quantity) + " of line " + item.line_id + " (got " +
                                 std::to_string(ordered) + ")");
    }
  }
}

// The shop cancelled the order because it could not fill it (Shopify's
// cancel_reason "inventory"): seed 000's out-of-stock case, an apology with
// an alternative. A payment only authorised and voided took no money, so no
// refund is owed; a paid one is owed what is left to refund, by the refund
// rules that apply to any cancellation.
void cancelled_out_of_stock(CaseWork &work, const EventView &event) {
  const Order &order = *work.order();
  const bool voided = event.data.value("payment_voided", false);
  CaseRecord &c = work.case_for(IssueType::out_of_stock, Origin::system,
                                "order cancelled by the shop: an item is out of stock", "system");
  for (const auto &line : order.items) add_unique(c.skus, line.sku);
  work.log(c, "event", "system", {{"order_status", "cancelled"}, {"reason", "inventory"},
                                  {"payment", voided ? "authorisation voided" : "paid"}});
  Json vars = order_variables(&order);
  start_playbook(work, c, vars);
  if (voided) {
    add_unique(c.follow_ups, "Payment was only authorised and is voided: no refund is owed");
    work.notify_customer(c, "out_of_stock_cancelled_unpaid", vars, "cancelled-out-of-stock");
  } else {
    vars["refund.amount"] = format_money(order.refundable(), order.currency);
    vars["refund.timeline"] = work.policy().returns.refund_timeline;
    add_unique(c.follow_ups, "Order was paid: " + format_money(order.refundable(), order.currency) +
                                 " is owed back (a refund made on the platform is booked when it arrives)");
    work.notify_customer(c, "out_of_stock_cancelled", vars, "cancelled-out-of-stock");
  }
}

}  // namespace

void on_order_created(CaseWork &work, const EventView &event) {
  const Json &o = event.data["order"];
  const bool seen = work.order() != nullptr;
  if (seen) require_correction(work, o);
  Order order = seen ? *work.order() : Order{};
  order.id = text_of(o, "id");
  order.number = text_of(o, "number");
  if (order.number.empty()) order.number = order.id;
  order.display_name = text_of(o, "name");
  if (auto locale = optional_text_of(o, "locale")) order.locale = locale;
  if (event.store) order.store_id = event.store;
  order.customer_id = text_of(o["customer"], "id");
  order.currency = text_of(o, "currency");
  order.total = o.value("total", std::int64_t{0});
  order.channel = text_of(o, "channel");
  order.placed_at = time_of(o, "placed_at").value_or(event.occurred_at);
  order.promised_by = time_of(o, "promised_by");
  order.items = read_lines(o["items"]);
  order.location = text_of(o, "location");
  if (!seen) {
    order.status = OrderStatus::pending;
    order.status_at = event.occurred_at;
  }
  if (auto address = o.find("shipping_address"); address != o.end()) order.pii.edit()["shipping_address"] = *address;
  if (auto note = optional_text_of(o, "note")) order.pii.edit()["note"] = *note;
  work.set_order(std::move(order), true);
  absorb_customer(work, o["customer"]);
  // Cases raised before the order was known learn its facts now: a VIP
  // customer, an event date, a large total.
  refresh_active_cases(work, "order " + work.order()->id + " is now known");
}

void on_order_updated(CaseWork &work, const EventView &event) {
  const std::string order_id = text_of(event.data, "order_id");
  if (!work.order()) return wait_for_order(work, order_id);
  const TimeMs at = fact_time(event);
  Order order = *work.order();
  if (at < order.status_at) {
    // An older update delivered late: it must not roll the order back.
    for (const CaseRecord *c : work.active_cases())
      work.log(*c, "event", "system",
               {{"ignored", "stale order update"}, {"status", text_of(event.data, "status")}});
    return;
  }
  const auto status = parse_order_status(text_of(event.data, "status")).value_or(order.status);
  const OrderStatus before = order.status;
  order.status = status;
  order.status_at = at;
  if (status == OrderStatus::delivered && !order.delivered_at) order.delivered_at = at;
  if (auto promised = time_of(event.data, "promised_by")) order.promised_by = promised;
  if (auto total = event.data.find("total"); total != event.data.end() && total->is_number_integer())
    order.total = total->get<std::int64_t>();
  if (auto items = event.data.find("items"); items != event.data.end() && items->is_array())
    order.items = read_lines(*items);
  work.set_order(std::move(order), true);
  if (status == before) return refresh_active_cases(work, "order updated");
  if (status == OrderStatus::cancelled && text_of(event.data, "reason") == "inventory")
    cancelled_out_of_stock(work, event);

  for (const CaseRecord *active : work.active_cases()) {
    CaseRecord &c = work.edit(*active);
    work.log(c, "event", "system", {{"order_status", to_string(status)}, {"was", to_string(before)}});
    if (status == OrderStatus::cancelled && c.type == IssueType::cancellation_request) {
      Json vars = order_variables(work.order());
      vars["refund.amount"] = format_money(work.order()->refundable(), work.order()->currency);
      vars["refund.timeline"] = work.policy().returns.refund_timeline;
      c.follow_ups.push_back("Order cancelled; customer told the refund timeline");
      work.notify_customer(c, "cancellation_confirmed", vars, "cancelled");
    }
    if (progress_rank(status) >= progress_rank(OrderStatus::shipped) &&
        (c.type == IssueType::order_change || c.type == IssueType::cancellation_request))
      c.follow_ups.push_back("Order is now " + std::string(to_string(status)) +
                             ": a change or cancellation can no longer be made before shipping");
  }
  refresh_active_cases(work, "order is now " + std::string(to_string(status)));
}

void on_shipment_updated(CaseWork &work, const EventView &event) {
  const Json &data = event.data;
  if (!work.order()) return wait_for_order(work, text_of(data, "order_id"));
  const TimeMs at = fact_time(event);
  Order order = *work.order();
  Shipment &shipment = shipment_of(order, text_of(data, "shipment_id"));
  const auto status = parse_shipment_status(text_of(data, "status")).value_or(ShipmentStatus::in_transit);
  if (at < shipment.status_at) {
    log_on_delivery_case(work, "stale update ignored: " + std::string(to_string(status)));
    return;
  }
  shipment.status = status;
  shipment.status_at = at;
  if (auto carrier = optional_text_of(data, "carrier")) shipment.carrier = *carrier;
  if (auto tracking = optional_text_of(data, "tracking_number")) shipment.tracking_number = *tracking;
  if (auto eta = time_of(data, "eta")) shipment.eta = eta;
  if (status == ShipmentStatus::delivery_failed) {
    shipment.failed_attempts += 1;
    order.failed_deliveries += 1;
  }
  // The carrier's word moves the order forward, never back.
  const OrderStatus implied = status == ShipmentStatus::delivered ? OrderStatus::delivered : OrderStatus::shipped;
  if (order.status != OrderStatus::cancelled && progress_rank(implied) > progress_rank(order.status) &&
      at >= order.status_at) {
    order.status = implied;
    order.status_at = at;
  }
  // The return window runs from the carrier's delivery.
  if (status == ShipmentStatus::delivered && !order.delivered_at) order.delivered_at = at;
  const std::int64_t failed = order.failed_deliveries;
  work.set_order(std::move(order), true);

  const std::string reason = text_of(data, "reason");
  switch (status) {
    case ShipmentStatus::delayed: {
      CaseRecord &c = work.case_for(IssueType::shipping_delay, Origin::system,
                                    "carrier reported the shipment delayed", "system");
      Json vars = order_variables(work.order());
      start_playbook(work, c, vars);
      if (!reason.empty() && vars.contains("eta") && !offer_for_delay(work, c, reason)) {
        vars["delay.reason"] = reason;
        work.notify_customer(c, "shipping_delay", vars, "delay-update");
      }
      break;
    }
    case ShipmentStatus::delivery_failed: {
      if (failed < 2) {
        log_on_delivery_case(work, "delivery attempt failed");
        break;
      }
      CaseRecord &c = work.case_for(IssueType::shipping_delay, Origin::system,
                                    std::to_string(failed) + " failed delivery attempts", "system");
      start_playbook(work, c);
      work.add_trigger(c, "multiple_failed_deliveries");
      work.notify_team(c, work.policy().teams.fulfilment, "team_cs_request",
                       {"Confirm the delivery address with the customer",
                        "Arrange a redelivery or a pickup point", "Realistic delivery estimate"},
                       order_variables(work.order()), "failed-deliveries-" + std::to_string(failed));
      break;
    }
    case ShipmentStatus::lost: {
      CaseRecord &c = work.case_for(IssueType::shipping_delay, Origin::system,
                                    "carrier reported the shipment lost", "system");
      start_playbook(work, c);
      work.add_trigger(c, "lost_in_transit");
      work.notify_team(c, work.policy().teams.warehouse, "team_cs_request",
                       {"Can we reship today?", "Tracking for the new shipment", "File a claim with the carrier"},
                       order_variables(work.order()), "lost");
      break;
    }
    case ShipmentStatus::damaged: {
      CaseRecord &c = work.case_for(IssueType::damaged_item, Origin::system,
                                    "carrier reported the shipment damaged", "system");
      start_playbook(work, c);
      add_unique(c.follow_ups, "Carrier damage: file a claim with the carrier");
      break;
    }
    case ShipmentStatus::delivered:
      log_on_delivery_case(work, "delivered");
      break;
    case ShipmentStatus::in_transit:
      log_on_delivery_case(work, "in transit");
      break;
  }
  refresh_active_cases(work, "shipment " + std::string(to_string(status)));
}

}  // namespace ordercare::domain
