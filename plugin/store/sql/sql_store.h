// The part of a Store that is the same over any SQL engine: the event log,
// the state, the reports and the outbox, all on one connection, with the
// PII vault they seal through, and each job's nested scope (a savepoint).
// An engine (sqlite/, postgres/) adds its transactions, claims and
// wake-ups.
#pragma once

#include <memory>
#include <optional>
#include <vector>
#include <string>

#include "store/report_store.h"
#include "store/sql/connection.h"
#include "store/sql/pii_vault.h"
#include "store/sql/sql_event_log.h"
#include "store/sql/sql_outbox.h"
#include "store/sql/sql_report_store.h"
#include "store/sql/sql_state_store.h"
#include "store/store.h"

namespace ordercare::store::sql {

// A connection ready for the store: migrated, with its master key loaded
// and the claimant the outbox records claims as.
struct OpenedConnection {
  std::unique_ptr<Connection> connection;
  std::string master_key;
  Claimant claimant;
  std::size_t remembered_documents = 0;  // StoreConfig::remembered_documents
  // A batch holds the store's only write lock (SQLite's BEGIN IMMEDIATE).
  bool exclusive_batches = false;
};

class SqlStore : public Store {
 public:
  void begin_job() override;
  void release_job() override;
  bool rollback_job() override;

  EventLog &events() override { return events_; }
  StateStore &state() override { return state_; }
  ReportStore &reports() override { return reports_; }
  Outbox &outbox() override { return outbox_; }

  Connection &connection() { return *connection_; }
  // Who this store claims effects as (one per open store).
  const std::string &outbox_claimant() const { return outbox_.claimant(); }

 protected:
  explicit SqlStore(OpenedConnection opened);

  // The engine reports its batch's begin and end here.
  void batch_began();
  void batch_ended(bool committed);
  // True while the batch's first job runs: the one job that may wait for
  // its claims (Store::claim).
  bool in_first_job() const { return top_level_jobs_ <= 1; }
  PiiVault &vault() { return vault_; }
  // Another process or node may have erased a customer: unwrapped keys and
  // opened documents are forgotten.
  void forget_secrets();
  // Rows this connection has inserted, updated or deleted since it opened,
  // if the engine counts them: a top-level job is then scoped by the count
  // instead of a savepoint.
  virtual std::optional<std::int64_t> rows_changed() { return std::nullopt; }

 private:
  std::unique_ptr<Connection> connection_;
  PiiVault vault_;
  SqlEventLog events_;
  SqlStateStore state_;
  SqlReportStore reports_;
  SqlOutbox outbox_;
  // The open jobs, outermost first: each one's rows_changed() at its start,
  // or nullopt for one scoped by a savepoint.
  std::vector<std::optional<std::int64_t>> job_marks_;
  int top_level_jobs_ = 0;
};

}  // namespace ordercare::store::sql
