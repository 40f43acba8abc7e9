#include "store/sql/migrations.h"

#include <iterator>
#include <string>

#include "common/failure.h"

namespace ordercare::store::sql {

namespace {

// The steps, whatever the engine.
constexpr const char *kDescriptions[] = {
    "event log",
    "event log indexes",
    "case engine, outbox, PII keys",
    "returns, outbox leases",
    "SLA timers, agents",
    "reports: resolution times, refunds, log kinds",
    "the queue's order as indexes",
    "shared stores: claimants, SKUs by order",
    "unfinished effects by ordering key",
    "a SKU's complaints, open orders and active cases as indexes",
    "commands by request id",
    "an order's SKUs written by difference, not by order",
    "partial indexes named by ORs, not IN lists",
    "the queue's filters and its keyset order",
    "SLA digests; the queue by store and by the warehouse; cases.next_due dropped",
    "stock transfers between warehouses and stores",
    "a subject's cases, an order's returns and a case's escalations read in index order",
};

}  // namespace

std::vector<Migration> engine_migrations(std::initializer_list<const char *> sql) {
  if (sql.size() != std::size(kDescriptions))
    fail(OC_ERR_INTERNAL, "store: an engine's migrations do not match the numbered steps");
  std::vector<Migration> out;
  std::int64_t version = 0;
  for (const char *text : sql) {
    out.push_back({version + 1, kDescriptions[version], text});
    ++version;
  }
  return out;
}

void refuse_newer(std::int64_t version, const std::vector<Migration> &migrations) {
  const std::int64_t latest = migrations.back().version;
  if (version > latest)
    fail(OC_ERR_VERSION, "store: the store is at schema version " + std::to_string(version) +
                             ", newer than this ordercare (" + std::to_string(latest) +
                             "); upgrade ordercare to open it");
}

void migrate(Connection &db, const std::vector<Migration> &migrations, std::optional<std::int64_t> target) {
  const std::int64_t wanted = target.value_or(migrations.back().version);
  std::int64_t current = db.schema_version();
  refuse_newer(current, migrations);
  if (current >= wanted) return;
  for (const auto &m : migrations) {
    if (m.version > wanted) break;
    if (m.version <= current) continue;
    db.begin_exclusive();
    try {
      // Another process may have applied it while this one waited.
      current = db.schema_version();
      refuse_newer(current, migrations);
      if (m.version > current) {
        db.exec(m.sql);
        auto record = db.prepare(
            "INSERT INTO meta (key, value) VALUES (?1, ?2) ON CONFLICT (key) DO UPDATE SET value = ?2");
        record->bind(1, "migration." + std::to_string(m.version)).bind(2, m.description);
        record->run();
        db.set_schema_version(m.version);
        current = m.version;
      }
      db.end_exclusive(true);
    } catch (...) {
      try {
        db.end_exclusive(false);
      } catch (...) {
      }
      throw;
    }
  }
}

}  // namespace ordercare::store::sql
