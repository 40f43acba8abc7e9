#include "store/sqlite/sqlite_connection.h"

#include <chrono>
#include <climits>
#include <mutex>
#include <random>
#include <thread>

#include "common/failure.h"
#include "store/sqlite/sqlite_memory.h"

namespace ordercare::store::sqlite {

void fail_sqlite(sqlite3 *db, int rc, std::string_view doing) {
  const int primary = rc & 0xFF;
  std::string message = "store: " + std::string(doing) + ": ";
  message += db ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
  if (primary == SQLITE_BUSY || primary == SQLITE_LOCKED)
    fail(OC_ERR_BUSY, message + " (another process held the store's lock past store.busy_timeout; try again)");
  if (primary == SQLITE_NOMEM) fail(OC_ERR_NOMEM, message);
  fail(OC_ERR_STORE, message);
}

sql::Statement &SqliteStatement::bind(int index, std::int64_t value) {
  const int rc = sqlite3_bind_int64(stmt_, index, value);
  if (rc != SQLITE_OK) fail_sqlite(db_, rc, "bind");
  return *this;
}

const char *SqliteStatement::held(int index, std::string_view bytes) {
  // One buffer per parameter, made at the first bind and never moved: a
  // short text lives inside its string, so growing the vector later would
  // move what SQLite already points at.
  if (held_.empty()) held_.resize(static_cast<std::size_t>(sqlite3_bind_parameter_count(stmt_)));
  // An index SQLite does not know is refused by the bind itself; no bytes
  // at all (a null pointer) bind NULL, as they always have.
  if (!bytes.data() || index < 1 || static_cast<std::size_t>(index) > held_.size()) return bytes.data();
  std::string &slot = held_[static_cast<std::size_t>(index) - 1];
  slot.assign(bytes);
  return slot.data();
}

sql::Statement &SqliteStatement::bind(int index, std::string_view value) {
  if (value.size() > static_cast<std::size_t>(INT_MAX)) fail(OC_ERR_TOO_LARGE, "store: value too large");
  const int rc = sqlite3_bind_text(stmt_, index, held(index, value), static_cast<int>(value.size()), SQLITE_STATIC);
  if (rc != SQLITE_OK) fail_sqlite(db_, rc, "bind");
  return *this;
}

sql::Statement &SqliteStatement::bind_null(int index) {
  const int rc = sqlite3_bind_null(stmt_, index);
  if (rc != SQLITE_OK) fail_sqlite(db_, rc, "bind");
  return *this;
}

sql::Statement &SqliteStatement::bind_blob(int index, std::string_view bytes) {
  if (bytes.size() > static_cast<std::size_t>(INT_MAX)) fail(OC_ERR_TOO_LARGE, "store: value too large");
  const int rc = sqlite3_bind_blob(stmt_, index, held(index, bytes), static_cast<int>(bytes.size()), SQLITE_STATIC);
  if (rc != SQLITE_OK) fail_sqlite(db_, rc, "bind");
  return *this;
}

bool SqliteStatement::step() {
  const int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  sqlite3_reset(stmt_);
  fail_sqlite(db_, rc, "step");
}

void SqliteStatement::reset() {
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
}

std::int64_t SqliteStatement::column_int(int index) const { return sqlite3_column_int64(stmt_, index); }

std::string SqliteStatement::column_text(int index) const {
  const auto *text = sqlite3_column_blob(stmt_, index);
  const int size = sqlite3_column_bytes(stmt_, index);
  return text ? std::string(static_cast<const char *>(text), static_cast<std::size_t>(size)) : std::string();
}

bool SqliteStatement::column_is_null(int index) const {
  return sqlite3_column_type(stmt_, index) == SQLITE_NULL;
}

namespace {

std::mutex g_observer_mutex;
std::shared_ptr<const StatementObserver> g_observer;

std::shared_ptr<const StatementObserver> current_observer() {
  std::lock_guard lock(g_observer_mutex);
  return g_observer;
}

// SQLITE_TRACE_PROFILE: a statement finished (or was reset). `context` is
// the observer the connection was opened with, kept alive by it.
int trace_statement(unsigned, void *context, void *statement, void *) {
  auto *stmt = static_cast<sqlite3_stmt *>(statement);
  char *expanded = sqlite3_expanded_sql(stmt);
  try {
    (*static_cast<const StatementObserver *>(context))(sqlite3_sql(stmt), expanded);
  } catch (...) {
    // An observer's failure is its own: the statement has run.
  }
  sqlite3_free(expanded);
  return 0;
}

// SQLite's own settings for every connection of the process, made once
// before the first opens it. This copy of SQLite is ours alone (linked in,
// its symbols hidden), so nothing else in the host shares them.
//  - No memory statistics: keeping them takes a process-wide mutex around
//    every allocation, and nothing reads them.
//  - Small blocks kept per thread for the next request (sqlite_memory.h).
void configure_sqlite_once() {
  static std::once_flag once;
  std::call_once(once, [] {
    sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
    use_kept_blocks_for_sqlite();
  });
}

}  // namespace

void observe_statements(StatementObserver observer) {
  std::lock_guard lock(g_observer_mutex);
  g_observer = observer ? std::make_shared<const StatementObserver>(std::move(observer)) : nullptr;
}

SqliteConnection::SqliteConnection(const std::string &path) : observer_(current_observer()) {
  configure_sqlite_once();
  const int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX;
  const int rc = sqlite3_open_v2(path.c_str(), &db_, flags, nullptr);
  if (rc != SQLITE_OK) {
    std::string reason = db_ ? sqlite3_errmsg(db_) : sqlite3_errstr(rc);
    sqlite3_close_v2(db_);
    db_ = nullptr;
    fail(OC_ERR_STORE, "store: cannot open '" + path + "': " + reason);
  }
  sqlite3_extended_result_codes(db_, 1);
  if (observer_)
    sqlite3_trace_v2(db_, SQLITE_TRACE_PROFILE, trace_statement, const_cast<StatementObserver *>(observer_.get()));
}

SqliteConnection::~SqliteConnection() {
  // The cached statements belong to this handle: finalized first.
  forget_statements();
  sqlite3_close_v2(db_);
}

void SqliteConnection::exec(std::string_view sql) {
  char *error = nullptr;
  const std::string text(sql);
  const int rc = sqlite3_exec(db_, text.c_str(), nullptr, nullptr, &error);
  if (rc != SQLITE_OK) {
    sqlite3_free(error);
    fail_sqlite(db_, rc, text.substr(0, 60));
  }
}

std::unique_ptr<sql::Statement> SqliteConnection::prepare_with(std::string_view sql, unsigned flags) {
  sqlite3_stmt *stmt = nullptr;
  const int rc = sqlite3_prepare_v3(db_, sql.data(), static_cast<int>(sql.size()), flags, &stmt, nullptr);
  if (rc != SQLITE_OK) fail_sqlite(db_, rc, "prepare " + std::string(sql.substr(0, 60)));
  return std::make_unique<SqliteStatement>(db_, stmt);
}

std::unique_ptr<sql::Statement> SqliteConnection::prepare(std::string_view sql) { return prepare_with(sql, 0); }

std::unique_ptr<sql::Statement> SqliteConnection::prepare_persistent(std::string_view sql) {
  return prepare_with(sql, SQLITE_PREPARE_PERSISTENT);
}

std::int64_t SqliteConnection::changes() const { return sqlite3_changes(db_); }

std::int64_t SqliteConnection::schema_version() {
  auto stmt = prepare("PRAGMA user_version");
  stmt->step();
  return stmt->column_int(0);
}

void SqliteConnection::set_schema_version(std::int64_t version) {
  exec("PRAGMA user_version = " + std::to_string(version));
}

namespace {

std::int64_t steady_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

}  // namespace

void SqliteConnection::set_busy_timeout(std::int64_t ms) {
  busy_timeout_ms_ = ms;
  sqlite3_busy_handler(db_, &SqliteConnection::wait_when_busy, this);
}

int SqliteConnection::wait_when_busy(void *self, int attempt) {
  auto *connection = static_cast<SqliteConnection *>(self);
  const std::int64_t now = steady_ms();
  if (attempt == 0) connection->busy_since_ms_ = now;
  if (now - connection->busy_since_ms_ >= connection->busy_timeout_ms_) return 0;
  // Short, jittered sleeps: several waiting processes neither wake together
  // nor sleep through the moment the lock is free.
  thread_local std::minstd_rand random(std::random_device{}());
  const int most_us = attempt < 10 ? 1000 : 4000;
  std::this_thread::sleep_for(std::chrono::microseconds(200 + static_cast<int>(random() % most_us)));
  return 1;
}

bool SqliteConnection::checkpoint_truncate() {
  // The wait is the caller's: the busy handler, which may stop waiting at
  // once when its clock was started by an earlier wait, is set aside.
  sqlite3_busy_handler(db_, nullptr, nullptr);
  const int rc = sqlite3_wal_checkpoint_v2(db_, nullptr, SQLITE_CHECKPOINT_TRUNCATE, nullptr, nullptr);
  sqlite3_busy_handler(db_, &SqliteConnection::wait_when_busy, this);
  if ((rc & 0xFF) == SQLITE_BUSY) return false;
  if (rc != SQLITE_OK) fail_sqlite(db_, rc, "checkpoint");
  return true;
}

bool SqliteConnection::checkpoint_passive() {
  const int rc = sqlite3_wal_checkpoint_v2(db_, nullptr, SQLITE_CHECKPOINT_PASSIVE, nullptr, nullptr);
  if ((rc & 0xFF) == SQLITE_BUSY) return false;
  if (rc != SQLITE_OK) fail_sqlite(db_, rc, "checkpoint");
  return true;
}

void SqliteConnection::on_wal_commit(WalCommitHook hook) {
  wal_commit_hook_ = std::move(hook);
  if (wal_commit_hook_)
    sqlite3_wal_hook(db_, &SqliteConnection::wal_committed, this);
  else
    sqlite3_wal_autocheckpoint(db_, 1000);  // SQLite's default
}

int SqliteConnection::wal_committed(void *self, sqlite3 *, const char *, int wal_frames) {
  auto *connection = static_cast<SqliteConnection *>(self);
  try {
    connection->wal_commit_hook_(wal_frames);
  } catch (...) {
    // The commit has happened; a hook that failed to note it is asked again
    // on the next one.
  }
  return SQLITE_OK;
}

bool SqliteConnection::file_moved() {
  int moved = 0;
  const int rc = sqlite3_file_control(db_, "main", SQLITE_FCNTL_HAS_MOVED, &moved);
  if (rc != SQLITE_OK) fail_sqlite(db_, rc, "file control");
  return moved != 0;
}

void SqliteConnection::keep_files_on_close() {
  int persist = 1;
  sqlite3_file_control(db_, "main", SQLITE_FCNTL_PERSIST_WAL, &persist);
}

std::int64_t SqliteConnection::data_version() {
  auto stmt = cached("PRAGMA data_version");
  stmt->step();
  return stmt->column_int(0);
}

}  // namespace ordercare::store::sqlite
