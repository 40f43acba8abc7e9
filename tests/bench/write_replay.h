// Raw SQLite replaying the writes ordercare made (recorded_writes.h): a
// copy of the store file ordercare made before any event (same schema,
// same indexes, same rows), opened with sqlite3 alone and the pragmas of
// ordercare's connection (WAL, synchronous=FULL, foreign_keys,
// secure_delete, the busy timeout), every statement prepared once before
// the clock starts; then each event's kept writes, the same statements
// with the same values, in transactions (BEGIN IMMEDIATE .. COMMIT) of a
// given number of events.
#pragma once

#include <sqlite3.h>

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "bench/recorded_writes.h"

namespace ordercare::bench {

struct ReplayResult {
  std::size_t events = 0, commits = 0, writes = 0;
  std::size_t failed_writes = 0;  // constraint failures and the like, as ordercare met them too
  std::string first_failure;
  double seconds = 0;
};

class WriteReplay {
 public:
  // Copies recording.template_path to `path`. With `checkpoints` false,
  // the WAL only grows (wal_autocheckpoint = 0), so its size tells what
  // each commit wrote.
  WriteReplay(const Recording &recording, const std::string &path, bool checkpoints = true);
  ~WriteReplay();
  WriteReplay(const WriteReplay &) = delete;
  WriteReplay &operator=(const WriteReplay &) = delete;

  // Replays events [0, n) in order, `per_transaction` to a commit, until
  // all are done or `budget_seconds` passed (checked between
  // transactions). `after_commit(first, end)` runs after each commit,
  // outside the time.
  ReplayResult run(std::size_t per_transaction, double budget_seconds,
                   const std::function<void(std::size_t first, std::size_t end)> &after_commit = {});

  std::int64_t wal_bytes() const;
  int page_size() const { return page_size_; }

 private:
  void exec(const char *sql);

  const Recording &recording_;
  std::string path_;
  sqlite3 *db_ = nullptr;
  std::vector<sqlite3_stmt *> statements_;  // recording_.statements, prepared
  int page_size_ = 4096;
};

}  // namespace ordercare::bench
