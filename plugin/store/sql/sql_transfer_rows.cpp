// Stock transfers (domain/transfer_record.h) as rows of `transfers`
// (migration 16): the body is the whole transfer with its history, plain
// JSON, since a transfer names places and SKUs and no person; the columns
// beside it are what transfers.list filters and orders by.
#include "common/failure.h"
#include "domain/json_text.h"
#include "store/sql/sql_state_store.h"

namespace ordercare::store::sql {

using namespace ordercare::domain;

namespace {

Transfer decode_transfer(const std::string &body) {
  return transfer_from_json(parse_json(body, "stored transfer"));
}

}  // namespace

std::optional<Transfer> SqlStateStore::find_transfer(const std::string &id) {
  auto select = db_.cached("SELECT body FROM transfers WHERE id = ?");
  select->bind(1, id);
  if (!select->step()) return std::nullopt;
  return decode_transfer(select->column_text(0));
}

void SqlStateStore::put_transfer(const Transfer &t) {
  // Written straight to text, the same text to_json(t).dump() gives; text
  // that is not valid UTF-8 goes the old way, whose dump says what is wrong.
  text_.begin(nullptr);
  write_text(t, text_);
  const std::string body = text_.valid() ? text_.finish() : to_json(t).dump();
  auto upsert = db_.cached(
      "INSERT INTO transfers (id, from_location, to_location, status, order_id, case_id, requested_at, updated_at, "
      "body) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9) "
      "ON CONFLICT (id) DO UPDATE SET status = ?4, updated_at = ?8, body = ?9");
  upsert->bind(1, t.id)
      .bind(2, t.from)
      .bind(3, t.to)
      .bind(4, to_string(t.status))
      .bind(5, t.order_id)
      .bind(6, t.case_id)
      .bind(7, t.requested_at)
      .bind(8, t.updated_at)
      .bind(9, body);
  upsert->run();
}

std::vector<Transfer> SqlStateStore::list_transfers(const TransferQuery &q) {
  auto select = db_.cached(
      "SELECT body FROM transfers WHERE (CAST(?1 AS TEXT) IS NULL OR status = ?1) "
      "AND (CAST(?2 AS TEXT) IS NULL OR from_location = ?2) AND (CAST(?3 AS TEXT) IS NULL OR to_location = ?3) "
      "AND (CAST(?4 AS TEXT) IS NULL OR order_id = ?4) ORDER BY requested_at, id LIMIT ?5 OFFSET ?6");
  select->bind(1, q.status)
      .bind(2, q.from_location)
      .bind(3, q.to_location)
      .bind(4, q.order_id)
      .bind(5, static_cast<std::int64_t>(q.limit))
      .bind(6, q.offset);
  std::vector<Transfer> out;
  while (select->step()) out.push_back(decode_transfer(select->column_text(0)));
  return out;
}

}  // namespace ordercare::store::sql
