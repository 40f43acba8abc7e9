// The state the domain reasons about. Plain structs; each has a JSON form
// (entities_json.h) that the store keeps and the calls return. Fields that
// hold customer PII live in a `pii` object of their own: the store seals that
// object under the customer's key and nothing else ever holds PII.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/json.h"
#include "common/time_format.h"
#include "domain/business_calendar.h"
#include "domain/shared_json.h"
#include "domain/vocabulary.h"

namespace ordercare::domain {

struct OrderLine {
  std::string line_id;
  std::string sku;
  std::string name;
  std::int64_t quantity = 0;
  std::int64_t unit_price = 0;  // minor units of the order's currency
  // The warehouse or store the line is fulfilled from (a location id of the
  // config's "locations"); "": the order's own location (Order::location).
  std::string location;

  bool operator==(const OrderLine &) const = default;

  // Where the line draws its stock: its own location, else the order's; ""
  // when neither is known, and then it may draw from any location.
  const std::string &fulfilled_from(const std::string &order_location) const {
    return location.empty() ? order_location : location;
  }
};

struct Shipment {
  std::string id;
  std::string carrier;
  std::string tracking_number;
  ShipmentStatus status = ShipmentStatus::in_transit;
  TimeMs status_at = 0;
  std::optional<TimeMs> eta;
  std::int64_t failed_attempts = 0;

  bool operator==(const Shipment &) const = default;
};

// One refund asked of the host; `id` is its idempotency key. Kept on the
// order, the one ledger that says what was paid and what went back.
struct RefundRecord {
  std::string id;
  std::int64_t amount = 0;  // minor units of the order's currency
  std::string method;       // original | store_credit
  std::string status;       // requested, pending, succeeded, failed
  std::optional<std::string> return_id;
  std::optional<std::string> case_id;
  std::string reason;
  TimeMs requested_at = 0;
  std::optional<TimeMs> completed_at;
  std::string note;  // the host's reference or reason

  bool operator==(const RefundRecord &) const = default;
};

// One line of an order action: which order line, how many, and for an
// exchange the variant it becomes.
struct ActionLine {
  std::string line_id;
  std::string sku;
  std::string name;
  std::int64_t quantity = 0;
  std::string new_sku;  // exchange only

  bool operator==(const ActionLine &) const = default;
};

// One action on the order asked of the host (ABI 1.3's order_action
// callback): reship, exchange, cancel, return_label or offer. `id` is its
// idempotency key. Kept on the order beside its refunds: it is the ledger
// the arithmetic reads (no line reshipped or exchanged more often than it
// was ordered, offers under the policy's cap), booked before it is asked.
struct OrderAction {
  std::string id;
  std::string kind;    // reship | exchange | cancel | return_label | offer
  // held (waits for the warehouse), requested, pending, done, too_late
  // (a cancel the host could not make), rejected, failed (given up),
  // dropped (held, and the warehouse did not confirm), team_task (the host
  // has no order_action callback: a team was asked instead).
  std::string status;
  std::optional<std::string> case_id;
  std::optional<std::string> return_id;
  std::string reason;
  std::vector<ActionLine> lines;  // reship, exchange, return_label
  std::string shipping_speed;     // reship, exchange, return_label
  bool only_if_in_stock = false;  // reship (seed 004: replacement if in stock)
  std::string offer;              // discount_code | free_expedited_shipping | store_credit
  std::int64_t amount = 0;        // offer, minor units of the order's currency
  std::string agent;              // who asked: an agent, or "system" (a playbook)
  TimeMs requested_at = 0;
  std::optional<TimeMs> completed_at;
  Json result = Json::object();  // what the host answered (label_url, tracking_number, code, ...)
  std::string note;              // the host's reason

  // Still counts against the order: not rejected, failed, dropped or too late.
  bool committed() const;
  bool open() const;  // asked (or held) and not answered for good

  bool operator==(const OrderAction &) const = default;
};

// Seed 004 "Customer wants to pick up order at store": the order's way to
// the pickup counter, one time per step, and the release.
struct StorePickup {
  std::string location;  // the store (locations.h)
  TimeMs requested_at = 0;
  std::optional<TimeMs> packed_at;    // verified picked and packed
  std::optional<TimeMs> labelled_at;  // labelled "STORE PICKUP"
  std::optional<TimeMs> ready_at;     // in the pickup area; the customer was told
  std::optional<TimeMs> collected_at;
  std::string id_checked;             // the kind of ID the customer showed (personal: sealed)
  std::string released_by;            // the member of staff who released it

  bool operator==(const StorePickup &) const = default;
};

struct Order {
  std::string id;
  std::string number;
  // The order as the shop shows it to the customer, when the platform says
  // (Shopify's "name": "#1001", "SO-1001-EU"); shown as it is.
  std::string display_name;
  std::string customer_id;
  std::optional<std::string> store_id;
  std::optional<std::string> locale;  // the customer's language at checkout ("de-AT")
  std::string currency;
  std::int64_t total = 0;  // minor units
  std::string channel;
  TimeMs placed_at = 0;
  std::optional<TimeMs> promised_by;
  OrderStatus status = OrderStatus::pending;
  // The time of the fact that set `status`: an older fact never rolls the
  // order back (platforms retry and reorder deliveries).
  TimeMs status_at = 0;
  std::vector<OrderLine> items;
  // The location the order is fulfilled from when its lines do not say
  // (order.created's order.location, since 1.3); "" when not known.
  std::string location;
  // The warehouse's latest ship date for the order (warehouse.order_delayed).
  std::optional<TimeMs> ship_date;
  std::vector<Shipment> shipments;
  std::int64_t failed_deliveries = 0;
  std::optional<TimeMs> delivered_at;
  std::vector<RefundRecord> refunds;
  std::vector<OrderAction> actions;
  std::optional<StorePickup> pickup;
  SharedJson pii;  // shipping_address, note

  // Refunds that count against what was paid: succeeded, or asked and not
  // yet answered. A failed refund gives its amount back.
  std::int64_t committed_refunds() const;
  std::int64_t refundable() const { return total - committed_refunds(); }
  RefundRecord *find_refund(const std::string &id);
  OrderAction *find_action(const std::string &id);

  bool operator==(const Order &) const = default;
};

struct Customer {
  std::string id;
  std::vector<std::string> tags;  // "vip", "trusted", ...
  bool erased = false;
  SharedJson pii;  // name, email, phone

  bool operator==(const Customer &) const = default;
};

// One SLA clock of a case: first_response, resolution, or
// warehouse_response (seed 004: the warehouse answers CS within 30 min).
struct CaseClock {
  std::string name;
  SlaClock clock;             // started, target, pauses
  std::optional<TimeMs> met_at;  // stopped: the promise was kept (or ended)
  bool warned = false;
  bool breached = false;
  std::optional<TimeMs> warn_at;  // computed on the team's calendar
  std::optional<TimeMs> due;
  // A promise made by a location's own clock rather than a team's business
  // hours (location_clocks.h: a store's closing time, a pickup's ready and
  // hold times): due at this instant, never paused, ended with its case.
  std::optional<TimeMs> deadline;

  bool running() const { return !met_at; }

  bool operator==(const CaseClock &) const = default;
};

struct CaseRecord {
  std::string id;
  std::optional<std::string> order_id;
  std::optional<std::string> customer_id;
  IssueType type = IssueType::complaint;
  Priority priority = Priority::p3;
  CaseStatus status = CaseStatus::new_case;
  std::string channel;
  std::string team;
  std::optional<std::string> assignee;
  TimeMs opened_at = 0;
  TimeMs updated_at = 0;
  std::optional<TimeMs> first_response_at;
  std::optional<TimeMs> first_response_due;
  std::optional<TimeMs> resolution_due;
  std::optional<TimeMs> resolved_at;
  std::optional<TimeMs> closed_at;
  std::int64_t escalation_level = 0;
  bool breached = false;
  bool vip = false;  // the customer carries one of the priority policy's VIP tags
  // Priority triggers of seed 004 seen on this case ("wrong_item",
  // "vip_complaint", ...), and red flags raised.
  std::vector<std::string> triggers;
  std::vector<std::string> red_flags;
  std::vector<std::string> skus;
  std::optional<std::string> location;  // inventory cases
  // Why the case has its type and priority, for the agent: the rules that
  // matched ("classifier rule wismo.en matched 'where is my order'; P2 from
  // trigger multiple_failed_deliveries").
  std::string reason;
  std::string initial_action;
  std::vector<std::string> follow_ups;
  std::optional<std::string> resolution;
  std::optional<std::string> action_taken;
  std::optional<std::string> follow_up;
  std::optional<std::string> resolved_by;
  std::optional<std::int64_t> csat;
  std::optional<std::int64_t> nps;
  std::vector<std::string> event_ids;
  std::vector<std::string> return_ids;
  std::int64_t reopen_count = 0;
  std::int64_t customer_contacts = 0;  // customer messages on this case
  std::vector<CaseClock> clocks;
  // The store profile whose voice and policy the case has (an event's
  // `store`, or its order's).
  std::optional<std::string> store_id;
  // The language the customer last wrote in, when the host said.
  std::optional<std::string> language;
  // The feedback surveys sent for this case (SurveyPolicy::id): each once.
  std::vector<std::string> surveys;
  // Seed 003's follow-up of a low survey answer: the case it follows up,
  // and on the rated case, its follow-up.
  std::optional<std::string> follow_up_of;
  std::optional<std::string> follow_up_case;
  // When a person (not the system, not the customer) last did something on
  // the case: SLA notices waiting for a digest are dropped once someone acts.
  std::optional<TimeMs> acted_at;
  // Seed 004: the warehouse answers CS within 30 minutes. Set when the case
  // asks the warehouse something, cleared when the answer is recorded; the
  // warehouse_response clock runs while it is set.
  std::optional<TimeMs> warehouse_asked_at;
  // The SLA policy's inputs and its next-reply and periodic-update clocks:
  // the customer's tags as the case last saw them, when the customer last
  // wrote, when a reply last reached them.
  std::vector<std::string> customer_tags;
  std::optional<TimeMs> last_customer_at;
  std::optional<TimeMs> last_reply_at;
  Json pii = Json::object();           // description, csat_comment

  CaseClock *clock(const std::string &name);
  const CaseClock *clock(const std::string &name) const;

  bool operator==(const CaseRecord &) const = default;
};

// One line of a case's service log (seed 002: every interaction, action,
// follow-up and escalation, with who did it and when).
struct CaseLogEntry {
  std::string case_id;
  TimeMs at = 0;
  std::string kind;   // opened, event, message, reply, note, assign, status, priority,
                      // escalate, resolve, close, reopen, csat, nps, effect
  std::string actor;  // agent name, "customer", "system"
  Json details = Json::object();
  Json pii = Json::object();  // text written by or about the customer
  std::optional<std::string> customer_id;  // whose key seals `pii`
  std::optional<std::string> order_id;     // ... or, before the customer is known
};

// A row of seed 004's escalations log.
struct Escalation {
  std::string id;
  std::string case_id;
  std::optional<std::string> order_id;
  std::optional<std::string> customer_id;
  TimeMs at = 0;
  std::string issue;      // what the problem is, in words
  std::string reason;     // red flag or why an agent escalated
  // What raised it, so the views can put red flags first and apart from
  // SLA breaches: red_flag | sla_breach | agent | system (the host failed
  // an action).
  std::string kind = "agent";
  std::string to;         // manager / team it went to
  std::int64_t level = 1;
  std::optional<TimeMs> promised_resolution;
  std::string action_taken;
  bool resolved = false;
  std::optional<std::string> resolved_by;
  std::optional<TimeMs> resolved_at;
};

// A request to the host, written to the outbox with the change that caused
// An SLA notice held for a team's or person's digest (SlaTargets::
// digest_interval): which case, which clock, what happened to it
// (warning, breach or escalation), and the slot's end when it goes out.
struct DigestItem {
  std::string recipient;
  std::string case_id;
  std::string clock;
  std::string stage;  // warning | breach | escalation
  TimeMs noted_at = 0;
  TimeMs due_at = 0;

  bool operator==(const DigestItem &) const = default;
};

// it. `id` is the idempotency key the host sees, stable across retries and
// restarts because it is derived from what caused the effect.
struct Effect {
  std::string id;
  std::string kind;  // notify, refund, adjust_inventory, lookup_order, order_action
  std::optional<std::string> case_id;
  std::optional<std::string> order_id;
  std::optional<std::string> customer_id;  // whose key seals the payload
  std::string ordering_key;                // effects with one key go out in order
  TimeMs created_at = 0;
  Json payload = Json::object();
};

}  // namespace ordercare::domain
