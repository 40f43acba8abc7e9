// Who holds an outbox claim on a SQLite store, and whether that process
// still runs (store/sqlite/store_file.h). Processes of a pool open the
// store while their neighbours are killed and reaped; asking about one
// that ends mid-question must answer "not running", never fail the open.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <string>
#include <thread>

#include "store/sqlite/store_file.h"

namespace {

using namespace ordercare::store::sqlite;

// This process's claimant with another pid and start time: the claimant
// that process would have made on this host.
std::string claimant_of(pid_t pid, const std::string &start) {
  const std::string mine = local_claimant();
  const auto last = mine.rfind(':');
  const auto start_at = mine.rfind(':', last - 1);
  const auto pid_at = mine.rfind(':', start_at - 1);
  return mine.substr(0, pid_at) + ":" + std::to_string(pid) + ":" + start + mine.substr(last);
}

pid_t child_that_waits() {
  const pid_t pid = ::fork();
  if (pid == 0) {
    ::pause();
    ::_exit(0);
  }
  return pid;
}

TEST(Claimant, ThisProcessIsAlive) {
  EXPECT_FALSE(process_start_time(std::to_string(::getpid())).empty());
  EXPECT_TRUE(local_claimant_alive(local_claimant()));
}

TEST(Claimant, AChildIsAliveUntilItIsReapedAndAReusedPidIsNotIt) {
  const pid_t child = child_that_waits();
  ASSERT_GT(child, 0);
  const std::string start = process_start_time(std::to_string(child));
  ASSERT_FALSE(start.empty());
  EXPECT_TRUE(local_claimant_alive(claimant_of(child, start)));
  // The same pid started at another time is another process.
  EXPECT_FALSE(local_claimant_alive(claimant_of(child, start + "1")));
  ::kill(child, SIGKILL);
  ::waitpid(child, nullptr, 0);
  EXPECT_EQ(process_start_time(std::to_string(child)), "");
  EXPECT_FALSE(local_claimant_alive(claimant_of(child, start)));
}

TEST(Claimant, AClaimantOfAnotherHostOrUnreadableCountsAsAlive) {
  EXPECT_TRUE(local_claimant_alive("elsewhere.example:1:2:ab"));
  EXPECT_TRUE(local_claimant_alive("no-pid-here"));
  EXPECT_TRUE(local_claimant_alive(claimant_of(1, "x").substr(0, 3)));
}

// A process reaped between the open() and the read() of its /proc file:
// read() fails with ESRCH. Before, the file was read through an ifstream,
// whose buffer throws on that, and oc_open failed with "internal error:
// basic_filebuf::underflow error reading the file: No such process" (seen
// in the shared-store crash test). One thread asks about each child until
// it is gone while another kills and reaps it.
TEST(Claimant, AskingAboutAProcessReapedMidQuestionAnswersNotRunning) {
  constexpr int kChildren = 60;
  int asked = 0;
  for (int i = 0; i < kChildren; ++i) {
    const pid_t child = child_that_waits();
    ASSERT_GT(child, 0);
    const std::string start = process_start_time(std::to_string(child));
    ASSERT_FALSE(start.empty());
    const std::string claimant = claimant_of(child, start);
    std::atomic<bool> asking{false};
    std::thread reaper([&] {
      while (!asking.load()) std::this_thread::yield();
      ::kill(child, SIGKILL);
      ::waitpid(child, nullptr, 0);
    });
    bool alive = true;
    bool threw = false;
    for (int round = 0; alive && round < 1000000; ++round) {
      asking.store(true);
      try {
        alive = local_claimant_alive(claimant);
      } catch (const std::exception &e) {
        ADD_FAILURE() << "child " << i << ", round " << round << ": " << e.what();
        threw = true;
        break;
      }
      ++asked;
    }
    reaper.join();
    if (threw) return;
    EXPECT_FALSE(alive) << "child " << i << " still counts as running once reaped";
  }
  std::printf("asked %d times about %d children reaped meanwhile\n", asked, kChildren);
}

}  // namespace
