#include "store/sql/case_list_query.h"

namespace ordercare::store::sql {

CaseListQuery case_list_query(const CaseQuery &q) {
  CaseListQuery out;
  out.sql = "SELECT body, id, priority, queue_due, opened_at FROM cases WHERE TRUE";
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
  if (q.unanswered) flag("answered", !*q.unanswered);
  flag("red_flagged", q.red_flagged);
  flag("vip", q.vip);
  text("store", q.store);
  flag("awaiting_warehouse", q.awaiting_warehouse);
  if (q.due_before) {
    out.sql += " AND queue_due < ?";
    out.values.emplace_back(*q.due_before);
  }
  // After the last row of the previous page: a row value, which both
  // engines answer by seeking in cases_by_queue / cases_by_rank, whose
  // columns are the ORDER BY's.
  if (q.after) {
    out.sql += " AND (priority, queue_due, opened_at, id) > (?, ?, ?, ?)";
    out.values.emplace_back(q.after->priority);
    out.values.emplace_back(q.after->due);
    out.values.emplace_back(q.after->opened_at);
    out.values.emplace_back(q.after->id);
  }
  out.sql += " ORDER BY priority, queue_due, opened_at, id LIMIT ?";
  out.values.emplace_back(static_cast<std::int64_t>(q.limit + 1));
  if (!q.after && q.offset > 0) {
    out.sql += " OFFSET ?";
    out.values.emplace_back(q.offset);
  }
  return out;
}

}  // namespace ordercare::store::sql
