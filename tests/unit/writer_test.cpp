#include "runtime/writer.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "common/failure.h"
#include "store/report_store.h"
#include "support/temp_dir.h"
#include "support/test_store.h"

namespace ordercare::runtime {
namespace {

// A real SQLite store with a log of the transaction calls and switches that
// make one of them fail, the way a full disk or a lost lock would, or make
// a claim lose to another node, the way a PostgreSQL store's would.
class ScriptedStore final : public store::Store {
 public:
  explicit ScriptedStore(const std::string &path) : inner_(open(path)) {}

  void begin_batch() override { step("begin_batch", fail_begin_batch, [&] { inner_->begin_batch(); }); }
  void commit_batch() override { step("commit_batch", fail_commit, [&] { inner_->commit_batch(); }); }
  void rollback_batch() override { step("rollback_batch", false, [&] { inner_->rollback_batch(); }); }
  void begin_job() override {
    ++jobs_begun;
    step("begin_job", jobs_begun == fail_begin_job_number, [&] { inner_->begin_job(); });
  }
  void release_job() override { step("release_job", false, [&] { inner_->release_job(); }); }
  bool rollback_job() override {
    bool undone = true;
    step("rollback_job", false, [&] { undone = inner_->rollback_job(); });
    return undone;
  }
  bool claim(const std::vector<Subject> &subjects) override {
    for (const auto &subject : subjects) {
      calls.push_back("claim " + subject.str());
      if (auto it = contended.find(subject.str()); it != contended.end() && it->second > 0) {
        --it->second;
        throw store::Contended{subject.str()};
      }
    }
    return inner_->claim(subjects);
  }
  bool try_claim(const std::vector<Subject> &subjects) override { return inner_->try_claim(subjects); }
  store::EventLog &events() override { return inner_->events(); }
  store::StateStore &state() override { return inner_->state(); }
  store::ReportStore &reports() override { return inner_->reports(); }
  store::Outbox &outbox() override { return inner_->outbox(); }
  bool others_committed() override { return inner_->others_committed(); }
  void announce() override { inner_->announce(); }
  bool scrub() override { return inner_->scrub(); }
  std::int64_t schema_version() override { return inner_->schema_version(); }

  // Subject -> how many more claims of it lose (throw Contended).
  std::map<std::string, int> contended;

  bool fail_begin_batch = false;
  bool fail_commit = false;
  int fail_begin_job_number = 0;  // 1-based; 0 never
  int jobs_begun = 0;
  std::vector<std::string> calls;

 private:
  static std::unique_ptr<store::Store> open(const std::string &path) {
    return store::open_store(ordercare::testing::test_store_config(path, "writer"));
  }

  void step(const char *name, bool fail_now, const std::function<void()> &real) {
    calls.emplace_back(name);
    if (fail_now) fail(OC_ERR_STORE, std::string("injected: ") + name);
    real();
  }

  std::unique_ptr<store::Store> inner_;
};

store::StoredEvent event(const std::string &id) {
  store::StoredEvent e;
  e.id = id;
  e.type = "cancellation.requested";
  e.source = "host";
  e.occurred_at = 1000;
  e.received_at = 2000;
  e.body = R"({"id":")" + id + R"("})";
  return e;
}

// What each job was told when its batch ended.
struct Outcome {
  bool reported = false;
  oc_status status = OC_OK;  // OC_OK when the job succeeded
  std::string message;
};

Job job_that(std::function<void(JobContext &)> work, Outcome &outcome) {
  Job job;
  job.work = std::move(work);
  job.done = [&outcome](std::exception_ptr failure) {
    outcome.reported = true;
    if (!failure) return;
    try {
      std::rethrow_exception(failure);
    } catch (const Failure &f) {
      outcome.status = f.status();
      outcome.message = f.what();
    } catch (...) {
      outcome.status = OC_ERR_INTERNAL;
    }
  };
  return job;
}

// Appends event `id`; counts its runs in `runs` when given.
Job appending(const std::string &id, Outcome &outcome, int *runs = nullptr) {
  return job_that([id, runs](JobContext &ctx) {
    if (runs) ++*runs;
    auto e = event(id);
    ctx.store.events().append(e);
  }, outcome);
}

// Appends event `id`, then fails: a job the store can undo only with its
// whole transaction (SQLite keeps no savepoint per job). Counts its runs
// in `runs` when given.
Job appending_then_failing(const std::string &id, Outcome &outcome, int *runs = nullptr) {
  return job_that([id, runs](JobContext &ctx) {
    if (runs) ++*runs;
    auto e = event(id);
    ctx.store.events().append(e);
    fail(OC_ERR_REFUSED, id + ": refused after writing");
  }, outcome);
}

class WriterTest : public ::testing::Test {
 protected:
  ordercare::testing::TempDir dir_;
  ScriptedStore store_{dir_.file("writer.db")};
  std::vector<bool> commits_;  // wake_host of each after_commit
  Writer writer_{store_, [this](bool wake_host) { commits_.push_back(wake_host); }};

  bool stored(const std::string &id) { return store_.events().find(id).has_value(); }
};

TEST_F(WriterTest, ABatchCommitsOnceAndReportsEveryJob) {
  Outcome a, b, c;
  std::vector<Job> jobs;
  jobs.push_back(appending("a", a));
  jobs.push_back(appending("b", b));
  jobs.push_back(appending("c", c));
  writer_.run_batch(jobs);
  for (const Outcome *o : {&a, &b, &c}) {
    EXPECT_TRUE(o->reported);
    EXPECT_EQ(o->status, OC_OK) << o->message;
  }
  EXPECT_EQ(store_.events().count(), 3);
  EXPECT_EQ(writer_.batches(), 1u);
  EXPECT_EQ(writer_.jobs(), 3u);
  EXPECT_EQ(commits_, std::vector<bool>{false});
  EXPECT_EQ(std::count(store_.calls.begin(), store_.calls.end(), "commit_batch"), 1);
}

// An oc_submit_batch hands its events over a slice at a time: a slice
// whose last job promises more shares its transaction with what follows.
TEST_F(WriterTest, JobsThatWerePromisedJoinTheTransaction) {
  Outcome a, b, c, d;
  int asked = 0;
  writer_.set_more_jobs([&](std::vector<Job> &jobs) {
    ++asked;
    jobs.push_back(appending("c", c));
    jobs.push_back(appending("d", d));
    return true;
  });
  std::vector<Job> jobs;
  jobs.push_back(appending("a", a));
  jobs.push_back(appending("b", b));
  jobs.back().more_follows = true;
  writer_.run_batch(jobs);
  EXPECT_EQ(asked, 1);
  for (const Outcome *o : {&a, &b, &c, &d}) {
    EXPECT_TRUE(o->reported);
    EXPECT_EQ(o->status, OC_OK) << o->message;
  }
  EXPECT_EQ(store_.events().count(), 4);
  EXPECT_EQ(writer_.batches(), 1u);
  EXPECT_EQ(std::count(store_.calls.begin(), store_.calls.end(), "commit_batch"), 1);
}

// Without a promise the writer never waits; a promise nobody keeps in time
// commits what came.
TEST_F(WriterTest, OnlyAPromiseMakesTheWriterAskAndABrokenOneCommitsWhatCame) {
  Outcome a, b;
  int asked = 0;
  writer_.set_more_jobs([&](std::vector<Job> &) {
    ++asked;
    return false;
  });
  std::vector<Job> jobs;
  jobs.push_back(appending("a", a));
  writer_.run_batch(jobs);
  EXPECT_EQ(asked, 0);
  std::vector<Job> promising;
  promising.push_back(appending("b", b));
  promising.back().more_follows = true;
  writer_.run_batch(promising);
  EXPECT_EQ(asked, 1);
  EXPECT_EQ(b.status, OC_OK);
  EXPECT_TRUE(stored("a"));
  EXPECT_TRUE(stored("b"));
  EXPECT_EQ(writer_.batches(), 2u);
}

// A promised job that fails after writing: the transaction rolls back and
// every other job, promised or not, runs again in one new transaction.
TEST_F(WriterTest, APromisedJobThatFailsAfterWritingLeavesTheOthersCommitted) {
  Outcome a, b, c;
  writer_.set_more_jobs([&](std::vector<Job> &jobs) {
    jobs.push_back(appending_then_failing("b", b));
    jobs.push_back(appending("c", c));
    return true;
  });
  std::vector<Job> jobs;
  jobs.push_back(appending("a", a));
  jobs.back().more_follows = true;
  writer_.run_batch(jobs);
  EXPECT_EQ(a.status, OC_OK);
  EXPECT_EQ(b.status, OC_ERR_REFUSED);
  EXPECT_EQ(c.status, OC_OK);
  EXPECT_TRUE(stored("a"));
  EXPECT_FALSE(stored("b"));
  EXPECT_TRUE(stored("c"));
  EXPECT_EQ(writer_.batches(), 1u);
}

TEST_F(WriterTest, AFailingJobIsRolledBackAndTheOthersCommit) {
  Outcome a, b, c;
  std::vector<Job> jobs;
  jobs.push_back(appending("a", a));
  jobs.push_back(appending_then_failing("b", b));
  jobs.push_back(appending("c", c));
  writer_.run_batch(jobs);
  EXPECT_EQ(a.status, OC_OK);
  EXPECT_EQ(b.status, OC_ERR_REFUSED);
  EXPECT_EQ(b.message, "b: refused after writing");
  EXPECT_EQ(c.status, OC_OK);
  EXPECT_TRUE(stored("a"));
  EXPECT_FALSE(stored("b"));
  EXPECT_TRUE(stored("c"));
  EXPECT_EQ(store_.events().count(), 2);
  EXPECT_EQ(writer_.batches(), 1u);
}

// Most failures come before a job writes (bad input, an unknown id): they
// cost their neighbours nothing, not even a savepoint.
TEST_F(WriterTest, AJobThatFailsBeforeWritingLeavesTheTransactionAlone) {
  Outcome a, b, c;
  int a_runs = 0, c_runs = 0;
  std::vector<Job> jobs;
  jobs.push_back(appending("a", a, &a_runs));
  jobs.push_back(job_that([](JobContext &) { fail(OC_ERR_NOT_FOUND, "b: no such case"); }, b));
  jobs.push_back(appending("c", c, &c_runs));
  writer_.run_batch(jobs);
  EXPECT_EQ(a.status, OC_OK);
  EXPECT_EQ(b.status, OC_ERR_NOT_FOUND);
  EXPECT_EQ(c.status, OC_OK);
  EXPECT_EQ(a_runs, 1);
  EXPECT_EQ(c_runs, 1);
  EXPECT_EQ(std::count(store_.calls.begin(), store_.calls.end(), "begin_batch"), 1);
  EXPECT_EQ(std::count(store_.calls.begin(), store_.calls.end(), "rollback_batch"), 0);
  EXPECT_EQ(store_.events().count(), 2);
}

// A job that wrote and then failed can only be undone with the whole
// transaction on SQLite (no savepoint per job): the batch rolls back and
// the others run again without it; each is told once, after the commit.
TEST_F(WriterTest, AJobThatFailsAfterWritingMakesTheOthersRunAgainWithoutIt) {
  Outcome a, b, c;
  int a_runs = 0, b_runs = 0, c_runs = 0, a_told = 0;
  std::vector<Job> jobs;
  jobs.push_back(appending("a", a, &a_runs));
  auto told_a = jobs.back().done;
  jobs.back().done = [&, told_a](std::exception_ptr failure) {
    ++a_told;
    told_a(failure);
  };
  jobs.push_back(appending_then_failing("b", b, &b_runs));
  jobs.push_back(appending("c", c, &c_runs));
  writer_.run_batch(jobs);
  EXPECT_EQ(a.status, OC_OK);
  EXPECT_EQ(b.status, OC_ERR_REFUSED);
  EXPECT_EQ(c.status, OC_OK);
  EXPECT_EQ(b_runs, 1) << "a failed job is not run again";
  EXPECT_EQ(c_runs, 1);
  EXPECT_EQ(a_told, 1);
  EXPECT_FALSE(stored("b"));
  EXPECT_TRUE(stored("a"));
  EXPECT_TRUE(stored("c"));
  EXPECT_EQ(writer_.batches(), 1u);
  EXPECT_EQ(commits_.size(), 1u);
  // With a savepoint per job (PostgreSQL) a runs once; without (SQLite), twice.
  EXPECT_EQ(a_runs, ordercare::testing::on_postgres() ? 1 : 2);
}

TEST_F(WriterTest, AJobFailingWithANonFailureExceptionIsContainedToo) {
  Outcome a, b;
  std::vector<Job> jobs;
  jobs.push_back(job_that([](JobContext &ctx) {
    auto e = event("a");
    ctx.store.events().append(e);
    throw std::runtime_error("bug");
  }, a));
  jobs.push_back(appending("b", b));
  writer_.run_batch(jobs);
  EXPECT_EQ(a.status, OC_ERR_INTERNAL);
  EXPECT_EQ(b.status, OC_OK);
  EXPECT_FALSE(stored("a"));
  EXPECT_TRUE(stored("b"));
}

TEST_F(WriterTest, ACommitFailureFailsEveryJobAndKeepsNothing) {
  Outcome a, b, c;
  std::vector<Job> jobs;
  jobs.push_back(appending("a", a));
  jobs.push_back(job_that([](JobContext &) { fail(OC_ERR_SCHEMA, "b: bad"); }, b));
  jobs.push_back(appending("c", c));
  store_.fail_commit = true;
  writer_.run_batch(jobs);
  EXPECT_EQ(a.status, OC_ERR_STORE);
  EXPECT_EQ(a.message, "injected: commit_batch");
  EXPECT_EQ(b.status, OC_ERR_SCHEMA);  // its own failure came first
  EXPECT_EQ(c.status, OC_ERR_STORE);
  EXPECT_EQ(store_.events().count(), 0);
  EXPECT_TRUE(commits_.empty());
  EXPECT_EQ(writer_.batches(), 0u);
  EXPECT_EQ(store_.calls.back(), "rollback_batch");
  // The store is usable again for the next batch.
  store_.fail_commit = false;
  Outcome d;
  std::vector<Job> next;
  next.push_back(appending("a", d));
  writer_.run_batch(next);
  EXPECT_EQ(d.status, OC_OK);
  EXPECT_TRUE(stored("a"));
}

TEST_F(WriterTest, ABatchThatCannotBeginRunsNoJob) {
  Outcome a, b;
  bool ran = false;
  std::vector<Job> jobs;
  jobs.push_back(job_that([&](JobContext &) { ran = true; }, a));
  jobs.push_back(job_that([&](JobContext &) { ran = true; }, b));
  store_.fail_begin_batch = true;
  writer_.run_batch(jobs);
  EXPECT_FALSE(ran);
  EXPECT_EQ(a.status, OC_ERR_STORE);
  EXPECT_EQ(b.status, OC_ERR_STORE);
  EXPECT_TRUE(commits_.empty());
}

TEST_F(WriterTest, AFailedSavepointAbandonsTheWholeBatch) {
  Outcome a, b, c;
  std::vector<Job> jobs;
  jobs.push_back(appending("a", a));
  jobs.push_back(appending("b", b));
  jobs.push_back(appending("c", c));
  store_.fail_begin_job_number = 2;
  writer_.run_batch(jobs);
  EXPECT_EQ(a.status, OC_ERR_STORE);
  EXPECT_EQ(b.status, OC_ERR_STORE);
  EXPECT_EQ(c.status, OC_ERR_STORE);
  EXPECT_TRUE(a.reported && b.reported && c.reported);
  EXPECT_EQ(store_.events().count(), 0);
  EXPECT_TRUE(commits_.empty());
}

TEST_F(WriterTest, JobsAreToldOnlyAfterTheCommit) {
  std::vector<std::string> order;
  Outcome a;
  std::vector<Job> jobs;
  jobs.push_back(appending("a", a));
  jobs.back().done = [&](std::exception_ptr) {
    order = store_.calls;
    // What the job wrote is visible outside its transaction already.
    EXPECT_TRUE(stored("a"));
  };
  writer_.run_batch(jobs);
  ASSERT_FALSE(order.empty());
  EXPECT_EQ(order.back(), "commit_batch");
}

TEST_F(WriterTest, AJobCanAskToWakeTheHost) {
  Outcome a, b;
  std::vector<Job> jobs;
  jobs.push_back(appending("a", a));
  jobs.push_back(job_that([](JobContext &ctx) { ctx.wake_host = true; }, b));
  writer_.run_batch(jobs);
  EXPECT_EQ(commits_, std::vector<bool>{true});
}

Job claiming(const std::string &order_id, const std::string &id, Outcome &outcome, int &runs) {
  return job_that([order_id, id, &runs](JobContext &ctx) {
    ++runs;
    ctx.store.claim({Subject::order(order_id)});
    auto e = event(id);
    ctx.store.events().append(e);
  }, outcome);
}

TEST_F(WriterTest, AJobThatWouldWaitForAClaimStartsTheNextBatchAfterTheOthersCommit) {
  Outcome a, b, c;
  int a_runs = 0, b_runs = 0, c_runs = 0;
  store_.contended["order:B"] = 1;
  std::vector<Job> jobs;
  jobs.push_back(claiming("A", "a", a, a_runs));
  jobs.push_back(claiming("B", "b", b, b_runs));
  jobs.push_back(claiming("C", "c", c, c_runs));
  bool a_told_before_b_ran_again = false;
  jobs[0].done = [&](std::exception_ptr failure) {
    a.reported = true;
    a.status = failure ? OC_ERR_INTERNAL : OC_OK;
    a_told_before_b_ran_again = b_runs == 1 && stored("a");
  };
  writer_.run_batch(jobs);
  for (const Outcome *o : {&a, &b, &c}) {
    EXPECT_TRUE(o->reported);
    EXPECT_EQ(o->status, OC_OK) << o->message;
  }
  EXPECT_TRUE(a_told_before_b_ran_again) << "a commits and is told before b runs again";
  EXPECT_EQ(a_runs, 1);
  EXPECT_EQ(b_runs, 2);
  EXPECT_EQ(c_runs, 1);
  EXPECT_EQ(store_.events().count(), 3);
  EXPECT_EQ(writer_.batches(), 2u);
  EXPECT_EQ(writer_.jobs(), 3u);
  EXPECT_EQ(std::count(store_.calls.begin(), store_.calls.end(), "commit_batch"), 2);
}

// A job that claims a subject another node holds after it wrote: its writes
// go with the transaction's, the jobs before it commit on their own, and it
// starts the next transaction.
TEST_F(WriterTest, AJobContendedAfterWritingStartsTheNextBatch) {
  Outcome a, b, c;
  int a_runs = 0, b_runs = 0, c_runs = 0;
  store_.contended["order:B"] = 1;
  std::vector<Job> jobs;
  jobs.push_back(claiming("A", "a", a, a_runs));
  jobs.push_back(job_that([&](JobContext &ctx) {
    ++b_runs;
    auto e = event("b");
    ctx.store.events().append(e);
    ctx.store.claim({Subject::order("B")});
  }, b));
  jobs.push_back(claiming("C", "c", c, c_runs));
  writer_.run_batch(jobs);
  for (const Outcome *o : {&a, &b, &c}) {
    EXPECT_TRUE(o->reported);
    EXPECT_EQ(o->status, OC_OK) << o->message;
  }
  EXPECT_EQ(b_runs, 2);
  EXPECT_EQ(c_runs, 1);
  EXPECT_EQ(store_.events().count(), 3);
  EXPECT_EQ(writer_.batches(), 2u);
}

TEST_F(WriterTest, AFirstJobThatLosesADeadlockRunsAgainInANewTransaction) {
  Outcome a, b;
  int a_runs = 0, b_runs = 0;
  store_.contended["order:A"] = 2;
  std::vector<Job> jobs;
  jobs.push_back(claiming("A", "a", a, a_runs));
  jobs.push_back(claiming("B", "b", b, b_runs));
  writer_.run_batch(jobs);
  EXPECT_EQ(a.status, OC_OK) << a.message;
  EXPECT_EQ(b.status, OC_OK) << b.message;
  EXPECT_EQ(a_runs, 3);
  EXPECT_EQ(b_runs, 1);
  EXPECT_EQ(store_.events().count(), 2);
  EXPECT_EQ(std::count(store_.calls.begin(), store_.calls.end(), "rollback_batch"), 2);
  EXPECT_EQ(writer_.batches(), 1u);
}

TEST_F(WriterTest, AFirstJobThatKeepsLosingFailsBusyAndTheNextJobsStillRun) {
  Outcome a, b;
  int a_runs = 0, b_runs = 0;
  store_.contended["order:A"] = 1000;
  std::vector<Job> jobs;
  jobs.push_back(claiming("A", "a", a, a_runs));
  jobs.push_back(claiming("B", "b", b, b_runs));
  writer_.run_batch(jobs);
  EXPECT_EQ(a.status, OC_ERR_BUSY);
  EXPECT_NE(a.message.find("try again"), std::string::npos) << a.message;
  EXPECT_GT(a_runs, 1);
  EXPECT_LT(a_runs, 20) << "bounded";
  EXPECT_FALSE(stored("a"));
  EXPECT_EQ(b.status, OC_OK) << b.message;
  EXPECT_TRUE(stored("b"));
}

}  // namespace
}  // namespace ordercare::runtime
