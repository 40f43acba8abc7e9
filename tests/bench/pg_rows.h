// The raw PostgreSQL side of the nodes benchmark: the rows of a store's
// schema read back (store_rows.h), a fresh schema with the same tables and
// indexes, and a writer process that inserts its share of the rows with
// libpq alone, one multi-row INSERT per table per transaction.
#pragma once

#include <string>
#include <vector>

#include "bench/child_process.h"
#include "bench/store_rows.h"

namespace ordercare::bench {

StoreRows read_pg_rows(const std::string &url, const std::string &schema);

// A new schema with ordercare's tables and indexes (its migrations), emptied.
void create_empty_pg_schema(const std::string &url, const std::string &schema);

// The rows of a query as text (NULL as ""), for checks.
std::vector<std::vector<std::string>> pg_query(const std::string &url, const std::string &sql);

// A raw writer (a ChildProcess body): connects with synchronous_commit=on
// (as ordercare does), builds its statements, says "ready"; on "go" runs
// batches writer, writer + writers, ..., each a transaction of one multi-row
// INSERT per table (text parameters typed as the columns), says
// "inserted <rows> <seconds> <failures> <first failure>" and exits.
int run_pg_raw_writer(const std::string &url, const std::string &schema, const StoreRows &rows,
                      std::size_t batches, int writer, int writers, ParentLink &parent);

}  // namespace ordercare::bench
