// The ranges of the numbers ordercare takes in: money, quantities, counts,
// lines and instants. They are enforced where input enters (the event
// schema, the webhook payload reader, oc_call arguments, the host clock),
// so the arithmetic inside can neither overflow nor meet a time it cannot
// write back. abi/events.schema.json states the same numbers, and a test
// holds the two together.
#pragma once

#include <cstddef>
#include <cstdint>

#include "common/time_format.h"

namespace ordercare {

// Money in minor units, 0 to 10^15: ten trillion dollars, a quadrillion
// yen or dong, enough for any order in any currency. It stays below 2^53,
// so a host reading it as a JavaScript or PHP float gets it exactly, and a
// thousand such amounts add up to 10^18, still under INT64_MAX (9.2 * 10^18).
constexpr std::int64_t kMaxAmount = 1'000'000'000'000'000;

// Units on one line of an order or a return.
constexpr std::int64_t kMaxQuantity = 1'000'000;

// Units counted in stock, followers of an account.
constexpr std::int64_t kMaxCount = 1'000'000'000'000;

// Lines of an order or a return. With each order's lines worth at most
// kMaxAmount together, a return's refund (lines x unit price) stays below
// kMaxLines * kMaxAmount = 10^18.
constexpr std::size_t kMaxLines = 1'000;

// Instants: 1970-01-01T00:00:00Z to 9999-12-31T23:59:59.999Z, from the
// Unix epoch (no order is older) to the last instant RFC 3339 can write (its
// years have four digits). Deadlines that would fall later are that instant.
constexpr TimeMs kMinTimeMs = 0;
constexpr TimeMs kMaxTimeMs = 253'402'300'799'999;

constexpr bool in_time_range(TimeMs t) { return t >= kMinTimeMs && t <= kMaxTimeMs; }

// The nearest instant in range: deadline arithmetic saturates here rather
// than overflow on a value that never passed the checks (a stored one).
constexpr TimeMs clamp_time(TimeMs t) {
  return t < kMinTimeMs ? kMinTimeMs : (t > kMaxTimeMs ? kMaxTimeMs : t);
}

// `at` moved by `duration`, saturating at the ends of the range: a deadline
// a week after a clock near 9999 is the last instant, not an overflow.
constexpr TimeMs add_saturating(TimeMs at, TimeMs duration) {
  at = clamp_time(at);
  if (duration > kMaxTimeMs - at) return kMaxTimeMs;
  if (duration < kMinTimeMs - at) return kMinTimeMs;
  return at + duration;
}

}  // namespace ordercare
