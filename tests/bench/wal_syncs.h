// How many commits a run made, from outside the library: this program
// defines fsync and fdatasync (exported, so the dlopen()ed libordercare.so
// binds to them too) and counts the calls on SQLite WAL and database files
// before passing them on. In WAL mode with synchronous=FULL each commit
// that wrote syncs the WAL once (one that wrote nothing, a duplicate's,
// syncs nothing); each checkpoint syncs the WAL, then the database, and
// the next commit, writing the WAL anew from its start, syncs its header
// once more. The syncs of the store's checkpoint thread (oc-checkpoint)
// are not counted: only the writer's own checkpoint lets the WAL start
// over.
#pragma once

#include <cstdint>

namespace ordercare::bench {

struct SyncCounts {
  std::uint64_t wal = 0;       // fsync/fdatasync of a "*-wal" file
  std::uint64_t database = 0;  // of any other regular file (a checkpoint's second sync)
  double wal_seconds = 0;      // spent in the WAL's syncs, all threads together

  // Commits that wrote, give or take the header sync of a WAL's first
  // commit.
  std::uint64_t commits() const { return wal > 2 * database ? wal - 2 * database : 0; }
  SyncCounts operator-(const SyncCounts &earlier) const {
    return {wal - earlier.wal, database - earlier.database, wal_seconds - earlier.wal_seconds};
  }
  // What one WAL sync took, on average: the floor under any commit.
  double seconds_per_wal_sync() const { return wal ? wal_seconds / static_cast<double>(wal) : 0; }
};

// Since the process started, every thread.
SyncCounts sync_counts();

}  // namespace ordercare::bench
