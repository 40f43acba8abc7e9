// The SQL of cases.list for one set of filters. Only the filters given are
// in it, so the planner can choose an index for them ("?1 IS NULL OR status
// = ?1" hides every index from it), and its order is the queue's
// (store/queue_key.h), the one of the cases_by_queue and cases_by_rank
// indexes: a listing walks one from the cursor's row and stops at the page
// instead of sorting every case. Columns: body, id, then the row's
// QueueKey (priority, queue_due, opened_at; id).
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
