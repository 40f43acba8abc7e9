// Exactly-once with several processes on one store (issue 9, point 6).
// Three refund_crash_drivers share one replay of the sample day and a
// generated return-heavy stream (--share K/3: each runs every third step)
// on one store and one host ledger, as the workers of a PHP-FPM pool or a
// gunicorn pool would, each with its own clock. They are killed with
// SIGKILL at random, round after round (after a delay, or by themselves
// inside a callback before or after the host applied the action), and
// restarted where their share stopped; the outbox claims of a killed
// process go to the others by lease or at once. Once every share ran, one
// process lets time pass until the outbox is quiet and dumps the store
// through the ABI. Then:
//  - every refund and inventory adjustment the store decided was applied
//    by the host exactly once (the ledger counts each key), every refund
//    owed for its amount, no order refunded more than it paid, each
//    return line moved in stock once, each stock count once;
//  - every acknowledged event is stored exactly once, as submitted;
//  - every SLA timer due fired once: one sla_breach (and at most one
//    sla_warning) entry per case, clock and due, not one per process.
// On one SQLite file, and on one PostgreSQL database (a server the test
// starts); and on PostgreSQL with the server stopped mid-stream and started
// again: while it is down the drivers' steps get OC_ERR_BUSY naming the
// server and are tried again, and after it is back they succeed, with
// nothing lost or doubled.
//
// Seeded and logged; OC_SHARED_CRASH_ROUNDS and OC_SHARED_CRASH_SEED
// override the number of kills and the seed; OC_SHARED_CRASH_KEEP=<dir>
// keeps the files of the last test for a post-mortem.
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <map>
#include <memory>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "driver_process.h"
#include "exactly_once.h"
#include "replay_steps.h"
#include "support/pg_server.h"
#include "support/test_store.h"

namespace {

using namespace ordercare::testing;
using ordercare::Json;

long env_or(const char *name, long fallback) {
  const char *value = std::getenv(name);
  return value && *value ? std::atol(value) : fallback;
}

constexpr int kProcesses = 3;
constexpr int kOrders = 120;
// Each process's clock moves with the steps it ran, so the three can be
// hours apart, and a claim's lease ends by the clock of whoever looks: with
// the default 5 minutes every effect went back and forth between live
// processes (one was delivered 15 times). An hour, like a lease longer than
// the slowest callback (README), keeps that to the laggards; the kills
// make the rest of the repeats.
const char *const kOutbox = R"({"base_backoff": "1s", "max_backoff": "1m", "jitter": 0.5, "lease": "1h"})";

// The server stopped when the process furthest ahead has gone through
// these fractions of its share, for `down` each time, with the drivers
// running.
struct ServerRestarts {
  PgServer *server = nullptr;
  std::vector<double> at;
  std::chrono::milliseconds down{0};
};

// What the processes of one run did, and what the store and ledger say.
class SharedStoreRun {
 public:
  SharedStoreRun(const char *name, Replay &replay, Json config)
      : name_(name), replay_(replay), config_(config.dump()) {}

  // Runs the replay on kProcesses drivers, `kills` of their lives ending
  // in a kill, then the last one, and checks the outcome.
  void run(long kills, unsigned seed, const ServerRestarts &restarts = {}) {
    std::mt19937 rng(seed);
    std::printf("shared store (%s): seed=%u kills=%ld processes=%d steps=%zu\n", name_, seed, kills, kProcesses,
                replay_.total_steps());
    const auto began = SteadyClock::now();
    std::vector<Slot> slots(kProcesses);
    for (int k = 0; k < kProcesses; ++k) slots[static_cast<std::size_t>(k)].next = k;
    std::size_t next_restart = 0;
    for (;;) {
      // A dead process is started again where its share stopped, to be
      // killed again until the kills are done.
      for (int k = 0; k < kProcesses; ++k) {
        Slot &slot = slots[static_cast<std::size_t>(k)];
        if (slot.driver || slot.done) continue;
        long dying = 0;
        for (const auto &other : slots) dying += other.driver && other.dying;
        start(slot, k, killed_ + dying < kills ? &rng : nullptr);
      }
      std::vector<DriverProcess *> running;
      for (auto &slot : slots)
        if (slot.driver) running.push_back(slot.driver.get());
      if (running.empty()) break;
      DriverProcess::pump(running, 50);
      for (int k = 0; k < kProcesses; ++k) {
        Slot &slot = slots[static_cast<std::size_t>(k)];
        if (slot.driver && slot.driver->finished()) {
          finish(slot, k);
          if (::testing::Test::HasFatalFailure()) return;
        }
      }
      if (restarts.server && next_restart < restarts.at.size() && furthest(slots) >= restarts.at[next_restart] &&
          recovered(slots)) {
        restart_server(restarts, slots);
        ++next_restart;
      }
    }
    EXPECT_EQ(next_restart, restarts.at.size()) << "the replay ended before every restart";

    // One process lets time pass until the outbox is quiet, and dumps.
    DriverArgs last = args_from(static_cast<long>(replay_.total_steps()));
    last.dump = replay_.dump;
    const DriverRun final_run = run_driver(last);
    ASSERT_EQ(final_run.exit_status, 0) << final_run.stderr_tail;
    ASSERT_TRUE(final_run.quiet);
    busy_retries_ += final_run.busy_retries;
    leases_lost_ += final_run.leases_lost;
    for (int k = 0; k < kProcesses; ++k)
      EXPECT_GE(slots[static_cast<std::size_t>(k)].next, static_cast<long>(replay_.total_steps()))
          << "process " << k << " ran its whole share";
    seconds_ = std::chrono::duration<double>(SteadyClock::now() - began).count();
    if (restarts.server) check_restarts(*restarts.server);
    check(kills);
  }

 private:
  struct Slot {
    long next = 0;   // the first step of its share not acknowledged yet
    long from = 0;   // where this life started
    long acked = 0;  // steps acknowledged by its lives before this one
    std::unique_ptr<DriverProcess> driver;
    long life = 0;       // which life of the run this is
    std::string kind;    // how this life was to end
    bool dying = false;  // this life is to be killed
    bool done = false;
  };

  DriverArgs args_from(long from) const {
    DriverArgs args{replay_.store, replay_.ledger, replay_.steps, from};
    args.config = config_;
    return args;
  }

  // Starts a process for slot k; with `rng`, one that dies on the way: a
  // third each killed after a random delay (mostly once it has the store
  // open, one time in five while it opens it), killed by itself inside its
  // nth callback before applying it, or after. The lives are long enough
  // for the kills to reach well into the generated stream.
  void start(Slot &slot, int k, std::mt19937 *rng) {
    DriverArgs args = args_from(slot.next);
    args.share = std::to_string(k) + "/" + std::to_string(kProcesses);
    args.end_exit = true;
    slot.kind = "to the end";
    slot.dying = rng != nullptr;
    if (rng) {
      const int mode = static_cast<int>((*rng)() % 3);
      const int nth = 1 + static_cast<int>((*rng)() % 20);
      if (mode == 1 || mode == 2) {
        args.kill_in_callback = std::to_string(nth) + (mode == 1 ? ":before" : ":after");
        args.kill_after = std::chrono::milliseconds(5000);  // a backstop
        slot.kind = "callback " + args.kill_in_callback;
      } else {
        args.after_ready = (*rng)() % 5 != 0;
        const int delay =
            args.after_ready ? 10 + static_cast<int>((*rng)() % 300) : 5 + static_cast<int>((*rng)() % 60);
        args.kill_after = std::chrono::milliseconds(delay);
        slot.kind = "timer " + std::to_string(delay) + " ms" + (args.after_ready ? "" : " from start");
      }
    }
    slot.from = slot.next;
    slot.life = ++lives_;
    slot.driver = std::make_unique<DriverProcess>(args);
  }

  void finish(Slot &slot, int k) {
    const DriverRun &run = slot.driver->run();
    for (const auto &ack : run.acked) {
      EXPECT_EQ(ack.step % kProcesses, k) << "process " << k << " ran step " << ack.step << ", not of its share";
      slot.next = std::max(slot.next, ack.step + kProcesses);
      EXPECT_NE(ack.outcome, "OC_ERR_INTERNAL") << "step " << ack.step;
      EXPECT_NE(ack.outcome, "OC_ERR_STORE") << "step " << ack.step;
      EXPECT_NE(ack.outcome, "OC_ERR_BUSY") << "step " << ack.step << ": busy past the driver's patience";
      if (ack.outcome == "OC_OK" && !replay_.event_of(ack.step).is_null()) acked_.insert(ack.step);
    }
    slot.acked += static_cast<long>(run.acked.size());
    busy_retries_ += run.busy_retries;
    leases_lost_ += run.leases_lost;
    ASSERT_TRUE(run.killed || (run.exit_status == 0 && run.done))
        << "process " << k << " failed (exit " << run.exit_status << "): " << run.stderr_tail;
    const std::string how = !run.killed         ? "finished its share"
                            : !run.died.empty() ? "killed in a callback " + run.died
                                                : "killed by the parent";
    ++kinds_[how];
    std::printf("shared store (%s): life %3ld: process %d %-28s from step %4ld, %3zu steps acknowledged, %s\n", name_,
                slot.life, k, slot.kind.c_str(), slot.from, run.acked.size(), how.c_str());
    if (run.killed) {
      ++killed_;
      kills_reach_ = std::max(kills_reach_, slot.next);
    }
    slot.done = !run.killed;
    runs_[slot.life] = run;
    slot.driver.reset();
  }

  // How far the process furthest ahead has gone through its share.
  double furthest(const std::vector<Slot> &slots) const {
    long most = 0;
    for (const auto &slot : slots)
      most = std::max(most, slot.acked + (slot.driver ? static_cast<long>(slot.driver->run().acked.size()) : 0));
    return static_cast<double>(most * kProcesses) / static_cast<double>(replay_.total_steps());
  }

  // Stops the server for `down` while the processes run on, and starts it
  // again; check_restarts() says what they made of it.
  void restart_server(const ServerRestarts &restarts, std::vector<Slot> &slots) {
    Restart r;
    for (auto &slot : slots)
      if (slot.driver) r.lives.insert(slot.life);
    r.down_at = SteadyClock::now();
    restarts.server->stop_now();
    while (SteadyClock::now() < r.down_at + restarts.down) {
      std::vector<DriverProcess *> running;
      for (auto &slot : slots)
        if (slot.driver) running.push_back(slot.driver.get());
      if (running.empty()) break;
      DriverProcess::pump(running, 20);
    }
    restarts.server->start_again();
    r.up_at = SteadyClock::now();
    restarts_.push_back(r);
  }

  // Whether every process running at the last restart has got a step
  // through since, or finished its share: the next restart waits for it,
  // so each one's OC_ERR_BUSY answers are its own.
  bool recovered(const std::vector<Slot> &slots) const {
    if (restarts_.empty()) return true;
    const Restart &r = restarts_.back();
    for (long life : r.lives) {
      const DriverRun *run = nullptr;
      for (const auto &slot : slots)
        if (slot.driver && slot.life == life) run = &slot.driver->run();
      if (!run) run = &runs_.at(life);
      const bool through = std::any_of(run->acked.begin(), run->acked.end(),
                                       [&](const DriverAck &a) { return a.seen >= r.up_at && a.outcome == "OC_OK"; });
      if (!through && !run->done) return false;
    }
    return true;
  }

  // Each process running while the server was down was told OC_ERR_BUSY
  // naming the server when its steps (submits, and the calls among them)
  // reached the store, and got its steps through once it was back; some
  // oc_submit was among those told.
  void check_restarts(const PgServer &server) {
    const std::string where = "PostgreSQL at 127.0.0.1:" + std::to_string(server.port());
    for (std::size_t i = 0; i < restarts_.size(); ++i) {
      Restart &r = restarts_[i];
      const auto until = i + 1 < restarts_.size() ? restarts_[i + 1].down_at : SteadyClock::time_point::max();
      bool submit_told = false;
      for (long life : r.lives) {
        const DriverRun &run = runs_.at(life);
        auto told = [&](const char *call) {
          return std::any_of(run.busy.begin(), run.busy.end(), [&](const DriverBusy &b) {
            return b.seen >= r.down_at && b.seen < until && b.calls.find(call) != std::string::npos &&
                   b.message.find(where) != std::string::npos;
          });
        };
        const bool through = std::any_of(run.acked.begin(), run.acked.end(),
                                         [&](const DriverAck &a) { return a.seen >= r.up_at && a.outcome == "OC_OK"; });
        // One whose share ended before the server went had nothing to ask it.
        if (run.done && !through) continue;
        EXPECT_TRUE(told("submit=") || told("call="))
            << "restart " << i << ": a process whose steps ran while the server was down was never told OC_ERR_BUSY";
        EXPECT_TRUE(through) << "restart " << i << ": a process got no step through after the server came back";
        submit_told = submit_told || told("submit=");
        for (const auto &b : run.busy)
          if (b.seen >= r.down_at && b.seen < until) r.busy_retries += b.retries;
        ++r.told;
      }
      EXPECT_TRUE(submit_told) << "restart " << i << ": no oc_submit got OC_ERR_BUSY while the server was down";
      std::printf(
          "shared store (%s): server down %ld ms under %zu processes; OC_ERR_BUSY told to %d of them, %ld retries, "
          "then their steps got through\n",
          name_, static_cast<long>(std::chrono::duration_cast<std::chrono::milliseconds>(r.up_at - r.down_at).count()),
          r.lives.size(), r.told, r.busy_retries);
    }
  }

  void check(long kills) {
    for (const auto &[kind, count] : kinds_)
      std::printf("shared store (%s): %d lives %s\n", name_, count, kind.c_str());
    // Each way of dying happened, and the kills fell while the processes
    // still had work: not one finished its share before they were over.
    if (kills >= 40) {
      EXPECT_GE(kinds_["killed in a callback before applying"], kills / 10);
      EXPECT_GE(kinds_["killed in a callback after applying"], kills / 10);
      EXPECT_GE(kinds_["killed by the parent"], kills / 10);
      EXPECT_EQ(killed_, kills) << "every share ended before the kills did";
    }
    const StoreView view = read_dump(replay_.dump);
    const auto ledger = read_ledger(replay_.ledger);
    const Tally tally = check_effects_once(view, ledger, false);
    const std::string events = check_events_once(view, replay_, acked_);
    const std::string inventory = check_inventory_once(view, ledger);
    const std::string timers = check_timers_once(view);
    const std::string replies = check_replies_once(view, ledger, replay_, false);
    long restart_busy = 0;
    for (const auto &r : restarts_) restart_busy += r.busy_retries;
    std::printf(
        "shared store (%s): %.1f s, %ld lives, %d kills by the parent, %d in a callback before applying, "
        "%d after, up to step %ld of %zu; %s; %ld answers dropped, the effect claimed again after its lease; %s; "
        "%s; %s; %s; %ld BUSY retries in all, %ld during %zu server restarts\n",
        name_, seconds_, lives_, kinds_["killed by the parent"], kinds_["killed in a callback before applying"],
        kinds_["killed in a callback after applying"], kills_reach_, replay_.total_steps(), tally.summary().c_str(),
        leases_lost_, events.c_str(), inventory.c_str(), timers.c_str(), replies.c_str(), busy_retries_, restart_busy,
        restarts_.size());
  }

  struct Restart {
    SteadyClock::time_point down_at, up_at;
    std::set<long> lives;  // the processes running then
    int told = 0;
    long busy_retries = 0;
  };

  const char *name_;
  Replay &replay_;
  std::string config_;
  std::set<long> acked_;
  std::map<std::string, int> kinds_;
  long lives_ = 0;
  std::map<long, DriverRun> runs_;  // by life, once it ended
  long killed_ = 0;
  long kills_reach_ = 0;  // the furthest step a killed process had reached
  long busy_retries_ = 0;
  long leases_lost_ = 0;
  std::vector<Restart> restarts_;
  double seconds_ = 0;
};

Json postgres_config(const PgServer &server) {
  return {{"store", {{"engine", "postgres"}, {"url", server.url()}, {"schema", "crash"}}},
          {"crypto", {{"master_key", kTestMasterKey}}},
          {"outbox", Json::parse(kOutbox)}};
}

TEST(SharedStoreCrash, ThreeProcessesOnOneSqliteFileKilledAtRandomEveryEffectOnce) {
  Replay replay(kOrders, "OC_SHARED_CRASH_KEEP");
  const Json config = {{"store", {{"path", replay.store}, {"durability", "full"}}}, {"outbox", Json::parse(kOutbox)}};
  SharedStoreRun run("sqlite", replay, config);
  run.run(env_or("OC_SHARED_CRASH_ROUNDS", 48), static_cast<unsigned>(env_or("OC_SHARED_CRASH_SEED", 20261122)));
}

TEST(SharedStoreCrash, ThreeProcessesOnOnePostgresDatabaseKilledAtRandomEveryEffectOnce) {
  const auto server = PgServer::start({});
  Replay replay(kOrders, "OC_SHARED_CRASH_KEEP");
  SharedStoreRun run("postgres", replay, postgres_config(*server));
  run.run(env_or("OC_SHARED_CRASH_ROUNDS", 48), static_cast<unsigned>(env_or("OC_SHARED_CRASH_SEED", 20261122)));
}

TEST(SharedStoreCrash, PostgresRestartedMidStreamStepsBusyWhileDownThroughAfterNothingLostOrDoubled) {
  const auto server = PgServer::start({});
  Replay replay(kOrders, "OC_SHARED_CRASH_KEEP");
  SharedStoreRun run("postgres restarted", replay, postgres_config(*server));
  ServerRestarts restarts;
  restarts.server = server.get();
  restarts.at = {0.15, 0.35};
  restarts.down = std::chrono::milliseconds(1000);
  run.run(0, static_cast<unsigned>(env_or("OC_SHARED_CRASH_SEED", 20261122)), restarts);
}

}  // namespace
