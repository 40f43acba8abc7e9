#include "store/sql/case_list_query.h"

namespace ordercare::store::sql {

CaseListQuery case_list_query(const CaseQuery &q) {
  CaseListQuery out;
  out.sql = "SELECT body, id FROM cases WHERE TRUE";
  auto text = [&](const char *column, const std::optional<std::string> &value) {
    if (!value) return;
    out.sql += std::string(" AND ") + column + " = ?";
    out.values.emplace_back(*value);
  };
  auto flag = [&](const char *column, const std::optional<bool> &value) {
    if (!value) return;
    out.sql += std::string(" AND ") + column + " = ?";
    out.values.emplace_back(std::int64_t{*value ? 1 : 0});
  };
  flag("active", q.active);
  text("status", q.status);
  text("priority", q.priority);
  text("type", q.type);
  text("team", q.team);
  text("assignee", q.assignee);
  text("order_id", q.order_id);
  text("customer_id", q.customer_id);
  flag("breached", q.breached);
  // P1 first, then the nearest deadline (none last); ties by age and id
  // keep paging stable.
  out.sql += " ORDER BY priority, next_due IS NULL, next_due, opened_at, id LIMIT ? OFFSET ?";
  out.values.emplace_back(static_cast<std::int64_t>(q.limit + 1));
  out.values.emplace_back(q.offset);
  return out;
}

}  // namespace ordercare::store::sql
