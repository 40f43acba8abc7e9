// The playbooks of seeds 000 and 004 that act on the order through the
// host: a wrong, damaged or missing item, a late shipment, a cancellation.
#include <algorithm>

#include "common/failure.h"
#include "domain/case_state_machine.h"
#include "domain/order_action_parts.h"
#include "domain/order_actions.h"
#include "domain/priority.h"

namespace ordercare::domain {

namespace {

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
