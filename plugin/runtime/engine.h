// Where an event meets the store on the plugin thread: appended to the log
// (deduplicated by id), then, with the slice of state it touches, handed to
// the domain; the changes and effects the domain returns are written in the
// same job, so the event and its consequences commit together or not at all.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "common/json.h"
#include "common/subject.h"
#include "domain/case_engine.h"
#include "domain/policy.h"
#include "domain/store_profiles.h"
#include "domain/return_flow.h"
#include "domain/snapshot_loader.h"
#include "ingest/canonical_event.h"
#include "runtime/job.h"
#include "store/personal_fields.h"

namespace ordercare::runtime {

struct SubmitOutcome {
  bool duplicate = false;
  std::string event_id;
  std::vector<std::string> cases;    // case ids touched
  std::vector<std::string> effects;  // effect ids queued
  // A privacy request erased a customer: once the job committed, the
  // store's files are scrubbed as after customer.erase.
  bool erased_pii = false;
};

Json to_json(const SubmitOutcome &outcome);
// The same as its text, dump_json(to_json(outcome)) byte for byte, with no
// tree in between (oc_submit_batch's answers).
std::string to_json_text(const SubmitOutcome &outcome);

// An event as it arrived: checked (ingest/canonical_event.h), split for
// the log and read as the rules read it (view_of) on the thread that
// received it (the host's, the webhook server's), so the writer's thread
// does none of that. A job may run again in a new transaction: it reads
// this, never moves from it.
struct ReceivedEvent {
  explicit ReceivedEvent(ingest::CanonicalEvent checked);
  // Moved, never copied: the view refers to the body's "data", which a
  // move leaves where it is (the body's members stay in their nodes) but a
  // copy would not.
  ReceivedEvent(ReceivedEvent &&) = default;
  ReceivedEvent(const ReceivedEvent &) = delete;
  ReceivedEvent &operator=(const ReceivedEvent &) = delete;

  ingest::CanonicalEvent event;
  store::EventForLog for_log;
  // Empty when the rules know no such type: ingest then fails the event
  // as it always has, in its job.
  std::optional<domain::EventView> view;
};

class Engine {
 public:
  // order_actions: the host has an order_action callback (ABI 1.3); the
  // domain then asks it to act, else it asks a team (domain::Snapshot).
  explicit Engine(const domain::StoreProfiles &stores, bool order_actions = false)
      : stores_(stores), order_actions_(order_actions) {}

  bool order_actions() const { return order_actions_; }

  // The store profiles; a case's or order's policy is its store's.
  const domain::StoreProfiles &stores() const { return stores_; }
  const domain::Policy &policy_of(const domain::CaseRecord &c) const { return stores_.policy_for(c.store_id); }

  SubmitOutcome ingest(JobContext &job, const ReceivedEvent &received, TimeMs now);

  // Writes a decision (from an event or a command): projections, log,
  // escalations, returns, outbox; then decides its follow-up events. Returns
  // the ids of effects newly queued.
  std::vector<std::string> apply(JobContext &job, const domain::Decision &decision,
                                 std::optional<std::int64_t> event_seq, TimeMs now);

  // The state a command about an order needs: the order, its customer,
  // cases and returns, claimed. Empty order if unknown.
  domain::Snapshot order_snapshot(JobContext &job, const std::string &order_id);
  // A case's: the case and its follow-up, its order and customer. The
  // caller has claimed the case.
  domain::Snapshot case_snapshot(JobContext &job, const domain::CaseRecord &c);

  // The host answered lookup_order with the order: it enters the log as an
  // order.created from the host, and what waited for it runs.
  void learn_order(JobContext &job, const std::string &order_id, const Json &order, TimeMs now);

  // Fires the SLA warnings and breaches due at `now` (at most `limit`
  // cases) and sends the digests whose slot has ended (at most `limit`
  // recipients); returns how many cases and recipients had something due.
  std::size_t fire_due_timers(JobContext &job, TimeMs now, std::size_t limit);

  // What the host's answer to an effect means for the domain (refunds done
  // or failed, a case for a person when the outbox gives up).
  void apply_effect_answer(JobContext &job, const domain::Effect &effect, domain::HostAnswer answer,
                           const std::string &detail, TimeMs now, const Json &reply = Json::object());

 private:
  std::size_t send_due_digests(JobContext &job, TimeMs now, std::size_t limit);
  // Runs the domain on an event already in the log and writes the result;
  // releases events parked on an order that this one made known.
  void process(JobContext &job, std::optional<std::int64_t> seq, const Json &event, TimeMs now,
               SubmitOutcome &outcome, int depth);
  // What an event is about, its subjects claimed, and its order as read
  // then: read once per event (ingest hands it on to the decision).
  struct Claimed {
    domain::SnapshotKeys keys;
    std::optional<domain::Order> order;
  };
  void process(JobContext &job, std::optional<std::int64_t> seq, const domain::EventView &view, Claimed claimed,
               TimeMs now, SubmitOutcome &outcome, int depth);
  // What an event decided, before anything of it is written.
  struct Decided {
    domain::Decision decision;
    bool order_was_known = false;  // before the event: else it makes the order known
  };
  Decided decide_event(JobContext &job, const domain::EventView &view, Claimed claimed, TimeMs now);
  // Writes what was decided, and releases what waited for an order it made
  // known.
  void carry_out(JobContext &job, std::optional<std::int64_t> seq, const Decided &decided, TimeMs now,
                 SubmitOutcome &outcome, int depth);
  void assign(JobContext &job, const std::string &case_id, bool reassign, TimeMs now);
  // A command's, a timer's or an answer's snapshot (the domain's keys,
  // read by its loader), told whether the host acts on orders itself.
  domain::Snapshot snapshot_of(JobContext &job, const domain::SnapshotKeys &keys, domain::AlreadyRead already);

  const domain::StoreProfiles &stores_;
  bool order_actions_ = false;
};

domain::EventView view_of(const Json &event);

// Claims (store.h) for commands and answers, before they read what they
// will write: a case's subject and its customer; an order and its customer.
std::vector<Subject> case_subjects(const domain::CaseRecord &c);
void claim_case(JobContext &job, const std::string &case_id);
void claim_order(JobContext &job, const std::string &order_id);

}  // namespace ordercare::runtime
