// The raw SQLite side of the nodes benchmark: the rows of a store file read
// back (store_rows.h), a fresh file with the same schema, and a writer
// process that inserts its share of the rows with sqlite3 alone.
#pragma once

#include <string>
#include <vector>

#include "bench/child_process.h"
#include "bench/store_rows.h"

namespace ordercare::bench {

StoreRows read_sqlite_rows(const std::string &path);

// A new store file with ordercare's schema (its migrations, WAL), emptied.
void create_empty_sqlite_store(const std::string &path);

// The rows of a query as text, for checks.
std::vector<std::vector<std::string>> sqlite_query(const std::string &path, const std::string &sql);

// A raw writer (a ChildProcess body): opens the file as ordercare does (WAL,
// synchronous=FULL, foreign keys, the same busy timeout), prepares one
// INSERT per table, says "ready"; on "go" inserts the rows of batches
// writer, writer + writers, ..., one transaction (BEGIN IMMEDIATE) per
// batch, says "inserted <rows> <seconds> <failures> <first failure>" and
// exits.
int run_sqlite_raw_writer(const std::string &path, const StoreRows &rows, std::size_t batches, int writer,
                          int writers, ParentLink &parent);

}  // namespace ordercare::bench
