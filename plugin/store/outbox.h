// The outbox: effects written with the change that caused them, delivered
// to the host afterwards. With several processes or nodes on one store, an
// effect is claimed, not owned: a claim is a lease recorded in the store in
// the same transaction that takes it, and an effect whose lease ran out
// (its process died) is due again, under the same idempotency key.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "common/json.h"
#include "common/time_format.h"
#include "domain/entities.h"

namespace ordercare::store {

struct OutboxRow {
  domain::Effect effect;
  std::string status;  // pending, in_flight, done, failed
  std::int64_t attempts = 0;
  std::optional<TimeMs> next_attempt_at;  // in_flight: when the lease ends
  std::optional<std::string> last_error;
  Json result = nullptr;
  TimeMs updated_at = 0;
};

struct OutboxQuery {
  std::optional<std::string> status, kind, order_id, case_id;
  std::size_t limit = 50;
  std::int64_t after_seq = 0;
};

struct ClaimedEffect {
  domain::Effect effect;
  std::int64_t attempt = 1;  // this try, counting from 1; with the claimant it names the claim
};

class Outbox {
 public:
  virtual ~Outbox() = default;
  // Queues the effect; false if one with that id exists already (replays).
  virtual bool enqueue(const domain::Effect &effect) = 0;

  // Claims up to `limit` effects due at `now` whose kind is in `kinds`:
  // pending ones whose next attempt is due, and in_flight ones whose lease
  // ran out. Only the earliest unfinished effect of each ordering key is
  // claimable, so an order's effects reach the host in the order they were
  // decided, whichever process delivers them. Claimed effects are in_flight
  // under this store's claimant until `lease_until`, attempts counted.
  virtual std::vector<ClaimedEffect> claim_due(TimeMs now, std::size_t limit,
                                               const std::vector<std::string> &kinds, TimeMs lease_until) = 0;
  // Each records the outcome of one claim; false (and nothing written) when
  // the claim is no longer this store's: the lease ran out and another
  // process claimed the effect again, so its answer is the one that counts.
  // The host's answer is the customer's business: sealed with the effect.
  // An error that quotes the host gives `without_host_words`, the way it
  // reads once the customer is erased; one that does not leaves it empty.
  virtual bool mark_done(const ClaimedEffect &claim, const Json &result, TimeMs now) = 0;
  virtual bool mark_failed(const ClaimedEffect &claim, const std::string &error,
                           const std::string &without_host_words, TimeMs now) = 0;
  virtual bool mark_retry(const ClaimedEffect &claim, const std::string &error,
                          const std::string &without_host_words, TimeMs next_attempt_at, TimeMs now) = 0;
  // Puts back to pending, due at `now`, the in_flight effects whose
  // claimant is known to be gone (a process of this machine that no longer
  // runs, a node whose session ended); the others wait for their lease.
  // Returns how many.
  virtual std::int64_t release_dead_claims(TimeMs now) = 0;
  // Puts these claims of this store back to pending, due at `now`: their
  // answers could not be recorded (the store failed), so they go again at
  // the next poll under their keys instead of waiting for the lease. A
  // claim that is no longer this store's is left as it is.
  virtual std::int64_t release_claims(const std::vector<ClaimedEffect> &claims, TimeMs now) = 0;

  // The earliest next attempt (or lease end) among unfinished effects of
  // these kinds.
  virtual std::optional<TimeMs> next_due(const std::vector<std::string> &kinds) = 0;
  virtual std::map<std::string, std::int64_t> count_by_status() = 0;
  virtual std::optional<OutboxRow> find(const std::string &id) = 0;
  // In seq order; returns (seq, row) pairs, at most limit + 1.
  virtual std::vector<std::pair<std::int64_t, OutboxRow>> list(const OutboxQuery &query) = 0;
  virtual std::vector<OutboxRow> for_case(const std::string &case_id) = 0;
};

}  // namespace ordercare::store
