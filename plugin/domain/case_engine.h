// The case engine: a pure function from (state, event, now, policy) to a
// Decision. It reads no clock, opens no file and calls no host; the runtime
// loads the Snapshot, calls decide(), and writes the Decision with the event
// in one transaction.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "common/json.h"
#include "domain/decision.h"
#include "domain/entities.h"
#include "domain/policy.h"
#include "domain/transfer_record.h"

namespace ordercare::domain {

// The slice of state an event needs.
struct Snapshot {
  std::optional<Order> order;
  std::optional<Customer> customer;
  // The order's cases (or the customer's, for a message with no order), in
  // any state; or the SKU's open inventory cases for a stock discrepancy.
  std::vector<CaseRecord> cases;
  // Complaint cases opened within the repeated-complaints window, by SKU,
  // not counting cases of this order, counted up to the threshold: a count
  // equal to it means "at least".
  std::map<std::string, std::int64_t> recent_complaints_by_sku;
  // Open orders holding a SKU (inventory discrepancies: "affecting other
  // orders?").
  std::vector<Order> open_orders_with_sku;
  // The order's returns; or the one return an event or command is about.
  std::vector<ReturnRecord> returns;
  // The host carries out order actions itself (its order_action callback,
  // ABI 1.3); without it they go to a team as tasks. A fact about the host
  // the runtime hands in, like the time.
  bool order_actions = false;
  // The transfer a transfer.* event is about, if known; its case is in
  // `cases`.
  std::optional<Transfer> transfer;
};

struct EventView {
  std::string id;
  std::string type;
  std::string source;
  TimeMs occurred_at = 0;
  const Json &data;
  std::optional<std::string> store;  // the envelope's `store`
};

// What the runtime must load to build the Snapshot for an event.
struct SnapshotKeys {
  std::optional<std::string> order_id;
  std::optional<std::string> customer_id;
  std::optional<std::string> sku;       // inventory discrepancy
  std::optional<std::string> location;  // inventory discrepancy
  std::vector<std::string> complaint_skus;  // SKUs to count recent complaints for
  std::optional<std::string> return_id;     // return.received
  std::optional<std::string> case_id;       // feedback.received
  std::optional<std::string> transfer_id;   // transfer.requested, transfer.updated
};

SnapshotKeys snapshot_keys(const EventView &event, const std::optional<Order> &order);

Decision decide(const Snapshot &state, const EventView &event, TimeMs now, const Policy &policy);

// When an order's facts change outside decide() (the host answered
// lookup_order), re-evaluates the priority of its active cases.
Decision refresh_order_cases(const Snapshot &state, TimeMs now, const Policy &policy);

}  // namespace ordercare::domain
