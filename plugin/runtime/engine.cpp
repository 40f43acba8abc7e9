#include "runtime/engine.h"

namespace ordercare::runtime {

Json to_json(const SubmitOutcome &outcome) {
  return Json{{"status", outcome.duplicate ? "duplicate" : "accepted"},
              {"event_id", outcome.event_id},
              {"cases", outcome.cases},
              {"effects", outcome.effects}};
}

SubmitOutcome Engine::ingest(JobContext &job, const ingest::CanonicalEvent &event, TimeMs now) {
  store::StoredEvent stored;
  stored.id = event.id;
  stored.type = event.type;
  stored.source = event.source;
  stored.store_id = event.store_id;
  stored.occurred_at = event.occurred_at;
  stored.received_at = now;
  stored.body = dump_json(event.body);
  SubmitOutcome outcome;
  outcome.event_id = event.id;
  outcome.duplicate = !job.store.events().append(stored);
  return outcome;
}

}  // namespace ordercare::runtime
