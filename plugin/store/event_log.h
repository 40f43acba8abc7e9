// The append-only log of canonical events, deduplicated by id: what was
// acknowledged, kept as it arrived (minus the sealed PII), so state can be
// rebuilt and audited.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/json.h"
#include "common/time_format.h"
#include "store/personal_fields.h"

namespace ordercare::store {

// One canonical event as kept in the append-only log.
struct StoredEvent {
  std::int64_t seq = 0;  // assigned by the store, increasing
  std::string id;
  std::string type;
  std::string source;
  std::optional<std::string> store_id;
  TimeMs occurred_at = 0;
  TimeMs received_at = 0;
  std::string body;  // the whole event as JSON, unknown fields included
  // Whose key seals the event's PII fields ("customer:<id>", or
  // "order:<id>" while the order's customer is not known yet).
  std::string pii_key;
  // The event already split for the log (split_for_log) when the caller
  // has it; else the log splits `body`.
  const EventForLog *for_log = nullptr;
};

struct EventQuery {
  std::int64_t after_seq = 0;            // paging cursor
  std::optional<TimeMs> received_after;  // "after" filter, exclusive
  std::optional<std::string> type;
  std::size_t limit = 50;
};

class EventLog {
 public:
  virtual ~EventLog() = default;
  // Appends and sets event.seq; false (and nothing written) if the id
  // exists. The id is a unique key of the log, so two processes appending
  // the same event store it once: the later one waits for the earlier's
  // commit and finds it there.
  virtual bool append(StoredEvent &event) = 0;
  virtual std::optional<StoredEvent> find(std::string_view id) = 0;
  virtual std::optional<StoredEvent> find_by_seq(std::int64_t seq) = 0;
  // In seq order, at most query.limit + 1 rows so callers can tell if more exist.
  virtual std::vector<StoredEvent> list(const EventQuery &query) = 0;
  virtual std::int64_t count() = 0;
};

}  // namespace ordercare::store
