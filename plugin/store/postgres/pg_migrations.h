// The migrations of a PostgreSQL store (sql/migrations.h): the same
// numbers, descriptions, tables, columns and indexes as SQLite's, in
// PostgreSQL's SQL. Every text column that is compared or sorted uses the
// "C" collation, so a listing comes out in the same (byte) order as on
// SQLite whatever the database's locale. The version is the meta row
// "schema_version".
#pragma once

#include <vector>

#include "store/sql/migrations.h"

namespace ordercare::store::postgres {

const std::vector<sql::Migration> &postgres_migrations();

}  // namespace ordercare::store::postgres
