// The SQL of cases.list for one set of filters. Only the filters given are
// in it, so SQLite can choose an index for them ("?1 IS NULL OR status = ?1"
// hides every index from the planner), and its order is the one of the
// cases_by_queue and cases_by_rank indexes (migration 7): a queue listing
// walks one and stops at the page instead of sorting every case.
#pragma once

#include <cstdint>
#include <string>
#include <variant>
#include <vector>

#include "store/report_store.h"

namespace ordercare::store::sql {

struct CaseListQuery {
  std::string sql;
  std::vector<std::variant<std::string, std::int64_t>> values;  // ?1, ?2, ... in order
};

CaseListQuery case_list_query(const CaseQuery &q);

}  // namespace ordercare::store::sql
