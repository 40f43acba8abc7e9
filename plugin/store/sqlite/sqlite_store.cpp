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
  // A file from a newer ordercare is refused (migrate() throws
  // OC_ERR_VERSION) before anything below writes to it: switching to WAL
  // alone rewrites its header.
  if (db.user_version() > migrations().back().version) migrate(db);
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

// The vault needs the migrated schema and the master key, so the connection
// is configured and migrated, in this order, before the vault is built.
std::string prepare_and_load_master_key(Database &db, const StoreConfig &config) {
  configure_connection(db, config);
  migrate(db);
  return load_master_key(db, config.path, config.master_key);
}

}  // namespace

SqliteStore::SqliteStore(const StoreConfig &config)
    : lock_(lock_path_for(config)),
      db_(config.path),
      vault_(db_, prepare_and_load_master_key(db_, config)),
      events_(db_, vault_),
      state_(db_, vault_),
      outbox_(db_, vault_) {}

void SqliteStore::begin_batch() { db_.exec("BEGIN IMMEDIATE"); }

void SqliteStore::commit_batch() {
  db_.exec("COMMIT");
  vault_.on_batch_commit();
}

void SqliteStore::rollback_batch() {
  vault_.on_batch_rollback();
  db_.exec("ROLLBACK");
}

void SqliteStore::begin_job() {
  db_.exec("SAVEPOINT job");
  vault_.on_job_begin();
}

void SqliteStore::release_job() { db_.exec("RELEASE job"); }

void SqliteStore::rollback_job() {
  vault_.on_job_rollback();
  db_.exec("ROLLBACK TO job; RELEASE job");
}

}  // namespace ordercare::store::sqlite
