// Seed 004 "Store needs item from warehouse":
//   1. Check priority: store vs warehouse urgency
//   2. If store priority: pull from warehouse stock
//   3. If warehouse priority: give store wait time
//   4. Document transfer
// "Balance: Store customers are here NOW, warehouse has deadlines."
//
// transfer.requested decides the answer once (transfer_answer) and tells
// the store's team and the warehouse; transfer.updated walks the transfer
// forward and moves the stock: minus at the warehouse when it leaves,
// plus at the store when it arrives, each once (the adjust_inventory
// pair). Every transfer is worked on a system task case of its own
// (IssueType::stock_transfer), closed when it is received or cancelled.
#pragma once

#include <optional>
#include <string>

#include "common/time_format.h"
#include "domain/case_work.h"

namespace ordercare::domain {

// What the request says about the two sides' urgency.
struct TransferNeed {
  bool customer_waiting = false;           // a customer at the store now
  std::optional<TimeMs> needed_by;         // when the store needs it otherwise
  std::int64_t warehouse_orders_due = 0;   // orders due to ship from the warehouse
  std::optional<TimeMs> warehouse_ship_by;  // by when they must ship
};

struct TransferAnswer {
  std::string favours;  // "store" | "warehouse"
  std::string answer;   // "pull_now" | "wait"
  TimeMs ready_by = 0;  // when the store can count on the stock
  std::string reason;   // the rule that decided, in words
};

// The priority rule, in this order:
//   1. A customer is waiting at the store now: store priority (seed 004's
//      Priority 1, "Customer waiting at store"). Pull from warehouse stock
//      now; no warehouse deadline outranks a customer standing there.
//   2. The warehouse has orders due to ship: warehouse priority. Those are
//      customers' deadlines; shelf stock waits. The store is given a wait
//      time: the stock is ready once the warehouse's due orders are out
//      (their ship-by time, or now if that has passed) plus the
//      warehouse's transfer lead time. A store's need_by earlier than that
//      is said in the reason, and does not move the deadline.
//   3. No deadlines at the warehouse, and the store needs it sooner than
//      the lead time would bring it (needed_by within it): store priority,
//      pull now.
//   4. Otherwise the transfer joins the warehouse's regular pace: the store
//      waits the lead time.
// `lead_time` is the warehouse's (locations.h, transfer_lead_time).
TransferAnswer transfer_answer(const TransferNeed &need, TimeMs now, TimeMs lead_time);

void on_transfer_requested(CaseWork &work, const EventView &event);
void on_transfer_updated(CaseWork &work, const EventView &event);

}  // namespace ordercare::domain
