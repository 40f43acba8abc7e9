#include "support/pg_server.h"

#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>
#include <vector>

#include "support/temp_dir.h"

namespace ordercare::testing {
namespace {

TEST(PgServer, StartsQueriesAndComesBackWithItsDataOnTheSamePort) {
  const auto began = std::chrono::steady_clock::now();
  auto pg = PgServer::start({});
  const auto took = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - began);
  std::printf("PgServer::start took %lld ms (initdb, server start, createdb)\n",
              static_cast<long long>(took.count()));

  EXPECT_EQ(pg->url(), "postgresql://ordercare@127.0.0.1:" + std::to_string(pg->port()) + "/ordercare");
  EXPECT_EQ(pg->psql("select 1"), "1");
  EXPECT_EQ(pg->psql("select current_database() || ' ' || current_user"), "ordercare ordercare");
  EXPECT_EQ(pg->psql("show fsync"), "off");

  const std::string schema = unique_pg_schema("pg_server_test");
  pg->psql("create schema " + schema + "; create table " + schema + ".t (n int); insert into " + schema +
           ".t values (42)");

  const int port = pg->port();
  pg->stop_now();
  EXPECT_FALSE(pg->running());
  EXPECT_THROW(pg->psql("select 1"), std::runtime_error);
  pg->start_again();
  EXPECT_EQ(pg->port(), port);
  EXPECT_EQ(pg->psql("select n from " + schema + ".t"), "42");

  pg->restart();
  EXPECT_EQ(pg->psql("select count(*) from pg_namespace where nspname = '" + schema + "'"), "1");

  pg->stop();
  EXPECT_FALSE(pg->running());
  const std::string dir = std::filesystem::path(pg->data_dir()).parent_path();
  pg.reset();
  EXPECT_FALSE(std::filesystem::exists(dir));
}

TEST(PgServer, DurableServerKeepsTheDefaults) {
  PgServerOptions options;
  options.durable = true;
  options.max_connections = 20;
  auto pg = PgServer::start(options);
  EXPECT_EQ(pg->psql("show fsync"), "on");
  EXPECT_EQ(pg->psql("show max_connections"), "20");
}

TEST(PgServer, PsqlReportsTheServersError) {
  auto pg = PgServer::start({});
  try {
    pg->psql("select * from no_such_table");
    FAIL() << "psql did not throw";
  } catch (const std::runtime_error &e) {
    EXPECT_NE(std::string(e.what()).find("no_such_table"), std::string::npos) << e.what();
  }
}

TEST(PgServer, UniqueSchemaNamesAreIdentifiersAndDoNotRepeat) {
  const std::vector<std::string> hints = {"", "Report Store", "9lives", "pg", "PG_x", std::string(100, 'x'), "ünïcode"};
  std::set<std::string> seen;
  for (const auto &hint : hints) {
    const std::string name = unique_pg_schema(hint);
    EXPECT_LE(name.size(), 48u) << name;
    EXPECT_TRUE(name[0] >= 'a' && name[0] <= 'z') << name;
    EXPECT_NE(name.rfind("pg_", 0), 0u) << name;
    EXPECT_EQ(name.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789_"), std::string::npos) << name;
    EXPECT_TRUE(seen.insert(name).second) << name;
  }
  EXPECT_EQ(unique_pg_schema("Report Store").rfind("report_store_", 0), 0u);
}

// Sets or clears an environment variable for one scope.
class ScopedEnv {
 public:
  ScopedEnv(const char *name, const char *value) : name_(name) {
    if (const char *old = std::getenv(name)) old_ = old;
    if (value)
      setenv(name, value, 1);
    else
      unsetenv(name);
  }
  ~ScopedEnv() {
    if (old_.empty())
      unsetenv(name_);
    else
      setenv(name_, old_.c_str(), 1);
  }

 private:
  const char *name_;
  std::string old_;
};

TEST(PgServer, TestUrlComesFromTheFixturesFileThenTheEnvironment) {
  TempDir dir;
  std::ofstream(dir.file("url")) << "postgresql://ordercare@127.0.0.1:5999/ordercare\n";

  ScopedEnv no_file("OC_TEST_PG_URL_FILE", nullptr);
  ScopedEnv no_url("OC_TEST_PG_URL", nullptr);
  EXPECT_EQ(test_pg_url(), "");
  {
    ScopedEnv url("OC_TEST_PG_URL", "postgresql://x@127.0.0.1:1/y");
    EXPECT_EQ(test_pg_url(), "postgresql://x@127.0.0.1:1/y");
    ScopedEnv file("OC_TEST_PG_URL_FILE", dir.file("url").c_str());
    EXPECT_EQ(test_pg_url(), "postgresql://ordercare@127.0.0.1:5999/ordercare");
  }
  // The fixture has not run, or failed: no URL, so tests can skip.
  ScopedEnv missing("OC_TEST_PG_URL_FILE", dir.file("none").c_str());
  EXPECT_EQ(test_pg_url(), "");
}

}  // namespace
}  // namespace ordercare::testing
