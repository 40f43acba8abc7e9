// WAL checkpoints on a thread of their own (store/sqlite/wal_checkpointer.h):
// the thread copies the WAL back while the writer keeps committing, the
// writer's own checkpoint between batches lets the WAL start over, so the
// file stays bounded under a load that never pauses, and nothing committed
// is lost to either.
#include "store/sqlite/wal_checkpointer.h"

#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <string>
#include <thread>

#include "store/sqlite/sqlite_connection.h"
#include "support/temp_dir.h"

namespace ordercare::store::sqlite {
namespace {

using ordercare::testing::TempDir;

constexpr int kPageBytes = 4096;

// A writer connection on a WAL store with one table, its commits reported
// to `checkpointer`, as SqliteStore wires them.
struct Store {
  explicit Store(const std::string &path) : db(path) {
    db.exec("PRAGMA journal_mode=WAL");
    db.exec("PRAGMA page_size=4096");
    db.exec("CREATE TABLE IF NOT EXISTS rows (id INTEGER PRIMARY KEY, body TEXT NOT NULL)");
  }

  // A batch: `rows` rows of about a page each in one transaction, after the
  // writer's own checkpoint when one is due (SqliteStore::begin_batch).
  void commit_batch(WalCheckpointer &checkpointer, int rows) {
    if (checkpointer.restart_due()) checkpointer.checkpoint_for_restart(db);
    db.exec("BEGIN IMMEDIATE");
    checkpointer.on_batch_begins();
    for (int i = 0; i < rows; ++i)
      db.exec("INSERT INTO rows (body) VALUES (hex(randomblob(1800)))");
    db.exec("COMMIT");
  }

  long count() {
    auto select = db.prepare("SELECT count(*) FROM rows");
    select->step();
    return static_cast<long>(select->column_int(0));
  }

  SqliteConnection db;
};

// Whether `holds()` is true by `within` from now, looked at every 5 ms.
template <class Condition>
bool holds_within(std::chrono::milliseconds within, Condition holds) {
  const auto deadline = std::chrono::steady_clock::now() + within;
  while (!holds() && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  return holds();
}

// Whether the thread has run `count` checkpoints by `within` from now.
bool checkpoints_reach(const WalCheckpointer &checkpointer, int count, std::chrono::milliseconds within) {
  return holds_within(within, [&] { return checkpointer.checkpoints_run() >= count; });
}

TEST(WalCheckpointer, CopiesTheWalOnItsOwnThreadAndKeepsItBoundedUnderSteadyCommits) {
  TempDir dir;
  const std::string path = dir.file("store.db");
  Store store(path);
  // Small thresholds, so a test-sized load crosses them many times.
  WalCheckpointer checkpointer(path, /*checkpoint_frames=*/50, /*restart_frames=*/400);
  store.db.on_wal_commit([&](int frames) { checkpointer.on_commit(frames); });
  std::uintmax_t largest_wal = 0;
  for (int batch = 0; batch < 120; ++batch) {
    store.commit_batch(checkpointer, 20);
    largest_wal = std::max(largest_wal, std::filesystem::file_size(path + "-wal"));
  }
  store.db.on_wal_commit(nullptr);
  EXPECT_GT(checkpointer.checkpoints_run(), 0) << "the thread never checkpointed";
  // 2,400 rows of about a page each went through, about 21 frames a batch;
  // the WAL never held more than the restart threshold and the batch that
  // crossed it (SQLite's automatic checkpoint is off). A writer whose
  // checkpoint gave up whenever it met the thread's let it reach 430 to 980
  // frames in nine runs of ten.
  EXPECT_LE(largest_wal, std::uintmax_t{400 + 60} * (kPageBytes + 24))
      << "the WAL grew past its restart threshold: " << largest_wal << " bytes";
  EXPECT_EQ(store.count(), 120 * 20);
}

// The writer never checkpoints here (its restart threshold is out of reach),
// so only the thread can have copied pages into the database file. A
// connection that has not read the store yet does not know it is in WAL
// mode, and SQLite's checkpoint on it does nothing at all: OK, -1 frames.
TEST(WalCheckpointer, TheThreadItselfCopiesPagesIntoTheDatabaseFile) {
  TempDir dir;
  const std::string path = dir.file("store.db");
  Store store(path);
  WalCheckpointer checkpointer(path, /*checkpoint_frames=*/50, /*restart_frames=*/1 << 30);
  store.db.on_wal_commit([&](int frames) { checkpointer.on_commit(frames); });
  for (int batch = 0; batch < 10; ++batch) store.commit_batch(checkpointer, 20);
  const std::uintmax_t copied_at_least = std::uintmax_t{150} * kPageBytes;
  holds_within(std::chrono::seconds(10), [&] { return std::filesystem::file_size(path) >= copied_at_least; });
  EXPECT_GE(std::filesystem::file_size(path), copied_at_least)
      << "200 rows of about a page each were committed, yet the thread copied none into the file";
  store.db.on_wal_commit(nullptr);
  EXPECT_EQ(store.count(), 10 * 20);
}

// The commit is when the writer answers the threads whose events it holds:
// the thread leaves the CPUs to them, and starts once the writer begins
// its next batch.
TEST(WalCheckpointer, ACheckpointAskedForAtACommitStartsWhenTheWriterBeginsItsNextBatch) {
  TempDir dir;
  const std::string path = dir.file("store.db");
  Store store(path);
  WalCheckpointer checkpointer(path, /*checkpoint_frames=*/10, /*restart_frames=*/1 << 30, std::chrono::hours(1));
  store.db.on_wal_commit([&](int frames) { checkpointer.on_commit(frames); });
  store.commit_batch(checkpointer, 20);
  EXPECT_FALSE(checkpoints_reach(checkpointer, 1, std::chrono::milliseconds(300)))
      << "the thread checkpointed at the commit, beside the threads the writer was answering";

  store.db.exec("BEGIN IMMEDIATE");
  checkpointer.on_batch_begins();
  EXPECT_TRUE(checkpoints_reach(checkpointer, 1, std::chrono::seconds(10)))
      << "the writer began its next batch, yet the thread did not start";
  store.db.exec("COMMIT");
  store.db.on_wal_commit(nullptr);
}

// A store no batch follows is checkpointed all the same, `hold_off` after
// its last commit.
TEST(WalCheckpointer, WithNoBatchFollowingTheCheckpointStartsAfterTheHoldOff) {
  TempDir dir;
  const std::string path = dir.file("store.db");
  Store store(path);
  WalCheckpointer checkpointer(path, /*checkpoint_frames=*/10, /*restart_frames=*/1 << 30,
                               std::chrono::milliseconds(50));
  store.db.on_wal_commit([&](int frames) { checkpointer.on_commit(frames); });
  store.commit_batch(checkpointer, 20);
  EXPECT_TRUE(checkpoints_reach(checkpointer, 1, std::chrono::seconds(10)))
      << "no batch followed the commit, and the thread never started";
  EXPECT_GE(std::filesystem::file_size(path), std::uintmax_t{20} * kPageBytes);
  store.db.on_wal_commit(nullptr);
}

TEST(WalCheckpointer, WhatItCopiedIsInTheDatabaseFileForANewConnection) {
  TempDir dir;
  const std::string path = dir.file("store.db");
  {
    Store store(path);
    WalCheckpointer checkpointer(path, 10, 100);
    store.db.on_wal_commit([&](int frames) { checkpointer.on_commit(frames); });
    for (int batch = 0; batch < 30; ++batch) store.commit_batch(checkpointer, 10);
    store.db.on_wal_commit(nullptr);
  }
  // The writer was SQLite's last connection: it checkpointed the rest and
  // removed the WAL as it closed.
  EXPECT_FALSE(std::filesystem::exists(path + "-wal"));
  Store reopened(path);
  EXPECT_EQ(reopened.count(), 300);
}

}  // namespace
}  // namespace ordercare::store::sqlite
