// privacy.requested: what a shop passes on under data protection law
// (Shopify's mandatory privacy webhooks). It is carried out against the
// store, not decided by the domain: an erasure destroys keys the way
// customer.erase does, and an export reads everything held about a
// customer, which no case snapshot holds.
#pragma once

#include "domain/case_engine.h"
#include "runtime/engine.h"
#include "runtime/job.h"

namespace ordercare::runtime {

// Plugin thread, inside the event's job. Returns true when a customer was
// erased: the caller scrubs the store's files once the job committed.
bool carry_out_privacy_request(JobContext &job, Engine &engine, const domain::EventView &view,
                               std::optional<std::int64_t> event_seq, TimeMs now, SubmitOutcome &outcome);

}  // namespace ordercare::runtime
