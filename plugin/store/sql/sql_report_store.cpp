#include "store/sql/sql_report_store.h"

#include <variant>

#include "common/failure.h"
#include "domain/case_state_machine.h"
#include "domain/entities_json.h"
#include "reports/metrics.h"
#include "store/sql/case_list_query.h"
#include "store/sql/partial_indexes.h"
#include "store/sql/sealed_document.h"

namespace ordercare::store::sql {

using namespace ordercare::domain;
using namespace ordercare::reports;

std::vector<CaseRecord> SqlReportStore::list_cases(const CaseQuery &q, std::vector<SkippedRow> *skipped,
                                                   std::vector<QueueKey> *keys) {
  const CaseListQuery query = case_list_query(q);
  auto select = db_.prepare(query.sql);
  for (std::size_t i = 0; i < query.values.size(); ++i)
    std::visit([&](const auto &v) { select->bind(static_cast<int>(i + 1), v); }, query.values[i]);
  return read_rows(*select, skipped, [&](const std::string &body) {
    // The key first: a row that cannot be read still has its place.
    if (keys) keys->push_back({select->column_text(2), select->column_int(3), select->column_int(4), select->column_text(1)});
    return case_from_json(open_document(vault_, body));
  });
}

std::vector<CaseRecord> SqlReportStore::cases_opened_between(std::optional<TimeMs> from,
                                                               std::optional<TimeMs> to) {
  // Only the bounds given are in the SQL, so the planner walks the
  // opened_at index from the first one.
  static const char *const kSql[4] = {
      "SELECT body FROM cases ORDER BY opened_at, id",
      "SELECT body FROM cases WHERE opened_at >= ?1 ORDER BY opened_at, id",
      "SELECT body FROM cases WHERE opened_at < ?2 ORDER BY opened_at, id",
      "SELECT body FROM cases WHERE opened_at >= ?1 AND opened_at < ?2 ORDER BY opened_at, id",
  };
  auto select = db_.cached(kSql[(from ? 1 : 0) | (to ? 2 : 0)]);
  if (from) select->bind(1, *from);
  if (to) select->bind(2, *to);
  return read_cases(vault_, *select);
}

std::vector<CaseLogEntry> SqlReportStore::case_log(const std::string &case_id) {
  auto select = db_.cached("SELECT body FROM case_log WHERE case_id = ? ORDER BY seq");
  select->bind(1, case_id);
  std::vector<CaseLogEntry> out;
  while (select->step()) out.push_back(log_entry_from_json(open_document(vault_, select->column_text(0))));
  return out;
}

std::vector<Escalation> SqlReportStore::escalations(const EscalationQuery &q, std::vector<SkippedRow> *skipped) {
  auto select = db_.cached(
      "SELECT body, case_id FROM escalations WHERE (CAST(?1 AS BIGINT) IS NULL OR at >= ?1) AND (CAST(?2 AS BIGINT) IS NULL OR at < ?2) "
      "AND (CAST(?3 AS BIGINT) IS NULL OR resolved = ?3) ORDER BY at, id");
  select->bind(1, q.from).bind(2, q.to).bind(
      3, q.resolved ? std::optional<std::int64_t>(*q.resolved ? 1 : 0) : std::nullopt);
  return read_rows(*select, skipped,
                   [&](const std::string &body) { return escalation_from_json(open_document(vault_, body)); });
}

std::vector<ReturnRecord> SqlReportStore::list_returns(const std::optional<std::string> &status,
                                                         const std::optional<std::string> &order_id,
                                                         std::size_t limit, std::int64_t offset,
                                                         std::vector<SkippedRow> *skipped) {
  auto select = db_.cached(
      "SELECT body, id FROM returns WHERE (CAST(?1 AS TEXT) IS NULL OR status = ?1) AND (CAST(?2 AS TEXT) IS NULL OR order_id = ?2) "
      "ORDER BY requested_at, id LIMIT ?3 OFFSET ?4");
  select->bind(1, status).bind(2, order_id).bind(3, static_cast<std::int64_t>(limit + 1)).bind(4, offset);
  return read_rows(*select, skipped,
                   [&](const std::string &body) { return return_from_json(open_document(vault_, body)); });
}

std::optional<std::string> SqlReportStore::customer_name(const std::string &customer_id) {
  auto select = db_.cached("SELECT body FROM customers WHERE id = ?");
  select->bind(1, customer_id);
  if (!select->step()) return std::nullopt;
  const Json doc = open_document(vault_, select->column_text(0));
  const Json &pii = doc.contains("pii") ? doc["pii"] : Json::object();
  auto it = pii.find("name");
  if (doc.value("pii_erased", false) || it == pii.end() || !it->is_string()) return std::nullopt;
  return it->get<std::string>();
}

std::vector<CaseRecord> SqlReportStore::cases_resolved_between(TimeMs from, TimeMs to) {
  auto select = db_.cached(
      "SELECT body FROM cases WHERE resolved_at >= ?1 AND resolved_at < ?2 ORDER BY resolved_at, id");
  select->bind(1, from).bind(2, to);
  return read_cases(vault_, *select);
}

std::vector<CaseRecord> SqlReportStore::cases_open_at(TimeMs at) {
  // Active cases have no resolution; the others were open at `at` if they
  // were resolved at or after it. Two index searches, never the history.
  auto select = db_.cached(
      "SELECT body FROM cases WHERE active = 1 AND opened_at < ?1 "
      "UNION ALL SELECT body FROM cases WHERE resolved_at >= ?1 AND opened_at < ?1");
  select->bind(1, at);
  return read_cases(vault_, *select);
}

std::vector<RefundFact> SqlReportStore::refunds_between(TimeMs from, TimeMs to) {
  auto select = db_.cached(
      "SELECT f.id, f.order_id, f.case_id, f.return_id, f.currency, f.amount, f.method, f.status, f.requested_at, "
      "f.completed_at, r.requested_at FROM (SELECT * FROM refunds WHERE requested_at >= ?1 AND requested_at < ?2 "
      "UNION SELECT * FROM refunds WHERE completed_at >= ?1 AND completed_at < ?2) f "
      "LEFT JOIN returns r ON r.id = f.return_id ORDER BY f.requested_at, f.id");
  select->bind(1, from).bind(2, to);
  std::vector<RefundFact> out;
  while (select->step()) {
    RefundFact f;
    f.refund.id = select->column_text(0);
    f.order_id = select->column_text(1);
    f.refund.case_id = select->column_optional_text(2);
    f.refund.return_id = select->column_optional_text(3);
    f.currency = select->column_text(4);
    f.refund.amount = select->column_int(5);
    f.refund.method = select->column_text(6);
    f.refund.status = select->column_text(7);
    f.refund.requested_at = select->column_int(8);
    f.refund.completed_at = select->column_optional_int(9);
    f.asked_at = select->column_optional_int(10);
    out.push_back(std::move(f));
  }
  return out;
}

std::vector<CaseLogEntry> SqlReportStore::log_entries_between(const std::string &kind, TimeMs from, TimeMs to) {
  if (kind != "qa" && kind != "red_flag" && kind != "sla_breach")
    fail(OC_ERR_INTERNAL, "store: log entries of kind '" + kind + "' are not indexed by time");
  // The partial index's condition, repeated so the planner may use it.
  auto select = db_.cached("SELECT body FROM case_log WHERE " OC_REPORTED_LOG_KIND("kind") " AND kind = ?1 "
                           "AND at >= ?2 AND at < ?3 ORDER BY at, seq");
  select->bind(1, kind).bind(2, from).bind(3, to);
  std::vector<CaseLogEntry> out;
  while (select->step()) out.push_back(log_entry_from_json(open_document(vault_, select->column_text(0))));
  return out;
}

std::optional<TimeMs> SqlReportStore::first_agent_action(const std::string &case_id) {
  // The actor is read from the entry's JSON, each engine in its own words.
  static const auto sql_for = [](const char *actor) {
    auto quoted = [](const auto &words) {
      std::string out;
      for (const auto &w : words) out += (out.empty() ? "'" : ", '") + std::string(w) + "'";
      return out;
    };
    return "SELECT min(at) FROM case_log WHERE case_id = ?1 AND kind IN (" + quoted(kAgentActionKinds) + ") AND " +
           actor + " NOT IN (" + quoted(kNonAgentActors) + ")";
  };
  static const std::string sqlite = sql_for("json_extract(body, '$.actor')");
  static const std::string postgres = sql_for("(body::jsonb ->> 'actor')");
  auto select = db_.cached(db_.dialect() == Dialect::postgres ? postgres.c_str() : sqlite.c_str());
  select->bind(1, case_id);
  select->step();
  return select->column_optional_int(0);
}

}  // namespace ordercare::store::sql
