// Checks submitted events against the canonical event schema v1
// (abi/events.schema.json, compiled into the library).
#pragma once

#include <string>
#include <vector>

#include "common/json.h"

namespace ordercare::ingest {

// Throws Failure unless event conforms to schema v1:
// - OC_ERR_UNKNOWN_TYPE when "type" is a string that is not a v1 type
//   ("type: unknown event type 'x' (known: order.created, ...)");
// - OC_ERR_SCHEMA for any other violation, with the offending field's path
//   ("data.items[2].quantity: expected an integer from 1 to 1000000", or
//   "(root): expected a JSON object"); and, beyond what a schema can say,
//   for an order whose lines are worth more than kMaxAmount together
//   (common/value_ranges.h): "data.order.items: the lines are worth ...".
// Fields the schema does not name are allowed and left alone. The schema is
// compiled on first use; any thread may call this, concurrently.
void validate_event(const Json &event);

// The event types of schema v1, in the schema's order.
const std::vector<std::string> &known_event_types();

}  // namespace ordercare::ingest
