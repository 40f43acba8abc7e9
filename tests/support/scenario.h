// A plugin opened on a temporary directory with a virtual clock, and terse
// builders for canonical events, so a scenario test reads like the playbook
// it checks: events in, then cases, priorities, escalations and effects out.
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
#include "support/temp_dir.h"

namespace ordercare::runtime {
class Plugin;
}
namespace ordercare::store {
class Store;
struct StoreConfig;
}

namespace ordercare::testing {

// 2026-11-20T09:00:00Z, a Friday.
inline constexpr TimeMs kScenarioStart = 1'795'165'200'000;

struct CustomerSpec {
  CustomerSpec(std::string id_, std::string name_ = "", std::vector<std::string> tags_ = {},
               std::string email_ = "", std::string phone_ = "")
      : id(std::move(id_)), name(std::move(name_)), tags(std::move(tags_)), email(std::move(email_)),
        phone(std::move(phone_)) {}
  std::string id;
  std::string name;
  std::vector<std::string> tags;
  std::string email;
  std::string phone;
};

struct LineSpec {
  LineSpec(std::string sku_, std::int64_t unit_price_ = 2500, std::int64_t quantity_ = 1,
           std::string name_ = "", std::string line_id_ = "")
      : sku(std::move(sku_)), unit_price(unit_price_), quantity(quantity_), name(std::move(name_)),
        line_id(std::move(line_id_)) {}
  std::string sku;
  std::int64_t unit_price;  // minor units
  std::int64_t quantity;
  std::string name;     // product name, optional
  std::string line_id;  // "L1", "L2"... by position when empty
};

// Optional parts of the events, set fluently:
//   OrderOptions().in("JPY").with_total(500).promised(now + kDayMs)
struct OrderOptions {
  std::string currency = "USD";
  std::optional<std::int64_t> total;  // the sum of the lines when absent
  std::vector<LineSpec> items;        // one line of SKU-<order id> when empty
  std::optional<TimeMs> promised_by;
  std::string channel = "web";
  std::string number;
  Json shipping_address = nullptr;
  std::string note;

  OrderOptions &in(std::string c) { currency = std::move(c); return *this; }
  OrderOptions &with_total(std::int64_t t) { total = t; return *this; }
  OrderOptions &with_items(std::vector<LineSpec> lines) { items = std::move(lines); return *this; }
  OrderOptions &promised(TimeMs at) { promised_by = at; return *this; }
  OrderOptions &via(std::string c) { channel = std::move(c); return *this; }
  OrderOptions &numbered(std::string n) { number = std::move(n); return *this; }
  OrderOptions &ship_to(Json address) { shipping_address = std::move(address); return *this; }
  OrderOptions &with_note(std::string n) { note = std::move(n); return *this; }
};

struct UpdateOptions {
  std::optional<TimeMs> promised_by;
  std::optional<std::int64_t> total;
  std::optional<std::vector<LineSpec>> items;

  UpdateOptions &promised(TimeMs at) { promised_by = at; return *this; }
  UpdateOptions &with_total(std::int64_t t) { total = t; return *this; }
  UpdateOptions &with_items(std::vector<LineSpec> lines) { items = std::move(lines); return *this; }
};

struct ShipmentOptions {
  std::string carrier;
  std::string tracking_number;
  std::optional<TimeMs> eta;
  std::string reason;

  ShipmentOptions &tracked(std::string by, std::string number) {
    carrier = std::move(by);
    tracking_number = std::move(number);
    return *this;
  }
  ShipmentOptions &due(TimeMs at) { eta = at; return *this; }
  ShipmentOptions &because(std::string why) { reason = std::move(why); return *this; }
};

struct MessageOptions {
  std::optional<bool> is_public;
  std::optional<std::int64_t> audience;

  MessageOptions &in_public(bool p = true) { is_public = p; return *this; }
  MessageOptions &followers(std::int64_t n) { audience = n; return *this; }
};

struct ReturnLine {
  ReturnLine(std::string line_id_, std::string reason_ = "changed_mind", std::int64_t quantity_ = 1,
             std::string note_ = "", std::string condition_ = "")
      : line_id(std::move(line_id_)), reason(std::move(reason_)), quantity(quantity_), note(std::move(note_)),
        condition(std::move(condition_)) {}
  std::string line_id;
  std::string reason;
  std::int64_t quantity;
  std::string note;
  std::string condition;  // as the customer reports it ("used", "unopened"), optional
};

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

class Scenario {
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
  TimeMs now() const { return now_.load(); }
  void advance(TimeMs by) { now_ += by; }
  void set_now(TimeMs at) { now_ = at; }

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

  // Event builders: the whole canonical event, not yet submitted.
  Json order_created(const std::string &order_id, const CustomerSpec &customer, OrderOptions options = {});
  Json order_updated(const std::string &order_id, const std::string &status, UpdateOptions options = {});
  Json shipment(const std::string &order_id, const std::string &shipment_id, const std::string &status,
                ShipmentOptions options = {});
  Json message(const CustomerSpec &customer, const std::optional<std::string> &order_id,
               const std::string &channel, const std::string &text, MessageOptions options = {});
  Json cancellation(const std::string &order_id, const std::string &reason = "",
                    const std::string &channel = "");
  Json change(const std::string &order_id, const std::string &change, Json details = nullptr);
  Json pickup(const std::string &order_id, const std::string &store_id, bool customer_waiting);
  Json payment_failed(const std::string &order_id, std::int64_t amount, const std::string &currency = "USD",
                      const std::string &reason = "");
  Json payment_disputed(const std::string &order_id, std::int64_t amount, const std::string &currency = "USD",
                        const std::string &reason = "", const std::string &dispute_id = "");
  Json inventory_discrepancy(const std::string &sku, const std::string &location, std::int64_t system_count,
                             std::int64_t physical_count, const std::string &reported_by = "warehouse");
  Json return_requested(const std::string &order_id, std::vector<ReturnLine> items,
                        const std::string &return_id = "");
  Json return_received(const std::string &return_id, Json items, const std::string &location = "");
  Json refund_result(const std::string &refund_id, const std::string &status, std::optional<std::int64_t> amount = {});

  // A fresh event id ("ev-<n>").
  std::string next_id();

  // Submits an event; returns {status, event_id, cases, effects}. Throws
  // Failure if it is refused.
  Json submit(const Json &event);
  Json submit_raw(const std::string &bytes);
  CallError submit_error(const Json &event);

  Json call(const std::string &method, const Json &args = Json::object());
  Json call_raw(const std::string &method, const std::string &args_bytes);
  // The status and message of a call that should fail; a call that succeeds
  // is reported as a test failure and returns OC_OK.
  CallError error(const std::string &method, const Json &args = Json::object());
  CallError error_raw(const std::string &method, const std::string &args_bytes);

  // Queries over the case engine.
  Json cases(Json filters = Json::object());  // every page of cases.list
  Json cases_of_order(const std::string &order_id);
  // The one case of an order (a test failure if there is not exactly one).
  Json only_case(const std::string &order_id);
  Json get_case(const std::string &case_id);  // case.get
  Json escalations(Json filters = Json::object());  // escalations.log rows
  // Effects of a case as case.get lists them: [{id, kind, status, attempts}].
  Json effects_of(const std::string &case_id);
  // The templates a case's notify effects carry, from its log, in order
  // ("team:warehouse:team_cs_request", "customer:complaint_acknowledgement").
  std::vector<std::string> notices_of(const std::string &case_id);
  // Every effect id any submit or call of this scenario reported queued.
  const std::vector<std::string> &queued_effects() const { return queued_; }

  // Returns, refunds and the outbox.
  Json get_return(const std::string &return_id);  // return.get
  Json returns(Json filters = Json::object());    // every page of returns.list
  Json effects(Json filters = Json::object());    // every page of effects.list
  // One row of effects.list by id (a test failure and null if absent).
  Json effect(const std::string &effect_id);

  // oc_poll: runs due host callbacks here; the number run. poll_all()
  // polls like a host's event loop: again while a poll ran something or
  // the wake-up fd asks for it (at most `rounds` times).
  std::uint32_t poll(std::uint32_t max_callbacks = 64);
  std::uint32_t poll_all(int rounds = 100);
  int wakeup_fd() const;
  // Whether oc_wakeup_fd() is readable once every commit so far has had its
  // say (deterministic: it waits for nothing).
  bool wakeup_signalled();

  runtime::Plugin &plugin() { return *plugin_; }

 private:
  friend struct ScenarioAccess;  // the callback trampolines reach test_host_
  void open(const Json &config);
  Json stamp(Json event, const std::string &type, Json data);
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
  std::int64_t next_event_ = 0;
  std::vector<std::string> queued_;
};

// Helpers for expectations on JSON arrays of strings.
bool contains(const Json &array, const std::string &value);
std::vector<std::string> strings_of(const Json &array);
// The "id" of each object of a listing (cases, effects, returns), in order.
std::vector<std::string> ids_of(const Json &rows);
std::vector<std::string> sorted(std::vector<std::string> v);

}  // namespace ordercare::testing
