// Diagnostics for the host's log callback. Messages made on the plugin
// thread wait here until a host thread (oc_poll) hands them over, because a
// PHP or Node host must never be called from a foreign thread. Bounded:
// past the limit the oldest are dropped and counted. No message carries PII.
#pragma once

#include <deque>
#include <mutex>
#include <string>
#include <utility>

#include "ordercare.h"
#include "runtime/host_callbacks.h"

namespace ordercare::runtime {

class LogQueue {
 public:
  explicit LogQueue(std::size_t limit = 1000) : limit_(limit) {}

  void push(oc_log_level level, std::string message);  // any thread
  void drain(const HostCallbacks &host);               // host thread

 private:
  std::size_t limit_;
  std::mutex mutex_;
  std::deque<std::pair<oc_log_level, std::string>> messages_;
  std::size_t dropped_ = 0;
};

}  // namespace ordercare::runtime
