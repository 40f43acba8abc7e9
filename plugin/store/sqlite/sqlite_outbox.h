#pragma once

#include "store/sqlite/database.h"
#include "store/sqlite/pii_vault.h"
#include "store/store.h"

namespace ordercare::store::sqlite {

class SqliteOutbox final : public Outbox {
 public:
  SqliteOutbox(Database &db, PiiVault &vault) : db_(db), vault_(vault) {}

  bool enqueue(const domain::Effect &effect) override;
  std::optional<OutboxRow> find(const std::string &id) override;
  std::vector<std::pair<std::int64_t, OutboxRow>> list(const OutboxQuery &query) override;
  std::vector<OutboxRow> for_case(const std::string &case_id) override;
  std::vector<ClaimedEffect> claim_due(TimeMs now, std::size_t limit, const std::vector<std::string> &kinds,
                                       TimeMs lease_until) override;
  void mark_done(const std::string &id, const Json &result, TimeMs now) override;
  void mark_failed(const std::string &id, const std::string &error, TimeMs now) override;
  void mark_retry(const std::string &id, const std::string &error, TimeMs next_attempt_at, TimeMs now) override;
  std::int64_t release_in_flight() override;
  std::optional<TimeMs> next_due(const std::vector<std::string> &kinds) override;
  std::map<std::string, std::int64_t> count_by_status() override;

 private:
  OutboxRow read_row(Statement &row);

  Database &db_;
  PiiVault &vault_;
};

}  // namespace ordercare::store::sqlite
