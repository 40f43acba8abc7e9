// What a scenario test talks to: the plugin (support/scenario.h) or the
// domain alone in memory (support/domain_harness.h). Both take canonical
// events and answer the same calls with the same JSON, so one table of
// seed scenarios (tests/unit/seed_scenarios.h) runs on either.
//
// The builders make whole canonical events: every one is stamped with the
// current time and a fresh id ("ev-<n>"). The queries are oc_call methods
// (cases.list, case.get, escalations.log, effects.list, return.get) read
// through call(), each listing paged to its end.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "common/json.h"
#include "common/time_format.h"

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

// The world a scenario runs in. Implementations give the clock, submit,
// call and poll; the builders and queries are shared.
class CaseWorld {
 public:
  virtual ~CaseWorld() = default;

  virtual TimeMs now() const = 0;
  virtual void advance(TimeMs by) = 0;
  virtual void set_now(TimeMs at) = 0;

  // Submits an event; returns {status, event_id, cases, effects}. Throws
  // Failure if it is refused.
  virtual Json submit(const Json &event) = 0;
  // An oc_call method; returns its result, throws Failure on error.
  virtual Json call(const std::string &method, const Json &args = Json::object()) = 0;
  // What oc_poll does at the current time: due SLA timers fire, and (in
  // the plugin) due host callbacks run. The number of callbacks run.
  virtual std::uint32_t poll(std::uint32_t max_callbacks = 64) = 0;

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
  // Every effect id any submit of this world reported queued.
  const std::vector<std::string> &queued_effects() const { return queued_; }

  // Returns, refunds and the outbox.
  Json get_return(const std::string &return_id);  // return.get
  // Every page of a list call (`items` names the page's array), filtered.
  Json all_pages(const std::string &method, const char *items, Json filters = Json::object());
  Json returns(Json filters = Json::object());    // every page of returns.list
  Json effects(Json filters = Json::object());    // every page of effects.list
  // One row of effects.list by id (a test failure and null if absent).
  Json effect(const std::string &effect_id);

 protected:
  Json stamp(Json event, const std::string &type, Json data);
  std::vector<std::string> queued_;

 private:
  std::int64_t next_event_ = 0;
};

// Helpers for expectations on JSON arrays of strings.
bool contains(const Json &array, const std::string &value);
std::vector<std::string> strings_of(const Json &array);
// The "id" of each object of a listing (cases, effects, returns), in order.
std::vector<std::string> ids_of(const Json &rows);
std::vector<std::string> sorted(std::vector<std::string> v);

}  // namespace ordercare::testing
