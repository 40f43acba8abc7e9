#include "runtime/clock.h"

#include <chrono>

namespace ordercare::runtime {

TimeMs Clock::now() const { return host_now_ ? host_now_(user_data_) : system_now(); }

TimeMs Clock::system_now() {
  using namespace std::chrono;
  return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

}  // namespace ordercare::runtime
