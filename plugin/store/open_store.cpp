#include "common/failure.h"
#include "store/postgres/pg_store.h"
#include "store/sqlite/sqlite_store.h"
#include "store/store.h"

namespace ordercare::store {

std::unique_ptr<Store> open_store(const StoreConfig &config) {
  if (config.engine == "sqlite") return std::make_unique<sqlite::SqliteStore>(config);
  if (config.engine == "postgres") return std::make_unique<postgres::PgStore>(config);
  fail(OC_ERR_CONFIG, "store.engine: unknown engine '" + config.engine + "' (expected: sqlite or postgres)");
}

}  // namespace ordercare::store
