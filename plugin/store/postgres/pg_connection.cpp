#include "store/postgres/pg_connection.h"

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <cstring>

#include "common/failure.h"
#include "store/store.h"

namespace ordercare::store::postgres {

namespace {

constexpr std::chrono::milliseconds kFirstBackoff{100};
constexpr std::chrono::milliseconds kMaxBackoff{5000};
constexpr std::size_t kMaxSchemaLength = 48;

// "?3" becomes "$3"; a bare "?" takes the number after the largest so far,
// as SQLite numbers it. Quoted text is left alone.
std::string to_dollar_parameters(std::string_view sql, int &count) {
  std::string out;
  out.reserve(sql.size() + 8);
  int largest = 0;
  char quote = 0;
  for (std::size_t i = 0; i < sql.size(); ++i) {
    const char c = sql[i];
    if (quote) {
      out += c;
      if (c == quote) quote = 0;
      continue;
    }
    if (c == '\'' || c == '"') {
      quote = c;
      out += c;
      continue;
    }
    if (c != '?') {
      out += c;
      continue;
    }
    std::size_t end = i + 1;
    int number = 0;
    while (end < sql.size() && std::isdigit(static_cast<unsigned char>(sql[end])))
      number = number * 10 + (sql[end++] - '0');
    if (end == i + 1) number = largest + 1;
    largest = std::max(largest, number);
    out += '$' + std::to_string(number);
    i = end - 1;
  }
  count = largest;
  return out;
}

std::uint64_t fnv1a(std::string_view a, std::string_view b = {}) {
  std::uint64_t h = 1469598103934665603ull;
  auto mix = [&](std::string_view text) {
    for (unsigned char c : text) {
      h ^= c;
      h *= 1099511628211ull;
    }
  };
  mix(a);
  h ^= 0xff;  // keeps ("ab", "c") apart from ("a", "bc")
  h *= 1099511628211ull;
  mix(b);
  return h;
}

// What a URL names, for messages: host, port and database, never the
// password (kept apart to scrub it from libpq's own messages).
struct Target {
  std::string where;
  std::string password;
};

Target parse_target(const std::string &url) {
  char *error = nullptr;
  PQconninfoOption *options = PQconninfoParse(url.c_str(), &error);
  if (!options) {
    std::string reason = error ? error : "out of memory";
    PQfreemem(error);
    while (!reason.empty() && (reason.back() == '\n' || reason.back() == ' ')) reason.pop_back();
    fail(OC_ERR_CONFIG, "config: store.url: not a PostgreSQL connection URI (" + reason + ")");
  }
  std::string host, hostaddr, port, dbname, user, password;
  for (PQconninfoOption *o = options; o->keyword; ++o) {
    if (!o->val) continue;
    const std::string key = o->keyword;
    if (key == "host") host = o->val;
    if (key == "hostaddr") hostaddr = o->val;
    if (key == "port") port = o->val;
    if (key == "dbname") dbname = o->val;
    if (key == "user") user = o->val;
    if (key == "password") password = o->val;
  }
  PQconninfoFree(options);
  if (host.empty()) host = hostaddr;
  if (host.empty()) host = std::getenv("PGHOST") ? std::getenv("PGHOST") : "localhost";
  if (port.empty()) port = std::getenv("PGPORT") ? std::getenv("PGPORT") : "5432";
  if (dbname.empty()) dbname = user;
  return {host + ":" + port + (dbname.empty() ? "" : "/" + dbname), password};
}

std::string trimmed(std::string text) {
  while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.pop_back();
  return text;
}

void ignore_notice(void *, const char *) {}

}  // namespace

std::string quoted_schema(const std::string &schema) {
  const bool valid = !schema.empty() && schema.size() <= kMaxSchemaLength &&
                     !std::isdigit(static_cast<unsigned char>(schema[0])) &&
                     std::all_of(schema.begin(), schema.end(), [](char c) {
                       return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
                     });
  if (!valid)
    fail(OC_ERR_CONFIG, "config: store.schema: '" + schema +
                            "' is not a schema name (lowercase letters, digits and '_', at most 48, not starting "
                            "with a digit)");
  return "\"" + schema + "\"";
}

// --- PgStatement -----------------------------------------------------------

PgStatement::PgStatement(PgConnection &connection, std::string_view sql, std::string name)
    : connection_(connection), name_(std::move(name)) {
  int count = 0;
  sql_ = to_dollar_parameters(sql, count);
  params_.resize(static_cast<std::size_t>(count));
}

PgStatement::~PgStatement() { PQclear(result_); }

void PgStatement::set(int index, std::optional<std::string> value) {
  if (index < 1 || index > static_cast<int>(params_.size()))
    fail(OC_ERR_INTERNAL, "store: parameter " + std::to_string(index) + " out of range in " + sql_.substr(0, 60));
  params_[static_cast<std::size_t>(index - 1)] = std::move(value);
}

sql::Statement &PgStatement::bind(int index, std::int64_t value) {
  set(index, std::to_string(value));
  return *this;
}

sql::Statement &PgStatement::bind(int index, std::string_view value) {
  // Text reaches the server as it is: JSON documents are UTF-8 already,
  // and a NUL (which PostgreSQL text cannot hold) is refused by the
  // validators long before.
  set(index, std::string(value));
  return *this;
}

sql::Statement &PgStatement::bind_blob(int index, std::string_view bytes) {
  static const char kHex[] = "0123456789abcdef";
  std::string text = "\\x";
  text.reserve(2 + bytes.size() * 2);
  for (unsigned char c : bytes) {
    text += kHex[c >> 4];
    text += kHex[c & 15];
  }
  set(index, std::move(text));
  return *this;
}

sql::Statement &PgStatement::bind_null(int index) {
  set(index, std::nullopt);
  return *this;
}

void PgStatement::execute() {
  PGconn *conn = connection_.handle();
  std::vector<const char *> values(params_.size());
  for (std::size_t i = 0; i < params_.size(); ++i) values[i] = params_[i] ? params_[i]->c_str() : nullptr;
  const int count = static_cast<int>(values.size());
  PGresult *result = nullptr;
  if (name_.empty()) {
    result = PQexecParams(conn, sql_.c_str(), count, nullptr, values.data(), nullptr, nullptr, 0);
  } else {
    // Prepared once per connection: a reconnect starts a session that
    // knows none of them.
    if (prepared_for_ != connection_.generation()) {
      PGresult *prepared = PQprepare(conn, name_.c_str(), sql_.c_str(), 0, nullptr);
      connection_.check(prepared, "prepare " + sql_.substr(0, 60));
      PQclear(prepared);
      prepared_for_ = connection_.generation();
    }
    result = PQexecPrepared(conn, name_.c_str(), count, values.data(), nullptr, nullptr, 0);
  }
  connection_.check(result, sql_.substr(0, 60));
  result_ = result;
  row_ = -1;
}

bool PgStatement::step() {
  if (!result_) execute();
  ++row_;
  return row_ < PQntuples(result_);
}

void PgStatement::reset() {
  PQclear(result_);
  result_ = nullptr;
  row_ = -1;
  std::fill(params_.begin(), params_.end(), std::nullopt);
}

std::int64_t PgStatement::column_int(int index) const {
  return std::strtoll(PQgetvalue(result_, row_, index), nullptr, 10);
}

std::string PgStatement::column_text(int index) const {
  return std::string(PQgetvalue(result_, row_, index), static_cast<std::size_t>(PQgetlength(result_, row_, index)));
}

std::string PgStatement::column_blob(int index) const {
  std::size_t length = 0;
  unsigned char *bytes = PQunescapeBytea(reinterpret_cast<const unsigned char *>(PQgetvalue(result_, row_, index)),
                                         &length);
  if (!bytes) fail(OC_ERR_NOMEM, "store: out of memory reading a blob");
  std::string out(reinterpret_cast<const char *>(bytes), length);
  PQfreemem(bytes);
  return out;
}

bool PgStatement::column_is_null(int index) const { return PQgetisnull(result_, row_, index) != 0; }

// --- PgConnection ----------------------------------------------------------

PgConnection::PgConnection(PgSettings settings) : settings_(std::move(settings)) {
  quoted_schema(settings_.schema);
  Target target = parse_target(settings_.url);
  where_ = std::move(target.where);
  password_ = std::move(target.password);
  try {
    connect();
  } catch (const Failure &failure) {
    fail(OC_ERR_STORE, "store: cannot connect to PostgreSQL at " + where_ + ": " + last_error_);
  }
}

PgConnection::~PgConnection() {
  forget_statements();
  if (conn_) PQfinish(conn_);
}

void PgConnection::connect() {
  if (conn_) PQfinish(conn_);
  conn_ = nullptr;
  // Ours first, so what the URL says wins.
  const char *keywords[] = {"connect_timeout", "application_name", "client_encoding", "dbname", nullptr};
  const char *values[] = {"5", "ordercare", "UTF8", settings_.url.c_str(), nullptr};
  PGconn *conn = PQconnectdbParams(keywords, values, 1);
  if (!conn || PQstatus(conn) != CONNECTION_OK) {
    last_error_ = conn ? trimmed(PQerrorMessage(conn)) : "out of memory";
    if (!password_.empty())
      for (std::size_t at; (at = last_error_.find(password_)) != std::string::npos;)
        last_error_.replace(at, password_.size(), "***");
    if (conn) PQfinish(conn);
    fail(OC_ERR_BUSY, last_error_);
  }
  PQsetNoticeProcessor(conn, ignore_notice, nullptr);
  conn_ = conn;
  ++generation_;
  const std::string schema = quoted_schema(settings_.schema);
  try {
    // Several processes may create the schema at once: the loser's
    // duplicate error is harmless.
    try {
      exec("CREATE SCHEMA IF NOT EXISTS " + schema);
    } catch (const Failure &) {
      if (!conn_ || PQstatus(conn_) != CONNECTION_OK) throw;
    }
    // Read committed, so a statement after a claim sees what the previous
    // holder committed; every commit of an acknowledged event, a decided
    // refund or an outbox row waits for the server's WAL flush.
    exec("SET search_path TO " + schema + "; SET synchronous_commit TO on; "
         "SET default_transaction_isolation TO 'read committed'; SET lock_timeout TO " +
         std::to_string(settings_.lock_timeout_ms) + "; SET client_min_messages TO warning");
    if (on_connect_) on_connect_();
  } catch (const Failure &failure) {
    last_error_ = failure.what();
    if (conn_) PQfinish(conn_);
    conn_ = nullptr;
    throw;
  }
}

void PgConnection::ensure_connected() {
  if (conn_ && PQstatus(conn_) == CONNECTION_OK) return;
  const auto now = std::chrono::steady_clock::now();
  if (now < next_attempt_) {
    const auto wait = std::chrono::duration_cast<std::chrono::milliseconds>(next_attempt_ - now);
    fail(OC_ERR_BUSY, "store: PostgreSQL at " + where_ + " is unreachable (" + last_error_ + "); retrying in " +
                          std::to_string(wait.count()) + " ms; nothing was written");
  }
  try {
    connect();
    backoff_ = std::chrono::milliseconds(0);
  } catch (const Failure &) {
    backoff_ = std::clamp(backoff_ * 2, kFirstBackoff, kMaxBackoff);
    next_attempt_ = std::chrono::steady_clock::now() + backoff_;
    fail(OC_ERR_BUSY, "store: PostgreSQL at " + where_ + " is unreachable (" + last_error_ +
                          "); nothing was written");
  }
}

void PgConnection::fail_unreachable(const std::string &reason) {
  last_error_ = reason;
  if (conn_) PQfinish(conn_);
  conn_ = nullptr;
  next_attempt_ = std::chrono::steady_clock::now() + kFirstBackoff;
  backoff_ = kFirstBackoff;
  fail(OC_ERR_BUSY, "store: PostgreSQL at " + where_ + " is unreachable (" + reason + "); nothing was written");
}

PGconn *PgConnection::handle() {
  if (!conn_) fail_unreachable(last_error_.empty() ? "not connected" : last_error_);
  return conn_;
}

void PgConnection::check(PGresult *result, std::string_view doing) {
  const ExecStatusType status = result ? PQresultStatus(result) : PGRES_FATAL_ERROR;
  if (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK) {
    const char *tuples = PQcmdTuples(result);
    changes_ = tuples && *tuples ? std::strtoll(tuples, nullptr, 10) : 0;
    const char *command = PQcmdStatus(result);
    if (changes_ > 0 && command && std::strncmp(command, "SELECT", 6) != 0) wrote_ = true;
    return;
  }
  const char *state = result ? PQresultErrorField(result, PG_DIAG_SQLSTATE) : nullptr;
  const std::string sqlstate = state ? state : "";
  std::string message = trimmed(result ? PQresultErrorMessage(result) : PQerrorMessage(conn_));
  if (message.empty() && conn_) message = trimmed(PQerrorMessage(conn_));
  PQclear(result);
  if (!password_.empty())
    for (std::size_t at; (at = message.find(password_)) != std::string::npos;) message.replace(at, password_.size(), "***");
  const bool lost = !conn_ || PQstatus(conn_) != CONNECTION_OK || sqlstate.rfind("08", 0) == 0 ||
                    sqlstate == "57P01" || sqlstate == "57P02" || sqlstate == "57P03";
  if (lost) fail_unreachable(message);
  // A deadlock between two transactions, or a serialization failure: the
  // writer runs the job again in a new transaction.
  if (sqlstate == "40P01" || sqlstate == "40001") throw Contended{"(" + sqlstate + ")"};
  if (sqlstate == "55P03")
    fail(OC_ERR_BUSY, "store: waited longer than store.busy_timeout for another process or node working on the "
                      "same order; try again");
  if (sqlstate == "53300") fail(OC_ERR_BUSY, "store: PostgreSQL at " + where_ + " has no free connection: " + message);
  fail(OC_ERR_STORE, "store: " + std::string(doing) + ": " + message);
}

void PgConnection::exec(std::string_view sql) {
  const std::string text(sql);
  PGresult *result = PQexec(handle(), text.c_str());
  check(result, text.substr(0, 60));
  PQclear(result);
}

std::unique_ptr<sql::Statement> PgConnection::prepare(std::string_view sql) {
  return std::make_unique<PgStatement>(*this, sql, std::string());
}

std::unique_ptr<sql::Statement> PgConnection::prepare_persistent(std::string_view sql) {
  return std::make_unique<PgStatement>(*this, sql, next_statement_name());
}

std::int64_t PgConnection::schema_version() {
  auto exists = prepare("SELECT to_regclass('meta') IS NOT NULL");
  if (!exists->step() || exists->column_text(0) != "t") return 0;
  auto version = prepare("SELECT value FROM meta WHERE key = 'schema_version'");
  return version->step() ? std::strtoll(version->column_text(0).c_str(), nullptr, 10) : 0;
}

void PgConnection::set_schema_version(std::int64_t version) {
  prepare("INSERT INTO meta (key, value) VALUES ('schema_version', ?1) ON CONFLICT (key) DO UPDATE SET value = ?1")
      ->bind(1, std::to_string(version))
      .run();
}

void PgConnection::begin_exclusive() {
  // A session lock taken before the transaction begins: a transaction that
  // began before it waited would keep the catalog it saw then, and miss
  // the tables the migrator before it just made.
  prepare("SELECT pg_advisory_lock(?1)")->bind(1, lock_key("migrations")).run();
  try {
    exec("BEGIN");
  } catch (...) {
    prepare("SELECT pg_advisory_unlock(?1)")->bind(1, lock_key("migrations")).run();
    throw;
  }
}

void PgConnection::end_exclusive(bool commit) {
  try {
    exec(commit ? "COMMIT" : "ROLLBACK");
  } catch (...) {
    if (conn_) prepare("SELECT pg_advisory_unlock(?1)")->bind(1, lock_key("migrations")).run();
    throw;
  }
  prepare("SELECT pg_advisory_unlock(?1)")->bind(1, lock_key("migrations")).run();
}

std::int64_t PgConnection::lock_key(std::string_view name) const {
  return static_cast<std::int64_t>(fnv1a(settings_.schema, name));
}

}  // namespace ordercare::store::postgres
