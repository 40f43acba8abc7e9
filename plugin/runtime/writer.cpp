#include "runtime/writer.h"

namespace ordercare::runtime {

namespace {

void report(std::vector<Job> &jobs, const std::vector<std::exception_ptr> &outcomes) {
  for (std::size_t i = 0; i < jobs.size(); ++i)
    if (jobs[i].done) jobs[i].done(outcomes[i]);
}

}  // namespace

void Writer::run_batch(std::vector<Job> &jobs) {
  std::vector<std::exception_ptr> outcomes(jobs.size());
  try {
    store_.begin_batch();
  } catch (...) {
    // The store is unavailable (locked, disk gone): every job fails alike.
    std::fill(outcomes.begin(), outcomes.end(), std::current_exception());
    report(jobs, outcomes);
    return;
  }
  JobContext context{store_};
  for (std::size_t i = 0; i < jobs.size(); ++i) {
    try {
      store_.begin_job();
      try {
        jobs[i].work(context);
        store_.release_job();
      } catch (...) {
        outcomes[i] = std::current_exception();
        store_.rollback_job();
      }
    } catch (...) {
      // The savepoint itself failed: the transaction is unusable.
      outcomes[i] = std::current_exception();
      for (std::size_t k = 0; k < jobs.size(); ++k)
        if (!outcomes[k]) outcomes[k] = outcomes[i];
      try {
        store_.rollback_batch();
      } catch (...) {
      }
      report(jobs, outcomes);
      return;
    }
  }
  try {
    store_.commit_batch();
  } catch (...) {
    // Nothing of this batch is durable: no job may be acknowledged.
    const auto failure = std::current_exception();
    for (auto &outcome : outcomes)
      if (!outcome) outcome = failure;
    try {
      store_.rollback_batch();
    } catch (...) {
    }
    report(jobs, outcomes);
    return;
  }
  ++batches_;
  jobs_ += jobs.size();
  if (after_commit_) after_commit_(context.wake_host);
  report(jobs, outcomes);
}

}  // namespace ordercare::runtime
