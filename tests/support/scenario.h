// A plugin opened on a temporary directory with a virtual clock, and terse
// builders for canonical events (support/case_world.h), so a scenario test
// reads like the playbook it checks: events in, then cases, priorities,
// escalations and effects out.
//
//   Scenario s;
//   s.submit(s.order_created("A", CustomerSpec("c1", "Ann", {"vip"})));
//   s.submit(s.message(CustomerSpec("c1"), "A", "email", "The lamp arrived broken"));
//   Json c = s.only_case("A");
//   EXPECT_EQ(c["priority"], "P1");
//
// Every builder stamps occurred_at with the current virtual time and gives
// the event a fresh id ("ev-<n>"). Calls return the result JSON and throw
// Failure on error (gtest reports the message); error() returns the status
// and message of a call that is expected to fail.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "common/json.h"
#include "common/time_format.h"
#include "ordercare.h"
#include "support/case_world.h"
#include "support/temp_dir.h"

namespace ordercare::runtime {
class Plugin;
}
namespace ordercare::store {
class Store;
struct StoreConfig;
}

namespace ordercare::testing {

// One request the plugin made of the host (refund, adjust_inventory, notify
// or lookup_order), as the host's callback saw it.
struct HostRequest {
  std::string kind;
  std::string key;  // the idempotency key
  std::uint32_t attempt = 0;
  Json body;  // the request JSON, parsed
  std::thread::id thread;  // where the callback ran
};

// How a test host answers one request: an oc_outcome (or any other number,
// to play a host that answers nonsense) and the JSON object it attaches
// with oc_reply_set (null for none).
struct HostReply {
  std::int32_t outcome = OC_OUTCOME_DONE;
  Json reply = nullptr;
};

struct HostLogLine {
  std::int32_t level = 0;
  std::string message;
  std::thread::id thread;
};

// A host whose callbacks are test code. Each kind answers DONE until told
// otherwise with on(); without() leaves that member of oc_host NULL, and
// on() gives it back: the table is read at each (re)open of the Scenario.
// order_action (ABI 1.3) starts NULL, so the scenarios written before it
// meet the host they were written for: on("order_action", ...) gives it.
// Every request and log line is recorded.
// Thread-safe: with OC_OPEN_CALLBACKS_ON_PLUGIN_THREAD the callbacks run on
// the plugin's thread while the test reads what was recorded.
class TestHost {
 public:
  using Responder = std::function<HostReply(const HostRequest &)>;

  TestHost &on(const std::string &kind, Responder responder);
  TestHost &without(const std::string &kind);
  bool has(const std::string &kind) const;

  // What was asked, in order; `kind` empty for every kind.
  std::vector<HostRequest> requests(const std::string &kind = "") const;
  std::vector<HostLogLine> logs() const;
  void forget();  // clears the records, keeps the responders

  // The trampolines' entry points.
  HostReply handle(const std::string &kind, const oc_request &request);
  void log(std::int32_t level, const char *message, std::size_t len);

 private:
  mutable std::mutex mutex_;
  std::map<std::string, Responder> responders_;
  std::set<std::string> missing_{"order_action"};
  std::vector<HostRequest> requests_;
  std::vector<HostLogLine> logs_;
};

// What a failed call or submit reported.
struct CallError {
  oc_status status = OC_OK;
  std::string message;
};

struct ScenarioAccess;

class Scenario : public CaseWorld {
 public:
  // `config` is the plugin's config; the harness fills in what it leaves
  // out: the store path in the temp directory, durability "normal", and no
  // master key from the environment.
  explicit Scenario(Json config = Json::object(), TimeMs start = kScenarioStart);
  // The same with `host` behind the callbacks (it must outlive the
  // scenario) and oc_open flags (OC_OPEN_CALLBACKS_ON_PLUGIN_THREAD).
  // `open_store`, when given, opens the store at each (re)open instead of
  // store::open_store (support/fault_store.h wraps it to inject faults).
  using StoreOpener = std::function<std::unique_ptr<store::Store>(const store::StoreConfig &)>;
  explicit Scenario(TestHost &host, Json config = Json::object(), TimeMs start = kScenarioStart,
                    std::uint32_t flags = 0, StoreOpener open_store = {});
  ~Scenario();
  Scenario(const Scenario &) = delete;
  Scenario &operator=(const Scenario &) = delete;

  // The virtual clock the plugin reads through oc_host.now_ms.
  TimeMs now() const override { return now_.load(); }
  void advance(TimeMs by) override { now_ += by; }
  void set_now(TimeMs at) override { now_ = at; }

  // Closes the plugin and opens it again on the same store, optionally with
  // another config (completed like the constructor's). A
  // failure to open throws Failure and leaves the scenario closed.
  void reopen(std::optional<Json> config = std::nullopt);
  void close();
  // What opening with `config` on this store reports (OC_OK if it opens;
  // the scenario is then open with that config).
  CallError reopen_error(const Json &config);

  const TempDir &dir() const { return dir_; }
  // The SQLite store (support/test_store.h: a test may run on PostgreSQL).
  std::string db_path() const { return dir_.file("ordercare.db"); }
  // The store file and its WAL, as raw bytes (for "no plaintext PII" tests;
  // SQLite only).
  std::string raw_store_bytes() const;
  // The "store" section this scenario opens with (the same on reopen).
  const Json &store_section() const { return store_section_; }

  // Submits an event; returns {status, event_id, cases, effects}. Throws
  // Failure if it is refused.
  Json submit(const Json &event) override;
  Json submit_raw(const std::string &bytes);
  CallError submit_error(const Json &event);

  Json call(const std::string &method, const Json &args = Json::object()) override;
  Json call_raw(const std::string &method, const std::string &args_bytes);
  // The status and message of a call that should fail; a call that succeeds
  // is reported as a test failure and returns OC_OK.
  CallError error(const std::string &method, const Json &args = Json::object());
  CallError error_raw(const std::string &method, const std::string &args_bytes);

  // oc_poll: runs due host callbacks here; the number run. poll_all()
  // polls like a host's event loop: again while a poll ran something or
  // the wake-up fd asks for it (at most `rounds` times).
  std::uint32_t poll(std::uint32_t max_callbacks = 64) override;
  std::uint32_t poll_all(int rounds = 100);
  int wakeup_fd() const;
  // Whether oc_wakeup_fd() is readable once every commit so far has had its
  // say (deterministic: it waits for nothing).
  bool wakeup_signalled();

  runtime::Plugin &plugin() { return *plugin_; }

 private:
  friend struct ScenarioAccess;  // the callback trampolines reach test_host_
  void open(const Json &config);
  static std::int64_t host_now(void *user_data);
  void fill_test_host();

  TempDir dir_;
  // Atomic: with callbacks on the plugin thread, the plugin reads the clock
  // there while the test moves it.
  std::atomic<TimeMs> now_;
  Json config_;
  Json store_section_;
  TestHost *test_host_ = nullptr;
  std::uint32_t flags_ = 0;
  StoreOpener open_store_;
  oc_host host_{};
  std::unique_ptr<runtime::Plugin> plugin_;
};

}  // namespace ordercare::testing
