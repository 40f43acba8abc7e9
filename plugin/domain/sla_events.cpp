#include "domain/sla_events.h"

#include <algorithm>

#include "domain/case_state_machine.h"
#include "domain/case_work.h"
#include "domain/location_clocks.h"
#include "domain/sla_clocks.h"

namespace ordercare::domain {

Json sla_variables(const CaseWork &work, const CaseRecord &c, const CaseClock &clock, TimeMs target) {
  Json vars = order_variables(work.order());
  vars["sla.name"] = clock_label(clock.name);
  vars["sla.due"] = clock.due ? format_rfc3339(*clock.due) : "";
  vars["sla.target"] = humanize_duration(target, work.policy().language);
  vars["case.id"] = c.id;
  return vars;
}

namespace {

bool digests(const CaseWork &work) { return work.policy().sla.digest_interval > 0; }

void warn(CaseWork &work, CaseRecord &c, CaseClock &clock) {
  clock.warned = true;
  work.log(c, "sla_warning", "system",
           {{"clock", clock.name}, {"due", clock.due ? Json(format_rfc3339(*clock.due)) : Json(nullptr)}});
  // The warehouse's answer clock warns the warehouse: it is the one to act.
  const std::string &to = clock.name == "warehouse_response" ? work.policy().teams.warehouse : c.team;
  if (digests(work)) {
    work.hold_for_digest(c, to, clock.name, "warning");
    return;
  }
  work.notify_team(c, to, "team_sla_warning", {"Act before the deadline: " + clock_label(clock.name)},
                   sla_variables(work, c, clock, clock.clock.target), "sla-warning-" + clock.name + "-" + std::to_string(clock.clock.started));
}

// Seed 004: the warehouse answers CS within 30 minutes. A late answer is
// chased (CS, who owns the case, and the warehouse hear of it); it does not
// climb CS's escalation path, which is for the customer's promises.
void chase_warehouse(CaseWork &work, CaseRecord &c, CaseClock &clock, const std::string &purpose) {
  const std::string &warehouse = work.policy().teams.warehouse;
  if (digests(work)) {
    work.hold_for_digest(c, c.team, clock.name, "breach");
    if (warehouse != c.team) work.hold_for_digest(c, warehouse, clock.name, "breach");
    return;
  }
  for (const std::string &team : {c.team, warehouse})
    work.notify_team(c, team, "team_sla_breached",
                     {team == warehouse ? "Answer customer service now" : "Chase the warehouse for its answer"},
                     sla_variables(work, c, clock, clock.clock.target), purpose + (team == warehouse ? "-warehouse" : ""));
}

void breach(CaseWork &work, CaseRecord &c, CaseClock &clock) {
  clock.breached = true;
  c.breached = true;
  work.log(c, "sla_breach", "system",
           {{"clock", clock.name}, {"due", clock.due ? Json(format_rfc3339(*clock.due)) : Json(nullptr)},
            {"target", humanize_duration(clock.clock.target)}});
  const std::string purpose = "sla-breach-" + clock.name + "-" + std::to_string(clock.clock.started);
  if (clock.name == "warehouse_response") {
    chase_warehouse(work, c, clock, purpose);
    return;
  }
  // One level up the path per missed promise: each clock breaches once per
  // start, so a case climbs once per clock and level.
  const auto &path = work.policy().sla.escalation_path;
  const std::size_t step = std::min<std::size_t>(static_cast<std::size_t>(c.escalation_level), path.size() - 1);
  const std::string &to = path[step];
  const bool escalates = is_active(c.status);
  if (escalates) {
    work.escalate(c, "SLA breached: " + clock_label(clock.name) + " target of " +
                         humanize_duration(clock.clock.target) + " missed",
                  to, "system", "sla_breach", !digests(work));
  }
  if (work.policy().sla.reassign_on_breach && c.assignee) work.decision().reassign.push_back(c.id);
  if (digests(work)) {
    work.hold_for_digest(c, c.team, clock.name, "breach");
    if (escalates && to != c.team) work.hold_for_digest(c, to, clock.name, "escalation");
    return;
  }
  // The team that owns the case hears of the miss; the person it went to
  // has the escalation notice.
  work.notify_team(c, c.team, "team_sla_breached",
                   {"The " + clock_label(clock.name) + " promise was missed: take it over"},
                   sla_variables(work, c, clock, clock.clock.target), purpose);
}

}  // namespace

Decision decide_sla_due(const Snapshot &state, TimeMs now, const Policy &policy) {
  CaseWork work(state, nullptr, now, policy);
  CaseRecord &c = work.edit(state.cases.front());
  // Bring the clocks to now first (a pause or a reopen since they were set).
  sync_clocks(c, policy.sla, now);
  for (auto &clock : c.clocks) {
    if (!clock.running() || clock.clock.paused_since) continue;
    if (clock.deadline) {
      location_clock_due(work, c, clock);
      continue;
    }
    const bool breach_due = !clock.breached && clock.due && *clock.due <= now;
    if (!clock.warned && clock.warn_at && *clock.warn_at <= now) {
      // Fired late (a host that did not poll, a store that was closed) or a
      // warning fraction of 1.0: "act before the deadline" would arrive
      // after it, beside the breach that says so.
      if (breach_due)
        clock.warned = true;
      else
        warn(work, c, clock);
    }
    if (breach_due) breach(work, c, clock);
  }
  return work.finish();
}

}  // namespace ordercare::domain
