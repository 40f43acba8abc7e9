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

Subject SnapshotKeys::subject() const {
  if (transfer_id) return Subject::transfer(*transfer_id);
  if (order_id) return Subject::order(*order_id);
  if (sku) return Subject::sku_at(*sku, location.value_or(""));
  if (customer_id) return Subject::customer(*customer_id);
  return Subject::event(event_id.value_or(""));
}

SnapshotKeys snapshot_keys(const EventView &event, const std::optional<Order> &order) {
  SnapshotKeys keys;
  const Json &data = event.data;
  keys.event_id = event.id;
  if (event.type == EventType::order_created) {
    keys.order_id = text_of(data["order"], "id");
    keys.customer_id = text_of(data["order"]["customer"], "id");
  } else if (event.type == EventType::inventory_discrepancy) {
    keys.sku = text_of(data, "sku");
    keys.location = text_of(data, "location");
  } else if (event.type == EventType::transfer_requested || event.type == EventType::transfer_updated) {
    // A transfer is its own subject, also when it serves an order.
    keys.transfer_id = text_of(data, "transfer_id");
  } else {
    keys.order_id = optional_text_of(data, "order_id");
  }
  if (event.type == EventType::customer_message) keys.customer_id = text_of(data["customer"], "id");
  if (event.type == EventType::privacy_requested) keys.customer_id = optional_text_of(data, "customer_id");
  if (event.type == EventType::return_requested || event.type == EventType::return_received)
    keys.return_id = optional_text_of(data, "return_id");
  if (event.type == EventType::refund_result) keys.effect_id = optional_text_of(data, "refund_id");
  if (event.type == EventType::order_action_result) keys.effect_id = optional_text_of(data, "action_id");
  if (event.type == EventType::feedback_received) keys.case_id = text_of(data, "case_id");
  // Only a customer's message looks for repeated complaints about its
  // SKUs (check_repeated_complaints): the counts are read for it alone.
  const bool counts_complaints = event.type == EventType::customer_message;
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

namespace {

using Handler = void (*)(CaseWork &, const EventView &);

// Every type has its rules: a type added to the enum and not here fails to
// compile (-Wswitch).
Handler handler_for(EventType type) {
  switch (type) {
    case EventType::order_created: return on_order_created;
    case EventType::order_updated: return on_order_updated;
    case EventType::shipment_updated: return on_shipment_updated;
    case EventType::customer_message: return on_customer_message;
    case EventType::cancellation_requested: return on_cancellation_requested;
    case EventType::order_change_requested: return on_order_change_requested;
    case EventType::pickup_requested: return on_pickup_requested;
    case EventType::pickup_updated: return on_pickup_updated;
    case EventType::payment_failed: return on_payment_event;
    case EventType::payment_disputed: return on_payment_event;
    case EventType::inventory_discrepancy: return on_inventory_discrepancy;
    case EventType::warehouse_order_delayed: return on_warehouse_order_delayed;
    case EventType::warehouse_out_of_stock: return on_warehouse_out_of_stock;
    case EventType::warehouse_damaged_at_pick: return on_warehouse_damaged_at_pick;
    case EventType::warehouse_change_answer: return on_warehouse_change_answer;
    case EventType::return_requested: return on_return_requested;
    case EventType::return_received: return on_return_received;
    case EventType::refund_result: return on_refund_result;
    case EventType::refund_recorded: return on_refund_recorded;
    case EventType::feedback_received: return on_feedback_received;
    case EventType::order_action_result: return on_order_action_result;
    case EventType::order_stock_shortfall: return on_stock_shortfall;
    case EventType::transfer_requested: return on_transfer_requested;
    case EventType::transfer_updated: return on_transfer_updated;
    // privacy.requested is carried out by the runtime, never decided on.
    case EventType::privacy_requested: return nullptr;
  }
  return nullptr;
}

}  // namespace

EventType event_view_type(std::string_view name) {
  const auto type = event_type_from(name);
  if (!type) fail(OC_ERR_UNKNOWN_TYPE, "type: no rules for event type '" + std::string(name) + "'");
  return *type;
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
  const Handler handler = handler_for(event.type);
  if (!handler) fail(OC_ERR_UNKNOWN_TYPE, "type: no rules for event type '" + name_of(event.type) + "'");
  CaseWork work(state, &event, now, policy);
  handler(work, event);
  return work.finish();
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
  work.decision().park_on = Subject::order(order_id);
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
    if (auto value = optional_text_of(data, field)) customer.pii.edit()[field] = *value;
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
