// The domain alone, in memory: events go to domain::decide() and commands
// to their domain functions, on snapshots read by the runtime's own loader
// (domain::load_snapshot) from maps instead of a store; each Decision is
// applied to those maps the way runtime::Engine::apply writes it. No
// plugin, no libuv, no SQLite, no files, no threads: a scenario runs in
// well under a millisecond.
//
// It answers the calls a scenario reads the world through (cases.list,
// case.get, escalations.log, effects.list, return.get, order.get) with the
// JSON the plugin's calls make of the same entities, and the case commands
// (case.assign, .note, .escalate, .resolve, .close, .reopen, .wait,
// .resume). poll() fires due SLA timers through decide_sla_due, as the
// plugin's oc_poll does when the host keeps the time.
//
// What the runtime does and this does not, on purpose (a row that needs it
// belongs on the plugin):
// - effects are queued, never delivered: no host, no answers, no retries;
//   every effect stays "pending" with no attempts;
// - no persistence, so no replay, restart, crash or PII sealing;
// - claims, leases and concurrent writers: there is one caller;
// - automatic assignment from a team roster (Decision::assign/reassign):
//   refused with a Failure if a decision asks for it;
// - SLA digests: the notices a decision holds for one are kept, but no
//   digest is ever sent (Engine::send_due_digests);
// - privacy.requested, feedback.received about an unknown case and the
//   check that a return id belongs to its order are the runtime's and are
//   not repeated; calls other than those above fail as unknown methods.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "domain/case_engine.h"
#include "domain/sla_clocks.h"
#include "domain/snapshot_reader.h"
#include "domain/store_profiles.h"
#include "support/case_world.h"

namespace ordercare::testing {

// 2026-11-20T09:00:00Z, a Friday (the Scenario's start).
inline constexpr TimeMs kHarnessStart = 1'795'165'200'000;

class DomainHarness : public CaseWorld, private domain::SnapshotReader {
 public:
  // `config` is the plugin's config document; its policy, templates and
  // store profiles are read by the runtime's own parser.
  explicit DomainHarness(const Json &config = Json::object(), TimeMs start = kHarnessStart);

  TimeMs now() const override { return now_; }
  void advance(TimeMs by) override { now_ += by; }
  void set_now(TimeMs at) override { now_ = at; }

  Json submit(const Json &event) override;
  Json call(const std::string &method, const Json &args = Json::object()) override;
  // Fires the SLA timers due now; runs no callbacks, so returns 0.
  std::uint32_t poll(std::uint32_t max_callbacks = 64) override;

 private:
  struct QueuedEffect {
    std::int64_t seq = 0;
    domain::Effect effect;
  };

  // domain::SnapshotReader, over the maps below.
  std::optional<domain::Order> find_order(const std::string &id) override;
  std::vector<domain::Order> open_orders_with_sku(const std::string &sku) override;
  std::optional<domain::Customer> find_customer(const std::string &id) override;
  std::optional<domain::CaseRecord> find_case(const std::string &id) override;
  std::vector<domain::CaseRecord> cases_for_subject(const Subject &subject) override;
  std::vector<domain::CaseRecord> active_cases_for_subject(const Subject &subject) override;
  std::map<std::string, std::int64_t> recent_complaints(const std::vector<std::string> &skus, TimeMs since,
                                                        const std::optional<std::string> &except_order,
                                                        std::int64_t at_most) override;
  std::optional<domain::ReturnRecord> find_return(const std::string &id) override;
  std::vector<domain::ReturnRecord> returns_for_order(const std::string &order_id) override;
  std::optional<domain::Transfer> find_transfer(const std::string &id) override;

  // Engine::process: keys, snapshot, decide, apply, release what waited.
  void process(std::optional<std::int64_t> seq, const Json &event, std::vector<std::string> &cases,
               std::vector<std::string> &effects, int depth);
  domain::SnapshotKeys keys_for(const domain::EventView &view, std::optional<domain::Order> &order);
  // Engine::apply: the ids of effects newly queued.
  std::vector<std::string> apply(const domain::Decision &decision, std::optional<std::int64_t> seq);
  domain::Snapshot case_snapshot(const domain::CaseRecord &c);
  const domain::Policy &policy_of(const domain::CaseRecord &c) const;

  Json case_command(const std::string &method, const Json &args);
  Json list_cases(const Json &args);
  Json get_case_json(const Json &args);
  Json escalations_log();
  Json list_effects(const Json &args);
  std::vector<domain::Escalation> escalations_for_case(const std::string &case_id) const;

  TimeMs now_;
  // Shared by the harnesses made from one config: parsing one takes longer
  // than deciding a whole row.
  std::shared_ptr<const domain::StoreProfiles> profiles_;
  const domain::StoreProfiles &stores_;
  std::int64_t next_command_ = 0;

  std::vector<Json> events_;                  // the event log; seq = index + 1
  std::map<std::string, std::int64_t> seen_;  // event id -> seq
  std::map<std::string, domain::Order> orders_;
  std::map<std::string, domain::Customer> customers_;
  std::map<std::string, domain::CaseRecord> cases_;
  std::map<std::string, std::vector<domain::SlaTimer>> timers_;
  std::vector<domain::CaseLogEntry> log_;
  std::map<std::string, domain::Escalation> escalations_;
  std::map<std::string, domain::ReturnRecord> returns_;
  std::map<std::string, domain::Transfer> transfers_;
  std::map<std::string, QueuedEffect> outbox_;
  std::map<std::string, std::vector<std::int64_t>> parked_;  // subject -> event seqs
  std::vector<domain::DigestItem> digest_items_;              // held for a digest never sent
};

}  // namespace ordercare::testing
