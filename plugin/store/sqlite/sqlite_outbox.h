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

 private:
  OutboxRow read_row(Statement &row);

  Database &db_;
  PiiVault &vault_;
};

}  // namespace ordercare::store::sqlite
