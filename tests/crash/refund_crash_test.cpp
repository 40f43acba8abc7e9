// Exactly-once effects under kill -9 (issue 4, point 5). refund_crash_driver
// replays the sample day and a generated return-heavy stream (orders in
// USD, JPY and KWD with returns, receipts, partial refunds, order refunds,
// stock shortfalls) against one store and one host ledger, and is killed
// with SIGKILL round after round: at random moments, and inside host
// callbacks before and after the host applied the action. Each restart
// resumes the replay. At the end the store and the host's ledger must
// agree: every refund owed applied exactly once under its key, nothing
// applied twice, no order refunded more than it paid, every acknowledged
// event in the log. A fault test plays a host that rejects, times out and
// asks to retry at random.
//
// Seeded and logged; OC_REFUND_CRASH_ROUNDS and OC_REFUND_CRASH_SEED
// override the round count and the seed.
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sqlite3.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <random>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "common/json.h"
#include "common/time_format.h"
#include "ordercare.h"
#include "support/temp_dir.h"

namespace {

using ordercare::Json;
using ordercare::TimeMs;
using SteadyClock = std::chrono::steady_clock;

long env_or(const char *name, long fallback) {
  const char *value = std::getenv(name);
  return value && *value ? std::atol(value) : fallback;
}

const std::string kSampleDay = std::string(OC_TEST_SOURCE_DIR) + "/host_shims/c/data/sample_day.jsonl";

// --- The generated return-heavy stream -------------------------------------

// 2026-11-21T08:00:00Z, the morning after the sample day.
constexpr TimeMs kStreamStart = 1'795'248'000'000;

struct Generated {
  TimeMs at;
  int order;
  int seq;
  Json step;
};

class StreamBuilder {
 public:
  void submit(TimeMs at, int order, Json event) {
    event["occurred_at"] = ordercare::format_rfc3339(at);
    event["source"] = "host";
    steps_.push_back({at, order, seq_++, {{"at", at}, {"submit", std::move(event)}}});
  }
  void call(TimeMs at, int order, const std::string &method, Json args, const std::string &tag = "") {
    Json step = {{"at", at}, {"call", method}, {"args", std::move(args)}};
    if (!tag.empty()) step["tag"] = tag;
    steps_.push_back({at, order, seq_++, std::move(step)});
  }
  std::vector<Generated> sorted() {
    std::stable_sort(steps_.begin(), steps_.end(), [](const Generated &a, const Generated &b) {
      return a.at != b.at ? a.at < b.at : a.seq < b.seq;
    });
    return steps_;
  }

 private:
  std::vector<Generated> steps_;
  int seq_ = 0;
};

Json event(const std::string &id, const std::string &type, Json data) {
  return {{"id", id}, {"type", type}, {"data", std::move(data)}};
}

// Writes the stream; returns the number of steps.
std::size_t write_stream(const std::string &path, int orders) {
  StreamBuilder b;
  const std::vector<std::string> reasons = {"changed_mind", "damaged", "wrong_item", "not_as_described"};
  for (int n = 0; n < orders; ++n) {
    const std::string id = "crs-" + std::to_string(n);
    const TimeMs t = kStreamStart + n * 20 * ordercare::kMinuteMs;
    int k = 0;
    auto next_id = [&] { return id + "-e" + std::to_string(k++); };
    std::string currency = "USD";
    std::vector<std::int64_t> prices = {2500, 12900, 1800, 4000, 900};
    if (n % 7 == 3) currency = "JPY", prices = {4980, 12800, 980};
    if (n % 7 == 5) currency = "KWD", prices = {12345, 31500, 4250};
    const bool stays_open = n % 5 == 4;
    Json items = Json::array();
    std::int64_t total = 0;
    std::vector<std::int64_t> quantities, unit_prices;
    const int lines = 1 + n % 3;
    for (int l = 0; l < lines; ++l) {
      const std::int64_t quantity = 1 + (n + l) % 2;
      const std::int64_t price = prices[static_cast<std::size_t>(n + l) % prices.size()];
      const std::string sku = stays_open && l == 0 ? "CRS-SHORT-" + std::to_string(n % 3)
                                                   : "CRS-SKU-" + std::to_string((n + l) % 12);
      items.push_back({{"line_id", "L" + std::to_string(l + 1)}, {"sku", sku}, {"quantity", quantity},
                       {"unit_price", price}, {"name", "Item " + sku}});
      quantities.push_back(quantity);
      unit_prices.push_back(price);
      total += quantity * price;
    }
    Json customer = {{"id", "crs-c" + std::to_string(n)},
                     {"name", "Crash Customer " + std::to_string(n)},
                     {"email", "crash" + std::to_string(n) + "@example.org"}};
    if (n % 6 == 0) customer["tags"] = {"trusted"};
    b.submit(t, n, event(next_id(), "order.created",
                         {{"order", {{"id", id}, {"placed_at", ordercare::format_rfc3339(t)}, {"currency", currency},
                                     {"total", total}, {"channel", "web"}, {"customer", customer}, {"items", items}}}}));
    b.submit(t + 5 * ordercare::kMinuteMs, n, event(next_id(), "order.updated", {{"order_id", id}, {"status", "processing"}}));
    if (stays_open) continue;
    b.submit(t + 10 * ordercare::kMinuteMs, n, event(next_id(), "order.updated", {{"order_id", id}, {"status", "shipped"}}));
    b.submit(t + 20 * ordercare::kMinuteMs, n, event(next_id(), "order.updated", {{"order_id", id}, {"status", "delivered"}}));

    const std::string rma1 = "RMA-C" + std::to_string(n) + "-1";
    Json first = {{"line_id", "L1"}, {"quantity", 1}, {"reason", reasons[static_cast<std::size_t>(n) % 4]}};
    if (n % 11 == 7) first["condition"] = "used";
    b.submit(t + 30 * ordercare::kMinuteMs, n,
             event(next_id(), "return.requested", {{"return_id", rma1}, {"order_id", id}, {"items", {first}}}));
    if (n % 3 == 0)
      b.call(t + 35 * ordercare::kMinuteMs, n, "return.refund",
             {{"id", rma1}, {"amount", std::max<std::int64_t>(unit_prices[0] / 3, 1)}}, "partial-" + id);
    const Json condition = n % 2 ? "resellable" : "damaged";
    b.submit(t + 45 * ordercare::kMinuteMs, n,
             event(next_id(), "return.received",
                   {{"return_id", rma1},
                    {"items", {{{"line_id", "L1"}, {"quantity", 1}, {"condition", condition}}}},
                    {"location", "WH-" + std::to_string(n % 3)}}));
    if (n % 9 == 0)  // the warehouse reports the same parcel twice
      b.submit(t + 47 * ordercare::kMinuteMs, n,
               event(next_id(), "return.received",
                     {{"return_id", rma1}, {"items", {{{"line_id", "L1"}, {"quantity", 1}, {"condition", condition}}}}}));
    if (lines >= 2) {
      const std::string rma2 = "RMA-C" + std::to_string(n) + "-2";
      b.submit(t + 50 * ordercare::kMinuteMs, n,
               event(next_id(), "return.requested",
                     {{"return_id", rma2}, {"order_id", id},
                      {"items", {{{"line_id", "L2"}, {"quantity", quantities[1]}, {"reason", "changed_mind"}}}}}));
      b.submit(t + 70 * ordercare::kMinuteMs, n,
               event(next_id(), "return.received",
                     {{"return_id", rma2},
                      {"items", {{{"line_id", "L2"}, {"quantity", quantities[1]}, {"condition", "resellable"}}}}}));
    }
    if (n % 4 == 1) {
      b.call(t + 60 * ordercare::kMinuteMs, n, "order.refund",
             {{"order_id", id}, {"amount", std::max<std::int64_t>(total / 5, 1)}}, "goodwill-" + id);
      b.call(t + 65 * ordercare::kMinuteMs, n, "order.refund", {{"order_id", id}, {"amount", total}}, "over-" + id);
    }
    if (n % 8 == 2 && quantities[0] > 1) {
      const std::string rma3 = "RMA-C" + std::to_string(n) + "-3";
      b.submit(t + 80 * ordercare::kMinuteMs, n,
               event(next_id(), "return.requested",
                     {{"return_id", rma3}, {"order_id", id},
                      {"items", {{{"line_id", "L1"}, {"quantity", quantities[0] - 1}, {"reason", "damaged"}}}}}));
      b.submit(t + 90 * ordercare::kMinuteMs, n,
               event(next_id(), "return.received",
                     {{"return_id", rma3},
                      {"items", {{{"line_id", "L1"}, {"quantity", quantities[0] - 1}, {"condition", "damaged"}}}}}));
    }
  }
  // Stock counts: shortfalls that hit the open orders, and a surplus.
  const TimeMs counts = kStreamStart + orders * 20 * ordercare::kMinuteMs + ordercare::kHourMs;
  for (int s = 0; s < 3; ++s)
    b.submit(counts + s * ordercare::kHourMs, orders + s,
             event("crs-count-" + std::to_string(s), "inventory.discrepancy",
                   {{"sku", "CRS-SHORT-" + std::to_string(s)}, {"location", "WH-0"}, {"system_count", 20},
                    {"physical_count", 1}, {"reported_by", "cycle-count"}}));
  b.submit(counts + 5 * ordercare::kHourMs, orders + 3,
           event("crs-count-surplus", "inventory.discrepancy",
                 {{"sku", "CRS-SKU-1"}, {"location", "WH-1"}, {"system_count", 2}, {"physical_count", 7},
                  {"reported_by", "cycle-count"}}));
  std::ofstream out(path, std::ios::binary);
  const auto steps = b.sorted();
  for (const auto &s : steps) out << ordercare::dump_json(s.step) << "\n";
  return steps.size();
}

std::size_t sample_day_steps(std::vector<std::string> *ids) {
  std::ifstream in(kSampleDay, std::ios::binary);
  std::size_t n = 0;
  for (std::string line; std::getline(in, line);) {
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
    ++n;
    std::string id;
    const Json parsed = Json::parse(line, nullptr, false);
    if (parsed.is_object() && parsed.contains("id") && parsed["id"].is_string()) id = parsed["id"];
    ids->push_back(id);
  }
  return n;
}

// --- Running the driver -------------------------------------------------------

struct DriverRun {
  bool ready = false;
  bool quiet = false;
  std::string died;  // "before applying" | "after applying" when it killed itself in a callback
  std::vector<std::pair<long, std::string>> acked;  // step, outcome
  bool killed = false;       // by SIGKILL (ours or its own)
  int exit_status = -1;
  std::string stderr_tail;
};

struct DriverArgs {
  DriverArgs(std::string store_, std::string ledger_, std::string steps_, long from_)
      : store(std::move(store_)), ledger(std::move(ledger_)), steps(std::move(steps_)), from(from_) {}
  std::string store, ledger, steps;
  long from = 0;
  std::string kill_in_callback;  // "N:before" | "N:after" | ""
  std::string faults;            // "SEED:RATE" | ""
  std::string outbox = "{}";
  std::string dump;  // where the driver writes the outbox and the cases once quiet
  std::chrono::milliseconds kill_after{0};  // 0: never
  bool after_ready = false;  // count kill_after from "ready" (the store is open), not from the start
};

DriverRun run_driver(const DriverArgs &a) {
  int out[2], err[2];
  if (pipe(out) != 0 || pipe(err) != 0) throw std::runtime_error("pipe failed");
  std::vector<std::string> args = {OC_REFUND_CRASH_DRIVER, "--store", a.store, "--ledger", a.ledger, "--sample",
                                   kSampleDay, "--steps", a.steps, "--from", std::to_string(a.from), "--outbox",
                                   a.outbox};
  if (!a.kill_in_callback.empty()) args.insert(args.end(), {"--kill-in-callback", a.kill_in_callback});
  if (!a.faults.empty()) args.insert(args.end(), {"--faults", a.faults});
  if (!a.dump.empty()) args.insert(args.end(), {"--dump", a.dump});
  auto started = SteadyClock::now();
  bool ready_seen = false;
  const pid_t pid = fork();
  if (pid < 0) throw std::runtime_error("fork failed");
  if (pid == 0) {
    dup2(out[1], STDOUT_FILENO);
    dup2(err[1], STDERR_FILENO);
    close(out[0]);
    close(out[1]);
    close(err[0]);
    close(err[1]);
    std::vector<char *> argv;
    for (auto &s : args) argv.push_back(s.data());
    argv.push_back(nullptr);
    execv(argv[0], argv.data());
    _exit(127);
  }
  close(out[1]);
  close(err[1]);
  std::string output, errors;
  bool out_open = true, err_open = true, sent_kill = false;
  char buffer[65536];
  while (out_open || err_open) {
    int timeout = -1;
    if (a.after_ready && !ready_seen && output.find("ready\n") != std::string::npos) {
      ready_seen = true;
      started = SteadyClock::now();
    }
    if (a.kill_after.count() > 0 && !sent_kill && (!a.after_ready || ready_seen)) {
      const auto left =
          std::chrono::duration_cast<std::chrono::milliseconds>(started + a.kill_after - SteadyClock::now());
      if (left.count() <= 0) {
        kill(pid, SIGKILL);
        sent_kill = true;
      } else {
        timeout = static_cast<int>(left.count());
      }
    }
    pollfd fds[2] = {{out_open ? out[0] : -1, POLLIN, 0}, {err_open ? err[0] : -1, POLLIN, 0}};
    const int ready = ::poll(fds, 2, timeout);
    if (ready <= 0) continue;
    for (int i = 0; i < 2; ++i) {
      if (!(fds[i].revents & (POLLIN | POLLHUP | POLLERR))) continue;
      const ssize_t n = read(fds[i].fd, buffer, sizeof buffer);
      if (n <= 0) {
        (i == 0 ? out_open : err_open) = false;
        continue;
      }
      (i == 0 ? output : errors).append(buffer, static_cast<std::size_t>(n));
    }
  }
  close(out[0]);
  close(err[0]);
  int status = 0;
  waitpid(pid, &status, 0);
  DriverRun run;
  run.killed = WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL;
  run.exit_status = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  run.stderr_tail = errors.size() > 2000 ? errors.substr(errors.size() - 2000) : errors;
  std::istringstream lines(output);
  for (std::string line; std::getline(lines, line);) {
    if (line == "ready") run.ready = true;
    if (line == "quiet") run.quiet = true;
    if (line.rfind("dying ", 0) == 0) run.died = line.substr(6);
    long step = 0;
    char outcome[64] = {0};
    if (std::sscanf(line.c_str(), "ack %ld %63s", &step, outcome) == 2) run.acked.emplace_back(step, outcome);
  }
  return run;
}

// --- What the store and the ledger say -----------------------------------------

struct LedgerEntry {
  int applied = 0;
  int duplicates = 0;
  Json request;
};

std::map<std::string, LedgerEntry> read_ledger(const std::string &path) {
  std::map<std::string, LedgerEntry> out;  // "<kind>\t<key>"
  std::ifstream in(path, std::ios::binary);
  for (std::string line; std::getline(in, line);) {
    std::vector<std::string> f;
    std::size_t start = 0;
    for (int i = 0; i < 3; ++i) {
      const auto tab = line.find('\t', start);
      if (tab == std::string::npos) break;
      f.push_back(line.substr(start, tab - start));
      start = tab + 1;
    }
    if (f.size() != 3) continue;
    LedgerEntry &e = out[f[1] + "\t" + f[2]];
    if (f[0] == "applied") {
      ++e.applied;
      e.request = Json::parse(line.substr(start), nullptr, false);
    } else if (f[0] == "duplicate") {
      ++e.duplicates;
    }
  }
  return out;
}

struct OrderRow {
  std::int64_t total = 0;
  std::string currency;
  Json refunds;
};

struct StoreView {
  std::map<std::string, OrderRow> orders;
  std::set<std::string> event_ids;
  Json effects = Json::array();
  std::map<std::string, Json> cases;  // case.get of the cases failed effects point at
  std::string integrity;
};

StoreView read_store(const std::string &store, const std::string &dump) {
  StoreView view;
  sqlite3 *db = nullptr;
  EXPECT_EQ(sqlite3_open_v2(store.c_str(), &db, SQLITE_OPEN_READONLY, nullptr), SQLITE_OK);
  auto each = [&](const char *sql, auto row) {
    sqlite3_stmt *stmt = nullptr;
    EXPECT_EQ(sqlite3_prepare_v2(db, sql, -1, &stmt, nullptr), SQLITE_OK) << sql;
    while (sqlite3_step(stmt) == SQLITE_ROW) row(stmt);
    sqlite3_finalize(stmt);
  };
  auto text = [](sqlite3_stmt *stmt, int i) {
    const auto *t = sqlite3_column_text(stmt, i);
    return t ? std::string(reinterpret_cast<const char *>(t)) : std::string();
  };
  each("PRAGMA integrity_check", [&](sqlite3_stmt *s) { view.integrity += text(s, 0); });
  each("SELECT id, body FROM orders", [&](sqlite3_stmt *s) {
    const Json body = Json::parse(text(s, 1));
    view.orders[text(s, 0)] = {body.value("total", std::int64_t{0}), body.value("currency", ""),
                               body.value("refunds", Json::array())};
  });
  each("SELECT id FROM events", [&](sqlite3_stmt *s) { view.event_ids.insert(text(s, 0)); });
  sqlite3_close(db);

  // The outbox and the cases as the host saw them at the end of its day.
  std::ifstream in(dump, std::ios::binary);
  const Json seen = Json::parse(in, nullptr, false);
  EXPECT_TRUE(seen.is_object()) << "no dump from the driver at " << dump;
  if (!seen.is_object()) return view;
  view.effects = seen["effects"];
  for (auto it = seen["cases"].begin(); it != seen["cases"].end(); ++it) view.cases[it.key()] = it.value();
  return view;
}

// Everything the store and the ledger must agree on; returns a summary.
std::string check_exactly_once(const StoreView &view, const std::map<std::string, LedgerEntry> &ledger,
                               bool faults) {
  EXPECT_EQ(view.integrity, "ok");
  // Nothing applied twice, of any kind.
  std::size_t applied = 0, duplicates = 0;
  for (const auto &[key, entry] : ledger) {
    EXPECT_LE(entry.applied, 1) << key << " applied " << entry.applied << " times";
    applied += static_cast<std::size_t>(entry.applied);
    duplicates += static_cast<std::size_t>(entry.duplicates);
  }
  // The outbox is quiet, and each delivered effect was applied exactly once.
  std::map<std::string, std::string> status_of;
  std::map<std::string, std::size_t> by_status;
  for (const auto &e : view.effects) {
    const std::string id = e["id"], kind = e["kind"], status = e["status"];
    status_of[kind + "\t" + id] = status;
    ++by_status[status];
    EXPECT_TRUE(status == "done" || status == "failed") << id << " is " << status;
    if (kind == "lookup_order") continue;
    const auto it = ledger.find(kind + "\t" + id);
    const int times = it == ledger.end() ? 0 : it->second.applied;
    if (status == "done") {
      EXPECT_EQ(times, 1) << id << " is done but the host applied it " << times << " times";
    }
    if (status == "failed") {
      EXPECT_EQ(times, 0) << id << " failed yet the host applied it";
      // Without injected faults only a notice that could not be written
      // fails (a template missing a value; it never reached the host).
      const std::string error = e["last_error"].is_string() ? e["last_error"].get<std::string>() : "";
      if (!faults) {
        EXPECT_EQ(error.rfind("not sent: ", 0), 0u) << id << " failed without injected faults: " << error;
      }
      // Failed with a case: a person is told.
      std::string case_id = e["case_id"].is_string() ? e["case_id"].get<std::string>() : "";
      if (case_id.empty() && kind == "refund")
        for (const auto &[order_id, order] : view.orders)
          for (const auto &r : order.refunds)
            if (r["id"] == id && r.contains("case_id") && r["case_id"].is_string()) case_id = r["case_id"];
      EXPECT_FALSE(case_id.empty()) << id << " failed and no case knows it";
      if (case_id.empty()) continue;
      const Json &c = view.cases.at(case_id);
      const std::string log = c["log"].dump() + c["escalations"].dump();
      EXPECT_NE(log.find(id), std::string::npos) << id << " failed and its case does not say so";
    }
  }
  for (const auto &[key, entry] : ledger) {
    if (entry.applied == 0) continue;
    EXPECT_EQ(status_of.count(key), 1u) << key << " applied but not in the outbox";
  }

  // Refunds owed (succeeded or still out) were applied exactly once, for
  // their amount; failed ones never; no order got back more than it paid.
  std::size_t refunds_owed = 0, refunds_failed = 0;
  for (const auto &[order_id, order] : view.orders) {
    std::int64_t applied_sum = 0;
    for (const auto &r : order.refunds) {
      const std::string id = r["id"], status = r["status"];
      const auto it = ledger.find("refund\t" + id);
      const int times = it == ledger.end() ? 0 : it->second.applied;
      if (status == "succeeded" || status == "requested" || status == "pending") {
        ++refunds_owed;
        EXPECT_EQ(status, "succeeded") << id << " is still " << status << " after the outbox went quiet";
        EXPECT_EQ(times, 1) << "refund " << id << " owed but applied " << times << " times";
        if (times == 1) {
          EXPECT_EQ(it->second.request["amount"]["amount"], r["amount"]) << id;
          EXPECT_EQ(it->second.request["amount"]["currency"], order.currency) << id;
          applied_sum += r["amount"].get<std::int64_t>();
        }
      } else {
        ++refunds_failed;
        EXPECT_EQ(times, 0) << "refund " << id << " is " << status << " yet the host applied it";
      }
    }
    EXPECT_LE(applied_sum, order.total) << "order " << order_id << " refunded more than it paid";
  }
  // Every refund the host applied is one the store knows.
  std::set<std::string> known;
  for (const auto &[order_id, order] : view.orders)
    for (const auto &r : order.refunds) known.insert(r["id"]);
  for (const auto &[key, entry] : ledger) {
    if (key.rfind("refund\t", 0) != 0 || entry.applied == 0) continue;
    EXPECT_TRUE(known.count(key.substr(7))) << key << " applied by the host, unknown to the store";
  }

  std::ostringstream summary;
  summary << view.effects.size() << " effects (" << by_status["done"] << " done, " << by_status["failed"]
          << " failed), " << applied << " actions applied, " << duplicates << " repeats answered from the ledger, "
          << refunds_owed << " refunds owed and applied once, " << refunds_failed << " refunds failed";
  return summary.str();
}

// --- The tests -------------------------------------------------------------------

struct Fixture {
  ordercare::testing::TempDir dir;
  std::string store = dir.file("crash.db");
  std::string ledger = dir.file("host.ledger");
  std::string steps = dir.file("steps.jsonl");
  std::string dump = dir.file("final.json");
  std::vector<std::string> sample_ids;
  std::size_t total_steps = 0;

  explicit Fixture(int orders) {
    const std::size_t sample = sample_day_steps(&sample_ids);
    total_steps = sample + write_stream(steps, orders);
  }
  // OC_REFUND_CRASH_KEEP=<dir> keeps the store, the ledger and the steps
  // there for a post-mortem (and to run refund_crash_driver by hand).
  ~Fixture() {
    const char *keep = std::getenv("OC_REFUND_CRASH_KEEP");
    if (!keep || !*keep) return;
    std::error_code ignored;
    std::filesystem::create_directories(keep, ignored);
    for (const auto &entry : std::filesystem::directory_iterator(dir.path(), ignored))
      std::filesystem::copy(entry.path(), std::filesystem::path(keep) / entry.path().filename(),
                            std::filesystem::copy_options::overwrite_existing, ignored);
  }
  // The id of the event a step submitted, if it was an event.
  std::string event_id_of(long step) const {
    if (step < static_cast<long>(sample_ids.size())) return sample_ids[static_cast<std::size_t>(step)];
    return generated_ids.at(step - static_cast<long>(sample_ids.size()));
  }
  void load_generated_ids() {
    std::ifstream in(steps, std::ios::binary);
    for (std::string line; std::getline(in, line);) {
      const Json step = Json::parse(line);
      generated_ids.push_back(step.contains("submit") ? step["submit"]["id"].get<std::string>() : "");
    }
  }
  std::vector<std::string> generated_ids;
};

TEST(RefundCrash, KilledAtRandomAndInsideCallbacksEveryRefundOnceAndNothingLost) {
  Fixture f(250);
  f.load_generated_ids();
  const long rounds = env_or("OC_REFUND_CRASH_ROUNDS", 100);
  const auto seed = static_cast<unsigned>(env_or("OC_REFUND_CRASH_SEED", 20261121));
  std::mt19937 rng(seed);
  std::printf("refund crash: seed=%u rounds=%ld steps=%zu\n", seed, rounds, f.total_steps);
  const std::string outbox = R"({"base_backoff": "1s", "max_backoff": "1m", "jitter": 0.5})";

  long next = 0;
  std::set<std::string> acked_events;
  std::map<std::string, int> kinds;
  auto absorb = [&](const DriverRun &run) {
    for (const auto &[step, outcome] : run.acked) {
      next = std::max(next, step + 1);
      EXPECT_NE(outcome, "OC_ERR_INTERNAL") << "step " << step;
      EXPECT_NE(outcome, "OC_ERR_STORE") << "step " << step;
      const std::string id = f.event_id_of(step);
      if (!id.empty() && outcome == "OC_OK") acked_events.insert(id);
    }
  };
  for (long r = 0; r < rounds; ++r) {
    DriverArgs args{f.store, f.ledger, f.steps, next};
    args.outbox = outbox;
    args.dump = f.dump;
    // A third each: killed after a random delay (opening the store and
    // reading the steps take some 10-20 ms of it), killed by itself inside
    // its nth callback before applying it, or after.
    const int mode = static_cast<int>(rng() % 3);
    const int delay = 5 + static_cast<int>(rng() % 60);
    const int nth = 1 + static_cast<int>(rng() % 12);
    std::string kind = "timer " + std::to_string(delay) + " ms";
    if (mode == 1 || mode == 2) {
      args.kill_in_callback = std::to_string(nth) + (mode == 1 ? ":before" : ":after");
      kind = "callback " + args.kill_in_callback;
      args.kill_after = std::chrono::milliseconds(3000);  // a backstop
    } else {
      // Mostly while it works; one time in five while it opens the store.
      args.kill_after = std::chrono::milliseconds(delay);
      args.after_ready = rng() % 5 != 0;
      if (!args.after_ready) kind = "timer " + std::to_string(delay) + " ms from start";
    }
    const long from = next;
    const DriverRun run = run_driver(args);
    absorb(run);
    ASSERT_TRUE(run.killed || (run.exit_status == 0 && run.quiet))
        << "round " << r << ": the driver failed (exit " << run.exit_status << "): " << run.stderr_tail;
    const std::string how = !run.killed        ? "finished, quiet"
                            : !run.died.empty() ? "killed in a callback " + run.died
                                                : "killed by the parent";
    ++kinds[how];
    std::printf("refund crash: round %2ld: %-30s from step %4ld, %3zu steps acknowledged, %s\n", r, kind.c_str(),
                from, run.acked.size(), how.c_str());
  }
  // The rest of the day without kills, then until the outbox is quiet.
  DriverArgs last{f.store, f.ledger, f.steps, next};
  last.outbox = outbox;
  last.dump = f.dump;
  const DriverRun final_run = run_driver(last);
  absorb(final_run);
  ASSERT_EQ(final_run.exit_status, 0) << final_run.stderr_tail;
  ASSERT_TRUE(final_run.quiet);
  EXPECT_EQ(next, static_cast<long>(f.total_steps)) << "every step ran";
  for (const auto &[kind, count] : kinds) std::printf("refund crash: %d rounds %s\n", count, kind.c_str());
  // Each way of dying happened, and the replay did not finish before the
  // kills were over.
  if (rounds >= 50) {
    EXPECT_GE(kinds["killed in a callback before applying"], 5);
    EXPECT_GE(kinds["killed in a callback after applying"], 5);
    EXPECT_GE(kinds["killed by the parent"], 5);
    EXPECT_LE(kinds["finished, quiet"], rounds / 10) << "the stream is too short for the rounds";
  }

  const StoreView view = read_store(f.store, f.dump);
  const auto ledger = read_ledger(f.ledger);
  const std::string summary = check_exactly_once(view, ledger, false);
  std::size_t lost = 0;
  for (const auto &id : acked_events) {
    if (!view.event_ids.count(id) && ++lost <= 10) ADD_FAILURE() << "acknowledged event " << id << " is missing";
  }
  EXPECT_EQ(lost, 0u);
  std::printf("refund crash: %s; %zu acknowledged events all in the log\n", summary.c_str(), acked_events.size());
}

TEST(RefundFaults, HostRejectsTimesOutAndRetriesAtRandomEveryEffectDoneOrFailedWithACase) {
  Fixture f(24);
  const auto seed = env_or("OC_REFUND_FAULT_SEED", 4242);
  DriverArgs args{f.store, f.ledger, f.steps, 0};
  args.dump = f.dump;
  args.faults = std::to_string(seed) + ":0.3";
  args.outbox = R"({"base_backoff": "1s", "max_backoff": "4s", "jitter": 0.5, "max_attempts": 3})";
  std::printf("refund faults: seed=%ld rate=0.3 max_attempts=3\n", seed);
  const DriverRun run = run_driver(args);
  ASSERT_EQ(run.exit_status, 0) << run.stderr_tail;
  ASSERT_TRUE(run.quiet);
  const StoreView view = read_store(f.store, f.dump);
  const auto ledger = read_ledger(f.ledger);
  std::size_t gave_up = 0, rejected = 0;
  for (const auto &e : view.effects) {
    if (e["status"] != "failed") continue;
    const std::string error = e.value("last_error", Json("")).is_string() ? e["last_error"].get<std::string>() : "";
    (error.find("gave up") != std::string::npos ? gave_up : rejected)++;
  }
  EXPECT_GT(rejected, 0u) << "the faults rejected some effects";
  EXPECT_GT(gave_up, 0u) << "and made the outbox give up on some";
  std::size_t refunds_failed = 0;
  for (const auto &[order_id, order] : view.orders)
    for (const auto &r : order.refunds) refunds_failed += r["status"] == "failed";
  EXPECT_GT(refunds_failed, 0u) << "with this seed some refunds are rejected: the released amounts are checked";
  const std::string summary = check_exactly_once(view, ledger, true);
  std::printf("refund faults: %s; %zu rejected, %zu given up\n", summary.c_str(), rejected, gave_up);
}

}  // namespace
