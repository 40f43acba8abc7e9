// A unit of work for the plugin thread. Jobs posted from any thread are run
// in batches inside one store transaction (group commit); each job has its
// own nested scope, so a failing job changes nothing and does not disturb
// the others. `done` runs on the plugin thread after the batch committed,
// with the job's failure (or the commit's) or nullptr; a job's own
// `after_commit` before it.
#pragma once

#include <exception>
#include <functional>

#include "store/store.h"

namespace ordercare::runtime {

struct JobContext {
  store::Store &store;
  bool wake_host = false;  // set by a job that made host work due
};

struct Job {
  std::function<void(JobContext &)> work;
  std::function<void(std::exception_ptr)> done;
  // Optional: runs on the plugin thread once the job's batch committed,
  // outside any transaction and before `done`, if the job succeeded. It
  // must not throw.
  std::function<void(store::Store &)> after_commit;
  // Set on the last job of a slice when its poster is about to queue more
  // (an oc_submit_batch handing its events over a slice at a time, so the
  // writer starts on the first while the host's thread checks the next):
  // the writer waits a moment for them before it commits, so the whole
  // call shares one transaction.
  bool more_follows = false;
};

}  // namespace ordercare::runtime
