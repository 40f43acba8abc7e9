// A private libuv thread. Other threads post jobs and wake it through an
// eventfd its loop watches; the thread drains them in batches and hands
// each batch to the batch handler. A plugin runs two: the plugin thread,
// whose handler is the single store writer and whose loop holds the timers
// and the store watch; and, with a `webhooks` section, the server thread,
// whose loop holds the HTTP server and whose handler runs each job's `done`
// there (jobs without work: answers coming back from the writer).
#pragma once

#include <uv.h>

#include <atomic>
#include <deque>
#include <functional>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>
#include <vector>

#include "runtime/job.h"
#include "runtime/wakeup_fd.h"

namespace ordercare::runtime {

class LoopThread {
 public:
  using BatchHandler = std::function<void(std::vector<Job> &)>;
  using Hook = std::function<void()>;

  explicit LoopThread(BatchHandler handler, std::size_t max_batch = 512);
  ~LoopThread();
  LoopThread(const LoopThread &) = delete;
  LoopThread &operator=(const LoopThread &) = delete;

  // Starts the thread; `on_start` runs on it first (to open timers and
  // servers), `on_stop` last (to close them). Jobs are taken from the time
  // on_start begins, so a server it opens can post at once; they run once
  // it returns. If it throws, start rethrows here and jobs posted in the
  // meantime are dropped without their `done`. `thread_name` (at most 15
  // bytes) is what `top -H` and /proc/<pid>/task/<tid>/comm show for it.
  void start(Hook on_start, Hook on_stop, const char *thread_name = nullptr);
  // Runs what is queued, calls on_stop, closes the loop, joins. Host thread.
  void stop();

  // Any thread, also while another thread stops the loop. False if the
  // loop is not started, stopping or stopped (job not taken).
  bool post(Job job);
  // Any thread. Queues the jobs together and in order, so the plugin
  // thread takes them into one batch (or, past max_batch, consecutive
  // ones). False if the loop is stopping or stopped (none was taken).
  bool post_all(std::vector<Job> jobs);

  // Plugin thread only, from inside the handler: waits until `until` for
  // jobs posted since the batch was taken and appends them to it, up to
  // max_batch in all. False if none came (or the loop is stopping).
  bool take_more(std::vector<Job> &batch, std::chrono::steady_clock::time_point until);

  // Plugin thread only.
  uv_loop_t *loop() { return &loop_; }
  bool in_loop_thread() const { return std::this_thread::get_id() == thread_id_.load(); }

  // Handles that were still open when the loop closed, which it then
  // closed itself (a bug in on_stop, reported rather than leaked). After
  // stop(), on the thread that stopped it.
  std::size_t stray_handles() const { return stray_handles_; }

 private:
  static void on_wakeup(uv_poll_t *handle, int status, int events);
  void drain();
  void wake();
  void run();
  void close_loop();

  BatchHandler handler_;
  std::size_t max_batch_;
  uv_loop_t loop_{};
  // Not uv_async_t: libuv 1.44 (Debian 12) has the woken loop spin, then
  // sched_yield, until the poster has returned from uv_async_send. A poster
  // on the same CPU is not running then: the loop thread gave way to it and
  // waited its turn again, a millisecond or more: 21 times in 93
  // oc_submit_batch calls, 673 times in 19,000 oc_submit calls (perf,
  // events_bench); none since.
  // The fd is closed with this object, after the loop: a poster that wakes
  // a stopped loop writes to an fd no one reads.
  WakeupFd wakeup_;
  uv_poll_t wakeup_poll_{};
  std::thread thread_;
  std::atomic<std::thread::id> thread_id_{};
  Hook on_start_, on_stop_;
  std::size_t stray_handles_ = 0;

  std::mutex mutex_;
  std::condition_variable queued_;  // take_more's wake-up
  std::deque<Job> queue_;
  bool accepting_ = false;
  bool stop_requested_ = false;
};

}  // namespace ordercare::runtime
