// The event path's state over SQL, the same for every engine.
//
// What the event path reads it mostly writes back, often unchanged: the
// documents it read or wrote are remembered (document_memo.h), so a row
// read again opens without decryption or parsing, and a document written
// back as it was read is not written at all. Rows derived from a document
// (an order's SKUs and refunds, a case's SKUs, its SLA timers) are written
// only where they differ from what is stored.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "domain/json_text.h"
#include "domain/return_record.h"
#include "store/sql/connection.h"
#include "store/sql/document_memo.h"
#include "store/sql/pii_vault.h"
#include "store/state_store.h"

namespace ordercare::store::sql {

class SqlStateStore final : public StateStore {
 public:
  // `remembered` documents of each kind at most (0: none). `exclusive`: a
  // batch holds the store's only write lock (SQLite), so nobody else
  // commits while it runs.
  SqlStateStore(Connection &db, PiiVault &vault, std::size_t remembered, bool exclusive)
      : db_(db),
        vault_(vault),
        exclusive_(exclusive),
        orders_(generation_, remembered),
        customers_(generation_, remembered),
        cases_(generation_, remembered),
        returns_(generation_, remembered) {}

  // Transaction hooks (SqlStore): a batch began or ended, or writes were
  // undone; nothing remembered is known to be what its row holds any more.
  void batch_began() {
    new_generation();
    in_batch_ = true;
  }
  void batch_ended() {
    new_generation();
    in_batch_ = false;
  }
  void new_generation() {
    ++generation_.value;
    listed_cases_.clear();
    listed_returns_.clear();
  }
  // An erasure, here or by another process or node: a remembered document
  // may no longer open.
  void forget_documents();

  std::optional<domain::Order> find_order(const std::string &id) override;
  void put_order(const domain::Order &order) override;
  std::vector<domain::Order> open_orders_with_sku(const std::string &sku) override;

  std::optional<domain::Customer> find_customer(const std::string &id) override;
  void put_customer(const domain::Customer &customer) override;
  bool erase_customer(const std::string &id, TimeMs at) override;
  std::vector<std::string> order_ids_of_customer(const std::string &customer_id) override;
  std::vector<std::string> customer_ids_of_store(const std::string &store_id) override;

  std::optional<domain::CaseRecord> find_case(const std::string &id) override;
  void put_case(const domain::CaseRecord &c) override;
  std::vector<domain::CaseRecord> cases_for_subject(const Subject &subject) override;
  std::vector<domain::CaseRecord> active_cases_for_subject(const Subject &subject) override;
  std::map<std::string, std::int64_t> recent_complaints(const std::vector<std::string> &skus, TimeMs since,
                                                        const std::optional<std::string> &except_order,
                                                        std::int64_t at_most) override;

  void append_log(const domain::CaseLogEntry &entry) override;

  void put_escalation(const domain::Escalation &e) override;
  std::vector<domain::Escalation> escalations_for_case(const std::string &case_id) override;

  void park(const Subject &subject, std::int64_t event_seq) override;
  std::vector<std::int64_t> take_parked(const Subject &subject) override;

  std::optional<domain::ReturnRecord> find_return(const std::string &id) override;
  void put_return(const domain::ReturnRecord &r) override;
  std::vector<domain::ReturnRecord> returns_for_order(const std::string &order_id) override;

  // sql_transfer_rows.cpp
  std::optional<domain::Transfer> find_transfer(const std::string &id) override;
  void put_transfer(const domain::Transfer &t) override;
  std::vector<domain::Transfer> list_transfers(const TransferQuery &query) override;

  void set_timers(const std::string &case_id, const std::vector<domain::SlaTimer> &timers) override;
  std::vector<std::string> cases_with_timers_due(TimeMs now, std::size_t limit) override;
  std::optional<TimeMs> next_timer_due() override;
  void hold_digest_items(const std::vector<domain::DigestItem> &items) override;
  std::vector<std::string> recipients_with_digest_due(TimeMs now, std::size_t limit) override;
  std::vector<domain::DigestItem> digest_items_due(const std::string &recipient, TimeMs now) override;
  void remove_digest_items(const std::vector<domain::DigestItem> &items) override;
  std::vector<domain::AgentState> agent_states(const std::string &team,
                                               const std::vector<std::string> &agents) override;
  void set_agent_available(const std::string &team, const std::string &agent, bool available) override;
  void mark_assigned(const std::string &team, const std::string &agent, TimeMs at) override;

  std::optional<StoredRequest> find_request(const std::string &id) override;
  void put_request(const StoredRequest &request, const std::string &pii_key) override;

 private:
  void put_order_skus(const domain::Order *before, const domain::Order &order);
  void put_refunds(const domain::Order *before, const domain::Order &order);
  void put_case_skus(const domain::CaseRecord *before, const domain::CaseRecord &c);
  std::vector<domain::CaseRecord> cases_of(Statement &select);

  // In a batch that is the store's only writer (`exclusive_`), what it read
  // or wrote of a row stays what the row holds until it ends. A PostgreSQL
  // batch may have read a row before claiming its subject (claimed_keys
  // reads again then), so there every read goes to the row.
  bool sole_writer_batch() const { return exclusive_ && in_batch_; }

  // The document `id` as its row holds it, without reading the row, when
  // that is known (sole_writer_batch).
  template <class Entity>
  const Entity *known_in_batch(const DocumentMemo<Entity> &memo, const std::string &id) const {
    return sole_writer_batch() ? memo.current(id) : nullptr;
  }

  // What a batch that is the only writer listed: a subject's cases, an
  // order's returns, as the ids in the list's order. Listed again, each is
  // answered from the documents remembered, until a write to the table
  // could change the list (put_case, put_return) or the generation ends.
  using Listed = std::unordered_map<std::string, std::vector<std::string>>;
  template <class Entity>
  std::optional<std::vector<Entity>> known_list(const Listed &listed, const DocumentMemo<Entity> &memo,
                                                const std::string &key) const;
  template <class Entity>
  void keep_list(Listed &listed, const DocumentMemo<Entity> &memo, const std::string &key,
                 const std::vector<Entity> &entities);
  // A write to a document that lists under `key`, and under `was` before
  // it (nullopt: not read or written in this generation).
  static void forget_lists(Listed &listed, const std::string &key, const std::optional<std::string> &was);

  Connection &db_;
  PiiVault &vault_;
  const bool exclusive_;
  bool in_batch_ = false;
  MemoGeneration generation_;
  DocumentMemo<domain::Order> orders_;
  // Writes documents' text without their trees; its buffers are kept.
  domain::json_fields::TextWriter text_;
  DocumentMemo<domain::Customer> customers_;
  DocumentMemo<domain::CaseRecord> cases_;
  DocumentMemo<domain::ReturnRecord> returns_;
  Listed listed_cases_, listed_returns_;
};

}  // namespace ordercare::store::sql
