// The outbox over SQL. Claims take the earliest unfinished effect of each
// ordering key under a lease recorded in the row; on PostgreSQL the claim
// skips rows another node's claim has locked (FOR UPDATE SKIP LOCKED), on
// SQLite the write lock already makes it one claimant at a time.
#pragma once

#include <functional>
#include <string>

#include "domain/json_text.h"
#include "store/outbox.h"
#include "store/sql/connection.h"
#include "store/sql/pii_vault.h"

namespace ordercare::store::sql {

// Who this store claims effects as, and how to tell whether another
// claimant still lives (engine-specific: a process of this machine, a
// node's database session).
struct Claimant {
  std::string id;
  std::function<bool(const std::string &claimant)> is_alive;
};

class SqlOutbox final : public Outbox {
 public:
  SqlOutbox(Connection &db, PiiVault &vault, Claimant claimant)
      : db_(db), vault_(vault), claimant_(std::move(claimant)) {}

  bool enqueue(const domain::Effect &effect) override;
  std::vector<ClaimedEffect> claim_due(TimeMs now, std::size_t limit, const std::vector<std::string> &kinds,
                                       TimeMs lease_until) override;
  bool mark_done(const ClaimedEffect &claim, const Json &result, TimeMs now) override;
  bool mark_failed(const ClaimedEffect &claim, const std::string &error, const std::string &without_host_words,
                   TimeMs now) override;
  bool mark_retry(const ClaimedEffect &claim, const std::string &error, const std::string &without_host_words,
                  TimeMs next_attempt_at, TimeMs now) override;
  std::int64_t release_dead_claims(TimeMs now) override;
  std::int64_t release_claims(const std::vector<ClaimedEffect> &claims, TimeMs now) override;
  std::optional<TimeMs> next_due(const std::vector<std::string> &kinds) override;
  std::map<std::string, std::int64_t> count_by_status() override;
  std::optional<OutboxRow> find(const std::string &id) override;
  std::vector<std::pair<std::int64_t, OutboxRow>> list(const OutboxQuery &query) override;
  std::vector<OutboxRow> for_case(const std::string &case_id) override;

  const std::string &claimant() const { return claimant_.id; }

 private:
  OutboxRow read_row(Statement &row);
  // The effect as stored, its payload opened (an erased customer's reads
  // as {"pii_erased": true}).
  domain::Effect read_effect(const std::string &body);
  // Binds the kinds a host handles as ?first.. ?first+3 (at most four).
  void bind_kinds(Statement &stmt, int first, const std::vector<std::string> &kinds);
  // An error as stored: sealed when it quotes the host, as it is when not.
  std::string stored_error(const ClaimedEffect &claim, const std::string &error, const std::string &without_host_words);

  Connection &db_;
  PiiVault &vault_;
  // Writes effects' text without their trees; its buffers are kept.
  domain::json_fields::TextWriter text_;
  Claimant claimant_;
};

}  // namespace ordercare::store::sql
