#include "store/sqlite/sqlite_outbox.h"

#include "domain/entities_json.h"
#include "store/sqlite/sqlite_state_store.h"

namespace ordercare::store::sqlite {

namespace {

constexpr const char *kColumns =
    "seq, body, status, attempts, next_attempt_at, last_error, result, updated_at";

// Kinds travel as one parameter, ",notify,refund,", matched with instr().
std::string kind_list(const std::vector<std::string> &kinds) {
  std::string out = ",";
  for (const auto &k : kinds) out += k + ",";
  return out;
}

}  // namespace

bool SqliteOutbox::enqueue(const domain::Effect &effect) {
  Json doc = domain::to_json(effect);
  // A payload addressed to a customer is theirs: sealed with their key.
  if (effect.customer_id)
    doc["payload"] = vault_.seal(customer_key(*effect.customer_id), doc["payload"]);
  auto insert = db_.cached(
      "INSERT INTO effects (id, kind, status, ordering_key, case_id, order_id, next_attempt_at, "
      "created_at, updated_at, body) VALUES (?1, ?2, 'pending', ?3, ?4, ?5, ?6, ?6, ?6, ?7) "
      "ON CONFLICT (id) DO NOTHING");
  insert->bind(1, effect.id)
      .bind(2, effect.kind)
      .bind(3, effect.ordering_key)
      .bind(4, effect.case_id)
      .bind(5, effect.order_id)
      .bind(6, effect.created_at)
      .bind(7, dump_json(doc));
  insert->run();
  return db_.changes() > 0;
}

OutboxRow SqliteOutbox::read_row(Statement &row) {
  OutboxRow out;
  Json doc = parse_json(row.column_text(1), "effect");
  if (doc.contains("payload")) {
    auto payload = vault_.open(doc["payload"]);
    doc["payload"] = payload ? *payload : Json{{"pii_erased", true}};
  }
  out.effect = domain::effect_from_json(doc);
  out.status = row.column_text(2);
  out.attempts = row.column_int(3);
  out.next_attempt_at = row.column_optional_int(4);
  out.last_error = row.column_optional_text(5);
  if (auto result = row.column_optional_text(6)) out.result = parse_json(*result, "effect result");
  out.updated_at = row.column_int(7);
  return out;
}

std::optional<OutboxRow> SqliteOutbox::find(const std::string &id) {
  static const std::string sql = std::string("SELECT ") + kColumns + " FROM effects WHERE id = ?";
  auto select = db_.cached(sql.c_str());
  select->bind(1, id);
  if (!select->step()) return std::nullopt;
  return read_row(*select);
}

std::vector<std::pair<std::int64_t, OutboxRow>> SqliteOutbox::list(const OutboxQuery &q) {
  static const std::string sql = std::string("SELECT ") + kColumns +
                                 " FROM effects WHERE seq > ?1 AND (?2 IS NULL OR status = ?2) "
                                 "AND (?3 IS NULL OR kind = ?3) AND (?4 IS NULL OR order_id = ?4) "
                                 "AND (?5 IS NULL OR case_id = ?5) ORDER BY seq LIMIT ?6";
  auto select = db_.cached(sql.c_str());
  select->bind(1, q.after_seq)
      .bind(2, q.status)
      .bind(3, q.kind)
      .bind(4, q.order_id)
      .bind(5, q.case_id)
      .bind(6, static_cast<std::int64_t>(q.limit + 1));
  std::vector<std::pair<std::int64_t, OutboxRow>> out;
  while (select->step()) out.emplace_back(select->column_int(0), read_row(*select));
  return out;
}

std::vector<OutboxRow> SqliteOutbox::for_case(const std::string &case_id) {
  static const std::string sql =
      std::string("SELECT ") + kColumns + " FROM effects WHERE case_id = ? ORDER BY seq";
  auto select = db_.cached(sql.c_str());
  select->bind(1, case_id);
  std::vector<OutboxRow> out;
  while (select->step()) out.push_back(read_row(*select));
  return out;
}

std::vector<ClaimedEffect> SqliteOutbox::claim_due(TimeMs now, std::size_t limit,
                                                   const std::vector<std::string> &kinds, TimeMs lease_until) {
  auto select = db_.cached(
      "SELECT e.id, e.attempts, e.body FROM effects e WHERE e.status = 'pending' AND e.next_attempt_at <= ?1 "
      "AND instr(?2, ',' || e.kind || ',') > 0 "
      "AND NOT EXISTS (SELECT 1 FROM effects p WHERE p.ordering_key = e.ordering_key AND p.seq < e.seq "
      "AND p.status IN ('pending', 'in_flight') AND instr(?2, ',' || p.kind || ',') > 0) "
      "ORDER BY e.next_attempt_at, e.seq LIMIT ?3");
  select->bind(1, now).bind(2, kind_list(kinds)).bind(3, static_cast<std::int64_t>(limit));
  std::vector<ClaimedEffect> out;
  while (select->step()) {
    Json doc = parse_json(select->column_text(2), "effect");
    if (doc.contains("payload")) {
      auto payload = vault_.open(doc["payload"]);
      // An erased customer's message has nothing left to say: it goes out
      // empty and the host is told why.
      doc["payload"] = payload ? *payload : Json{{"pii_erased", true}};
    }
    out.push_back({domain::effect_from_json(doc), select->column_int(1) + 1});
  }
  for (const auto &claimed : out) {
    auto update = db_.cached(
        "UPDATE effects SET status = 'in_flight', attempts = attempts + 1, lease_until = ?, updated_at = ? "
        "WHERE id = ?");
    update->bind(1, lease_until).bind(2, now).bind(3, claimed.effect.id);
    update->run();
  }
  return out;
}

void SqliteOutbox::mark_done(const std::string &id, const Json &result, TimeMs now) {
  auto update = db_.cached(
      "UPDATE effects SET status = 'done', result = ?, lease_until = NULL, next_attempt_at = NULL, "
      "updated_at = ? WHERE id = ?");
  update->bind(1, dump_json(result)).bind(2, now).bind(3, id);
  update->run();
}

void SqliteOutbox::mark_failed(const std::string &id, const std::string &error, TimeMs now) {
  auto update = db_.cached(
      "UPDATE effects SET status = 'failed', last_error = ?, lease_until = NULL, next_attempt_at = NULL, "
      "updated_at = ? WHERE id = ?");
  update->bind(1, error).bind(2, now).bind(3, id);
  update->run();
}

void SqliteOutbox::mark_retry(const std::string &id, const std::string &error, TimeMs next_attempt_at,
                              TimeMs now) {
  auto update = db_.cached(
      "UPDATE effects SET status = 'pending', last_error = ?, lease_until = NULL, next_attempt_at = ?, "
      "updated_at = ? WHERE id = ?");
  update->bind(1, error).bind(2, next_attempt_at).bind(3, now).bind(4, id);
  update->run();
}

std::int64_t SqliteOutbox::release_in_flight() {
  db_.exec("UPDATE effects SET status = 'pending', lease_until = NULL WHERE status = 'in_flight'");
  return db_.changes();
}

std::optional<TimeMs> SqliteOutbox::next_due(const std::vector<std::string> &kinds) {
  auto select = db_.cached(
      "SELECT min(next_attempt_at) FROM effects WHERE status = 'pending' AND instr(?1, ',' || kind || ',') > 0");
  select->bind(1, kind_list(kinds));
  select->step();
  return select->column_optional_int(0);
}

std::map<std::string, std::int64_t> SqliteOutbox::count_by_status() {
  auto select = db_.cached("SELECT status, count(*) FROM effects GROUP BY status");
  std::map<std::string, std::int64_t> out;
  while (select->step()) out[select->column_text(0)] = select->column_int(1);
  return out;
}

}  // namespace ordercare::store::sqlite
