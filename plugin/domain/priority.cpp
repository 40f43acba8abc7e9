#include "domain/priority.h"

#include <algorithm>

namespace ordercare::domain {

bool add_unique(std::vector<std::string> &list, const std::string &value) {
  if (std::find(list.begin(), list.end(), value) != list.end()) return false;
  list.push_back(value);
  return true;
}

PriorityVerdict priority_from_triggers(const PriorityPolicy &policy,
                                       const std::vector<std::string> &triggers) {
  PriorityVerdict best{policy.fallback, ""};
  for (const auto &trigger : triggers) {
    auto it = policy.triggers.find(trigger);
    if (it == policy.triggers.end()) continue;
    if (best.trigger.empty() || it->second < best.priority) best = {it->second, trigger};
  }
  return best;
}

bool is_vip(const PriorityPolicy &policy, const Customer *customer) {
  if (!customer) return false;
  for (const auto &tag : customer->tags)
    for (const auto &vip : policy.vip_tags)
      if (tag == vip) return true;
  return false;
}

std::vector<std::string> fact_triggers(const PriorityPolicy &policy, const CaseRecord &c,
                                       const Order *order, const Customer *customer, TimeMs now) {
  std::vector<std::string> out;
  if (is_vip(policy, customer) && c.customer_contacts > 0) out.push_back("vip_complaint");
  if (order) {
    if (order->promised_by && *order->promised_by - now <= policy.deadline_window)
      out.push_back("event_deadline");
    if (!order->currency.empty() && order->total >= large_order_threshold(policy, order->currency))
      out.push_back("large_order");
  }
  return out;
}

}  // namespace ordercare::domain
