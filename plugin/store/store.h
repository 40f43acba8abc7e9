// The one Store interface. Everything above plugin/store/ talks to storage
// through it and nothing SQLite-specific leaks out, so a PostgreSQL backend
// can sit behind the same calls.
//
// Transactions follow the runtime's single writer: the writer opens one
// batch (a transaction), runs each job inside its own nested scope
// (begin_job / release_job / rollback_job) so one failed job leaves the
// others intact, then commits the batch once (group commit). Nothing a job
// did is acknowledged before commit_batch() returns.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/json.h"
#include "common/time_format.h"
#include "domain/entities.h"
#include "domain/metrics.h"
#include "domain/return_record.h"
#include "domain/routing.h"
#include "domain/sla_clocks.h"

namespace ordercare::store {

enum class Durability {
  full,    // fsync on every commit: an acknowledged event survives power loss
  normal,  // WAL without fsync per commit: survives a process crash only
};

struct StoreConfig {
  std::string engine = "sqlite";
  std::string path = "ordercare.db";
  Durability durability = Durability::full;
  std::int64_t busy_timeout_ms = 5000;
  // 32 raw bytes wrapping every customer's data key; empty means "use the
  // key file next to the store, creating it on first open".
  std::string master_key;
};

// One canonical event as kept in the append-only log.
struct StoredEvent {
  std::int64_t seq = 0;  // assigned by the store, increasing
  std::string id;
  std::string type;
  std::string source;
  std::optional<std::string> store_id;
  TimeMs occurred_at = 0;
  TimeMs received_at = 0;
  std::string body;  // the whole event as JSON, unknown fields included
  // Whose key seals the event's PII fields ("customer:<id>", or
  // "order:<id>" while the order's customer is not known yet).
  std::string pii_key;
  // The parsed event when the caller has it, so the log need not parse
  // `body` again to seal its PII.
  const Json *parsed = nullptr;
};

struct EventQuery {
  std::int64_t after_seq = 0;                // paging cursor
  std::optional<TimeMs> received_after;      // "after" filter, exclusive
  std::optional<std::string> type;
  std::size_t limit = 50;
};

class EventLog {
 public:
  virtual ~EventLog() = default;
  // Appends and sets event.seq; false (and nothing written) if the id exists.
  virtual bool append(StoredEvent &event) = 0;
  virtual std::optional<StoredEvent> find(std::string_view id) = 0;
  virtual std::optional<StoredEvent> find_by_seq(std::int64_t seq) = 0;
  // In seq order, at most query.limit + 1 rows so callers can tell if more exist.
  virtual std::vector<StoredEvent> list(const EventQuery &query) = 0;
  virtual std::int64_t count() = 0;
};

struct CaseQuery {
  std::optional<std::string> status, priority, type, team, assignee, order_id, customer_id;
  std::optional<bool> breached;
  std::optional<bool> active;  // not resolved or closed
  std::size_t limit = 50;
  std::int64_t offset = 0;  // paging position
};

struct EscalationQuery {
  std::optional<TimeMs> from, to;
  std::optional<bool> resolved;
};

// Orders, customers, cases and their logs and escalations: the projections
// the domain reads and writes. Customer PII is sealed and opened inside the
// store; an erased customer's PII reads back as absent.
class StateStore {
 public:
  virtual ~StateStore() = default;

  virtual std::optional<domain::Order> find_order(const std::string &id) = 0;
  virtual void put_order(const domain::Order &order) = 0;
  // Orders not yet shipped that hold the SKU.
  virtual std::vector<domain::Order> open_orders_with_sku(const std::string &sku) = 0;

  virtual std::optional<domain::Customer> find_customer(const std::string &id) = 0;
  virtual void put_customer(const domain::Customer &customer) = 0;
  // Destroys the customer's keys: their PII anywhere becomes unreadable.
  virtual bool erase_customer(const std::string &id, TimeMs at) = 0;

  virtual std::optional<domain::CaseRecord> find_case(const std::string &id) = 0;
  virtual void put_case(const domain::CaseRecord &c) = 0;
  // Cases about one subject: "order:<id>", "customer:<id>" (no order), or
  // "sku:<sku>@<location>".
  virtual std::vector<domain::CaseRecord> cases_for_subject(const std::string &subject) = 0;
  virtual std::vector<domain::CaseRecord> list_cases(const CaseQuery &query) = 0;
  // Cases opened in [from, to), oldest first (service log, reports).
  virtual std::vector<domain::CaseRecord> cases_opened_between(std::optional<TimeMs> from,
                                                               std::optional<TimeMs> to) = 0;
  // Complaint cases per SKU opened since `since`, other orders only.
  virtual std::map<std::string, std::int64_t> recent_complaints(
      const std::vector<std::string> &skus, TimeMs since, const std::optional<std::string> &except_order) = 0;

  virtual void append_log(const domain::CaseLogEntry &entry) = 0;
  virtual std::vector<domain::CaseLogEntry> case_log(const std::string &case_id) = 0;

  virtual void put_escalation(const domain::Escalation &e) = 0;
  virtual std::vector<domain::Escalation> escalations(const EscalationQuery &query) = 0;
  virtual std::vector<domain::Escalation> escalations_for_case(const std::string &case_id) = 0;

  // Events kept until their subject appears.
  virtual void park(const std::string &subject, std::int64_t event_seq) = 0;
  virtual std::vector<std::int64_t> take_parked(const std::string &subject) = 0;

  virtual std::optional<domain::ReturnRecord> find_return(const std::string &id) = 0;
  virtual void put_return(const domain::ReturnRecord &r) = 0;
  virtual std::vector<domain::ReturnRecord> returns_for_order(const std::string &order_id) = 0;
  // Paging by position, at most limit + 1 rows.
  virtual std::vector<domain::ReturnRecord> list_returns(const std::optional<std::string> &status,
                                                         const std::optional<std::string> &order_id,
                                                         std::size_t limit, std::int64_t offset) = 0;

  // The SLA timer queue: each case's next warnings and breaches, replaced
  // whenever the case is written. Indexed by due time, so a million live
  // timers cost neither memory nor a rebuild at open.
  virtual void set_timers(const std::string &case_id, const std::vector<domain::SlaTimer> &timers) = 0;
  virtual std::vector<std::string> cases_with_timers_due(TimeMs now, std::size_t limit) = 0;
  virtual std::optional<TimeMs> next_timer_due() = 0;

  // Agents of a team as the assignment sees them now.
  virtual std::vector<domain::AgentState> agent_states(const std::string &team,
                                                       const std::vector<std::string> &agents) = 0;
  virtual void set_agent_available(const std::string &team, const std::string &agent, bool available) = 0;
  virtual void mark_assigned(const std::string &team, const std::string &agent, TimeMs at) = 0;

  // The customer's display name, if known and not erased (reports).
  virtual std::optional<std::string> customer_name(const std::string &customer_id) = 0;

  // What reports read, each through an index on the time asked about, so
  // a day's report costs that day's cases, not the store's history.
  // Cases resolved in [from, to), by resolution time.
  virtual std::vector<domain::CaseRecord> cases_resolved_between(TimeMs from, TimeMs to) = 0;
  // The backlog at `at`: cases opened before it and not resolved before it
  // (a resolution at `at` itself belongs to the range that starts there).
  virtual std::vector<domain::CaseRecord> cases_open_at(TimeMs at) = 0;
  // Refunds of any order requested or completed in [from, to).
  virtual std::vector<domain::RefundFact> refunds_between(TimeMs from, TimeMs to) = 0;
  // Log entries of one kind written in [from, to), in log order. Only the
  // kinds reports count are indexed: "qa", "red_flag" and "sla_breach";
  // any other kind is refused (OC_ERR_INTERNAL) rather than scanned.
  virtual std::vector<domain::CaseLogEntry> log_entries_between(const std::string &kind, TimeMs from,
                                                                TimeMs to) = 0;
  // When an agent first worked the case (domain/metrics.h, handle time).
  virtual std::optional<TimeMs> first_agent_action(const std::string &case_id) = 0;
};

// The outbox: effects written with the change that caused them.
struct OutboxRow {
  domain::Effect effect;
  std::string status;  // pending, in_flight, done, failed
  std::int64_t attempts = 0;
  std::optional<TimeMs> next_attempt_at;
  std::optional<std::string> last_error;
  Json result = nullptr;
  TimeMs updated_at = 0;
};

struct OutboxQuery {
  std::optional<std::string> status, kind, order_id, case_id;
  std::size_t limit = 50;
  std::int64_t after_seq = 0;
};

struct ClaimedEffect {
  domain::Effect effect;
  std::int64_t attempt = 1;  // this try, counting from 1
};

class Outbox {
 public:
  virtual ~Outbox() = default;
  // Claims up to `limit` pending effects due at `now` whose kind is in
  // `kinds`: only the earliest unfinished effect of each ordering key, so
  // an order's effects reach the host in the order they were decided.
  // Claimed effects are in_flight until `lease_until`, attempts counted.
  virtual std::vector<ClaimedEffect> claim_due(TimeMs now, std::size_t limit,
                                               const std::vector<std::string> &kinds, TimeMs lease_until) = 0;
  virtual void mark_done(const std::string &id, const Json &result, TimeMs now) = 0;
  virtual void mark_failed(const std::string &id, const std::string &error, TimeMs now) = 0;
  virtual void mark_retry(const std::string &id, const std::string &error, TimeMs next_attempt_at,
                          TimeMs now) = 0;
  // Puts in_flight effects back to pending (at open: the process that
  // claimed them is gone, so the host may or may not have acted; the same
  // idempotency key makes the retry safe). Returns how many.
  virtual std::int64_t release_in_flight() = 0;
  // The earliest next attempt among pending effects of these kinds.
  virtual std::optional<TimeMs> next_due(const std::vector<std::string> &kinds) = 0;
  virtual std::map<std::string, std::int64_t> count_by_status() = 0;
  // Queues the effect; false if one with that id exists already (replays).
  virtual bool enqueue(const domain::Effect &effect) = 0;
  virtual std::optional<OutboxRow> find(const std::string &id) = 0;
  // In seq order; returns (seq, row) pairs, at most limit + 1.
  virtual std::vector<std::pair<std::int64_t, OutboxRow>> list(const OutboxQuery &query) = 0;
  virtual std::vector<OutboxRow> for_case(const std::string &case_id) = 0;
};

class Store {
 public:
  virtual ~Store() = default;

  virtual void begin_batch() = 0;
  virtual void commit_batch() = 0;
  virtual void rollback_batch() = 0;
  virtual void begin_job() = 0;
  virtual void release_job() = 0;
  virtual void rollback_job() = 0;

  virtual EventLog &events() = 0;
  virtual StateStore &state() = 0;
  virtual Outbox &outbox() = 0;

  // The schema version the store is at (number of migrations applied).
  virtual std::int64_t schema_version() = 0;
};

// Opens the store named by config, creating and migrating it as needed.
// Throws Failure(OC_ERR_CONFIG) for an unknown engine, OC_ERR_STORE if it
// cannot be opened, OC_ERR_BUSY if another process holds it, OC_ERR_VERSION
// if it was written by a newer ordercare.
std::unique_ptr<Store> open_store(const StoreConfig &config);

}  // namespace ordercare::store
