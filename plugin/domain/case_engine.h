// The case engine: a pure function from (state, event, now, policy) to a
// Decision. It reads no clock, opens no file and calls no host; the runtime
// loads the Snapshot, calls decide(), and writes the Decision with the event
// in one transaction.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "common/event_type.h"
#include "common/json.h"
#include "common/subject.h"
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
  EventType type;  // read once where the view is made (event_view_type)
  std::string source;
  TimeMs occurred_at = 0;
  const Json &data;
  std::optional<std::string> store;  // the envelope's `store`
};

// What a decision reads, named by the domain: for an event (snapshot_keys),
// for a command or answer about an order (order_keys), or about a case
// (case_keys). The runtime reads them with the one loader,
// snapshot_loader.h.
struct SnapshotKeys {
  std::optional<std::string> event_id;  // an event about nothing else is its own subject
  std::optional<std::string> order_id;
  std::optional<std::string> customer_id;
  std::optional<std::string> sku;       // inventory discrepancy
  std::optional<std::string> location;  // inventory discrepancy
  // SKUs to count recent complaints for: a customer's message, whose red
  // flag "repeated complaints" looks at other orders' complaints about them.
  std::vector<std::string> complaint_skus;
  std::optional<std::string> return_id;  // return.requested, return.received
  std::optional<std::string> effect_id;  // refund.result, order_action.result
  std::optional<std::string> case_id;    // feedback.received
  std::optional<std::string> transfer_id;  // transfer.requested, transfer.updated
  // Cases named by id (a command's case and its follow-up, a timer's, an
  // effect's), read after the subject's.
  std::vector<std::string> case_ids;
  // Whether the subject's cases and the order's returns are read: a case's
  // command or timer sees only the cases it names.
  bool whole_subject = true;

  // The subject whose cases the decision reads and whose claim it holds:
  // the transfer, else the order, else the SKU at its location, else the
  // customer, else the event itself.
  Subject subject() const;
};

// The type of an event to decide on, from its wire spelling; a type the
// rules do not know fails with OC_ERR_UNKNOWN_TYPE ("type: no rules for
// event type 'x'").
EventType event_view_type(std::string_view name);

SnapshotKeys snapshot_keys(const EventView &event, const std::optional<Order> &order);
// An order's snapshot: the order, its customer, cases and returns; nothing
// when the order is unknown.
SnapshotKeys order_keys(const std::optional<Order> &order);
// A case's: the case and its follow-up, its order and customer.
SnapshotKeys case_keys(const CaseRecord &c);

Decision decide(const Snapshot &state, const EventView &event, TimeMs now, const Policy &policy);

// When an order's facts change outside decide() (the host answered
// lookup_order), re-evaluates the priority of its active cases.
Decision refresh_order_cases(const Snapshot &state, TimeMs now, const Policy &policy);

}  // namespace ordercare::domain
