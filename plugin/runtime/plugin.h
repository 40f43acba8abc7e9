// One open plugin: config, store, the plugin thread and its writer, the
// webhook server on a thread of its own, the outbox dispatcher, the wake-up
// fd and the host's callbacks. The boundary turns each oc_ call into one
// method here; everything that writes runs as a job on the plugin thread.
#pragma once

#include <uv.h>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <future>
#include <memory>
#include <mutex>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/failure.h"
#include "common/json.h"
#include "ordercare.h"
#include "runtime/call_registry.h"
#include "runtime/clock.h"
#include "runtime/config.h"
#include "runtime/engine.h"
#include "runtime/event_sink.h"
#include "runtime/host_callbacks.h"
#include "runtime/log_queue.h"
#include "runtime/loop_thread.h"
#include "runtime/outbox_dispatcher.h"
#include "runtime/plugin_handle.h"
#include "runtime/store_watch.h"
#include "runtime/wakeup_fd.h"
#include "runtime/webhook_threads.h"
#include "runtime/writer.h"

namespace ordercare::runtime {

// How a plugin opens its store: store::open_store, or in tests a wrapper
// around it (tests/support/fault_store.h fails chosen store calls).
using StoreOpener = std::function<std::unique_ptr<store::Store>(const store::StoreConfig &)>;

// How long the writer keeps a transaction open for the slice an
// oc_submit_batch promised before it commits what it has (10 ms). For tests
// that count a call's commits on a machine too slow or too busy (sanitizers,
// a loaded CI runner) to check a slice in that time. A plugin reads it when
// it opens.
void set_promised_jobs_wait(std::chrono::milliseconds wait);

class Plugin : public PluginHandle {
 public:
  // `host` is already normalized to this version's oc_host (may be null).
  Plugin(Config config, const oc_host *host, std::uint32_t flags, const StoreOpener &open_store = store::open_store);
  Plugin(const Plugin &) = delete;
  Plugin &operator=(const Plugin &) = delete;
  ~Plugin() override;

  // Host threads (plugin_handle.h).
  Json submit(std::string_view event_bytes) override;
  std::vector<BatchAnswer> submit_batch(std::span<const char *const> events,
                                        std::span<const std::size_t> lens) override;
  Json call(std::string_view method, std::string_view args_bytes) override;
  std::uint32_t poll(std::uint32_t max_callbacks) override;
  int wakeup_fd() const override { return wakeup_.fd(); }
  void close() override;

  const Config &config() const { return config_; }
  // The oc_call methods this plugin answers (abi/CALLS.md documents each).
  std::vector<std::string> methods() const { return calls_.methods(); }

 private:
  // One webhook server thread's way into the plugin (its EventSink), and
  // the deliveries it read in this turn of its loop.
  class ServerSink;

  // Server thread `thread`, never blocking it: the events go into the
  // writer's next group commit as one job (with the other deliveries read
  // in the same turn of that thread's loop), and `done` is posted back to
  // it once that commit is durable or failed.
  void submit_async(std::size_t thread, std::vector<ingest::CanonicalEvent> events, EventSink::SubmitDone done);
  void probe_async(std::size_t thread, EventSink::ProbeDone done);
  // Frees what earlier oc_submit_batch calls parsed (spent_batches_).
  void free_spent_batches();
  // Hands a job to the writer from a server thread without waiting for
  // it; false when the plugin is closing (the job was not taken).
  bool post_to_writer(Job job);
  // Server thread, at the end of each turn of its loop: the deliveries
  // read in that turn go to the writer together, into one commit.
  void flush_to_writer(std::size_t thread);
  // Plugin thread: runs `task` on server thread `thread`; drops it when
  // the server is stopping, since the connection it answers is going away.
  void on_server_thread(std::size_t thread, std::function<void()> task);
  void start_on_loop();
  void stop_on_loop();
  // Plugin thread, in start_on_loop: the server thread and its listener.
  void start_server();
  void register_webhook_calls();

  // Runs fn as one writer job and waits until its batch committed;
  // rethrows the job's failure here. On the plugin thread it runs inline.
  template <class Result>
  Result run_job(std::function<Result(JobContext &)> fn,
                 std::function<void(store::Store &)> after_commit = {});
  // Plugin thread, after an erasure committed: Store::scrub, false (and a
  // warning logged) if it could not finish.
  bool scrub(store::Store &store);

  bool callbacks_on_plugin_thread() const { return flags_ & OC_OPEN_CALLBACKS_ON_PLUGIN_THREAD; }
  // Plugin thread: after each commit, tells other processes (the store's
  // announce) and schedules.
  void after_commit(bool wake_host);
  // Plugin thread: wakes the host for effects due now and arms the timer
  // for the next SLA timer or retry.
  void schedule(bool effects_due_now);
  // Plugin thread: another process or node committed; there may be work
  // here to claim.
  void on_others_committed();
  // Host threads: the host's clock, remembered for the plugin thread,
  // which may not call it.
  TimeMs host_now() const;
  void arm_due_timer(TimeMs delay_ms);
  void on_due();
  void dispatch_on_plugin_thread();
  void record_answers(const std::vector<Delivery> &deliveries, TimeMs answered);
  // The plugin thread's idea of now: the host's clock only when the host
  // allowed calls on this thread, else the system's.
  TimeMs loop_now() const;
  bool loop_keeps_time() const { return !clock_.is_host_driven() || callbacks_on_plugin_thread(); }

  Config config_;
  std::uint32_t flags_;
  HostCallbacks host_;
  Clock clock_;
  LogQueue log_;
  std::unique_ptr<store::Store> store_;
  WakeupFd wakeup_;
  Engine engine_;
  domain::TemplateSet templates_;
  NotificationRenderer renderer_;
  OutboxDispatcher dispatcher_;
  CallRegistry calls_;
  std::unique_ptr<Writer> writer_;
  std::unique_ptr<StoreWatch> watch_;   // plugin thread
  mutable std::atomic<TimeMs> last_host_now_{0};
  std::unique_ptr<LoopThread> loop_;
  // The webhook server's threads (only with a webhooks section): HTTP,
  // signatures, JSON and mapping run there, beside the writer. Stopped
  // before loop_, destroyed before it; server_sinks_[i] is thread i's.
  std::vector<std::unique_ptr<ServerSink>> server_sinks_;
  std::unique_ptr<WebhookThreads> webhooks_;
  uv_timer_t due_timer_{};
  std::mutex poll_mutex_;
  // What the last oc_submit_batch calls parsed, freed by the next call once
  // it has handed the writer all its events, or with the plugin: freed as
  // a call returned, 512 events took about 4 ms in which the writer had
  // nothing to do. One batch's worth per host thread that calls, at most.
  std::mutex spent_batches_mutex_;
  std::vector<std::shared_ptr<void>> spent_batches_;
};

// A job's failure as plain values, taken on the plugin thread: the
// common report, and a store contended past its retries as OC_ERR_BUSY.
using JobFailure = FailureReport;
JobFailure failure_of(std::exception_ptr failure);

template <class Result>
Result Plugin::run_job(std::function<Result(JobContext &)> fn, std::function<void(store::Store &)> after_commit) {
  if (!loop_) fail(OC_ERR_CLOSED, "the plugin is closed");
  // A failure crosses to the host thread as a status and a message, and is
  // thrown there anew: one exception object is handed to every job of a
  // batch whose commit failed, and a shared object would be freed by
  // whichever thread drops it last while another may still read it.
  std::promise<void> promise;
  auto future = promise.get_future();
  std::optional<Result> result;
  JobFailure failure;
  Job job;
  job.work = [&](JobContext &ctx) { result = fn(ctx); };
  job.after_commit = std::move(after_commit);
  job.done = [&](std::exception_ptr error) {
    if (error) failure = failure_of(error);
    promise.set_value();
  };
  if (loop_->in_loop_thread()) {
    std::vector<Job> one;
    one.push_back(std::move(job));
    writer_->run_batch(one);
  } else if (!loop_->post(std::move(job))) {
    fail(OC_ERR_CLOSED, "the plugin is closing");
  }
  future.get();
  if (failure.status != OC_OK) fail(failure.status, failure.message);
  return std::move(*result);
}

}  // namespace ordercare::runtime
