#include "store/sql/sql_event_log.h"

#include "store/personal_fields.h"

namespace ordercare::store::sql {

namespace {

constexpr const char *kColumns =
    "seq, id, type, source, store_id, occurred_at, received_at, body, pii";

}  // namespace

StoredEvent SqlEventLog::read_event(Statement &row) {
  StoredEvent e;
  e.seq = row.column_int(0);
  e.id = row.column_text(1);
  e.type = row.column_text(2);
  e.source = row.column_text(3);
  e.store_id = row.column_optional_text(4);
  e.occurred_at = row.column_int(5);
  e.received_at = row.column_int(6);
  e.body = row.column_text(7);
  if (auto sealed = row.column_optional_text(8)) {
    Json body = parse_json(e.body, "stored event");
    auto pii = vault_.open(parse_json(*sealed, "sealed event PII"));
    if (pii)
      restore_personal_fields(body, *pii);
    else
      body["pii_erased"] = true;
    e.body = dump_json(body);
  }
  return e;
}

bool SqlEventLog::append(StoredEvent &event) {
  EventForLog split;
  if (!event.for_log) {
    split = split_for_log(parse_json(event.body, "event"));
    if (split.personal.empty()) split.body = event.body;  // kept as it came
  }
  const EventForLog &parts = event.for_log ? *event.for_log : split;
  std::optional<std::string> sealed;
  if (!parts.personal.empty()) sealed = vault_.seal_dumped(event.pii_key, parts.personal);
  const std::string &stored_body = parts.body;
  // SQLite runs RETURNING through a temporary b-tree it opens (a pager and
  // its page cache) and frees for every row: a tenth of the event's insert.
  // The rowid it has just assigned is the same answer, without that.
  const bool sqlite = db_.dialect() == Dialect::sqlite;
  auto insert = db_.cached(sqlite ? "INSERT INTO events (id, type, source, store_id, occurred_at, received_at, body, "
                                    "pii) VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING"
                                  : "INSERT INTO events (id, type, source, store_id, occurred_at, received_at, body, "
                                    "pii) VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING RETURNING seq");
  insert->bind(1, event.id)
      .bind(2, event.type)
      .bind(3, event.source)
      .bind(4, event.store_id)
      .bind(5, event.occurred_at)
      .bind(6, event.received_at)
      .bind(7, stored_body)
      .bind(8, sealed);
  if (sqlite) {
    insert->run();
    if (db_.changes() == 0) return false;  // the id is logged already
    auto rowid = db_.cached("SELECT last_insert_rowid()");
    rowid->step();
    event.seq = rowid->column_int(0);
    return true;
  }
  if (!insert->step()) return false;
  event.seq = insert->column_int(0);
  return true;
}

std::optional<StoredEvent> SqlEventLog::find(std::string_view id) {
  static const std::string sql = std::string("SELECT ") + kColumns + " FROM events WHERE id = ?";
  auto select = db_.cached(sql.c_str());
  select->bind(1, id);
  if (!select->step()) return std::nullopt;
  return read_event(*select);
}

std::optional<StoredEvent> SqlEventLog::find_by_seq(std::int64_t seq) {
  static const std::string sql = std::string("SELECT ") + kColumns + " FROM events WHERE seq = ?";
  auto select = db_.cached(sql.c_str());
  select->bind(1, seq);
  if (!select->step()) return std::nullopt;
  return read_event(*select);
}

std::vector<StoredEvent> SqlEventLog::list(const EventQuery &query) {
  static const std::string sql = std::string("SELECT ") + kColumns +
                                 " FROM events WHERE seq > ?1"
                                 " AND (CAST(?2 AS BIGINT) IS NULL OR received_at > ?2)"
                                 " AND (CAST(?3 AS TEXT) IS NULL OR type = ?3)"
                                 " ORDER BY seq LIMIT ?4";
  auto select = db_.cached(sql.c_str());
  select->bind(1, query.after_seq)
      .bind(2, query.received_after)
      .bind(3, query.type)
      .bind(4, static_cast<std::int64_t>(query.limit + 1));
  std::vector<StoredEvent> out;
  while (select->step()) out.push_back(read_event(*select));
  return out;
}

std::int64_t SqlEventLog::count() {
  auto select = db_.cached("SELECT count(*) FROM events");
  select->step();
  return select->column_int(0);
}

}  // namespace ordercare::store::sql
