// Issue 10, point 9: events about one hot SKU while its history grows. For
// SQLite and PostgreSQL (a throwaway durable server), and for each history
// size (default 0, 10k and 100k prior cases on the SKU), a fresh store is
// seeded through the Store interface with that many cases of past orders
// holding the SKU (spread over 30 days, so a tenth fall in the 72 h
// repeated-complaints window; most complaints, some resolved stock counts
// of the SKU at one location), then timed:
//   - events/s: a stream of new orders of the SKU, each created, complained
//     about ("arrived broken": the repeated-complaints check) and shipped,
//     with a stock count of the SKU every 8th order (its open orders, its
//     inventory cases), each through Plugin::submit with full durability;
//   - the reads alone: microseconds per call of the three reads the event
//     path makes per SKU (recent complaints, open orders, inventory cases),
//     straight on the store.
// Ratios are to the empty history. It prints numbers only and never passes
// or fails on time.
//   OC_BENCH_SKU_HISTORY   history sizes (default "0 10000 100000")
//   OC_BENCH_SKU_EVENTS    timed events per size (default 1200)
//   OC_BENCH_SKU_ENGINES   "sqlite postgres" (default both)
//   OC_BENCH_DIR           where the SQLite files go (default $TMPDIR or /tmp)
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "common/crypto.h"
#include "common/json.h"
#include "domain/policy.h"
#include "domain/sla_clocks.h"
#include "runtime/config.h"
#include "runtime/plugin.h"
#include "store/store.h"
#include "store/subjects.h"
#include "bench/bench_setup.h"
#include "support/pg_server.h"

namespace {

using namespace ordercare;
using Clock = std::chrono::steady_clock;

constexpr const char *kMasterKey = "b3JkZXJjYXJlIHNrdSBoaXN0b3J5IGJlbmNoIGtleSE=";
constexpr const char *kHotSku = "LAMP-HOT-1";
constexpr const char *kLocation = "WH-1";
const TimeMs kStart = *parse_rfc3339("2030-03-02T09:00:00Z");
constexpr TimeMs kHistorySpan = 30 * kDayMs;
constexpr std::int64_t kOpenHistoryOrders = 20;
constexpr std::int64_t kRowsPerTransaction = 2000;

double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

double ratio(double a, double b) { return b > 0 ? a / b : 0.0; }

struct Settings {
  std::vector<std::int64_t> history = {0, 10000, 100000};
  int events = 1200;
  std::vector<std::string> engines = {"sqlite", "postgres"};
  std::string dir;
};

// One store: its engine, where it is, and its configs.
struct Target {
  std::string engine;
  std::string path;         // sqlite
  std::string url, schema;  // postgres

  store::StoreConfig store_config() const {
    store::StoreConfig c;
    c.engine = engine;
    c.path = path;
    c.url = url;
    c.schema = schema;
    c.master_key = *crypto::base64_decode(kMasterKey);
    return c;
  }
  std::string plugin_config() const {
    const std::string crypto = std::string(R"(, "crypto": {"master_key": ")") + kMasterKey + "\"}}";
    if (engine == "sqlite") return R"({"store": {"path": ")" + path + R"(", "durability": "full"})" + crypto;
    return R"({"store": {"engine": "postgres", "url": ")" + url + R"(", "schema": ")" + schema + "\"}" + crypto;
  }
};

// --- The history ------------------------------------------------------------------

const domain::IssueType kHistoryTypes[] = {
    domain::IssueType::damaged_item, domain::IssueType::wismo,        domain::IssueType::wrong_item,
    domain::IssueType::shipping_delay, domain::IssueType::complaint, domain::IssueType::wismo,
    domain::IssueType::missing_item, domain::IssueType::damaged_item};

domain::Order history_order(std::int64_t i, std::int64_t size) {
  domain::Order o;
  o.id = "hist-ord-" + std::to_string(i);
  o.number = "#H" + std::to_string(i);
  o.customer_id = "hist-cus-" + std::to_string(i % 500);
  o.currency = "EUR";
  o.channel = "web";
  o.placed_at = kStart - kHistorySpan + kHistorySpan * i / std::max<std::int64_t>(size, 1);
  o.status_at = o.placed_at;
  // The last few are still in the warehouse; the others went out long ago.
  o.status = i >= size - kOpenHistoryOrders ? domain::OrderStatus::processing : domain::OrderStatus::delivered;
  o.items.push_back({"L1", kHotSku, "Hot lamp", 1, 4900, ""});
  o.items.push_back({"L2", "SHADE-" + std::to_string(i % 50), "Shade", 1, 1500, ""});
  o.total = 6400;
  return o;
}

domain::CaseRecord history_case(const domain::Order &o, std::int64_t i, const domain::Policy &policy) {
  domain::CaseRecord c;
  c.id = "H-" + std::to_string(i);
  c.order_id = o.id;
  c.customer_id = o.customer_id;
  c.type = kHistoryTypes[i % 8];
  c.channel = "email";
  c.team = "support";
  c.opened_at = o.placed_at + 2 * kDayMs;
  c.updated_at = c.opened_at;
  c.skus = {kHotSku};
  c.event_ids = {"hist-ev-" + std::to_string(i)};
  c.customer_contacts = 1;
  c.reason = "classifier rule matched";
  c.pii = {{"description", "The lamp arrived broken, the glass shade is cracked."}};
  // Most are done with; the last days' are still being worked on.
  const bool done = c.opened_at < kStart - 4 * kDayMs;
  c.status = done ? domain::CaseStatus::resolved : domain::CaseStatus::open;
  if (done) c.resolved_at = c.opened_at + kDayMs;
  domain::sync_clocks(c, policy.sla, c.opened_at);
  return c;
}

// A stock count of the SKU, resolved: what a day of counts leaves behind.
domain::CaseRecord history_count(std::int64_t i, const domain::Policy &policy) {
  domain::CaseRecord c;
  c.id = "H-count-" + std::to_string(i);
  c.type = domain::IssueType::inventory_discrepancy;
  c.channel = "system";
  c.team = "warehouse";
  c.opened_at = kStart - kHistorySpan + i * kHourMs;
  c.updated_at = c.opened_at;
  c.skus = {kHotSku};
  c.location = kLocation;
  c.reason = "stock count differs";
  c.status = domain::CaseStatus::resolved;
  c.resolved_at = c.opened_at + kHourMs;
  domain::sync_clocks(c, policy.sla, c.opened_at);
  return c;
}

void seed(const Target &target, std::int64_t size) {
  const domain::Policy &policy = domain::Policy::defaults();
  auto store = store::open_store(target.store_config());
  const std::int64_t counts = size / 100;
  for (std::int64_t i = 0; i < size + counts; i += kRowsPerTransaction) {
    store->begin_batch();
    for (std::int64_t k = i; k < std::min(size + counts, i + kRowsPerTransaction); ++k) {
      if (k < size) {
        const domain::Order o = history_order(k, size);
        store->state().put_order(o);
        store->state().put_case(history_case(o, k, policy));
      } else {
        store->state().put_case(history_count(k - size, policy));
      }
    }
    store->commit_batch();
  }
}

// --- The timed part ---------------------------------------------------------------

Json event(const std::string &id, const char *type, TimeMs at, Json data) {
  return {{"id", id}, {"type", type}, {"occurred_at", format_rfc3339(at)}, {"source", "host"}, {"data", std::move(data)}};
}

// New orders of the hot SKU: created, complained about, shipped; a stock
// count short of the system's every 8th order.
std::vector<std::string> hot_stream(int events) {
  std::vector<std::string> out;
  TimeMs at = kStart;
  for (int n = 0; static_cast<int>(out.size()) < events; ++n) {
    const std::string id = "hot-ord-" + std::to_string(n);
    const Json customer = {{"id", "hot-cus-" + std::to_string(n)},
                           {"name", "Hot Customer " + std::to_string(n)},
                           {"email", "hot" + std::to_string(n) + "@example.org"}};
    Json items = Json::array();
    items.push_back({{"line_id", "L1"}, {"sku", kHotSku}, {"name", "Hot lamp"}, {"quantity", 1}, {"unit_price", 4900}});
    out.push_back(dump_json(event(id + "-created", "order.created", at += kSecondMs,
                                  {{"order", {{"id", id},
                                              {"number", "#HOT" + std::to_string(n)},
                                              {"placed_at", format_rfc3339(at)},
                                              {"currency", "EUR"},
                                              {"total", 4900},
                                              {"channel", "web"},
                                              {"customer", customer},
                                              {"items", items}}}})));
    out.push_back(dump_json(event(id + "-msg", "customer.message", at += kSecondMs,
                                  {{"order_id", id},
                                   {"customer", customer},
                                   {"channel", "email"},
                                   {"text", "The lamp arrived broken, the glass shade is cracked."}})));
    out.push_back(dump_json(event(id + "-shipped", "order.updated", at += kSecondMs,
                                  {{"order_id", id}, {"status", "shipped"}})));
    if (n % 8 == 7)
      out.push_back(dump_json(event(id + "-count", "inventory.discrepancy", at += kSecondMs,
                                    {{"sku", kHotSku},
                                     {"location", kLocation},
                                     {"system_count", 40},
                                     {"physical_count", 38},
                                     {"reported_by", "bench"}})));
  }
  out.resize(static_cast<std::size_t>(events));
  return out;
}

TimeMs g_now = kStart;
std::int64_t host_now(void *) { return g_now; }

double events_per_second(const Target &target, const std::vector<std::string> &stream) {
  oc_host host{};
  host.struct_size = sizeof host;
  host.now_ms = &host_now;
  g_now = kStart;
  runtime::Plugin plugin(runtime::parse_config(target.plugin_config()), &host, 0);
  const auto start = Clock::now();
  for (const auto &e : stream) {
    g_now += kSecondMs;
    plugin.submit(e);
  }
  const double took = seconds_since(start);
  plugin.close();
  return static_cast<double>(stream.size()) / took;
}

// Average wall time of fn over `n` runs, in microseconds.
double micros(int n, const std::function<void()> &fn) {
  const auto start = Clock::now();
  for (int i = 0; i < n; ++i) fn();
  return seconds_since(start) * 1e6 / n;
}

struct Reads {
  double complaints_us = 0, open_orders_us = 0, counts_us = 0;
};

Reads time_reads(const Target &target) {
  auto store = store::open_store(target.store_config());
  store::StateStore &state = store->state();
  const domain::Policy &policy = domain::Policy::defaults();
  const TimeMs since = kStart - policy.red_flags.repeat_window;
  Reads r;
  store->begin_batch();
  r.complaints_us = micros(50, [&] {
    state.recent_complaints({kHotSku}, since, std::string("hot-ord-x"), policy.red_flags.repeat_threshold);
  });
  r.open_orders_us = micros(50, [&] { state.open_orders_with_sku(kHotSku); });
  // What a stock count reads (engine.cpp): the SKU's active cases, not its
  // whole history of counts.
  r.counts_us = micros(50, [&] { state.active_cases_for_subject(Subject::sku_at(kHotSku, kLocation)); });
  store->rollback_batch();
  return r;
}

struct Row {
  std::string engine;
  std::int64_t history = 0;
  double events_per_second = 0;
  Reads reads;
  std::string failure;
};

Row run(const Settings &s, const std::string &engine, std::int64_t history, const std::string &pg_url,
        const std::vector<std::string> &stream) {
  Row row;
  row.engine = engine;
  row.history = history;
  const std::string tag = engine + "-" + std::to_string(history);
  Target target{engine, s.dir + "/sku-" + tag + ".db", pg_url, "oc_sku_" + std::to_string(history)};
  auto start = Clock::now();
  seed(target, history);
  std::printf("  %-8s history %6lld cases: seeded in %.1f s\n", engine.c_str(), static_cast<long long>(history),
              seconds_since(start));
  std::fflush(stdout);
  row.reads = time_reads(target);
  row.events_per_second = events_per_second(target, stream);
  std::printf("  %-8s history %6lld cases: %7.0f events/s; reads per call: recent complaints %8.1f us, "
              "open orders %8.1f us, inventory cases %8.1f us\n",
              engine.c_str(), static_cast<long long>(history), row.events_per_second, row.reads.complaints_us,
              row.reads.open_orders_us, row.reads.counts_us);
  std::fflush(stdout);
  return row;
}

void print_summary(const std::vector<Row> &rows, int events) {
  for (const auto &row : rows) {
    if (!row.failure.empty()) {
      std::printf("summary: sku: %-8s history %6lld: not measured: %s\n", row.engine.c_str(),
                  static_cast<long long>(row.history), row.failure.c_str());
      continue;
    }
    const Row *empty = nullptr;
    for (const auto &r : rows)
      if (r.engine == row.engine && r.history == 0 && r.failure.empty()) empty = &r;
    std::printf("summary: sku: %-8s history %6lld cases: %6.0f events/s (%d events, durable), %.2f of the empty "
                "history; per call: recent complaints %.0f us, open orders %.0f us, inventory cases %.0f us\n",
                row.engine.c_str(), static_cast<long long>(row.history), row.events_per_second, events,
                empty ? ratio(row.events_per_second, empty->events_per_second) : 0.0, row.reads.complaints_us,
                row.reads.open_orders_us, row.reads.counts_us);
  }
}

std::vector<std::string> words(const char *text) {
  std::istringstream in(text);
  std::vector<std::string> out;
  for (std::string w; in >> w;) out.push_back(w);
  return out;
}

}  // namespace

int main() {
  Settings s;
  if (const char *h = std::getenv("OC_BENCH_SKU_HISTORY"); h && *h) {
    s.history.clear();
    for (const auto &w : words(h)) s.history.push_back(std::stoll(w));
  }
  if (const char *e = std::getenv("OC_BENCH_SKU_EVENTS"); e && *e) s.events = std::max(1, std::atoi(e));
  s.dir = bench::make_bench_dir("sku");
  if (s.dir.empty()) return 1;
  int status = 0;
  try {
    s.engines = bench::engines_from_env("OC_BENCH_SKU_ENGINES", s.engines);
    const std::vector<std::string> stream = hot_stream(s.events);
    std::printf("sku: one hot SKU, %d timed events per history size, SQLite files in %s\n", s.events, s.dir.c_str());
    std::vector<Row> rows;
    for (const auto &engine : s.engines) {
      std::string failure;
      const auto pg = bench::start_server_for(engine, failure);
      for (const std::int64_t history : s.history) {
        try {
          if (!failure.empty()) throw std::runtime_error(failure);
          rows.push_back(run(s, engine, history, pg ? pg->url() : "", stream));
        } catch (const std::exception &e) {
          Row row;
          row.engine = engine;
          row.history = history;
          row.failure = e.what();
          for (char &c : row.failure)
            if (c == '\n') c = ' ';
          std::printf("  !! %s, history %lld: %s\n", engine.c_str(), static_cast<long long>(history),
                      row.failure.c_str());
          rows.push_back(std::move(row));
        }
      }
    }
    print_summary(rows, s.events);
  } catch (const std::exception &e) {
    std::fprintf(stderr, "sku_history_bench: %s\n", e.what());
    status = 1;
  }
  std::error_code ignored;
  std::filesystem::remove_all(s.dir, ignored);
  return status;
}
