// Running refund_crash_driver from a test: one process, or several side by
// side on one store, each killed with SIGKILL after a delay or left to
// kill itself inside a callback, its output read as it comes.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <string>
#include <utility>
#include <vector>

namespace ordercare::testing {

using SteadyClock = std::chrono::steady_clock;

struct DriverArgs {
  DriverArgs(std::string store_, std::string ledger_, std::string steps_, long from_)
      : store(std::move(store_)), ledger(std::move(ledger_)), steps(std::move(steps_)), from(from_) {}
  std::string store, ledger, steps;  // store: a SQLite path, unused when config is set
  long from = 0;
  std::string config;            // the whole plugin config as JSON | "" (a SQLite store at `store`)
  std::string share;             // "K/N" | ""
  bool end_exit = false;         // --end exit: no end of the day, no dump
  std::string kill_in_callback;  // "N:before" | "N:after" | ""
  std::string faults;            // "SEED:RATE" | ""
  std::string outbox = "{}";
  std::string dump;                         // where the driver writes the store once quiet
  std::chrono::milliseconds kill_after{0};  // 0: never
  bool after_ready = false;                 // count kill_after from "ready" (the store is open), not from the start
};

struct DriverAck {
  long step = 0;
  std::string outcome;
  SteadyClock::time_point seen;
};

// "busy <what> <retries> <calls> <message>": the store answered
// OC_ERR_BUSY while the driver ran a step (what is its number), opened
// ("open") or ended its day ("end"), and the driver tried again.
struct DriverBusy {
  std::string what;
  long retries = 0;
  std::string calls;    // "poll=3,submit=12": the retries by ABI call
  std::string message;  // the last OC_ERR_BUSY's
  SteadyClock::time_point seen;
};

struct DriverRun {
  bool ready = false;
  bool quiet = false;  // the end of the day ran and the outbox went quiet
  bool done = false;   // --end exit: every step of its share ran
  std::string died;    // "before applying" | "after applying" when it killed itself in a callback
  std::vector<DriverAck> acked;
  std::vector<DriverBusy> busy;
  long busy_retries = 0;
  // Answers the plugin dropped because the lease had run out and another
  // process had claimed the effect again (its log, on stderr).
  long leases_lost = 0;
  bool killed = false;  // by SIGKILL (ours or its own)
  int exit_status = -1;
  std::string stderr_tail;
};

// One running driver. Its output is read by pump(); the lines it completed
// are in run() as they arrive, with the time they were read.
class DriverProcess {
 public:
  explicit DriverProcess(const DriverArgs &args);
  // Kills and reaps a driver still running.
  ~DriverProcess();
  DriverProcess(const DriverProcess &) = delete;
  DriverProcess &operator=(const DriverProcess &) = delete;

  // Reads what the drivers wrote, waiting up to max_wait_ms (-1: until
  // something comes) or until the next kill one of them is due; sends the
  // kills that are due.
  static void pump(const std::vector<DriverProcess *> &drivers, int max_wait_ms);
  // Until it has exited: its output closed and the process reaped.
  bool finished();
  void kill_now();
  // What it said so far; complete (exit status included) once finished().
  const DriverRun &run() const { return run_; }

 private:
  void take(const char *bytes, std::size_t n, bool from_stdout);
  void line(const std::string &text);
  int wait_ms() const;  // until its kill is due; -1 without one
  void kill_if_due();

  DriverArgs args_;
  pid_t pid_ = -1;
  int out_ = -1, err_ = -1;
  SteadyClock::time_point started_;
  bool sent_kill_ = false;
  bool reaped_ = false;
  std::string partial_, partial_err_, errors_;
  DriverRun run_;
};

// Runs one driver to its end (or its kill) and returns what it said.
DriverRun run_driver(const DriverArgs &args);

}  // namespace ordercare::testing
