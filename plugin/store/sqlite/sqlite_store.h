// The embedded default store: one SQLite file in WAL mode, shared by any
// number of processes of one machine. Their writers serialise on SQLite's
// write lock (each batch is BEGIN IMMEDIATE, waiting up to busy_timeout),
// so claims cost nothing here: a batch is the only writer while it runs.
// Another process's commit shows as a change of PRAGMA data_version.
#pragma once

#include <memory>
#include <optional>

#include "store/sql/sql_store.h"
#include "store/sqlite/sqlite_connection.h"
#include "store/sqlite/store_file.h"
#include "store/sqlite/wal_checkpointer.h"

namespace ordercare::store::sqlite {

class SqliteStore final : public sql::SqlStore {
 public:
  explicit SqliteStore(const StoreConfig &config);
  ~SqliteStore() override;

  void begin_batch() override;
  void commit_batch() override;
  void rollback_batch() override;

  bool claim(const std::vector<Subject> &) override { return false; }
  bool try_claim(const std::vector<Subject> &) override { return true; }

  bool others_committed() override;
  void abandon() noexcept override;
  void announce() override;
  bool scrub() override;

  std::int64_t schema_version() override { return db_.schema_version(); }

  // For tests and tools that need to reach the file directly.
  SqliteConnection &database() { return db_; }

  // A store this handle created: what to remove if its open fails.
  struct NewStore {
    std::string path;
    StoreFiles before;
    std::optional<FileId> key_file;            // the key file this open made
    std::optional<std::int64_t> data_version;  // once open; another connection's commit changes it
  };

 private:
  SqliteStore(const StoreConfig &config, std::optional<NewStore> created);
  std::optional<std::int64_t> rows_changed() override { return db_.total_changes(); }
  void start_checkpointer(const std::string &path);
  void stop_checkpointer() noexcept;

  std::optional<NewStore> created_;
  SqliteConnection &db_;
  bool on_disk_;                          // false for ":memory:"
  std::int64_t busy_timeout_ms_;
  bool scrub_pending_ = false;            // an erasure's checkpoint could not finish yet
  std::int64_t vault_seen_version_ = 0;  // data_version when the vault last knew it current
  std::int64_t wake_seen_version_ = 0;   // data_version others_committed() last saw
  std::unique_ptr<WalCheckpointer> checkpointer_;  // on disk; null where SQLite checkpoints in the commit
};

}  // namespace ordercare::store::sqlite
