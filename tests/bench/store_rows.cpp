#include "bench/store_rows.h"

#include <map>
#include <unordered_map>

namespace ordercare::bench {

namespace {

std::string key_of(const Cell &cell) {
  switch (cell.kind) {
    case Cell::Kind::integer: return std::to_string(cell.integer);
    case Cell::Kind::real: return std::to_string(cell.real);
    case Cell::Kind::text:
    case Cell::Kind::blob: return cell.bytes;
    case Cell::Kind::null: break;
  }
  return {};
}

std::size_t column_index(const Table &table, const std::string &column) {
  for (std::size_t i = 0; i < table.columns.size(); ++i)
    if (table.columns[i] == column) return i;
  return table.columns.size();
}

}  // namespace

std::size_t StoreRows::row_count() const {
  std::size_t n = 0;
  for (const auto &t : tables) n += t.rows.size();
  return n;
}

std::size_t StoreRows::byte_count() const {
  std::size_t n = 0;
  for (const auto &t : tables)
    for (const auto &row : t.rows)
      for (const auto &cell : row)
        n += cell.kind == Cell::Kind::integer || cell.kind == Cell::Kind::real ? 8 : cell.bytes.size();
  return n;
}

void plan_batches(StoreRows &rows, std::size_t batches) {
  if (batches == 0) batches = 1;
  // Per table and referenced column: the batch of each parent row by key.
  std::map<std::pair<std::string, std::string>, std::unordered_map<std::string, std::size_t>> parents;
  for (const auto &fk : rows.foreign_keys) parents[{fk.parent_table, fk.parent_column}];
  for (auto &table : rows.tables) {
    const ForeignKey *fk = nullptr;
    for (const auto &k : rows.foreign_keys)
      if (k.table == table.name) fk = &k;
    const std::size_t fk_column = fk ? column_index(table, fk->column) : table.columns.size();
    const auto *parent_batches = fk ? &parents[{fk->parent_table, fk->parent_column}] : nullptr;
    const std::size_t n = table.rows.size();
    table.batch_of_row.assign(n, 0);
    for (std::size_t i = 0; i < n; ++i) {
      std::size_t batch = i * batches / n;
      if (parent_batches && fk_column < table.columns.size()) {
        auto it = parent_batches->find(key_of(table.rows[i][fk_column]));
        if (it != parent_batches->end()) batch = it->second;
      }
      table.batch_of_row[i] = batch;
    }
    for (auto &[key, batch_of] : parents) {
      if (key.first != table.name) continue;
      const std::size_t column = column_index(table, key.second);
      if (column == table.columns.size()) continue;
      for (std::size_t i = 0; i < n; ++i) batch_of[key_of(table.rows[i][column])] = table.batch_of_row[i];
    }
  }
}

}  // namespace ordercare::bench
