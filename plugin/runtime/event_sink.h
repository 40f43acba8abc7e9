// What the webhook server needs from the plugin, on the server's own
// thread: write events through the single writer (on the plugin thread)
// without blocking its loop, look at the store for /healthz and /metrics,
// and tell the time. The Plugin implements it; tests and the fuzz target
// use their own.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "common/time_format.h"
#include "ingest/canonical_event.h"
#include "ordercare.h"
#include "runtime/engine.h"

namespace ordercare::runtime {

// The result of writing one delivery's events: OC_OK with an outcome per
// event, in order, or the status and message of the failure (nothing of the
// delivery was written).
struct SubmitResult {
  oc_status status = OC_OK;
  std::string message;
  std::vector<SubmitOutcome> outcomes;
};

struct StoreProbe {
  bool reachable = false;
  std::string error;                                   // why not, when not
  std::map<std::string, std::int64_t> outbox_by_status;  // pending, in_flight, done, failed
  std::int64_t breached_cases = 0;                       // active cases past an SLA deadline
};

class EventSink {
 public:
  using SubmitDone = std::function<void(SubmitResult)>;
  using ProbeDone = std::function<void(StoreProbe)>;

  virtual ~EventSink() = default;

  // Server thread. Writes every event of `events` in one job of the
  // writer's next group commit; `done` runs back on the server thread once
  // that commit is durable (or failed), possibly before this returns when
  // the plugin is closing. While the server is stopping, `done` may be
  // dropped without running (its connection is going away); it is then
  // destroyed on another thread, so it must own what it holds, or hold it
  // weakly (HttpSession::Respond does).
  virtual void submit_async(std::vector<ingest::CanonicalEvent> events, SubmitDone done) = 0;
  // Server thread. Reads the store in a job; `done` as above.
  virtual void probe_async(ProbeDone done) = 0;
  // Any thread. Now, for signature timestamps.
  virtual TimeMs sink_now() const = 0;
};

}  // namespace ordercare::runtime
