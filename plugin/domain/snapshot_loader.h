// The one place a Snapshot is read: what the keys name (case_engine.h),
// for events and commands alike, from a SnapshotReader (the store, or the
// tests' memory). Reading is all it does; deciding is decide()'s.
#pragma once

#include <optional>
#include <vector>

#include "domain/case_engine.h"
#include "domain/snapshot_reader.h"

namespace ordercare::domain {

// What the caller read already to make the keys: not read again.
struct AlreadyRead {
  // The order keys.order_id names, looked up (found or not) when set.
  std::optional<std::optional<Order>> order;
  // Cases among keys.case_ids.
  std::vector<CaseRecord> cases;
};

// Reads, in this order: the order; the customer; the subject's cases (only
// its active ones for a stock count, whose resolved counts pile up for as
// long as the SKU sells) and then the named cases not among them; the
// transfer and its case; the order's returns; the open orders holding the
// SKU; and the recent complaints about the order's SKUs within the
// policy's window before `now`.
Snapshot load_snapshot(SnapshotReader &reader, const SnapshotKeys &keys, TimeMs now, const Policy &policy,
                       AlreadyRead already = {});

}  // namespace ordercare::domain
