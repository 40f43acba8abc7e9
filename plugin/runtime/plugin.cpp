#include "runtime/plugin.h"

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <optional>

#include "common/crypto.h"
#include "ingest/canonical_event.h"
#include "runtime/calls/agent_calls.h"
#include "runtime/calls/case_calls.h"
#include "runtime/calls/event_calls.h"
#include "runtime/calls/order_action_calls.h"
#include "runtime/calls/order_calls.h"
#include "runtime/calls/report_calls.h"
#include "runtime/calls/return_calls.h"
#include "runtime/calls/template_calls.h"
#include "runtime/calls/transfer_calls.h"
#include "runtime/command_requests.h"
#include "runtime/freed_memory.h"
#include "store/report_store.h"

namespace ordercare::runtime {

namespace {

// How many effects the plugin thread delivers in one turn before it lets
// sockets and timers run.
constexpr std::size_t kPluginThreadBatch = 64;
// SLA timers fired per turn of the loop or per oc_poll.
constexpr std::size_t kTimerBatch = 512;
constexpr TimeMs kRetryAfterFailureMs = 1000;
// /metrics counts breached cases up to this many, so a scrape stays cheap.
constexpr std::size_t kMaxBreachedCount = 10000;
// How long the writer keeps a transaction open for the slice an
// oc_submit_batch promised (checking one takes about a millisecond); past
// it, it commits what it has and the slice starts the next transaction.
// Holding it longer would hold the store's write lock from every other
// process while this host's thread may not even be running.
constexpr auto kPromisedJobsWait = std::chrono::milliseconds(10);
std::atomic<std::chrono::milliseconds::rep> g_promised_jobs_wait_ms{kPromisedJobsWait.count()};

void release_dead_claims(store::Store &store, TimeMs now) {
  // What a process that is gone had in flight may or may not have reached
  // the host; it goes again at once under the same idempotency key. Claims
  // of processes still running (this store is shared) keep their lease.
  store.begin_batch();
  try {
    store.outbox().release_dead_claims(now);
    store.commit_batch();
  } catch (...) {
    store.rollback_batch();
    throw;
  }
}

// Until the open succeeds: if it fails, a store it created goes again
// (Store::abandon), so a failed oc_open leaves no file behind.
class AbandonStoreUnlessOpened {
 public:
  explicit AbandonStoreUnlessOpened(store::Store &store) : store_(&store) {}
  ~AbandonStoreUnlessOpened() {
    if (store_) store_->abandon();
  }
  AbandonStoreUnlessOpened(const AbandonStoreUnlessOpened &) = delete;
  AbandonStoreUnlessOpened &operator=(const AbandonStoreUnlessOpened &) = delete;
  void opened() { store_ = nullptr; }

 private:
  store::Store *store_;
};

}  // namespace

void set_promised_jobs_wait(std::chrono::milliseconds wait) { g_promised_jobs_wait_ms = wait.count(); }

class Plugin::ServerSink final : public EventSink {
 public:
  ServerSink(Plugin &plugin, std::size_t thread) : plugin_(plugin), thread_(thread) {}

  void submit_async(std::vector<ingest::CanonicalEvent> events, SubmitDone done) override {
    plugin_.submit_async(thread_, std::move(events), std::move(done));
  }
  void probe_async(ProbeDone done) override { plugin_.probe_async(thread_, std::move(done)); }
  TimeMs sink_now() const override { return Clock::system_now(); }

  std::vector<Job> to_writer;  // its thread's, until the end of the turn

 private:
  Plugin &plugin_;
  std::size_t thread_;
};

JobFailure failure_of(std::exception_ptr failure) {
  try {
    std::rethrow_exception(failure);
  } catch (const store::Contended &c) {
    // The writer runs a contended job again; one that still reaches here
    // (its commit lost a deadlock) wrote nothing and may be tried again.
    return {OC_ERR_BUSY, "store: another process or node was working on " + c.subject + "; try again"};
  } catch (...) {
    return report_of(std::current_exception());
  }
}

std::unique_ptr<PluginHandle> open_plugin(Config config, const oc_host *host, std::uint32_t flags) {
  return std::make_unique<Plugin>(std::move(config), host, flags);
}

Plugin::Plugin(Config config, const oc_host *host, std::uint32_t flags, const StoreOpener &open_store)
    : config_(std::move(config)),
      flags_(flags),
      host_(host ? HostCallbacks(*host) : HostCallbacks()),
      clock_(host ? Clock(host->now_ms, host->user_data) : Clock()),
      engine_(config_.stores, host_.has("order_action")),
      templates_(config_.templates),
      renderer_(config_.stores),
      dispatcher_(config_.outbox, host_, engine_, log_, renderer_) {
  // The clock first: a host clock out of range fails the open before any
  // store file is created or touched.
  const TimeMs opened_at = clock_.now();
  store_ = open_store(config_.store);
  AbandonStoreUnlessOpened abandon_on_failure(*store_);
  release_dead_claims(*store_, opened_at);
  register_event_calls(calls_);
  register_case_calls(calls_, engine_, renderer_, host_);
  register_template_calls(calls_, templates_);
  register_return_calls(calls_, engine_);
  register_report_calls(calls_, engine_, config_.policy);
  register_agent_calls(calls_, config_.policy);
  register_order_calls(calls_);
  register_order_action_calls(calls_, engine_);
  register_transfer_calls(calls_);
  register_webhook_calls();
  writer_ = std::make_unique<Writer>(*store_, [this](bool wake_host) { after_commit(wake_host); });
  loop_ = std::make_unique<LoopThread>([this](std::vector<Job> &jobs) { writer_->run_batch(jobs); });
  writer_->set_more_jobs([this, wait = std::chrono::milliseconds(g_promised_jobs_wait_ms.load())](
                             std::vector<Job> &jobs) {
    return loop_->take_more(jobs, std::chrono::steady_clock::now() + wait);
  });
  loop_->start([this] { start_on_loop(); }, [this] { stop_on_loop(); }, "oc-writer");
  abandon_on_failure.opened();
}

Plugin::~Plugin() { close(); }

void Plugin::close() {
  // The server first: once its thread is gone nothing submits, and the
  // writer's answers to what it still commits are dropped (unanswered, the
  // platform retries, and its retry is a duplicate).
  if (webhooks_) webhooks_->stop();
  if (loop_) loop_->stop();
  // Deliveries read in the servers' last turns are neither written nor
  // answered: their connections closed, and the platform sends them again.
  for (auto &sink : server_sinks_) sink->to_writer.clear();
  webhooks_.reset();
  loop_.reset();
  watch_.reset();
  writer_.reset();
  store_.reset();
  free_spent_batches();
}

void Plugin::start_on_loop() {
  // The server first: if its port is taken, nothing else is open yet and
  // oc_open fails with the reason. Deliveries it takes meanwhile wait in
  // the writer's queue until this returns.
  if (config_.webhooks.enabled) start_server();
  try {
    uv_timer_init(loop_->loop(), &due_timer_);
    due_timer_.data = this;
    watch_ = std::make_unique<StoreWatch>(*loop_->loop(), *store_, config_.store.wake_interval_ms,
                                          [this] { on_others_committed(); });
    watch_->start();
  } catch (...) {
    if (webhooks_) webhooks_->stop();
    throw;
  }
  // Effects left from an earlier run are due now.
  arm_due_timer(0);
}

void Plugin::start_server() {
  const std::size_t threads = webhook_thread_count(config_.webhooks);
  for (std::size_t i = 0; i < threads; ++i) server_sinks_.push_back(std::make_unique<ServerSink>(*this, i));
  webhooks_ = std::make_unique<WebhookThreads>(
      config_.webhooks, [this](std::size_t i) -> EventSink & { return *server_sinks_.at(i); },
      [this](std::size_t i) { flush_to_writer(i); });
  webhooks_->start();
  const Json status = webhooks_->status();
  log_.push(OC_LOG_INFO, "webhooks: listening on " + status["address"].get<std::string>() + ":" +
                             std::to_string(status["port"].get<int>()) + " with " + std::to_string(threads) +
                             (threads == 1 ? " thread" : " threads"));
}

void Plugin::stop_on_loop() {
  if (watch_) watch_->stop();
  uv_timer_stop(&due_timer_);
  uv_close(reinterpret_cast<uv_handle_t *>(&due_timer_), nullptr);
}

void Plugin::register_webhook_calls() {
  // Where the webhook server listens (the bound port when the config asked
  // for port 0), or {"listening": false} without one.
  calls_.add("webhooks.status", [this](CallContext &, const Json &json) -> Json {
    ConfigReader args = args_reader(json);
    args.finish();
    if (!webhooks_) return Json{{"listening", false}};
    return webhooks_->status();
  });
}

TimeMs Plugin::loop_now() const {
  return callbacks_on_plugin_thread() ? clock_.now() : Clock::system_now();
}

void Plugin::after_commit(bool wake_host) {
  // Never lets a store that went away keep the batch's jobs from hearing
  // of their commit: the next commit or tick tries again.
  try {
    store_->announce();
    schedule(wake_host);
  } catch (const std::exception &e) {
    log_.push(OC_LOG_WARN, std::string("after a commit: ") + e.what());
    if (loop_keeps_time()) arm_due_timer(kRetryAfterFailureMs);
  }
}

void Plugin::on_others_committed() {
  try {
    if (loop_keeps_time()) {
      schedule(false);
      return;
    }
    // Only the host knows what time it is: work due by the last time it
    // told is work its oc_poll would find.
    const TimeMs now = last_host_now_.load();
    const auto effect_due = dispatcher_.next_due(*store_);
    const auto timer_due = store_->state().next_timer_due();
    if ((effect_due && *effect_due <= now) || (timer_due && *timer_due <= now)) wakeup_.signal();
  } catch (const std::exception &e) {
    log_.push(OC_LOG_WARN, std::string("looking for work another process committed: ") + e.what());
  }
}

TimeMs Plugin::host_now() const {
  const TimeMs now = clock_.now();
  TimeMs seen = last_host_now_.load();
  while (now > seen && !last_host_now_.compare_exchange_weak(seen, now)) {
  }
  return now;
}

void Plugin::schedule(bool effects_due_now) {
  if (!loop_keeps_time()) {
    // The host's clock drives time: its oc_poll fires timers and retries.
    if (effects_due_now) wakeup_.signal();
    return;
  }
  const TimeMs now = loop_now();
  std::optional<TimeMs> next = store_->state().next_timer_due();
  if (auto effect_due = dispatcher_.next_due(*store_)) {
    if (callbacks_on_plugin_thread() || *effect_due > now)
      next = next ? std::min(*next, *effect_due) : *effect_due;
    else
      wakeup_.signal();  // due now: the host's oc_poll delivers it
  }
  if (next)
    arm_due_timer(*next > now ? *next - now : 0);
  else
    uv_timer_stop(&due_timer_);
}

void Plugin::arm_due_timer(TimeMs delay_ms) {
  uv_timer_start(
      &due_timer_, [](uv_timer_t *timer) { static_cast<Plugin *>(timer->data)->on_due(); },
      static_cast<std::uint64_t>(delay_ms), 0);
}

void Plugin::on_due() {
  if (!loop_keeps_time()) {
    // Only the host knows what time it is: its oc_poll fires what is due.
    wakeup_.signal();
    return;
  }
  try {
    const TimeMs now = loop_now();
    run_job<std::size_t>([&](JobContext &ctx) { return engine_.fire_due_timers(ctx, now, kTimerBatch); });
    if (callbacks_on_plugin_thread()) dispatch_on_plugin_thread();
    schedule(false);
  } catch (const std::exception &e) {
    // The store refused (busy, full disk): try again shortly rather than spin.
    log_.push(OC_LOG_ERROR, std::string("firing SLA timers failed: ") + e.what());
    arm_due_timer(kRetryAfterFailureMs);
  }
}

void Plugin::dispatch_on_plugin_thread() {
  const TimeMs now = clock_.now();
  auto claimed = run_job<std::vector<store::ClaimedEffect>>(
      [&](JobContext &ctx) { return dispatcher_.claim(ctx, now, kPluginThreadBatch); });
  const bool more = claimed.size() == kPluginThreadBatch;
  auto deliveries = dispatcher_.deliver(std::move(claimed));
  if (!deliveries.empty()) record_answers(deliveries, clock_.now());
  log_.drain(host_);
  if (more) arm_due_timer(0);
}

void Plugin::record_answers(const std::vector<Delivery> &deliveries, TimeMs answered) {
  try {
    run_job<bool>([&](JobContext &ctx) {
      dispatcher_.record(ctx, deliveries, answered);
      return true;
    });
  } catch (...) {
    // The store failed while recording: the host may have carried these
    // out, so they go again under their keys. Given back now, they go at
    // the next poll, before anything that happens meanwhile (an erasure)
    // can make them undeliverable; if the store still fails, their lease
    // brings them back.
    std::vector<store::ClaimedEffect> claims;
    for (const auto &d : deliveries) claims.push_back(d.claimed);
    try {
      run_job<std::int64_t>([&](JobContext &ctx) { return ctx.store.outbox().release_claims(claims, answered); });
    } catch (const std::exception &e) {
      log_.push(OC_LOG_WARN, std::string("effects stay claimed until their lease ends: ") + e.what());
    }
    throw;
  }
}

Json Plugin::submit(std::string_view event_bytes) {
  const ReceivedEvent event(ingest::parse_canonical_event(event_bytes, config_.limits.max_event_bytes));
  const TimeMs now = host_now();
  bool erased_pii = false;
  return run_job<Json>(
      [&](JobContext &ctx) {
        const SubmitOutcome outcome = engine_.ingest(ctx, event, now);
        erased_pii = outcome.erased_pii;
        return to_json(outcome);
      },
      [&](store::Store &store) {
        if (erased_pii) scrub(store);
      });
}

namespace {

// An oc_submit_batch in flight, shared by the host thread and the jobs:
// each event from its check to its answer, and the jobs not yet reported.
struct BatchInFlight {
  struct Event {
    std::optional<ReceivedEvent> parsed;  // when it passed its checks
    std::optional<SubmitOutcome> outcome;          // when its job ran
    std::string answer;                            // the outcome's text
    JobFailure failure;                            // its checks', job's or commit's
  };
  explicit BatchInFlight(std::size_t count) : events(count) {}

  std::vector<Event> events;
  std::mutex mutex;
  std::condition_variable reported;
  std::size_t pending = 0;
};

// Events an oc_submit_batch checks before it hands them to the writer:
// small enough that the writer starts at once, big enough that handing
// over costs nothing next to the events' own work. Until the first slice
// is handed over the writer has nothing of the call, so it is the smallest
// (8 events took a quarter of a millisecond); each next one is twice the
// last, up to kBatchSlice. The writer takes about twice as long over an
// event as the check does, so each slice is ready before the writer is
// through the one before.
constexpr std::size_t kFirstBatchSlice = 2;
constexpr std::size_t kBatchSlice = 32;

bool is_store_failure(oc_status status) { return status == OC_ERR_STORE || status == OC_ERR_BUSY; }

}  // namespace

std::vector<BatchAnswer> Plugin::submit_batch(std::span<const char *const> events,
                                              std::span<const std::size_t> lens) {
  const Limits &limits = config_.limits;
  if (events.size() > limits.max_batch_events)
    fail(OC_ERR_TOO_LARGE, "oc_submit_batch: " + std::to_string(events.size()) + " events exceed the limit of " +
                               std::to_string(limits.max_batch_events) + " (limits.max_batch_events)");
  std::size_t total = 0;
  for (std::size_t i = 0; i < events.size(); ++i) {
    if (!events[i]) fail(OC_ERR_ARGUMENT, "oc_submit_batch: events[" + std::to_string(i) + "] is NULL");
    total = lens[i] > SIZE_MAX - total ? SIZE_MAX : total + lens[i];
  }
  if (total > limits.max_batch_bytes)
    fail(OC_ERR_TOO_LARGE, "oc_submit_batch: " + std::to_string(total) + " bytes exceeds the limit of " +
                               std::to_string(limits.max_batch_bytes) + " (limits.max_batch_bytes)");

  // Each event is checked here, on the host's thread, as oc_submit checks
  // one; what fails is that event's answer alone. One job per event: the
  // writer runs them in order in as few transactions as it can, and each
  // job's failure is its own. They go over a slice at a time, so the
  // writer starts on the first while this thread checks the next; each
  // slice but the last promises more, and the writer waits for it before
  // it commits (Job::more_follows): still one transaction for the call.
  auto batch = std::make_shared<BatchInFlight>(events.size());
  const bool on_writer = loop_ && loop_->in_loop_thread();
  std::optional<TimeMs> now;
  std::vector<Job> jobs;
  std::size_t slice = kFirstBatchSlice;
  for (std::size_t i = 0; i < events.size(); ++i) {
    try {
      batch->events[i].parsed.emplace(
          ingest::parse_canonical_event(std::string_view(events[i], lens[i]), limits.max_event_bytes));
    } catch (const Failure &f) {
      batch->events[i].failure = JobFailure{f.status(), f.what()};
    }
    if (batch->events[i].parsed) {
      if (!now) now = host_now();
      Job job;
      job.work = [this, batch, i, at = *now](JobContext &ctx) {
        // A job may run again in a new transaction: the last run answers.
        // Its text is written here, on the writer's thread: on the host's,
        // once the call's events were freed, the same 512 texts took
        // milliseconds of glibc sorting freed blocks while the writer idled.
        auto &event = batch->events[i];
        event.outcome = engine_.ingest(ctx, *event.parsed, at);
        event.answer = to_json_text(*event.outcome);
      };
      job.after_commit = [this, batch, i](store::Store &store) {
        if (batch->events[i].outcome && batch->events[i].outcome->erased_pii) scrub(store);
      };
      job.done = [batch, i](std::exception_ptr error) {
        if (error) batch->events[i].failure = failure_of(error);
        std::lock_guard<std::mutex> lock(batch->mutex);
        if (--batch->pending == 0) batch->reported.notify_all();
      };
      jobs.push_back(std::move(job));
    }
    const bool last = i + 1 == events.size();
    if (jobs.empty() || (!last && (on_writer || jobs.size() < slice))) continue;
    if (!loop_) fail(OC_ERR_CLOSED, "the plugin is closed");
    jobs.back().more_follows = !last;
    {
      std::lock_guard<std::mutex> lock(batch->mutex);
      batch->pending += jobs.size();
    }
    if (on_writer)
      writer_->run_batch(jobs);
    else if (!loop_->post_all(std::move(jobs)))
      fail(OC_ERR_CLOSED, "the plugin is closing");  // slices handed over before still answer into `batch`
    jobs.clear();
    slice = std::min(2 * slice, kBatchSlice);
  }
  // The writer has the whole call to work through meanwhile.
  free_spent_batches();
  std::vector<BatchAnswer> answers(events.size());
  {
    std::unique_lock<std::mutex> lock(batch->mutex);
    batch->reported.wait(lock, [&] { return batch->pending == 0; });
  }

  // The store failed every event it was handed (it is down, or locked past
  // busy_timeout): nothing was written, and the call fails as oc_submit
  // would, with the first one's status and message.
  const JobFailure *store_failure = nullptr;
  bool store_answered = false;
  for (const auto &event : batch->events) {
    if (!event.parsed) continue;
    if (!is_store_failure(event.failure.status)) {
      store_answered = true;
      break;
    }
    if (!store_failure) store_failure = &event.failure;
  }
  if (store_failure && !store_answered) fail(store_failure->status, store_failure->message);

  for (std::size_t i = 0; i < events.size(); ++i) {
    auto &event = batch->events[i];
    if (event.failure.status != OC_OK)
      answers[i] = BatchAnswer{event.failure.status, std::move(event.failure.message), {}};
    else if (event.outcome)
      answers[i].result = std::move(event.answer);
    else
      answers[i] = BatchAnswer{OC_ERR_INTERNAL, "internal error: the writer did not answer this event", {}};
  }
  // Every job has reported, but the writer drops its jobs, and with them
  // its share of `batch`, only with its next round: it was the last owner,
  // and freeing the parsed events took about 2.4% of its samples (perf).
  // Nor are they freed here, while the writer waits for the next call:
  // the next call frees them once the writer has all of its own to do
  // (spent_batches_).
  auto spent = std::make_shared<std::vector<BatchInFlight::Event>>(std::move(batch->events));
  std::lock_guard<std::mutex> lock(spent_batches_mutex_);
  spent_batches_.push_back(std::move(spent));
  return answers;
}

void Plugin::free_spent_batches() {
  std::vector<std::shared_ptr<void>> spent;
  {
    std::lock_guard<std::mutex> lock(spent_batches_mutex_);
    spent.swap(spent_batches_);
  }
  if (spent.empty()) return;
  // Freed here, outside the lock: other host threads may be putting theirs
  // back meanwhile.
  spent.clear();
  sort_freed_memory();
}

Json Plugin::call(std::string_view method, std::string_view args_bytes) {
  const Call *call = calls_.find(std::string(method));
  if (!call) fail(OC_ERR_UNKNOWN_METHOD, "oc_call: unknown method '" + std::string(method) + "'");
  if (args_bytes.size() > config_.limits.max_args_bytes)
    fail(OC_ERR_TOO_LARGE, "args: " + std::to_string(args_bytes.size()) +
                               " bytes exceeds the limit (limits.max_args_bytes)");
  Json args = args_bytes.empty() ? Json::object() : parse_json(args_bytes, "args");
  if (!args.is_object()) fail(OC_ERR_SCHEMA, "args: expected a JSON object");
  const std::optional<std::string> request_id = call->command ? take_request_id(args) : std::nullopt;
  // Every command has an id of its own; what it creates is named after it.
  const std::string command_id =
      request_id ? "req:" + *request_id : "cmd-" + crypto::hex_encode(crypto::random_bytes(8));
  const TimeMs now = host_now();
  bool erased_pii = false;
  std::optional<bool> scrubbed;
  Json result = run_job<Json>(
      [&](JobContext &ctx) {
        CallContext context{ctx, now, command_id};
        Json out = request_id ? run_once(context, std::string(method), args, *request_id, call->handler)
                              : call->handler(context, args);
        erased_pii = context.erased_pii;
        return out;
      },
      [&](store::Store &store) {
        if (erased_pii) scrubbed = scrub(store);
      });
  if (scrubbed) result["scrubbed"] = *scrubbed;
  // A listing that left out rows it could not read (a corrupt store) says
  // so in its result; the operator hears of it too.
  if (auto skipped = result.find("skipped"); skipped != result.end() && skipped->is_array()) {
    std::string ids;
    for (const auto &row : *skipped) ids += (ids.empty() ? "" : ", ") + row.value("id", std::string());
    log_.push(OC_LOG_WARN, std::string(method) + ": left out " + std::to_string(skipped->size()) +
                               " unreadable row(s) (corrupt store?): " + ids);
  }
  return result;
}

bool Plugin::scrub(store::Store &store) {
  try {
    if (store.scrub()) return true;
    log_.push(OC_LOG_WARN,
              "customer.erase: the erasure is committed, but another connection reading an older snapshot kept "
              "the store from checkpointing its WAL within store.busy_timeout: copies of the erased keys stay "
              "in the WAL file until it can; the plugin tries again at each commit and store tick");
  } catch (const std::exception &e) {
    log_.push(OC_LOG_WARN,
              std::string("customer.erase: the erasure is committed, but scrubbing the store's files failed: ") +
                  e.what());
  }
  return false;
}

std::uint32_t Plugin::poll(std::uint32_t max_callbacks) {
  std::lock_guard<std::mutex> one_poller(poll_mutex_);
  wakeup_.clear();
  std::uint32_t ran = 0;
  if (!callbacks_on_plugin_thread()) {
    // Rounds until nothing more is due or the budget is spent: an order's
    // next effect becomes due only once the one before it was answered.
    bool timers_fired = false;
    while (true) {
      const TimeMs now = host_now();
      const std::uint32_t budget = max_callbacks - ran;
      auto claimed = run_job<std::vector<store::ClaimedEffect>>([&](JobContext &ctx) {
        // Due SLA timers first, at the host's time: their effects may be due too.
        if (!timers_fired) engine_.fire_due_timers(ctx, now, kTimerBatch);
        return dispatcher_.claim(ctx, now, budget);
      });
      timers_fired = true;
      if (claimed.empty()) break;
      auto deliveries = dispatcher_.deliver(std::move(claimed));
      ran += static_cast<std::uint32_t>(deliveries.size());
      record_answers(deliveries, clock_.now());
      if (ran >= max_callbacks) {
        // There may be more than this poll could take: stay readable.
        wakeup_.signal();
        break;
      }
    }
  }
  log_.drain(host_);
  return ran;
}


bool Plugin::post_to_writer(Job job) { return loop_ && loop_->post(std::move(job)); }

void Plugin::flush_to_writer(std::size_t thread) {
  std::vector<Job> &to_writer = server_sinks_[thread]->to_writer;
  if (to_writer.empty()) return;
  // Posted one by one, the first would wake the writer into a commit of
  // its own while the rest of the turn is still being read. The writer
  // refuses only once oc_close has stopped it, and this thread (stopped
  // first) has closed every connection by then: no answer is owed.
  std::vector<Job> jobs;
  jobs.swap(to_writer);
  if (loop_) loop_->post_all(std::move(jobs));
}

void Plugin::on_server_thread(std::size_t thread, std::function<void()> task) {
  if (webhooks_) webhooks_->post(thread, std::move(task));
}

void Plugin::submit_async(std::size_t thread, std::vector<ingest::CanonicalEvent> events,
                          EventSink::SubmitDone done) {
  struct Pending {
    std::vector<ReceivedEvent> events;
    SubmitResult result;
  };
  auto pending = std::make_shared<Pending>();
  pending->events.reserve(events.size());
  for (auto &event : events) pending->events.emplace_back(std::move(event));
  Job job;
  job.work = [this, pending](JobContext &ctx) {
    const TimeMs now = loop_now();
    // A job may run again in a new transaction (store.h, Contended).
    pending->result.outcomes.clear();
    for (const auto &event : pending->events) pending->result.outcomes.push_back(engine_.ingest(ctx, event, now));
  };
  job.after_commit = [this, pending](store::Store &store) {
    for (const auto &outcome : pending->result.outcomes)
      if (outcome.erased_pii) {
        scrub(store);
        return;
      }
  };
  job.done = [this, thread, pending, done](std::exception_ptr error) {
    if (error) {
      JobFailure failure = failure_of(error);
      pending->result = SubmitResult{failure.status, std::move(failure.message), {}};
    }
    on_server_thread(thread, [pending, done] { done(std::move(pending->result)); });
  };
  server_sinks_[thread]->to_writer.push_back(std::move(job));
}

void Plugin::probe_async(std::size_t thread, EventSink::ProbeDone done) {
  auto probe = std::make_shared<StoreProbe>();
  Job job;
  job.work = [probe](JobContext &ctx) {
    probe->outbox_by_status = ctx.store.outbox().count_by_status();
    store::CaseQuery breached;
    breached.breached = true;
    breached.active = true;
    breached.limit = kMaxBreachedCount;
    probe->breached_cases = static_cast<std::int64_t>(ctx.store.reports().list_cases(breached).size());
    probe->reachable = true;
  };
  job.done = [this, thread, probe, done](std::exception_ptr error) {
    if (error) {
      probe->reachable = false;
      probe->error = failure_of(error).message;
    }
    on_server_thread(thread, [probe, done] { done(std::move(*probe)); });
  };
  if (!post_to_writer(std::move(job))) {
    probe->error = "the plugin is closing";
    done(std::move(*probe));
  }
}

}  // namespace ordercare::runtime
