// Where an event meets the store on the plugin thread: appended to the log
// (deduplicated by id) and, with the state it touches, handed to the domain;
// the changes and effects the domain returns are written in the same job.
#pragma once

#include <string>
#include <vector>

#include "common/json.h"
#include "ingest/canonical_event.h"
#include "runtime/job.h"

namespace ordercare::runtime {

struct SubmitOutcome {
  bool duplicate = false;
  std::string event_id;
  std::vector<std::string> cases;    // case ids touched
  std::vector<std::string> effects;  // effect ids queued
};

Json to_json(const SubmitOutcome &outcome);

class Engine {
 public:
  SubmitOutcome ingest(JobContext &job, const ingest::CanonicalEvent &event, TimeMs now);
};

}  // namespace ordercare::runtime
