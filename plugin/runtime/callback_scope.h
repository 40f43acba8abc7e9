// Marks the host-callback sections of the calling thread, so that oc_poll
// and oc_close called from inside a callback are refused instead of
// deadlocking on the plugin's own lock.
#pragma once

namespace ordercare::runtime {

bool inside_callback() noexcept;

class CallbackScope {
 public:
  CallbackScope() noexcept;
  ~CallbackScope();
  CallbackScope(const CallbackScope &) = delete;
  CallbackScope &operator=(const CallbackScope &) = delete;
};

}  // namespace ordercare::runtime
