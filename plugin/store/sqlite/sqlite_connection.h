// sql::Connection over one sqlite3 handle: the only place a naked sqlite3
// pointer exists. Errors become Failure with OC_ERR_STORE, or OC_ERR_BUSY
// when another process held the file's lock past the busy timeout.
#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "store/sql/connection.h"

namespace ordercare::store::sqlite {

// Sees every statement each store connection opened after it was set runs,
// once the statement has finished: its SQL as written and with its bound
// values (sqlite3_expanded_sql; null when too large). For tests that check
// the query plan of every statement the event path runs, and benchmarks
// that replay our writes with SQLite alone. Costs nothing when unset; set it
// before the plugin opens its store. Any thread may run a connection, so the
// observer must be thread-safe.
using StatementObserver = std::function<void(std::string_view sql, const char *expanded)>;
void observe_statements(StatementObserver observer);

class SqliteStatement final : public sql::Statement {
 public:
  SqliteStatement(sqlite3 *db, sqlite3_stmt *stmt) : db_(db), stmt_(stmt) {}
  ~SqliteStatement() override { sqlite3_finalize(stmt_); }
  SqliteStatement(const SqliteStatement &) = delete;
  SqliteStatement &operator=(const SqliteStatement &) = delete;

  using sql::Statement::bind;
  Statement &bind(int index, std::int64_t value) override;
  Statement &bind(int index, std::string_view value) override;
  Statement &bind_blob(int index, std::string_view bytes) override;
  Statement &bind_null(int index) override;
  bool step() override;
  void reset() override;
  std::int64_t column_int(int index) const override;
  std::string column_text(int index) const override;
  std::string column_blob(int index) const override { return column_text(index); }
  bool column_is_null(int index) const override;

 private:
  // Where a bound text or blob is kept until the statement is reset or the
  // parameter bound again: SQLite reads it in place (SQLITE_STATIC) rather
  // than allocating a copy of its own for every bind and freeing it at the
  // next (SQLITE_TRANSIENT). The buffers keep their room from one run to
  // the next: a statement run once per event allocates nothing to bind.
  const char *held(int index, std::string_view bytes);

  sqlite3 *db_;
  sqlite3_stmt *stmt_;
  std::vector<std::string> held_;
};

class SqliteConnection final : public sql::Connection {
 public:
  // Opens (creating if needed) the file at path. Throws Failure(OC_ERR_STORE)
  // with the path and SQLite's reason if it cannot.
  explicit SqliteConnection(const std::string &path);
  ~SqliteConnection() override;
  SqliteConnection(const SqliteConnection &) = delete;
  SqliteConnection &operator=(const SqliteConnection &) = delete;

  sql::Dialect dialect() const override { return sql::Dialect::sqlite; }
  void exec(std::string_view sql) override;
  void exec_cached(const char *sql) override { cached(sql)->run(); }
  // sqlite3_total_changes64: rows changed by this connection since it opened.
  std::int64_t total_changes() const { return sqlite3_total_changes64(db_); }
  std::unique_ptr<sql::Statement> prepare(std::string_view sql) override;
  std::int64_t changes() const override;
  std::int64_t schema_version() override;
  void set_schema_version(std::int64_t version) override;
  void begin_exclusive() override { exec_cached("BEGIN IMMEDIATE"); }
  void end_exclusive(bool commit) override { exec_cached(commit ? "COMMIT" : "ROLLBACK"); }

  // PRAGMA data_version: changes when another connection committed.
  std::int64_t data_version();

  // Whether the file this connection opened is no longer the one its path
  // names (deleted, or replaced by another file, since).
  bool file_moved();
  // Closing the connection then removes no file by name (SQLite's last
  // connection deletes -wal and -shm): for a store whose files were
  // removed, where those names may already be another store's.
  void keep_files_on_close();

  // How long a statement waits for another process's lock before it fails
  // with OC_ERR_BUSY. The wait retries every millisecond or few rather
  // than on SQLite's own schedule (sleeps growing to 100 ms), under which a
  // waiting process seldom won the lock from one that keeps writing.
  void set_busy_timeout(std::int64_t ms);

  // Copies every frame of the WAL into the database file, syncs it and
  // truncates the WAL to zero bytes (a TRUNCATE checkpoint), without
  // waiting: false if another connection was writing or still reading an
  // older snapshot, in which case as much as they allow was copied.
  bool checkpoint_truncate();
  // Copies into the database file the WAL frames no reader still needs,
  // without waiting for anyone (a PASSIVE checkpoint); false if another
  // connection was checkpointing. On a connection that has not read the
  // store yet it copies nothing (SQLite does not know the WAL is there).
  bool checkpoint_passive();

  // After each commit of this connection, `hook` learns how many frames the
  // WAL holds, and SQLite's automatic checkpoint no longer runs: the hook's
  // owner checkpoints (wal_checkpointer.h). Null restores the automatic
  // checkpoint.
  using WalCommitHook = std::function<void(int wal_frames)>;
  void on_wal_commit(WalCommitHook hook);

 protected:
  std::unique_ptr<sql::Statement> prepare_persistent(std::string_view sql) override;

 private:
  std::unique_ptr<sql::Statement> prepare_with(std::string_view sql, unsigned flags);

  static int wait_when_busy(void *self, int attempt);
  static int wal_committed(void *self, sqlite3 *, const char *, int wal_frames);

  sqlite3 *db_ = nullptr;
  std::shared_ptr<const StatementObserver> observer_;  // observe_statements(), as it was at open
  std::int64_t busy_timeout_ms_ = 0;
  std::int64_t busy_since_ms_ = 0;  // steady clock, when this wait began
  WalCommitHook wal_commit_hook_;
};


// Throws the Failure matching an SQLite result code (BUSY/LOCKED -> OC_ERR_BUSY,
// FULL/IOERR/CORRUPT/... -> OC_ERR_STORE).
[[noreturn]] void fail_sqlite(sqlite3 *db, int rc, std::string_view doing);

}  // namespace ordercare::store::sqlite
