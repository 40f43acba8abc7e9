#include "store/sqlite/sqlite_store.h"

#include <chrono>
#include <thread>

#include "common/crypto.h"
#include "common/failure.h"
#include "store/sql/migrations.h"
#include "store/sqlite/sqlite_migrations.h"
#include "store/sqlite/store_file.h"

namespace ordercare::store::sqlite {

namespace {

// Switches the file to WAL. A new file's switch takes an exclusive lock,
// and SQLite answers a process that opens it at that moment BUSY at once,
// without waiting: such a process tries again, within busy_timeout.
void use_wal(SqliteConnection &db, const StoreConfig &config) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(config.busy_timeout_ms);
  for (;;) {
    try {
      auto mode = db.prepare("PRAGMA journal_mode = WAL");
      if (!mode->step() || mode->column_text(0) != "wal")
        fail(OC_ERR_STORE, "store: '" + config.path + "' cannot use WAL journaling");
      return;
    } catch (const Failure &failure) {
      if (failure.status() != OC_ERR_BUSY || std::chrono::steady_clock::now() >= deadline) throw;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
}

void configure_connection(SqliteConnection &db, const StoreConfig &config, const std::string &path) {
  db.set_busy_timeout(config.busy_timeout_ms);
  // A file from a newer ordercare is refused before anything below writes
  // to it: switching to WAL alone rewrites its header.
  sql::refuse_newer(db.schema_version(), sqlite_migrations());
  if (path != ":memory:") use_wal(db, config);
  db.exec(config.durability == Durability::full ? "PRAGMA synchronous = FULL"
                                                : "PRAGMA synchronous = NORMAL");
  db.exec("PRAGMA foreign_keys = ON");
  // Deleted and overwritten content (an erased customer's wrapped data
  // keys) is zeroed in its page, and freed pages are zeroed, so once the
  // WAL is checkpointed no copy of it is left in the file (scrub()).
  db.exec("PRAGMA secure_delete = ON");
  // A write probe: an unwritable file or directory fails here, at open,
  // rather than on the first event.
  db.exec("BEGIN IMMEDIATE; COMMIT");
}

// The connection is configured and migrated, in this order, before the
// vault (which needs the schema and the master key) is built.
sql::OpenedConnection open_connection(const StoreConfig &config) {
  const std::string path = canonical_store_path(config.path);
  auto db = std::make_unique<SqliteConnection>(path);
  configure_connection(*db, config, path);
  sql::migrate(*db, sqlite_migrations());
  const std::string key_file = path == ":memory:" ? "" : path + ".key";
  // An in-memory store lives and dies with this process: any key will do.
  std::string master_key = config.master_key;
  if (master_key.empty() && key_file.empty()) master_key = crypto::random_bytes(32);
  sql::OpenedConnection out;
  out.master_key = sql::load_master_key(*db, key_file, master_key);
  out.connection = std::move(db);
  out.claimant = {local_claimant(), local_claimant_alive};
  return out;
}

}  // namespace

SqliteStore::SqliteStore(const StoreConfig &config)
    : SqlStore(open_connection(config)),
      db_(static_cast<SqliteConnection &>(connection())),
      on_disk_(config.path != ":memory:"),
      busy_timeout_ms_(config.busy_timeout_ms) {
  vault_seen_version_ = wake_seen_version_ = db_.data_version();
}

void SqliteStore::begin_batch() {
  db_.exec("BEGIN IMMEDIATE");
  batch_began();
  // Under the write lock nobody else commits until this batch ends: if
  // someone did since the last batch, a key the vault remembers may have
  // been erased by them.
  const std::int64_t version = db_.data_version();
  if (version != vault_seen_version_) vault().forget_keys();
  vault_seen_version_ = version;
}

void SqliteStore::commit_batch() {
  db_.exec("COMMIT");
  batch_ended(true);
}

void SqliteStore::rollback_batch() {
  batch_ended(false);
  db_.exec("ROLLBACK");
}

bool SqliteStore::others_committed() {
  const std::int64_t version = db_.data_version();
  const bool changed = version != wake_seen_version_;
  wake_seen_version_ = version;
  return changed;
}

void SqliteStore::announce() {
  // An erasure's checkpoint that other readers held up: once more, without
  // waiting, now that they may be gone.
  if (scrub_pending_) scrub_pending_ = !db_.checkpoint_truncate();
}

bool SqliteStore::scrub() {
  if (!on_disk_) return true;
  // Other processes' connections reading a snapshot from before the
  // erasure keep the WAL frames they read, the old key rows among them:
  // tried again until they are gone or busy_timeout has passed.
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(busy_timeout_ms_);
  while (!db_.checkpoint_truncate()) {
    if (std::chrono::steady_clock::now() >= deadline) {
      scrub_pending_ = true;
      return false;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  scrub_pending_ = false;
  return true;
}

}  // namespace ordercare::store::sqlite
