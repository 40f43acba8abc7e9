// The single store writer of a process: runs a batch of jobs in one
// transaction, each in its own nested scope, commits once, and only then
// reports to each job.
//
// On a store that several nodes write at once (PostgreSQL), a job that
// would have to wait for a subject another transaction holds (Contended)
// ends the batch early: the jobs before it commit and are reported, and it
// runs first in the next transaction, where it may wait. A first job that
// still loses (a deadlock the server broke) runs again, a few times.
#pragma once

#include <cstdint>
#include <functional>
#include <vector>

#include "runtime/job.h"

namespace ordercare::runtime {

class Writer {
 public:
  // `after_commit(wake_host)` runs after every committed batch.
  Writer(store::Store &store, std::function<void(bool wake_host)> after_commit)
      : store_(store), after_commit_(std::move(after_commit)) {}

  void run_batch(std::vector<Job> &jobs);

  std::uint64_t batches() const { return batches_; }
  std::uint64_t jobs() const { return jobs_; }

 private:
  // Runs jobs[from..] in one transaction and reports those it finished;
  // returns where the next transaction starts (jobs.size() when done).
  std::size_t run_from(std::vector<Job> &jobs, std::size_t from, int &lost_first_jobs);

  store::Store &store_;
  std::function<void(bool)> after_commit_;
  std::uint64_t batches_ = 0;
  std::uint64_t jobs_ = 0;
};

}  // namespace ordercare::runtime
