#include "domain/case_engine.h"

#include <algorithm>

#include "common/failure.h"
#include "domain/case_state_machine.h"
#include "domain/effect_keys.h"
#include "domain/event_handlers.h"
#include "domain/priority.h"
#include "domain/transfers.h"

namespace ordercare::domain {

std::string text_of(const Json &data, const char *key) {
  auto it = data.find(key);
  return it != data.end() && it->is_string() ? it->get<std::string>() : std::string();
}

std::optional<std::string> optional_text_of(const Json &data, const char *key) {
  auto it = data.find(key);
  if (it == data.end() || !it->is_string()) return std::nullopt;
  return it->get<std::string>();
}

std::optional<TimeMs> time_of(const Json &data, const char *key) {
  auto text = optional_text_of(data, key);
  return text ? parse_rfc3339(*text) : std::nullopt;
}

std::string SnapshotKeys::subject() const {
  if (transfer_id) return "transfer:" + *transfer_id;
  if (order_id) return "order:" + *order_id;
  if (sku) return "sku:" + *sku + "@" + location.value_or("");
  if (customer_id) return "customer:" + *customer_id;
  return "event:" + event_id.value_or("");
}

SnapshotKeys snapshot_keys(const EventView &event, const std::optional<Order> &order) {
  SnapshotKeys keys;
  const Json &data = event.data;
  keys.event_id = event.id;
  if (event.type == "order.created") {
    keys.order_id = text_of(data["order"], "id");
    keys.customer_id = text_of(data["order"]["customer"], "id");
  } else if (event.type == "inventory.discrepancy") {
    keys.sku = text_of(data, "sku");
    keys.location = text_of(data, "location");
  } else if (event.type == "transfer.requested" || event.type == "transfer.updated") {
    // A transfer is its own subject, also when it serves an order.
    keys.transfer_id = text_of(data, "transfer_id");
  } else {
    keys.order_id = optional_text_of(data, "order_id");
  }
  if (event.type == "customer.message") keys.customer_id = text_of(data["customer"], "id");
  if (event.type == "privacy.requested") keys.customer_id = optional_text_of(data, "customer_id");
  if (event.type == "return.requested" || event.type == "return.received")
    keys.return_id = optional_text_of(data, "return_id");
  if (event.type == "refund.result") keys.effect_id = optional_text_of(data, "refund_id");
  if (event.type == "order_action.result") keys.effect_id = optional_text_of(data, "action_id");
  if (event.type == "feedback.received") keys.case_id = text_of(data, "case_id");
  const bool counts_complaints =
      event.type == "customer.message" || event.type == "return.requested" || event.type == "shipment.updated";
  if (order) {
    if (!keys.customer_id && !order->customer_id.empty()) keys.customer_id = order->customer_id;
    if (counts_complaints)
      for (const auto &line : order->items)
        if (std::find(keys.complaint_skus.begin(), keys.complaint_skus.end(), line.sku) ==
            keys.complaint_skus.end())
          keys.complaint_skus.push_back(line.sku);
  }
  return keys;
}

SnapshotKeys order_keys(const std::optional<Order> &order) {
  SnapshotKeys keys;
  if (!order) {
    keys.whole_subject = false;
    return keys;
  }
  keys.order_id = order->id;
  if (!order->customer_id.empty()) keys.customer_id = order->customer_id;
  return keys;
}

SnapshotKeys case_keys(const CaseRecord &c) {
  SnapshotKeys keys;
  keys.order_id = c.order_id;
  keys.customer_id = c.customer_id;
  keys.case_ids.push_back(c.id);
  // A low rating notes on the case's follow-up while it is active (feedback.h).
  if (c.follow_up_case) keys.case_ids.push_back(*c.follow_up_case);
  keys.whole_subject = false;
  return keys;
}

Decision decide(const Snapshot &state, const EventView &event, TimeMs now, const Policy &policy) {
  using Handler = void (*)(CaseWork &, const EventView &);
  static const std::pair<const char *, Handler> handlers[] = {
      {"order.created", on_order_created},
      {"order.updated", on_order_updated},
      {"shipment.updated", on_shipment_updated},
      {"customer.message", on_customer_message},
      {"cancellation.requested", on_cancellation_requested},
      {"order.change_requested", on_order_change_requested},
      {"pickup.requested", on_pickup_requested},
      {"pickup.updated", on_pickup_updated},
      {"payment.failed", on_payment_event},
      {"payment.disputed", on_payment_event},
      {"inventory.discrepancy", on_inventory_discrepancy},
      {"warehouse.order_delayed", on_warehouse_order_delayed},
      {"warehouse.out_of_stock", on_warehouse_out_of_stock},
      {"warehouse.damaged_at_pick", on_warehouse_damaged_at_pick},
      {"warehouse.change_answer", on_warehouse_change_answer},
      {"return.requested", on_return_requested},
      {"return.received", on_return_received},
      {"refund.result", on_refund_result},
      {"refund.recorded", on_refund_recorded},
      {"feedback.received", on_feedback_received},
      {"order_action.result", on_order_action_result},
      {"order.stock_shortfall", on_stock_shortfall},
      {"transfer.requested", on_transfer_requested},
      {"transfer.updated", on_transfer_updated},
  };
  CaseWork work(state, &event, now, policy);
  for (const auto &[type, handler] : handlers)
    if (event.type == type) {
      handler(work, event);
      return work.finish();
    }
  fail(OC_ERR_UNKNOWN_TYPE, "type: no rules for event type '" + event.type + "'");
}

Decision refresh_order_cases(const Snapshot &state, TimeMs now, const Policy &policy) {
  CaseWork work(state, nullptr, now, policy);
  refresh_active_cases(work, "order facts changed");
  return work.finish();
}

void refresh_active_cases(CaseWork &work, const std::string &because) {
  for (const CaseRecord *current : work.active_cases()) {
    const CaseRecord &c = *current;
    CaseRecord next = c;
    if (work.order()) {
      next.order_id = work.order()->id;
      if (!next.customer_id && !work.order()->customer_id.empty())
        next.customer_id = work.order()->customer_id;
      if (!next.store_id) next.store_id = work.order()->store_id;
    }
    work.recompute_priority(next, because);
    // Only cases whose facts changed are written back.
    if (next.priority != c.priority || next.resolution_due != c.resolution_due ||
        next.reason != c.reason || next.order_id != c.order_id || next.customer_id != c.customer_id ||
        next.store_id != c.store_id)
      work.edit(c) = std::move(next);
  }
}

void wait_for_order(CaseWork &work, const std::string &order_id) {
  work.decision().park_on = "order:" + order_id;
  ask_host_for_order(work, order_id);
}

void ask_host_for_order(CaseWork &work, const std::string &order_id) {
  Effect lookup;
  lookup.id = effect_key({"lookup_order", order_id});
  lookup.kind = "lookup_order";
  lookup.order_id = order_id;
  lookup.payload = {{"order_id", order_id}};
  work.queue_effect(std::move(lookup));
}

void absorb_customer(CaseWork &work, const Json &data) {
  Customer customer = work.customer() ? *work.customer() : Customer{};
  customer.id = text_of(data, "id");
  if (auto tags = data.find("tags"); tags != data.end() && tags->is_array())
    customer.tags = tags->get<std::vector<std::string>>();
  for (const char *field : {"name", "email", "phone"})
    if (auto value = optional_text_of(data, field)) customer.pii[field] = *value;
  work.set_customer(std::move(customer));
}

void start_playbook(CaseWork &work, CaseRecord &c, Json variables) {
  if (!work.is_new(c)) return;
  const Playbook &playbook = work.policy().playbook(c.type);
  if (c.initial_action.empty()) c.initial_action = playbook.initial_action;
  Json vars = order_variables(work.order());
  vars.update(variables);
  if (playbook.team && !playbook.needs.empty())
    work.notify_team(c, *playbook.team, "team_cs_request", playbook.needs, vars, "playbook");
  if (playbook.customer_template)
    work.notify_customer(c, *playbook.customer_template, vars, *playbook.customer_template);
}

}  // namespace ordercare::domain
