// The plugin's one clock: the host's now_ms callback when it gave one (tests
// and hosts drive time with it), the system clock otherwise. Read on host
// threads; the time travels with each job to the plugin thread.
#pragma once

#include <cstdint>

#include "common/time_format.h"

namespace ordercare::runtime {

class Clock {
 public:
  using HostNow = std::int64_t (*)(void *user_data);

  Clock() = default;
  Clock(HostNow host_now, void *user_data) : host_now_(host_now), user_data_(user_data) {}

  // The host's clock is taken only from 1970 to 9999 (value_ranges.h):
  // outside, now() throws Failure(OC_ERR_ARGUMENT) and the oc_open,
  // oc_submit, oc_call or oc_poll that asked fails.
  TimeMs now() const;
  bool is_host_driven() const { return host_now_ != nullptr; }

  static TimeMs system_now();

 private:
  HostNow host_now_ = nullptr;
  void *user_data_ = nullptr;
};

}  // namespace ordercare::runtime
