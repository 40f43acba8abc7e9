#include "runtime/loop_thread.h"

#include <pthread.h>

#include <cassert>
#include <future>

#include "common/failure.h"

namespace ordercare::runtime {

LoopThread::LoopThread(BatchHandler handler, std::size_t max_batch)
    : handler_(std::move(handler)), max_batch_(max_batch) {}

LoopThread::~LoopThread() { stop(); }

void LoopThread::start(Hook on_start, Hook on_stop, const char *thread_name) {
  on_start_ = std::move(on_start);
  on_stop_ = std::move(on_stop);
  int rc = uv_loop_init(&loop_);
  if (rc != 0) fail(OC_ERR_INTERNAL, std::string("uv_loop_init: ") + uv_strerror(rc));
  rc = uv_poll_init(&loop_, &wakeup_poll_, wakeup_.fd());
  if (rc == 0) rc = uv_poll_start(&wakeup_poll_, UV_READABLE, &LoopThread::on_wakeup);
  if (rc != 0) {
    close_loop();
    fail(OC_ERR_INTERNAL, std::string("uv_poll_start: ") + uv_strerror(rc));
  }
  wakeup_poll_.data = this;
  // The start hook may fail (a port in use): report it to the opener.
  std::promise<void> started;
  auto started_future = started.get_future();
  thread_ = std::thread([this, &started, thread_name] {
    thread_id_ = std::this_thread::get_id();
    if (thread_name) pthread_setname_np(pthread_self(), thread_name);  // a longer name is refused, not cut
    {
      std::lock_guard<std::mutex> lock(mutex_);
      accepting_ = true;
    }
    try {
      if (on_start_) on_start_();
      started.set_value();
    } catch (...) {
      std::deque<Job> dropped;
      {
        std::lock_guard<std::mutex> lock(mutex_);
        accepting_ = false;
        dropped.swap(queue_);
      }
      started.set_exception(std::current_exception());
      uv_close(reinterpret_cast<uv_handle_t *>(&wakeup_poll_), nullptr);
      uv_run(&loop_, UV_RUN_DEFAULT);
      return;
    }
    run();
  });
  try {
    started_future.get();
  } catch (...) {
    thread_.join();
    close_loop();
    throw;
  }
}

void LoopThread::run() {
  uv_run(&loop_, UV_RUN_DEFAULT);
  // Every handle is closed by now (on_stop and the async); the loop is idle.
}

void LoopThread::stop() {
  if (!thread_.joinable()) return;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    accepting_ = false;
    stop_requested_ = true;
  }
  queued_.notify_all();
  wakeup_.signal();
  thread_.join();
  close_loop();
}

// uv_loop_close's answer is checked, as libuv's own tests check it: UV_EBUSY
// means a handle is still open (on_stop should have closed what on_start
// opened). Such a handle is closed here, so the loop can still be closed
// and nothing it holds is leaked, and it is counted for stray_handles().
void LoopThread::close_loop() {
  if (uv_loop_close(&loop_) == 0) return;
  uv_walk(
      &loop_,
      [](uv_handle_t *handle, void *count) {
        if (uv_is_closing(handle)) return;
        ++*static_cast<std::size_t *>(count);
        uv_close(handle, nullptr);
      },
      &stray_handles_);
  uv_run(&loop_, UV_RUN_DEFAULT);
  // Every handle's close has now run, so the loop is empty.
  [[maybe_unused]] const int closed = uv_loop_close(&loop_);
  assert(closed == 0);
}

bool LoopThread::post(Job job) {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (!accepting_) return false;
    queue_.push_back(std::move(job));
  }
  wake();
  return true;
}

bool LoopThread::post_all(std::vector<Job> jobs) {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (!accepting_) return false;
    const std::size_t before = queue_.size();
    try {
      for (auto &job : jobs) queue_.push_back(std::move(job));
    } catch (...) {
      // All or none: a batch half queued would run half.
      queue_.resize(before);
      throw;
    }
  }
  wake();
  return true;
}

void LoopThread::wake() {
  // After the lock, so the thread woken does not wait for it at once. Both
  // wake-ups: the loop may be in its poll, or inside the handler in
  // take_more.
  wakeup_.signal();
  queued_.notify_one();
}

bool LoopThread::take_more(std::vector<Job> &batch, std::chrono::steady_clock::time_point until) {
  std::unique_lock<std::mutex> lock(mutex_);
  if (batch.size() >= max_batch_) return false;
  queued_.wait_until(lock, until, [&] { return !queue_.empty() || stop_requested_; });
  if (stop_requested_ || queue_.empty()) return false;
  while (!queue_.empty() && batch.size() < max_batch_) {
    batch.push_back(std::move(queue_.front()));
    queue_.pop_front();
  }
  return true;
}

void LoopThread::on_wakeup(uv_poll_t *handle, int, int) {
  // Cleared before the queue is read: a post after this wakes it again.
  auto *self = static_cast<LoopThread *>(handle->data);
  self->wakeup_.clear();
  self->drain();
}

void LoopThread::drain() {
  std::vector<Job> batch;
  bool more, stopping;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    while (!queue_.empty() && batch.size() < max_batch_) {
      batch.push_back(std::move(queue_.front()));
      queue_.pop_front();
    }
    more = !queue_.empty();
    stopping = stop_requested_ && !more;
  }
  if (!batch.empty()) handler_(batch);
  if (stopping) {
    if (on_stop_) on_stop_();
    uv_close(reinterpret_cast<uv_handle_t *>(&wakeup_poll_), nullptr);
    return;
  }
  // One batch per turn, so sockets and timers get their share of the loop
  // between batches under a flood of jobs.
  if (more) wakeup_.signal();
}

}  // namespace ordercare::runtime
