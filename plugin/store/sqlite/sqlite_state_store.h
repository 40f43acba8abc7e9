#pragma once

#include "store/sqlite/database.h"
#include "store/sqlite/pii_vault.h"
#include "store/store.h"

namespace ordercare::store::sqlite {

class SqliteStateStore final : public StateStore {
 public:
  SqliteStateStore(Database &db, PiiVault &vault) : db_(db), vault_(vault) {}

  std::optional<domain::Order> find_order(const std::string &id) override;
  void put_order(const domain::Order &order) override;
  std::vector<domain::Order> open_orders_with_sku(const std::string &sku) override;

  std::optional<domain::Customer> find_customer(const std::string &id) override;
  void put_customer(const domain::Customer &customer) override;
  bool erase_customer(const std::string &id, TimeMs at) override;

  std::optional<domain::CaseRecord> find_case(const std::string &id) override;
  void put_case(const domain::CaseRecord &c) override;
  std::vector<domain::CaseRecord> cases_for_subject(const std::string &subject) override;
  std::vector<domain::CaseRecord> list_cases(const CaseQuery &query) override;
  std::vector<domain::CaseRecord> cases_opened_between(std::optional<TimeMs> from,
                                                       std::optional<TimeMs> to) override;
  std::map<std::string, std::int64_t> recent_complaints(
      const std::vector<std::string> &skus, TimeMs since, const std::optional<std::string> &except_order) override;

  void append_log(const domain::CaseLogEntry &entry) override;
  std::vector<domain::CaseLogEntry> case_log(const std::string &case_id) override;

  void put_escalation(const domain::Escalation &e) override;
  std::vector<domain::Escalation> escalations(const EscalationQuery &query) override;
  std::vector<domain::Escalation> escalations_for_case(const std::string &case_id) override;

  void park(const std::string &subject, std::int64_t event_seq) override;
  std::vector<std::int64_t> take_parked(const std::string &subject) override;

  std::optional<domain::ReturnRecord> find_return(const std::string &id) override;
  void put_return(const domain::ReturnRecord &r) override;
  std::vector<domain::ReturnRecord> returns_for_order(const std::string &order_id) override;
  std::vector<domain::ReturnRecord> list_returns(const std::optional<std::string> &status,
                                                 const std::optional<std::string> &order_id, std::size_t limit,
                                                 std::int64_t offset) override;

  void set_timers(const std::string &case_id, const std::vector<domain::SlaTimer> &timers) override;
  std::vector<std::string> cases_with_timers_due(TimeMs now, std::size_t limit) override;
  std::optional<TimeMs> next_timer_due() override;
  std::vector<domain::AgentState> agent_states(const std::string &team,
                                               const std::vector<std::string> &agents) override;
  void set_agent_available(const std::string &team, const std::string &agent, bool available) override;
  void mark_assigned(const std::string &team, const std::string &agent, TimeMs at) override;

  std::optional<std::string> customer_name(const std::string &customer_id) override;

  std::vector<domain::CaseRecord> cases_resolved_between(TimeMs from, TimeMs to) override;
  std::vector<domain::CaseRecord> cases_open_at(TimeMs at) override;
  std::vector<domain::RefundFact> refunds_between(TimeMs from, TimeMs to) override;
  std::vector<domain::CaseLogEntry> log_entries_between(const std::string &kind, TimeMs from, TimeMs to) override;
  std::optional<TimeMs> first_agent_action(const std::string &case_id) override;

 private:
  // Seals doc["pii"] under the key of `key_id` before writing; opens it
  // after reading (an erased subject's pii reads as {} with pii_erased).
  std::string seal_document(Json doc, const std::string &key_id);
  Json open_document(const std::string &text);
  std::vector<domain::CaseRecord> read_cases(Statement &select);

  Database &db_;
  PiiVault &vault_;
};

// The PII key id of a customer, or of an order whose customer is unknown.
std::string customer_key(const std::string &customer_id);
std::string order_key(const std::string &order_id);

// The subject a case is filed under (see StateStore::cases_for_subject).
std::string case_subject(const domain::CaseRecord &c);

}  // namespace ordercare::store::sqlite
