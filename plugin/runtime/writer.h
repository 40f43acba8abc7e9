// The single store writer: runs a batch of jobs in one transaction, each in
// its own nested scope, commits once, and only then reports to each job.
#pragma once

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
  store::Store &store_;
  std::function<void(bool)> after_commit_;
  std::uint64_t batches_ = 0;
  std::uint64_t jobs_ = 0;
};

}  // namespace ordercare::runtime
