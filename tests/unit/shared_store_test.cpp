// Several plugins on one store, as the processes of a PHP-FPM pool, a
// gunicorn pool or a Node cluster share it (issue 9): on SQLite and, as
// "pg.", on PostgreSQL. Each Scenario here is what one host process would
// hold; they share the store and nothing else. What one writes the others
// read; an event given to two of them is stored once; two of them working
// on one order lose nothing of each other's; an effect is claimed by one
// at a time, in its order's order, and goes to another process under the
// same key once its claim's lease ran out or its process died; an SLA timer
// fires once however many processes are awake; a commit in one wakes the
// others' wake-up fds.
#include <poll.h>
#include <sqlite3.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "support/scenario.h"
#include "support/test_store.h"

namespace ordercare::testing {
namespace {

const CustomerSpec kAda("c-ada", "Ada Byron", {}, "ada@example.org");

// The config of a second plugin on `first`'s store.
Json same_store(const Scenario &first, Json config = Json::object()) {
  config["store"] = first.store_section();
  return config;
}

// A bound on waits, so a broken build fails instead of hanging; never a
// timing assertion.
template <class Predicate>
bool eventually(Predicate done, std::chrono::milliseconds within = std::chrono::seconds(20)) {
  const auto deadline = std::chrono::steady_clock::now() + within;
  while (std::chrono::steady_clock::now() < deadline) {
    if (done()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  return done();
}

bool readable(int fd) {
  pollfd p{fd, POLLIN, 0};
  return ::poll(&p, 1, 0) == 1 && (p.revents & POLLIN);
}

std::map<std::string, int> deliveries_by_key(const std::vector<HostRequest> &requests) {
  std::map<std::string, int> out;
  for (const auto &r : requests) ++out[r.kind + " " + r.key];
  return out;
}

// An order whose wrong-item return is refunded at once: refund:R-<id>:1.
void order_with_instant_refund(Scenario &s, const std::string &order_id) {
  s.submit(s.order_created(order_id, kAda, OrderOptions().with_items({LineSpec("SKU-" + order_id, 1000)})));
  s.submit(s.order_updated(order_id, "delivered"));
  s.submit(s.return_requested(order_id, {ReturnLine("L1", "wrong_item")}, "R-" + order_id));
}

TEST(SharedStore, WhatOneProcessWritesTheOthersReadAndAnEventIsStoredOnce) {
  Scenario a;
  Scenario b(same_store(a));
  const Json created = a.order_created("A", kAda);
  EXPECT_EQ(a.submit(created)["status"], "accepted");
  EXPECT_EQ(b.submit(created)["status"], "duplicate") << "the id is a constraint of the shared log";
  const Json message = a.message(kAda, "A", "email", "Where is my parcel?");
  EXPECT_EQ(b.submit(message)["status"], "accepted");
  EXPECT_EQ(a.submit(message)["status"], "duplicate");
  EXPECT_EQ(a.call("events.list", {{"limit", 100}})["events"].size(), 2u);
  EXPECT_EQ(b.call("events.list", {{"limit", 100}})["events"].size(), 2u);
  EXPECT_EQ(a.only_case("A")["id"], b.only_case("A")["id"]);
}

TEST(SharedStore, TheSameEventsRacingIntoTwoProcessesAreEachStoredOnce) {
  Scenario a;
  Scenario b(same_store(a));
  std::vector<Json> events;
  for (int i = 0; i < 60; ++i) events.push_back(a.order_created("R" + std::to_string(i), kAda));
  std::map<std::string, int> accepted;
  std::mutex mutex;
  auto submit_all = [&](Scenario &s) {
    for (const auto &e : events) {
      const Json r = s.submit(e);
      std::lock_guard<std::mutex> lock(mutex);
      if (r["status"] == "accepted") ++accepted[e["id"]];
    }
  };
  std::thread other([&] { submit_all(b); });
  submit_all(a);
  other.join();
  EXPECT_EQ(accepted.size(), events.size());
  for (const auto &[id, times] : accepted) EXPECT_EQ(times, 1) << id;
  EXPECT_EQ(a.call("events.list", {{"limit", 1000}})["events"].size(), events.size());
}

// The lost update a shared store must never have: two processes read the
// order's case, each adds its event, the later write drops the earlier's.
TEST(SharedStore, TwoProcessesWorkingOnOneOrderLoseNothingOfEachOther) {
  Scenario a;
  Scenario b(same_store(a));
  a.submit(a.order_created("A", kAda));
  const std::string case_id = a.submit(a.message(kAda, "A", "email", "Where is my parcel?"))["cases"][0];
  std::vector<Json> for_a, for_b;
  for (int i = 0; i < 40; ++i)
    (i % 2 ? for_b : for_a).push_back(a.message(kAda, "A", "email", "Any news on my parcel? " + std::to_string(i)));
  std::thread other([&] {
    for (const auto &e : for_b) b.submit(e);
  });
  for (const auto &e : for_a) a.submit(e);
  other.join();
  const Json c = a.get_case(case_id);
  EXPECT_EQ(c["customer_contacts"], 41);
  std::set<std::string> ids;
  for (const auto &id : c["event_ids"]) ids.insert(id);
  for (const auto &e : for_a) EXPECT_TRUE(ids.count(e["id"])) << e["id"];
  for (const auto &e : for_b) EXPECT_TRUE(ids.count(e["id"])) << e["id"];
  EXPECT_EQ(a.cases_of_order("A").size(), 1u) << "one case, not one per process";
}

TEST(SharedStore, ACommitInOneProcessWakesAnotherThatHasWorkToClaim) {
  TestHost host_a, host_b;
  host_a.without("refund").without("notify").without("adjust_inventory");
  Scenario a(host_a, {{"store", {{"wake_interval", "20ms"}}}});
  Scenario b(host_b, same_store(a, {{"store", {{"wake_interval", "20ms"}}}}));
  b.set_now(a.now());
  b.poll_all();
  ASSERT_FALSE(readable(b.wakeup_fd()));
  order_with_instant_refund(a, "A");
  // b learns of a's commit from the store alone, within a few wake intervals.
  EXPECT_TRUE(eventually([&] { return readable(b.wakeup_fd()); })) << "b's wake-up fd turns readable";
  b.set_now(a.now());
  b.poll_all();
  const auto refunds = host_b.requests("refund");
  ASSERT_EQ(refunds.size(), 1u);
  EXPECT_EQ(refunds[0].key, "refund:R-A:1");
  EXPECT_EQ(a.effect("refund:R-A:1")["status"], "done");
  EXPECT_TRUE(host_a.requests("refund").empty()) << "a has no refund callback";
}

TEST(SharedStore, EveryEffectIsDeliveredOnceWhicheverProcessesPoll) {
  TestHost host_a, host_b;
  Scenario a(host_a);
  Scenario b(host_b, same_store(a));
  for (int i = 0; i < 12; ++i) order_with_instant_refund(a, "O" + std::to_string(i));
  b.set_now(a.now());
  std::thread other([&] { b.poll_all(); });
  a.poll_all();
  other.join();
  a.poll_all();
  auto all = host_a.requests();
  for (const auto &r : host_b.requests()) all.push_back(r);
  ASSERT_FALSE(all.empty());
  for (const auto &[key, times] : deliveries_by_key(all)) EXPECT_EQ(times, 1) << key;
  for (const auto &e : a.effects()) EXPECT_EQ(e["status"], "done") << e["id"];
  EXPECT_EQ(deliveries_by_key(all).size(), a.effects().size());
}

// A host whose refund callback holds on until the test lets it go, on a
// thread of its own: a process in the middle of an effect.
struct HeldCallback {
  std::mutex mutex;
  std::condition_variable cv;
  bool inside = false, released = false;

  HostReply hold() {
    std::unique_lock<std::mutex> lock(mutex);
    inside = true;
    cv.notify_all();
    cv.wait(lock, [&] { return released; });
    return HostReply{};
  }
  void wait_inside() {
    std::unique_lock<std::mutex> lock(mutex);
    cv.wait(lock, [&] { return inside; });
  }
  void release() {
    std::lock_guard<std::mutex> lock(mutex);
    released = true;
    cv.notify_all();
  }
};

TEST(SharedStore, AClaimHoldsAnOrdersLaterEffectsUntilItsLeaseRunsOutThenAnotherDeliversIt) {
  TestHost host_a, host_b;
  HeldCallback held;
  std::string held_key;
  for (const char *kind : {"refund", "notify", "adjust_inventory"})
    host_a.on(kind, [&](const HostRequest &r) {
      held_key = r.key;
      return held.hold();
    });
  const Json lease = {{"outbox", {{"lease", "2m"}}}};
  Scenario a(host_a, lease);
  order_with_instant_refund(a, "A");
  Scenario b(host_b, same_store(a, lease));
  b.set_now(a.now());
  std::vector<std::string> queued;
  for (const auto &e : a.effects()) queued.push_back(e["id"]);
  ASSERT_GE(queued.size(), 2u) << "the order has effects queued one behind the other";

  std::thread busy([&] { a.poll(1); });
  // However this test ends, a's callback returns and its thread is joined.
  struct Joiner {
    HeldCallback &held;
    std::thread &thread;
    ~Joiner() {
      held.release();
      if (thread.joinable()) thread.join();
    }
  } joiner{held, busy};
  held.wait_inside();
  // a is inside the order's first effect: b may take neither it nor what
  // follows it.
  b.poll_all();
  EXPECT_TRUE(host_b.requests().empty()) << "the order's effects wait behind the claimed one";
  EXPECT_EQ(b.effect(held_key)["status"], "in_flight");

  // a's process seems gone: its lease runs out, b delivers under the same key.
  b.advance(2 * kMinuteMs + kSecondMs);
  b.poll_all();
  const auto delivered = host_b.requests();
  ASSERT_FALSE(delivered.empty());
  EXPECT_EQ(delivered[0].key, held_key) << "the held effect first, then the rest in order";
  EXPECT_EQ(delivered[0].attempt, 2u);
  std::vector<std::string> keys;
  for (const auto &r : delivered) keys.push_back(r.key);
  for (std::size_t i = 0; i < queued.size(); ++i) EXPECT_EQ(keys.at(i), queued[i]) << "in the order decided";
  for (const auto &[key, times] : deliveries_by_key(delivered)) EXPECT_EQ(times, 1) << key;
  EXPECT_EQ(b.effect(held_key)["status"], "done");

  // a comes back with its answer: too late, b's counts; nothing is undone.
  held.release();
  busy.join();
  EXPECT_EQ(b.effect(held_key)["status"], "done");
  EXPECT_EQ(b.effect(held_key)["attempts"], 2);
  bool told = false;
  for (const auto &line : host_a.logs()) told |= line.message.find("lease ran out") != std::string::npos;
  EXPECT_TRUE(told) << "a logs that its answer came after its lease";
  const Json order = b.call("order.get", {{"id", "A"}});
  ASSERT_EQ(order["refunds"].size(), 1u);
  EXPECT_EQ(order["refunds"][0]["status"], "succeeded");
}

// A process killed in the middle of an effect: whoever opens the store
// next sees its claimant is gone and delivers at once, under the same key.
TEST(SharedStore, AnEffectOfAProcessKilledMidDeliveryGoesOutAgainWhenTheStoreIsNextOpened) {
  TempDir dir;
  const Json store_section = test_store_section(dir.file("shared.db"), "killed");
  {
    // The store is made before the fork, so the child only opens it.
    Scenario setup(Json{{"store", store_section}});
    order_with_instant_refund(setup, "A");
  }
  const pid_t child = ::fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    // The dying host: its refund callback never returns. Nothing of the
    // test framework runs here.
    try {
      TestHost host;
      host.on("refund", [](const HostRequest &) -> HostReply { ::_exit(9); });
      Scenario dying(host, Json{{"store", store_section}}, kScenarioStart + 5 * kMinuteMs);
      dying.poll_all();
    } catch (...) {
    }
    ::_exit(3);
  }
  int status = 0;
  ASSERT_EQ(::waitpid(child, &status, 0), child);
  ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 9) << "the child died inside its callback";

  TestHost host;
  std::unique_ptr<Scenario> next;
  // The dead node's session (PostgreSQL) ends as its socket closes: a
  // moment after the process is gone.
  EXPECT_TRUE(eventually([&] {
    next = std::make_unique<Scenario>(host, Json{{"store", store_section}}, kScenarioStart + 5 * kMinuteMs);
    next->poll_all();
    return !host.requests("refund").empty();
  }, std::chrono::seconds(10)));
  const auto refunds = host.requests("refund");
  ASSERT_EQ(refunds.size(), 1u) << "without waiting for the 5 minute lease";
  EXPECT_EQ(refunds[0].key, "refund:R-A:1");
  EXPECT_EQ(refunds[0].attempt, 2u);
  EXPECT_EQ(next->effect("refund:R-A:1")["status"], "done");
}

TEST(SharedStore, AnSlaTimerFiresOnceHoweverManyProcessesAreAwake) {
  TestHost host_a, host_b;
  Scenario a(host_a);
  Scenario b(host_b, same_store(a));
  a.submit(a.order_created("A", kAda));
  // A complaint: no question to the warehouse, so no warehouse clock.
  const std::string case_id = a.submit(a.message(kAda, "A", "chat", "Hello? I am not happy with the colour"))["cases"][0];
  // Past the resolution deadline (24 h for a P3), both processes awake.
  for (int step = 0; step < 15; ++step) {
    a.advance(2 * kHourMs);
    b.set_now(a.now());
    std::thread other([&] { b.poll_all(); });
    a.poll_all();
    other.join();
  }
  std::map<std::string, int> fired;  // kind clock due -> times
  const Json c = a.get_case(case_id);
  for (const auto &entry : c["log"]) {
    const std::string kind = entry["kind"];
    if (kind != "sla_warning" && kind != "sla_breach") continue;
    ++fired[kind + " " + entry["details"]["clock"].get<std::string>() + " " + entry["details"]["due"].dump()];
  }
  ASSERT_EQ(fired.size(), 3u) << "first response breached, resolution warned and breached";
  for (const auto &[timer, times] : fired) EXPECT_EQ(times, 1) << timer;
  auto all = host_a.requests();
  for (const auto &r : host_b.requests()) all.push_back(r);
  for (const auto &[key, times] : deliveries_by_key(all)) EXPECT_EQ(times, 1) << key;
}

// Another process holding the SQLite file's write lock for `hold_ms`, as a
// second writer mid-transaction would: started once it holds it.
class WriterElsewhere {
 public:
  WriterElsewhere(const std::string &path, int hold_ms) {
    int held[2];
    if (::pipe(held) != 0) throw std::runtime_error("pipe");
    child_ = ::fork();
    if (child_ == 0) {
      ::close(held[0]);
      sqlite3 *db = nullptr;
      if (sqlite3_open(path.c_str(), &db) == SQLITE_OK &&
          sqlite3_exec(db, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr) == SQLITE_OK &&
          ::write(held[1], "H", 1) == 1) {
        ::usleep(static_cast<useconds_t>(hold_ms) * 1000);
        sqlite3_exec(db, "COMMIT", nullptr, nullptr, nullptr);
      }
      ::_exit(0);
    }
    ::close(held[1]);
    char byte = 0;
    const bool ok = ::read(held[0], &byte, 1) == 1;
    ::close(held[0]);
    if (!ok) throw std::runtime_error("the other writer could not lock " + path);
  }
  ~WriterElsewhere() { ::waitpid(child_, nullptr, 0); }

 private:
  pid_t child_ = -1;
};

TEST(SharedStore, SqliteWritersOfSeveralProcessesWaitForEachOtherUpToTheBusyTimeout) {
  OC_SQLITE_ONLY("PostgreSQL writers do not take one lock");
  Scenario s(Json{{"store", {{"busy_timeout", "5s"}}}});
  s.submit(s.order_created("A", kAda));
  {
    // A short transaction elsewhere: the submit waits for it, then commits.
    WriterElsewhere other(s.db_path(), 300);
    EXPECT_EQ(s.submit(s.message(kAda, "A", "email", "Where is my parcel?"))["status"], "accepted");
  }
  s.reopen(Json{{"store", {{"busy_timeout", "50ms"}}}});
  const Json late = s.order_created("B", kAda);
  {
    // Longer than the busy timeout: refused, nothing written.
    WriterElsewhere other(s.db_path(), 1500);
    const CallError e = s.submit_error(late);
    EXPECT_EQ(e.status, OC_ERR_BUSY) << e.message;
    EXPECT_NE(e.message.find("busy_timeout"), std::string::npos) << e.message;
  }
  EXPECT_EQ(s.error("order.get", {{"id", "B"}}).status, OC_ERR_NOT_FOUND);
  EXPECT_EQ(s.submit(late)["status"], "accepted") << "the host's retry goes through";
}

TEST(SharedStore, ProcessesOpeningANewStoreTogetherAllOpenIt) {
  TempDir dir;
  const Json store_section = test_store_section(dir.file("fresh.db"), "fresh");
  // Every process of a pool starts at once against nothing: one migrates,
  // one key is made, the others wait and use them.
  std::vector<std::unique_ptr<Scenario>> opened(4);
  std::vector<std::thread> threads;
  std::atomic<int> failures{0};
  for (std::size_t i = 0; i < opened.size(); ++i)
    threads.emplace_back([&, i] {
      try {
        opened[i] = std::make_unique<Scenario>(Json{{"store", store_section}});
      } catch (const std::exception &e) {
        ++failures;
        ADD_FAILURE() << "open " << i << ": " << e.what();
      }
    });
  for (auto &t : threads) t.join();
  ASSERT_EQ(failures.load(), 0);
  const Json event = opened[0]->order_created("A", kAda);
  opened[1]->submit(event);
  for (auto &s : opened) EXPECT_EQ(s->call("order.get", {{"id", "A"}})["id"], "A");
  // Sealed by one, opened by all: one master key.
  const std::string case_id = opened[2]->submit(opened[0]->message(kAda, "A", "email", "Where is it?"))["cases"][0];
  for (auto &s : opened) EXPECT_EQ(s->get_case(case_id)["pii"]["description"], "Where is it?");
}

}  // namespace
}  // namespace ordercare::testing
