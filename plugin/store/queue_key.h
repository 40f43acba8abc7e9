// A case's place in the queue agents work from (cases.list): P1 first,
// then the nearest deadline still ahead of the agent (a case with none
// last), then age, then id. Stored as columns of the cases table
// (migration 14), so the next page starts after the last row seen with an
// index seek instead of walking past every row before it.
#pragma once

#include <cstdint>
#include <limits>
#include <string>

#include "domain/entities.h"
#include "domain/vocabulary.h"

namespace ordercare::store {

struct QueueKey {
  std::string priority;  // "P1" < "P2" < "P3"
  std::int64_t due = 0;  // kNoDeadline when the case has none
  TimeMs opened_at = 0;
  std::string id;

  bool operator==(const QueueKey &) const = default;
};

constexpr std::int64_t kNoDeadline = std::numeric_limits<std::int64_t>::max();

// The deadline the queue sorts on: first response while none was given,
// else resolution; the earlier of what applies.
std::int64_t queue_due_of(const domain::CaseRecord &c);
QueueKey queue_key_of(const domain::CaseRecord &c);
// Whether the case awaits the warehouse: it waits on it, or asked it
// something not yet answered (cases.list awaiting_warehouse).
bool awaits_warehouse(const domain::CaseRecord &c);

}  // namespace ordercare::store
