// Durable events per second on a realistic mix, beside raw SQLite running
// exactly the writes ordercare ran for those events (issue 11, points 1
// and 6). The mix is the bundled sample day (sample_day.h), repeated with
// ids made unique per repetition: orders created, paid, shipped,
// delivered, changed and cancelled, customers writing in, returns,
// refunds, failed payments, duplicates and broken lines.
//
//   events_bench events   ours: the library dlopen()ed as a host would, a
//                         fresh store per row, default durability (fsync
//                         per commit), a host clock held at the end of the
//                         day (no SLA timer fires; oc_poll is never called,
//                         so effects wait in the outbox), 1, 4 and 16 host
//                         threads through oc_submit (each thread submits
//                         whole days, in order) and one thread through
//                         oc_submit_batch; each row's commits are counted
//                         (wal_syncs.h) for its events per commit.
//                         raw, right after each ours row: the writes
//                         recorded in-process (recorded_writes.h) replayed
//                         with sqlite3 alone into a copy of an empty store
//                         (write_replay.h), in transactions of that row's
//                         events per commit. Ratios at the end.
//   events_bench writes   per event type: statements run, reads, writes,
//                         bytes of values written, and WAL frames per event
//                         (one event per transaction, from the WAL's growth
//                         while the same writes are replayed with
//                         checkpoints off); then the write statements most
//                         run.
//   events_bench growth   ours at OC_BENCH_GROWTH_THREADS host threads on
//                         an empty store and on a copy of a store that
//                         already holds OC_BENCH_GROWTH_CASES open cases
//                         (open_case_store.h: built once, then reused).
//
// Environment: OC_BENCH_DIR (where stores go), OC_BENCH_SECONDS (per timed
// row, default 10), OC_BENCH_DAYS (repetitions of the day available to an
// ordercare row, default 100), OC_BENCH_RECORD_DAYS (the first days of
// those, recorded for the raw replay, default 40), OC_BENCH_THREADS
// (default "1 4 16"), OC_BENCH_BATCH (events per oc_submit_batch call,
// default 512), OC_BENCH_WRITES_DAYS (default 2: the table is of the last
// day, the first only fills the store), OC_BENCH_GROWTH_CASES (default
// 1000000), OC_BENCH_GROWTH_THREADS (default 4), OC_BENCH_DAY (the day's
// JSONL file), OC_LIBRARY (the library).
// Numbers only: nothing here passes or fails on time.
#include <dlfcn.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <mutex>
#include <sstream>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "bench/bench_setup.h"
#include "bench/open_case_store.h"
#include "bench/recorded_writes.h"
#include "bench/sample_day.h"
#include "bench/thread_cpu.h"
#include "bench/wal_syncs.h"
#include "bench/write_replay.h"
#include "ordercare.h"

namespace {

using namespace ordercare;
using namespace ordercare::bench;
using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

std::string env_or(const char *name, const std::string &fallback) {
  const char *value = std::getenv(name);
  return value && *value ? value : fallback;
}

double env_number(const char *name, double fallback) {
  const char *value = std::getenv(name);
  if (!value || !*value) return fallback;
  char *end = nullptr;
  const double n = std::strtod(value, &end);
  if (*end || n < 0) throw std::runtime_error(std::string(name) + ": expected a number, got '" + value + "'");
  return n;
}

// The ABI as a host sees it: resolved from the shared library at run time.
struct Api {
  void *handle = nullptr;
  decltype(&oc_open) open = nullptr;
  decltype(&oc_close) close = nullptr;
  decltype(&oc_submit) submit = nullptr;
  decltype(&oc_last_error) last_error = nullptr;
  decltype(&oc_status_name) status_name = nullptr;
  decltype(&oc_buffer_data) buffer_data = nullptr;
  decltype(&oc_buffer_free) buffer_free = nullptr;
  // oc_submit_batch as abi/ordercare.h declares it; null when the library
  // has none yet (its row is then skipped).
  using SubmitBatch = oc_status (*)(oc_plugin *, const char *const *events, const size_t *lens, size_t count,
                                    oc_buffer **result);
  SubmitBatch submit_batch = nullptr;

  template <class F>
  void resolve(F &target, const char *name) {
    target = reinterpret_cast<F>(dlsym(handle, name));
    if (!target) throw std::runtime_error(std::string("missing symbol ") + name);
  }

  void load(const std::string &path) {
    handle = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
    if (!handle) throw std::runtime_error(std::string("dlopen: ") + dlerror());
    resolve(open, "oc_open");
    resolve(close, "oc_close");
    resolve(submit, "oc_submit");
    resolve(last_error, "oc_last_error");
    resolve(status_name, "oc_status_name");
    resolve(buffer_data, "oc_buffer_data");
    resolve(buffer_free, "oc_buffer_free");
    submit_batch = reinterpret_cast<SubmitBatch>(dlsym(handle, "oc_submit_batch"));
  }
};

Api g_api;

std::int64_t day_clock(void *) { return SampleDay::clock(); }

// --- ours: the library as a host uses it --------------------------------------------------

struct RowResult {
  std::string name;
  int threads = 0;
  std::size_t batch = 0;  // events per oc_submit_batch call; 0 for oc_submit
  std::size_t events = 0;
  std::map<std::string, std::size_t> statuses;  // by oc_status name
  std::string first_failure;                    // a status other than those an event line may earn
  double seconds = 0;
  double writer_cpu = 0;  // seconds the library's writer thread ran
  double host_cpu = 0;    // seconds the host's threads ran (parsing, checking, waiting in oc_submit*)
  SyncCounts syncs;
  bool skipped = false;
  std::string note;

  double rate() const { return seconds > 0 ? static_cast<double>(events) / seconds : 0; }
  // The writer's CPU per event, and the share of the row it was busy: near
  // 100% the writer bounds the row, whatever the host does.
  double writer_us_per_event() const { return events ? writer_cpu * 1e6 / static_cast<double>(events) : 0; }
  double writer_busy() const { return seconds > 0 ? writer_cpu / seconds : 0; }
  double host_us_per_event() const { return events ? host_cpu * 1e6 / static_cast<double>(events) : 0; }
  // The most any store could do with this row's threads: each has one event
  // in flight, acknowledged only after a WAL sync, so no commit holds more
  // than `threads` events and none takes less than a sync. 0 for a batch
  // row, whose calls hold hundreds.
  double sync_ceiling() const {
    const double sync = syncs.seconds_per_wal_sync();
    return batch == 0 && sync > 0 ? threads / sync : 0;
  }
  double per_commit() const {
    return syncs.commits() ? static_cast<double>(events) / static_cast<double>(syncs.commits()) : 0;
  }
};

// What a line of the day may earn besides OC_OK: its own fault, not the store's.
bool line_fault(oc_status status) {
  switch (status) {
    case OC_ERR_JSON:
    case OC_ERR_UTF8:
    case OC_ERR_TOO_LARGE:
    case OC_ERR_UNKNOWN_TYPE:
    case OC_ERR_SCHEMA:
    case OC_ERR_NOT_FOUND:
    case OC_ERR_REFUSED:
    case OC_ERR_TRANSITION: return true;
    default: return false;
  }
}

RowResult run_ours(const std::string &name, const SampleDay &day, const std::string &store_path,
                   const std::vector<std::vector<std::string>> &days, int threads, std::size_t batch, double budget) {
  RowResult row;
  row.name = name;
  row.threads = threads;
  row.batch = batch;
  const std::string config = day.config({{"path", store_path}});
  oc_options options{};
  options.struct_size = sizeof options;
  options.config_json = config.c_str();
  options.config_len = config.size();
  oc_host host{};
  host.struct_size = sizeof host;
  host.now_ms = &day_clock;
  oc_plugin *plugin = nullptr;
  if (g_api.open(&options, &host, &plugin) != OC_OK) throw std::runtime_error(name + ": oc_open: " + g_api.last_error());

  std::atomic<std::size_t> next_day{0};
  std::atomic<bool> go{false};
  std::mutex mutex;
  Clock::time_point deadline;
  auto worker = [&] {
    std::map<std::string, std::size_t> statuses;
    std::size_t events = 0;
    std::string failure;
    auto note = [&](oc_status status) {
      ++statuses[g_api.status_name(status)];
      if (status != OC_OK && !line_fault(status) && failure.empty())
        failure = std::string(g_api.status_name(status)) + ": " + g_api.last_error();
    };
    while (!go.load()) std::this_thread::yield();
    const double cpu_before = this_thread_cpu_seconds();
    // oc_submit_batch: `batch` events a call, in the order of the days.
    std::vector<const char *> pending;
    std::vector<std::size_t> lengths;
    auto submit_pending = [&] {
      if (pending.empty()) return;
      oc_buffer *result = nullptr;
      const oc_status status = g_api.submit_batch(plugin, pending.data(), lengths.data(), pending.size(), &result);
      if (status != OC_OK) {
        note(status);
      } else {
        // Each event's answer, counted without a JSON parser: "accepted"
        // and "duplicate" as OC_OK, an error by its "code".
        const std::string_view answers = g_api.buffer_data(result);
        for (const char *key : {"\"status\":\"accepted\"", "\"status\":\"duplicate\""})
          for (std::size_t at = 0; (at = answers.find(key, at)) != std::string_view::npos; ++at) ++statuses["OC_OK"];
        const std::string_view code = "\"code\":\"";
        for (std::size_t at = 0; (at = answers.find(code, at)) != std::string_view::npos;) {
          at += code.size();
          const std::string code_name(answers.substr(at, answers.find('"', at) - at));
          ++statuses[code_name];
          if (failure.empty() && code_name != "OC_ERR_JSON" && code_name != "OC_ERR_UTF8" &&
              code_name != "OC_ERR_SCHEMA" && code_name != "OC_ERR_UNKNOWN_TYPE" && code_name != "OC_ERR_REFUSED" &&
              code_name != "OC_ERR_TOO_LARGE")
            failure = code_name + " (in a batch's answer)";
        }
      }
      g_api.buffer_free(result);
      events += pending.size();
      pending.clear();
      lengths.clear();
    };
    for (std::size_t d; (d = next_day++) < days.size() && Clock::now() < deadline;) {
      for (const auto &event : days[d]) {
        if (Clock::now() >= deadline) break;
        if (batch == 0) {
          note(g_api.submit(plugin, event.data(), event.size(), nullptr));
          ++events;
          continue;
        }
        pending.push_back(event.data());
        lengths.push_back(event.size());
        if (pending.size() == batch) submit_pending();
      }
    }
    if (Clock::now() < deadline) submit_pending();
    const double cpu = this_thread_cpu_seconds() - cpu_before;
    std::lock_guard lock(mutex);
    row.host_cpu += cpu;
    row.events += events;
    for (const auto &[status, n] : statuses) row.statuses[status] += n;
    if (row.first_failure.empty()) row.first_failure = failure;
  };
  std::vector<std::thread> pool;
  for (int t = 0; t < threads; ++t) pool.emplace_back(worker);
  const SyncCounts before = sync_counts();
  const double writer_before = thread_cpu_seconds("oc-writer");
  const auto start = Clock::now();
  deadline = start + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(budget));
  go = true;
  for (auto &thread : pool) thread.join();
  row.seconds = seconds_since(start);
  row.syncs = sync_counts() - before;
  row.writer_cpu = thread_cpu_seconds("oc-writer") - writer_before;
  if (g_api.close(plugin) != OC_OK) std::fprintf(stderr, "%s: oc_close: %s\n", name.c_str(), g_api.last_error());
  if (row.seconds < budget * 0.99)
    row.note = "ran out of days before the time was up (OC_BENCH_DAYS)";
  return row;
}

void print_ours(const RowResult &row) {
  if (row.skipped) {
    std::printf("%-28s skipped: %s\n", row.name.c_str(), row.note.c_str());
    return;
  }
  std::string statuses;
  for (const auto &[status, n] : row.statuses) statuses += (statuses.empty() ? "" : ", ") + status + " " + std::to_string(n);
  std::printf("%-28s %8zu events in %6.2f s = %8.0f events/s   %6.1f events/commit (%llu commits; syncs: %llu WAL, "
              "%llu database)   [%s]\n",
              row.name.c_str(), row.events, row.seconds, row.rate(), row.per_commit(),
              static_cast<unsigned long long>(row.syncs.commits()), static_cast<unsigned long long>(row.syncs.wal),
              static_cast<unsigned long long>(row.syncs.database), statuses.c_str());
  std::printf("%-28s writer thread: %.0f us CPU per event, busy %.0f%% of the row; host threads: %.0f us CPU per "
              "event\n",
              "", row.writer_us_per_event(), 100 * row.writer_busy(), row.host_us_per_event());
  if (row.sync_ceiling() > 0)
    std::printf("%-28s disk's ceiling: %d events in flight / %.2f ms per WAL sync = %.0f events/s; this row %.2fx of "
                "it\n",
                "", row.threads, 1e3 * row.syncs.seconds_per_wal_sync(), row.sync_ceiling(),
                row.rate() / row.sync_ceiling());
  if (!row.first_failure.empty()) std::printf("%-28s first failure: %s\n", "", row.first_failure.c_str());
  if (!row.note.empty()) std::printf("%-28s note: %s\n", "", row.note.c_str());
  std::fflush(stdout);
}

std::vector<std::vector<std::string>> make_days(const SampleDay &day, int days) {
  std::vector<std::vector<std::string>> out;
  for (int r = 0; r < days; ++r) out.push_back(day.repetition(r));
  return out;
}

std::vector<std::string> flatten(const std::vector<std::vector<std::string>> &days) {
  std::vector<std::string> out;
  for (const auto &day : days) out.insert(out.end(), day.begin(), day.end());
  return out;
}

std::vector<int> thread_counts() {
  const std::string list = env_or("OC_BENCH_THREADS", "1 4 16");
  std::vector<int> out;
  if (list == "none") return out;  // the batch row alone
  std::istringstream in(list);
  for (int n; in >> n;)
    if (n > 0) out.push_back(n);
  if (out.empty()) throw std::runtime_error("OC_BENCH_THREADS: expected thread counts, e.g. \"1 4 16\"");
  return out;
}

Recording record(const SampleDay &day, const std::vector<std::string> &events, const std::string &dir) {
  std::printf("recording: %zu events through runtime::Plugin in this process, one at a time ...\n", events.size());
  std::fflush(stdout);
  Recording recording =
      record_writes(events, dir, SampleDay::clock(), [&day](const Json &store) { return day.config(store); });
  std::size_t writes = 0, kept = 0, bytes = 0;
  for (const auto &e : recording.events) {
    writes += static_cast<std::size_t>(e.writes);
    kept += e.kept.size();
    bytes += e.value_bytes;
  }
  std::printf("recording: %.1f s; %zu writes run, %zu kept (the rest rolled back), %zu distinct write statements, "
              "%.0f value bytes per event; %zu writes whose values could not be read back\n",
              recording.seconds, writes, kept, recording.statements.size(),
              static_cast<double>(bytes) / static_cast<double>(std::max<std::size_t>(1, events.size())),
              recording.unread_values);
  return recording;
}

// --- events ----------------------------------------------------------------------------------

// Each ordercare row, then at once (so both meet the same machine) raw
// SQLite replaying the recorded writes at that row's events per commit.
int run_events(const SampleDay &day, const std::string &dir) {
  const double budget = env_number("OC_BENCH_SECONDS", 10);
  const int day_count = std::max(1, static_cast<int>(env_number("OC_BENCH_DAYS", 100)));
  const int recorded_days = std::clamp(static_cast<int>(env_number("OC_BENCH_RECORD_DAYS", 40)), 1, day_count);
  const auto batch = static_cast<std::size_t>(env_number("OC_BENCH_BATCH", 512));
  const auto days = make_days(day, day_count);
  std::printf("workload: %s (its shop's policies and locations from sample_shop.json beside it), %zu lines a day, "
              "%d days with ids unique per day; host clock held at %s\n",
              day.path().c_str(), day.size(), day_count, format_rfc3339(SampleDay::clock()).c_str());
  // The raw side replays the writes of the first days, recorded in-process.
  const Recording recording =
      record(day, flatten({days.begin(), days.begin() + recorded_days}), dir);

  struct Pair {
    RowResult ours;
    std::size_t per_txn = 0;  // the raw replay's events per transaction
    ReplayResult raw;
    std::string raw_note;
    double raw_rate() const { return raw.seconds > 0 ? static_cast<double>(raw.events) / raw.seconds : 0; }
  };
  std::vector<Pair> pairs;
  int store_number = 0;
  auto fresh = [&] { return dir + "/ours-" + std::to_string(store_number++) + ".db"; };
  auto replay = [&](Pair &pair) {
    if (pair.ours.skipped) return;
    // An oc_submit row's events per commit as counted; a batch row's is
    // its call's size (one call, one transaction).
    pair.per_txn = pair.ours.batch ? pair.ours.batch
                                   : std::max<std::size_t>(1, static_cast<std::size_t>(pair.ours.per_commit() + 0.5));
    WriteReplay raw(recording, dir + "/raw-" + std::to_string(store_number++) + ".db");
    const SyncCounts before = sync_counts();
    pair.raw = raw.run(pair.per_txn, budget);
    if (pair.raw.seconds < budget * 0.99) pair.raw_note = "replayed every recorded day before the time was up";
    const SyncCounts syncs = sync_counts() - before;
    std::printf("%-28s %8zu events in %6.2f s = %8.0f events/s   %6zu events/commit (%zu commits; syncs: %llu "
                "WAL, %llu database)   %zu writes, %zu failed as in ordercare%s%s\n",
                ("  raw/replay per_txn:" + std::to_string(pair.per_txn)).c_str(), pair.raw.events, pair.raw.seconds,
                pair.raw_rate(), pair.per_txn, pair.raw.commits, static_cast<unsigned long long>(syncs.wal),
                static_cast<unsigned long long>(syncs.database), pair.raw.writes, pair.raw.failed_writes,
                pair.raw.first_failure.empty() ? "" : ": first ", pair.raw.first_failure.c_str());
    if (!pair.raw_note.empty())
      std::printf("%-28s note: %s (OC_BENCH_RECORD_DAYS)\n", "", pair.raw_note.c_str());
    std::fflush(stdout);
  };
  for (int threads : thread_counts()) {
    Pair pair;
    pair.ours = run_ours("ours/oc_submit threads:" + std::to_string(threads), day, fresh(), days, threads, 0, budget);
    print_ours(pair.ours);
    replay(pair);
    pairs.push_back(std::move(pair));
  }
  Pair pair;
  const std::string batch_name = "ours/oc_submit_batch:" + std::to_string(batch);
  if (g_api.submit_batch) {
    pair.ours = run_ours(batch_name + " threads:1", day, fresh(), days, 1, batch, budget);
  } else {
    pair.ours.name = batch_name;
    pair.ours.skipped = true;
    pair.ours.note = "the library has no oc_submit_batch yet";
  }
  print_ours(pair.ours);
  replay(pair);
  pairs.push_back(std::move(pair));

  std::printf("\nsummary (durable events/s on the sample-day mix, fsync per commit; raw = sqlite3 replaying "
              "the same writes at the same events per commit, run right after):\n");
  for (const auto &p : pairs) {
    if (p.ours.skipped) {
      std::printf("summary: events: %-32s skipped: %s\n", p.ours.name.c_str(), p.ours.note.c_str());
      continue;
    }
    std::printf("summary: events: %-32s %7.0f events/s (%5.1f events/commit) = %.2fx of raw replay at %zu "
                "events/commit (%.0f events/s); writer %.0f us CPU/event, busy %.0f%%; host %.0f us CPU/event",
                p.ours.name.c_str(), p.ours.rate(), p.ours.per_commit(),
                p.raw_rate() > 0 ? p.ours.rate() / p.raw_rate() : 0.0, p.per_txn, p.raw_rate(),
                p.ours.writer_us_per_event(), 100 * p.ours.writer_busy(), p.ours.host_us_per_event());
    if (p.ours.sync_ceiling() > 0)
      std::printf("; %.2fx of the disk's ceiling for %d events in flight (%.0f events/s at %.2f ms per WAL sync)",
                  p.ours.rate() / p.ours.sync_ceiling(), p.ours.threads, p.ours.sync_ceiling(),
                  1e3 * p.ours.syncs.seconds_per_wal_sync());
    std::printf("\n");
  }
  return 0;
}

// --- writes ----------------------------------------------------------------------------------

struct TypeRow {
  std::size_t events = 0;
  double statements = 0, reads = 0, writes = 0, value_bytes = 0, frames = 0;
};

int run_writes(const SampleDay &day, const std::string &dir) {
  const int day_count = std::max(1, static_cast<int>(env_number("OC_BENCH_WRITES_DAYS", 2)));
  const Recording recording = record(day, day.days(day_count), dir);
  const std::size_t counted_from = day_count > 1 ? recording.events.size() - day.size() : 0;

  // WAL frames per event: the same writes, one event per transaction,
  // the WAL never checkpointed, so it grows by exactly what each commit
  // wrote (frames of page_size + 24 bytes, after a 32-byte header).
  WriteReplay replay(recording, dir + "/frames.db", false);
  std::vector<double> frames(recording.events.size());
  std::int64_t wal = replay.wal_bytes();
  const double frame_bytes = replay.page_size() + 24;
  const ReplayResult result = replay.run(1, 1e9, [&](std::size_t first, std::size_t) {
    const std::int64_t now = replay.wal_bytes();
    frames[first] = static_cast<double>(now - std::max<std::int64_t>(wal, 32)) / frame_bytes;
    wal = now;
  });
  if (result.failed_writes)
    std::printf("replay: %zu writes failed (as in ordercare): first %s\n", result.failed_writes,
                result.first_failure.c_str());

  std::map<std::string, TypeRow> by_type;
  TypeRow all;
  std::map<std::size_t, std::pair<std::size_t, std::size_t>> by_statement;  // runs, value bytes (kept writes)
  for (std::size_t i = counted_from; i < recording.events.size(); ++i) {
    const RecordedEvent &e = recording.events[i];
    std::string key = e.type;
    if (e.outcome == "duplicate") key += " (duplicate)";
    if (e.outcome == "rejected") key += std::string(" (") + g_api.status_name(static_cast<oc_status>(e.status)) + ")";
    for (TypeRow *row : {&by_type[key], &all}) {
      ++row->events;
      row->statements += e.statements;
      row->reads += e.reads;
      row->writes += e.writes;
      row->value_bytes += static_cast<double>(e.value_bytes);
      row->frames += frames[i];
    }
    for (const auto &w : e.kept) {
      auto &s = by_statement[w.statement];
      ++s.first;
      for (const auto &v : w.values)
        s.second += v.kind == Cell::Kind::text || v.kind == Cell::Kind::blob ? v.bytes.size()
                    : v.kind == Cell::Kind::null                              ? 0
                                                                              : 8;
    }
  }
  const std::size_t counted = recording.events.size() - counted_from;
  std::printf("\nwrites per event, by type: %zu events (%s), each its own transaction. statements: every one the "
              "store ran for the event (reads: SELECT; writes: INSERT, UPDATE, DELETE; other: BEGIN, SAVEPOINT, "
              "COMMIT, PRAGMA ...); value bytes: the values bound to its writes (text and blobs, 8 per number); WAL "
              "frames of %d-byte pages: the WAL's growth while the same writes were replayed, checkpoints off\n",
              counted,
              day_count > 1 ? "the last of the days recorded; the ones before filled the store" : "one day",
              replay.page_size());
  std::printf("%-40s %6s %11s %7s %7s %7s %12s %10s %9s\n", "type (outcome when not accepted)", "events",
              "statements", "reads", "writes", "other", "value bytes", "WAL frames", "WAL KiB");
  auto print = [&](const std::string &name, const TypeRow &r) {
    const double n = static_cast<double>(std::max<std::size_t>(1, r.events));
    std::printf("%-40s %6zu %11.1f %7.1f %7.1f %7.1f %12.0f %10.1f %9.1f\n", name.c_str(), r.events,
                r.statements / n, r.reads / n, r.writes / n, (r.statements - r.reads - r.writes) / n,
                r.value_bytes / n, r.frames / n, r.frames / n * frame_bytes / 1024);
  };
  for (const auto &[name, row] : by_type) print(name, row);
  print("all events (the day's mix)", all);

  std::vector<std::pair<std::size_t, std::size_t>> order;  // runs, statement
  for (const auto &[statement, s] : by_statement) order.emplace_back(s.first, statement);
  std::sort(order.rbegin(), order.rend());
  std::printf("\nwrite statements that stayed, most run first (per event of the mix, and value bytes per run):\n");
  for (const auto &[runs, statement] : order) {
    std::string sql = recording.statements[statement];
    std::replace(sql.begin(), sql.end(), '\n', ' ');
    if (sql.size() > 110) sql = sql.substr(0, 107) + "...";
    std::printf("%7.2f  %7.0f B  %s\n", static_cast<double>(runs) / static_cast<double>(counted),
                static_cast<double>(by_statement[statement].second) / static_cast<double>(runs), sql.c_str());
  }
  const double n = static_cast<double>(std::max<std::size_t>(1, all.events));
  std::printf("summary: writes: per event of the day's mix: %.1f statements (%.1f reads, %.1f writes), %.0f value "
              "bytes written, %.1f WAL frames (%.1f KiB)\n",
              all.statements / n, all.reads / n, all.writes / n, all.value_bytes / n, all.frames / n,
              all.frames / n * frame_bytes / 1024);
  return 0;
}

// --- growth ----------------------------------------------------------------------------------

int run_growth(const SampleDay &day, const std::string &dir) {
  const double budget = env_number("OC_BENCH_SECONDS", 10);
  const auto cases = static_cast<std::int64_t>(env_number("OC_BENCH_GROWTH_CASES", 1000000));
  const int threads = std::max(1, static_cast<int>(env_number("OC_BENCH_GROWTH_THREADS", 4)));
  const auto days = make_days(day, std::max(1, static_cast<int>(env_number("OC_BENCH_DAYS", 100))));

  const OpenCaseStore big = open_case_store(cases);
  if (big.built_now)
    std::printf("growth: built the store of %lld open cases once in %.0f s; later runs reuse %s\n",
                static_cast<long long>(cases), big.build_seconds, big.path.c_str());
  const OpenCaseCopy copy(big);
  const std::string label = "threads:" + std::to_string(threads);
  const RowResult empty = run_ours("ours/empty store " + label, day, dir + "/empty.db", days, threads, 0, budget);
  print_ours(empty);
  const RowResult grown =
      run_ours("ours/" + std::to_string(cases) + " cases " + label, day, copy.path(), days, threads, 0, budget);
  print_ours(grown);
  std::printf("summary: growth: %d host threads: %.0f events/s on a store holding %lld open cases, %.0f on an empty "
              "one: %.2fx (goal: within 20%%, i.e. >= 0.80x)\n",
              threads, grown.rate(), static_cast<long long>(cases), empty.rate(),
              empty.rate() > 0 ? grown.rate() / empty.rate() : 0.0);
  return 0;
}

}  // namespace

int main(int argc, char **argv) {
  const std::string mode = argc > 1 ? argv[1] : "";
  if (argc != 2 || (mode != "events" && mode != "writes" && mode != "growth")) {
    std::fprintf(stderr, "usage: events_bench events|writes|growth\n");
    return 2;
  }
  const std::string dir = make_bench_dir("events");
  if (dir.empty()) return 1;
  int status = 1;
  try {
    g_api.load(env_or("OC_LIBRARY", OC_LIBRARY_PATH));
    const SampleDay day(env_or("OC_BENCH_DAY", ""));
    std::printf("store files in %s\n", dir.c_str());
    if (mode == "events") status = run_events(day, dir);
    if (mode == "writes") status = run_writes(day, dir);
    if (mode == "growth") status = run_growth(day, dir);
  } catch (const std::exception &e) {
    std::fprintf(stderr, "events_bench: %s\n", e.what());
  }
  std::error_code ignored;
  std::filesystem::remove_all(dir, ignored);
  return status;
}
