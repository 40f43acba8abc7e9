#include "runtime/log_queue.h"

#include <vector>

namespace ordercare::runtime {

void LogQueue::push(oc_log_level level, std::string message) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (messages_.size() >= limit_) {
    messages_.pop_front();
    ++dropped_;
  }
  messages_.emplace_back(level, std::move(message));
}

void LogQueue::drain(const HostCallbacks &host) {
  std::deque<std::pair<oc_log_level, std::string>> taken;
  std::size_t dropped;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    taken.swap(messages_);
    dropped = dropped_;
    dropped_ = 0;
  }
  if (!host.has_log()) return;
  if (dropped > 0)
    host.log(OC_LOG_WARN, std::to_string(dropped) + " log messages were dropped (nobody polled)");
  for (const auto &[level, message] : taken) host.log(level, message);
}

}  // namespace ordercare::runtime
