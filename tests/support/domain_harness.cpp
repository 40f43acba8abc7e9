#include "support/domain_harness.h"

#include <algorithm>
#include <mutex>
#include <tuple>

#include "common/failure.h"
#include "domain/case_commands.h"
#include "domain/case_state_machine.h"
#include "domain/entities_json.h"
#include "domain/sla_clocks.h"
#include "domain/sla_events.h"
#include "domain/snapshot_loader.h"
#include "ingest/canonical_event.h"
#include "runtime/config.h"
#include "runtime/engine.h"
#include "store/queue_key.h"
#include "store/subjects.h"

namespace ordercare::testing {

using namespace ordercare::domain;

namespace {

// As Engine: parked events release nothing else, but a bound keeps a bug
// from recursing.
constexpr int kMaxReleaseDepth = 4;
// As the plugin's limits.max_event_bytes default.
constexpr std::size_t kMaxEventBytes = 1 << 20;

void append_unique(std::vector<std::string> &to, const std::vector<std::string> &from) {
  for (const auto &id : from)
    if (std::find(to.begin(), to.end(), id) == to.end()) to.push_back(id);
}

// The store's complaint index (store/sql/partial_indexes.h): the issue
// types a repeated-complaints red flag counts.
bool is_complaint(IssueType type) {
  return type == IssueType::wrong_item || type == IssueType::damaged_item || type == IssueType::missing_item ||
         type == IssueType::complaint || type == IssueType::shipping_delay || type == IssueType::out_of_stock;
}

// Still in the warehouse: the store's order_skus_open.
bool is_open(OrderStatus status) {
  return status == OrderStatus::pending || status == OrderStatus::processing || status == OrderStatus::picked ||
         status == OrderStatus::packed;
}

std::optional<std::string> text_arg(const Json &args, const char *name) {
  auto it = args.find(name);
  if (it == args.end() || it->is_null()) return std::nullopt;
  if (!it->is_string()) fail(OC_ERR_SCHEMA, std::string("args: ") + name + ": expected a string");
  return it->get<std::string>();
}

std::string required(const Json &args, const char *name) {
  auto value = text_arg(args, name);
  if (!value) fail(OC_ERR_SCHEMA, std::string("args: ") + name + ": missing required field");
  return *value;
}

// The runtime's parser reads the policy, templates and store profiles (the
// store section it also reads is never opened), once per config text.
std::shared_ptr<const StoreProfiles> profiles_for(const Json &config) {
  static std::mutex mutex;
  static std::map<std::string, std::shared_ptr<const StoreProfiles>> parsed;
  const std::string text = dump_json(config);
  std::lock_guard<std::mutex> lock(mutex);
  auto &profiles = parsed[text];
  if (!profiles) profiles = std::make_shared<const StoreProfiles>(runtime::parse_config(text).stores);
  return profiles;
}

}  // namespace

DomainHarness::DomainHarness(const Json &config, TimeMs start)
    : now_(start), profiles_(profiles_for(config)), stores_(*profiles_) {}

// --- Reading: domain::SnapshotReader ----------------------------------------

std::optional<Order> DomainHarness::find_order(const std::string &id) {
  auto it = orders_.find(id);
  return it == orders_.end() ? std::nullopt : std::optional(it->second);
}

std::vector<Order> DomainHarness::open_orders_with_sku(const std::string &sku) {
  std::vector<Order> out;  // by id, as the store's query
  for (const auto &[id, order] : orders_) {
    const bool holds = std::any_of(order.items.begin(), order.items.end(), [&](const auto &l) { return l.sku == sku; });
    if (holds && is_open(order.status)) out.push_back(order);
  }
  return out;
}

std::optional<Customer> DomainHarness::find_customer(const std::string &id) {
  auto it = customers_.find(id);
  return it == customers_.end() ? std::nullopt : std::optional(it->second);
}

std::optional<CaseRecord> DomainHarness::find_case(const std::string &id) {
  auto it = cases_.find(id);
  return it == cases_.end() ? std::nullopt : std::optional(it->second);
}

std::vector<CaseRecord> DomainHarness::cases_for_subject(const Subject &subject) {
  std::vector<CaseRecord> out;
  for (const auto &[id, c] : cases_)
    if (store::case_subject(c) == subject) out.push_back(c);
  // Oldest first, then by id, as the store orders them.
  std::sort(out.begin(), out.end(),
            [](const auto &a, const auto &b) { return std::tie(a.opened_at, a.id) < std::tie(b.opened_at, b.id); });
  return out;
}

std::vector<CaseRecord> DomainHarness::active_cases_for_subject(const Subject &subject) {
  auto out = cases_for_subject(subject);
  std::erase_if(out, [](const CaseRecord &c) { return !is_active(c.status); });
  return out;
}

std::map<std::string, std::int64_t> DomainHarness::recent_complaints(const std::vector<std::string> &skus,
                                                                     TimeMs since,
                                                                     const std::optional<std::string> &except_order,
                                                                     std::int64_t at_most) {
  // The store's index keeps a SKU a case once had; the harness counts the
  // SKUs cases have now (cases do not drop SKUs in the table's rows).
  std::map<std::string, std::int64_t> out;
  for (const auto &sku : skus) {
    std::int64_t n = 0;
    for (const auto &[id, c] : cases_) {
      if (n >= at_most) break;
      const bool other_order = !except_order || !c.order_id || *c.order_id != *except_order;
      const bool has_sku = std::find(c.skus.begin(), c.skus.end(), sku) != c.skus.end();
      if (has_sku && is_complaint(c.type) && c.opened_at >= since && other_order) ++n;
    }
    out[sku] = n;
  }
  return out;
}

std::optional<ReturnRecord> DomainHarness::find_return(const std::string &id) {
  auto it = returns_.find(id);
  return it == returns_.end() ? std::nullopt : std::optional(it->second);
}

std::vector<ReturnRecord> DomainHarness::returns_for_order(const std::string &order_id) {
  std::vector<ReturnRecord> out;
  for (const auto &[id, r] : returns_)
    if (r.order_id == order_id) out.push_back(r);
  std::sort(out.begin(), out.end(), [](const auto &a, const auto &b) {
    return std::tie(a.requested_at, a.id) < std::tie(b.requested_at, b.id);
  });
  return out;
}

std::optional<Transfer> DomainHarness::find_transfer(const std::string &id) {
  auto it = transfers_.find(id);
  return it == transfers_.end() ? std::nullopt : std::optional(it->second);
}

std::vector<Escalation> DomainHarness::escalations_for_case(const std::string &case_id) const {
  std::vector<Escalation> out;
  for (const auto &[id, e] : escalations_)
    if (e.case_id == case_id) out.push_back(e);
  std::stable_sort(out.begin(), out.end(), [](const auto &a, const auto &b) { return a.at < b.at; });
  return out;
}

// --- Deciding: Engine::ingest, process and apply ----------------------------

Json DomainHarness::submit(const Json &event) {
  // The checks oc_submit makes (size, UTF-8, JSON, schema) before anything
  // is written.
  const ingest::CanonicalEvent checked = ingest::parse_canonical_event(dump_json(event), kMaxEventBytes);
  Json result = {{"status", "accepted"}, {"event_id", checked.id}, {"cases", Json::array()},
                 {"effects", Json::array()}};
  if (seen_.count(checked.id)) {
    result["status"] = "duplicate";
    return result;
  }
  stores_.require_known(checked.store_id);
  if (checked.type == "privacy.requested") fail(OC_ERR_INTERNAL, "domain harness: privacy.requested is the runtime's");
  events_.push_back(checked.body);
  const auto seq = static_cast<std::int64_t>(events_.size());
  seen_[checked.id] = seq;
  std::vector<std::string> cases, effects;
  try {
    process(seq, checked.body, cases, effects, 0);
  } catch (...) {
    // An event the rules refuse is not logged, as in the plugin, where its
    // transaction writes nothing. (Nor is anything a decision applied before
    // a later one failed undone: the harness has no transaction.)
    events_.pop_back();
    seen_.erase(checked.id);
    throw;
  }
  result["cases"] = cases;
  result["effects"] = effects;
  for (const auto &id : effects) queued_.push_back(id);
  return result;
}

SnapshotKeys DomainHarness::keys_for(const EventView &view, std::optional<Order> &order) {
  auto keys = snapshot_keys(view, std::nullopt);
  std::optional<std::string> customer_id;
  if (keys.case_id) {
    // feedback.received: a case is on its order's subject, or its customer's.
    auto rated = find_case(*keys.case_id);
    if (!rated) fail(OC_ERR_NOT_FOUND, "data.case_id: no case with id '" + *keys.case_id + "'");
    keys.order_id = rated->order_id;
    customer_id = rated->customer_id;
  }
  // The order behind a return or a refund we asked for.
  if (!keys.order_id && keys.return_id)
    if (auto r = find_return(*keys.return_id)) keys.order_id = r->order_id;
  if (!keys.order_id && keys.effect_id)
    if (auto it = outbox_.find(*keys.effect_id); it != outbox_.end()) keys.order_id = it->second.effect.order_id;
  if (keys.order_id) order = find_order(*keys.order_id);
  auto full = snapshot_keys(view, order);
  if (!full.order_id) full.order_id = keys.order_id;
  if (!full.customer_id) full.customer_id = customer_id;
  return full;
}

void DomainHarness::process(std::optional<std::int64_t> seq, const Json &event, std::vector<std::string> &cases,
                            std::vector<std::string> &effects, int depth) {
  const EventView view = runtime::view_of(event);
  std::optional<Order> order;
  const SnapshotKeys keys = keys_for(view, order);
  const bool order_was_known = order.has_value();
  std::optional<std::string> store = view.store ? view.store : order ? order->store_id : std::nullopt;
  if (!store && keys.case_id)
    if (auto rated = find_case(*keys.case_id)) store = rated->store_id;
  const Policy &policy = stores_.policy_for(store);
  AlreadyRead already;
  already.order = order;
  Snapshot snapshot = load_snapshot(*this, keys, now_, policy, std::move(already));
  // The Scenario's host has no order_action callback: teams get the tasks.
  snapshot.order_actions = false;
  const Decision decision = decide(snapshot, view, now_, policy);
  append_unique(cases, decision.case_ids());
  append_unique(effects, apply(decision, seq));

  // This event made an order known: what waited for it can happen now.
  if (decision.order && !order_was_known && depth < kMaxReleaseDepth) {
    auto parked = parked_.find(Subject::order(decision.order->id).str());
    if (parked == parked_.end()) return;
    const std::vector<std::int64_t> seqs = std::move(parked->second);
    parked_.erase(parked);
    for (const std::int64_t s : seqs) process(s, events_[static_cast<std::size_t>(s - 1)], cases, effects, depth + 1);
  }
}

std::vector<std::string> DomainHarness::apply(const Decision &decision, std::optional<std::int64_t> seq) {
  if (!decision.assign.empty() || !decision.reassign.empty())
    fail(OC_ERR_INTERNAL, "domain harness: assignment from a team roster is the runtime's (Engine::assign)");
  if (decision.order) orders_[decision.order->id] = *decision.order;
  if (decision.customer) customers_[decision.customer->id] = *decision.customer;
  for (const auto &c : decision.cases) {
    cases_[c.id] = c;
    timers_[c.id] = timers_of(c);
  }
  for (const auto &entry : decision.log) log_.push_back(entry);
  for (const auto &e : decision.escalations) escalations_[e.id] = e;
  for (const auto &r : decision.returns) returns_[r.id] = r;
  if (decision.transfer) transfers_[decision.transfer->id] = *decision.transfer;
  // SLA notices are held for their digest; sending digests is not modelled.
  for (const auto &item : decision.digest_items) digest_items_.push_back(item);
  for (const auto &done : decision.digest_done) std::erase(digest_items_, done);
  std::vector<std::string> queued;
  for (const auto &effect : decision.effects) {
    const auto next = static_cast<std::int64_t>(outbox_.size()) + 1;
    auto [it, fresh] = outbox_.try_emplace(effect.id, QueuedEffect{next, effect});
    if (fresh) {
      queued.push_back(effect.id);
      continue;
    }
    // As the outbox: the same effect decided again is a no-op; another
    // effect under a key already taken is a bug.
    if (it->second.effect.kind != effect.kind || it->second.effect.payload != effect.payload)
      fail(OC_ERR_INTERNAL, "outbox: the idempotency key '" + effect.id + "' already names a different effect");
  }
  if (decision.park_on && seq) {
    auto &waiting = parked_[decision.park_on->str()];
    if (std::find(waiting.begin(), waiting.end(), *seq) == waiting.end()) waiting.push_back(*seq);
  }
  // Follow-ups are decided on their own snapshots, after this decision.
  for (const auto &follow_up : decision.follow_ups) {
    std::vector<std::string> cases;
    process(std::nullopt, follow_up, cases, queued, 1);
  }
  return queued;
}

const Policy &DomainHarness::policy_of(const CaseRecord &c) const { return stores_.policy_for(c.store_id); }

Snapshot DomainHarness::case_snapshot(const CaseRecord &c) {
  AlreadyRead already;
  already.cases.push_back(c);
  // Neither an order's nor a case's keys count complaints: no time or
  // store policy is needed to read them (as Engine::snapshot_of).
  Snapshot snapshot = load_snapshot(*this, case_keys(c), 0, stores_.policy_for(std::nullopt), std::move(already));
  snapshot.order_actions = false;
  return snapshot;
}

std::uint32_t DomainHarness::poll(std::uint32_t) {
  // Engine::fire_due_timers: the cases with a timer due, earliest first.
  std::vector<std::pair<TimeMs, std::string>> due;
  for (const auto &[case_id, timers] : timers_) {
    std::optional<TimeMs> first;
    for (const auto &t : timers)
      if (t.due <= now_ && (!first || t.due < *first)) first = t.due;
    if (first) due.emplace_back(*first, case_id);
  }
  std::sort(due.begin(), due.end());
  for (const auto &[at, case_id] : due) {
    auto c = find_case(case_id);
    if (!c) {
      timers_.erase(case_id);
      continue;
    }
    apply(decide_sla_due(case_snapshot(*c), now_, policy_of(*c)), std::nullopt);
  }
  return 0;
}

// --- Calls ------------------------------------------------------------------

Json DomainHarness::call(const std::string &method, const Json &args) {
  if (method.rfind("case.", 0) == 0 && method != "case.get") return case_command(method, args);
  if (method == "cases.list") return list_cases(args);
  if (method == "case.get") return get_case_json(args);
  if (method == "escalations.log") return escalations_log();
  if (method == "effects.list") return list_effects(args);
  if (method == "return.get") {
    auto r = find_return(required(args, "id"));
    if (!r) fail(OC_ERR_NOT_FOUND, "no return with id '" + required(args, "id") + "'");
    auto order = find_order(r->order_id);
    return to_json(*r, order ? &*order : nullptr);
  }
  if (method == "order.get") {
    auto order = find_order(required(args, "id"));
    if (!order) fail(OC_ERR_NOT_FOUND, "order.get: no order with id '" + required(args, "id") + "'");
    Json out = to_json(*order);
    out.erase("pii");
    return out;
  }
  fail(OC_ERR_UNKNOWN_METHOD, "domain harness: the method '" + method + "' is the plugin's");
}

Json DomainHarness::case_command(const std::string &method, const Json &args) {
  const std::string id = required(args, "id");
  auto c = find_case(id);
  if (!c) fail(OC_ERR_NOT_FOUND, "no case with id '" + id + "'");
  CommandState s;
  s.snapshot = case_snapshot(*c);
  s.escalations = escalations_for_case(id);
  // The plugin names a command "cmd-<random hex>" (or after its request_id).
  s.command_id = "cmd-" + std::to_string(++next_command_);
  const Policy &p = policy_of(*c);
  Decision d;
  if (method == "case.assign")
    d = assign_case(s, {text_arg(args, "team"), text_arg(args, "agent")}, now_, p);
  else if (method == "case.note")
    d = note_case(s, {required(args, "agent"), required(args, "text")}, now_, p);
  else if (method == "case.escalate")
    d = escalate_case(s, {required(args, "reason"), text_arg(args, "to"), text_arg(args, "agent").value_or("agent")},
                      now_, p);
  else if (method == "case.resolve")
    d = resolve_case(s, {required(args, "agent"), required(args, "resolution"), required(args, "action_taken")}, now_,
                     p);
  else if (method == "case.close")
    d = close_case(s, {required(args, "agent"), text_arg(args, "follow_up").value_or("")}, now_, p);
  else if (method == "case.reopen")
    d = reopen_case(s, {required(args, "reason")}, now_, p);
  else if (method == "case.wait")
    d = wait_case(s, {required(args, "on"), required(args, "agent")}, now_, p);
  else if (method == "case.resume") {
    std::optional<bool> confirmed;
    if (args.contains("confirmed")) confirmed = args["confirmed"].get<bool>();
    d = resume_case(s, {required(args, "agent"), confirmed}, now_, p);
  }
  else
    fail(OC_ERR_UNKNOWN_METHOD, "domain harness: the command '" + method + "' is the plugin's");
  apply(d, std::nullopt);
  return to_json(*find_case(id));
}

Json DomainHarness::list_cases(const Json &args) {
  std::vector<const CaseRecord *> rows;
  for (const auto &[id, c] : cases_) {
    const Json summary = summary_json(c);
    bool match = true;
    for (const char *filter : {"order_id", "customer_id", "type", "priority", "status", "team", "assignee"})
      if (auto wanted = text_arg(args, filter)) match = match && summary[filter] == *wanted;
    if (match) rows.push_back(&c);
  }
  // The queue's order (store/queue_key.h): priority, nearest due, age, id.
  std::sort(rows.begin(), rows.end(), [](const CaseRecord *a, const CaseRecord *b) {
    const auto ka = store::queue_key_of(*a), kb = store::queue_key_of(*b);
    return std::tie(ka.priority, ka.due, ka.opened_at, ka.id) < std::tie(kb.priority, kb.due, kb.opened_at, kb.id);
  });
  Json out = Json::array();
  for (const auto *c : rows) out.push_back(summary_json(*c));
  return {{"cases", std::move(out)}, {"next_cursor", nullptr}};
}

Json DomainHarness::get_case_json(const Json &args) {
  const std::string id = required(args, "id");
  auto c = find_case(id);
  if (!c) fail(OC_ERR_NOT_FOUND, "no case with id '" + id + "'");
  Json out = to_json(*c);
  Json log = Json::array();
  for (const auto &entry : log_)
    if (entry.case_id == id) log.push_back(to_json(entry));
  std::vector<const QueuedEffect *> queued;
  for (const auto &[effect_id, row] : outbox_)
    if (row.effect.case_id == id) queued.push_back(&row);
  std::sort(queued.begin(), queued.end(), [](const auto *a, const auto *b) { return a->seq < b->seq; });
  Json effects = Json::array();
  for (const auto *row : queued)
    effects.push_back({{"id", row->effect.id}, {"kind", row->effect.kind}, {"status", "pending"}, {"attempts", 0}});
  Json escalations = Json::array();
  for (const auto &e : escalations_for_case(id)) escalations.push_back(to_json(e));
  out["log"] = std::move(log);
  out["events"] = out["event_ids"];
  out["effects"] = std::move(effects);
  out["escalations"] = std::move(escalations);
  return out;
}

Json DomainHarness::escalations_log() {
  std::vector<const Escalation *> all;
  for (const auto &[id, e] : escalations_) all.push_back(&e);
  std::sort(all.begin(), all.end(),
            [](const auto *a, const auto *b) { return std::tie(a->at, a->id) < std::tie(b->at, b->id); });
  Json red_flags = Json::array(), others = Json::array();
  for (const auto *e : all) {
    std::optional<std::string> customer_id = e->customer_id;
    if (!customer_id)
      if (auto c = find_case(e->case_id)) customer_id = c->customer_id;
    Json name = nullptr;
    if (customer_id)
      if (auto customer = find_customer(*customer_id); customer && !customer->erased)
        if (auto it = customer->pii->find("name"); it != customer->pii->end() && it->is_string()) name = *it;
    Json row = {{"kind", e->kind},
                {"time", format_rfc3339(e->at)},
                {"order_id", e->order_id ? Json(*e->order_id) : Json(nullptr)},
                {"customer_name", name},
                {"issue", e->issue + " (" + e->reason + ")"},
                {"promised_resolution",
                 e->promised_resolution ? Json(format_rfc3339(*e->promised_resolution)) : Json(nullptr)},
                {"action_taken", e->action_taken},
                {"status", e->resolved ? "resolved" : "open"},
                {"resolved_by", e->resolved_by ? Json(*e->resolved_by) : Json(nullptr)}};
    (e->kind == "red_flag" ? red_flags : others).push_back(std::move(row));
  }
  for (auto &row : others) red_flags.push_back(std::move(row));
  return {{"rows", std::move(red_flags)}};
}

Json DomainHarness::list_effects(const Json &args) {
  std::vector<const QueuedEffect *> rows;
  for (const auto &[id, row] : outbox_) {
    const Effect &e = row.effect;
    bool match = true;
    if (auto kind = text_arg(args, "kind")) match = match && e.kind == *kind;
    if (auto order = text_arg(args, "order_id")) match = match && e.order_id == *order;
    if (auto c = text_arg(args, "case_id")) match = match && e.case_id == *c;
    if (auto status = text_arg(args, "status")) match = match && *status == "pending";
    if (match) rows.push_back(&row);
  }
  std::sort(rows.begin(), rows.end(), [](const auto *a, const auto *b) { return a->seq < b->seq; });
  Json effects = Json::array();
  for (const auto *row : rows) {
    const Effect &e = row->effect;
    effects.push_back({{"id", e.id},
                       {"kind", e.kind},
                       {"status", "pending"},
                       {"attempts", 0},
                       {"next_attempt_at", format_rfc3339(e.created_at)},
                       {"last_error", nullptr},
                       {"order_id", e.order_id ? Json(*e.order_id) : Json(nullptr)},
                       {"case_id", e.case_id ? Json(*e.case_id) : Json(nullptr)},
                       {"created_at", format_rfc3339(e.created_at)},
                       {"payload", e.payload},
                       {"result", nullptr}});
  }
  return {{"effects", std::move(effects)}, {"next_cursor", nullptr}};
}

}  // namespace ordercare::testing
