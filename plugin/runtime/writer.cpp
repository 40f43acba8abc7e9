#include "runtime/writer.h"

#include <chrono>
#include <random>
#include <thread>

#include "common/failure.h"

namespace ordercare::runtime {

namespace {

// How often a batch's first job may lose a deadlock before it fails busy.
constexpr int kMaxLostFirstJobs = 8;

void report(std::vector<Job> &jobs, std::size_t from, std::size_t to,
            const std::vector<std::exception_ptr> &outcomes) {
  for (std::size_t i = from; i < to; ++i)
    if (jobs[i].done) jobs[i].done(outcomes[i - from]);
}

std::exception_ptr busy(const std::string &message) { return std::make_exception_ptr(Failure(OC_ERR_BUSY, message)); }

// Two nodes that broke each other's deadlock must not meet again at once.
void back_off(int attempt) {
  thread_local std::minstd_rand random(std::random_device{}());
  const int most = 2 << std::min(attempt, 6);
  std::this_thread::sleep_for(std::chrono::milliseconds(1 + static_cast<int>(random() % most)));
}

void rollback_quietly(store::Store &store) {
  try {
    store.rollback_batch();
  } catch (...) {
  }
}

}  // namespace

void Writer::run_batch(std::vector<Job> &jobs) {
  int lost_first_jobs = 0;
  for (std::size_t next = 0; next < jobs.size();) next = run_from(jobs, next, lost_first_jobs);
}

std::size_t Writer::run_from(std::vector<Job> &jobs, std::size_t from, int &lost_first_jobs) {
  const std::size_t count = jobs.size() - from;
  std::vector<std::exception_ptr> outcomes(count);
  try {
    store_.begin_batch();
  } catch (...) {
    // The store is unavailable (locked, unreachable, disk gone): every job
    // fails alike.
    std::fill(outcomes.begin(), outcomes.end(), std::current_exception());
    report(jobs, from, jobs.size(), outcomes);
    return jobs.size();
  }
  JobContext context{store_};
  std::size_t end = jobs.size();  // jobs[from, end) ran in this transaction
  for (std::size_t i = from; i < jobs.size(); ++i) {
    bool contended = false;
    try {
      store_.begin_job();
      try {
        jobs[i].work(context);
        store_.release_job();
      } catch (const store::Contended &) {
        store_.rollback_job();
        contended = true;
      } catch (...) {
        outcomes[i - from] = std::current_exception();
        store_.rollback_job();
      }
    } catch (...) {
      // The savepoint itself failed: the transaction is unusable.
      const auto failure = std::current_exception();
      for (auto &outcome : outcomes)
        if (!outcome) outcome = failure;
      rollback_quietly(store_);
      report(jobs, from, jobs.size(), outcomes);
      return jobs.size();
    }
    if (!contended) continue;
    if (i > from) {
      end = i;  // the jobs before it commit now; it starts the next batch
      break;
    }
    // The first job itself lost (the server broke a deadlock): nothing of
    // this transaction is worth keeping. Again, after a pause, a few times.
    rollback_quietly(store_);
    if (++lost_first_jobs <= kMaxLostFirstJobs) {
      back_off(lost_first_jobs);
      return from;
    }
    outcomes[0] = busy("store: another process or node kept working on the same subjects; try again");
    report(jobs, from, from + 1, outcomes);
    return from + 1;
  }
  try {
    store_.commit_batch();
  } catch (...) {
    // Nothing of this batch is durable: no job may be acknowledged.
    const auto failure = std::current_exception();
    for (auto &outcome : outcomes)
      if (!outcome) outcome = failure;
    rollback_quietly(store_);
    report(jobs, from, end, outcomes);
    return end;
  }
  ++batches_;
  jobs_ += end - from;
  if (after_commit_) after_commit_(context.wake_host);
  for (std::size_t i = from; i < end; ++i) {
    if (outcomes[i - from] || !jobs[i].after_commit) continue;
    try {
      jobs[i].after_commit(store_);
    } catch (...) {
      // Committed all the same: what it did is the job's.
    }
  }
  report(jobs, from, end, outcomes);
  return end;
}

}  // namespace ordercare::runtime
