// RAII over sqlite3 and sqlite3_stmt: the only place outside which no naked
// sqlite3 pointer exists. Errors become Failure with OC_ERR_STORE, or
// OC_ERR_BUSY when the file is locked past the busy timeout.
#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

namespace ordercare::store::sqlite {

class Statement {
 public:
  Statement(sqlite3 *db, sqlite3_stmt *stmt) : db_(db), stmt_(stmt) {}
  ~Statement() { sqlite3_finalize(stmt_); }
  Statement(const Statement &) = delete;
  Statement &operator=(const Statement &) = delete;

  // Binds by 1-based index; returns *this so calls chain.
  Statement &bind(int index, std::int64_t value);
  Statement &bind(int index, std::string_view value);
  Statement &bind(int index, const char *value) { return bind(index, std::string_view(value)); }
  Statement &bind(int index, const std::string &value) { return bind(index, std::string_view(value)); }
  Statement &bind(int index, const std::optional<std::string> &value);
  Statement &bind(int index, const std::optional<std::int64_t> &value);
  Statement &bind_null(int index);
  Statement &bind_blob(int index, std::string_view bytes);

  // Steps once: true if a row is available, false when done.
  bool step();
  // Runs a statement that returns no rows, then resets it.
  void run();
  void reset();

  std::int64_t column_int(int index) const;
  std::string column_text(int index) const;
  std::optional<std::string> column_optional_text(int index) const;
  std::optional<std::int64_t> column_optional_int(int index) const;
  bool column_is_null(int index) const;

 private:
  sqlite3 *db_;
  sqlite3_stmt *stmt_;
};

// A statement borrowed from the cache; resets itself when it goes away so
// the next borrower starts clean.
class CachedStatement {
 public:
  explicit CachedStatement(Statement &stmt) : stmt_(&stmt) {}
  ~CachedStatement() { stmt_->reset(); }
  CachedStatement(const CachedStatement &) = delete;
  CachedStatement &operator=(const CachedStatement &) = delete;
  Statement *operator->() { return stmt_; }
  Statement &operator*() { return *stmt_; }

 private:
  Statement *stmt_;
};

class Database {
 public:
  // Opens (creating if needed) the file at path. Throws Failure(OC_ERR_STORE)
  // with the path and SQLite's reason if it cannot.
  explicit Database(const std::string &path);
  ~Database();
  Database(const Database &) = delete;
  Database &operator=(const Database &) = delete;

  void exec(std::string_view sql);
  // A prepared statement kept for the life of the connection.
  CachedStatement cached(const char *sql);
  // A one-off statement.
  std::unique_ptr<Statement> prepare(std::string_view sql);

  std::int64_t last_insert_rowid() const;
  int changes() const;
  std::int64_t user_version();
  void set_user_version(std::int64_t version);

 private:
  sqlite3 *db_ = nullptr;
  std::unordered_map<const char *, std::unique_ptr<Statement>> cache_;
};

// Throws the Failure matching an SQLite result code (BUSY/LOCKED -> OC_ERR_BUSY,
// FULL/IOERR/CORRUPT/... -> OC_ERR_STORE).
[[noreturn]] void fail_sqlite(sqlite3 *db, int rc, std::string_view doing);

}  // namespace ordercare::store::sqlite
