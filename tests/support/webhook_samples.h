// The recorded platform deliveries under tests/data/webhooks/<platform>/,
// for the mapper tests: read as bytes (a signature covers them exactly)
// or as JSON, and a check that every event a delivery maps to is valid.
#pragma once

#include <string>

#include "common/json.h"
#include "ingest/mapped_events.h"

namespace ordercare::testing {

// The file's bytes; throws if it cannot be read.
std::string read_webhook_sample(const std::string &platform, const std::string &name);
Json webhook_sample_json(const std::string &platform, const std::string &name);

// `mapped`, once each of its events has passed the event validator (a
// failure is a test failure, not an exception).
ingest::MappedEvents validated(ingest::MappedEvents mapped);

}  // namespace ordercare::testing
