// Hears on the plugin thread that another process or node committed to the
// shared store, so an idle process looks for work it may claim: every
// store.wake_interval (100 ms by default) it asks Store::others_committed(),
// a local read (SQLite's data_version; the notifications PostgreSQL's
// LISTEN connection has received). It only wakes; what is due is read from
// the store afterwards.
#pragma once

#include <uv.h>

#include <functional>

#include "common/time_format.h"
#include "store/store.h"

namespace ordercare::runtime {

class StoreWatch {
 public:
  // `on_change` runs on the plugin thread after another process committed.
  StoreWatch(uv_loop_t &loop, store::Store &store, TimeMs interval, std::function<void()> on_change);
  StoreWatch(const StoreWatch &) = delete;
  StoreWatch &operator=(const StoreWatch &) = delete;

  void start();
  // Closes the timer; the loop finishes closing it.
  void stop();

 private:
  void check();

  uv_loop_t &loop_;
  store::Store &store_;
  TimeMs interval_;
  std::function<void()> on_change_;
  uv_timer_t timer_{};
  bool started_ = false;
};

}  // namespace ordercare::runtime
