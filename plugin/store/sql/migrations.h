// Numbered schema migrations. Migration N brings a store from version N-1
// to N. Each engine has its own list in its own SQL (sqlite/, postgres/),
// with the same numbers and descriptions: a store of either engine at
// version N has the same tables, columns and indexes. Never edit a
// released migration: append a new one to both lists.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <optional>
#include <vector>

#include "store/sql/connection.h"

namespace ordercare::store::sql {

struct Migration {
  std::int64_t version;
  const char *description;
  const char *sql;
};

// An engine's list: its SQL for each numbered step, in order, under the
// numbers and descriptions every engine shares.
std::vector<Migration> engine_migrations(std::initializer_list<const char *> sql);

// Applies every migration above the store's version (up to `target` when
// given, for tests that build an older store), each in its own exclusive
// transaction that reads the version again first: several processes
// opening a new store at once apply each migration once. Throws
// Failure(OC_ERR_VERSION) if the store is newer than this code.
void migrate(Connection &db, const std::vector<Migration> &migrations,
             std::optional<std::int64_t> target = std::nullopt);

// Fails with OC_ERR_VERSION when the store is newer than `migrations`.
void refuse_newer(std::int64_t version, const std::vector<Migration> &migrations);

}  // namespace ordercare::store::sql
