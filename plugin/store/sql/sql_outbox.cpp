#include "store/sql/sql_outbox.h"

#include <algorithm>
#include <set>

#include "common/failure.h"
#include "domain/entities_json.h"
#include "store/sql/sealed_document.h"
#include "store/subjects.h"

namespace ordercare::store::sql {

namespace {

constexpr const char *kColumns =
    "seq, body, status, attempts, next_attempt_at, last_error, result, updated_at";

// Effect kinds travel as a fixed list of parameters, unused ones empty:
// one statement for any host, in SQL both engines read alike.
constexpr int kKindSlots = 8;
#define OC_KIND_SLOTS "(?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)"

// Due: a pending effect whose next attempt came, or an in_flight one whose
// lease ran out (a claim keeps the lease's end in next_attempt_at). Only
// the earliest unfinished effect of an ordering key, among the kinds this
// host handles, may go.
#define OC_DUE_EFFECTS                                                                                  \
  "SELECT e.seq FROM effects e WHERE e.status IN ('pending', 'in_flight') AND e.next_attempt_at <= ?1 " \
  "AND e.kind IN " OC_KIND_SLOTS " "                                                                    \
  "AND NOT EXISTS (SELECT 1 FROM effects p WHERE p.ordering_key = e.ordering_key AND p.seq < e.seq "    \
  "AND p.status IN ('pending', 'in_flight') AND p.kind IN " OC_KIND_SLOTS ") "                          \
  "ORDER BY e.next_attempt_at, e.seq LIMIT ?10"

// SQLite: the batch holds the write lock, so select, then update.
constexpr const char *kClaimSqlite =
    "UPDATE effects SET status = 'in_flight', attempts = attempts + 1, next_attempt_at = ?11, "
    "lease_until = ?11, claimed_by = ?12, updated_at = ?1 WHERE seq IN (" OC_DUE_EFFECTS ") "
    "RETURNING seq, id, attempts, body";
// PostgreSQL: rows another node is claiming right now are skipped, not
// waited for; the earlier effects of their keys are still unfinished, so
// nothing behind them is taken either.
constexpr const char *kClaimPostgres =
    "WITH due AS (" OC_DUE_EFFECTS " FOR UPDATE SKIP LOCKED) "
    "UPDATE effects SET status = 'in_flight', attempts = attempts + 1, next_attempt_at = ?11, "
    "lease_until = ?11, claimed_by = ?12, updated_at = ?1 FROM due WHERE effects.seq = due.seq "
    "RETURNING effects.seq, effects.id, effects.attempts, effects.body";

}  // namespace

void SqlOutbox::bind_kinds(Statement &stmt, int first, const std::vector<std::string> &kinds) {
  if (kinds.size() > static_cast<std::size_t>(kKindSlots))
    fail(OC_ERR_INTERNAL, "outbox: more effect kinds than the claim query has slots for");
  for (int i = 0; i < kKindSlots; ++i)
    stmt.bind(first + i, i < static_cast<int>(kinds.size()) ? kinds[static_cast<std::size_t>(i)] : std::string());
}

namespace {

// Whose key seals an effect's personal parts, and which those are: all of a
// notice (to the customer, or to a team about their case, quoting what was
// said and done), the free text of anything else (personal_fields.h).
std::string key_of(const domain::Effect &effect) { return pii_key_for(effect.customer_id, effect.order_id); }
Document kind_of(const domain::Effect &effect) { return effect.kind == "notify" ? Document::notice : Document::effect; }

}  // namespace

bool SqlOutbox::enqueue(const domain::Effect &effect) {
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
      .bind(7, seal_entity(vault_, text_, kind_of(effect), effect, key_of(effect)));
  insert->run();
  if (db_.changes() > 0) return true;
  // The key is taken: by this very effect decided again (a replay), or by
  // another, which would never be carried out under a key the host has
  // already seen. That is a bug, never a silent no-op.
  auto existing = find(effect.id);
  if (existing && (existing->effect.kind != effect.kind ||
                   (!existing->effect.payload.contains("pii_erased") && existing->effect.payload != effect.payload)))
    fail(OC_ERR_INTERNAL, "outbox: the idempotency key '" + effect.id + "' already names a different " +
                              existing->effect.kind + " effect; nothing was queued");
  return false;
}

domain::Effect SqlOutbox::read_effect(const std::string &body) {
  Json doc = open_document(vault_, body);
  // Effects written before the personal fields were taken out kept a
  // notice's payload sealed in place.
  if (auto payload = doc.find("payload"); payload != doc.end() && payload->contains("$sealed")) {
    auto opened = vault_.open(*payload);
    *payload = opened ? *opened : Json::object();
    if (!opened) doc["pii_erased"] = true;
  }
  // A notice about an erased customer has nothing left to say: it goes out
  // empty and the host is told why.
  if (doc.value("pii_erased", false) && doc.value("kind", "") == "notify") doc["payload"] = Json{{"pii_erased", true}};
  return domain::effect_from_json(doc);
}

OutboxRow SqlOutbox::read_row(Statement &row) {
  OutboxRow out;
  out.effect = read_effect(row.column_text(1));
  out.status = row.column_text(2);
  out.attempts = row.column_int(3);
  out.next_attempt_at = row.column_optional_int(4);
  if (auto error = row.column_optional_text(5)) {
    auto opened = open_value(vault_, *error);
    out.last_error = opened && opened->is_string() ? opened->get<std::string>() : "(erased with the customer's data)";
  }
  if (auto result = row.column_optional_text(6)) {
    // A result stored before results were sealed is JSON as it is.
    if (is_sealed_value(*result)) {
      auto opened = open_value(vault_, *result);
      out.result = opened ? *opened : Json{{"pii_erased", true}};
    } else {
      out.result = parse_json(*result, "effect result");
    }
  }
  out.updated_at = row.column_int(7);
  return out;
}

std::optional<OutboxRow> SqlOutbox::find(const std::string &id) {
  static const std::string sql = std::string("SELECT ") + kColumns + " FROM effects WHERE id = ?";
  auto select = db_.cached(sql.c_str());
  select->bind(1, id);
  if (!select->step()) return std::nullopt;
  return read_row(*select);
}

std::vector<std::pair<std::int64_t, OutboxRow>> SqlOutbox::list(const OutboxQuery &q) {
  static const std::string sql = std::string("SELECT ") + kColumns +
                                 " FROM effects WHERE seq > ?1 AND (CAST(?2 AS TEXT) IS NULL OR status = ?2) "
                                 "AND (CAST(?3 AS TEXT) IS NULL OR kind = ?3) AND (CAST(?4 AS TEXT) IS NULL OR order_id = ?4) "
                                 "AND (CAST(?5 AS TEXT) IS NULL OR case_id = ?5) ORDER BY seq LIMIT ?6";
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

std::vector<OutboxRow> SqlOutbox::for_case(const std::string &case_id) {
  static const std::string sql =
      std::string("SELECT ") + kColumns + " FROM effects WHERE case_id = ? ORDER BY seq";
  auto select = db_.cached(sql.c_str());
  select->bind(1, case_id);
  std::vector<OutboxRow> out;
  while (select->step()) out.push_back(read_row(*select));
  return out;
}

std::vector<ClaimedEffect> SqlOutbox::claim_due(TimeMs now, std::size_t limit,
                                                const std::vector<std::string> &kinds, TimeMs lease_until) {
  if (kinds.empty() || limit == 0) return {};
  auto claim = db_.cached(db_.dialect() == Dialect::postgres ? kClaimPostgres : kClaimSqlite);
  claim->bind(1, now);
  bind_kinds(*claim, 2, kinds);
  claim->bind(10, static_cast<std::int64_t>(limit)).bind(11, lease_until).bind(12, claimant_.id);
  std::vector<std::pair<std::int64_t, ClaimedEffect>> rows;
  while (claim->step())
    rows.push_back({claim->column_int(0), {read_effect(claim->column_text(3)), claim->column_int(2)}});
  // RETURNING promises no order: deliver in the order decided.
  std::sort(rows.begin(), rows.end(), [](const auto &a, const auto &b) { return a.first < b.first; });
  std::vector<ClaimedEffect> out;
  out.reserve(rows.size());
  for (auto &row : rows) out.push_back(std::move(row.second));
  return out;
}

// Each outcome is written only while the claim is still this store's: the
// effect in_flight, claimed by us, at this attempt.
bool SqlOutbox::mark_done(const ClaimedEffect &claim, const Json &result, TimeMs now) {
  auto update = db_.cached(
      "UPDATE effects SET status = 'done', result = ?1, lease_until = NULL, next_attempt_at = NULL, "
      "updated_at = ?2 WHERE id = ?3 AND status = 'in_flight' AND claimed_by = ?4 AND attempts = ?5");
  update->bind(1, seal_value(vault_, result, key_of(claim.effect)))
      .bind(2, now)
      .bind(3, claim.effect.id)
      .bind(4, claimant_.id)
      .bind(5, claim.attempt);
  update->run();
  return db_.changes() > 0;
}

std::string SqlOutbox::stored_error(const ClaimedEffect &claim, const std::string &error,
                                    const std::string &without_host_words) {
  if (without_host_words.empty()) return error;
  return seal_value(vault_, error, key_of(claim.effect), without_host_words);
}

bool SqlOutbox::mark_failed(const ClaimedEffect &claim, const std::string &error,
                            const std::string &without_host_words, TimeMs now) {
  auto update = db_.cached(
      "UPDATE effects SET status = 'failed', last_error = ?1, lease_until = NULL, next_attempt_at = NULL, "
      "updated_at = ?2 WHERE id = ?3 AND status = 'in_flight' AND claimed_by = ?4 AND attempts = ?5");
  update->bind(1, stored_error(claim, error, without_host_words))
      .bind(2, now)
      .bind(3, claim.effect.id)
      .bind(4, claimant_.id)
      .bind(5, claim.attempt);
  update->run();
  return db_.changes() > 0;
}

bool SqlOutbox::mark_retry(const ClaimedEffect &claim, const std::string &error,
                           const std::string &without_host_words, TimeMs next_attempt_at, TimeMs now) {
  auto update = db_.cached(
      "UPDATE effects SET status = 'pending', last_error = ?1, lease_until = NULL, next_attempt_at = ?2, "
      "updated_at = ?3 WHERE id = ?4 AND status = 'in_flight' AND claimed_by = ?5 AND attempts = ?6");
  update->bind(1, stored_error(claim, error, without_host_words))
      .bind(2, next_attempt_at)
      .bind(3, now)
      .bind(4, claim.effect.id)
      .bind(5, claimant_.id)
      .bind(6, claim.attempt);
  update->run();
  return db_.changes() > 0;
}

std::int64_t SqlOutbox::release_dead_claims(TimeMs now) {
  std::set<std::string> claimants;
  bool unclaimed = false;  // in_flight from before claims were recorded
  {
    auto select = db_.cached("SELECT DISTINCT claimed_by FROM effects WHERE status = 'in_flight'");
    while (select->step()) {
      if (select->column_is_null(0))
        unclaimed = true;
      else
        claimants.insert(select->column_text(0));
    }
  }
  std::int64_t released = 0;
  auto release = [&](const std::optional<std::string> &claimant) {
    auto update = db_.cached(
        "UPDATE effects SET status = 'pending', lease_until = NULL, next_attempt_at = ?1, claimed_by = NULL "
        "WHERE status = 'in_flight' AND (claimed_by = ?2 OR (CAST(?2 AS TEXT) IS NULL AND claimed_by IS NULL))");
    update->bind(1, now).bind(2, claimant);
    update->run();
    released += db_.changes();
  };
  if (unclaimed) release(std::nullopt);
  for (const auto &claimant : claimants)
    if (claimant != claimant_.id && !claimant_.is_alive(claimant)) release(claimant);
  return released;
}

std::int64_t SqlOutbox::release_claims(const std::vector<ClaimedEffect> &claims, TimeMs now) {
  std::int64_t released = 0;
  for (const auto &claim : claims) {
    auto update = db_.cached(
        "UPDATE effects SET status = 'pending', lease_until = NULL, next_attempt_at = ?1, claimed_by = NULL "
        "WHERE id = ?2 AND status = 'in_flight' AND claimed_by = ?3 AND attempts = ?4");
    update->bind(1, now).bind(2, claim.effect.id).bind(3, claimant_.id).bind(4, claim.attempt);
    update->run();
    released += db_.changes();
  }
  return released;
}

std::optional<TimeMs> SqlOutbox::next_due(const std::vector<std::string> &kinds) {
  if (kinds.empty()) return std::nullopt;
  auto select = db_.cached(
      "SELECT min(next_attempt_at) FROM effects WHERE status IN ('pending', 'in_flight') AND kind IN "
      "(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)");
  bind_kinds(*select, 1, kinds);
  select->step();
  return select->column_optional_int(0);
}

std::map<std::string, std::int64_t> SqlOutbox::count_by_status() {
  auto select = db_.cached("SELECT status, count(*) FROM effects GROUP BY status");
  std::map<std::string, std::int64_t> out;
  while (select->step()) out[select->column_text(0)] = select->column_int(1);
  return out;
}

}  // namespace ordercare::store::sql
