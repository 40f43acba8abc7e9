// Actions on an order that the host carries out (ABI 1.3's order_action
// callback): reship, exchange, cancel, return_label and offer. Each is
// booked on the order's ledger (Order::actions) before it is asked for, as
// a refund is, so policy and arithmetic hold across concurrent requests: no
// line reshipped or exchanged more often than it was ordered, one cancel at
// a time, offers under the policy's cap. The request then goes out through
// the outbox under its idempotency key, <kind>:<order>:<n>. A host without
// the callback gets the same request as a team task (notify), as before.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "domain/case_work.h"
#include "domain/return_flow.h"

namespace ordercare::domain {

// What is asked; the lines name order lines (line_id, quantity, new_sku)
// and are completed from the order.
struct ActionRequest {
  std::string kind;  // reship | exchange | cancel | return_label | offer
  std::string reason;
  std::vector<ActionLine> lines;
  std::string shipping_speed;  // standard | expedited | overnight
  bool only_if_in_stock = false;
  std::optional<std::string> return_id;
  std::string offer;        // discount_code | free_expedited_shipping | store_credit
  std::int64_t amount = 0;  // offer, minor units
  std::string currency;     // offer: must be the order's
  std::string agent = "system";
  // Booked now, asked for once the warehouse confirms (case.resume with
  // confirmed): seed 000's missing item is sent after the warehouse checked.
  bool held = false;
};

// Books the action on the order and asks the host for it, or the case's
// team when the host has no order_action callback. Throws Failure
// (OC_ERR_TRANSITION, OC_ERR_REFUSED) before anything changes when the
// order's state, policy or arithmetic refuses it.
const OrderAction &request_action(CaseWork &work, CaseRecord &c, ActionRequest request);

// order.reship, order.exchange, order.cancel, order.offer and return.label
// as an agent calls them. state: the order's snapshot.
struct OrderActionCommand {
  std::string order_id;
  std::string case_id;  // for return.label: found from the return
  std::string command_id;
  ActionRequest request;
};
Decision decide_order_action(const Snapshot &state, const OrderActionCommand &command, TimeMs now,
                             const Policy &policy);

// The host's answer to an order_action effect (or its order_action.result
// event), on the order's ledger, the case and the customer. `reply` is what
// the host attached; `detail` the dispatcher's words for a failure.
void settle_order_action(CaseWork &work, CaseRecord *c, const Effect &effect, HostAnswer answer,
                         const Json &reply, const std::string &detail);

// order_action.result: the host reports what became of an action it
// answered PENDING.
void on_order_action_result(CaseWork &work, const EventView &event);

// The warehouse answered (case.resume with confirmed): the case's held
// actions are asked for, or dropped.
void release_held_actions(CaseWork &work, CaseRecord &c, bool confirmed, const std::string &agent);

// The playbooks of seeds 000 and 004 that act on the order, for a case just
// opened from the customer's message: a wrong item gets a replacement and a
// return label, a damaged one a replacement if in stock, a missing one a
// reship once the warehouse confirms. Only with a host that acts and when
// the case names the items; otherwise the team's request is all, as before.
void plan_item_actions(CaseWork &work, CaseRecord &c);

// Seed 000 "Shipping delay: offer expedited shipping or a discount if
// necessary": a new estimate past the promised date gets the policy's
// offer; the customer's delay notice waits for it and carries it. Returns
// false when no offer is made (the caller sends the plain notice).
bool offer_for_delay(CaseWork &work, CaseRecord &c, const std::string &delay_reason);

// Seed 000 "Order cancellation: check if the order is still processing":
// asks the host to cancel (it answers whether it was too late).
void cancel_via_host(CaseWork &work, CaseRecord &c, const std::string &reason);

}  // namespace ordercare::domain
