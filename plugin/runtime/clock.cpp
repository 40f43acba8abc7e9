#include "runtime/clock.h"

#include <chrono>
#include <string>

#include "common/failure.h"
#include "common/value_ranges.h"

namespace ordercare::runtime {

TimeMs Clock::now() const {
  if (!host_now_) return system_now();
  const TimeMs t = host_now_(user_data_);
  // Refused, not clamped: clamped to 9999 a broken clock would make every
  // SLA timer due at once, clamped to 1970 it would date events then.
  if (!in_time_range(t))
    fail(OC_ERR_ARGUMENT, "now_ms: the host's clock returned " + std::to_string(t) +
                              ", outside " + format_rfc3339(kMinTimeMs) + " to " +
                              format_rfc3339(kMaxTimeMs) + " (" + std::to_string(kMinTimeMs) +
                              " to " + std::to_string(kMaxTimeMs) + " ms)");
  return t;
}

TimeMs Clock::system_now() {
  using namespace std::chrono;
  return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

}  // namespace ordercare::runtime
