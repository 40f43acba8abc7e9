// Every row of a store, read back table by table after ordercare wrote
// them, so a raw insert can write exactly the same rows into a fresh copy
// of the schema; and how that insert splits them into transactions.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace ordercare::bench {

// A value as the engine returned it: SQLite's storage classes, or
// PostgreSQL's text form of the column's type (or NULL).
struct Cell {
  enum class Kind { null, integer, real, text, blob };
  Kind kind = Kind::null;
  std::int64_t integer = 0;
  double real = 0;
  std::string bytes;  // text or blob
};

struct Table {
  std::string name;
  std::vector<std::string> columns;
  std::vector<unsigned> column_types;  // PostgreSQL type oids (empty for SQLite)
  std::vector<std::vector<Cell>> rows;
  std::vector<std::size_t> batch_of_row;  // plan_batches()
};

struct ForeignKey {
  std::string table, column, parent_table, parent_column;
};

struct StoreRows {
  std::vector<Table> tables;  // in the order the migrations created them
  std::vector<ForeignKey> foreign_keys;

  std::size_t row_count() const;
  // Bytes of data in all cells (8 for a number).
  std::size_t byte_count() const;
};

// Gives every row one of `batches` transactions: a row with a foreign key
// goes with its parent row (inserted first in the same transaction, as the
// constraint wants), every other row in proportion to its place in its
// table, so each transaction holds about the same share of each table.
void plan_batches(StoreRows &rows, std::size_t batches);

}  // namespace ordercare::bench
