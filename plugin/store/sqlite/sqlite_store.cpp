#include "store/sqlite/sqlite_store.h"

#include "common/failure.h"
#include "store/sqlite/migrations.h"

namespace ordercare::store::sqlite {

namespace {

std::string lock_path_for(const StoreConfig &config) {
  if (config.path == ":memory:" || config.path.empty()) return {};
  return config.path + ".lock";
}

void configure_connection(Database &db, const StoreConfig &config) {
  db.exec("PRAGMA busy_timeout = " + std::to_string(config.busy_timeout_ms));
  if (config.path != ":memory:") {
    auto mode = db.prepare("PRAGMA journal_mode = WAL");
    if (!mode->step() || mode->column_text(0) != "wal")
      fail(OC_ERR_STORE, "store: '" + config.path + "' cannot use WAL journaling");
  }
  db.exec(config.durability == Durability::full ? "PRAGMA synchronous = FULL"
                                                : "PRAGMA synchronous = NORMAL");
  db.exec("PRAGMA foreign_keys = ON");
  // A write probe: an unwritable file or directory fails here, at open,
  // rather than on the first event.
  db.exec("BEGIN IMMEDIATE; COMMIT");
}

}  // namespace

SqliteStore::SqliteStore(const StoreConfig &config)
    : lock_(lock_path_for(config)), db_(config.path), events_(db_) {
  configure_connection(db_, config);
  migrate(db_);
}

void SqliteStore::begin_batch() { db_.exec("BEGIN IMMEDIATE"); }
void SqliteStore::commit_batch() { db_.exec("COMMIT"); }
void SqliteStore::rollback_batch() { db_.exec("ROLLBACK"); }
void SqliteStore::begin_job() { db_.exec("SAVEPOINT job"); }
void SqliteStore::release_job() { db_.exec("RELEASE job"); }
void SqliteStore::rollback_job() { db_.exec("ROLLBACK TO job; RELEASE job"); }

}  // namespace ordercare::store::sqlite
