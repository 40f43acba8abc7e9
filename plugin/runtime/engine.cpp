#include "runtime/engine.h"

#include <algorithm>

#include "common/failure.h"
#include "domain/case_commands.h"
#include "domain/sla_clocks.h"
#include "domain/sla_digest.h"
#include "domain/sla_events.h"
#include "ingest/canonical_event.h"
#include "runtime/privacy_requests.h"
#include "store/subjects.h"

namespace ordercare::runtime {

namespace {

// Parked events released by an order can themselves release nothing else
// (they are about that same order), but a bound keeps a bug from recursing.
constexpr int kMaxReleaseDepth = 4;

// What a decision about the event reads and writes: its subject's cases
// (and order), and its customer, whose document orders share.
std::vector<Subject> subjects_of(const domain::SnapshotKeys &keys) {
  std::vector<Subject> out{keys.subject()};
  if (keys.customer_id) out.push_back(Subject::customer(*keys.customer_id));
  return out;
}

void append_unique(std::vector<std::string> &to, const std::vector<std::string> &from) {
  for (const auto &id : from)
    if (std::find(to.begin(), to.end(), id) == to.end()) to.push_back(id);
}

// A return id names one return of one order: a platform that reuses it for
// another order would overwrite that return. Refused like a schema error,
// before anything is written.
void require_own_return_id(JobContext &job, const domain::EventView &view, const domain::SnapshotKeys &keys) {
  // A walk-in return (return.received) names its order like a request.
  const bool walk_in = view.type == EventType::return_received && view.data.value("walk_in", false);
  if (view.type != EventType::return_requested && !walk_in) return;
  if (!keys.return_id) return;
  const auto known = job.store.state().find_return(*keys.return_id);
  const std::string order_id = view.data.value("order_id", "");
  if (known && known->order_id != order_id)
    fail(OC_ERR_SCHEMA, "data.return_id: return " + known->id + " belongs to order " + known->order_id +
                            ", not " + order_id);
}

// Whether the log holds the event, asked only once its rules refused it:
// a store that cannot answer leaves that refusal to stand.
bool logged_already(JobContext &job, const std::string &event_id) {
  try {
    return job.store.events().find(event_id).has_value();
  } catch (...) {
    return false;
  }
}

}  // namespace

// The order an event is about when it names it only through something
// else: a return (return.received) or a refund we asked for (refund.result).
std::optional<std::string> order_behind(JobContext &job, const domain::SnapshotKeys &keys) {
  if (keys.return_id)
    if (auto r = job.store.state().find_return(*keys.return_id)) return r->order_id;
  if (keys.effect_id)
    if (auto effect = job.store.outbox().find(*keys.effect_id); effect && effect->effect.order_id)
      return effect->effect.order_id;
  return std::nullopt;
}

// The case a feedback.received rates: known, and a customer's. Refused
// before anything is written otherwise.
domain::CaseRecord rated_case(JobContext &job, const domain::EventView &view) {
  const std::string id = view.data.value("case_id", "");
  auto c = job.store.state().find_case(id);
  if (!c) fail(OC_ERR_NOT_FOUND, "data.case_id: no case with id '" + id + "'");
  if (!c->customer_id)
    fail(OC_ERR_REFUSED, "data.case_id: case " + id + " has no customer whose feedback it could be");
  return *c;
}

domain::SnapshotKeys keys_for(JobContext &job, const domain::EventView &view, std::optional<domain::Order> &order) {
  auto keys = domain::snapshot_keys(view, std::nullopt);
  std::optional<std::string> customer_id;
  if (keys.case_id) {
    // A case is on its order's subject, or on its customer's without one.
    const domain::CaseRecord rated = rated_case(job, view);
    keys.order_id = rated.order_id;
    customer_id = rated.customer_id;
  }
  if (!keys.order_id) keys.order_id = order_behind(job, keys);
  if (keys.order_id) order = job.store.state().find_order(*keys.order_id);
  auto full = domain::snapshot_keys(view, order);
  if (!full.order_id) full.order_id = keys.order_id;
  if (!full.customer_id) full.customer_id = customer_id;
  return full;
}

// The keys of an event, its subjects claimed. The keys tell what to claim;
// when claiming took something new, they are read again (another process
// may have just changed the order), and what they name then is final: the
// order, held, can no longer change its customer.
domain::SnapshotKeys claimed_keys(JobContext &job, const domain::EventView &view, std::optional<domain::Order> &order) {
  auto keys = keys_for(job, view, order);
  if (job.store.claim(subjects_of(keys))) {
    keys = keys_for(job, view, order);
    job.store.claim(subjects_of(keys));
  }
  // A transfer's task case is its own subject ("case:<id>"): held too, so
  // its timers do not fire while the transfer moves it.
  if (keys.transfer_id)
    if (auto transfer = job.store.state().find_transfer(*keys.transfer_id))
      if (auto c = job.store.state().find_case(transfer->case_id)) job.store.claim(case_subjects(*c));
  return keys;
}

// The event's type is read here once; the rules compare the enum.
domain::EventView view_of(const Json &event) {
  static const Json kEmpty = Json::object();
  auto data = event.find("data");
  auto store = event.find("store");
  return domain::EventView{event.value("id", ""), domain::event_view_type(event.value("type", "")),
                           event.value("source", ""),
                           parse_rfc3339(event.value("occurred_at", "")).value_or(0),
                           data != event.end() ? *data : kEmpty,
                           store != event.end() && store->is_string() ? std::optional(store->get<std::string>())
                                                                      : std::nullopt};
}

std::vector<Subject> case_subjects(const domain::CaseRecord &c) {
  std::vector<Subject> out{store::case_subject(c)};
  if (c.customer_id) out.push_back(Subject::customer(*c.customer_id));
  return out;
}

void claim_case(JobContext &job, const std::string &case_id) {
  if (auto c = job.store.state().find_case(case_id)) job.store.claim(case_subjects(*c));
}

void claim_order(JobContext &job, const std::string &order_id) {
  std::vector<Subject> subjects{Subject::order(order_id)};
  if (auto order = job.store.state().find_order(order_id); order && !order->customer_id.empty())
    subjects.push_back(Subject::customer(order->customer_id));
  job.store.claim(subjects);
}

Json to_json(const SubmitOutcome &outcome) {
  return Json{{"status", outcome.duplicate ? "duplicate" : "accepted"},
              {"event_id", outcome.event_id},
              {"cases", outcome.cases},
              {"effects", outcome.effects}};
}

std::string to_json_text(const SubmitOutcome &outcome) {
  // Keys in the order dump_json writes an object's: sorted.
  std::string out;
  out.reserve(96 + outcome.event_id.size() + 24 * (outcome.cases.size() + outcome.effects.size()));
  bool valid = true;
  const auto append_ids = [&](const std::vector<std::string> &ids) {
    out += '[';
    for (std::size_t i = 0; i < ids.size(); ++i) {
      if (i) out += ',';
      valid = append_json_string(out, ids[i]) && valid;
    }
    out += ']';
  };
  out += "{\"cases\":";
  append_ids(outcome.cases);
  out += ",\"effects\":";
  append_ids(outcome.effects);
  out += ",\"event_id\":";
  valid = append_json_string(out, outcome.event_id) && valid;
  out += outcome.duplicate ? ",\"status\":\"duplicate\"}" : ",\"status\":\"accepted\"}";
  // Not UTF-8 (ids are checked long before): dump_json says what is wrong.
  return valid ? out : dump_json(to_json(outcome));
}

ReceivedEvent::ReceivedEvent(ingest::CanonicalEvent checked)
    : event(std::move(checked)), for_log(store::split_for_log(event.body)) {
  try {
    view.emplace(view_of(event.body));
  } catch (const Failure &) {
    // An unknown type: left to ingest, which fails it.
  }
}

SubmitOutcome Engine::ingest(JobContext &job, const ReceivedEvent &received, TimeMs now) {
  const ingest::CanonicalEvent &event = received.event;
  std::optional<domain::EventView> made_here;
  const domain::EventView &view = received.view ? *received.view : made_here.emplace(view_of(event.body));
  stores_.require_known(view.store);
  std::optional<domain::Order> order;
  const auto keys = claimed_keys(job, view, order);
  require_own_return_id(job, view, keys);

  store::StoredEvent stored;
  stored.id = event.id;
  stored.type = event.type;
  stored.source = event.source;
  stored.store_id = event.store_id;
  stored.occurred_at = event.occurred_at;
  stored.received_at = now;
  stored.for_log = &received.for_log;
  stored.pii_key = store::pii_key_for(keys.customer_id, keys.order_id);
  SubmitOutcome outcome;
  outcome.event_id = event.id;
  if (view.type == EventType::privacy_requested) {
    outcome.duplicate = !job.store.events().append(stored);
    if (!outcome.duplicate) outcome.erased_pii = carry_out_privacy_request(job, *this, view, stored.seq, now, outcome);
    return outcome;
  }
  // Decided before anything is written: an event the rules refuse fails
  // having written nothing, so the writer need not undo the batch around
  // it and run its neighbours again (writer.cpp).
  std::optional<Decided> decided;
  try {
    decided = decide_event(job, view, Claimed{keys, std::move(order)}, now);
  } catch (const Failure &) {
    // A redelivery is a duplicate, whatever the rules would say of it now.
    if (!logged_already(job, event.id)) throw;
    outcome.duplicate = true;
    return outcome;
  }
  outcome.duplicate = !job.store.events().append(stored);
  if (outcome.duplicate) return outcome;
  carry_out(job, stored.seq, *decided, now, outcome, 0);
  return outcome;
}

void Engine::process(JobContext &job, std::optional<std::int64_t> seq, const Json &event, TimeMs now,
                     SubmitOutcome &outcome, int depth) {
  const domain::EventView view = view_of(event);
  Claimed claimed;
  claimed.keys = claimed_keys(job, view, claimed.order);
  process(job, seq, view, std::move(claimed), now, outcome, depth);
}

void Engine::process(JobContext &job, std::optional<std::int64_t> seq, const domain::EventView &view,
                     Claimed claimed, TimeMs now, SubmitOutcome &outcome, int depth) {
  carry_out(job, seq, decide_event(job, view, std::move(claimed), now), now, outcome, depth);
}

Engine::Decided Engine::decide_event(JobContext &job, const domain::EventView &view, Claimed claimed, TimeMs now) {
  const auto &keys = claimed.keys;
  const auto &order = claimed.order;
  const bool order_was_known = order.has_value();

  // The event's store speaks for it; one that names none (a carrier's, a
  // warehouse's, a survey tool's) is about its order's store, or the rated
  // case's.
  std::optional<std::string> store = view.store ? view.store : order ? order->store_id : std::nullopt;
  if (!store && keys.case_id)
    if (auto rated = job.store.state().find_case(*keys.case_id)) store = rated->store_id;
  const domain::Policy &policy = stores_.policy_for(store);
  domain::AlreadyRead already;
  already.order = std::move(claimed.order);
  domain::Snapshot snapshot = domain::load_snapshot(job.store.state(), keys, now, policy, std::move(already));
  snapshot.order_actions = order_actions_;
  return Decided{domain::decide(snapshot, view, now, policy), order_was_known};
}

void Engine::carry_out(JobContext &job, std::optional<std::int64_t> seq, const Decided &decided, TimeMs now,
                       SubmitOutcome &outcome, int depth) {
  const domain::Decision &decision = decided.decision;
  append_unique(outcome.cases, decision.case_ids());
  append_unique(outcome.effects, apply(job, decision, seq, now));

  // This event made an order known: what waited for it can happen now.
  if (decision.order && !decided.order_was_known && depth < kMaxReleaseDepth) {
    for (const std::int64_t parked : job.store.state().take_parked(Subject::order(decision.order->id))) {
      auto stored = job.store.events().find_by_seq(parked);
      if (!stored) continue;
      process(job, parked, parse_json(stored->body, "parked event"), now, outcome, depth + 1);
    }
  }
}

domain::Snapshot Engine::order_snapshot(JobContext &job, const std::string &order_id) {
  claim_order(job, order_id);
  domain::AlreadyRead already;
  already.order = job.store.state().find_order(order_id);
  const domain::SnapshotKeys keys = domain::order_keys(*already.order);
  return snapshot_of(job, keys, std::move(already));
}

domain::Snapshot Engine::case_snapshot(JobContext &job, const domain::CaseRecord &c) {
  domain::AlreadyRead already;
  already.cases.push_back(c);
  const domain::SnapshotKeys keys = domain::case_keys(c);
  return snapshot_of(job, keys, std::move(already));
}

domain::Snapshot Engine::snapshot_of(JobContext &job, const domain::SnapshotKeys &keys, domain::AlreadyRead already) {
  // Neither an order's nor a case's keys count complaints, the one read
  // that needs the time and a policy.
  domain::Snapshot snapshot =
      domain::load_snapshot(job.store.state(), keys, 0, stores_.policy_for(std::nullopt), std::move(already));
  snapshot.order_actions = order_actions_;
  return snapshot;
}

void Engine::learn_order(JobContext &job, const std::string &order_id, const Json &order, TimeMs now) {
  if (order.empty() || job.store.state().find_order(order_id)) return;
  Json event = {{"id", "lookup:" + order_id},
                {"type", name_of(EventType::order_created)},
                {"occurred_at", format_rfc3339(now)},
                {"source", "host"},
                {"data", {{"order", order}}}};
  // The host's answer is input like any other: checked against the schema
  // before it is believed.
  const ReceivedEvent received(ingest::canonical_event_from_json(std::move(event)));
  if (received.event.body.value(Json::json_pointer("/data/order/id"), "") != order_id)
    fail(OC_ERR_SCHEMA, "lookup_order: the host answered with a different order than " + order_id);
  ingest(job, received, now);
}

void Engine::assign(JobContext &job, const std::string &case_id, bool reassign, TimeMs now) {
  store::StateStore &state = job.store.state();
  auto c = state.find_case(case_id);
  if (!c || (!reassign && c->assignee)) return;
  const domain::Policy &policy = policy_of(*c);
  auto roster = policy.routing.rosters.find(c->team);
  if (roster == policy.routing.rosters.end()) return;
  // Turns and open counts are the team's: one assignment at a time.
  job.store.claim({Subject::team(c->team)});
  const auto agents = state.agent_states(c->team, roster->second.agents);
  const auto agent = domain::choose_agent(roster->second, agents, reassign ? c->assignee : std::nullopt);
  if (!agent) return;  // nobody available: the case waits in the team's queue
  domain::CommandState s;
  s.snapshot = case_snapshot(job, *c);
  const std::string why = (reassign ? "reassigned after an SLA breach, " : "") + roster->second.strategy;
  apply(job, domain::give_case(s, *agent, why, now, policy), std::nullopt, now);
  state.mark_assigned(c->team, *agent, now);
}

std::size_t Engine::fire_due_timers(JobContext &job, TimeMs now, std::size_t limit) {
  store::StateStore &state = job.store.state();
  const auto due = state.cases_with_timers_due(now, limit);
  for (const auto &case_id : due) {
    auto c = state.find_case(case_id);
    if (!c) {
      state.set_timers(case_id, {});
      continue;
    }
    // A case another process or node is working on now is skipped, not
    // waited for: it is still due on the next turn. Read again once
    // claimed, it says what is still due (another may have fired it).
    if (!job.store.try_claim(case_subjects(*c))) continue;
    c = state.find_case(case_id);
    if (!c) continue;
    apply(job, domain::decide_sla_due(case_snapshot(job, *c), now, policy_of(*c)), std::nullopt, now);
  }
  return due.size() + send_due_digests(job, now, limit);
}

std::size_t Engine::send_due_digests(JobContext &job, TimeMs now, std::size_t limit) {
  store::StateStore &state = job.store.state();
  const auto due = state.recipients_with_digest_due(now, limit);
  for (const auto &recipient : due) {
    // As with a case's timers: another process sending this digest now has
    // it; read once claimed, what is left is still to send.
    if (!job.store.try_claim({Subject::digest(recipient)})) continue;
    const auto items = state.digest_items_due(recipient, now);
    std::vector<domain::CaseRecord> cases;
    for (const auto &item : items) {
      const bool have = std::any_of(cases.begin(), cases.end(), [&](const auto &c) { return c.id == item.case_id; });
      if (have) continue;
      if (auto c = state.find_case(item.case_id)) cases.push_back(std::move(*c));
    }
    // A digest spans the shop's stores: it is worded by the shop's policy.
    apply(job, domain::decide_sla_digest(recipient, items, cases, now, stores_.policy_for(std::nullopt)),
          std::nullopt, now);
  }
  return due.size();
}

void Engine::apply_effect_answer(JobContext &job, const domain::Effect &effect, domain::HostAnswer answer,
                                 const std::string &detail, TimeMs now, const Json &reply) {
  if (effect.case_id) claim_case(job, *effect.case_id);
  domain::AlreadyRead already;
  if (effect.order_id) {
    claim_order(job, *effect.order_id);
    already.order = job.store.state().find_order(*effect.order_id);
  }
  // The order's snapshot, with the effect's case beside its cases.
  domain::SnapshotKeys keys = domain::order_keys(already.order ? *already.order : std::nullopt);
  if (effect.case_id) keys.case_ids.push_back(*effect.case_id);
  const domain::Snapshot snapshot = snapshot_of(job, keys, std::move(already));
  // The effect's case's store, else its order's.
  std::optional<std::string> store;
  for (const auto &c : snapshot.cases)
    if (effect.case_id && c.id == *effect.case_id) store = c.store_id;
  if (!store && snapshot.order) store = snapshot.order->store_id;
  apply(job, domain::decide_effect_answer(snapshot, effect, answer, detail, now, stores_.policy_for(store), reply),
        std::nullopt, now);
}

std::vector<std::string> Engine::apply(JobContext &job, const domain::Decision &decision,
                                       std::optional<std::int64_t> event_seq, TimeMs now) {
  store::StateStore &state = job.store.state();
  if (decision.order) state.put_order(*decision.order);
  if (decision.customer) state.put_customer(*decision.customer);
  for (const auto &c : decision.cases) {
    state.put_case(c);
    state.set_timers(c.id, domain::timers_of(c));
  }
  for (const auto &entry : decision.log) state.append_log(entry);
  for (const auto &e : decision.escalations) state.put_escalation(e);
  for (const auto &r : decision.returns) state.put_return(r);
  if (decision.transfer) state.put_transfer(*decision.transfer);
  if (!decision.digest_items.empty()) state.hold_digest_items(decision.digest_items);
  if (!decision.digest_done.empty()) state.remove_digest_items(decision.digest_done);
  std::vector<std::string> queued;
  for (const auto &effect : decision.effects)
    if (job.store.outbox().enqueue(effect)) queued.push_back(effect.id);
  if (decision.park_on && event_seq) state.park(*decision.park_on, *event_seq);
  for (const auto &id : decision.assign) assign(job, id, false, now);
  for (const auto &id : decision.reassign) assign(job, id, true, now);
  if (!queued.empty()) job.wake_host = true;
  // Follow-ups are decided on their own snapshots, after this decision is
  // written, so they see it.
  for (const auto &follow_up : decision.follow_ups) {
    SubmitOutcome ignored;
    process(job, std::nullopt, follow_up, now, ignored, 1);
    append_unique(queued, ignored.effects);
  }
  return queued;
}

}  // namespace ordercare::runtime
