// Queries and reports over SQL, the same for every engine.
#pragma once

#include "store/report_store.h"
#include "store/sql/connection.h"
#include "store/sql/pii_vault.h"

namespace ordercare::store::sql {

class SqlReportStore final : public ReportStore {
 public:
  SqlReportStore(Connection &db, PiiVault &vault) : db_(db), vault_(vault) {}

  std::vector<domain::CaseRecord> list_cases(const CaseQuery &query, std::vector<SkippedRow> *skipped,
                                             std::vector<QueueKey> *keys) override;
  std::vector<domain::CaseRecord> cases_opened_between(std::optional<TimeMs> from,
                                                       std::optional<TimeMs> to) override;
  std::vector<domain::Escalation> escalations(const EscalationQuery &query,
                                              std::vector<SkippedRow> *skipped) override;
  std::vector<domain::CaseLogEntry> case_log(const std::string &case_id) override;
  std::vector<domain::ReturnRecord> list_returns(const std::optional<std::string> &status,
                                                 const std::optional<std::string> &order_id, std::size_t limit,
                                                 std::int64_t offset, std::vector<SkippedRow> *skipped) override;
  std::optional<std::string> customer_name(const std::string &customer_id) override;
  std::vector<domain::CaseRecord> cases_resolved_between(TimeMs from, TimeMs to) override;
  std::vector<domain::CaseRecord> cases_open_at(TimeMs at) override;
  std::vector<reports::RefundFact> refunds_between(TimeMs from, TimeMs to) override;
  std::vector<domain::CaseLogEntry> log_entries_between(const std::string &kind, TimeMs from, TimeMs to) override;
  std::optional<TimeMs> first_agent_action(const std::string &case_id) override;

 private:
  Connection &db_;
  PiiVault &vault_;
};

}  // namespace ordercare::store::sql
