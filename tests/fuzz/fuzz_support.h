// Shared by the libFuzzer targets: turning bytes into a delivery, and the
// properties every mapper output must keep whatever the input.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <string_view>

#include "common/failure.h"
#include "common/json.h"
#include "ingest/event_validator.h"
#include "ingest/mapped_events.h"

namespace ordercare::fuzz {

inline std::string_view as_text(const std::uint8_t *data, std::size_t size) {
  return {reinterpret_cast<const char *>(data), size};
}

// Parses like the server will; nullopt for bytes that are not JSON (a
// rejection the server answers with 400, not something to map).
inline std::optional<Json> parse_body(std::string_view body) {
  try {
    return parse_json(body, "payload");
  } catch (const Failure &) {
    return std::nullopt;
  }
}

// A mapper may refuse a payload only with OC_ERR_SCHEMA; whatever it maps
// must be a valid canonical event that serializes, and an empty result must
// say why. Anything else aborts, which libFuzzer reports.
template <typename Map>
void check_mapper(Map &&map) {
  ingest::MappedEvents mapped;
  try {
    mapped = map();
  } catch (const Failure &f) {
    if (f.status() != OC_ERR_SCHEMA) std::abort();
    return;
  }
  if (mapped.events.empty() && mapped.reason.empty()) std::abort();
  for (const Json &event : mapped.events) {
    try {
      ingest::validate_event(event);
      (void)dump_json(event);
    } catch (const std::exception &e) {
      std::fprintf(stderr, "mapped event breaks the contract: %s\n%s\n", e.what(),
                   event.dump(-1, ' ', true, Json::error_handler_t::replace).c_str());
      std::abort();
    }
  }
}

}  // namespace ordercare::fuzz
