// Durable events per second through oc_submit, beside raw SQLite doing the
// same inserts into the same schema, in one run on one disk:
//   ours/threads:1, ours/threads:4  the C ABI, library dlopen()ed as a host
//                                   would, a fresh store per run, default
//                                   durability (full: fsync per commit);
//   raw_per_row                     one transaction per row, WAL,
//                                   synchronous=FULL: what "durable on
//                                   return" costs without ordercare;
//   raw_batched                     512 rows per transaction: the ceiling.
// At the end it prints the ratios. It never passes or fails on time.
#include <benchmark/benchmark.h>
#include <dlfcn.h>
#include <sqlite3.h>

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <stdexcept>
#include <string>

#include "common/json.h"
#include "ordercare.h"
#include "store/sql/migrations.h"
#include "store/sqlite/sqlite_connection.h"
#include "store/sqlite/sqlite_migrations.h"

namespace {

// The ABI as a host sees it: resolved from the shared library at run time.
struct Api {
  void *handle = nullptr;
  decltype(&oc_open) open = nullptr;
  decltype(&oc_close) close = nullptr;
  decltype(&oc_submit) submit = nullptr;
  decltype(&oc_buffer_free) buffer_free = nullptr;
  decltype(&oc_last_error) last_error = nullptr;

  template <class F>
  void resolve(F &target, const char *name) {
    target = reinterpret_cast<F>(dlsym(handle, name));
    if (!target) throw std::runtime_error(std::string("missing symbol ") + name);
  }

  void load(const char *path) {
    handle = dlopen(path, RTLD_NOW | RTLD_LOCAL);
    if (!handle) throw std::runtime_error(std::string("dlopen: ") + dlerror());
    resolve(open, "oc_open");
    resolve(close, "oc_close");
    resolve(submit, "oc_submit");
    resolve(buffer_free, "oc_buffer_free");
    resolve(last_error, "oc_last_error");
  }
};

Api g_api;
std::string g_dir;
std::atomic<long> g_sequence{0};
std::atomic<int> g_store_number{0};

// A plausible event: an order change request with a short customer note.
std::string event_json(long n) {
  char buffer[1024];
  std::snprintf(buffer, sizeof buffer,
                R"({"id": "bench-%ld", "type": "order.change_requested", )"
                R"("occurred_at": "2026-11-22T10:00:00Z", "source": "shopify", "store": "eu-1", )"
                R"("data": {"order_id": "order-%ld", "change": "address", )"
                R"("details": "Please deliver to the back door, the front gate is locked )"
                R"(between 9 and 5. Call when outside."}})",
                n, n % 5000);
  return buffer;
}

std::string fresh_store(const char *kind) {
  return g_dir + "/" + kind + "-" + std::to_string(g_store_number++) + ".db";
}

oc_plugin *g_plugin = nullptr;

void BM_OcSubmit(benchmark::State &state) {
  if (state.thread_index() == 0) {
    const std::string config = R"({"store": {"path": ")" + fresh_store("ours") + "\"}}";
    oc_options options{};
    options.struct_size = sizeof options;
    options.config_json = config.c_str();
    options.config_len = config.size();
    if (g_api.open(&options, nullptr, &g_plugin) != OC_OK) {
      state.SkipWithError(g_api.last_error());
      g_plugin = nullptr;
    }
  }
  for (auto _ : state) {
    if (!g_plugin) break;
    const std::string event = event_json(++g_sequence);
    const oc_status status = g_api.submit(g_plugin, event.data(), event.size(), nullptr);
    if (status != OC_OK) {
      state.SkipWithError(g_api.last_error());
      break;
    }
  }
  state.SetItemsProcessed(state.iterations());
  if (state.thread_index() == 0 && g_plugin) {
    g_api.close(g_plugin);
    g_plugin = nullptr;
  }
}
BENCHMARK(BM_OcSubmit)->Name("ours")->Threads(1)->Threads(4)->UseRealTime()->MinTime(3.0);

// A raw connection to a file with ordercare's own schema, and the row each
// event becomes, so both sides write the same bytes into the same indexes.
struct RawStore {
  sqlite3 *db = nullptr;
  sqlite3_stmt *insert = nullptr;

  explicit RawStore(const std::string &path) {
    {
      ordercare::store::sqlite::SqliteConnection schema(path);
      ordercare::store::sql::migrate(schema, ordercare::store::sqlite::sqlite_migrations());
    }
    sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE, nullptr);
    sqlite3_exec(db, "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL", nullptr, nullptr,
                 nullptr);
    sqlite3_prepare_v2(db,
                       "INSERT INTO events (id, type, source, store_id, occurred_at, received_at, "
                       "body) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING",
                       -1, &insert, nullptr);
  }
  ~RawStore() {
    sqlite3_finalize(insert);
    sqlite3_close(db);
  }

  bool add(long n) {
    const auto event = ordercare::Json::parse(event_json(n));
    const std::string id = event["id"], type = event["type"], source = event["source"],
                      store = event["store"];
    const std::string body = ordercare::dump_json(event);
    sqlite3_bind_text(insert, 1, id.data(), static_cast<int>(id.size()), SQLITE_TRANSIENT);
    sqlite3_bind_text(insert, 2, type.data(), static_cast<int>(type.size()), SQLITE_TRANSIENT);
    sqlite3_bind_text(insert, 3, source.data(), static_cast<int>(source.size()), SQLITE_TRANSIENT);
    sqlite3_bind_text(insert, 4, store.data(), static_cast<int>(store.size()), SQLITE_TRANSIENT);
    sqlite3_bind_int64(insert, 5, 1795341600000);
    sqlite3_bind_int64(insert, 6, 1795341600000 + n);
    sqlite3_bind_text(insert, 7, body.data(), static_cast<int>(body.size()), SQLITE_TRANSIENT);
    const bool ok = sqlite3_step(insert) == SQLITE_DONE;
    sqlite3_reset(insert);
    return ok;
  }
  bool exec(const char *sql) { return sqlite3_exec(db, sql, nullptr, nullptr, nullptr) == SQLITE_OK; }
};

void BM_RawPerRow(benchmark::State &state) {
  RawStore raw(fresh_store("raw"));
  long n = 0;
  for (auto _ : state) {
    if (!raw.exec("BEGIN IMMEDIATE") || !raw.add(++n) || !raw.exec("COMMIT")) {
      state.SkipWithError(sqlite3_errmsg(raw.db));
      break;
    }
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_RawPerRow)->Name("raw_per_row")->UseRealTime()->MinTime(3.0);

void BM_RawBatched(benchmark::State &state) {
  constexpr long kRowsPerTransaction = 512;
  RawStore raw(fresh_store("raw-batched"));
  long n = 0;
  for (auto _ : state) {
    bool ok = raw.exec("BEGIN IMMEDIATE");
    for (long i = 0; ok && i < kRowsPerTransaction; ++i) ok = raw.add(++n);
    if (!ok || !raw.exec("COMMIT")) {
      state.SkipWithError(sqlite3_errmsg(raw.db));
      break;
    }
  }
  state.SetItemsProcessed(state.iterations() * kRowsPerTransaction);
}
BENCHMARK(BM_RawBatched)->Name("raw_batched")->UseRealTime()->MinTime(3.0);

// Prints as usual and keeps each run's items per second for the summary.
class SummaryReporter : public benchmark::ConsoleReporter {
 public:
  void ReportRuns(const std::vector<Run> &runs) override {
    ConsoleReporter::ReportRuns(runs);
    for (const auto &run : runs) {
      auto it = run.counters.find("items_per_second");
      if (it != run.counters.end() && !run.error_occurred)
        rates[run.benchmark_name()] = it->second.value;
    }
  }
  std::map<std::string, double> rates;
};

// The rate of the run whose name starts with `prefix` and contains `tag`.
double rate_of(const SummaryReporter &reporter, const std::string &prefix, const std::string &tag) {
  for (const auto &[name, rate] : reporter.rates)
    if (name.rfind(prefix, 0) == 0 && name.find(tag) != std::string::npos) return rate;
  return 0;
}

void print_summary(const SummaryReporter &reporter) {
  const double ours1 = rate_of(reporter, "ours/", "threads:1");
  const double ours4 = rate_of(reporter, "ours/", "threads:4");
  const double raw = rate_of(reporter, "raw_per_row", "");
  const double batched = rate_of(reporter, "raw_batched", "");
  auto ratio = [](double a, double b) { return b > 0 ? a / b : 0.0; };
  std::printf("\nsummary (durable inserts per second, fsync per commit):\n");
  std::printf("summary: ours, 1 thread       %10.0f events/s   ours/raw_per_row = %.2f\n", ours1,
              ratio(ours1, raw));
  std::printf("summary: ours, 4 threads      %10.0f events/s   ours/raw_per_row = %.2f"
              "   4 threads/1 thread = %.2f\n",
              ours4, ratio(ours4, raw), ratio(ours4, ours1));
  std::printf("summary: raw, 1 row per txn   %10.0f rows/s\n", raw);
  std::printf("summary: raw, 512 rows per txn%10.0f rows/s     ours(4 threads)/raw_batched = %.3f\n",
              batched, ratio(ours4, batched));
}

}  // namespace

int main(int argc, char **argv) {
  const char *library = std::getenv("OC_LIBRARY");
  const char *base = std::getenv("OC_BENCH_DIR");
  if (!base || !*base) base = std::getenv("TMPDIR");
  std::string pattern = std::string(base && *base ? base : "/tmp") + "/ordercare-bench-XXXXXX";
  if (!mkdtemp(pattern.data())) {
    std::perror("mkdtemp");
    return 1;
  }
  g_dir = pattern;
  int status = 0;
  try {
    g_api.load(library && *library ? library : OC_LIBRARY_PATH);
    benchmark::Initialize(&argc, argv);
    if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
    std::printf("store files in %s\n", g_dir.c_str());
    SummaryReporter reporter;
    benchmark::RunSpecifiedBenchmarks(&reporter);
    benchmark::Shutdown();
    print_summary(reporter);
  } catch (const std::exception &e) {
    std::fprintf(stderr, "submit_bench: %s\n", e.what());
    status = 1;
  }
  std::error_code ignored;
  std::filesystem::remove_all(g_dir, ignored);
  return status;
}
