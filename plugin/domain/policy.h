// The operator's policy for the case engine, read once at open from the
// embedded defaults (defaults/policy.json: the seeds' numbers and phrases)
// with the config's "policy" section merged over them (RFC 7386 merge
// patch: objects merge, arrays and values replace). Rules read these
// structs, never JSON.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "common/json.h"
#include "common/time_format.h"
#include "domain/business_calendar.h"
#include "domain/entities.h"
#include "domain/routing.h"
#include "domain/vocabulary.h"

namespace ordercare::domain {

class TemplateSet;
class Locations;

// A phrase, lower-cased (fold_case). A trailing '*' matches any word ending.
struct Phrase {
  std::string text;
  bool prefix = false;
};

struct ClassifierRule {
  std::string id;
  IssueType type;
  std::vector<Phrase> phrases;
};

struct ClassifierPolicy {
  std::vector<ClassifierRule> rules;  // first match wins
  IssueType fallback = IssueType::complaint;
  // Signals found in free text: priority triggers (threatening_cancellation,
  // minor_packaging, tracking) and red flags (legal_threat, ...).
  std::map<std::string, std::vector<Phrase>> signals;
};

struct PriorityPolicy {
  std::map<std::string, Priority> triggers;
  Priority fallback = Priority::p3;
  std::int64_t large_order_major_units = 500;
  std::map<std::string, std::int64_t> large_order_minor_by_currency;
  std::vector<std::string> vip_tags = {"vip"};
  TimeMs deadline_window = 14 * kDayMs;
  std::int64_t media_audience_min = 10000;
};

struct RedFlagPolicy {
  std::vector<std::string> escalate;  // flags that escalate at once
  std::int64_t repeat_threshold = 3;
  TimeMs repeat_window = 72 * kHourMs;
  std::map<std::string, std::string> contacts;  // flag -> who hears of it
  std::string default_contact = "cs_manager";
  std::map<Priority, TimeMs> promised_resolution;

  const std::string &contact_for(const std::string &flag) const;
  bool escalates(const std::string &flag) const;
};

struct TeamPolicy {
  std::string fallback = "support";
  std::map<IssueType, std::string> by_type;
  std::string warehouse = "warehouse";
  std::string store = "store";
  std::string fulfilment = "fulfilment";
  std::string finance = "finance";

  const std::string &team_for(IssueType type) const;
};

// Seed targets: first response under 10 minutes (live chat 30 s, email
// 2 h), resolution under 24 hours (P1 now, P2 same day, P3 within 24 h),
// refunds within 7 days, the warehouse answering CS within 30 minutes, a
// store pickup ready within 2 hours. A team may override targets and have
// business hours: its clocks then run only while it is open (except for the
// priorities it keeps around the clock).
struct TeamSla {
  std::optional<BusinessHours> hours;
  std::map<std::string, TimeMs> first_response_by_channel;
  std::map<Priority, TimeMs> resolution_by_priority;
  std::vector<Priority> around_the_clock;  // e.g. P1 ignores business hours
};

// A target of one metric in an SLA policy: not named (the general target
// applies), off (null in the config: the clock does not run), or a
// duration.
struct SlaMetricTarget {
  bool named = false;
  std::optional<TimeMs> target;
};

// When an SLA policy applies: every condition it names holds (a list holds
// when the case has any of its values); one that names none applies to
// every case.
struct SlaConditions {
  std::vector<Priority> priorities;
  std::vector<std::string> channels;
  std::vector<IssueType> types;
  std::vector<std::string> stores;
  std::vector<std::string> customer_tags;
  // Whether a customer has written about the case; false: the system
  // raised it (a discrepancy, an oversold SKU, a failed delivery) and no
  // one waits for an answer.
  std::optional<bool> customer_waiting;

  bool matches(const CaseRecord &c) const;
};

// Zendesk's model: the first policy whose conditions hold sets the case's
// targets. First response (by channel, else its default), next reply (the
// customer wrote again after an answer), periodic update (an agent's word
// at least this often while the case is worked on), resolution, and
// internal action (a person acts on a case nobody wrote about).
struct SlaPolicy {
  std::string name;
  SlaConditions when;
  std::map<std::string, TimeMs> first_response_by_channel;
  SlaMetricTarget first_response;
  SlaMetricTarget next_reply;
  SlaMetricTarget periodic_update;
  SlaMetricTarget resolution;
  SlaMetricTarget internal_action;
};

struct SlaTargets {
  std::map<std::string, TimeMs> first_response_by_channel;
  TimeMs first_response_default = 10 * kMinuteMs;
  std::map<Priority, TimeMs> resolution_by_priority;
  TimeMs refund = 7 * kDayMs;
  TimeMs warehouse_response = 30 * kMinuteMs;
  TimeMs store_pickup_ready = 2 * kHourMs;
  double warning_fraction = 0.8;  // a warning at this share of a target
  bool pause_while_waiting_on_customer = true;
  BusinessHours hours = BusinessHours::around_the_clock();  // teams without their own
  std::map<std::string, TeamSla> teams;
  // Seed 000/003: agent -> manager/specialist. Breach n escalates to
  // path[n-1] (the last step repeats).
  std::vector<std::string> escalation_path = {"team_lead", "cs_manager"};
  bool reassign_on_breach = false;
  // SLA warnings, breaches and the escalations breaches cause reach each
  // team or person as one digest per interval (slots of this length from
  // midnight UTC) instead of one notice per case per step; 0 sends each at
  // once. Red flags and agents' escalations never wait.
  TimeMs digest_interval = 30 * kMinuteMs;

  // In order; the first that matches a case is its policy.
  std::vector<SlaPolicy> policies;

  TimeMs first_response(const std::string &channel, const std::string &team = "") const;
  TimeMs resolution(Priority priority, const std::string &team = "") const;
  const SlaPolicy *policy_for(const CaseRecord &c) const;
  // A case's targets: its team's own where the team names one, else its
  // policy's, else the general ones above. nullopt: the clock does not run.
  std::optional<TimeMs> first_response_for(const CaseRecord &c) const;
  // What the customer is told to expect: the case's first-response
  // target, or the channel's general one when its policy runs none.
  TimeMs promised_first_response(const CaseRecord &c) const;
  std::optional<TimeMs> resolution_for(const CaseRecord &c) const;
  std::optional<TimeMs> next_reply_for(const CaseRecord &c) const;
  std::optional<TimeMs> periodic_update_for(const CaseRecord &c) const;
  std::optional<TimeMs> internal_action_for(const CaseRecord &c) const;
  // The calendar a case's clocks run on.
  const BusinessHours &hours_for(const std::string &team, Priority priority) const;
};

// What a case of one issue type starts with (seed 000's order-issue and
// complaint checklists, seed 004's "What CS needs from you").
struct Playbook {
  std::optional<std::string> team;  // who is asked, if anyone
  std::vector<std::string> needs;   // what CS needs from them
  std::optional<std::string> customer_template;  // sent when the case opens
  std::string initial_action;       // the service log's "initial action"
};

// Seed 000's refund and return checklist as policy: the window, what may
// not come back, who pays shipping, what is refunded at once.
struct ReturnPolicy {
  bool auto_approve = true;          // eligible requests are approved at once
  std::int64_t window_days = 30;     // from delivery
  std::vector<std::string> final_sale_skus;
  std::vector<std::string> rejected_conditions;
  std::vector<std::string> store_pays_shipping_reasons;
  std::int64_t keep_item_below_major_units = 15;
  std::vector<std::string> keep_item_reasons;
  std::int64_t instant_refund_below_major_units = 20;
  std::vector<std::string> instant_refund_tags;
  std::map<std::string, std::int64_t> restocking_fee_percent;  // by reason
  bool refund_on_inspection = true;
  // A warehouse's return.received names each item's condition: that is the
  // inspection, done at receipt.
  bool inspect_on_receipt = true;
  std::string restock_location = "main";
  std::string returns_area_location = "returns_area";
  std::string refund_timeline = "5-7 business days";
  std::string portal_url;  // where customers start a return ({{return.portal_url}}); empty: none
  // A request none of whose items can be returned is rejected at once,
  // with the reasons, and the customer told; off: an agent decides.
  bool auto_reject = true;
};

// How the shop signs its messages. These are the shop-wide settings; a
// store profile (store_profiles.h, keyed by an event's `store`) lays its
// own over them.
struct StoreIdentity {
  std::string name;  // {{store.name}}; empty: not set
  // {{store.sign_off}} by language tag ("en", "de-at"), as configured.
  std::map<std::string, std::string> sign_off;

  // The sign-off for a message in `language`: the configured one (the tag,
  // its primary subtag, then "en"), else "<name> Customer Support" ("Ihr
  // Kundenservice von <name>" in German), else "Customer Support".
  std::string sign_off_for(const std::string &language) const;
};

// Seed 000's feedback survey, sent when a case closes. It needs a link;
// the reward line is added only when there is a reward.
struct SurveyPolicy {
  bool enabled = false;  // default: on once `url` is set
  std::string url;       // {{survey.url}}
  std::string reward;    // {{survey.reward}}, e.g. "10% off your next order"
  // Which survey this is: a case gets each survey once, whatever how often
  // it is closed. By default derived from the link, so a new survey (a new
  // link, or a new id) goes out again to a case closed once more.
  std::string id;
};

// Seed 003's "share feedback internally": a low answer to the survey (or a
// rating an agent records) opens a follow-up case for a person, once per
// rated case while that follow-up is active.
struct FeedbackPolicy {
  std::int64_t low_csat = 2;  // CSAT ratings at or below this (1-5) need a follow-up
  std::int64_t low_nps = 6;   // NPS scores at or below this (0-10): seed 000's detractors
  std::string team;           // who follows up; empty: the rated case's team
};

// Seed 000 "Shipping Delay: offer expedited shipping or a discount if
// necessary", seed 004 "CS can offer: [discount/free shipping]": what may be
// offered per order (order.offer and the delay playbook together stay under
// the cap), and what a late order is offered by itself when the host can
// carry out order actions.
struct OfferPolicy {
  std::int64_t cap_major_units = 25;  // per order, all offers together
  std::map<std::string, std::int64_t> cap_minor_by_currency;
  // A carrier delay whose new estimate is past the promised date gets an
  // offer of `delay_percent` of the order's total (within what the cap
  // leaves).
  bool on_delay = true;
  std::string delay_offer = "discount_code";  // discount_code | free_expedited_shipping | store_credit
  std::int64_t delay_percent = 10;
};

struct AutoResponder {
  bool enabled = true;
  std::vector<std::string> channels = {"email", "chat", "social", "marketplace", "web"};
  std::string template_id = "auto_acknowledgement";
};

struct Policy {
  std::string language = "en";
  // The shop's (or store's) IANA time zone: dates a customer reads (eta,
  // expected_resolution) are its local dates. Empty: UTC.
  std::string time_zone;
  ClassifierPolicy classifier;
  PriorityPolicy priority;
  RedFlagPolicy red_flags;
  TeamPolicy teams;
  SlaTargets sla;
  std::map<IssueType, Playbook> playbooks;
  ReturnPolicy returns;
  RoutingPolicy routing;
  AutoResponder auto_responder;
  StoreIdentity store;
  SurveyPolicy survey;
  FeedbackPolicy feedback;
  OfferPolicy offers;
  // The store profile this policy is (store_profiles.h); empty for the
  // shop-wide policy.
  std::string store_id;
  // The message templates in effect for this policy's store, to tell which
  // languages a message can be written in; null: the defaults.
  std::shared_ptr<const TemplateSet> templates;
  // The config's physical locations (stores, warehouses; locations.h),
  // shared by the shop-wide policy and every store profile; null: none.
  std::shared_ptr<const Locations> locations;

  const Playbook &playbook(IssueType type) const;
  const TemplateSet &message_templates() const;
  const Locations &physical_locations() const;

  // The defaults with `overrides` (the config's "policy" object, or null)
  // merged over them. Throws Failure(OC_ERR_CONFIG, "config: <path>.<field>:
  // ...") for anything invalid; `path` is where the overrides sit.
  static Policy from_config(const Json &overrides, const std::string &path = "policy");
  static const Policy &defaults();
};

// The large-order threshold for a currency, in its minor units.
std::int64_t large_order_threshold(const PriorityPolicy &policy, const std::string &currency);

// The most an order may be offered in all (OfferPolicy), in minor units.
std::int64_t offer_cap(const OfferPolicy &policy, const std::string &currency);

// `major` whole units of a currency in its minor units (500 USD -> 50000,
// 500 JPY -> 500, 500 KWD -> 500000).
std::int64_t major_to_minor(std::int64_t major, const std::string &currency);

bool contains(const std::vector<std::string> &list, const std::string &value);

}  // namespace ordercare::domain
