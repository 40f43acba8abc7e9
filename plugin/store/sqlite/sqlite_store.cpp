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
  db.exec("PRAGMA cache_size = -" + std::to_string(config.page_cache_kib));
  // Deleted and overwritten content (an erased customer's wrapped data
  // keys) is zeroed in its page, and freed pages are zeroed, so once the
  // WAL is checkpointed no copy of it is left in the file (scrub()).
  db.exec("PRAGMA secure_delete = ON");
  // A write probe: an unwritable file or directory fails here, at open,
  // rather than on the first event.
  db.exec("BEGIN IMMEDIATE; COMMIT");
}

using NewStore = SqliteStore::NewStore;

// Removes the files of a store this connection created, on the way out of
// its failed open, if nobody else uses it: under the file's EXCLUSIVE lock,
// which SQLite grants only while no other connection (of any process) has
// it open, each holding a SHARED lock from its first read until it closes;
// and only if no other connection committed to it (a process that opened,
// wrote and closed meanwhile) and it is still the file at its path.
void remove_new_store(SqliteConnection &db, const NewStore &made) noexcept {
  try {
    try {
      db.exec("ROLLBACK");
    } catch (const Failure &) {
      // No transaction was open.
    }
    db.set_busy_timeout(0);
    db.exec("PRAGMA locking_mode = EXCLUSIVE");
    db.exec("BEGIN IMMEDIATE");
    bool unused = false;
    {
      auto tables = db.prepare("SELECT count(*) FROM sqlite_master");
      unused = tables->step() && tables->column_int(0) == 0;
    }
    if (!unused && made.data_version) unused = db.data_version() == *made.data_version;
    if (unused && !db.file_moved()) {
      const std::string key_file = made.path + ".key";
      const bool our_key =
          (made.key_file && file_id(key_file) == made.key_file) || sql::holds_store_key(db, key_file);
      db.keep_files_on_close();
      remove_new_store_files(made.path, made.before, our_key);
    }
    db.exec("ROLLBACK");
  } catch (...) {
    // The open's own failure is what the caller reports.
  }
}

// How often an open starts again when the file it opened was removed (by a
// failed open of a new store) before it could take its lock.
constexpr int kOpenAttempts = 3;

// The connection is configured and migrated, in this order, before the
// vault (which needs the schema and the master key) is built. `created` is
// set when this open created the store.
sql::OpenedConnection open_connection(const StoreConfig &config, std::optional<NewStore> &created) {
  const std::string path = canonical_store_path(config.path);
  const bool on_disk = path != ":memory:";
  const std::string key_file = on_disk ? path + ".key" : "";
  for (int attempt = 1;; ++attempt) {
    const StoreFiles before = on_disk ? inspect_store_files(path) : StoreFiles{};
    auto db = std::make_unique<SqliteConnection>(path);
    std::optional<NewStore> made;
    if (on_disk && !before.database) made = NewStore{path, before, std::nullopt, std::nullopt};
    bool key_created = false;
    try {
      configure_connection(*db, config, path);
      // This connection holds its SHARED lock now, so nobody removes the
      // file any more; if it is no longer the file at `path`, a failed open
      // of a new store removed it before: open again.
      if (on_disk && db->file_moved()) {
        db->keep_files_on_close();
        if (attempt < kOpenAttempts) continue;
        fail(OC_ERR_BUSY, "store: '" + path + "' was removed while this process opened it; try again");
      }
      if (made) made->data_version = db->data_version();
      sql::migrate(*db, sqlite_migrations());
      // An in-memory store lives and dies with this process: any key will do.
      std::string master_key = config.master_key;
      if (master_key.empty() && key_file.empty()) master_key = crypto::random_bytes(32);
      sql::OpenedConnection out;
      out.master_key = sql::load_master_key(*db, key_file, master_key, &key_created);
      if (made && key_created) made->key_file = file_id(key_file);
      out.connection = std::move(db);
      out.claimant = {local_claimant(), local_claimant_alive};
      out.remembered_documents = config.remembered_documents;
      out.exclusive_batches = true;
      created = std::move(made);
      return out;
    } catch (...) {
      if (made && db) {
        if (key_created && !made->key_file) made->key_file = file_id(key_file);
        remove_new_store(*db, *made);
      }
      throw;
    }
  }
}

}  // namespace

SqliteStore::SqliteStore(const StoreConfig &config) : SqliteStore(config, std::nullopt) {}

// `created` is filled by open_connection() while the base is built, then kept.
SqliteStore::SqliteStore(const StoreConfig &config, std::optional<NewStore> created)
    : SqlStore(open_connection(config, created)),
      db_(static_cast<SqliteConnection &>(connection())),
      on_disk_(config.path != ":memory:"),
      busy_timeout_ms_(config.busy_timeout_ms) {
  vault_seen_version_ = wake_seen_version_ = db_.data_version();
  created_ = std::move(created);
  if (on_disk_) start_checkpointer(canonical_store_path(config.path));
}

SqliteStore::~SqliteStore() { stop_checkpointer(); }

void SqliteStore::start_checkpointer(const std::string &path) {
  try {
    checkpointer_ = std::make_unique<WalCheckpointer>(path);
  } catch (...) {
    // No second connection or thread to be had: SQLite's automatic
    // checkpoint, inside the commit, keeps the WAL in bounds as before.
    return;
  }
  db_.on_wal_commit([this](int wal_frames) { checkpointer_->on_commit(wal_frames); });
}

// Before the writer's connection closes or removes the files: it must be
// SQLite's last connection to the store.
void SqliteStore::stop_checkpointer() noexcept {
  if (!checkpointer_) return;
  db_.on_wal_commit(nullptr);
  checkpointer_.reset();
}

void SqliteStore::abandon() noexcept {
  stop_checkpointer();
  if (created_) remove_new_store(db_, *created_);
  created_.reset();
}

void SqliteStore::begin_batch() {
  if (checkpointer_ && checkpointer_->restart_due()) {
    // Between two transactions nothing new is appended while it copies, so
    // the BEGIN below can start the WAL over (wal_checkpointer.h).
    try {
      checkpointer_->checkpoint_for_restart(db_);
    } catch (const Failure &) {
      // Only the WAL's size is at stake; the batch's own writes report a
      // store that cannot be written.
    }
  }
  db_.exec_cached("BEGIN IMMEDIATE");
  if (checkpointer_) checkpointer_->on_batch_begins();
  batch_began();
  // Under the write lock nobody else commits until this batch ends: if
  // someone did since the last batch, a key the vault remembers may have
  // been erased by them.
  const std::int64_t version = db_.data_version();
  if (version != vault_seen_version_) forget_secrets();
  vault_seen_version_ = version;
}

void SqliteStore::commit_batch() {
  db_.exec_cached("COMMIT");
  batch_ended(true);
}

void SqliteStore::rollback_batch() {
  batch_ended(false);
  db_.exec_cached("ROLLBACK");
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
