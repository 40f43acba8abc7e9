// The store beyond one machine: PostgreSQL, shared by any number of
// processes on any number of nodes. Transactions run side by side (read
// committed), so a job claims the subjects it is about with a transaction
// advisory lock before reading them: two jobs about one order never
// interleave, and the lock goes with the transaction, whether it commits,
// rolls back or its node dies. Effects are claimed under a lease in the
// row (outbox.h), skipping rows another node is claiming. Idle nodes are
// woken with LISTEN/NOTIFY, sent after commits, never inside one.
#pragma once

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "store/postgres/pg_connection.h"
#include "store/postgres/pg_listener.h"
#include "store/sql/sql_store.h"

namespace ordercare::store::postgres {

class PgStore final : public sql::SqlStore {
 public:
  explicit PgStore(const StoreConfig &config);

  void begin_batch() override;
  void commit_batch() override;
  void rollback_batch() override;
  void begin_job() override;
  void release_job() override;
  bool rollback_job() override;

  bool claim(const std::vector<Subject> &subjects) override;
  bool try_claim(const std::vector<Subject> &subjects) override;

  bool others_committed() override { return listener_.drain(); }
  void announce() override;
  bool scrub() override;

  std::int64_t schema_version() override { return pg_.schema_version(); }

  PgConnection &database() { return pg_; }

 private:
  // The subjects not yet held by this transaction, spelt and sorted: every
  // batch takes its locks in one order.
  std::vector<std::string> not_held(const std::vector<Subject> &subjects) const;
  // Takes one subject's lock if no other transaction holds it.
  bool try_lock(const std::string &subject);
  void forget_claims_of_rolled_back_job();

  PgConnection &pg_;
  PgListener listener_;
  std::string channel_;
  std::vector<std::string> held_;         // subjects claimed in this transaction
  std::vector<std::size_t> held_marks_;   // held_.size() at each open job's start
  std::string erasures_seen_;             // meta "pii.erasures" when the vault last knew it current
  bool announce_pending_ = false;         // a commit wrote, and the others were not told yet
  std::chrono::steady_clock::time_point last_announce_{};
};

}  // namespace ordercare::store::postgres
