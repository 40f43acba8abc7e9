// Seed 004's "To Customer Service Team" answers as events (schema 1.3):
// the warehouse reports an order delayed (reason, new ship date, what CS
// can offer), an item out of stock (SKU, count, restock date,
// substitutes), an item damaged at pick, and whether a change can be made
// (yes by when, or no and why). Each lands on the order's cases it
// answers, stops their warehouse answer clock (warehouse_asked_at, seed
// 004 "Respond to CS within 30 minutes") and sends the customer the
// message the playbook names. The four rules, on_warehouse_*, are in
// event_handlers.h with the other events'.
#pragma once

#include <string>

#include "domain/case_work.h"

namespace ordercare::domain {

// The delay notice of a warehouse.order_delayed that came with an offer
// waits for the host's answer to it: sends it (with `offer`, the offer in
// words, or without one when it is empty: the host could not make it).
// False, and nothing sent, for any other action.
bool send_warehouse_delay_notice(CaseWork &work, CaseRecord &c, const OrderAction &action, const std::string &offer);

}  // namespace ordercare::domain
