#include "store/sqlite/sqlite_migrations.h"

namespace ordercare::store::sqlite {

namespace {

// Migration 1: the append-only event log.
constexpr const char *kEventLog = R"sql(
CREATE TABLE meta (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL
);
CREATE TABLE events (
  seq         INTEGER PRIMARY KEY,
  id          TEXT NOT NULL UNIQUE,
  type        TEXT NOT NULL,
  source      TEXT NOT NULL,
  store_id    TEXT,
  occurred_at INTEGER NOT NULL,
  received_at INTEGER NOT NULL,
  body        TEXT NOT NULL
);
CREATE TRIGGER events_append_only_update BEFORE UPDATE ON events
BEGIN SELECT RAISE(ABORT, 'events are append-only'); END;
CREATE TRIGGER events_append_only_delete BEFORE DELETE ON events
BEGIN SELECT RAISE(ABORT, 'events are append-only'); END;
)sql";

// Migration 2: events.list filters by arrival time and type.
constexpr const char *kEventIndexes = R"sql(
CREATE INDEX events_by_received_at ON events (received_at);
CREATE INDEX events_by_type ON events (type, seq);
)sql";

// Migration 3: the case engine's projections, the outbox, and the keys that
// seal customer PII. Bodies are JSON documents; the columns beside them are
// what queries filter and sort on.
constexpr const char *kCaseEngine = R"sql(
ALTER TABLE events ADD COLUMN pii TEXT;  -- the event's PII fields, sealed
CREATE TABLE pii_keys (
  key_id      TEXT PRIMARY KEY,
  wrapped_key BLOB,              -- NULL once erased
  created_at  INTEGER NOT NULL,
  erased_at   INTEGER
);
CREATE TABLE customers (
  id   TEXT PRIMARY KEY,
  body TEXT NOT NULL
);
CREATE TABLE orders (
  id          TEXT PRIMARY KEY,
  customer_id TEXT,
  status      TEXT NOT NULL,
  body        TEXT NOT NULL
);
CREATE INDEX orders_by_customer ON orders (customer_id);
CREATE TABLE order_skus (
  order_id TEXT NOT NULL REFERENCES orders (id) ON DELETE CASCADE,
  sku      TEXT NOT NULL,
  PRIMARY KEY (sku, order_id)
) WITHOUT ROWID;
CREATE TABLE cases (
  id                 TEXT PRIMARY KEY,
  subject            TEXT NOT NULL,
  order_id           TEXT,
  customer_id        TEXT,
  type               TEXT NOT NULL,
  priority           TEXT NOT NULL,
  status             TEXT NOT NULL,
  team               TEXT NOT NULL,
  assignee           TEXT,
  opened_at          INTEGER NOT NULL,
  updated_at         INTEGER NOT NULL,
  first_response_due INTEGER,
  resolution_due     INTEGER,
  next_due           INTEGER,
  breached           INTEGER NOT NULL DEFAULT 0,
  active             INTEGER NOT NULL,
  body               TEXT NOT NULL
);
CREATE INDEX cases_by_subject ON cases (subject);
CREATE INDEX cases_by_queue ON cases (active, priority, next_due);
CREATE INDEX cases_by_order ON cases (order_id);
CREATE INDEX cases_by_customer ON cases (customer_id);
CREATE INDEX cases_by_opened ON cases (opened_at);
CREATE TABLE case_skus (
  case_id   TEXT NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
  sku       TEXT NOT NULL,
  opened_at INTEGER NOT NULL,
  PRIMARY KEY (sku, case_id)
) WITHOUT ROWID;
CREATE TABLE case_log (
  seq     INTEGER PRIMARY KEY,
  case_id TEXT NOT NULL,
  at      INTEGER NOT NULL,
  kind    TEXT NOT NULL,
  body    TEXT NOT NULL
);
CREATE INDEX case_log_by_case ON case_log (case_id, seq);
CREATE TABLE escalations (
  id       TEXT PRIMARY KEY,
  case_id  TEXT NOT NULL,
  at       INTEGER NOT NULL,
  resolved INTEGER NOT NULL,
  body     TEXT NOT NULL
);
CREATE INDEX escalations_by_time ON escalations (at);
CREATE INDEX escalations_by_case ON escalations (case_id);
CREATE TABLE parked_events (
  subject   TEXT NOT NULL,
  event_seq INTEGER NOT NULL,
  PRIMARY KEY (subject, event_seq)
) WITHOUT ROWID;
CREATE TABLE effects (
  seq             INTEGER PRIMARY KEY,
  id              TEXT NOT NULL UNIQUE,
  kind            TEXT NOT NULL,
  status          TEXT NOT NULL,
  ordering_key    TEXT NOT NULL,
  case_id         TEXT,
  order_id        TEXT,
  attempts        INTEGER NOT NULL DEFAULT 0,
  next_attempt_at INTEGER,
  created_at      INTEGER NOT NULL,
  updated_at      INTEGER NOT NULL,
  last_error      TEXT,
  result          TEXT,
  body            TEXT NOT NULL
);
CREATE INDEX effects_by_status ON effects (status, next_attempt_at);
CREATE INDEX effects_by_ordering_key ON effects (ordering_key, seq);
CREATE INDEX effects_by_case ON effects (case_id);
)sql";

// Migration 4: returns (RMAs), and the outbox's lease for effects being
// dispatched.
constexpr const char *kReturns = R"sql(
CREATE TABLE returns (
  id           TEXT PRIMARY KEY,
  order_id     TEXT NOT NULL,
  status       TEXT NOT NULL,
  requested_at INTEGER NOT NULL,
  body         TEXT NOT NULL
);
CREATE INDEX returns_by_order ON returns (order_id);
CREATE INDEX returns_by_status ON returns (status, requested_at);
ALTER TABLE effects ADD COLUMN lease_until INTEGER;
)sql";

// Migration 5: the SLA timer queue, and agents' availability and turns.
constexpr const char *kSlaAndRouting = R"sql(
CREATE TABLE sla_timers (
  case_id TEXT NOT NULL,
  clock   TEXT NOT NULL,
  stage   TEXT NOT NULL,
  due_at  INTEGER NOT NULL,
  PRIMARY KEY (case_id, clock, stage)
) WITHOUT ROWID;
CREATE INDEX sla_timers_by_due ON sla_timers (due_at);
CREATE TABLE agents (
  team             TEXT NOT NULL,
  name             TEXT NOT NULL,
  available        INTEGER NOT NULL DEFAULT 1,
  last_assigned_at INTEGER,
  PRIMARY KEY (team, name)
) WITHOUT ROWID;
CREATE INDEX cases_by_assignee ON cases (assignee, active);
)sql";

// Migration 6: what reports read by time. Cases get their resolution time
// as a column, refunds leave the order documents for a table of their own,
// and the log kinds reports count (QA scorecards, red flags, SLA breaches)
// get a partial index, so a day's report reads that day and not the store.
// Rows written before are filled in from their documents.
constexpr const char *kReports = R"sql(
ALTER TABLE cases ADD COLUMN resolved_at INTEGER;
UPDATE cases SET resolved_at =
  CAST(round((julianday(json_extract(body, '$.resolved_at')) - 2440587.5) * 86400000.0) AS INTEGER)
  WHERE json_extract(body, '$.resolved_at') IS NOT NULL;
CREATE INDEX cases_by_resolved ON cases (resolved_at) WHERE resolved_at IS NOT NULL;
CREATE TABLE refunds (
  id           TEXT PRIMARY KEY,
  order_id     TEXT NOT NULL,
  case_id      TEXT,
  return_id    TEXT,
  currency     TEXT NOT NULL,
  amount       INTEGER NOT NULL,
  method       TEXT NOT NULL,
  status       TEXT NOT NULL,
  requested_at INTEGER NOT NULL,
  completed_at INTEGER
);
CREATE INDEX refunds_by_requested ON refunds (requested_at);
CREATE INDEX refunds_by_completed ON refunds (completed_at) WHERE completed_at IS NOT NULL;
INSERT OR IGNORE INTO refunds
  (id, order_id, case_id, return_id, currency, amount, method, status, requested_at, completed_at)
  SELECT json_extract(r.value, '$.id'), o.id, json_extract(r.value, '$.case_id'),
         json_extract(r.value, '$.return_id'), json_extract(o.body, '$.currency'),
         json_extract(r.value, '$.amount'), json_extract(r.value, '$.method'),
         json_extract(r.value, '$.status'),
         CAST(round((julianday(json_extract(r.value, '$.requested_at')) - 2440587.5) * 86400000.0) AS INTEGER),
         CAST(round((julianday(json_extract(r.value, '$.completed_at')) - 2440587.5) * 86400000.0) AS INTEGER)
  FROM orders o, json_each(o.body, '$.refunds') r;
CREATE INDEX case_log_for_reports ON case_log (kind, at) WHERE kind IN ('qa', 'red_flag', 'sla_breach');
)sql";

// The queue's order (priority, then the nearest deadline, cases without one
// last, then age and id) as indexes, so cases.list walks one and stops at the
// page: with the active filter (the operators' queue) and without.
constexpr const char *kQueueOrder = R"sql(
DROP INDEX cases_by_queue;
CREATE INDEX cases_by_queue ON cases (active, priority, (next_due IS NULL), next_due, opened_at, id);
CREATE INDEX cases_by_rank ON cases (priority, (next_due IS NULL), next_due, opened_at, id);
)sql";

// Migration 8: several processes share one store. An effect's claim
// records its claimant, and keeps the lease's end in next_attempt_at so an
// expired claim is due like a pending effect; order_skus is reachable by
// order (rewriting an order's SKUs scanned the table).
constexpr const char *kSharedStore = R"sql(
ALTER TABLE effects ADD COLUMN claimed_by TEXT;
UPDATE effects SET next_attempt_at = coalesce(lease_until, next_attempt_at) WHERE status = 'in_flight';
CREATE INDEX order_skus_by_order ON order_skus (order_id);
)sql";

// Migration 9: the claim's test "is an earlier effect of this order still
// unfinished?" reads an index of the unfinished effects only, which stays
// small however long the outbox's history grows (without it PostgreSQL
// probed every pending row per pending row: half a second per claim with a
// backlog of 3,800).
constexpr const char *kUnfinishedEffects = R"sql(
CREATE INDEX effects_unfinished_by_ordering_key ON effects (ordering_key, seq)
  WHERE status IN ('pending', 'in_flight');
)sql";

// Migration 10: what the event path reads about a SKU stays as small as
// its answer however long the SKU's history grows. case_skus carries its
// case's type, so the complaints of the repeated-complaints window are an
// index range of their own, read only up to the threshold; order_skus
// carries its order's status, so a stock count reads the SKU's open orders
// and not every order ever placed for it; the cases of a subject still
// being worked on are an index of their own (a SKU's stock counts pile up
// resolved). Rows written before are filled in.
constexpr const char *kSkuHistory = R"sql(
ALTER TABLE case_skus ADD COLUMN type TEXT NOT NULL DEFAULT '';
UPDATE case_skus SET type = coalesce((SELECT c.type FROM cases c WHERE c.id = case_skus.case_id), '');
CREATE INDEX case_skus_complaints ON case_skus (sku, opened_at)
  WHERE type IN ('wrong_item', 'damaged_item', 'missing_item', 'complaint', 'shipping_delay', 'out_of_stock');
ALTER TABLE order_skus ADD COLUMN status TEXT NOT NULL DEFAULT '';
UPDATE order_skus SET status = coalesce((SELECT o.status FROM orders o WHERE o.id = order_skus.order_id), '');
CREATE INDEX order_skus_open ON order_skus (sku, status, order_id)
  WHERE status IN ('pending', 'processing', 'picked', 'packed');
CREATE INDEX cases_active_by_subject ON cases (subject, opened_at, id) WHERE active = 1;
)sql";

// Migration 11: commands the caller gave a request_id, so a retry returns
// the first answer and does nothing more (Stripe's Idempotency-Key).
constexpr const char *kRequests = R"sql(
CREATE TABLE requests (
  id         TEXT PRIMARY KEY,
  method     TEXT NOT NULL,
  args_hash  TEXT NOT NULL,
  result     TEXT NOT NULL,
  created_at INTEGER NOT NULL
);
CREATE INDEX requests_by_time ON requests (created_at);
)sql";

// Migration 12: order_skus was reachable by order so that rewriting an
// order's SKUs could delete them all (migration 8); they are now written
// as the difference from what the order held, by their primary key, and
// nothing reads them by order (orders are never deleted): the index only
// cost every write.
constexpr const char *kOrderSkusByDifference = R"sql(
DROP INDEX order_skus_by_order;
)sql";

// Migration 13: the partial indexes that every write of an event's log
// entry, order SKU or case SKU updates named their rows with an IN list,
// which SQLite evaluates by building a temporary b-tree of the list's
// values for each row written (up to three per statement); an OR of
// equalities is a few comparisons. The queries that read them repeat the
// condition word for word (store/sql/partial_indexes.h).
constexpr const char *kPartialIndexesWithoutLists = R"sql(
DROP INDEX case_log_for_reports;
CREATE INDEX case_log_for_reports ON case_log (kind, at)
  WHERE kind = 'qa' OR kind = 'red_flag' OR kind = 'sla_breach';
DROP INDEX case_skus_complaints;
CREATE INDEX case_skus_complaints ON case_skus (sku, opened_at)
  WHERE type = 'wrong_item' OR type = 'damaged_item' OR type = 'missing_item' OR type = 'complaint'
     OR type = 'shipping_delay' OR type = 'out_of_stock';
DROP INDEX order_skus_open;
CREATE INDEX order_skus_open ON order_skus (sku, status, order_id)
  WHERE status = 'pending' OR status = 'processing' OR status = 'picked' OR status = 'packed';
)sql";

// Migration 14: the queues agents work from (cases.list). queue_due is the
// nearest deadline still ahead of the agent, "none" as the largest number,
// so (priority, queue_due, opened_at, id) is the queue's order without a
// NULL in it: a page after the last row seen is an index seek on that row
// value, not a walk past every row before it (OFFSET). answered,
// red_flagged and vip are the filters; a row whose body cannot be read
// keeps their defaults (it is listed as skipped anyway).
constexpr const char *kQueueKeyset = R"sql(
ALTER TABLE cases ADD COLUMN queue_due INTEGER NOT NULL DEFAULT 9223372036854775807;
ALTER TABLE cases ADD COLUMN answered INTEGER NOT NULL DEFAULT 0;
ALTER TABLE cases ADD COLUMN red_flagged INTEGER NOT NULL DEFAULT 0;
ALTER TABLE cases ADD COLUMN vip INTEGER NOT NULL DEFAULT 0;
UPDATE cases SET queue_due = coalesce(next_due, 9223372036854775807);
UPDATE cases SET
  answered = json_extract(body, '$.first_response_at') IS NOT NULL,
  red_flagged = coalesce(json_array_length(body, '$.red_flags'), 0) > 0,
  vip = coalesce(json_extract(body, '$.vip'), 0)
          OR EXISTS (SELECT 1 FROM json_each(body, '$.triggers') WHERE value = 'vip_complaint')
  WHERE json_valid(body);
DROP INDEX cases_by_queue;
DROP INDEX cases_by_rank;
CREATE INDEX cases_by_queue ON cases (active, priority, queue_due, opened_at, id);
CREATE INDEX cases_by_rank ON cases (priority, queue_due, opened_at, id);
)sql";

// Migration 15: SLA notices held for a team's or person's digest, sent
// and removed when their slot ends (due_at, indexed as the timers are).
// cases.next_due has been replaced by queue_due (migration 14). The queue
// filters by store and by what awaits the warehouse (its status, or a
// question asked and not answered: the bodies of older cases know only
// the status).
constexpr const char *kSlaDigests = R"sql(
CREATE TABLE sla_digest_items (
  recipient TEXT NOT NULL,
  case_id   TEXT NOT NULL,
  clock     TEXT NOT NULL,
  stage     TEXT NOT NULL,
  noted_at  INTEGER NOT NULL,
  due_at    INTEGER NOT NULL,
  PRIMARY KEY (recipient, case_id, clock, stage)
);
CREATE INDEX sla_digest_items_by_due ON sla_digest_items (due_at, recipient);
ALTER TABLE cases DROP COLUMN next_due;
ALTER TABLE cases ADD COLUMN store TEXT;
ALTER TABLE cases ADD COLUMN awaiting_warehouse INTEGER NOT NULL DEFAULT 0;
UPDATE cases SET
  store = json_extract(body, '$.store'),
  awaiting_warehouse = coalesce(json_extract(body, '$.status') = 'waiting_warehouse', 0)
  WHERE json_valid(body);
)sql";

// Migration 16: seed 004's stock transfers from a warehouse to a store
// (domain/transfer_record.h), documented with their history in the body;
// listed by request time, by status, by either end and by the order served.
constexpr const char *kTransfers = R"sql(
CREATE TABLE transfers (
  id            TEXT PRIMARY KEY,
  from_location TEXT NOT NULL,
  to_location   TEXT NOT NULL,
  status        TEXT NOT NULL,
  order_id      TEXT,
  case_id       TEXT NOT NULL,
  requested_at  INTEGER NOT NULL,
  updated_at    INTEGER NOT NULL,
  body          TEXT NOT NULL
);
CREATE INDEX transfers_by_time ON transfers (requested_at, id);
CREATE INDEX transfers_by_status ON transfers (status, requested_at, id);
CREATE INDEX transfers_by_order ON transfers (order_id);
)sql";

// Migration 17: the event path lists a subject's cases, an order's returns
// and a case's escalations in time order on nearly every event. Indexed by
// the key alone, each list was sorted in a temporary b-tree per read; with
// the order's columns in the index it is read in order.
constexpr const char *kListsInIndexOrder = R"sql(
DROP INDEX cases_by_subject;
CREATE INDEX cases_by_subject ON cases (subject, opened_at, id);
DROP INDEX returns_by_order;
CREATE INDEX returns_by_order ON returns (order_id, requested_at, id);
DROP INDEX escalations_by_case;
CREATE INDEX escalations_by_case ON escalations (case_id, at, id);
)sql";

}  // namespace

const std::vector<sql::Migration> &sqlite_migrations() {
  static const std::vector<sql::Migration> all =
      sql::engine_migrations({kEventLog, kEventIndexes, kCaseEngine, kReturns, kSlaAndRouting, kReports,
                              kQueueOrder, kSharedStore, kUnfinishedEffects, kSkuHistory, kRequests,
                              kOrderSkusByDifference, kPartialIndexesWithoutLists, kQueueKeyset, kSlaDigests,
                              kTransfers, kListsInIndexOrder});
  return all;
}

}  // namespace ordercare::store::sqlite
