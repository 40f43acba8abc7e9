#include "store/queue_key.h"

#include <algorithm>

#include "domain/case_state_machine.h"

namespace ordercare::store {

std::int64_t queue_due_of(const domain::CaseRecord &c) {
  std::int64_t due = kNoDeadline;
  if (!c.first_response_at && c.first_response_due) due = std::min(due, *c.first_response_due);
  if (c.resolution_due) due = std::min(due, *c.resolution_due);
  // The SLA policy's other promises to the customer, while they run.
  for (const char *name : {"next_reply", "periodic_update", "internal_action"})
    if (const domain::CaseClock *clock = c.clock(name); clock && clock->running() && clock->due)
      due = std::min(due, *clock->due);
  return due;
}

bool awaits_warehouse(const domain::CaseRecord &c) {
  return domain::is_active(c.status) &&
         (c.status == domain::CaseStatus::waiting_warehouse || c.warehouse_asked_at.has_value());
}

QueueKey queue_key_of(const domain::CaseRecord &c) {
  return {std::string(domain::to_string(c.priority)), queue_due_of(c), c.opened_at, c.id};
}

}  // namespace ordercare::store
