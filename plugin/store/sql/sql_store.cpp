#include "store/sql/sql_store.h"

namespace ordercare::store::sql {

SqlStore::SqlStore(OpenedConnection opened)
    : connection_(std::move(opened.connection)),
      vault_(*connection_, std::move(opened.master_key)),
      events_(*connection_, vault_),
      state_(*connection_, vault_),
      reports_(*connection_, vault_),
      outbox_(*connection_, vault_, std::move(opened.claimant)) {}

void SqlStore::batch_began() {
  job_depth_ = 0;
  top_level_jobs_ = 0;
}

void SqlStore::batch_ended(bool committed) {
  if (committed)
    vault_.on_batch_commit();
  else
    vault_.on_batch_rollback();
  job_depth_ = 0;
  top_level_jobs_ = 0;
}

void SqlStore::begin_job() {
  connection_->exec("SAVEPOINT job");
  if (job_depth_++ == 0) ++top_level_jobs_;
  vault_.on_job_begin();
}

void SqlStore::release_job() {
  connection_->exec("RELEASE job");
  vault_.on_job_release();
  --job_depth_;
}

void SqlStore::rollback_job() {
  vault_.on_job_rollback();
  --job_depth_;
  connection_->exec("ROLLBACK TO job; RELEASE job");
}

}  // namespace ordercare::store::sql
