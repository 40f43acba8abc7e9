// A canonical event (abi/events.schema.json) checked and parsed on the
// submitting thread, before it is handed to the single writer: size limit,
// UTF-8, JSON, schema. Whatever fails here is rejected with nothing written.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "common/json.h"
#include "common/time_format.h"

namespace ordercare::ingest {

struct CanonicalEvent {
  std::string id;
  std::string type;
  std::string source;
  std::optional<std::string> store_id;
  TimeMs occurred_at = 0;
  Json body;  // the whole event, unknown fields kept
};

// Throws Failure with OC_ERR_ARGUMENT (empty), OC_ERR_TOO_LARGE, OC_ERR_UTF8,
// OC_ERR_JSON, OC_ERR_UNKNOWN_TYPE or OC_ERR_SCHEMA.
CanonicalEvent parse_canonical_event(std::string_view bytes, std::size_t max_bytes);

// For events built inside the plugin (webhook mappers): validates and
// extracts the envelope of an already-parsed event.
CanonicalEvent canonical_event_from_json(Json body);

}  // namespace ordercare::ingest
