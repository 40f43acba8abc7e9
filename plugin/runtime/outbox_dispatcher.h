// Carries effects from the outbox to the host: claim what is due (on the
// writer), call the host's callbacks (on the host's thread inside oc_poll,
// or on the plugin thread when the host opted in), then record each answer
// and what it means (on the writer again). A crash anywhere in between
// leaves the effect in the outbox under the same idempotency key.
#pragma once

#include <string>
#include <vector>

#include "runtime/config.h"
#include "runtime/engine.h"
#include "runtime/host_callbacks.h"
#include "runtime/log_queue.h"
#include "runtime/notification_renderer.h"
#include "store/store.h"

namespace ordercare::runtime {

struct Delivery {
  store::ClaimedEffect claimed;
  HostAnswer answer;
};

class OutboxDispatcher {
 public:
  OutboxDispatcher(const OutboxConfig &config, const HostCallbacks &host, Engine &engine, LogQueue &log,
                   const NotificationRenderer &renderer)
      : config_(config), host_(host), engine_(engine), log_(log), renderer_(renderer) {}

  std::vector<store::ClaimedEffect> claim(JobContext &job, TimeMs now, std::size_t max) const;
  std::vector<Delivery> deliver(std::vector<store::ClaimedEffect> claimed) const;
  void record(JobContext &job, const std::vector<Delivery> &deliveries, TimeMs now) const;

  // When the next effect falls due, for the wake-up timer.
  std::optional<TimeMs> next_due(store::Store &store) const;

  // The wait before attempt `attempt + 1`, jitter included; deterministic
  // per effect so tests can bound it.
  TimeMs backoff(const std::string &effect_id, std::int64_t attempt) const;

 private:
  void record_one(JobContext &job, const Delivery &delivery, TimeMs now) const;
  void answer_domain(JobContext &job, const domain::Effect &effect, domain::HostAnswer answer,
                     const std::string &detail, TimeMs now, const Json &reply = Json::object()) const;

  const OutboxConfig &config_;
  const HostCallbacks &host_;
  Engine &engine_;
  LogQueue &log_;
  const NotificationRenderer &renderer_;
};

}  // namespace ordercare::runtime
