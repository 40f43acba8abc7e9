// The embedded default store: one SQLite file in WAL mode.
#pragma once

#include <memory>

#include "store/sqlite/database.h"
#include "store/sqlite/file_lock.h"
#include "store/sqlite/pii_vault.h"
#include "store/sqlite/sqlite_event_log.h"
#include "store/sqlite/sqlite_outbox.h"
#include "store/sqlite/sqlite_state_store.h"
#include "store/store.h"

namespace ordercare::store::sqlite {

class SqliteStore final : public Store {
 public:
  explicit SqliteStore(const StoreConfig &config);

  void begin_batch() override;
  void commit_batch() override;
  void rollback_batch() override;
  void begin_job() override;
  void release_job() override;
  void rollback_job() override;

  EventLog &events() override { return events_; }
  StateStore &state() override { return state_; }
  Outbox &outbox() override { return outbox_; }
  std::int64_t schema_version() override { return db_.user_version(); }

  // For tests and tools that need to reach the file directly.
  Database &database() { return db_; }

 private:
  FileLock lock_;  // first: held before the file is touched, released last
  Database db_;
  PiiVault vault_;
  SqliteEventLog events_;
  SqliteStateStore state_;
  SqliteOutbox outbox_;
};

}  // namespace ordercare::store::sqlite
