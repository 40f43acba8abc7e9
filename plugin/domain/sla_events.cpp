#include "domain/sla_events.h"

#include <algorithm>

#include "domain/case_state_machine.h"
#include "domain/case_work.h"
#include "domain/sla_clocks.h"

namespace ordercare::domain {

namespace {

std::string clock_label(const std::string &name) {
  if (name == "first_response") return "first response";
  if (name == "resolution") return "resolution";
  if (name == "warehouse_response") return "warehouse response";
  return name;
}

Json sla_variables(const CaseWork &work, const CaseRecord &c, const CaseClock &clock) {
  Json vars = order_variables(work.order());
  vars["sla.name"] = clock_label(clock.name);
  vars["sla.due"] = clock.due ? format_rfc3339(*clock.due) : "";
  vars["sla.target"] = humanize_duration(clock.clock.target, work.policy().language);
  vars["case.id"] = c.id;
  return vars;
}

void warn(CaseWork &work, CaseRecord &c, CaseClock &clock) {
  clock.warned = true;
  work.log(c, "sla_warning", "system",
           {{"clock", clock.name}, {"due", clock.due ? Json(format_rfc3339(*clock.due)) : Json(nullptr)}});
  work.notify_team(c, c.team, "team_sla_warning", {"Act before the deadline: " + clock_label(clock.name)},
                   sla_variables(work, c, clock), "sla-warning-" + clock.name + "-" + std::to_string(clock.clock.started));
}

void breach(CaseWork &work, CaseRecord &c, CaseClock &clock) {
  clock.breached = true;
  c.breached = true;
  work.log(c, "sla_breach", "system",
           {{"clock", clock.name}, {"due", clock.due ? Json(format_rfc3339(*clock.due)) : Json(nullptr)},
            {"target", humanize_duration(clock.clock.target)}});
  const auto &path = work.policy().sla.escalation_path;
  const std::size_t step = std::min<std::size_t>(static_cast<std::size_t>(c.escalation_level), path.size() - 1);
  const std::string to = clock.name == "warehouse_response" ? work.policy().teams.warehouse : path[step];
  const std::string purpose = "sla-breach-" + clock.name + "-" + std::to_string(clock.clock.started);
  if (is_active(c.status)) {
    work.escalate(c, "SLA breached: " + clock_label(clock.name) + " target of " +
                         humanize_duration(clock.clock.target) + " missed",
                  to, "system", "sla_breach");
  }
  // The team that owns the case hears of the miss; the person it went to
  // has the escalation notice.
  work.notify_team(c, c.team, "team_sla_breached",
                   {"The " + clock_label(clock.name) + " promise was missed: take it over"},
                   sla_variables(work, c, clock), purpose);
  if (work.policy().sla.reassign_on_breach && c.assignee) work.decision().reassign.push_back(c.id);
}

}  // namespace

Decision decide_sla_due(const Snapshot &state, TimeMs now, const Policy &policy) {
  CaseWork work(state, nullptr, now, policy);
  CaseRecord &c = work.edit(state.cases.front());
  // Bring the clocks to now first (a pause or a reopen since they were set).
  sync_clocks(c, policy.sla, now);
  for (auto &clock : c.clocks) {
    if (!clock.running() || clock.clock.paused_since) continue;
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
