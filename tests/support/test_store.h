// The store a test runs on. The store, engine, returns, SLA, report and
// end-to-end tests are registered twice with ctest (tests/CMakeLists.txt):
// once on SQLite, once (prefixed "pg.") on PostgreSQL, the run's shared
// server (tests/postgres.cmake), each test in a schema of its own. The
// test's code is the same; only this section differs.
#pragma once

#include <string>

#include "common/json.h"
#include "store/store.h"

namespace ordercare::testing {

enum class TestEngine { sqlite, postgres };

// PostgreSQL when the ctest registration gave this test the shared
// server (OC_TEST_PG_URL_FILE or OC_TEST_PG_URL), else SQLite.
TestEngine test_engine();
inline bool on_postgres() { return test_engine() == TestEngine::postgres; }

// The "store" section for a test on this engine: SQLite at `sqlite_path`,
// or the shared server in a fresh schema named after `hint`. Throws if the
// test was registered for PostgreSQL and the server is not there.
Json test_store_section(const std::string &sqlite_path, const std::string &hint = "t");

// The same as a StoreConfig, for tests that open a store directly; the
// PostgreSQL one carries kTestMasterKey.
store::StoreConfig test_store_config(const std::string &sqlite_path, const std::string &hint = "t");

// A fixed master key for PostgreSQL stores (base64 of 32 bytes): they keep
// no key file, and a test reopening its store needs the same key.
inline constexpr const char *kTestMasterKey = "b3JkZXJjYXJlIHRlc3QgbWFzdGVyIGtleSAzMiBieXQ=";

}  // namespace ordercare::testing

// A test about what only one engine has (SQLite's files on disk).
#define OC_SQLITE_ONLY(why)                                                          \
  do {                                                                               \
    if (::ordercare::testing::on_postgres()) GTEST_SKIP() << "SQLite only: " << why; \
  } while (0)
