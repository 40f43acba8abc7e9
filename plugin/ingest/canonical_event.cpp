#include "ingest/canonical_event.h"

#include "common/failure.h"
#include "ingest/event_validator.h"

namespace ordercare::ingest {

CanonicalEvent parse_canonical_event(std::string_view bytes, std::size_t max_bytes) {
  if (bytes.empty()) fail(OC_ERR_ARGUMENT, "event: empty input");
  if (bytes.size() > max_bytes)
    fail(OC_ERR_TOO_LARGE, "event: " + std::to_string(bytes.size()) + " bytes exceeds the limit of " +
                               std::to_string(max_bytes) + " (limits.max_event_bytes)");
  return canonical_event_from_json(parse_json(bytes, "event"));
}

CanonicalEvent canonical_event_from_json(Json body) {
  validate_event(body);
  CanonicalEvent event;
  event.id = body["id"].get<std::string>();
  event.type = body["type"].get<std::string>();
  event.source = body["source"].get<std::string>();
  if (auto it = body.find("store"); it != body.end() && it->is_string())
    event.store_id = it->get<std::string>();
  // The schema checked the format; this cannot fail for a valid event.
  auto occurred = parse_rfc3339(body["occurred_at"].get<std::string>());
  if (!occurred) fail(OC_ERR_SCHEMA, "occurred_at: expected an RFC 3339 date-time with offset");
  event.occurred_at = *occurred;
  event.body = std::move(body);
  return event;
}

}  // namespace ordercare::ingest
