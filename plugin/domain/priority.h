// Seed 004's escalation priority guide as a function of a case's triggers:
// the highest priority any trigger maps to. Triggers come from events
// (wrong item, two failed deliveries, a message threatening to cancel) and
// from facts that can change (a VIP customer, an event date, a large
// order), so priority is recomputed whenever facts arrive.
#pragma once

#include <string>
#include <vector>

#include "domain/entities.h"
#include "domain/policy.h"

namespace ordercare::domain {

struct PriorityVerdict {
  Priority priority = Priority::p3;
  std::string trigger;  // the trigger that set it; "" for the default
};

PriorityVerdict priority_from_triggers(const PriorityPolicy &policy,
                                       const std::vector<std::string> &triggers);

// Triggers that follow from the order and customer rather than from one
// event: vip_complaint (a VIP customer has spoken up on the case),
// event_deadline (the order has an event date or deadline within the
// window), large_order (total at or above the threshold in its currency).
std::vector<std::string> fact_triggers(const PriorityPolicy &policy, const CaseRecord &c,
                                       const Order *order, const Customer *customer, TimeMs now);

bool is_vip(const PriorityPolicy &policy, const Customer *customer);

// Adds `value` to `list` unless present; true if it was added.
bool add_unique(std::vector<std::string> &list, const std::string &value);

}  // namespace ordercare::domain
