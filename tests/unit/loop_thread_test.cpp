#include "runtime/loop_thread.h"

#include <gtest/gtest.h>
#include <pthread.h>

#include <atomic>
#include <condition_variable>
#include <future>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "common/failure.h"

namespace ordercare::runtime {
namespace {

// Runs each job of a batch and records the batch sizes, as the writer would.
struct Recorder {
  std::mutex mutex;
  std::vector<std::size_t> batch_sizes;
  std::atomic<int> ran{0};

  LoopThread::BatchHandler handler() {
    return [this](std::vector<Job> &jobs) {
      {
        std::lock_guard<std::mutex> lock(mutex);
        batch_sizes.push_back(jobs.size());
      }
      // These jobs carry no work, only `done`; the writer's tests cover work.
      for (auto &job : jobs)
        if (job.done) job.done(nullptr);
    };
  }
};

Job counting(std::atomic<int> &counter) {
  Job job;
  job.done = [&counter](std::exception_ptr) { ++counter; };
  return job;
}

// A gate the loop thread waits at, so a test can queue jobs behind it.
struct Gate {
  std::mutex mutex;
  std::condition_variable cv;
  bool open = false;
  std::promise<void> reached;

  Job job() {
    Job j;
    j.done = [this](std::exception_ptr) {
      reached.set_value();
      std::unique_lock<std::mutex> lock(mutex);
      cv.wait(lock, [this] { return open; });
    };
    return j;
  }
  void release() {
    std::lock_guard<std::mutex> lock(mutex);
    open = true;
    cv.notify_all();
  }
};

TEST(LoopThread, PostBeforeStartIsRefused) {
  Recorder recorder;
  LoopThread loop(recorder.handler());
  std::atomic<int> done{0};
  EXPECT_FALSE(loop.post(counting(done)));
}

TEST(LoopThread, PostAfterStopIsRefused) {
  Recorder recorder;
  LoopThread loop(recorder.handler());
  loop.start(nullptr, nullptr);
  std::atomic<int> done{0};
  EXPECT_TRUE(loop.post(counting(done)));
  loop.stop();
  EXPECT_EQ(done, 1);
  EXPECT_FALSE(loop.post(counting(done)));
  EXPECT_EQ(done, 1);
  loop.stop();  // a second stop is harmless
}

TEST(LoopThread, JobsPostedFromManyThreadsAllRunOnce) {
  constexpr int kThreads = 8, kPerThread = 250;
  Recorder recorder;
  LoopThread loop(recorder.handler());
  loop.start(nullptr, nullptr);
  std::mutex seen_mutex;
  std::multiset<int> seen;
  std::vector<std::thread> threads;
  std::atomic<int> refused{0};
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kPerThread; ++i) {
        Job job;
        const int tag = t * kPerThread + i;
        job.done = [&seen, &seen_mutex, tag](std::exception_ptr) {
          std::lock_guard<std::mutex> lock(seen_mutex);
          seen.insert(tag);
        };
        if (!loop.post(std::move(job))) ++refused;
      }
    });
  }
  for (auto &t : threads) t.join();
  loop.stop();
  EXPECT_EQ(refused, 0);
  ASSERT_EQ(seen.size(), static_cast<std::size_t>(kThreads * kPerThread));
  for (int tag = 0; tag < kThreads * kPerThread; ++tag) ASSERT_EQ(seen.count(tag), 1u) << tag;
  std::size_t total = 0;
  for (auto n : recorder.batch_sizes) total += n;
  EXPECT_EQ(total, static_cast<std::size_t>(kThreads * kPerThread));
}

TEST(LoopThread, StopRunsWhatIsQueued) {
  Recorder recorder;
  LoopThread loop(recorder.handler());
  loop.start(nullptr, nullptr);
  Gate gate;
  std::atomic<int> done{0};
  ASSERT_TRUE(loop.post(gate.job()));
  gate.reached.get_future().wait();
  for (int i = 0; i < 100; ++i) ASSERT_TRUE(loop.post(counting(done)));
  std::thread stopper([&] { loop.stop(); });
  gate.release();
  stopper.join();
  EXPECT_EQ(done, 100);
}

TEST(LoopThread, JobsQueuedDuringABatchAreHandedOverTogether) {
  Recorder recorder;
  LoopThread loop(recorder.handler());
  loop.start(nullptr, nullptr);
  Gate gate;
  std::atomic<int> done{0};
  ASSERT_TRUE(loop.post(gate.job()));
  gate.reached.get_future().wait();
  for (int i = 0; i < 10; ++i) ASSERT_TRUE(loop.post(counting(done)));
  gate.release();
  loop.stop();
  EXPECT_EQ(done, 10);
  // Group commit: the ten jobs that waited form one batch.
  ASSERT_EQ(recorder.batch_sizes.size(), 2u);
  EXPECT_EQ(recorder.batch_sizes[0], 1u);
  EXPECT_EQ(recorder.batch_sizes[1], 10u);
}

TEST(LoopThread, BatchesAreCappedAtMaxBatch) {
  Recorder recorder;
  LoopThread loop(recorder.handler(), 4);
  loop.start(nullptr, nullptr);
  Gate gate;
  std::atomic<int> done{0};
  ASSERT_TRUE(loop.post(gate.job()));
  gate.reached.get_future().wait();
  for (int i = 0; i < 10; ++i) ASSERT_TRUE(loop.post(counting(done)));
  gate.release();
  loop.stop();
  EXPECT_EQ(done, 10);
  EXPECT_EQ(recorder.batch_sizes, (std::vector<std::size_t>{1, 4, 4, 2}));
}

TEST(LoopThread, HooksRunOnTheLoopThreadAroundTheJobs) {
  Recorder recorder;
  LoopThread loop(recorder.handler());
  std::vector<std::string> events;
  std::mutex mutex;
  auto note = [&](const char *what, bool on_loop) {
    std::lock_guard<std::mutex> lock(mutex);
    events.push_back(std::string(what) + (on_loop ? "@loop" : "@other"));
  };
  loop.start([&] { note("start", loop.in_loop_thread()); },
             [&] { note("stop", loop.in_loop_thread()); });
  EXPECT_FALSE(loop.in_loop_thread());
  Job job;
  job.done = [&](std::exception_ptr) { note("job", loop.in_loop_thread()); };
  ASSERT_TRUE(loop.post(std::move(job)));
  loop.stop();
  EXPECT_EQ(events, (std::vector<std::string>{"start@loop", "job@loop", "stop@loop"}));
}

// uv_loop_close is checked (issue 16, point 4): a loop whose hooks closed
// everything closes cleanly; a handle on_stop forgot is closed by stop()
// and counted, not leaked (ASan's leak check runs this too).
TEST(LoopThread, StopClosesTheLoopAndCountsAHandleLeftOpen) {
  Recorder recorder;
  LoopThread tidy(recorder.handler());
  tidy.start(nullptr, nullptr);
  tidy.stop();
  EXPECT_EQ(tidy.stray_handles(), 0u);

  LoopThread forgetful(recorder.handler());
  uv_timer_t timer{};
  // Initialised, never started: an inactive handle does not keep the loop
  // running, so stop() returns and finds it still open.
  forgetful.start([&] { ASSERT_EQ(uv_timer_init(forgetful.loop(), &timer), 0); }, nullptr);
  forgetful.stop();
  EXPECT_EQ(forgetful.stray_handles(), 1u);
  EXPECT_TRUE(uv_is_closing(reinterpret_cast<uv_handle_t *>(&timer)));
}

// The handler may wait a moment for jobs still to come (a batch's next
// slice) and take them into the batch it runs; a wait nobody ends times out.
TEST(LoopThread, TheHandlerCanTakeJobsPostedWhileItRuns) {
  std::vector<std::size_t> sizes;
  std::atomic<int> done{0};
  std::promise<void> in_handler;
  std::promise<void> posted_more;
  LoopThread *self = nullptr;
  LoopThread loop([&](std::vector<Job> &jobs) {
    if (sizes.empty()) {
      in_handler.set_value();
      posted_more.get_future().wait();
      EXPECT_TRUE(self->take_more(jobs, std::chrono::steady_clock::now() + std::chrono::seconds(5)));
      const auto start = std::chrono::steady_clock::now();
      EXPECT_FALSE(self->take_more(jobs, start + std::chrono::milliseconds(20)));
      EXPECT_GE(std::chrono::steady_clock::now() - start, std::chrono::milliseconds(20));
    }
    sizes.push_back(jobs.size());
    for (auto &job : jobs) job.done(nullptr);
  });
  self = &loop;
  loop.start(nullptr, nullptr);
  auto counting = [&] {
    Job job;
    job.done = [&](std::exception_ptr) { ++done; };
    return job;
  };
  ASSERT_TRUE(loop.post(counting()));
  in_handler.get_future().wait();
  std::vector<Job> more;
  more.push_back(counting());
  more.push_back(counting());
  ASSERT_TRUE(loop.post_all(std::move(more)));
  posted_more.set_value();
  // Stopping now would end the handler's wait early: let it finish first.
  const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (done < 3 && std::chrono::steady_clock::now() < give_up) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  loop.stop();
  EXPECT_EQ(done, 3);
  EXPECT_EQ(sizes, (std::vector<std::size_t>{3}));
}

// A loop that is stopping does not keep its handler waiting.
TEST(LoopThread, StoppingEndsAWaitForMoreJobs) {
  std::promise<void> waiting;
  std::chrono::steady_clock::duration waited{};
  LoopThread *self = nullptr;
  LoopThread loop([&](std::vector<Job> &jobs) {
    waiting.set_value();
    const auto start = std::chrono::steady_clock::now();
    EXPECT_FALSE(self->take_more(jobs, start + std::chrono::seconds(30)));
    waited = std::chrono::steady_clock::now() - start;
    for (auto &job : jobs) job.done(nullptr);
  });
  self = &loop;
  loop.start(nullptr, nullptr);
  Job job;
  job.done = [](std::exception_ptr) {};
  ASSERT_TRUE(loop.post(std::move(job)));
  waiting.get_future().wait();
  loop.stop();
  EXPECT_LT(waited, std::chrono::seconds(10));
}

// An operator's `top -H` tells the writer from the host's threads.
TEST(LoopThread, TheThreadCarriesItsName) {
  Recorder recorder;
  LoopThread loop(recorder.handler());
  char name[16] = {};
  loop.start([&] { pthread_getname_np(pthread_self(), name, sizeof name); }, [] {}, "oc-test-loop");
  loop.stop();
  EXPECT_STREQ(name, "oc-test-loop");
}

TEST(LoopThread, AFailingStartHookFailsStart) {
  Recorder recorder;
  LoopThread loop(recorder.handler());
  try {
    loop.start([] { fail(OC_ERR_STORE, "port 8080 in use"); }, nullptr);
    FAIL() << "start should have failed";
  } catch (const Failure &failure) {
    EXPECT_EQ(failure.status(), OC_ERR_STORE);
    EXPECT_STREQ(failure.what(), "port 8080 in use");
  }
  std::atomic<int> done{0};
  EXPECT_FALSE(loop.post(counting(done)));
  loop.stop();
}

// The webhook server is opened by the plugin thread's start hook, and
// takes deliveries at once: what it posts then waits for the hook to end.
TEST(LoopThread, JobsPostedWhileTheStartHookRunsRunAfterIt) {
  Recorder recorder;
  LoopThread loop(recorder.handler());
  std::vector<std::string> events;
  std::mutex mutex;
  auto note = [&](const char *what) {
    std::lock_guard<std::mutex> lock(mutex);
    events.push_back(what);
  };
  loop.start(
      [&] {
        std::thread other([&] {
          Job job;
          job.done = [&](std::exception_ptr) { note("job"); };
          EXPECT_TRUE(loop.post(std::move(job)));
        });
        other.join();
        note("start");
      },
      nullptr);
  loop.stop();
  EXPECT_EQ(events, (std::vector<std::string>{"start", "job"}));
}

TEST(LoopThread, AFailingStartHookDropsWhatWasPostedDuringIt) {
  Recorder recorder;
  LoopThread loop(recorder.handler());
  std::atomic<int> done{0};
  EXPECT_THROW(loop.start(
                   [&] {
                     EXPECT_TRUE(loop.post(counting(done)));
                     fail(OC_ERR_CONFIG, "port in use");
                   },
                   nullptr),
               Failure);
  EXPECT_FALSE(loop.post(counting(done)));
  loop.stop();
  EXPECT_EQ(done, 0);
}

// The plugin thread posts answers to the server thread while oc_close
// stops it: every post is either refused or run, and none touches the
// loop after it closed (TSan and ASan watch this one).
TEST(LoopThread, PostingWhileAnotherThreadStopsTheLoopIsSafe) {
  for (int round = 0; round < 20; ++round) {
    Recorder recorder;
    LoopThread loop(recorder.handler());
    loop.start(nullptr, nullptr);
    std::atomic<int> taken{0}, ran{0};
    std::vector<std::thread> posters;
    for (int t = 0; t < 3; ++t)
      posters.emplace_back([&] {
        while (loop.post(counting(ran))) ++taken;
      });
    while (taken < 50) std::this_thread::yield();
    loop.stop();
    for (auto &poster : posters) poster.join();
    EXPECT_EQ(ran, taken);
  }
}

TEST(LoopThread, DestroyingARunningLoopStopsIt) {
  Recorder recorder;
  std::atomic<int> done{0};
  {
    LoopThread loop(recorder.handler());
    loop.start(nullptr, nullptr);
    for (int i = 0; i < 5; ++i) ASSERT_TRUE(loop.post(counting(done)));
  }
  EXPECT_EQ(done, 5);
}

}  // namespace
}  // namespace ordercare::runtime
