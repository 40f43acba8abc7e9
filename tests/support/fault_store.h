// Faults at every store call, SQLite style. A FaultInjector wraps the real
// stores a plugin opens (the Scenario's store_opener, runtime::Plugin's
// seam) in a decorator over store::Store and each of its parts (EventLog,
// StateStore, ReportStore, Outbox), so every call counts, reads included,
// and the opening itself is call "open". A test counts the calls of one
// clean run, then runs again with call N failing, for N = 1..total:
//
//   FaultInjector faults;
//   Scenario s(host, config, kScenarioStart, 0, faults.opener());
//   faults.fail_at(120, Fault::disk);  // call 120 throws Failure(OC_ERR_STORE)
//
// A faulty call throws before it reaches the store, as a disk that refuses
// a write or a server that cannot be reached; except a rollback, which
// goes through and then throws: a transaction ends whatever its ROLLBACK
// reports (SQLite's after an I/O error, PostgreSQL's with its connection
// gone), and a store left inside one is not a fault a disk can cause.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "ordercare.h"
#include "store/report_store.h"
#include "store/store.h"

namespace ordercare::testing {

enum class Fault {
  disk,  // Failure(OC_ERR_STORE), as a full disk or an I/O error
  busy,  // Failure(OC_ERR_BUSY), as a lock held past busy_timeout
  nomem  // std::bad_alloc, which the boundary reports as OC_ERR_NOMEM
};

// The status a host sees for the fault, and its name for messages.
oc_status status_of(Fault fault);
const char *name_of(Fault fault);

using StoreOpener = std::function<std::unique_ptr<store::Store>(const store::StoreConfig &)>;

// Counts the calls of every store it opened, across reopens, and fails the
// ones armed. Thread-safe: the plugin thread calls the stores while the
// test arms and reads.
class FaultInjector {
 public:
  struct Injected {
    std::uint64_t call = 0;
    std::string name;  // "events.append", "begin_batch", "open"...
    Fault fault = Fault::disk;
  };

  // Call number `call` (from 1, over every store opened so far) fails with
  // `fault`, once. Several calls may be armed.
  void fail_at(std::uint64_t call, Fault fault = Fault::disk);
  void disarm();

  std::uint64_t calls() const;
  // The name of each call counted so far, in order (name(n) for call n).
  std::vector<std::string> names() const;
  std::string name(std::uint64_t call) const;
  std::vector<Injected> injected() const;

  // While one is alive, calls are forwarded and neither counted nor
  // failed: the test's own look at the store between the steps it counts.
  class Pause {
   public:
    explicit Pause(FaultInjector &injector);
    ~Pause();
    Pause(const Pause &) = delete;
    Pause &operator=(const Pause &) = delete;

   private:
    FaultInjector &injector_;
  };

  // Opens the real store (store::open_store) and wraps it.
  StoreOpener opener();
  std::unique_ptr<store::Store> wrap(std::unique_ptr<store::Store> real);

  // The decorators' entry: counts `call` and throws if it is armed.
  void enter(const char *call);

 private:
  mutable std::mutex mutex_;
  std::uint64_t calls_ = 0;
  int paused_ = 0;
  std::vector<const char *> names_;  // string literals
  std::map<std::uint64_t, Fault> armed_;
  std::vector<Injected> injected_;
};

}  // namespace ordercare::testing
