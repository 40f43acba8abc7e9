#include "store/sql/sql_state_store.h"

#include <algorithm>
#include <unordered_set>

#include "common/failure.h"
#include "domain/case_state_machine.h"
#include "domain/entities_json.h"
#include "domain/return_record.h"
#include "store/sql/sealed_document.h"
#include "store/queue_key.h"
#include "store/sql/sku_queries.h"
#include "store/subjects.h"

namespace ordercare::store::sql {

using namespace ordercare::domain;

namespace {

// The entity a stored document opens to: remembered, or opened, decoded and
// remembered now.
template <class Entity, class Decode>
Entity open_remembered(DocumentMemo<Entity> &memo, PiiVault &vault, const std::string &id, std::string sealed,
                       Decode decode) {
  if (const Entity *known = memo.opened(id, sealed)) return *known;
  Entity entity = decode(open_document(vault, sealed));
  memo.keep(id, std::move(sealed), entity);
  return entity;
}

Customer customer_from_document(const Json &doc) {
  Customer c = customer_from_json(doc);
  if (doc.value("pii_erased", false)) c.erased = true;
  return c;
}

Order decode_order(const Json &doc) { return order_from_json(doc); }
CaseRecord decode_case(const Json &doc) { return case_from_json(doc); }
ReturnRecord decode_return(const Json &doc) { return return_from_json(doc); }

}  // namespace

void SqlStateStore::forget_documents() {
  orders_.forget_all();
  customers_.forget_all();
  cases_.forget_all();
  returns_.forget_all();
  listed_cases_.clear();
  listed_returns_.clear();
}

template <class Entity>
std::optional<std::vector<Entity>> SqlStateStore::known_list(const Listed &listed, const DocumentMemo<Entity> &memo,
                                                             const std::string &key) const {
  if (!sole_writer_batch()) return std::nullopt;
  auto it = listed.find(key);
  if (it == listed.end()) return std::nullopt;
  std::vector<Entity> out;
  out.reserve(it->second.size());
  for (const auto &id : it->second) {
    // Dropped from memory since (a small memo): the list is read again.
    const Entity *known = memo.current(id);
    if (!known) return std::nullopt;
    out.push_back(*known);
  }
  return out;
}

// A store that remembers no documents (remembered_documents 0) remembers
// no lists either, empty ones included: it reads everything.
template <class Entity>
void SqlStateStore::keep_list(Listed &listed, const DocumentMemo<Entity> &memo, const std::string &key,
                              const std::vector<Entity> &entities) {
  if (!sole_writer_batch() || memo.capacity() == 0) return;
  std::vector<std::string> ids;
  ids.reserve(entities.size());
  for (const auto &e : entities) ids.push_back(e.id);
  listed[key] = std::move(ids);
}

// A document not read or written in this generation is in no list kept:
// listing it made it current (and one dropped from memory since makes its
// list read again, known_list).
void SqlStateStore::forget_lists(Listed &listed, const std::string &key, const std::optional<std::string> &was) {
  listed.erase(key);
  if (was) listed.erase(*was);
}

std::optional<Order> SqlStateStore::find_order(const std::string &id) {
  if (const Order *known = known_in_batch(orders_, id)) return *known;
  auto select = db_.cached("SELECT body FROM orders WHERE id = ?");
  select->bind(1, id);
  if (!select->step()) return std::nullopt;
  return open_remembered(orders_, vault_, id, select->column_text(0), decode_order);
}

void SqlStateStore::put_order(const Order &order) {
  // What the row holds: the event path read it in this batch, or (a new
  // order, or one written without being read) it is read now.
  std::optional<Order> stored;
  const Order *before = orders_.current(order.id);
  if (!before && (stored = find_order(order.id))) before = &*stored;
  if (before && *before == order) return;
  const std::string key =
      (order.customer_id.empty() ? Subject::order(order.id) : Subject::customer(order.customer_id)).str();
  bool whole = true;
  SealedPart part;
  std::string sealed =
      seal_entity(vault_, text_, Document::order, order, key, &whole, orders_.current_part(order.id), &part);
  auto upsert = db_.cached(
      "INSERT INTO orders (id, customer_id, status, body) VALUES (?, ?, ?, ?) "
      "ON CONFLICT (id) DO UPDATE SET customer_id = excluded.customer_id, status = excluded.status, "
      "body = excluded.body");
  upsert->bind(1, order.id)
      .bind(2, order.customer_id)
      .bind(3, to_string(order.status))
      .bind(4, sealed);
  upsert->run();
  put_order_skus(before, order);
  put_refunds(before, order);
  orders_.keep(order.id, std::move(sealed), order, whole, std::move(part));
}

namespace {

// The first column's values in the statement's order, each once, up to
// `limit`: the cases or recipients a due-time walk reaches first.
std::vector<std::string> first_distinct(Statement &select, std::size_t limit) {
  std::vector<std::string> out;
  std::unordered_set<std::string> seen;
  while (out.size() < limit && select.step()) {
    std::string value = select.column_text(0);
    if (seen.insert(value).second) out.push_back(std::move(value));
  }
  return out;
}

std::vector<std::string> skus_of(const Order &order) {
  std::vector<std::string> out;
  for (const auto &line : order.items) out.push_back(line.sku);
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

}  // namespace

// order_skus holds (sku, order, status) for each SKU of the order: rows of
// SKUs no longer on it go, new ones come, and the rest change only when the
// order's status did.
void SqlStateStore::put_order_skus(const Order *before, const Order &order) {
  const auto now = skus_of(order);
  const auto then = before ? skus_of(*before) : std::vector<std::string>{};
  const bool status_changed = before && before->status != order.status;
  for (const auto &sku : then) {
    if (std::binary_search(now.begin(), now.end(), sku)) continue;
    auto remove = db_.cached("DELETE FROM order_skus WHERE sku = ? AND order_id = ?");
    remove->bind(1, sku).bind(2, order.id);
    remove->run();
  }
  for (const auto &sku : now) {
    if (std::binary_search(then.begin(), then.end(), sku) && !status_changed) continue;
    auto upsert = db_.cached(
        "INSERT INTO order_skus (order_id, sku, status) VALUES (?1, ?2, ?3) "
        "ON CONFLICT (sku, order_id) DO UPDATE SET status = ?3");
    upsert->bind(1, order.id).bind(2, sku).bind(3, to_string(order.status));
    upsert->run();
  }
}

// Refunds are never taken off a ledger, only answered: an upsert each that
// is new or changed.
void SqlStateStore::put_refunds(const Order *before, const Order &order) {
  for (const auto &r : order.refunds) {
    if (before) {
      const auto same = std::find(before->refunds.begin(), before->refunds.end(), r);
      if (same != before->refunds.end() && before->currency == order.currency) continue;
    }
    auto upsert_refund = db_.cached(
        "INSERT INTO refunds (id, order_id, case_id, return_id, currency, amount, method, status, requested_at, "
        "completed_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10) ON CONFLICT (id) DO UPDATE SET "
        "case_id = ?3, return_id = ?4, amount = ?6, method = ?7, status = ?8, completed_at = ?10");
    upsert_refund->bind(1, r.id)
        .bind(2, order.id)
        .bind(3, r.case_id)
        .bind(4, r.return_id)
        .bind(5, order.currency)
        .bind(6, r.amount)
        .bind(7, r.method)
        .bind(8, r.status)
        .bind(9, r.requested_at)
        .bind(10, r.completed_at);
    upsert_refund->run();
  }
}

std::vector<Order> SqlStateStore::open_orders_with_sku(const std::string &sku) {
  auto select = db_.cached(kOpenOrdersWithSkuSql);
  select->bind(1, sku);
  std::vector<Order> out;
  while (select->step())
    out.push_back(open_remembered(orders_, vault_, select->column_text(1), select->column_text(0), decode_order));
  return out;
}

std::optional<Customer> SqlStateStore::find_customer(const std::string &id) {
  if (const Customer *known = known_in_batch(customers_, id)) return *known;
  auto select = db_.cached("SELECT body FROM customers WHERE id = ?");
  select->bind(1, id);
  if (!select->step()) return std::nullopt;
  return open_remembered(customers_, vault_, id, select->column_text(0), customer_from_document);
}

void SqlStateStore::put_customer(const Customer &customer) {
  if (const Customer *before = customers_.current(customer.id); before && *before == customer) return;
  bool whole = true;
  SealedPart part;
  std::string sealed = seal_entity(vault_, text_, Document::customer, customer, Subject::customer(customer.id).str(),
                                   &whole, customers_.current_part(customer.id), &part);
  auto upsert = db_.cached(
      "INSERT INTO customers (id, body) VALUES (?, ?) ON CONFLICT (id) DO UPDATE SET body = excluded.body");
  upsert->bind(1, customer.id).bind(2, sealed);
  upsert->run();
  customers_.keep(customer.id, std::move(sealed), customer, whole, std::move(part));
}

bool SqlStateStore::erase_customer(const std::string &id, TimeMs at) {
  // Opened copies of what the erasure makes unreadable go first.
  forget_documents();
  bool known = vault_.erase(Subject::customer(id).str(), at);
  // PII sealed before the order's customer was known sits under the order.
  for (const auto &order_id : order_ids_of_customer(id)) vault_.erase(Subject::order(order_id).str(), at);
  auto mark = db_.cached("SELECT body FROM customers WHERE id = ?");
  mark->bind(1, id);
  if (mark->step()) {
    known = true;
    Json doc = parse_json(mark->column_text(0), "customer");
    doc["erased"] = true;
    doc["pii"] = Json::object();
    auto update = db_.cached("UPDATE customers SET body = ? WHERE id = ?");
    update->bind(1, dump_json(doc)).bind(2, id);
    update->run();
  }
  return known;
}

std::vector<std::string> SqlStateStore::customer_ids_of_store(const std::string &store_id) {
  // The store is a plain field of the order's document (only its PII is sealed).
  auto customers = db_.cached(db_.dialect() == Dialect::postgres
                                  ? "SELECT DISTINCT customer_id FROM orders WHERE customer_id IS NOT NULL AND "
                                    "customer_id <> '' AND (body::jsonb ->> 'store') = ? ORDER BY customer_id"
                                  : "SELECT DISTINCT customer_id FROM orders WHERE customer_id IS NOT NULL AND "
                                    "customer_id <> '' AND json_extract(body, '$.store') = ? ORDER BY customer_id");
  customers->bind(1, store_id);
  std::vector<std::string> out;
  while (customers->step()) out.push_back(customers->column_text(0));
  return out;
}

std::vector<std::string> SqlStateStore::order_ids_of_customer(const std::string &customer_id) {
  auto orders = db_.cached("SELECT id FROM orders WHERE customer_id = ? ORDER BY id");
  orders->bind(1, customer_id);
  std::vector<std::string> out;
  while (orders->step()) out.push_back(orders->column_text(0));
  return out;
}

std::optional<CaseRecord> SqlStateStore::find_case(const std::string &id) {
  if (const CaseRecord *known = known_in_batch(cases_, id)) return *known;
  auto select = db_.cached("SELECT body FROM cases WHERE id = ?");
  select->bind(1, id);
  if (!select->step()) return std::nullopt;
  return open_remembered(cases_, vault_, id, select->column_text(0), decode_case);
}

void SqlStateStore::put_case(const CaseRecord &c) {
  const CaseRecord *before = cases_.current(c.id);
  if (before && *before == c) return;
  const std::string subject = case_subject(c).str();
  forget_lists(listed_cases_, subject, before ? std::optional(case_subject(*before).str()) : std::nullopt);
  bool whole = true;
  SealedPart part;
  std::string sealed = seal_entity(vault_, text_, Document::case_record, c, pii_key_for(c.customer_id, c.order_id),
                                   &whole, cases_.current_part(c.id), &part);
  auto upsert = db_.cached(
      "INSERT INTO cases (id, subject, order_id, customer_id, type, priority, status, team, assignee, "
      "opened_at, updated_at, first_response_due, resolution_due, breached, active, body, resolved_at, "
      "queue_due, answered, red_flagged, vip, store, awaiting_warehouse) "
      "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21, ?22, "
      "?23) "
      "ON CONFLICT (id) DO UPDATE SET subject = ?2, order_id = ?3, customer_id = ?4, type = ?5, "
      "priority = ?6, status = ?7, team = ?8, assignee = ?9, updated_at = ?11, "
      "first_response_due = ?12, resolution_due = ?13, breached = ?14, active = ?15, "
      "body = ?16, resolved_at = ?17, queue_due = ?18, answered = ?19, red_flagged = ?20, vip = ?21, store = ?22, "
      "awaiting_warehouse = ?23");
  // The queue sorts on the nearest deadline still ahead of the agent
  // (store/queue_key.h).
  const std::int64_t queue_due = queue_due_of(c);
  upsert->bind(1, c.id)
      .bind(2, subject)
      .bind(3, c.order_id)
      .bind(4, c.customer_id)
      .bind(5, to_string(c.type))
      .bind(6, to_string(c.priority))
      .bind(7, to_string(c.status))
      .bind(8, c.team)
      .bind(9, c.assignee)
      .bind(10, c.opened_at)
      .bind(11, c.updated_at)
      .bind(12, c.first_response_due)
      .bind(13, c.resolution_due)
      .bind(14, std::int64_t{c.breached ? 1 : 0})
      .bind(15, std::int64_t{is_active(c.status) ? 1 : 0})
      .bind(16, sealed)
      .bind(17, c.resolved_at)
      .bind(18, queue_due)
      .bind(19, std::int64_t{c.first_response_at ? 1 : 0})
      .bind(20, std::int64_t{c.red_flags.empty() ? 0 : 1})
      .bind(21, std::int64_t{c.vip ? 1 : 0})
      .bind(22, c.store_id)
      .bind(23, std::int64_t{awaits_warehouse(c) ? 1 : 0});
  upsert->run();
  put_case_skus(before, c);
  cases_.keep(c.id, std::move(sealed), c, whole, std::move(part));
}

// The type follows the case's (it grows more specific), so the index of
// complaints (case_skus_complaints) holds the complaints of now. A case
// whose SKUs and type stayed has nothing to write here.
void SqlStateStore::put_case_skus(const CaseRecord *before, const CaseRecord &c) {
  if (before && before->skus == c.skus && before->type == c.type && before->opened_at == c.opened_at) return;
  for (const auto &sku : c.skus) {
    auto index_sku = db_.cached(
        "INSERT INTO case_skus (case_id, sku, opened_at, type) VALUES (?1, ?2, ?3, ?4) "
        "ON CONFLICT (sku, case_id) DO UPDATE SET type = excluded.type WHERE case_skus.type <> excluded.type");
    index_sku->bind(1, c.id).bind(2, sku).bind(3, c.opened_at).bind(4, to_string(c.type));
    index_sku->run();
  }
}

std::vector<CaseRecord> SqlStateStore::cases_of(Statement &select) {
  std::vector<CaseRecord> out;
  while (select.step())
    out.push_back(open_remembered(cases_, vault_, select.column_text(1), select.column_text(0), decode_case));
  return out;
}

std::vector<CaseRecord> SqlStateStore::cases_for_subject(const Subject &subject) {
  const std::string key = subject.str();
  if (auto known = known_list(listed_cases_, cases_, key)) return std::move(*known);
  auto select = db_.cached("SELECT body, id FROM cases WHERE subject = ? ORDER BY opened_at, id");
  select->bind(1, key);
  auto out = cases_of(*select);
  keep_list(listed_cases_, cases_, key, out);
  return out;
}

std::vector<CaseRecord> SqlStateStore::active_cases_for_subject(const Subject &subject) {
  auto select = db_.cached(kActiveCasesOfSubjectSql);
  select->bind(1, subject.str());
  return cases_of(*select);
}

std::map<std::string, std::int64_t> SqlStateStore::recent_complaints(const std::vector<std::string> &skus,
                                                                     TimeMs since,
                                                                     const std::optional<std::string> &except_order,
                                                                     std::int64_t at_most) {
  std::map<std::string, std::int64_t> out;
  for (const auto &sku : skus) {
    auto count = db_.cached(kRecentComplaintsSql);
    count->bind(1, sku).bind(2, since).bind(3, except_order).bind(4, at_most);
    count->step();
    out[sku] = count->column_int(0);
  }
  return out;
}

void SqlStateStore::append_log(const CaseLogEntry &entry) {
  auto insert = db_.cached("INSERT INTO case_log (case_id, at, kind, body) VALUES (?, ?, ?, ?)");
  insert->bind(1, entry.case_id)
      .bind(2, entry.at)
      .bind(3, entry.kind)
      .bind(4, seal_entity(vault_, text_, Document::log_entry, entry, pii_key_for(entry.customer_id, entry.order_id)));
  insert->run();
}

void SqlStateStore::put_escalation(const Escalation &e) {
  auto upsert = db_.cached(
      "INSERT INTO escalations (id, case_id, at, resolved, body) VALUES (?1, ?2, ?3, ?4, ?5) "
      "ON CONFLICT (id) DO UPDATE SET resolved = ?4, body = ?5");
  upsert->bind(1, e.id)
      .bind(2, e.case_id)
      .bind(3, e.at)
      .bind(4, std::int64_t{e.resolved ? 1 : 0})
      .bind(5, seal_entity(vault_, text_, Document::escalation, e, pii_key_for(e.customer_id, e.order_id)));
  upsert->run();
}

std::vector<Escalation> SqlStateStore::escalations_for_case(const std::string &case_id) {
  auto select = db_.cached("SELECT body FROM escalations WHERE case_id = ? ORDER BY at, id");
  select->bind(1, case_id);
  std::vector<Escalation> out;
  while (select->step()) out.push_back(escalation_from_json(open_document(vault_, select->column_text(0))));
  return out;
}

void SqlStateStore::park(const Subject &subject, std::int64_t event_seq) {
  auto insert = db_.cached("INSERT INTO parked_events (subject, event_seq) VALUES (?, ?) ON CONFLICT DO NOTHING");
  insert->bind(1, subject.str()).bind(2, event_seq);
  insert->run();
}

std::vector<std::int64_t> SqlStateStore::take_parked(const Subject &subject) {
  auto select = db_.cached("SELECT event_seq FROM parked_events WHERE subject = ? ORDER BY event_seq");
  select->bind(1, subject.str());
  std::vector<std::int64_t> out;
  while (select->step()) out.push_back(select->column_int(0));
  auto remove = db_.cached("DELETE FROM parked_events WHERE subject = ?");
  remove->bind(1, subject.str());
  remove->run();
  return out;
}

std::optional<ReturnRecord> SqlStateStore::find_return(const std::string &id) {
  if (const ReturnRecord *known = known_in_batch(returns_, id)) return *known;
  auto select = db_.cached("SELECT body FROM returns WHERE id = ?");
  select->bind(1, id);
  if (!select->step()) return std::nullopt;
  return open_remembered(returns_, vault_, id, select->column_text(0), decode_return);
}

void SqlStateStore::put_return(const ReturnRecord &r) {
  const ReturnRecord *before = returns_.current(r.id);
  if (before && *before == r) return;
  forget_lists(listed_returns_, r.order_id, before ? std::optional(before->order_id) : std::nullopt);
  bool whole = true;
  SealedPart part;
  std::string sealed = seal_entity(vault_, text_, Document::return_record, r, pii_key_for(r.customer_id, r.order_id),
                                   &whole, returns_.current_part(r.id), &part);
  auto upsert = db_.cached(
      "INSERT INTO returns (id, order_id, status, requested_at, body) VALUES (?1, ?2, ?3, ?4, ?5) "
      "ON CONFLICT (id) DO UPDATE SET status = ?3, body = ?5");
  upsert->bind(1, r.id)
      .bind(2, r.order_id)
      .bind(3, to_string(r.status))
      .bind(4, r.requested_at)
      .bind(5, sealed);
  upsert->run();
  returns_.keep(r.id, std::move(sealed), r, whole, std::move(part));
}

std::vector<ReturnRecord> SqlStateStore::returns_for_order(const std::string &order_id) {
  if (auto known = known_list(listed_returns_, returns_, order_id)) return std::move(*known);
  auto select = db_.cached("SELECT body, id FROM returns WHERE order_id = ? ORDER BY requested_at, id");
  select->bind(1, order_id);
  std::vector<ReturnRecord> out;
  while (select->step())
    out.push_back(open_remembered(returns_, vault_, select->column_text(1), select->column_text(0), decode_return));
  keep_list(listed_returns_, returns_, order_id, out);
  return out;
}

// Most writes of a case leave its timers as they were: only the rows that
// differ from what is stored are written.
void SqlStateStore::set_timers(const std::string &case_id, const std::vector<SlaTimer> &timers) {
  std::vector<SlaTimer> stored;
  {
    auto select = db_.cached("SELECT clock, stage, due_at FROM sla_timers WHERE case_id = ?");
    select->bind(1, case_id);
    while (select->step()) stored.push_back({select->column_text(0), select->column_text(1), select->column_int(2)});
  }
  const auto same_slot = [](const SlaTimer &a, const SlaTimer &b) { return a.clock == b.clock && a.stage == b.stage; };
  for (const auto &old : stored) {
    const bool kept = std::any_of(timers.begin(), timers.end(), [&](const SlaTimer &t) { return same_slot(t, old); });
    if (kept) continue;
    auto remove = db_.cached("DELETE FROM sla_timers WHERE case_id = ? AND clock = ? AND stage = ?");
    remove->bind(1, case_id).bind(2, old.clock).bind(3, old.stage);
    remove->run();
  }
  for (const auto &t : timers) {
    if (std::find(stored.begin(), stored.end(), t) != stored.end()) continue;
    auto insert = db_.cached(
        "INSERT INTO sla_timers (case_id, clock, stage, due_at) VALUES (?1, ?2, ?3, ?4) "
        "ON CONFLICT (case_id, clock, stage) DO UPDATE SET due_at = ?4");
    insert->bind(1, case_id).bind(2, t.clock).bind(3, t.stage).bind(4, t.due);
    insert->run();
  }
}

std::vector<std::string> SqlStateStore::cases_with_timers_due(TimeMs now, std::size_t limit) {
  // Walks the due-time index from the earliest timer and stops at `limit`
  // cases. A GROUP BY case_id made SQLite scan the whole table in key order,
  // every timer due or not, on every poll and every turn of the loop.
  auto select = db_.cached("SELECT case_id FROM sla_timers WHERE due_at <= ? ORDER BY due_at, case_id");
  select->bind(1, now);
  return first_distinct(*select, limit);
}

std::optional<TimeMs> SqlStateStore::next_timer_due() {
  // Each min() is one step down its own due-time index.
  auto select = db_.cached(
      "SELECT min(due) FROM (SELECT min(due_at) AS due FROM sla_timers "
      "UNION ALL SELECT min(due_at) AS due FROM sla_digest_items) AS earliest");
  select->step();
  return select->column_optional_int(0);
}

void SqlStateStore::hold_digest_items(const std::vector<DigestItem> &items) {
  for (const auto &item : items) {
    auto upsert = db_.cached(
        "INSERT INTO sla_digest_items (recipient, case_id, clock, stage, noted_at, due_at) "
        "VALUES (?1, ?2, ?3, ?4, ?5, ?6) "
        "ON CONFLICT (recipient, case_id, clock, stage) DO UPDATE SET noted_at = ?5, due_at = ?6");
    upsert->bind(1, item.recipient)
        .bind(2, item.case_id)
        .bind(3, item.clock)
        .bind(4, item.stage)
        .bind(5, item.noted_at)
        .bind(6, item.due_at);
    upsert->run();
  }
}

std::vector<std::string> SqlStateStore::recipients_with_digest_due(TimeMs now, std::size_t limit) {
  auto select = db_.cached("SELECT recipient FROM sla_digest_items WHERE due_at <= ? ORDER BY due_at, recipient");
  select->bind(1, now);
  return first_distinct(*select, limit);
}

std::vector<DigestItem> SqlStateStore::digest_items_due(const std::string &recipient, TimeMs now) {
  auto select = db_.cached(
      "SELECT case_id, clock, stage, noted_at, due_at FROM sla_digest_items "
      "WHERE recipient = ? AND due_at <= ? ORDER BY noted_at, case_id, clock, stage");
  select->bind(1, recipient).bind(2, now);
  std::vector<DigestItem> out;
  while (select->step())
    out.push_back({recipient, select->column_text(0), select->column_text(1), select->column_text(2),
                   select->column_int(3), select->column_int(4)});
  return out;
}

void SqlStateStore::remove_digest_items(const std::vector<DigestItem> &items) {
  for (const auto &item : items) {
    auto remove = db_.cached(
        "DELETE FROM sla_digest_items WHERE recipient = ? AND case_id = ? AND clock = ? AND stage = ? "
        "AND noted_at = ? AND due_at = ?");
    remove->bind(1, item.recipient)
        .bind(2, item.case_id)
        .bind(3, item.clock)
        .bind(4, item.stage)
        .bind(5, item.noted_at)
        .bind(6, item.due_at);
    remove->run();
  }
}

std::vector<AgentState> SqlStateStore::agent_states(const std::string &team,
                                                       const std::vector<std::string> &agents) {
  std::vector<AgentState> out;
  for (const auto &name : agents) {
    AgentState state;
    state.name = name;
    auto select = db_.cached("SELECT available, last_assigned_at FROM agents WHERE team = ? AND name = ?");
    select->bind(1, team).bind(2, name);
    if (select->step()) {
      state.available = select->column_int(0) != 0;
      state.last_assigned_at = select->column_optional_int(1);
    }
    auto open = db_.cached("SELECT count(*) FROM cases WHERE assignee = ? AND active = 1");
    open->bind(1, name);
    open->step();
    state.open_cases = open->column_int(0);
    out.push_back(std::move(state));
  }
  return out;
}

void SqlStateStore::set_agent_available(const std::string &team, const std::string &agent, bool available) {
  auto upsert = db_.cached(
      "INSERT INTO agents (team, name, available) VALUES (?1, ?2, ?3) "
      "ON CONFLICT (team, name) DO UPDATE SET available = ?3");
  upsert->bind(1, team).bind(2, agent).bind(3, std::int64_t{available ? 1 : 0});
  upsert->run();
}

void SqlStateStore::mark_assigned(const std::string &team, const std::string &agent, TimeMs at) {
  // Turns are strictly ordered within a team: cases assigned in the same
  // millisecond (a burst of events at one host time) would otherwise tie,
  // and every tie goes to the first agent of the roster.
  auto last = db_.cached("SELECT max(last_assigned_at) FROM agents WHERE team = ?");
  last->bind(1, team);
  last->step();
  if (const auto previous = last->column_optional_int(0)) at = std::max(at, *previous + 1);
  auto upsert = db_.cached(
      "INSERT INTO agents (team, name, available, last_assigned_at) VALUES (?1, ?2, 1, ?3) "
      "ON CONFLICT (team, name) DO UPDATE SET last_assigned_at = ?3");
  upsert->bind(1, team).bind(2, agent).bind(3, at);
  upsert->run();
}

std::optional<StoredRequest> SqlStateStore::find_request(const std::string &id) {
  auto select = db_.cached("SELECT method, args_hash, result, created_at FROM requests WHERE id = ?");
  select->bind(1, id);
  if (!select->step()) return std::nullopt;
  StoredRequest r;
  r.id = id;
  r.method = select->column_text(0);
  r.args_hash = select->column_text(1);
  r.result = open_value(vault_, select->column_text(2));
  r.at = select->column_int(3);
  return r;
}

void SqlStateStore::put_request(const StoredRequest &request, const std::string &pii_key) {
  auto insert = db_.cached(
      "INSERT INTO requests (id, method, args_hash, result, created_at) VALUES (?, ?, ?, ?, ?)");
  insert->bind(1, request.id)
      .bind(2, request.method)
      .bind(3, request.args_hash)
      .bind(4, seal_value(vault_, request.result.value_or(Json()), pii_key))
      .bind(5, request.at);
  insert->run();
}

}  // namespace ordercare::store::sql
