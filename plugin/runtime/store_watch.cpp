#include "runtime/store_watch.h"

namespace ordercare::runtime {

StoreWatch::StoreWatch(uv_loop_t &loop, store::Store &store, TimeMs interval, std::function<void()> on_change)
    : loop_(loop), store_(store), interval_(interval), on_change_(std::move(on_change)) {}

void StoreWatch::start() {
  uv_timer_init(&loop_, &timer_);
  timer_.data = this;
  started_ = true;
  const auto every = static_cast<std::uint64_t>(interval_);
  uv_timer_start(&timer_, [](uv_timer_t *t) { static_cast<StoreWatch *>(t->data)->check(); }, every, every);
}

void StoreWatch::stop() {
  if (!started_) return;
  started_ = false;
  uv_timer_stop(&timer_);
  uv_close(reinterpret_cast<uv_handle_t *>(&timer_), nullptr);
}

void StoreWatch::check() {
  bool changed = false;
  try {
    store_.announce();
    changed = store_.others_committed();
  } catch (...) {
    // The store is unreachable for now: the next tick asks again.
    return;
  }
  if (changed && on_change_) on_change_();
}

}  // namespace ordercare::runtime
