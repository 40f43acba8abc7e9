#include "support/test_store.h"

#include <cstdlib>
#include <stdexcept>

#include "common/crypto.h"
#include "support/pg_server.h"

namespace ordercare::testing {

TestEngine test_engine() {
  const char *file = std::getenv("OC_TEST_PG_URL_FILE");
  const char *url = std::getenv("OC_TEST_PG_URL");
  return (file && *file) || (url && *url) ? TestEngine::postgres : TestEngine::sqlite;
}

Json test_store_section(const std::string &sqlite_path, const std::string &hint) {
  if (test_engine() == TestEngine::sqlite) return {{"path", sqlite_path}, {"durability", "normal"}};
  const std::string url = test_pg_url();
  if (url.empty())
    throw std::runtime_error("this test runs on PostgreSQL, but the shared server's URL is not there "
                             "(OC_TEST_PG_URL_FILE / OC_TEST_PG_URL)");
  return {{"engine", "postgres"}, {"url", url}, {"schema", unique_pg_schema(hint)}};
}

store::StoreConfig test_store_config(const std::string &sqlite_path, const std::string &hint) {
  const Json section = test_store_section(sqlite_path, hint);
  store::StoreConfig config;
  config.path = sqlite_path;
  config.durability = store::Durability::normal;
  if (test_engine() == TestEngine::postgres) {
    config.engine = "postgres";
    config.url = section["url"];
    config.schema = section["schema"];
    config.master_key = *crypto::base64_decode(kTestMasterKey);
  }
  return config;
}

}  // namespace ordercare::testing
