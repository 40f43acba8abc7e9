// oc_submit_batch behind the boundary (issue 11, point 4), where the store
// fails: a store call that fails under one event is that event's answer
// alone and its neighbours are stored; the store failing every event fails
// the whole call and writes nothing; a callback on the plugin thread may
// submit a batch. Arguments, limits and the result's shape are tested
// through the C ABI (tests/abi/abi_submit_batch_test.c).
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <string>
#include <thread>
#include <vector>

#include "common/failure.h"
#include "runtime/plugin.h"
#include "store/sqlite/sqlite_connection.h"
#include "support/fault_store.h"
#include "support/scenario.h"
#include "support/test_store.h"

namespace ordercare::testing {
namespace {

const CustomerSpec kAnn("c-ann", "Ann Archer", {}, "ann@example.org");

// No store ticks (wake-ups from other processes) between the calls a test
// counts, so the N-th store call of a batch is the same in every run.
Json quiet_config() { return {{"store", {{"wake_interval", "60s"}}}}; }

// An accepted or duplicate event's status, from its answer's text.
std::string answer_status(const runtime::BatchAnswer &answer) {
  if (answer.status != OC_OK) return "error";
  return parse_json(answer.result, "answer").at("status").get<std::string>();
}

std::vector<runtime::BatchAnswer> submit_batch(Scenario &s, const std::vector<std::string> &events) {
  std::vector<const char *> pointers;
  std::vector<std::size_t> lens;
  for (const auto &event : events) {
    pointers.push_back(event.data());
    lens.push_back(event.size());
  }
  return s.plugin().submit_batch(pointers, lens);
}

// Three orders, each an event of its own.
std::vector<std::string> three_orders(Scenario &s) {
  return {dump_json(s.order_created("A", kAnn)), dump_json(s.order_created("B", kAnn)),
          dump_json(s.order_created("C", kAnn))};
}

std::size_t stored_events(Scenario &s) { return s.call("events.list", {{"limit", 100}})["events"].size(); }

// The store call number (from 1) of the n-th call named `name` at or after
// call `from` in `names`; 0 if there is none.
std::uint64_t nth_call(const std::vector<std::string> &names, std::uint64_t from, const std::string &name, int n) {
  for (std::uint64_t i = from; i <= names.size(); ++i)
    if (names[i - 1] == name && --n == 0) return i;
  return 0;
}

class SubmitBatchFaults : public ::testing::TestWithParam<Fault> {};

TEST_P(SubmitBatchFaults, AStoreFailureUnderOneEventIsItsAnswerAndItsNeighboursAreStored) {
  OC_SQLITE_ONLY("the store calls are counted on the SQLite store");
  // A clean run finds the store call that appends the second event.
  std::uint64_t fault_at = 0;
  {
    TestHost host;
    FaultInjector faults;
    Scenario s(host, quiet_config(), kScenarioStart, 0, faults.opener());
    const std::uint64_t start = faults.calls() + 1;
    const auto answers = submit_batch(s, three_orders(s));
    ASSERT_EQ(answers.size(), 3u);
    for (const auto &answer : answers) ASSERT_EQ(answer.status, OC_OK) << answer.message;
    fault_at = nth_call(faults.names(), start, "events.append", 2);
    ASSERT_NE(fault_at, 0u);
  }
  TestHost host;
  FaultInjector faults;
  Scenario s(host, quiet_config(), kScenarioStart, 0, faults.opener());
  faults.fail_at(fault_at, GetParam());
  const auto events = three_orders(s);
  const auto answers = submit_batch(s, events);
  ASSERT_EQ(answers.size(), 3u);
  ASSERT_EQ(faults.injected().size(), 1u);
  EXPECT_EQ(faults.injected()[0].name, "events.append");
  EXPECT_EQ(answers[0].status, OC_OK) << answers[0].message;
  EXPECT_EQ(answers[1].status, status_of(GetParam()));
  EXPECT_EQ(answers[2].status, OC_OK) << answers[2].message;
  EXPECT_EQ(answer_status(answers[0]), "accepted");
  EXPECT_EQ(answer_status(answers[2]), "accepted");
  EXPECT_EQ(stored_events(s), 2u);
  EXPECT_EQ(s.call("order.get", {{"id", "A"}})["id"], "A");
  EXPECT_EQ(s.call("order.get", {{"id", "C"}})["id"], "C");
  EXPECT_EQ(s.error("order.get", {{"id", "B"}}).status, OC_ERR_NOT_FOUND);
  // The host submits the batch again: what was stored is a duplicate, the
  // event that failed is accepted now.
  const auto again = submit_batch(s, events);
  ASSERT_EQ(again.size(), 3u);
  EXPECT_EQ(answer_status(again[0]), "duplicate");
  EXPECT_EQ(answer_status(again[1]), "accepted");
  EXPECT_EQ(answer_status(again[2]), "duplicate");
  EXPECT_EQ(stored_events(s), 3u);
}

TEST_P(SubmitBatchFaults, TheStoreFailingEveryEventFailsTheCallAndWritesNothing) {
  OC_SQLITE_ONLY("the store calls are counted on the SQLite store");
  TestHost host;
  FaultInjector faults;
  Scenario s(host, quiet_config(), kScenarioStart, 0, faults.opener());
  // The store is down for the whole call: each transaction the writer
  // opens for it fails to begin (the call's events may come in slices, one
  // transaction each; never more than there are events).
  for (std::uint64_t call = 1; call <= 3; ++call) faults.fail_at(faults.calls() + call, GetParam());
  auto events = three_orders(s);
  events.insert(events.begin() + 1, "not json");  // answered on the host's thread, yet the call fails
  try {
    submit_batch(s, events);
    ADD_FAILURE() << "the batch was answered";
  } catch (const Failure &failure) {
    EXPECT_EQ(failure.status(), status_of(GetParam())) << failure.what();
  }
  faults.disarm();
  ASSERT_GE(faults.injected().size(), 1u);
  for (const auto &injected : faults.injected()) EXPECT_EQ(injected.name, "begin_batch");
  EXPECT_EQ(stored_events(s), 0u);
  // The store is back: the same batch goes through.
  const auto answers = submit_batch(s, events);
  ASSERT_EQ(answers.size(), 4u);
  EXPECT_EQ(answer_status(answers[0]), "accepted");
  EXPECT_EQ(answers[1].status, OC_ERR_JSON);
  EXPECT_EQ(answer_status(answers[2]), "accepted");
  EXPECT_EQ(answer_status(answers[3]), "accepted");
  EXPECT_EQ(stored_events(s), 3u);
}

INSTANTIATE_TEST_SUITE_P(Faults, SubmitBatchFaults, ::testing::Values(Fault::disk, Fault::busy),
                         [](const ::testing::TestParamInfo<Fault> &param) { return std::string(name_of(param.param)); });

// The writer starts on a call's first events while the host's thread still
// checks the rest (slices that promise more, Job::more_follows), and the
// call is still one transaction: one commit, one fsync. The writer waits
// 10 ms for a promised slice; under a sanitizer on a busy runner checking
// one can take longer, and the call rightly commits twice, so the wait is
// made long here (the writer's own tests cover a promise that comes late).
TEST(SubmitBatch, TheEventsOfOneCallCommitTogether) {
  OC_SQLITE_ONLY("the commits are observed on the SQLite connection");
  runtime::set_promised_jobs_wait(std::chrono::seconds(30));
  std::atomic<int> commits{0};
  store::sqlite::observe_statements([&](std::string_view sql, const char *) {
    if (sql == "COMMIT") ++commits;
  });
  std::vector<runtime::BatchAnswer> answers;
  int during = 0;
  {
    Scenario s(quiet_config());
    std::vector<std::string> events;
    for (int i = 0; i < 150; ++i) events.push_back(dump_json(s.order_created("O" + std::to_string(i), kAnn)));
    const int before = commits;
    answers = submit_batch(s, events);
    during = commits - before;
    EXPECT_EQ(s.call("order.get", {{"id", "O149"}})["id"], "O149");
  }
  store::sqlite::observe_statements(nullptr);
  runtime::set_promised_jobs_wait(std::chrono::milliseconds(10));
  ASSERT_EQ(answers.size(), 150u);
  for (const auto &answer : answers) EXPECT_EQ(answer_status(answer), "accepted") << answer.message;
  EXPECT_EQ(during, 1);
}

// An event the rules refuse (here a walk-in return at a shop with no
// stores) is decided before anything of it is written, so it fails alone:
// the writer does not undo the transaction around it and run its
// neighbours again. Each neighbour's event is inserted once.
TEST(SubmitBatch, AnEventTheRulesRefuseWritesNothingAndItsNeighboursRunOnce) {
  OC_SQLITE_ONLY("the inserts are observed on the SQLite connection");
  std::atomic<int> inserts{0};
  store::sqlite::observe_statements([&](std::string_view sql, const char *) {
    if (sql.starts_with("INSERT INTO events")) ++inserts;
  });
  std::vector<runtime::BatchAnswer> answers;
  int during = 0;
  std::size_t logged = 0;
  {
    Scenario s(quiet_config());
    Json walk_in = s.return_received("unused", Json::array({{{"line_id", "L1"}, {"quantity", 1}, {"condition", "resellable"}}}),
                                     "store-7");
    walk_in["data"].erase("return_id");
    walk_in["data"]["order_id"] = "A";
    walk_in["data"]["walk_in"] = true;
    const std::vector<std::string> events = {dump_json(s.order_created("A", kAnn)), dump_json(walk_in),
                                             dump_json(s.order_created("B", kAnn))};
    const int before = inserts;
    answers = submit_batch(s, events);
    during = inserts - before;
    logged = stored_events(s);
  }
  store::sqlite::observe_statements(nullptr);
  ASSERT_EQ(answers.size(), 3u);
  EXPECT_EQ(answer_status(answers[0]), "accepted") << answers[0].message;
  EXPECT_EQ(answers[1].status, OC_ERR_REFUSED) << answers[1].message;
  EXPECT_EQ(answer_status(answers[2]), "accepted") << answers[2].message;
  EXPECT_EQ(logged, 2u);
  EXPECT_EQ(during, 2);
}

// On the plugin thread (a callback submitting) the slices run at once, one
// after the other: nothing waits for a slice that this very thread would
// have to hand over.
TEST(SubmitBatch, ACallbackOnThePluginThreadMaySubmitABatch) {
  TestHost host;
  std::vector<runtime::BatchAnswer> from_callback;
  std::atomic<Scenario *> scenario{nullptr};  // set once the follow-up is ready
  std::vector<std::string> follow_ups;  // more than a slice, then a broken one
  host.on("notify", [&](const HostRequest &) {
    if (Scenario *s = scenario.load(); s && from_callback.empty()) from_callback = submit_batch(*s, follow_ups);
    return HostReply{};
  });
  Scenario s(host, Json::object(), kScenarioStart, OC_OPEN_CALLBACKS_ON_PLUGIN_THREAD);
  s.submit(s.order_created("A", kAnn));
  for (int i = 0; i < 70; ++i) follow_ups.push_back(dump_json(s.order_created("B" + std::to_string(i), kAnn)));
  follow_ups.push_back("{}");
  scenario.store(&s);
  s.submit(s.message(kAnn, "A", "email", "The lamp arrived broken"));
  for (int i = 0; i < 500 && host.requests("notify").empty(); ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  ASSERT_FALSE(host.requests("notify").empty());
  s.close();  // the callbacks are over
  ASSERT_EQ(from_callback.size(), 71u);
  for (std::size_t i = 0; i < 70; ++i) {
    EXPECT_EQ(from_callback[i].status, OC_OK) << from_callback[i].message;
    EXPECT_EQ(answer_status(from_callback[i]), "accepted");
  }
  EXPECT_EQ(from_callback[70].status, OC_ERR_SCHEMA);
  s.reopen();
  EXPECT_EQ(s.call("order.get", {{"id", "B69"}})["id"], "B69");
}

}  // namespace
}  // namespace ordercare::testing
