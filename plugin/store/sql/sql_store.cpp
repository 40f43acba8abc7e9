#include "store/sql/sql_store.h"

namespace ordercare::store::sql {

SqlStore::SqlStore(OpenedConnection opened)
    : connection_(std::move(opened.connection)),
      vault_(*connection_, std::move(opened.master_key)),
      events_(*connection_, vault_),
      state_(*connection_, vault_, opened.remembered_documents, opened.exclusive_batches),
      reports_(*connection_, vault_),
      outbox_(*connection_, vault_, std::move(opened.claimant)) {}

void SqlStore::batch_began() {
  state_.batch_began();
  job_marks_.clear();
  top_level_jobs_ = 0;
}

void SqlStore::batch_ended(bool committed) {
  if (committed)
    vault_.on_batch_commit();
  else
    vault_.on_batch_rollback();
  state_.batch_ended();
  job_marks_.clear();
  top_level_jobs_ = 0;
}

void SqlStore::begin_job() {
  std::optional<std::int64_t> mark;
  if (job_marks_.empty()) {
    ++top_level_jobs_;
    mark = rows_changed();
  }
  if (!mark) connection_->exec_cached("SAVEPOINT job");
  job_marks_.push_back(mark);
  vault_.on_job_begin();
}

void SqlStore::release_job() {
  const auto mark = job_marks_.back();
  if (!mark) connection_->exec_cached("RELEASE job");
  job_marks_.pop_back();
  vault_.on_job_release();
}

bool SqlStore::rollback_job() {
  vault_.on_job_rollback();
  state_.new_generation();
  const auto mark = job_marks_.back();
  job_marks_.pop_back();
  if (mark) return rows_changed() == mark;
  connection_->exec_cached("ROLLBACK TO job");
  connection_->exec_cached("RELEASE job");
  return true;
}

void SqlStore::forget_secrets() {
  vault_.forget_keys();
  state_.forget_documents();
}

}  // namespace ordercare::store::sql
