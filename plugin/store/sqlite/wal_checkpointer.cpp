#include "store/sqlite/wal_checkpointer.h"

#include <pthread.h>

#include "store/sqlite/sqlite_connection.h"

namespace ordercare::store::sqlite {

WalCheckpointer::WalCheckpointer(const std::string &path, int checkpoint_frames, int restart_frames)
    : checkpoint_frames_(checkpoint_frames),
      restart_frames_(restart_frames),
      db_(std::make_unique<SqliteConnection>(path)) {
  // The writer's connection is SQLite's last one to close, not this one,
  // so this one never removes the files by name.
  db_->keep_files_on_close();
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
    requested_ = true;
  }
  wanted_.notify_one();
}

int WalCheckpointer::checkpoints_run() const {
  std::lock_guard lock(mutex_);
  return checkpoints_run_;
}

void WalCheckpointer::run() {
  pthread_setname_np(pthread_self(), "oc-checkpoint");
  std::unique_lock lock(mutex_);
  for (;;) {
    wanted_.wait(lock, [&] { return requested_ || stopping_; });
    if (stopping_) return;
    requested_ = false;
    lock.unlock();
    try {
      db_->checkpoint_passive();
    } catch (...) {
      // The next commit past the threshold asks again; a store that cannot
      // be written fails the writer's own statements, where it is reported.
    }
    lock.lock();
    ++checkpoints_run_;
  }
}

}  // namespace ordercare::store::sqlite
