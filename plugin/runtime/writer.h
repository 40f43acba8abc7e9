// The single store writer of a process: runs a batch of jobs in one
// transaction, each in its own scope, commits once, and only then reports
// to each job. A job that fails alone leaves its neighbours' work intact:
// if it failed before writing (the usual case: bad input, an unknown id)
// nothing needs undoing; if it wrote first, the store can undo that only
// with the whole transaction, so the batch rolls back and its other jobs
// run again without it (jobs may run more than once before they commit).
//
// On a store that several nodes write at once (PostgreSQL), a job that
// would have to wait for a subject another transaction holds (Contended)
// ends the batch early: the jobs before it commit and are reported, and it
// runs first in the next transaction, where it may wait. A first job that
// still loses (a deadlock the server broke) runs again, a few times.
#pragma once

#include <cstdint>
#include <exception>
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

  // Where a batch whose last job says more_follows gets the jobs that
  // follow: appends what came (waiting a moment) and says whether any did.
  using MoreJobs = std::function<bool(std::vector<Job> &)>;
  void set_more_jobs(MoreJobs more) { more_jobs_ = std::move(more); }

  std::uint64_t batches() const { return batches_; }
  std::uint64_t jobs() const { return jobs_; }

 private:
  static constexpr std::size_t kNoStop = static_cast<std::size_t>(-1);

  // One run_batch: each job's outcome so far, and what the transactions
  // that were rolled back taught.
  struct Run {
    std::vector<Job> &jobs;
    std::vector<std::exception_ptr> outcomes;
    std::vector<bool> failed_after_writing;  // settled: not run again
    std::size_t stop_at = kNoStop;           // a job that must start the next transaction
    int lost_first_jobs = 0;                 // deadlocks the first job lost
  };

  // Runs jobs[from..] in one transaction and reports those it finished;
  // returns where the next transaction starts (jobs.size() when done).
  std::size_t run_from(Run &run, std::size_t from);
  // Appends the jobs the last one promised, if it did; false if none came.
  bool take_promised(Run &run);

  store::Store &store_;
  std::function<void(bool)> after_commit_;
  MoreJobs more_jobs_;
  std::uint64_t batches_ = 0;
  std::uint64_t jobs_ = 0;
};

}  // namespace ordercare::runtime
