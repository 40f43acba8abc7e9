#include "runtime/plugin.h"

#include <future>

#include "common/failure.h"
#include "ingest/canonical_event.h"
#include "runtime/calls/case_calls.h"
#include "runtime/calls/event_calls.h"

namespace ordercare::runtime {

Plugin::Plugin(Config config, const oc_host *host, std::uint32_t flags)
    : config_(std::move(config)), flags_(flags), engine_(config_.policy) {
  if (host) host_ = *host;
  clock_ = Clock(host_.now_ms, host_.user_data);
  store_ = store::open_store(config_.store);
  register_event_calls(calls_);
  register_case_calls(calls_, engine_, config_.policy);
  writer_ = std::make_unique<Writer>(*store_, [this](bool wake_host) {
    if (wake_host) wakeup_.signal();
  });
  loop_ = std::make_unique<LoopThread>([this](std::vector<Job> &jobs) { writer_->run_batch(jobs); });
  loop_->start(nullptr, nullptr);
}

Plugin::~Plugin() { close(); }

void Plugin::close() {
  if (loop_) loop_->stop();
  loop_.reset();
  writer_.reset();
  store_.reset();
}

namespace {

// What a job came to, as plain values.
struct JobOutcome {
  Json value;
  oc_status status = OC_OK;
  std::string message;
};

JobOutcome outcome_of(std::exception_ptr failure) {
  JobOutcome out;
  try {
    std::rethrow_exception(failure);
  } catch (const Failure &f) {
    out.status = f.status();
    out.message = f.what();
  } catch (const std::bad_alloc &) {
    out.status = OC_ERR_NOMEM;
    out.message = "out of memory";
  } catch (const std::exception &e) {
    out.status = OC_ERR_INTERNAL;
    out.message = std::string("internal error: ") + e.what();
  } catch (...) {
    out.status = OC_ERR_INTERNAL;
    out.message = "internal error: unknown exception";
  }
  return out;
}

}  // namespace

Json Plugin::run_job(std::function<Json(JobContext &)> fn) {
  if (!loop_) fail(OC_ERR_CLOSED, "the plugin is closed");
  // A failure crosses to the host thread as a status and a message, and is
  // thrown there anew: an exception object shared by two threads would be
  // freed by whichever drops it last, while the other may still read it.
  std::promise<JobOutcome> promise;
  auto future = promise.get_future();
  Json result;
  Job job;
  job.work = [&](JobContext &ctx) { result = fn(ctx); };
  job.done = [&](std::exception_ptr failure) {
    JobOutcome outcome;
    if (failure)
      outcome = outcome_of(failure);
    else
      outcome.value = std::move(result);
    promise.set_value(std::move(outcome));
  };
  if (!loop_->post(std::move(job))) fail(OC_ERR_CLOSED, "the plugin is closing");
  JobOutcome outcome = future.get();
  if (outcome.status != OC_OK) fail(outcome.status, outcome.message);
  return std::move(outcome.value);
}

Json Plugin::submit(std::string_view event_bytes) {
  auto event = ingest::parse_canonical_event(event_bytes, config_.limits.max_event_bytes);
  const TimeMs now = clock_.now();
  return run_job([&](JobContext &ctx) { return to_json(engine_.ingest(ctx, event, now)); });
}

Json Plugin::call(std::string_view method, std::string_view args_bytes) {
  const CallHandler *handler = calls_.find(std::string(method));
  if (!handler) fail(OC_ERR_UNKNOWN_METHOD, "oc_call: unknown method '" + std::string(method) + "'");
  if (args_bytes.size() > config_.limits.max_args_bytes)
    fail(OC_ERR_TOO_LARGE, "args: " + std::to_string(args_bytes.size()) +
                               " bytes exceeds the limit (limits.max_args_bytes)");
  Json args = args_bytes.empty() ? Json::object() : parse_json(args_bytes, "args");
  if (!args.is_object()) fail(OC_ERR_SCHEMA, "args: expected a JSON object");
  const TimeMs now = clock_.now();
  return run_job([&](JobContext &ctx) {
    CallContext call{ctx, now};
    return (*handler)(call, args);
  });
}

std::uint32_t Plugin::poll(std::uint32_t /*max_callbacks*/) {
  wakeup_.clear();
  return 0;
}

}  // namespace ordercare::runtime
