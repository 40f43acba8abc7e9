// Numbered schema migrations. Migration N brings a store from version N-1
// to N; PRAGMA user_version records where a file is. Never edit a released
// migration: append a new one.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "store/sqlite/database.h"

namespace ordercare::store::sqlite {

struct Migration {
  std::int64_t version;
  const char *description;
  const char *sql;
};

const std::vector<Migration> &migrations();

// Applies every migration above the file's version (up to `target` when
// given, for tests that build an older file), each in its own transaction.
// Throws Failure(OC_ERR_VERSION) if the file is newer than this code.
void migrate(Database &db, std::optional<std::int64_t> target = std::nullopt);

}  // namespace ordercare::store::sqlite
