#include "store/sqlite/sqlite_event_log.h"

namespace ordercare::store::sqlite {

namespace {

constexpr const char *kColumns =
    "seq, id, type, source, store_id, occurred_at, received_at, body";

StoredEvent read_event(Statement &row) {
  StoredEvent e;
  e.seq = row.column_int(0);
  e.id = row.column_text(1);
  e.type = row.column_text(2);
  e.source = row.column_text(3);
  e.store_id = row.column_optional_text(4);
  e.occurred_at = row.column_int(5);
  e.received_at = row.column_int(6);
  e.body = row.column_text(7);
  return e;
}

}  // namespace

bool SqliteEventLog::append(StoredEvent &event) {
  auto insert = db_.cached(
      "INSERT INTO events (id, type, source, store_id, occurred_at, received_at, body) "
      "VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING");
  insert->bind(1, event.id)
      .bind(2, event.type)
      .bind(3, event.source)
      .bind(4, event.store_id)
      .bind(5, event.occurred_at)
      .bind(6, event.received_at)
      .bind(7, event.body);
  insert->run();
  if (db_.changes() == 0) return false;
  event.seq = db_.last_insert_rowid();
  return true;
}

std::optional<StoredEvent> SqliteEventLog::find(std::string_view id) {
  static const std::string sql = std::string("SELECT ") + kColumns + " FROM events WHERE id = ?";
  auto select = db_.cached(sql.c_str());
  select->bind(1, id);
  if (!select->step()) return std::nullopt;
  return read_event(*select);
}

std::vector<StoredEvent> SqliteEventLog::list(const EventQuery &query) {
  static const std::string sql = std::string("SELECT ") + kColumns +
                                 " FROM events WHERE seq > ?1"
                                 " AND (?2 IS NULL OR received_at > ?2)"
                                 " AND (?3 IS NULL OR type = ?3)"
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

std::int64_t SqliteEventLog::count() {
  auto select = db_.cached("SELECT count(*) FROM events");
  select->step();
  return select->column_int(0);
}

}  // namespace ordercare::store::sqlite
