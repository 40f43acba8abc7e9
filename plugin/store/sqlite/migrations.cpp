#include "store/sqlite/migrations.h"

#include <string>

#include "common/failure.h"

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

}  // namespace

const std::vector<Migration> &migrations() {
  static const std::vector<Migration> all = {
      {1, "event log", kEventLog},
      {2, "event log indexes", kEventIndexes},
  };
  return all;
}

void migrate(Database &db, std::optional<std::int64_t> target) {
  const std::int64_t latest = migrations().back().version;
  const std::int64_t current = db.user_version();
  if (current > latest)
    fail(OC_ERR_VERSION, "store: the file is at schema version " + std::to_string(current) +
                             ", newer than this ordercare (" + std::to_string(latest) +
                             "); upgrade ordercare to open it");
  for (const auto &m : migrations()) {
    if (m.version <= current || (target && m.version > *target)) continue;
    db.exec("BEGIN IMMEDIATE");
    try {
      db.exec(m.sql);
      db.exec("INSERT INTO meta(key, value) VALUES ('migration." + std::to_string(m.version) +
              "', '" + m.description + "') ON CONFLICT(key) DO UPDATE SET value = excluded.value");
      db.set_user_version(m.version);
      db.exec("COMMIT");
    } catch (...) {
      db.exec("ROLLBACK");
      throw;
    }
  }
}

}  // namespace ordercare::store::sqlite
