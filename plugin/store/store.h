// The one Store interface. Everything above plugin/store/ talks to storage
// through it and nothing engine-specific leaks out: SQLite (one machine)
// and PostgreSQL (several nodes) sit behind the same calls.
//
// Transactions follow the runtime's single writer per process: the writer
// opens one batch (a transaction), runs each job inside its own scope
// (begin_job / release_job / rollback_job) so one failed job leaves the
// others intact, then commits the batch once (group commit). Nothing a job
// did is acknowledged before commit_batch() returns.
//
// A scope costs nothing where the engine can tell what a job wrote
// (SQLite): a job that fails before writing needs no undo, and most
// failures (bad input, unknown ids) come before any write. One that failed
// after writing cannot be undone alone; rollback_job() says so and the
// writer rolls the batch back and runs its other jobs again. Nested scopes
// (a job that isolates steps of its own) are savepoints.
//
// Many processes and nodes may open one store at once. Writers of one
// SQLite file serialise on its write lock (waiting up to busy_timeout);
// PostgreSQL transactions run side by side, so a job claims the subjects it
// reads and writes (claim) and two jobs about one order never interleave.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "common/subject.h"
#include "store/event_log.h"
#include "store/outbox.h"
#include "store/state_store.h"

namespace ordercare::store {

// The queries behind listings and reports (store/report_store.h): not part
// of the event path, which never includes them.
class ReportStore;

enum class Durability {
  full,    // fsync on every commit: an acknowledged event survives power loss
  normal,  // WAL without fsync per commit: survives a process crash only
};

struct StoreConfig {
  std::string engine = "sqlite";  // "sqlite" | "postgres"
  // SQLite: the file.
  std::string path = "ordercare.db";
  Durability durability = Durability::full;
  std::int64_t busy_timeout_ms = 5000;
  // SQLite's page cache per connection, in KiB, filled only as pages are
  // read. A batch of a few hundred events dirties more pages than SQLite's
  // 2 MiB default holds, and each overflow writes dirty pages to the WAL
  // in the middle of the transaction and reads them back (measured: 12% of
  // a 512-event batch's time).
  std::int64_t page_cache_kib = 32768;
  // PostgreSQL: a libpq connection URI (never logged or echoed: it may
  // hold a password), and the schema ordercare's tables live in.
  std::string url;
  std::string schema = "ordercare";
  // How often an idle process looks for work another process committed
  // (SQLite); PostgreSQL wakes idle nodes with LISTEN/NOTIFY at once.
  std::int64_t wake_interval_ms = 100;
  // Documents of each kind (orders, customers, cases, returns) the event
  // path keeps opened in memory, least recently used out first, so an
  // event about them reads without decrypting and parsing them again and
  // writes back only what changed. About 2-5 KB each; 0 keeps none.
  std::size_t remembered_documents = 4096;
  // 32 raw bytes wrapping every customer's data key; empty means "use the
  // key file next to the store, creating it on first open" (SQLite only).
  std::string master_key;
};

// Thrown by claim() in a job that would have to wait for a subject another
// transaction holds while its own batch already holds others: two batches
// waiting on each other would deadlock. The writer commits the jobs before
// it and runs this one first in the next batch, where it may wait. Not a
// std::exception, so no handler for failures mistakes it for one.
struct Contended {
  std::string subject;
};

class Store {
 public:
  virtual ~Store() = default;

  virtual void begin_batch() = 0;
  virtual void commit_batch() = 0;
  virtual void rollback_batch() = 0;
  virtual void begin_job() = 0;
  virtual void release_job() = 0;
  // Undoes what the innermost open job wrote. False when that is only
  // possible by rolling back the whole batch (a top-level job that wrote
  // before it failed): the caller must do so before using the batch again.
  [[nodiscard]] virtual bool rollback_job() = 0;

  // Claims subjects ("order:A1", "customer:c9", "team:warehouse") until
  // the batch ends, so no other process or node works on them meanwhile;
  // read them after claiming. The batch's first job waits for them; a
  // later job throws Contended rather than wait. Claiming what the batch
  // holds already is free. True if it took a subject the batch did not
  // hold: what was read about it before may have changed since.
  virtual bool claim(const std::vector<Subject> &subjects) = 0;
  // The same without ever waiting: false if another transaction holds one.
  virtual bool try_claim(const std::vector<Subject> &subjects) = 0;

  virtual EventLog &events() = 0;
  virtual StateStore &state() = 0;
  virtual ReportStore &reports() = 0;
  virtual Outbox &outbox() = 0;

  // Wake-ups between processes, asked every wake_interval_ms by an idle
  // process: `others_committed()` says (never blocking) whether another
  // process or node committed since it was last asked (SQLite: its
  // data_version moved; PostgreSQL: a notification arrived). `announce()`
  // runs after each commit and on each of those ticks, and tells the
  // others when something was written since it last did; it never carries
  // data and never holds up a commit. Plugin thread, outside batches.
  virtual bool others_committed() = 0;
  virtual void announce() = 0;

  // After a batch that erased a customer committed: leaves no copy of what
  // the erasure destroyed (their wrapped data keys) in the store's own
  // files. SQLite: its freed cells are already zeroed (secure_delete); this
  // checkpoints the WAL into the database and truncates it to zero bytes,
  // waiting up to busy_timeout for other connections' readers of older
  // snapshots; if they are still there it returns false and announce()
  // tries again on each later call until it succeeds. PostgreSQL: VACUUMs
  // the key table (what remains after that: abi/CALLS.md, customer.erase).
  // True when done. Plugin thread, outside batches.
  virtual bool scrub() = 0;

  // The open that made this handle failed after the store was opened (a
  // port in use, a store error): if the handle created the store, its
  // files are removed again, unless another process or handle has it open
  // or wrote to it. Plugin thread (or the opener's), nothing else running.
  virtual void abandon() noexcept {}

  // The schema version the store is at (number of migrations applied).
  virtual std::int64_t schema_version() = 0;
};

// Opens the store named by config, creating and migrating it as needed.
// Throws Failure(OC_ERR_CONFIG) for an unknown engine or a missing setting,
// OC_ERR_STORE if it cannot be opened or reached (the message names the
// file, or the server's host and port, never a password), OC_ERR_VERSION if
// it was written by a newer ordercare.
std::unique_ptr<Store> open_store(const StoreConfig &config);

}  // namespace ordercare::store
