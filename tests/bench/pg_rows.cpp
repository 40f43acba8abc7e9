#include "bench/pg_rows.h"

#include <libpq-fe.h>

#include <chrono>
#include <cstdio>
#include <stdexcept>

#include "store/postgres/pg_connection.h"
#include "store/postgres/pg_migrations.h"
#include "store/sql/migrations.h"

namespace ordercare::bench {

namespace {

// PostgreSQL takes at most 65535 parameters in one statement.
constexpr std::size_t kMaxParameters = 65535;

class Pg {
 public:
  explicit Pg(const std::string &url) : conn_(PQconnectdb(url.c_str())) {
    if (PQstatus(conn_) != CONNECTION_OK) throw std::runtime_error(std::string("libpq: ") + PQerrorMessage(conn_));
    PQsetNoticeProcessor(conn_, [](void *, const char *) {}, nullptr);
  }
  ~Pg() { PQfinish(conn_); }
  Pg(const Pg &) = delete;
  Pg &operator=(const Pg &) = delete;

  PGconn *handle() { return conn_; }

  // Runs sql (several statements when it has no parameters); throws
  // unless it succeeded. The caller owns the result.
  PGresult *run(const std::string &sql, int count = 0, const unsigned *types = nullptr,
                const char *const *values = nullptr) {
    PGresult *result = count == 0 ? PQexec(conn_, sql.c_str())
                                  : PQexecParams(conn_, sql.c_str(), count, types, values, nullptr, nullptr, 0);
    check(result, sql);
    return result;
  }
  void exec(const std::string &sql) { PQclear(run(sql)); }

  void check(PGresult *result, const std::string &sql) {
    const auto status = PQresultStatus(result);
    if (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK) return;
    const std::string message = PQresultErrorMessage(result);
    PQclear(result);
    throw std::runtime_error(sql.substr(0, 60) + ": " + message);
  }

 private:
  PGconn *conn_;
};

std::string quoted(const std::string &name) { return "\"" + name + "\""; }

// One multi-row INSERT, ready to send.
struct Insert {
  std::string sql;
  std::vector<unsigned> types;
  std::vector<const char *> values;
  std::size_t rows = 0;
};

void add_insert(std::vector<Insert> &out, const Table &table, const std::vector<std::size_t> &rows) {
  const std::size_t columns = table.columns.size();
  const std::size_t per_statement = std::max<std::size_t>(1, kMaxParameters / columns);
  std::string head = "INSERT INTO " + quoted(table.name) + " (";
  for (std::size_t c = 0; c < columns; ++c) head += (c ? ", " : "") + quoted(table.columns[c]);
  head += ") VALUES ";
  for (std::size_t from = 0; from < rows.size(); from += per_statement) {
    Insert insert;
    insert.sql = head;
    std::size_t parameter = 0;
    for (std::size_t i = from; i < std::min(rows.size(), from + per_statement); ++i) {
      insert.sql += i == from ? "(" : ", (";
      const auto &row = table.rows[rows[i]];
      for (std::size_t c = 0; c < columns; ++c) {
        insert.sql += (c ? ", $" : "$") + std::to_string(++parameter);
        insert.types.push_back(table.column_types[c]);
        insert.values.push_back(row[c].kind == Cell::Kind::null ? nullptr : row[c].bytes.c_str());
      }
      insert.sql += ")";
      ++insert.rows;
    }
    out.push_back(std::move(insert));
  }
}

}  // namespace

std::vector<std::vector<std::string>> pg_query(const std::string &url, const std::string &sql) {
  Pg pg(url);
  PGresult *result = pg.run(sql);
  std::vector<std::vector<std::string>> out;
  for (int r = 0; r < PQntuples(result); ++r) {
    std::vector<std::string> row;
    for (int c = 0; c < PQnfields(result); ++c) row.emplace_back(PQgetvalue(result, r, c));
    out.push_back(std::move(row));
  }
  PQclear(result);
  return out;
}

StoreRows read_pg_rows(const std::string &url, const std::string &schema) {
  StoreRows out;
  Pg pg(url);
  pg.exec("BEGIN ISOLATION LEVEL REPEATABLE READ");  // one snapshot of every table
  const char *params[] = {schema.c_str()};
  PGresult *fks = pg.run(
      "SELECT cl.relname, a.attname, pcl.relname, pa.attname FROM pg_constraint k "
      "JOIN pg_class cl ON cl.oid = k.conrelid JOIN pg_namespace n ON n.oid = cl.relnamespace "
      "JOIN pg_class pcl ON pcl.oid = k.confrelid "
      "JOIN pg_attribute a ON a.attrelid = k.conrelid AND a.attnum = k.conkey[1] "
      "JOIN pg_attribute pa ON pa.attrelid = k.confrelid AND pa.attnum = k.confkey[1] "
      "WHERE k.contype = 'f' AND n.nspname = $1 AND cardinality(k.conkey) = 1",
      1, nullptr, params);
  for (int r = 0; r < PQntuples(fks); ++r)
    out.foreign_keys.push_back({PQgetvalue(fks, r, 0), PQgetvalue(fks, r, 1), PQgetvalue(fks, r, 2),
                                PQgetvalue(fks, r, 3)});
  PQclear(fks);
  PGresult *tables = pg.run(
      "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
      "WHERE n.nspname = $1 AND c.relkind = 'r' ORDER BY c.oid",
      1, nullptr, params);
  for (int t = 0; t < PQntuples(tables); ++t) {
    Table table;
    table.name = PQgetvalue(tables, t, 0);
    PGresult *rows = pg.run("SELECT * FROM " + quoted(schema) + "." + quoted(table.name));
    const int columns = PQnfields(rows);
    for (int c = 0; c < columns; ++c) {
      table.columns.emplace_back(PQfname(rows, c));
      table.column_types.push_back(PQftype(rows, c));
    }
    for (int r = 0; r < PQntuples(rows); ++r) {
      std::vector<Cell> row(static_cast<std::size_t>(columns));
      for (int c = 0; c < columns; ++c) {
        if (PQgetisnull(rows, r, c)) continue;
        Cell &cell = row[static_cast<std::size_t>(c)];
        cell.kind = Cell::Kind::text;
        cell.bytes.assign(PQgetvalue(rows, r, c), static_cast<std::size_t>(PQgetlength(rows, r, c)));
      }
      table.rows.push_back(std::move(row));
    }
    PQclear(rows);
    out.tables.push_back(std::move(table));
  }
  PQclear(tables);
  pg.exec("COMMIT");
  return out;
}

void create_empty_pg_schema(const std::string &url, const std::string &schema) {
  {
    store::postgres::PgConnection connection(store::postgres::PgSettings{url, schema});
    store::sql::migrate(connection, store::postgres::postgres_migrations());
  }
  // The migrations leave their bookkeeping in meta; the copy brings
  // ordercare's own.
  Pg pg(url);
  for (const auto &row : pg_query(url, "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = "
                                       "c.relnamespace WHERE c.relkind = 'r' AND n.nspname = '" + schema + "'"))
    pg.exec("DELETE FROM " + quoted(schema) + "." + quoted(row[0]));
}

int run_pg_raw_writer(const std::string &url, const std::string &schema, const StoreRows &rows,
                      std::size_t batches, int writer, int writers, ParentLink &parent) {
  Pg pg(url);
  pg.exec("SET search_path TO " + quoted(schema) + "; SET synchronous_commit TO on");
  const auto step = static_cast<std::size_t>(writers);
  // mine[b][t]: the rows of table t in this writer's b-th batch.
  std::vector<std::vector<std::vector<std::size_t>>> mine;
  for (std::size_t b = static_cast<std::size_t>(writer); b < batches; b += step) mine.emplace_back(rows.tables.size());
  for (std::size_t t = 0; t < rows.tables.size(); ++t) {
    const Table &table = rows.tables[t];
    for (std::size_t r = 0; r < table.rows.size(); ++r) {
      const std::size_t b = table.batch_of_row[r];
      if (b % step == static_cast<std::size_t>(writer)) mine[b / step][t].push_back(r);
    }
  }
  std::vector<std::vector<Insert>> transactions;
  for (const auto &batch : mine) {
    std::vector<Insert> inserts;
    for (std::size_t t = 0; t < batch.size(); ++t)
      if (!batch[t].empty()) add_insert(inserts, rows.tables[t], batch[t]);
    transactions.push_back(std::move(inserts));
  }
  parent.write_line("ready");
  if (parent.read_line() != "go") return 1;
  long inserted = 0, failures = 0;
  std::string first = "-";
  const auto start = std::chrono::steady_clock::now();
  for (const auto &inserts : transactions) {
    try {
      pg.exec("BEGIN");
      long rows_in = 0;
      for (const auto &insert : inserts) {
        PQclear(pg.run(insert.sql, static_cast<int>(insert.values.size()), insert.types.data(),
                       insert.values.data()));
        rows_in += static_cast<long>(insert.rows);
      }
      pg.exec("COMMIT");
      inserted += rows_in;
    } catch (const std::exception &e) {
      PQclear(PQexec(pg.handle(), "ROLLBACK"));
      if (failures++ == 0) first = e.what();
    }
  }
  const double took = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  char line[128];
  std::snprintf(line, sizeof line, "inserted %ld %.6f %ld ", inserted, took, failures);
  parent.write_line(line + first);
  return 0;
}

}  // namespace ordercare::bench
