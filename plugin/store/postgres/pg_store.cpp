#include "store/postgres/pg_store.h"

#include <unistd.h>

#include <algorithm>
#include <chrono>

#include "common/crypto.h"
#include "common/failure.h"
#include "store/postgres/pg_migrations.h"
#include "store/sql/migrations.h"

namespace ordercare::store::postgres {

namespace {

std::string host_name() {
  char name[256] = {0};
  if (::gethostname(name, sizeof name - 1) != 0) return "localhost";
  return name;
}

// A claimant is alive while its session holds the advisory lock named
// after it: the server drops a session lock when the node's connection
// ends, however it ended.
void hold_claimant_lock(PgConnection &db, const std::string &claimant) {
  db.prepare("SELECT pg_advisory_lock(?1)")->bind(1, db.lock_key("claimant:" + claimant)).run();
}

bool claimant_alive(PgConnection &db, const std::string &claimant) {
  const std::int64_t key = db.lock_key("claimant:" + claimant);
  auto probe = db.prepare("SELECT pg_try_advisory_lock(?1)");
  probe->bind(1, key);
  if (!probe->step() || probe->column_text(0) != "t") return true;
  db.prepare("SELECT pg_advisory_unlock(?1)")->bind(1, key).run();
  return false;
}

sql::OpenedConnection open_connection(const StoreConfig &config) {
  if (config.url.empty())
    fail(OC_ERR_CONFIG, "config: store.url: required for the postgres engine (or store.url_env naming an "
                        "environment variable that holds it)");
  PgSettings settings{config.url, config.schema, config.busy_timeout_ms};
  auto db = std::make_unique<PgConnection>(settings);
  PgConnection *raw = db.get();
  sql::migrate(*db, postgres_migrations());
  sql::OpenedConnection out;
  out.master_key = sql::load_master_key(*db, "", config.master_key);
  const std::string claimant =
      host_name() + ":" + std::to_string(::getpid()) + ":" + crypto::hex_encode(crypto::random_bytes(4));
  hold_claimant_lock(*db, claimant);
  raw->set_on_connect([raw, claimant] { hold_claimant_lock(*raw, claimant); });
  out.claimant = {claimant, [raw](const std::string &other) { return claimant_alive(*raw, other); }};
  out.remembered_documents = config.remembered_documents;
  out.connection = std::move(db);
  return out;
}

std::string channel_for(const std::string &schema) { return "ordercare_wake_" + schema; }

constexpr std::chrono::milliseconds kAnnounceGap{20};

}  // namespace

PgStore::PgStore(const StoreConfig &config)
    : SqlStore(open_connection(config)),
      pg_(static_cast<PgConnection &>(connection())),
      listener_(config.url, channel_for(config.schema), outbox_claimant()),
      channel_(channel_for(config.schema)) {}

void PgStore::begin_batch() {
  pg_.ensure_connected();
  pg_.exec("BEGIN");
  batch_began();
  held_.clear();
  held_marks_.clear();
  // A key this node remembers may have been erased by another since: the
  // count of erasures tells, read in the transaction that would use it.
  auto erasures = pg_.cached("SELECT value FROM meta WHERE key = 'pii.erasures'");
  const std::string seen = erasures->step() ? erasures->column_text(0) : "0";
  if (seen != erasures_seen_) forget_secrets();
  erasures_seen_ = seen;
}

void PgStore::commit_batch() {
  pg_.exec("COMMIT");
  batch_ended(true);
  held_.clear();
  held_marks_.clear();
}

void PgStore::rollback_batch() {
  batch_ended(false);
  held_.clear();
  held_marks_.clear();
  pg_.exec("ROLLBACK");
}

void PgStore::begin_job() {
  SqlStore::begin_job();
  held_marks_.push_back(held_.size());
}

void PgStore::release_job() {
  SqlStore::release_job();
  if (!held_marks_.empty()) held_marks_.pop_back();
}

bool PgStore::rollback_job() {
  forget_claims_of_rolled_back_job();
  return SqlStore::rollback_job();
}

void PgStore::forget_claims_of_rolled_back_job() {
  // Locks taken after a savepoint go when the transaction rolls back to it.
  if (held_marks_.empty()) return;
  held_.resize(held_marks_.back());
  held_marks_.pop_back();
}

std::vector<std::string> PgStore::not_held(const std::vector<Subject> &subjects) const {
  std::vector<std::string> out;
  for (const auto &s : subjects)
    if (std::find(held_.begin(), held_.end(), s.str()) == held_.end()) out.push_back(s.str());
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

bool PgStore::claim(const std::vector<Subject> &subjects) {
  const auto wanted = not_held(subjects);
  for (const auto &subject : wanted) {
    if (!in_first_job()) {
      if (!try_lock(subject)) throw Contended{subject};
      continue;
    }
    // Holding nothing a peer's first job could be waiting for, this job
    // may wait (up to store.busy_timeout, the session's lock_timeout).
    auto lock = pg_.cached("SELECT pg_advisory_xact_lock(?1)");
    lock->bind(1, pg_.lock_key(subject));
    lock->step();
    held_.push_back(subject);
  }
  return !wanted.empty();
}

bool PgStore::try_claim(const std::vector<Subject> &subjects) {
  for (const auto &subject : not_held(subjects))
    if (!try_lock(subject)) return false;
  return true;
}

bool PgStore::try_lock(const std::string &subject) {
  auto lock = pg_.cached("SELECT pg_try_advisory_xact_lock(?1)");
  lock->bind(1, pg_.lock_key(subject));
  if (!lock->step() || lock->column_text(0) != "t") return false;
  held_.push_back(subject);
  return true;
}

bool PgStore::scrub() {
  // The erasure's UPDATE left the old row versions, wrapped keys and all,
  // dead in pii_keys; VACUUM (never inside a transaction) removes them
  // from the table's pages as soon as no transaction that could still
  // see them remains. Not VACUUM FULL: rewriting the table would lock
  // every node out of every key while it runs.
  pg_.ensure_connected();
  pg_.exec("VACUUM pii_keys");
  return true;
}

void PgStore::announce() {
  // After the commit, on its own: a NOTIFY inside the transaction would
  // queue every committing transaction behind the notification lock. At
  // most one per kAnnounceGap, since each is a commit of its own and the
  // others look only every wake_interval anyway; one held back goes with
  // the next commit or the store watch's next tick.
  announce_pending_ = pg_.take_wrote() || announce_pending_;
  if (!announce_pending_) return;
  const auto now = std::chrono::steady_clock::now();
  if (now - last_announce_ < kAnnounceGap) return;
  announce_pending_ = false;
  last_announce_ = now;
  // The payload names the sender only, so it does not wake itself.
  auto notify = pg_.cached("SELECT pg_notify(?1, ?2)");
  notify->bind(1, channel_).bind(2, outbox_claimant());
  notify->step();
}

}  // namespace ordercare::store::postgres
