#pragma once

#include "store/sqlite/database.h"
#include "store/sqlite/pii_vault.h"
#include "store/store.h"

namespace ordercare::store::sqlite {

class SqliteEventLog final : public EventLog {
 public:
  SqliteEventLog(Database &db, PiiVault &vault) : db_(db), vault_(vault) {}

  bool append(StoredEvent &event) override;
  std::optional<StoredEvent> find(std::string_view id) override;
  std::optional<StoredEvent> find_by_seq(std::int64_t seq) override;
  std::vector<StoredEvent> list(const EventQuery &query) override;
  std::int64_t count() override;

 private:
  StoredEvent read_event(Statement &row);

  Database &db_;
  PiiVault &vault_;
};

}  // namespace ordercare::store::sqlite
