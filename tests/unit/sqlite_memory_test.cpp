// SQLite's memory in this library (store/sqlite/sqlite_memory.h): blocks of
// up to 1 KiB are kept per thread and size for the next request, larger
// ones come from malloc, and each keeps what was written into it.
#include "store/sqlite/sqlite_memory.h"

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <cstring>
#include <string>
#include <thread>

namespace ordercare::store::sqlite {
namespace {

// Before anything in this binary touches SQLite.
const bool g_installed = use_kept_blocks_for_sqlite();

class SqliteMemory : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!g_installed) GTEST_SKIP() << "SQLite keeps glibc's allocator under ASan and TSan";
  }
};

TEST_F(SqliteMemory, ASmallBlockFreedIsTheNextOfItsSizeOnItsThread) {
  void *first = sqlite3_malloc(100);
  ASSERT_NE(first, nullptr);
  EXPECT_EQ(sqlite3_msize(first), 112u) << "sizes are kept in steps of 16 bytes";
  sqlite3_free(first);
  void *again = sqlite3_malloc(97);
  EXPECT_EQ(again, first);
  void *other_size = sqlite3_malloc(200);
  EXPECT_NE(other_size, first);
  sqlite3_free(again);
  sqlite3_free(other_size);
}

TEST_F(SqliteMemory, ReallocKeepsTheContentAcrossSizesAndToALargeBlock) {
  auto *block = static_cast<char *>(sqlite3_malloc(40));
  std::memcpy(block, "0123456789abcdefghijklmnopqrstuvwxyzABC", 40);
  EXPECT_EQ(sqlite3_realloc(block, 45), block) << "within its 48 bytes it stays where it is";
  block = static_cast<char *>(sqlite3_realloc(block, 700));
  EXPECT_EQ(std::string(block, 39), "0123456789abcdefghijklmnopqrstuvwxyzABC");
  block = static_cast<char *>(sqlite3_realloc(block, 64 * 1024));
  ASSERT_NE(block, nullptr);
  EXPECT_GE(sqlite3_msize(block), 64u * 1024);
  EXPECT_EQ(std::string(block, 39), "0123456789abcdefghijklmnopqrstuvwxyzABC");
  block = static_cast<char *>(sqlite3_realloc(block, 16));
  EXPECT_EQ(std::string(block, 16), "0123456789abcdef");
  sqlite3_free(block);
}

// A connection opened on one thread and used on another (the checkpoint
// thread's) frees blocks where the other took them.
TEST_F(SqliteMemory, BlocksFreedOnAnotherThreadAndByAnEndingThreadAreUsable) {
  void *blocks[200];
  for (auto &block : blocks) block = sqlite3_malloc(64);
  std::thread([&] {
    for (auto *block : blocks) sqlite3_free(block);
    // Blocks of its own, kept when it ends: given back to malloc then.
    void *own[100];
    for (auto &block : own) std::memset(block = sqlite3_malloc(64), 0xab, 64);
    for (auto *block : own) sqlite3_free(block);
  }).join();
  for (auto &block : blocks) {
    block = sqlite3_malloc(64);
    std::memset(block, 0xcd, 64);
  }
  for (auto *block : blocks) sqlite3_free(block);
}

TEST_F(SqliteMemory, AStoreWrittenAndReadThroughItHoldsWhatWasWritten) {
  sqlite3 *db = nullptr;
  ASSERT_EQ(sqlite3_open(":memory:", &db), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(db,
                         "CREATE TABLE t (k TEXT PRIMARY KEY, v TEXT);"
                         "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 5000)"
                         " INSERT INTO t SELECT 'k' || i, hex(randomblob(1 + i % 300)) FROM n;",
                         nullptr, nullptr, nullptr),
            SQLITE_OK);
  sqlite3_stmt *count = nullptr;
  ASSERT_EQ(sqlite3_prepare_v2(db, "SELECT count(*), sum(length(v)) FROM t", -1, &count, nullptr), SQLITE_OK);
  ASSERT_EQ(sqlite3_step(count), SQLITE_ROW);
  EXPECT_EQ(sqlite3_column_int(count, 0), 5000);
  long expected = 0;
  for (int i = 1; i <= 5000; ++i) expected += 2 * (1 + i % 300);
  EXPECT_EQ(sqlite3_column_int64(count, 1), expected);
  sqlite3_finalize(count);
  sqlite3_close(db);
}

}  // namespace
}  // namespace ordercare::store::sqlite
