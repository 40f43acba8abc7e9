#pragma once

#include "store/sqlite/database.h"
#include "store/store.h"

namespace ordercare::store::sqlite {

class SqliteEventLog final : public EventLog {
 public:
  explicit SqliteEventLog(Database &db) : db_(db) {}

  bool append(StoredEvent &event) override;
  std::optional<StoredEvent> find(std::string_view id) override;
  std::vector<StoredEvent> list(const EventQuery &query) override;
  std::int64_t count() override;

 private:
  Database &db_;
};

}  // namespace ordercare::store::sqlite
