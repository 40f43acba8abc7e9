// The one Store interface. Everything above plugin/store/ talks to storage
// through it and nothing SQLite-specific leaks out, so a PostgreSQL backend
// can sit behind the same calls.
//
// Transactions follow the runtime's single writer: the writer opens one
// batch (a transaction), runs each job inside its own nested scope
// (begin_job / release_job / rollback_job) so one failed job leaves the
// others intact, then commits the batch once (group commit). Nothing a job
// did is acknowledged before commit_batch() returns.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/time_format.h"

namespace ordercare::store {

enum class Durability {
  full,    // fsync on every commit: an acknowledged event survives power loss
  normal,  // WAL without fsync per commit: survives a process crash only
};

struct StoreConfig {
  std::string engine = "sqlite";
  std::string path = "ordercare.db";
  Durability durability = Durability::full;
  std::int64_t busy_timeout_ms = 5000;
};

// One canonical event as kept in the append-only log.
struct StoredEvent {
  std::int64_t seq = 0;  // assigned by the store, increasing
  std::string id;
  std::string type;
  std::string source;
  std::optional<std::string> store_id;
  TimeMs occurred_at = 0;
  TimeMs received_at = 0;
  std::string body;  // the whole event as JSON, unknown fields included
};

struct EventQuery {
  std::int64_t after_seq = 0;                // paging cursor
  std::optional<TimeMs> received_after;      // "after" filter, exclusive
  std::optional<std::string> type;
  std::size_t limit = 50;
};

class EventLog {
 public:
  virtual ~EventLog() = default;
  // Appends and sets event.seq; false (and nothing written) if the id exists.
  virtual bool append(StoredEvent &event) = 0;
  virtual std::optional<StoredEvent> find(std::string_view id) = 0;
  // In seq order, at most query.limit + 1 rows so callers can tell if more exist.
  virtual std::vector<StoredEvent> list(const EventQuery &query) = 0;
  virtual std::int64_t count() = 0;
};

class Store {
 public:
  virtual ~Store() = default;

  virtual void begin_batch() = 0;
  virtual void commit_batch() = 0;
  virtual void rollback_batch() = 0;
  virtual void begin_job() = 0;
  virtual void release_job() = 0;
  virtual void rollback_job() = 0;

  virtual EventLog &events() = 0;

  // The schema version the store is at (number of migrations applied).
  virtual std::int64_t schema_version() = 0;
};

// Opens the store named by config, creating and migrating it as needed.
// Throws Failure(OC_ERR_CONFIG) for an unknown engine, OC_ERR_STORE if it
// cannot be opened, OC_ERR_BUSY if another process holds it, OC_ERR_VERSION
// if it was written by a newer ordercare.
std::unique_ptr<Store> open_store(const StoreConfig &config);

}  // namespace ordercare::store
