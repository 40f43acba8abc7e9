// Issue 9, point 7: many host processes on one store. For SQLite (one file)
// and PostgreSQL (a throwaway server started here with fsync on), and for 1,
// 2 and 3 host processes, each a fork that dlopen()s libordercare.so as a
// host would and submits its share of a stream of distinct orders from
// several host threads (host_process.h):
//   - durable events/s: events acknowledged OC_OK by oc_submit, divided by
//     the wall time of the slowest process;
//   - delivered effects/s: then every process polls, answering each
//     callback DONE, until the outbox is empty; effects delivered, divided
//     by the slowest process's time, and a check that every effect reached
//     the host exactly once across the processes;
//   - the raw limit: every row ordercare wrote (all tables), read back and
//     inserted into a fresh copy of the schema by as many raw writer
//     processes, in transactions of the rows of as many events as a
//     process's writer can group (one per host thread): batched sqlite3
//     inserts (WAL, synchronous=FULL) or one multi-row INSERT per table
//     (synchronous_commit=on).
// It prints the numbers, the ratios and one "summary:" line per result; it
// never passes or fails on time.
//   OC_BENCH_NODES_ORDERS    orders in the stream (default 300, ~7 events each)
//   OC_BENCH_NODES_THREADS   host threads per process (default 4)
//   OC_BENCH_NODES_ENGINES   "sqlite postgres" (default both)
//   OC_BENCH_DIR             where the SQLite files go (default $TMPDIR or /tmp)
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <sstream>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "bench/bench_setup.h"
#include "bench/child_process.h"
#include "bench/host_process.h"
#include "bench/order_stream.h"
#include "bench/pg_rows.h"
#include "bench/sqlite_rows.h"
#include "bench/store_rows.h"
#include "support/pg_server.h"

namespace {

using namespace ordercare;
using namespace ordercare::bench;

// 32 bytes, base64: the stores' master key (config "crypto.master_key").
constexpr const char *kMasterKey = "b3JkZXJjYXJlIG5vZGVzIGJlbmNoIG1hc3RlciBrZXk=";
const int kProcessCounts[] = {1, 2, 3};

struct Settings {
  std::string library;
  std::string dir;
  int orders = 300;
  int threads = 4;
  std::vector<std::string> engines = {"sqlite", "postgres"};
};

struct WalUse {
  long commits = 0;
  long bare_commits = 0;  // of transactions that logged nothing but their commit
  double bytes = 0;
};

// What one configuration (engine, process count) measured.
struct Result {
  std::string engine;
  int processes = 0;
  std::string failure;  // why the configuration could not be measured
  long events = 0, failed = 0;
  double ingest_seconds = 0, ingest_cpu = 0;
  WalUse ingest_wal, deliver_wal, raw_wal;  // PostgreSQL only
  long effects_delivered = 0, effects_in_store = 0, twice = 0, never = 0, not_done = 0, poll_failures = 0;
  double deliver_seconds = 0, deliver_cpu = 0;
  long raw_rows = 0, raw_failures = 0;
  double raw_seconds = 0;
  bool copy_matches = false;

  double events_per_second() const { return ingest_seconds > 0 ? static_cast<double>(events) / ingest_seconds : 0; }
  double raw_events_per_second() const { return raw_seconds > 0 ? static_cast<double>(events) / raw_seconds : 0; }
  double effects_per_second() const {
    return deliver_seconds > 0 ? static_cast<double>(effects_delivered) / deliver_seconds : 0;
  }
  bool exactly_once() const { return twice == 0 && never == 0 && not_done == 0 && effects_in_store > 0; }
};

double ratio(double a, double b) { return b > 0 ? a / b : 0.0; }

std::string load_average() {
  std::ifstream in("/proc/loadavg");
  std::string one, five, fifteen;
  in >> one >> five >> fifteen;
  return one + " " + five + " " + fifteen;
}

// The machine's CPU time so far (all CPUs, in clock ticks) and how much of
// it the hypervisor gave to other guests (steal), from /proc/stat.
struct CpuTicks {
  double total = 0, steal = 0;
};

CpuTicks cpu_ticks() {
  std::ifstream in("/proc/stat");
  std::string cpu;
  in >> cpu;
  CpuTicks out;
  double value = 0;
  for (int field = 0; field < 8 && in >> value; ++field) {
    out.total += value;
    if (field == 7) out.steal = value;
  }
  return out;
}

double steal_percent_since(const CpuTicks &before) {
  const CpuTicks now = cpu_ticks();
  return 100 * ratio(now.steal - before.steal, now.total - before.total);
}

// "<word> <n1> ... <n`count`> <rest>" from a worker's line.
struct Reply {
  std::vector<double> numbers;
  std::string rest;
};

Reply parse_reply(const std::string &line, const std::string &word, std::size_t count = 0) {
  std::istringstream in(line);
  std::string first;
  in >> first;
  Reply reply;
  reply.numbers.resize(count);
  for (double &n : reply.numbers) in >> n;
  if (first != word || !in) throw std::runtime_error("expected '" + word + "' from a worker, got: " + line);
  std::getline(in >> std::ws, reply.rest);
  return reply;
}

// Where one configuration's store lives, and how to read it back.
struct Target {
  std::string engine;
  std::string sqlite_path;  // sqlite
  std::string url, schema;  // postgres

  std::string config_json() const {
    const std::string crypto = std::string(R"(, "crypto": {"master_key": ")") + kMasterKey + "\"}}";
    if (engine == "sqlite") return R"({"store": {"path": ")" + sqlite_path + R"(", "durability": "full"})" + crypto;
    return R"({"store": {"engine": "postgres", "url": ")" + url + R"(", "schema": ")" + schema + "\"}" + crypto;
  }
  std::vector<std::vector<std::string>> query(const std::string &sql) const {
    return engine == "sqlite" ? sqlite_query(sqlite_path, sql)
                              : pg_query(url, "SET search_path TO " + schema + "; " + sql);
  }
  StoreRows rows() const { return engine == "sqlite" ? read_sqlite_rows(sqlite_path) : read_pg_rows(url, schema); }
  void create_empty() const {
    if (engine == "sqlite") create_empty_sqlite_store(sqlite_path);
    else create_empty_pg_schema(url, schema);
  }
  // PostgreSQL: where the WAL is now ("" on SQLite), and what it took from
  // there, read with pg_walinspect: commit records (each a WAL flush its
  // committer waited for, alone or with others), those of transactions that
  // logged nothing else (a pg_notify), and bytes.
  std::string wal_position() const {
    if (engine != "postgres") return "";
    pg_query(url, "CREATE EXTENSION IF NOT EXISTS pg_walinspect");
    return pg_query(url, "SELECT pg_current_wal_lsn()")[0][0];
  }
  WalUse wal_since(const std::string &from) const {
    if (from.empty()) return {};
    const auto to = pg_query(url, "SELECT pg_current_wal_lsn()")[0][0];
    const auto commits = pg_query(
        url, "SELECT count(*), count(*) FILTER (WHERE records = 1 AND NOT subtransactions) FROM (SELECT xid, "
             "count(*) AS records, bool_or(resource_manager = 'Transaction' AND record_type = 'COMMIT') AS committed, "
             "bool_or(description LIKE '%subxacts%') AS subtransactions "
             "FROM pg_get_wal_records_info('" + from + "', '" + to + "') WHERE xid <> '0' GROUP BY xid) t "
             "WHERE committed");
    const auto bytes = pg_query(url, "SELECT pg_wal_lsn_diff('" + to + "', '" + from + "')");
    return {std::stol(commits[0][0]), std::stol(commits[0][1]), std::stod(bytes[0][0])};
  }
  std::map<std::string, long> table_counts(const StoreRows &like) const {
    std::map<std::string, long> out;
    for (const auto &t : like.tables) out[t.name] = std::stol(query("SELECT count(*) FROM \"" + t.name + "\"")[0][0]);
    return out;
  }
};

void send_all(std::vector<std::unique_ptr<ChildProcess>> &children, const std::string &line) {
  for (auto &c : children) c->send(line);
}

// Counts callbacks per idempotency key across the processes' key files and
// checks them against the effects in the store.
void check_deliveries(const Target &target, const std::vector<std::string> &key_files, Result &r) {
  std::map<std::string, int> calls;
  std::map<std::string, long> by_kind;
  long callbacks = 0;
  for (const auto &file : key_files) {
    std::ifstream in(file, std::ios::binary);
    for (std::string line; std::getline(in, line);) {
      const auto tab = line.find('\t');
      ++calls[line.substr(tab + 1)];
      ++by_kind[line.substr(0, tab)];
      ++callbacks;
    }
  }
  for (const auto &row : target.query("SELECT id, status FROM effects")) {
    ++r.effects_in_store;
    if (row[1] != "done") ++r.not_done;
    if (calls.find(row[0]) == calls.end()) ++r.never;
  }
  for (const auto &[key, n] : calls)
    if (n > 1) ++r.twice;
  r.effects_delivered = static_cast<long>(calls.size());
  std::printf("  callbacks:");
  for (const auto &[kind, n] : by_kind) std::printf(" %s %ld,", kind.c_str(), n);
  std::printf(" %ld in all for %ld keys; effects in the store %ld (%ld not done)\n", callbacks,
              r.effects_delivered, r.effects_in_store, r.not_done);
}

// The ordercare run: ingest, then delivery; returns the rows it wrote
// (read back between the two, as the ingest left them).
StoreRows run_ordercare(const Settings &s, const Target &target, const std::vector<OrderEvents> &stream,
                        Result &r) {
  std::vector<std::unique_ptr<ChildProcess>> hosts;
  std::vector<std::string> key_files;
  for (int p = 0; p < r.processes; ++p) {
    HostProcessOptions o;
    o.library = s.library;
    o.config_json = target.config_json();
    o.stream = &stream;
    o.index = p;
    o.processes = r.processes;
    o.threads = s.threads;
    o.keys_file = s.dir + "/keys-" + target.engine + "-" + std::to_string(r.processes) + "-" + std::to_string(p);
    key_files.push_back(o.keys_file);
    // One after another: the first creates the store, and no open is part
    // of what is timed.
    hosts.push_back(std::make_unique<ChildProcess>([o](ParentLink &parent) { return run_host_process(o, parent); }));
    parse_reply(hosts.back()->receive(), "ready");
  }

  // Nothing written before (a new cluster, the last configuration's files)
  // waits in the page cache to be flushed with this run's first commits.
  sync();
  std::printf("  load average before: %s\n", load_average().c_str());
  const CpuTicks ticks_before = cpu_ticks();
  const std::string wal_before = target.wal_position();
  send_all(hosts, "ingest");
  for (int p = 0; p < r.processes; ++p) {
    const Reply reply = parse_reply(hosts[static_cast<std::size_t>(p)]->receive(), "ingested", 7);
    r.events += static_cast<long>(reply.numbers[0]);
    r.failed += static_cast<long>(reply.numbers[1]);
    r.ingest_seconds = std::max(r.ingest_seconds, reply.numbers[2]);
    r.ingest_cpu += reply.numbers[3];
    std::printf("  process %d: %ld events acknowledged in %.3f s (CPU %.3f s; oc_submit p50 %.1f ms, p99 %.1f ms, "
                "max %.1f ms), %ld failed%s%s\n",
                p + 1, static_cast<long>(reply.numbers[0]), reply.numbers[2], reply.numbers[3],
                reply.numbers[4] * 1000, reply.numbers[5] * 1000, reply.numbers[6] * 1000,
                static_cast<long>(reply.numbers[1]), reply.numbers[1] > 0 ? ", first: " : "",
                reply.numbers[1] > 0 ? reply.rest.c_str() : "");
  }
  r.ingest_wal = target.wal_since(wal_before);
  if (!wal_before.empty())
    std::printf("  WAL during the ingest: %ld commits, %ld of them of transactions that logged nothing else (%.2f "
                "events per commit that wrote), %.1f MB (%.0f bytes per event)\n",
                r.ingest_wal.commits, r.ingest_wal.bare_commits,
                ratio(static_cast<double>(r.events), static_cast<double>(r.ingest_wal.commits - r.ingest_wal.bare_commits)),
                r.ingest_wal.bytes / 1e6, ratio(r.ingest_wal.bytes, static_cast<double>(r.events)));
  StoreRows rows = target.rows();

  const std::string wal_before_delivery = target.wal_position();
  send_all(hosts, "deliver");
  for (int p = 0; p < r.processes; ++p) {
    const Reply reply = parse_reply(hosts[static_cast<std::size_t>(p)]->receive(), "delivered", 5);
    r.deliver_seconds = std::max(r.deliver_seconds, reply.numbers[1]);
    r.poll_failures += static_cast<long>(reply.numbers[2]);
    r.deliver_cpu += reply.numbers[3];
    std::printf("  process %d: %ld callbacks in %.3f s (CPU %.3f s; longest oc_poll %.1f ms), %ld failed polls%s%s\n",
                p + 1, static_cast<long>(reply.numbers[0]), reply.numbers[1], reply.numbers[3],
                reply.numbers[4] * 1000, static_cast<long>(reply.numbers[2]), reply.numbers[2] > 0 ? ", first: " : "",
                reply.numbers[2] > 0 ? reply.rest.c_str() : "");
  }
  r.deliver_wal = target.wal_since(wal_before_delivery);
  if (!wal_before_delivery.empty())
    std::printf("  WAL during the delivery: %ld commits, %ld of them of transactions that logged nothing else\n",
                r.deliver_wal.commits, r.deliver_wal.bare_commits);
  send_all(hosts, "close");
  for (auto &h : hosts) {
    parse_reply(h->receive(), "closed");
    h->wait();
  }
  std::printf("  load average after: %s; CPU steal meanwhile %.1f%%\n", load_average().c_str(),
              steal_percent_since(ticks_before));
  check_deliveries(target, key_files, r);
  const long stored = std::stol(target.query("SELECT count(*) FROM events")[0][0]);
  if (stored != r.events)
    std::printf("  !! %ld events acknowledged but %ld stored\n", r.events, stored);
  return rows;
}

// The raw limit: the same rows into a fresh copy of the schema, by as many
// writer processes, `events_per_batch` events' rows per transaction.
void run_raw(const Target &raw, StoreRows &rows, int events_per_batch, Result &r) {
  raw.create_empty();
  const std::size_t batches =
      static_cast<std::size_t>((r.events + events_per_batch - 1) / std::max(1, events_per_batch));
  plan_batches(rows, batches);
  std::vector<std::unique_ptr<ChildProcess>> writers;
  for (int w = 0; w < r.processes; ++w)
    writers.push_back(std::make_unique<ChildProcess>([&, w](ParentLink &parent) {
      return raw.engine == "sqlite"
                 ? run_sqlite_raw_writer(raw.sqlite_path, rows, batches, w, r.processes, parent)
                 : run_pg_raw_writer(raw.url, raw.schema, rows, batches, w, r.processes, parent);
    }));
  for (auto &w : writers) parse_reply(w->receive(), "ready");
  sync();
  const std::string wal_before = raw.wal_position();
  send_all(writers, "go");
  for (int w = 0; w < r.processes; ++w) {
    const Reply reply = parse_reply(writers[static_cast<std::size_t>(w)]->receive(), "inserted", 3);
    r.raw_rows += static_cast<long>(reply.numbers[0]);
    r.raw_seconds = std::max(r.raw_seconds, reply.numbers[1]);
    r.raw_failures += static_cast<long>(reply.numbers[2]);
    if (reply.numbers[2] > 0) std::printf("  !! raw writer %d: %s\n", w + 1, reply.rest.c_str());
    writers[static_cast<std::size_t>(w)]->wait();
  }
  r.raw_wal = raw.wal_since(wal_before);
  if (!wal_before.empty())
    std::printf("  WAL during the raw insert: %ld commits, %.1f MB (%.0f bytes per event)\n", r.raw_wal.commits,
                r.raw_wal.bytes / 1e6, ratio(r.raw_wal.bytes, static_cast<double>(r.events)));
  std::map<std::string, long> want;
  for (const auto &t : rows.tables) want[t.name] = static_cast<long>(t.rows.size());
  r.copy_matches = raw.table_counts(rows) == want;
  std::printf("  raw: %zu transactions of the rows of <= %d events, %d writer%s: %ld rows in %.3f s%s\n", batches,
              events_per_batch, r.processes, r.processes > 1 ? "s" : "", r.raw_rows, r.raw_seconds,
              r.copy_matches ? ", every table's count matches ordercare's" : ", !! table counts differ");
}

void print_rows(const StoreRows &rows, long events) {
  std::printf("  rows ordercare wrote: %zu (%.1f per event, %.1f MB):", rows.row_count(),
              events ? static_cast<double>(rows.row_count()) / static_cast<double>(events) : 0.0,
              static_cast<double>(rows.byte_count()) / 1e6);
  for (const auto &t : rows.tables)
    if (!t.rows.empty()) std::printf(" %s %zu", t.name.c_str(), t.rows.size());
  std::printf("\n");
}

Result run_configuration(const Settings &s, const std::string &engine, int processes,
                         const std::vector<OrderEvents> &stream, const std::string &pg_url) {
  Result r;
  r.engine = engine;
  r.processes = processes;
  const std::string tag = std::to_string(processes);
  Target ours{engine, s.dir + "/ordercare-" + tag + ".db", pg_url, "oc_nodes_" + tag};
  Target raw{engine, s.dir + "/raw-" + tag + ".db", pg_url, "raw_nodes_" + tag};
  std::printf("\n== nodes: %s, %d process%s x %d host threads ==\n", engine.c_str(), processes,
              processes > 1 ? "es" : "", s.threads);
  StoreRows rows = run_ordercare(s, ours, stream, r);
  print_rows(rows, r.events);
  run_raw(raw, rows, s.threads, r);
  std::printf("  ingest:   ordercare %.0f durable events/s, raw %.0f events/s (same rows), ordercare/raw %.2f; "
              "host CPU %.2f ms per event\n",
              r.events_per_second(), r.raw_events_per_second(), ratio(r.events_per_second(), r.raw_events_per_second()),
              r.events ? r.ingest_cpu * 1000 / static_cast<double>(r.events) : 0.0);
  std::printf("  delivery: %ld effects in %.3f s = %.0f effects/s; exactly once: %s (%ld delivered more than once, "
              "%ld never); host CPU %.2f ms per effect\n",
              r.effects_delivered, r.deliver_seconds, r.effects_per_second(), r.exactly_once() ? "yes" : "NO",
              r.twice, r.never,
              r.effects_delivered ? r.deliver_cpu * 1000 / static_cast<double>(r.effects_delivered) : 0.0);
  return r;
}

void print_summary(const Settings &s, const std::vector<Result> &results) {
  std::printf("\nsummary (%u CPUs; events acknowledged OC_OK by oc_submit per second of the slowest process; "
              "raw = the same rows, same batch and process count):\n",
              std::thread::hardware_concurrency());
  for (const auto &r : results) {
    if (!r.failure.empty()) {
      std::printf("summary: nodes: %-8s %d proc x %d thr: not measured: %s\n", r.engine.c_str(), r.processes,
                  s.threads, r.failure.c_str());
      continue;
    }
    char commits[96] = "";
    if (r.engine == "postgres")
      std::snprintf(commits, sizeof commits, "; WAL commits per event %.2f (raw %.2f)",
                    ratio(static_cast<double>(r.ingest_wal.commits), static_cast<double>(r.events)),
                    ratio(static_cast<double>(r.raw_wal.commits), static_cast<double>(r.events)));
    std::printf("summary: nodes: %-8s %d proc x %d thr: %5.0f durable events/s, raw %s %5.0f, ordercare/raw %.2f;"
                " %5.0f effects/s delivered, exactly once: %s%s%s\n",
                r.engine.c_str(), r.processes, s.threads, r.events_per_second(),
                r.engine == "sqlite" ? "batched insert" : "multi-row INSERT", r.raw_events_per_second(),
                ratio(r.events_per_second(), r.raw_events_per_second()), r.effects_per_second(),
                r.exactly_once() ? "yes" : "NO", commits,
                r.failed || r.poll_failures || r.raw_failures ? " (!! failures, see above)" : "");
  }
  for (const auto &engine : s.engines) {
    const Result *one = nullptr, *three = nullptr;
    for (const auto &r : results) {
      if (r.engine == engine && r.failure.empty() && r.processes == 1) one = &r;
      if (r.engine == engine && r.failure.empty() && r.processes == 3) three = &r;
    }
    if (!one || !three) continue;
    std::printf("summary: nodes: %-8s 3 processes / 1 process: ingest %.2fx (raw %.2fx), delivery %.2fx\n",
                engine.c_str(), ratio(three->events_per_second(), one->events_per_second()),
                ratio(three->raw_events_per_second(), one->raw_events_per_second()),
                ratio(three->effects_per_second(), one->effects_per_second()));
    if (engine == "postgres") {
      double worst = 0;
      bool first = true;
      for (const auto &r : results)
        if (r.engine == engine && r.failure.empty()) {
          const double x = ratio(r.events_per_second(), r.raw_events_per_second());
          worst = first ? x : std::min(worst, x);
          first = false;
        }
      const double scale = ratio(three->events_per_second(), one->events_per_second());
      std::printf("summary: nodes: goals (issue 9): postgres ingest >= 0.5x raw: lowest %.2f (%s); "
                  "3 processes >= 2x 1 process: %.2fx (%s)\n",
                  worst, worst >= 0.5 ? "met" : "not met", scale, scale >= 2.0 ? "met" : "not met");
    }
  }
}

int env_int(const char *name, int fallback) {
  const char *value = std::getenv(name);
  return value && *value ? std::atoi(value) : fallback;
}

}  // namespace

int main() {
  Settings s;
  const char *library = std::getenv("OC_LIBRARY");
  s.library = library && *library ? library : OC_LIBRARY_PATH;
  s.orders = std::max(1, env_int("OC_BENCH_NODES_ORDERS", s.orders));
  s.threads = std::max(1, env_int("OC_BENCH_NODES_THREADS", s.threads));
  s.dir = bench::make_bench_dir("nodes");
  if (s.dir.empty()) return 1;
  int status = 0;
  try {
    s.engines = bench::engines_from_env("OC_BENCH_NODES_ENGINES", s.engines);
    const auto now = std::chrono::duration_cast<std::chrono::milliseconds>(
                         std::chrono::system_clock::now().time_since_epoch())
                         .count();
    const std::vector<OrderEvents> stream = order_stream(s.orders, now);
    std::size_t events = 0;
    for (const auto &o : stream) events += o.events.size();
    std::printf("nodes: %u CPUs (%ld online), load average %s; %d orders, %zu events; %d host threads per process; "
                "SQLite files in %s\n",
                std::thread::hardware_concurrency(), sysconf(_SC_NPROCESSORS_ONLN), load_average().c_str(), s.orders,
                events, s.threads, s.dir.c_str());
    std::vector<Result> results;
    for (const auto &engine : s.engines) {
      // A configuration that fails is reported and the others still run.
      std::string failure;
      const auto pg = bench::start_server_for(engine, failure);
      for (int processes : kProcessCounts) {
        Result r;
        try {
          if (!failure.empty()) throw std::runtime_error(failure);
          r = run_configuration(s, engine, processes, stream, pg ? pg->url() : "");
        } catch (const std::exception &e) {
          r.engine = engine;
          r.processes = processes;
          r.failure = e.what();
          for (char &c : r.failure)
            if (c == '\n') c = ' ';
          std::printf("  !! %s, %d processes: %s\n", engine.c_str(), processes, r.failure.c_str());
        }
        results.push_back(std::move(r));
      }
    }
    print_summary(s, results);
  } catch (const std::exception &e) {
    std::fprintf(stderr, "nodes_bench: %s\n", e.what());
    status = 1;
  }
  std::error_code ignored;
  std::filesystem::remove_all(s.dir, ignored);
  return status;
}
