#include "runtime/outbox_dispatcher.h"

#include <algorithm>
#include <cmath>
#include <new>

#include "common/crypto.h"
#include "common/failure.h"

namespace ordercare::runtime {

namespace {

// The store itself failed (a disk error, a lock held too long, no memory),
// not the answer.
bool store_failed(const std::exception &e) {
  if (dynamic_cast<const std::bad_alloc *>(&e)) return true;
  const auto *failure = dynamic_cast<const Failure *>(&e);
  return failure && (failure->status() == OC_ERR_STORE || failure->status() == OC_ERR_BUSY);
}

}  // namespace

std::vector<store::ClaimedEffect> OutboxDispatcher::claim(JobContext &job, TimeMs now, std::size_t max) const {
  const auto kinds = host_.kinds();
  if (kinds.empty() || max == 0) return {};
  auto claimed = job.store.outbox().claim_due(now, max, kinds, now + config_.lease);
  std::vector<store::ClaimedEffect> ready;
  for (auto &c : claimed) {
    if (c.effect.kind != "notify") {
      ready.push_back(std::move(c));
      continue;
    }
    RenderResult rendered = renderer_.render(job.store.state(), c.effect.payload);
    if (!rendered.error) {
      c.effect.payload = std::move(rendered.payload);
      ready.push_back(std::move(c));
      continue;
    }
    // Not sent: the effect fails here, and the case says why. A claim
    // after the first follows one whose answer was never recorded (a poll
    // that failed, a process that died): that attempt may have reached the
    // host, and the error must not say otherwise.
    const std::string why = c.attempt > 1 ? "not sent again: " + *rendered.error +
                                                "; an earlier attempt may have reached the host"
                                          : "not sent: " + *rendered.error;
    if (!job.store.outbox().mark_failed(c, why, "", now)) continue;
    log_.push(OC_LOG_WARN, "notification " + c.effect.id + " " + why);
    answer_domain(job, c.effect, domain::HostAnswer::rejected, "notification " + why, now);
    // The next effect of its order is due now: the host must poll again.
    job.wake_host = true;
  }
  return ready;
}

std::vector<Delivery> OutboxDispatcher::deliver(std::vector<store::ClaimedEffect> claimed) const {
  std::vector<Delivery> out;
  out.reserve(claimed.size());
  for (auto &c : claimed) {
    const std::string body = dump_json(c.effect.payload);
    HostAnswer answer = host_.invoke(c.effect.kind, c.effect.id, c.attempt, body);
    out.push_back({std::move(c), std::move(answer)});
  }
  return out;
}

void OutboxDispatcher::record(JobContext &job, const std::vector<Delivery> &deliveries, TimeMs now) const {
  for (const auto &delivery : deliveries) {
    // Each answer is its own step: one the domain cannot take (a host that
    // answered nonsense) must not lose the others.
    job.store.begin_job();
    try {
      record_one(job, delivery, now);
      job.store.release_job();
    } catch (const std::exception &e) {
      // Nested in the writer's job: a savepoint, always undone alone.
      static_cast<void>(job.store.rollback_job());
      // A store that fails says nothing of the answer, which the host may
      // have carried out: given up on here, a refund done at its last
      // attempt was called failed and stayed requested. The whole record
      // fails instead, and its effects, still in flight, go again under
      // their keys once their lease runs out.
      if (store_failed(e)) throw;
      const auto &effect = delivery.claimed.effect;
      const std::string why = std::string("recording the answer failed: ") + e.what();
      // An answer that can never be recorded (a lookup_order answered with
      // another order) is given up on like any other failure.
      if (delivery.claimed.attempt >= config_.max_attempts)
        job.store.outbox().mark_failed(
            delivery.claimed, "gave up after " + std::to_string(delivery.claimed.attempt) + " attempts: " + why, "",
            now);
      else
        job.store.outbox().mark_retry(delivery.claimed, why, "", now + backoff(effect.id, delivery.claimed.attempt),
                                      now);
      log_.push(OC_LOG_ERROR, "effect " + effect.id + ": recording the host's answer failed: " + e.what());
    }
  }
  // An answer frees the next effect of its order, due already: wake the host
  // for it. With a host-driven clock the plugin thread cannot see that
  // itself, and a host that polls when oc_wakeup_fd is readable would wait.
  const auto due = job.store.outbox().next_due(host_.kinds());
  if (!deliveries.empty() && due && *due <= now) job.wake_host = true;
}

void OutboxDispatcher::record_one(JobContext &job, const Delivery &delivery, TimeMs now) const {
  const domain::Effect &effect = delivery.claimed.effect;
  const HostAnswer &answer = delivery.answer;
  // The host's own words (a rejection's reason) are the customer's
  // business; a problem with the answer is ordercare's.
  const std::string host_words = answer.problem.empty() ? answer.detail.value("reason", std::string()) : "";
  const std::string reason = answer.problem.empty() ? host_words : answer.problem;
  store::Outbox &outbox = job.store.outbox();
  const store::ClaimedEffect &claim = delivery.claimed;
  // Each answer counts only while the claim is still ours. A host slower
  // than the lease may have seen the effect claimed again by another
  // process, whose answer (the same, under the same key) counts instead.
  auto lost = [&] {
    log_.push(OC_LOG_WARN, "effect " + effect.id + ": answered after its lease ran out and another process "
                           "claimed it; that process's answer counts");
  };
  if (answer.problem.empty() && answer.outcome == OC_OUTCOME_DONE) {
    if (!outbox.mark_done(claim, answer.detail, now)) return lost();
    if (effect.kind == "lookup_order")
      engine_.learn_order(job, effect.order_id.value_or(""), answer.detail, now);
    else
      answer_domain(job, effect, domain::HostAnswer::done, answer.detail.value("host_reference", ""), now,
                    answer.detail);
    return;
  }
  if (answer.problem.empty() && answer.outcome == OC_OUTCOME_PENDING) {
    if (!outbox.mark_done(claim, Json{{"outcome", "pending"}, {"detail", answer.detail}}, now)) return lost();
    answer_domain(job, effect, domain::HostAnswer::pending, "", now, answer.detail);
    return;
  }
  if (answer.problem.empty() && answer.outcome == OC_OUTCOME_REJECTED) {
    if (!outbox.mark_failed(claim, reason.empty() ? "rejected by the host" : reason,
                            host_words.empty() ? "" : "rejected by the host", now))
      return lost();
    log_.push(OC_LOG_WARN, "effect " + effect.id + " rejected by the host");
    answer_domain(job, effect, domain::HostAnswer::rejected, reason.empty() ? "rejected by the host" : reason, now,
                  answer.detail);
    return;
  }
  // Retry later, or an answer that could not be used.
  const std::string why = reason.empty() ? "the host asked to retry later" : reason;
  const std::string why_unquoted = host_words.empty() ? "" : "the host asked to retry later";
  if (delivery.claimed.attempt >= config_.max_attempts) {
    const std::string gave_up = "gave up after " + std::to_string(delivery.claimed.attempt) + " attempts: ";
    const std::string final_reason = gave_up + why;
    if (!outbox.mark_failed(claim, final_reason, why_unquoted.empty() ? "" : gave_up + why_unquoted, now))
      return lost();
    // The log never carries the host's words: they may be about the customer.
    log_.push(OC_LOG_ERROR, "effect " + effect.id + " " + gave_up + (host_words.empty() ? why : why_unquoted));
    answer_domain(job, effect, domain::HostAnswer::gave_up, final_reason, now);
    return;
  }
  if (!outbox.mark_retry(claim, why, why_unquoted, now + backoff(effect.id, delivery.claimed.attempt), now)) lost();
}

void OutboxDispatcher::answer_domain(JobContext &job, const domain::Effect &effect, domain::HostAnswer answer,
                                     const std::string &detail, TimeMs now, const Json &reply) const {
  engine_.apply_effect_answer(job, effect, answer, detail, now, reply);
}

std::optional<TimeMs> OutboxDispatcher::next_due(store::Store &store) const {
  const auto kinds = host_.kinds();
  if (kinds.empty()) return std::nullopt;
  return store.outbox().next_due(kinds);
}

TimeMs OutboxDispatcher::backoff(const std::string &effect_id, std::int64_t attempt) const {
  const double exponential = static_cast<double>(config_.base_backoff) *
                             std::pow(2.0, static_cast<double>(std::max<std::int64_t>(attempt, 1) - 1));
  const double capped = std::min(exponential, static_cast<double>(config_.max_backoff));
  // Jitter from a hash of (effect, attempt): spread, yet reproducible.
  const std::string h = crypto::sha256(effect_id + "#" + std::to_string(attempt));
  const double unit = static_cast<double>(static_cast<unsigned char>(h[0]) << 8 | static_cast<unsigned char>(h[1])) / 65536.0;
  return static_cast<TimeMs>(capped * (1.0 + config_.jitter * unit));
}

}  // namespace ordercare::runtime
