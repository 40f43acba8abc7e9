#include "store/sqlite/wal_checkpointer.h"

#include <pthread.h>

#include "store/sqlite/sqlite_connection.h"

namespace ordercare::store::sqlite {

WalCheckpointer::WalCheckpointer(const std::string &path, int checkpoint_frames, int restart_frames,
                                 std::chrono::milliseconds hold_off)
    : checkpoint_frames_(checkpoint_frames),
      restart_frames_(restart_frames),
      hold_off_(hold_off),
      db_(std::make_unique<SqliteConnection>(path)) {
  // The writer's connection is SQLite's last one to close, not this one,
  // so this one never removes the files by name.
  db_->keep_files_on_close();
  // A connection learns that the store is in WAL mode, and opens the WAL,
  // only when it first reads: until then SQLite's checkpoint on it does
  // nothing and says so only by reporting -1 frames, with SQLITE_OK.
  db_->exec("SELECT count(*) FROM sqlite_schema");
  thread_ = std::thread([this] { run(); });
}

WalCheckpointer::~WalCheckpointer() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wanted_.notify_one();
  thread_.join();
}

void WalCheckpointer::on_commit(int wal_frames) {
  wal_frames_ = wal_frames;
  if (wal_frames < checkpoint_frames_) return;
  {
    std::lock_guard lock(mutex_);
    // Asked already: the thread waits with its time to start at the latest.
    if (requested_) return;
    requested_ = true;
    requested_at_ = std::chrono::steady_clock::now();
  }
  // Only for the thread to note when to start at the latest: it sleeps again at once.
  wanted_.notify_one();
}

void WalCheckpointer::on_batch_begins() {
  {
    std::lock_guard lock(mutex_);
    if (!requested_ || writer_went_on_) return;
    writer_went_on_ = true;
  }
  wanted_.notify_one();
}

bool WalCheckpointer::checkpoint_for_restart(SqliteConnection &writer) {
  {
    std::unique_lock lock(mutex_);
    writer_checkpoints_ = true;
    idle_.wait(lock, [&] { return !checkpointing_; });
  }
  struct LetTheThreadGoOn {
    WalCheckpointer *self;
    ~LetTheThreadGoOn() {
      // The writer's checkpoint copied what the thread was asked for; the
      // next commit past the threshold asks again.
      std::lock_guard lock(self->mutex_);
      self->writer_checkpoints_ = false;
      self->requested_ = false;
      self->writer_went_on_ = false;
    }
  } let_it_go_on{this};
  return writer.checkpoint_passive();
}

int WalCheckpointer::checkpoints_run() const {
  std::lock_guard lock(mutex_);
  return checkpoints_run_;
}

void WalCheckpointer::run() {
  pthread_setname_np(pthread_self(), kThreadName);
  std::unique_lock lock(mutex_);
  for (;;) {
    if (stopping_) return;
    if (!requested_ || writer_checkpoints_) {
      wanted_.wait(lock);
      continue;
    }
    const auto latest = requested_at_ + hold_off_;
    if (!writer_went_on_ && std::chrono::steady_clock::now() < latest) {
      wanted_.wait_until(lock, latest);
      continue;
    }
    requested_ = false;
    writer_went_on_ = false;
    checkpointing_ = true;
    lock.unlock();
    try {
      db_->checkpoint_passive();
    } catch (...) {
      // The next commit past the threshold asks again; a store that cannot
      // be written fails the writer's own statements, where it is reported.
    }
    lock.lock();
    checkpointing_ = false;
    ++checkpoints_run_;
    idle_.notify_all();
  }
}

}  // namespace ordercare::store::sqlite
