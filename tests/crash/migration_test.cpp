// Stores written by an older ordercare are migrated in place with their rows
// intact; a store written by a newer one is refused and left untouched.
#include <gtest/gtest.h>

#include <fstream>
#include <iterator>
#include <string>

#include "common/failure.h"
#include "store/sqlite/sqlite_connection.h"
#include "store/sqlite/sqlite_migrations.h"
#include "store/store.h"
#include "support/temp_dir.h"

namespace ordercare::store::sqlite {
namespace {

std::int64_t latest_version() { return sqlite_migrations().back().version; }

std::string read_file(const std::string &path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

StoreConfig config_for(const std::string &path) {
  StoreConfig config;
  config.path = path;
  return config;
}

oc_status open_status(const std::string &path) {
  try {
    open_store(config_for(path));
  } catch (const Failure &failure) {
    return failure.status();
  }
  return OC_OK;
}

// A version-1 file as the first release wrote it, holding one event.
void write_version_1_file(const std::string &path) {
  SqliteConnection db(path);
  sql::migrate(db, sqlite_migrations(), 1);
  ASSERT_EQ(db.schema_version(), 1);
  db.exec(
      "INSERT INTO events (id, type, source, store_id, occurred_at, received_at, body) VALUES "
      "('old-1', 'order.updated', 'shopify', 'eu-store', 1795341600000, 1795341601250, "
      "'{\"id\":\"old-1\",\"type\":\"order.updated\",\"x_kept\":[1,2]}')");
}

TEST(Migration, AVersion1FileIsMigratedToTheLatestWithItsRowsIntact) {
  ASSERT_GE(latest_version(), 2);
  ordercare::testing::TempDir dir;
  const std::string path = dir.file("v1.db");
  write_version_1_file(path);

  auto store = open_store(config_for(path));
  EXPECT_EQ(store->schema_version(), latest_version());
  EXPECT_EQ(store->events().count(), 1);
  const auto old = store->events().find("old-1");
  ASSERT_TRUE(old.has_value());
  EXPECT_EQ(old->type, "order.updated");
  EXPECT_EQ(old->source, "shopify");
  EXPECT_EQ(old->store_id, "eu-store");
  EXPECT_EQ(old->occurred_at, 1795341600000);
  EXPECT_EQ(old->received_at, 1795341601250);
  EXPECT_EQ(old->body, R"({"id":"old-1","type":"order.updated","x_kept":[1,2]})");
  EXPECT_EQ(old->seq, 1);

  // The migrated file takes new events after the old one, and pages through
  // both with the indexes the later migrations added.
  store->begin_batch();
  StoredEvent fresh;
  fresh.id = "new-1";
  fresh.type = "order.updated";
  fresh.source = "host";
  fresh.occurred_at = 1795341700000;
  fresh.received_at = 1795341700000;
  fresh.body = R"({"id":"new-1"})";
  EXPECT_TRUE(store->events().append(fresh));
  store->commit_batch();
  EXPECT_GT(fresh.seq, old->seq);
  EventQuery query;
  query.type = "order.updated";
  query.received_after = 1795341601250;
  const auto listed = store->events().list(query);
  ASSERT_EQ(listed.size(), 1u);
  EXPECT_EQ(listed[0].id, "new-1");
}

TEST(Migration, EveryMigrationIsRecordedOnce) {
  ordercare::testing::TempDir dir;
  const std::string path = dir.file("v1.db");
  write_version_1_file(path);
  open_store(config_for(path)).reset();
  SqliteConnection db(path);
  auto rows = db.prepare("SELECT count(*) FROM meta WHERE key LIKE 'migration.%'");
  ASSERT_TRUE(rows->step());
  EXPECT_EQ(rows->column_int(0), latest_version());
}

TEST(Migration, OpeningTheLatestAgainChangesNothing) {
  ordercare::testing::TempDir dir;
  const std::string path = dir.file("store.db");
  open_store(config_for(path)).reset();
  const std::string before = read_file(path);
  auto store = open_store(config_for(path));
  EXPECT_EQ(store->schema_version(), latest_version());
  store.reset();
  EXPECT_TRUE(read_file(path) == before) << "reopening modified the file";
}

TEST(Migration, MigratingToATargetStopsThere) {
  ordercare::testing::TempDir dir;
  SqliteConnection db(dir.file("partial.db"));
  sql::migrate(db, sqlite_migrations(), 1);
  EXPECT_EQ(db.schema_version(), 1);
  sql::migrate(db, sqlite_migrations(), 2);
  EXPECT_EQ(db.schema_version(), 2);
  sql::migrate(db, sqlite_migrations());
  EXPECT_EQ(db.schema_version(), latest_version());
}

// A file a newer ordercare wrote, in the journal mode given.
std::string write_newer_file(const std::string &path, const char *journal_mode) {
  {
    SqliteConnection db(path);
    db.exec(std::string("PRAGMA journal_mode = ") + journal_mode);
    sql::migrate(db, sqlite_migrations());
    db.exec("CREATE TABLE from_the_future (x)");
    db.set_schema_version(latest_version() + 1);
  }
  return read_file(path);
}

TEST(Migration, ANewerRollbackJournalFileIsRefusedAndLeftUnchanged) {
  ordercare::testing::TempDir dir;
  const std::string path = dir.file("newer.db");
  const std::string before = write_newer_file(path, "DELETE");
  EXPECT_EQ(open_status(path), OC_ERR_VERSION);
  EXPECT_TRUE(read_file(path) == before) << "the refused file was modified";
  SqliteConnection db(path);
  EXPECT_EQ(db.schema_version(), latest_version() + 1);
}

TEST(Migration, ANewerWalFileIsRefusedAndLeftUnchanged) {
  ordercare::testing::TempDir dir;
  const std::string path = dir.file("newer-wal.db");
  const std::string before = write_newer_file(path, "WAL");
  EXPECT_EQ(open_status(path), OC_ERR_VERSION);
  EXPECT_TRUE(read_file(path) == before) << "the refused file was modified";
}

TEST(Migration, TheRefusalSaysWhichVersions) {
  ordercare::testing::TempDir dir;
  const std::string path = dir.file("newer.db");
  write_newer_file(path, "DELETE");
  try {
    open_store(config_for(path));
    FAIL() << "a newer file was opened";
  } catch (const Failure &failure) {
    EXPECT_EQ(failure.status(), OC_ERR_VERSION);
    const std::string message = failure.what();
    EXPECT_NE(message.find(std::to_string(latest_version() + 1)), std::string::npos) << message;
    EXPECT_NE(message.find("upgrade"), std::string::npos) << message;
  }
}

}  // namespace
}  // namespace ordercare::store::sqlite
