#include "runtime/engine.h"

#include <algorithm>

#include "common/failure.h"

namespace ordercare::runtime {

namespace {

// Parked events released by an order can themselves release nothing else
// (they are about that same order), but a bound keeps a bug from recursing.
constexpr int kMaxReleaseDepth = 4;

std::string subject_of(const domain::EventView &view, const domain::SnapshotKeys &keys) {
  if (keys.order_id) return "order:" + *keys.order_id;
  if (keys.sku) return "sku:" + *keys.sku + "@" + keys.location.value_or("");
  if (keys.customer_id) return "customer:" + *keys.customer_id;
  return "event:" + view.id;
}

std::string pii_key_of(const domain::SnapshotKeys &keys) {
  if (keys.customer_id) return "customer:" + *keys.customer_id;
  if (keys.order_id) return "order:" + *keys.order_id;
  return "system";
}

void append_unique(std::vector<std::string> &to, const std::vector<std::string> &from) {
  for (const auto &id : from)
    if (std::find(to.begin(), to.end(), id) == to.end()) to.push_back(id);
}

}  // namespace

domain::EventView view_of(const Json &event) {
  static const Json kEmpty = Json::object();
  auto data = event.find("data");
  return domain::EventView{event.value("id", ""), event.value("type", ""), event.value("source", ""),
                           parse_rfc3339(event.value("occurred_at", "")).value_or(0),
                           data != event.end() ? *data : kEmpty};
}

Json to_json(const SubmitOutcome &outcome) {
  return Json{{"status", outcome.duplicate ? "duplicate" : "accepted"},
              {"event_id", outcome.event_id},
              {"cases", outcome.cases},
              {"effects", outcome.effects}};
}

SubmitOutcome Engine::ingest(JobContext &job, const ingest::CanonicalEvent &event, TimeMs now) {
  const domain::EventView view = view_of(event.body);
  auto keys = domain::snapshot_keys(view, std::nullopt);
  std::optional<domain::Order> order;
  if (keys.order_id) order = job.store.state().find_order(*keys.order_id);
  keys = domain::snapshot_keys(view, order);

  store::StoredEvent stored;
  stored.id = event.id;
  stored.type = event.type;
  stored.source = event.source;
  stored.store_id = event.store_id;
  stored.occurred_at = event.occurred_at;
  stored.received_at = now;
  stored.parsed = &event.body;
  stored.pii_key = pii_key_of(keys);
  SubmitOutcome outcome;
  outcome.event_id = event.id;
  outcome.duplicate = !job.store.events().append(stored);
  if (outcome.duplicate) return outcome;
  process(job, stored.seq, event.body, now, outcome, 0);
  return outcome;
}

void Engine::process(JobContext &job, std::int64_t seq, const Json &event, TimeMs now,
                     SubmitOutcome &outcome, int depth) {
  const domain::EventView view = view_of(event);
  auto keys = domain::snapshot_keys(view, std::nullopt);
  std::optional<domain::Order> order;
  if (keys.order_id) order = job.store.state().find_order(*keys.order_id);
  keys = domain::snapshot_keys(view, order);
  const bool order_was_known = order.has_value();

  const domain::Snapshot snapshot = load_snapshot(job, view, keys, order, now);
  const domain::Decision decision = domain::decide(snapshot, view, now, policy_);
  append_unique(outcome.cases, decision.case_ids());
  append_unique(outcome.effects, apply(job, decision, seq));

  // This event made an order known: what waited for it can happen now.
  if (decision.order && !order_was_known && depth < kMaxReleaseDepth) {
    for (const std::int64_t parked : job.store.state().take_parked("order:" + decision.order->id)) {
      auto stored = job.store.events().find_by_seq(parked);
      if (!stored) continue;
      process(job, parked, parse_json(stored->body, "parked event"), now, outcome, depth + 1);
    }
  }
}

domain::Snapshot Engine::load_snapshot(JobContext &job, const domain::EventView &view,
                                       const domain::SnapshotKeys &keys,
                                       const std::optional<domain::Order> &order, TimeMs now) {
  store::StateStore &state = job.store.state();
  domain::Snapshot snapshot;
  snapshot.order = order;
  if (keys.customer_id) snapshot.customer = state.find_customer(*keys.customer_id);
  snapshot.cases = state.cases_for_subject(subject_of(view, keys));
  if (view.type == "customer.message" || view.type == "return.requested" ||
      view.type == "shipment.updated") {
    snapshot.recent_complaints_by_sku = state.recent_complaints(
        keys.complaint_skus, now - policy_.red_flags.repeat_window, keys.order_id);
  }
  if (keys.sku) snapshot.open_orders_with_sku = state.open_orders_with_sku(*keys.sku);
  return snapshot;
}

std::vector<std::string> Engine::apply(JobContext &job, const domain::Decision &decision,
                                       std::optional<std::int64_t> event_seq) {
  store::StateStore &state = job.store.state();
  if (decision.order) state.put_order(*decision.order);
  for (const auto &order : decision.other_orders) state.put_order(order);
  if (decision.customer) state.put_customer(*decision.customer);
  for (const auto &c : decision.cases) state.put_case(c);
  for (const auto &entry : decision.log) state.append_log(entry);
  for (const auto &e : decision.escalations) state.put_escalation(e);
  std::vector<std::string> queued;
  for (const auto &effect : decision.effects)
    if (job.store.outbox().enqueue(effect)) queued.push_back(effect.id);
  if (decision.park_on && event_seq) state.park(*decision.park_on, *event_seq);
  if (!queued.empty()) job.wake_host = true;
  return queued;
}

}  // namespace ordercare::runtime
