// The rules of a return, pure and small: who may return what (seed 000:
// "check the return policy: timeframe, condition"), the lifecycle's legal
// steps, and the refund arithmetic that never gives back more than was
// paid.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "domain/entities.h"
#include "domain/policy.h"
#include "domain/return_record.h"

namespace ordercare::domain {

struct RequestedItem {
  std::string line_id;
  std::int64_t quantity = 0;
  std::string reason;
  std::string condition;
};

// A new return for `order` with each item's eligibility decided and the
// return-level policy (who pays shipping, keep the item, instant refund,
// restocking fee) applied. Items that cannot be returned stay on it with
// eligible = false and the reason.
ReturnRecord build_return(const std::string &id, const Order &order, const Customer *customer,
                          const std::vector<RequestedItem> &items,
                          const std::vector<ReturnRecord> &earlier_returns, TimeMs now,
                          const ReturnPolicy &policy);

bool can_transition(ReturnStatus from, ReturnStatus to);
void require_transition(const ReturnRecord &r, ReturnStatus to, const std::string &command);

// Books a refund on the order's ledger and returns it. Throws
// Failure(OC_ERR_REFUSED) if amount is not positive or exceeds what remains
// of the order (paid minus committed refunds) or of the return.
RefundRecord &book_refund(Order &order, const ReturnRecord *ret, const std::optional<std::string> &case_id,
                          std::int64_t amount, const std::string &method, const std::string &reason,
                          TimeMs now);

// The refund request the host receives (its id is the idempotency key).
Effect refund_effect(const Order &order, const RefundRecord &refund, const ReturnRecord *ret);

struct ReceivedItem {
  std::string line_id;
  std::int64_t quantity = 0;
  std::string condition;  // resellable | damaged; empty: not checked yet
};

// Records what the warehouse got back. Throws Failure(OC_ERR_REFUSED) for a
// line not on the return or not eligible, or more than is still expected
// ("received twice").
void receive_items(ReturnRecord &r, const std::vector<ReceivedItem> &items, TimeMs now);

// Seed 004 "Customer returning item": resellable -> back to stock, damaged
// -> returns area. Returns one inventory adjustment per received line.
// Throws Failure(OC_ERR_REFUSED) for a received line whose condition is
// neither given nor known from the receipt.
std::vector<Effect> inspect_items(ReturnRecord &r, const std::vector<ReceivedItem> &items, TimeMs now,
                                  const ReturnPolicy &policy);

// What the return is still owed: due less refunded and outstanding.
std::int64_t refund_remaining(const ReturnRecord &r, const Order &order);

// Moves a return whose work is done on to refunded and closed.
void settle(ReturnRecord &r, const Order &order, TimeMs now);

}  // namespace ordercare::domain
