// The plugin's private libuv thread. Host threads post jobs (the way
// uv_async_send is meant to be used); the thread drains them in batches and
// hands each batch to the batch handler (the single store writer). Timers
// and the webhook server live on the same loop.
#pragma once

#include <uv.h>

#include <atomic>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

#include "runtime/job.h"

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
  // servers), `on_stop` last (to close them).
  void start(Hook on_start, Hook on_stop);
  // Runs what is queued, calls on_stop, closes the loop, joins. Host thread.
  void stop();

  // Any thread. False if the loop is stopping or stopped (job not taken).
  bool post(Job job);
  // Any thread. Queues the jobs together and in order, so the plugin
  // thread takes them into one batch (or, past max_batch, consecutive
  // ones). False if the loop is stopping or stopped (none was taken).
  bool post_all(std::vector<Job> jobs);


  // Plugin thread only.
  uv_loop_t *loop() { return &loop_; }
  bool in_loop_thread() const { return std::this_thread::get_id() == thread_id_.load(); }

 private:
  static void on_async(uv_async_t *handle);
  void drain();
  void run();

  BatchHandler handler_;
  std::size_t max_batch_;
  uv_loop_t loop_{};
  uv_async_t async_{};
  std::thread thread_;
  std::atomic<std::thread::id> thread_id_{};
  Hook on_start_, on_stop_;

  std::mutex mutex_;
  std::deque<Job> queue_;
  bool accepting_ = false;
  bool stop_requested_ = false;
};

}  // namespace ordercare::runtime
