// Listings that decrypt rows go on past one that cannot be read (a corrupt
// store) and say so: the result carries "skipped": [{"id", "reason"}] and
// the plugin logs a warning (abi/CALLS.md, "Unreadable rows").
#pragma once

#include <cstddef>
#include <vector>

#include "common/json.h"
#include "store/unreadable_row.h"

namespace ordercare::runtime {

// A page holds at most `limit` rows, read or skipped: drops the one row
// read past it (the store reads limit + 1) and says whether there was one.
template <class Row>
bool trim_page(std::vector<Row> &rows, std::vector<store::SkippedRow> &skipped, std::size_t limit) {
  const std::size_t total = rows.size() + skipped.size();
  if (total <= limit) return false;
  if (!skipped.empty() && skipped.back().position == total - 1)
    skipped.pop_back();
  else
    rows.pop_back();
  return true;
}

// Adds "skipped" to a listing's result when any row was left out.
inline void add_skipped(Json &result, const std::vector<store::SkippedRow> &skipped) {
  if (skipped.empty()) return;
  Json rows = Json::array();
  for (const auto &row : skipped) rows.push_back({{"id", row.id}, {"reason", row.reason}});
  result["skipped"] = std::move(rows);
}

}  // namespace ordercare::runtime
