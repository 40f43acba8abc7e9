// What the shared store code asks of a database connection: statements
// with numbered parameters, rows read column by column, and how many rows
// a statement changed. sqlite/ and postgres/ each implement it; nothing
// above plugin/store/ sees it.
//
// SQL is written once, in the subset both engines read alike: parameters
// as ?1, ?2 (or ? in order), ON CONFLICT upserts, RETURNING. Where the two
// differ (claims, JSON, DDL) the code asks dialect().
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

namespace ordercare::store::sql {

enum class Dialect { sqlite, postgres };

class Statement {
 public:
  virtual ~Statement() = default;

  // Binds by 1-based index; returns *this so calls chain.
  virtual Statement &bind(int index, std::int64_t value) = 0;
  virtual Statement &bind(int index, std::string_view value) = 0;
  virtual Statement &bind_blob(int index, std::string_view bytes) = 0;
  virtual Statement &bind_null(int index) = 0;
  Statement &bind(int index, const char *value) { return bind(index, std::string_view(value)); }
  Statement &bind(int index, const std::string &value) { return bind(index, std::string_view(value)); }
  Statement &bind(int index, const std::optional<std::string> &value);
  Statement &bind(int index, const std::optional<std::int64_t> &value);

  // Steps once: true if a row is available, false when done.
  virtual bool step() = 0;
  // Runs a statement that returns no rows (or whose rows are not wanted),
  // then resets it.
  void run();
  // Ready to bind and run again; bindings cleared.
  virtual void reset() = 0;

  virtual std::int64_t column_int(int index) const = 0;
  virtual std::string column_text(int index) const = 0;
  virtual std::string column_blob(int index) const = 0;
  virtual bool column_is_null(int index) const = 0;
  std::optional<std::string> column_optional_text(int index) const;
  std::optional<std::int64_t> column_optional_int(int index) const;
};

// A statement borrowed from the connection's cache; resets itself when it
// goes away so the next borrower starts clean.
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

class Connection {
 public:
  virtual ~Connection() = default;

  virtual Dialect dialect() const = 0;
  // Runs SQL without parameters or rows (several statements allowed).
  virtual void exec(std::string_view sql) = 0;
  // A prepared statement kept for the life of the connection, keyed by the
  // literal's address: call it with string literals (or strings that live
  // as long as the connection).
  CachedStatement cached(const char *sql);
  // Runs a statement without parameters or rows (BEGIN, SAVEPOINT x) that
  // a connection runs again and again: prepared once where the engine can.
  virtual void exec_cached(const char *sql) { exec(sql); }
  // A one-off statement.
  virtual std::unique_ptr<Statement> prepare(std::string_view sql) = 0;
  // Rows inserted, updated or deleted by the last statement that ran.
  virtual std::int64_t changes() const = 0;

  // Migrations (migrations.h): where the schema is, and a transaction no
  // other opener of the store can run beside, so two processes opening a
  // new store at once migrate it once. end_exclusive commits or rolls back.
  virtual std::int64_t schema_version() = 0;
  virtual void set_schema_version(std::int64_t version) = 0;
  virtual void begin_exclusive() = 0;
  virtual void end_exclusive(bool commit) = 0;

 protected:
  // The statement cached() keeps.
  virtual std::unique_ptr<Statement> prepare_persistent(std::string_view sql) = 0;
  // Drops every cached statement (before the handle they belong to goes).
  void forget_statements() { cache_.clear(); }

 private:
  std::unordered_map<const char *, std::unique_ptr<Statement>> cache_;
};

}  // namespace ordercare::store::sql
