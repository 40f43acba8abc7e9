// The event log over SQL, the same for every engine: the event's PII
// fields sealed apart, the rest kept as it arrived.
#pragma once

#include "store/event_log.h"
#include "store/sql/connection.h"
#include "store/sql/pii_vault.h"

namespace ordercare::store::sql {

class SqlEventLog final : public EventLog {
 public:
  SqlEventLog(Connection &db, PiiVault &vault) : db_(db), vault_(vault) {}

  bool append(StoredEvent &event) override;
  std::optional<StoredEvent> find(std::string_view id) override;
  std::optional<StoredEvent> find_by_seq(std::int64_t seq) override;
  std::vector<StoredEvent> list(const EventQuery &query) override;
  std::int64_t count() override;

 private:
  StoredEvent read_event(Statement &row);

  Connection &db_;
  PiiVault &vault_;
};

}  // namespace ordercare::store::sql
