// Copies the WAL back into the database file on a thread of its own.
//
// SQLite's automatic checkpoint runs inside the COMMIT that crosses its
// threshold: that commit copies a thousand pages or more into the database
// file and waits for two more fsyncs (the WAL's, the file's) before the
// writer may acknowledge anything. Measured on a 512-event batch, a batch
// writes more than the threshold, so nearly every commit paid for it.
// Here the writer's connection only reports the WAL's size after each
// commit (on_commit); past `checkpoint_frames` this thread runs a PASSIVE
// checkpoint on a connection of its own, which neither waits for nor
// blocks the writer. A commit then waits for its own WAL sync alone.
//
// It does not start at the commit itself: that is when the writer answers
// the host threads whose events it committed, and one woken then found the
// CPU it woke on taken by this thread's copying, for 2-3 ms in which the
// writer had nothing to do (perf sched, events_bench, oc_submit_batch).
// It starts when the writer begins its next batch (on_batch_begins), by
// when those threads are running, or `hold_off` after the commit if no
// batch follows.
//
// A checkpoint that ran while the writer kept appending does not let the
// WAL start over from its beginning: SQLite restarts it only when a write
// transaction begins with every frame copied. Under a load that never
// pauses the file would grow without bound, so once it holds
// `restart_frames` the writer checkpoints itself between two batches
// (restart_due, then checkpoint_for_restart): by then this thread has
// copied all but the last commits' frames, so that costs the writer
// little, and its next BEGIN starts the WAL over. The writer's checkpoint
// waits for the one this thread is running and holds off the next: a
// writer that gave up whenever it met this thread's would, under steady
// commits, seldom see the WAL start over.
//
// Durability is unchanged: every commit still syncs the WAL before it
// returns; what a checkpoint copies was durable already.
#pragma once

#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

namespace ordercare::store::sqlite {

class SqliteConnection;

class WalCheckpointer {
 public:
  // SQLite's own automatic checkpoint threshold, in frames (pages).
  static constexpr int kCheckpointFrames = 1000;
  // About 64 MiB of WAL at 4 KiB pages. Each restart costs the writer one
  // batch's checkpoint (about 16 ms after a 512-event oc_submit_batch of
  // 2,000 frames): at 8,000 frames that was 14 restarts and 5% of the row,
  // at 16,000 it is 7 (events_bench).
  static constexpr int kRestartFrames = 16000;
  // Longer than the pause between two oc_submit_batch calls of one host
  // thread (well under a millisecond), short next to a checkpoint.
  static constexpr std::chrono::milliseconds kHoldOff{20};
  // The thread's name (tests/bench/wal_syncs.cpp tells its syncs by it).
  static constexpr const char *kThreadName = "oc-checkpoint";

  // Opens a second connection to the store at `path` (an existing WAL
  // store) and starts the thread. Throws Failure(OC_ERR_STORE) if either
  // cannot be made.
  explicit WalCheckpointer(const std::string &path, int checkpoint_frames = kCheckpointFrames,
                           int restart_frames = kRestartFrames, std::chrono::milliseconds hold_off = kHoldOff);
  // Stops the thread (after the checkpoint it is running, if any) and closes
  // its connection, which leaves the WAL and shared-memory files in place
  // for the writer's connection to remove as SQLite's last one.
  ~WalCheckpointer();
  WalCheckpointer(const WalCheckpointer &) = delete;
  WalCheckpointer &operator=(const WalCheckpointer &) = delete;

  // The writer committed and the WAL holds `wal_frames` frames. Writer's
  // thread only.
  void on_commit(int wal_frames);
  // The writer begins its next batch: a checkpoint asked for since starts
  // now. Writer's thread only.
  void on_batch_begins();
  // Whether the writer should checkpoint itself before its next batch.
  // Writer's thread only.
  bool restart_due() const { return wal_frames_ >= restart_frames_; }
  // The writer's own checkpoint on `writer`, its connection, between two
  // batches, once this thread has finished the checkpoint it is running;
  // this thread starts none meanwhile. False if yet another connection (a
  // process of its own) was checkpointing. Throws as
  // SqliteConnection::checkpoint_passive does. Writer's thread only.
  bool checkpoint_for_restart(SqliteConnection &writer);

  // Checkpoints this thread has completed or attempted, for tests.
  int checkpoints_run() const;

 private:
  void run();

  const int checkpoint_frames_;
  const int restart_frames_;
  const std::chrono::milliseconds hold_off_;
  int wal_frames_ = 0;  // as the writer's last commit left it
  std::unique_ptr<SqliteConnection> db_;

  mutable std::mutex mutex_;
  std::condition_variable wanted_;
  bool requested_ = false;
  std::chrono::steady_clock::time_point requested_at_;
  bool writer_went_on_ = false;  // began a batch since requested_
  bool stopping_ = false;
  bool checkpointing_ = false;       // this thread, now
  bool writer_checkpoints_ = false;  // the writer, now: this thread waits
  std::condition_variable idle_;     // checkpointing_ went false
  int checkpoints_run_ = 0;
  std::thread thread_;
};

}  // namespace ordercare::store::sqlite
