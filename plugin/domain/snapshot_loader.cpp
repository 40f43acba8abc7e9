#include "domain/snapshot_loader.h"

#include <algorithm>

namespace ordercare::domain {

namespace {

bool holds(const std::vector<CaseRecord> &cases, const std::string &id) {
  return std::any_of(cases.begin(), cases.end(), [&](const CaseRecord &c) { return c.id == id; });
}

std::optional<CaseRecord> take_case(std::vector<CaseRecord> &read, const std::string &id) {
  for (auto it = read.begin(); it != read.end(); ++it)
    if (it->id == id) {
      CaseRecord c = std::move(*it);
      read.erase(it);
      return c;
    }
  return std::nullopt;
}

}  // namespace

Snapshot load_snapshot(SnapshotReader &reader, const SnapshotKeys &keys, TimeMs now, const Policy &policy,
                       AlreadyRead already) {
  Snapshot snapshot;
  if (already.order)
    snapshot.order = std::move(*already.order);
  else if (keys.order_id)
    snapshot.order = reader.find_order(*keys.order_id);
  if (keys.customer_id) snapshot.customer = reader.find_customer(*keys.customer_id);

  if (keys.whole_subject) {
    const Subject subject = keys.subject();
    snapshot.cases = keys.sku && !keys.order_id ? reader.active_cases_for_subject(subject)
                                                : reader.cases_for_subject(subject);
  }
  for (const auto &id : keys.case_ids) {
    if (holds(snapshot.cases, id)) continue;
    auto c = take_case(already.cases, id);
    if (!c) c = reader.find_case(id);
    if (c) snapshot.cases.push_back(std::move(*c));
  }
  if (keys.transfer_id) {
    snapshot.transfer = reader.find_transfer(*keys.transfer_id);
    if (snapshot.transfer && !holds(snapshot.cases, snapshot.transfer->case_id))
      if (auto c = reader.find_case(snapshot.transfer->case_id)) snapshot.cases.push_back(std::move(*c));
  }
  if (keys.whole_subject && keys.order_id) snapshot.returns = reader.returns_for_order(*keys.order_id);
  if (keys.sku) snapshot.open_orders_with_sku = reader.open_orders_with_sku(*keys.sku);
  if (!keys.complaint_skus.empty())
    snapshot.recent_complaints_by_sku =
        reader.recent_complaints(keys.complaint_skus, now - policy.red_flags.repeat_window, keys.order_id,
                                 policy.red_flags.repeat_threshold);
  return snapshot;
}

}  // namespace ordercare::domain
