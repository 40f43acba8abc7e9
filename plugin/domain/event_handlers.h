// The case engine's rules, one function per canonical event type, and the
// playbook every new case starts with. Internal to plugin/domain/.
#pragma once

#include "domain/case_work.h"

namespace ordercare::domain {

void on_order_created(CaseWork &work, const EventView &event);
void on_order_updated(CaseWork &work, const EventView &event);
void on_shipment_updated(CaseWork &work, const EventView &event);
void on_customer_message(CaseWork &work, const EventView &event);
void on_cancellation_requested(CaseWork &work, const EventView &event);
void on_order_change_requested(CaseWork &work, const EventView &event);
void on_pickup_requested(CaseWork &work, const EventView &event);  // store_pickup.cpp
void on_pickup_updated(CaseWork &work, const EventView &event);
void on_payment_event(CaseWork &work, const EventView &event);
void on_inventory_discrepancy(CaseWork &work, const EventView &event);
void on_stock_shortfall(CaseWork &work, const EventView &event);  // internal follow-up
void on_warehouse_order_delayed(CaseWork &work, const EventView &event);  // warehouse_answers.cpp
void on_warehouse_out_of_stock(CaseWork &work, const EventView &event);
void on_warehouse_damaged_at_pick(CaseWork &work, const EventView &event);
void on_warehouse_change_answer(CaseWork &work, const EventView &event);
void on_return_requested(CaseWork &work, const EventView &event);
void on_return_received(CaseWork &work, const EventView &event);
void on_refund_result(CaseWork &work, const EventView &event);
void on_refund_recorded(CaseWork &work, const EventView &event);  // platform_refunds.cpp
void on_feedback_received(CaseWork &work, const EventView &event);  // feedback.h
void on_order_action_result(CaseWork &work, const EventView &event);  // order_actions.h

// Starts a new case on its playbook: the initial action, the request to the
// team that must act (with what CS needs from them) and the customer's
// acknowledgement. Does nothing for a case that is not new.
void start_playbook(CaseWork &work, CaseRecord &c, Json variables = Json::object());

// Keeps the event until the order appears, and asks the host about the
// order once (lookup_order).
void wait_for_order(CaseWork &work, const std::string &order_id);
void ask_host_for_order(CaseWork &work, const std::string &order_id);

// Re-evaluates the priority of every active case of the order (new facts).
void refresh_active_cases(CaseWork &work, const std::string &because);

// Applies the customer's identity from an event (tags; PII into its pii).
void absorb_customer(CaseWork &work, const Json &customer);

// Small readers over schema-validated event data.
std::string text_of(const Json &data, const char *key);
std::optional<std::string> optional_text_of(const Json &data, const char *key);
std::optional<TimeMs> time_of(const Json &data, const char *key);

}  // namespace ordercare::domain
