// sql::Connection over libpq: the only place a PGconn exists. Statements
// written with ?N parameters are sent as $N; results are read whole, so a
// statement may run while another's rows are being read.
//
// The server may go away (a restart, a failover, the network). Then every
// call fails with OC_ERR_BUSY and a message naming the server (host, port,
// database; never the password), nothing is acknowledged, and the next
// batch reconnects, no more often than a backoff that doubles from 100 ms
// to 5 s. A transaction cut off mid-way is rolled back by the server.
#pragma once

#include <libpq-fe.h>

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "store/sql/connection.h"

namespace ordercare::store::postgres {

class PgConnection;

class PgStatement final : public sql::Statement {
 public:
  // `name` empty: a one-off statement, sent with its parameters each time.
  PgStatement(PgConnection &connection, std::string_view sql, std::string name);
  ~PgStatement() override;
  PgStatement(const PgStatement &) = delete;
  PgStatement &operator=(const PgStatement &) = delete;

  using sql::Statement::bind;
  Statement &bind(int index, std::int64_t value) override;
  Statement &bind(int index, std::string_view value) override;
  Statement &bind_blob(int index, std::string_view bytes) override;
  Statement &bind_null(int index) override;
  bool step() override;
  void reset() override;
  std::int64_t column_int(int index) const override;
  std::string column_text(int index) const override;
  std::string column_blob(int index) const override;
  bool column_is_null(int index) const override;

 private:
  void set(int index, std::optional<std::string> value);
  void execute();

  PgConnection &connection_;
  std::string sql_;
  std::string name_;
  std::uint64_t prepared_for_ = 0;  // the connection generation it was prepared on
  std::vector<std::optional<std::string>> params_;
  PGresult *result_ = nullptr;
  int row_ = -1;
};

struct PgSettings {
  std::string url;     // a libpq URI or key=value string
  std::string schema;  // where ordercare's tables live
  std::int64_t lock_timeout_ms = 5000;  // store.busy_timeout: the longest a claim waits
};

class PgConnection final : public sql::Connection {
 public:
  // Connects, creates the schema if needed and sets the session up.
  // Throws Failure(OC_ERR_CONFIG) for a malformed URL or schema name,
  // OC_ERR_STORE if the server cannot be reached (naming host and port).
  explicit PgConnection(PgSettings settings);
  ~PgConnection() override;
  PgConnection(const PgConnection &) = delete;
  PgConnection &operator=(const PgConnection &) = delete;

  sql::Dialect dialect() const override { return sql::Dialect::postgres; }
  void exec(std::string_view sql) override;
  std::unique_ptr<sql::Statement> prepare(std::string_view sql) override;
  std::int64_t changes() const override { return changes_; }
  std::int64_t schema_version() override;
  void set_schema_version(std::int64_t version) override;
  void begin_exclusive() override;
  void end_exclusive(bool commit) override;

  // Reconnects if the connection was lost (within the backoff), else
  // throws Failure(OC_ERR_BUSY). Runs `on_connect` after every new
  // connection (the store takes its session locks there).
  void ensure_connected();
  void set_on_connect(std::function<void()> on_connect) { on_connect_ = std::move(on_connect); }

  // "host:port/database", for messages.
  const std::string &where() const { return where_; }
  const PgSettings &settings() const { return settings_; }
  // A lock key for a name, private to this store's schema.
  std::int64_t lock_key(std::string_view name) const;
  // Whether any statement since the last call changed rows.
  bool take_wrote() {
    const bool wrote = wrote_;
    wrote_ = false;
    return wrote;
  }

  // For PgStatement.
  PGconn *handle();
  std::uint64_t generation() const { return generation_; }
  std::string next_statement_name() { return "oc_" + std::to_string(++statements_); }
  // Checks a result: throws the Failure (or Contended) it stands for, and
  // frees it then; else records how many rows it changed.
  void check(PGresult *result, std::string_view doing);

 protected:
  std::unique_ptr<sql::Statement> prepare_persistent(std::string_view sql) override;

 private:
  void connect();
  [[noreturn]] void fail_unreachable(const std::string &reason);

  PgSettings settings_;
  std::string where_;
  std::string password_;  // only to scrub it from messages
  PGconn *conn_ = nullptr;
  std::uint64_t generation_ = 0;
  std::uint64_t statements_ = 0;
  std::int64_t changes_ = 0;
  bool wrote_ = false;
  std::function<void()> on_connect_;
  std::chrono::steady_clock::time_point next_attempt_{};
  std::chrono::milliseconds backoff_{0};
  std::string last_error_;
};

// Validates a schema name (lowercase letters, digits, '_', at most 48
// characters) and returns it quoted as an identifier.
std::string quoted_schema(const std::string &schema);

}  // namespace ordercare::store::postgres
