#include "bench/sqlite_rows.h"

#include <sqlite3.h>

#include <chrono>
#include <cstdio>
#include <memory>
#include <stdexcept>

#include "bench/sqlite_cell.h"
#include "store/sql/migrations.h"
#include "store/sqlite/sqlite_connection.h"
#include "store/sqlite/sqlite_migrations.h"

namespace ordercare::bench {

namespace {

struct Db {
  sqlite3 *handle = nullptr;
  Db(const std::string &path, int flags) {
    if (sqlite3_open_v2(path.c_str(), &handle, flags, nullptr) != SQLITE_OK)
      throw std::runtime_error("cannot open " + path + ": " + sqlite3_errmsg(handle));
  }
  ~Db() { sqlite3_close_v2(handle); }
  Db(const Db &) = delete;
  Db &operator=(const Db &) = delete;

  void exec(const std::string &sql) {
    if (sqlite3_exec(handle, sql.c_str(), nullptr, nullptr, nullptr) != SQLITE_OK)
      throw std::runtime_error(sql.substr(0, 60) + ": " + sqlite3_errmsg(handle));
  }
};

struct Stmt {
  sqlite3_stmt *handle = nullptr;
  Stmt(Db &db, const std::string &sql) {
    if (sqlite3_prepare_v3(db.handle, sql.c_str(), -1, SQLITE_PREPARE_PERSISTENT, &handle, nullptr) != SQLITE_OK)
      throw std::runtime_error(sql.substr(0, 60) + ": " + sqlite3_errmsg(db.handle));
  }
  ~Stmt() { sqlite3_finalize(handle); }
  Stmt(const Stmt &) = delete;
  Stmt &operator=(const Stmt &) = delete;
};

std::string quoted(const std::string &name) { return "\"" + name + "\""; }

std::string text_of(sqlite3_stmt *stmt, int column) {
  const auto *text = sqlite3_column_blob(stmt, column);
  return text ? std::string(static_cast<const char *>(text), static_cast<std::size_t>(sqlite3_column_bytes(stmt, column)))
              : std::string();
}


}  // namespace

std::vector<std::vector<std::string>> sqlite_query(const std::string &path, const std::string &sql) {
  Db db(path, SQLITE_OPEN_READONLY);
  sqlite3_busy_timeout(db.handle, 5000);
  Stmt stmt(db, sql);
  std::vector<std::vector<std::string>> out;
  while (sqlite3_step(stmt.handle) == SQLITE_ROW) {
    std::vector<std::string> row;
    for (int c = 0; c < sqlite3_column_count(stmt.handle); ++c) row.push_back(text_of(stmt.handle, c));
    out.push_back(std::move(row));
  }
  return out;
}

StoreRows read_sqlite_rows(const std::string &path) {
  StoreRows out;
  for (const auto &row : sqlite_query(path,
                                      "SELECT m.name, f.\"from\", f.\"table\", f.\"to\" FROM sqlite_schema m, "
                                      "pragma_foreign_key_list(m.name) f WHERE m.type = 'table'"))
    out.foreign_keys.push_back({row[0], row[1], row[2], row[3]});
  Db db(path, SQLITE_OPEN_READONLY);
  sqlite3_busy_timeout(db.handle, 5000);
  db.exec("BEGIN");  // one snapshot of every table
  std::vector<std::string> names;
  {
    Stmt list(db, "SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite%' ORDER BY rowid");
    while (sqlite3_step(list.handle) == SQLITE_ROW) names.push_back(text_of(list.handle, 0));
  }
  for (const auto &name : names) {
    Table table;
    table.name = name;
    Stmt select(db, "SELECT * FROM " + quoted(name));
    const int columns = sqlite3_column_count(select.handle);
    for (int c = 0; c < columns; ++c) table.columns.push_back(sqlite3_column_name(select.handle, c));
    while (sqlite3_step(select.handle) == SQLITE_ROW) {
      std::vector<Cell> row(static_cast<std::size_t>(columns));
      for (int c = 0; c < columns; ++c) {
        Cell &cell = row[static_cast<std::size_t>(c)];
        switch (sqlite3_column_type(select.handle, c)) {
          case SQLITE_INTEGER:
            cell.kind = Cell::Kind::integer;
            cell.integer = sqlite3_column_int64(select.handle, c);
            break;
          case SQLITE_FLOAT:
            cell.kind = Cell::Kind::real;
            cell.real = sqlite3_column_double(select.handle, c);
            break;
          case SQLITE_TEXT:
            cell.kind = Cell::Kind::text;
            cell.bytes = text_of(select.handle, c);
            break;
          case SQLITE_BLOB:
            cell.kind = Cell::Kind::blob;
            cell.bytes = text_of(select.handle, c);
            break;
          default: break;
        }
      }
      table.rows.push_back(std::move(row));
    }
    out.tables.push_back(std::move(table));
  }
  db.exec("COMMIT");
  return out;
}

void create_empty_sqlite_store(const std::string &path) {
  {
    store::sqlite::SqliteConnection schema(path);
    schema.exec("PRAGMA journal_mode = WAL");
    store::sql::migrate(schema, store::sqlite::sqlite_migrations());
  }
  // The migrations leave their bookkeeping in meta; the copy brings
  // ordercare's own.
  Db db(path, SQLITE_OPEN_READWRITE);
  for (const auto &row : sqlite_query(path, "SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE "
                                            "'sqlite%'"))
    if (!sqlite_query(path, "SELECT 1 FROM " + quoted(row[0]) + " LIMIT 1").empty())
      db.exec("DELETE FROM " + quoted(row[0]));
}

int run_sqlite_raw_writer(const std::string &path, const StoreRows &rows, std::size_t batches, int writer,
                          int writers, ParentLink &parent) {
  Db db(path, SQLITE_OPEN_READWRITE);
  db.exec("PRAGMA busy_timeout = 5000; PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; "
          "PRAGMA foreign_keys = ON");
  std::vector<std::unique_ptr<Stmt>> inserts;
  // mine[b][t]: the rows of table t in this writer's b-th batch.
  std::vector<std::vector<std::vector<std::size_t>>> mine;
  const auto step = static_cast<std::size_t>(writers);
  for (std::size_t b = static_cast<std::size_t>(writer); b < batches; b += step)
    mine.emplace_back(rows.tables.size());
  for (std::size_t t = 0; t < rows.tables.size(); ++t) {
    const Table &table = rows.tables[t];
    std::string sql = "INSERT INTO " + quoted(table.name) + " (";
    std::string values;
    for (std::size_t c = 0; c < table.columns.size(); ++c) {
      sql += (c ? ", " : "") + quoted(table.columns[c]);
      values += (c ? ", ?" : "?") + std::to_string(c + 1);
    }
    inserts.push_back(std::make_unique<Stmt>(db, sql + ") VALUES (" + values + ")"));
    for (std::size_t r = 0; r < table.rows.size(); ++r) {
      const std::size_t b = table.batch_of_row[r];
      if (b % step == static_cast<std::size_t>(writer)) mine[b / step][t].push_back(r);
    }
  }
  parent.write_line("ready");
  if (parent.read_line() != "go") return 1;
  long inserted = 0, failures = 0;
  std::string first = "-";
  const auto start = std::chrono::steady_clock::now();
  for (const auto &batch : mine) {
    try {
      db.exec("BEGIN IMMEDIATE");
      for (std::size_t t = 0; t < batch.size(); ++t) {
        sqlite3_stmt *insert = inserts[t]->handle;
        for (std::size_t r : batch[t]) {
          const auto &row = rows.tables[t].rows[r];
          for (std::size_t c = 0; c < row.size(); ++c) bind_cell(insert, static_cast<int>(c + 1), row[c]);
          const int rc = sqlite3_step(insert);
          sqlite3_reset(insert);
          if (rc != SQLITE_DONE)
            throw std::runtime_error("insert into " + rows.tables[t].name + ": " + sqlite3_errmsg(db.handle));
        }
      }
      db.exec("COMMIT");
      for (const auto &table_rows : batch) inserted += static_cast<long>(table_rows.size());
    } catch (const std::exception &e) {
      if (!sqlite3_get_autocommit(db.handle)) sqlite3_exec(db.handle, "ROLLBACK", nullptr, nullptr, nullptr);
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
