// The migrations of a SQLite store (sql/migrations.h), in SQLite's SQL.
// PRAGMA user_version records where a file is.
#pragma once

#include <vector>

#include "store/sql/migrations.h"

namespace ordercare::store::sqlite {

const std::vector<sql::Migration> &sqlite_migrations();

}  // namespace ordercare::store::sqlite
