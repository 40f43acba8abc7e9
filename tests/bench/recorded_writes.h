// What ordercare's store ran for each event, seen through
// store::sqlite::observe_statements: the plugin runs in this process (the
// internals, runtime::Plugin, as the C boundary wraps them) on a fresh
// SQLite store, one event at a time from one thread, so every statement its
// connection runs between a submit and its return belongs to that event and
// each event is a transaction of its own.
//
// Of each event it keeps the counts (statements, reads, writes, bytes of
// values written) and the writes that stayed (INSERT, UPDATE, DELETE,
// REPLACE, less what a ROLLBACK or ROLLBACK TO undid), each as its SQL as
// written and the values that were bound, read back from
// sqlite3_expanded_sql, so write_replay.h can run exactly those writes
// with SQLite alone.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "common/json.h"

#include "bench/sample_day.h"
#include "bench/store_rows.h"
#include "common/time_format.h"

namespace ordercare::bench {

struct RecordedWrite {
  std::size_t statement = 0;  // index into Recording::statements
  std::vector<Cell> values;   // parameter n is values[n - 1]
};

struct RecordedEvent {
  std::string type;
  std::string outcome;  // "accepted", "duplicate" or "rejected"
  int status = 0;       // the oc_status of a rejected one
  int statements = 0;   // every statement run, reads and transaction control included
  int reads = 0;        // SELECT (and WITH ... SELECT)
  int writes = 0;       // INSERT, UPDATE, DELETE, REPLACE, whether or not they stayed
  std::size_t value_bytes = 0;  // bound values of those writes: text and blob bytes, 8 per number
  std::vector<RecordedWrite> kept;  // the writes that stayed, in order
};

struct Recording {
  std::string template_path;            // a store as ordercare opens it, before any event
  std::vector<std::string> statements;  // distinct write SQL, as written
  std::vector<RecordedEvent> events;
  std::size_t unread_values = 0;  // writes whose values could not be read back (not kept)
  double seconds = 0;
};

// Submits `events` in order to a plugin opened in `dir` (durability
// "normal": what runs is the same, only the fsync is left out) with a host
// clock held at `now`; `template_path` is made first in `dir`. `config`
// makes the plugin's config from its store section (SampleDay::config).
Recording record_writes(const std::vector<std::string> &events, const std::string &dir, TimeMs now,
                        const std::function<std::string(const Json &store)> &config);

// The values bound to `sql` (as written, with ? and ?NNN parameters) read
// from the same statement as sqlite3_expanded_sql printed it; false when
// the two do not line up.
bool bound_values(std::string_view sql, std::string_view expanded, std::vector<Cell> &values);

// "read", "write" or "other" (BEGIN, COMMIT, SAVEPOINT, PRAGMA ...), by
// the statement's first keyword.
std::string_view statement_kind(std::string_view sql);

}  // namespace ordercare::bench
