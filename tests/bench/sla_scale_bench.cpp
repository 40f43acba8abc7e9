// Issue 5, point 8: one million open cases with live SLA timers in one
// process. Builds (once, then reuses) a store of realistic open cases,
// each with its clocks and its warning and breach timers, written through
// the Store interface in large transactions; then, in a fresh process so
// that memory figures are its own, measures:
//   - opening the plugin on that store (host clock, and system clock where
//     the plugin thread arms its own timer), resident memory after open;
//   - the sla_timers index: next_timer_due() and cases_with_timers_due()
//     with nothing due, with a batch due and with every timer overdue (a
//     restart after a long stop);
//   - firing batches of due timers (warnings and breaches written with
//     their effects, as oc_poll and the plugin thread do).
// It prints numbers only and never passes or fails on time.
//   sla_scale_bench [--cases N] [--fire K] [--rebuild]
// OC_BENCH_DIR picks where the store goes (default: $TMPDIR or /tmp); each
// run measures a copy of it (firing timers writes).
#include <sqlite3.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <functional>
#include <string>
#include <vector>

#include "bench/open_case_store.h"
#include "common/failure.h"
#include "common/json.h"
#include "domain/policy.h"
#include "runtime/config.h"
#include "runtime/engine.h"
#include "runtime/plugin.h"
#include "store/store.h"

extern char **environ;

namespace {

using namespace ordercare;
using Clock = std::chrono::steady_clock;

const TimeMs kBuiltAt = bench::open_cases_built_at();

double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

// VmRSS / VmHWM of this process, in MiB.
std::pair<double, double> memory_mib() {
  std::ifstream status("/proc/self/status");
  std::string line;
  double rss = 0, hwm = 0;
  while (std::getline(status, line)) {
    if (line.rfind("VmRSS:", 0) == 0) rss = std::stod(line.substr(6)) / 1024.0;
    if (line.rfind("VmHWM:", 0) == 0) hwm = std::stod(line.substr(6)) / 1024.0;
  }
  return {rss, hwm};
}

void print_memory(const char *when) {
  const auto [rss, hwm] = memory_mib();
  std::printf("memory %-34s VmRSS %8.1f MiB   VmHWM %8.1f MiB\n", when, rss, hwm);
}

// No master key configured: the store's key file (unless ORDERCARE_MASTER_KEY is set).
std::string master_key_json() { return "{}"; }

store::StoreConfig store_config(const std::string &path) {
  store::StoreConfig config;
  config.path = path;
  config.durability = store::Durability::normal;
  return config;
}

std::string plugin_config(const std::string &path) {
  return R"({"store": {"path": ")" + path + R"(", "durability": "normal"}, "crypto": )" + master_key_json() + "}";
}

// --- Measuring ---------------------------------------------------------------------------

std::int64_t sql_int(sqlite3 *db, const std::string &sql) {
  sqlite3_stmt *stmt = nullptr;
  if (sqlite3_prepare_v2(db, sql.c_str(), -1, &stmt, nullptr) != SQLITE_OK)
    throw std::runtime_error(sqlite3_errmsg(db));
  std::int64_t out = sqlite3_step(stmt) == SQLITE_ROW ? sqlite3_column_int64(stmt, 0) : 0;
  sqlite3_finalize(stmt);
  return out;
}

std::string query_plan(sqlite3 *db, const std::string &sql) {
  sqlite3_stmt *stmt = nullptr;
  std::string out;
  if (sqlite3_prepare_v2(db, ("EXPLAIN QUERY PLAN " + sql).c_str(), -1, &stmt, nullptr) != SQLITE_OK) return "?";
  while (sqlite3_step(stmt) == SQLITE_ROW)
    out += std::string(out.empty() ? "" : "; ") + reinterpret_cast<const char *>(sqlite3_column_text(stmt, 3));
  sqlite3_finalize(stmt);
  return out;
}

struct Facts {
  std::int64_t cases = 0, timers = 0;
  TimeMs first_due = 0, batch_due = 0, last_due = 0;
};

Facts read_facts(const std::string &path, std::int64_t fire) {
  sqlite3 *db = nullptr;
  sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr);
  Facts f;
  f.cases = sql_int(db, "SELECT count(*) FROM cases WHERE active = 1");
  f.timers = sql_int(db, "SELECT count(*) FROM sla_timers");
  f.first_due = sql_int(db, "SELECT min(due_at) FROM sla_timers");
  f.last_due = sql_int(db, "SELECT max(due_at) FROM sla_timers");
  // The instant by which about `fire` cases have a timer due.
  f.batch_due = sql_int(db, "SELECT due_at FROM sla_timers ORDER BY due_at LIMIT 1 OFFSET " + std::to_string(fire));
  std::printf("store  %lld active cases, %lld timers, due from %s to %s\n", static_cast<long long>(f.cases),
              static_cast<long long>(f.timers), format_rfc3339(f.first_due).c_str(),
              format_rfc3339(f.last_due).c_str());
  std::printf("plan   due query: %s\n",
              query_plan(db, "SELECT case_id, due_at FROM sla_timers WHERE due_at <= 0 ORDER BY due_at, case_id").c_str());
  sqlite3_close(db);
  return f;
}

// Average wall time of fn over `n` runs, in microseconds.
double micros(int n, const std::function<void()> &fn) {
  const auto start = Clock::now();
  for (int i = 0; i < n; ++i) fn();
  return seconds_since(start) * 1e6 / n;
}

TimeMs virtual_now = kBuiltAt;
std::int64_t host_now(void *) { return virtual_now; }

// What the closing summary reports.
struct Summary {
  double open_host = 0, open_system = 0, rss_after_open = 0;
  double next_due_us = 0, batch_us = 0, all_due_us = 0, fire_ms_per_case = 0;
};
Summary summary;

void measure_open(const std::string &path) {
  print_memory("at start");
  oc_host host{};
  host.struct_size = sizeof host;
  host.now_ms = &host_now;
  auto start = Clock::now();
  auto plugin = std::make_unique<runtime::Plugin>(runtime::parse_config(plugin_config(path)), &host, 0);
  const double open_host = seconds_since(start);
  start = Clock::now();
  plugin->call("cases.list", R"({"limit": 50})");
  const double first_list = seconds_since(start);
  print_memory("after open (host clock)");
  summary.rss_after_open = memory_mib().first;
  summary.open_host = open_host;
  start = Clock::now();
  plugin->poll(64);
  const double first_poll = seconds_since(start);
  start = Clock::now();
  for (int i = 0; i < 100; ++i) plugin->poll(64);
  const double later_poll = seconds_since(start) / 100;
  start = Clock::now();
  plugin->close();
  const double close = seconds_since(start);
  plugin.reset();
  std::printf("open   host clock:   open %.3f s, first cases.list %.3f s, first oc_poll %.4f s, "
              "later oc_poll %.4f s, close %.3f s\n",
              open_host, first_list, first_poll, later_poll, close);

  // The system clock: the plugin thread reads the store's next due time and
  // arms its own uv timer (nothing is due: the store's timers are later).
  start = Clock::now();
  plugin = std::make_unique<runtime::Plugin>(runtime::parse_config(plugin_config(path)), nullptr, 0);
  const double open_system = seconds_since(start);
  summary.open_system = open_system;
  start = Clock::now();
  plugin->call("cases.list", R"({"limit": 50})");
  const double settled = seconds_since(start);
  print_memory("after open (system clock)");
  plugin->close();
  std::printf("open   system clock: open %.3f s, first call after the timer was armed %.3f s\n", open_system, settled);
}

void measure_timers(const std::string &path, const Facts &f) {
  auto store = store::open_store(store_config(path));
  store::StateStore &state = store->state();
  summary.next_due_us = micros(2000, [&] { state.next_timer_due(); });
  std::printf("index  next_timer_due()                          %9.1f us\n", summary.next_due_us);
  std::printf("index  cases_with_timers_due(nothing due, 512)  %9.1f us\n",
              micros(2000, [&] { state.cases_with_timers_due(kBuiltAt, 512); }));
  std::size_t got = 0;
  const double batch = micros(20, [&] { got = state.cases_with_timers_due(f.batch_due, 512).size(); });
  summary.batch_us = batch;
  std::printf("index  cases_with_timers_due(batch due, 512)    %9.1f us  (%zu cases)\n", batch, got);
  const double all = micros(3, [&] { got = state.cases_with_timers_due(f.last_due, 512).size(); });
  summary.all_due_us = all;
  std::printf("index  cases_with_timers_due(all %lld due, 512) %9.1f us  (%zu cases)\n",
              static_cast<long long>(f.timers), all, got);
  print_memory("after index queries");

  // Fire what is due at batch_due, 512 cases per transaction, as oc_poll
  // and the plugin thread do.
  const domain::StoreProfiles stores;
  runtime::Engine engine(stores);
  std::int64_t fired = 0, batches = 0;
  double slowest = 0;
  const auto start = Clock::now();
  for (;;) {
    const auto batch_start = Clock::now();
    store->begin_batch();
    runtime::JobContext ctx{*store};
    const std::size_t n = engine.fire_due_timers(ctx, f.batch_due, 512);
    store->commit_batch();
    if (n == 0) break;
    fired += static_cast<std::int64_t>(n);
    ++batches;
    slowest = std::max(slowest, seconds_since(batch_start));
  }
  const double took = seconds_since(start);
  summary.fire_ms_per_case = fired ? took * 1000 / static_cast<double>(fired) : 0.0;
  std::printf("fire   %lld cases with a timer due, in %lld batches of <= 512: %.2f s (%.2f ms per case, "
              "slowest batch %.1f ms)\n",
              static_cast<long long>(fired), static_cast<long long>(batches), took,
              fired ? took * 1000 / static_cast<double>(fired) : 0.0, slowest * 1000);
  print_memory("after firing");
}

int measure(const std::string &path, std::int64_t fire) {
  measure_open(path);
  const Facts f = read_facts(path, fire);
  measure_timers(path, f);
  std::printf("summary: sla: %lld open cases, %lld timers: plugin open %.3f s (host clock), %.3f s (system "
              "clock); VmRSS after open %.1f MiB\n",
              static_cast<long long>(f.cases), static_cast<long long>(f.timers), summary.open_host,
              summary.open_system, summary.rss_after_open);
  std::printf("summary: sla: timer index: next due %.1f us, 512 due cases %.0f us (every timer overdue: %.0f us); "
              "firing %.2f ms per case\n",
              summary.next_due_us, summary.batch_us, summary.all_due_us, summary.fire_ms_per_case);
  return 0;
}

// Runs this program again to measure, so that its memory is not this one's.
int spawn_measure(const char *self, const std::string &path, std::int64_t fire) {
  std::string fire_arg = std::to_string(fire);
  std::vector<char *> argv = {const_cast<char *>(self), const_cast<char *>("--measure"),
                              const_cast<char *>(path.c_str()), const_cast<char *>("--fire"), fire_arg.data(),
                              nullptr};
  pid_t pid = 0;
  if (posix_spawn(&pid, "/proc/self/exe", nullptr, nullptr, argv.data(), environ) != 0) {
    std::perror("posix_spawn");
    return 1;
  }
  int status = 0;
  waitpid(pid, &status, 0);
  return WIFEXITED(status) ? WEXITSTATUS(status) : 1;
}

}  // namespace

int main(int argc, char **argv) {
  std::int64_t cases = 1'000'000, fire = 20'000;
  bool rebuild = false;
  std::string measure_path;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--cases" && i + 1 < argc) cases = std::atoll(argv[++i]);
    else if (arg == "--fire" && i + 1 < argc) fire = std::atoll(argv[++i]);
    else if (arg == "--rebuild") rebuild = true;
    else if (arg == "--measure" && i + 1 < argc) measure_path = argv[++i];
    else {
      std::fprintf(stderr, "usage: sla_scale_bench [--cases N] [--fire K] [--rebuild]\n");
      return 2;
    }
  }
  try {
    if (!measure_path.empty()) return measure(measure_path, fire);
    const bench::OpenCaseStore store = bench::open_case_store(cases, rebuild);
    // Firing timers writes to the store: measured on a copy, so that every
    // run (and events_bench growth, which uses the same file) starts from
    // the store as it was built.
    const bench::OpenCaseCopy copy(store);
    return spawn_measure(argv[0], copy.path(), fire);
  } catch (const std::exception &e) {
    std::fprintf(stderr, "sla_scale_bench: %s\n", e.what());
    return 1;
  }
}
