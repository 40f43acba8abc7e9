#include "runtime/writer.h"

#include <algorithm>
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
    if (jobs[i].done) jobs[i].done(outcomes[i]);
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
  Run run{jobs, std::vector<std::exception_ptr>(jobs.size()), std::vector<bool>(jobs.size(), false)};
  for (std::size_t next = 0; next < jobs.size();) next = run_from(run, next);
}

bool Writer::take_promised(Run &run) {
  if (!more_jobs_ || run.jobs.empty() || !run.jobs.back().more_follows || run.stop_at != kNoStop) return false;
  run.jobs.back().more_follows = false;  // asked once
  if (!more_jobs_(run.jobs)) return false;
  run.outcomes.resize(run.jobs.size());
  run.failed_after_writing.resize(run.jobs.size(), false);
  return true;
}

std::size_t Writer::run_from(Run &run, std::size_t from) {
  std::vector<Job> &jobs = run.jobs;
  auto &outcomes = run.outcomes;
  std::size_t stop = std::min(jobs.size(), run.stop_at);
  try {
    store_.begin_batch();
  } catch (...) {
    // The store is unavailable (locked, unreachable, disk gone): every job
    // fails alike.
    for (std::size_t i = from; i < jobs.size(); ++i)
      if (!outcomes[i]) outcomes[i] = std::current_exception();
    report(jobs, from, jobs.size(), outcomes);
    return jobs.size();
  }
  JobContext context{store_};
  std::size_t end = stop;  // jobs[from, end) ran in this transaction
  for (std::size_t i = from;; ++i) {
    // The jobs the last one promised join this transaction.
    if (i == stop && take_promised(run)) end = stop = jobs.size();
    if (i >= stop) break;
    if (run.failed_after_writing[i]) continue;
    outcomes[i] = nullptr;  // a job run again has a new outcome
    bool contended = false;
    bool undone = true;
    try {
      store_.begin_job();
      try {
        jobs[i].work(context);
        store_.release_job();
      } catch (const store::Contended &) {
        undone = store_.rollback_job();
        contended = true;
      } catch (...) {
        outcomes[i] = std::current_exception();
        undone = store_.rollback_job();
      }
    } catch (...) {
      // The job's scope itself failed: the transaction is unusable.
      const auto failure = std::current_exception();
      for (std::size_t j = from; j < jobs.size(); ++j)
        if (!outcomes[j]) outcomes[j] = failure;
      rollback_quietly(store_);
      report(jobs, from, jobs.size(), outcomes);
      return jobs.size();
    }
    if (!undone && !contended && i > from) {
      // It failed after writing, which only the whole batch can undo: the
      // jobs around it run again, in a new transaction, without it.
      rollback_quietly(store_);
      run.failed_after_writing[i] = true;
      return from;
    }
    if (!undone && !contended) {
      // The first job: nothing else of the transaction to keep.
      rollback_quietly(store_);
      report(jobs, from, from + 1, outcomes);
      return from + 1;
    }
    if (!contended) continue;
    if (i > from) {
      // The jobs before it commit now; it starts the next batch. Its writes
      // are undone with the batch's, and the others run again.
      if (!undone) {
        rollback_quietly(store_);
        run.stop_at = i;
        return from;
      }
      end = i;
      break;
    }
    // The first job itself lost (the server broke a deadlock): nothing of
    // this transaction is worth keeping. Again, after a pause, a few times.
    rollback_quietly(store_);
    if (++run.lost_first_jobs <= kMaxLostFirstJobs) {
      back_off(run.lost_first_jobs);
      return from;
    }
    outcomes[from] = busy("store: another process or node kept working on the same subjects; try again");
    report(jobs, from, from + 1, outcomes);
    return from + 1;
  }
  try {
    store_.commit_batch();
  } catch (...) {
    // Nothing of this batch is durable: no job may be acknowledged.
    const auto failure = std::current_exception();
    for (std::size_t i = from; i < end; ++i)
      if (!outcomes[i]) outcomes[i] = failure;
    rollback_quietly(store_);
    report(jobs, from, end, outcomes);
    return end;
  }
  if (end == run.stop_at) run.stop_at = kNoStop;
  ++batches_;
  jobs_ += end - from;
  if (after_commit_) after_commit_(context.wake_host);
  for (std::size_t i = from; i < end; ++i) {
    if (outcomes[i] || !jobs[i].after_commit) continue;
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
