// Which fields of a canonical event are customer PII (names, contact
// details, addresses, free text), by event type. The event log keeps the
// rest of the event as it arrived and seals these apart, so erasing a
// customer leaves the event, minus their PII, for audit and metrics.
#pragma once

#include "common/json.h"

namespace ordercare::store {

// Moves the PII fields out of `event` (a whole canonical event) and returns
// them as {"<json pointer>": value}; {} if the event has none.
Json extract_event_pii(Json &event);

// Puts back what extract_event_pii took out.
void restore_event_pii(Json &event, const Json &pii);

}  // namespace ordercare::store
