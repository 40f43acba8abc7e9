#include "domain/location_clocks.h"

#include "domain/case_state_machine.h"
#include "domain/event_handlers.h"
#include "domain/priority.h"
#include "domain/sla_clocks.h"
#include "domain/sla_events.h"

namespace ordercare::domain {

namespace {

// A location clock runs to a fixed deadline, so its target is the time
// from its start to that deadline.
Json clock_variables(const CaseWork &work, const CaseRecord &c, const CaseClock &clock) {
  Json vars = sla_variables(work, c, clock, clock.deadline ? *clock.deadline - clock.clock.started : 0);
  if (c.location) vars["pickup.location"] = *c.location;
  return vars;
}

std::string where(const CaseRecord &c) { return c.location ? *c.location : std::string("the store"); }

// What the store must do before the deadline, in seed 004's words.
std::vector<std::string> needs_before(const CaseRecord &c, const CaseClock &clock) {
  if (clock.name == kStoreReturnClock)
    return {"Process the return today: check the condition of each item",
            "Resellable: back to stock; damaged: returns area", "Update inventory and refund"};
  if (clock.name == kPickupReadyClock)
    return {"Verify the order is picked and packed", "Label \"STORE PICKUP\" clearly",
            "Move it to the pickup area at " + where(c)};
  return {"The customer has not collected the order yet: remind them"};
}

// Seed 004 "Don't let returns pile up": a return left unprocessed at
// closing climbs the escalation path like any missed promise.
void return_left_over(CaseWork &work, CaseRecord &c, CaseClock &clock, const std::string &team) {
  const auto &path = work.policy().sla.escalation_path;
  const std::size_t step = std::min<std::size_t>(static_cast<std::size_t>(c.escalation_level), path.size() - 1);
  if (is_active(c.status))
    work.escalate(c, "Return taken at " + where(c) + " left unprocessed at the end of the store's day", path[step],
                  "system", "sla_breach");
  work.notify_team(c, team, "team_sla_breached", {"Process the return now: it should have been done today"},
                   clock_variables(work, c, clock), "store-return-left-" + std::to_string(clock.clock.started));
}

// Not collected within the hold period: a person decides what becomes of
// the order (remind, cancel and refund, or back to stock).
void not_collected(CaseWork &work, CaseRecord &c, CaseClock &clock, const std::string &team) {
  CaseRecord &task = work.open_task(IssueType::store_pickup, "order not collected within the hold period at " + where(c));
  task.location = c.location;
  task.team = team;
  task.initial_action = "Order not collected at " + where(c) + " within " +
                        humanize_duration(clock.deadline ? *clock.deadline - clock.clock.started : 0) +
                        ": contact the customer, then cancel and refund or return it to stock";
  add_unique(c.follow_ups, "Not collected in time: case " + task.id + " raised");
  work.log(task, "event", "system", {{"pickup_case", c.id}, {"clock", clock.name}});
  work.notify_team(task, team, "team_cs_request",
                   {"Contact the customer about the order waiting at " + where(c),
                    "If they will not collect it: cancel and refund, or return it to stock"},
                   clock_variables(work, task, clock), "pickup-not-collected");
}

}  // namespace

void start_location_clock(CaseRecord &c, const std::string &name, TimeMs at, TimeMs deadline) {
  CaseClock fresh;
  fresh.name = name;
  fresh.clock.started = at;
  fresh.clock.target = deadline > at ? deadline - at : 0;
  fresh.deadline = deadline;
  if (CaseClock *existing = c.clock(name))
    *existing = fresh;
  else
    c.clocks.push_back(fresh);
}

void meet_location_clock(CaseRecord &c, const std::string &name, TimeMs at) {
  CaseClock *clock = c.clock(name);
  if (clock && clock->running()) clock->met_at = at;
}

std::string location_team(const Policy &policy, const std::optional<std::string> &location) {
  if (location)
    if (const Location *place = policy.physical_locations().find(*location); place && !place->team.empty())
      return place->team;
  return policy.teams.store;
}

void location_clock_due(CaseWork &work, CaseRecord &c, CaseClock &clock) {
  const TimeMs now = work.now();
  // A pickup of an order cancelled meanwhile owes nobody anything.
  const bool pickup_clock = clock.name == kPickupReadyClock || clock.name == kPickupHoldClock;
  if (pickup_clock && work.order() && work.order()->status == OrderStatus::cancelled) {
    clock.met_at = now;
    work.log(c, "event", "system", {{"clock", clock.name}, {"stopped", "the order was cancelled"}});
    return;
  }
  const std::string team = location_team(work.policy(), c.location);
  const bool breach_due = !clock.breached && clock.due && *clock.due <= now;
  if (!clock.warned && clock.warn_at && *clock.warn_at <= now) {
    clock.warned = true;
    // Late (the breach is due too): the breach notice says it all.
    if (!breach_due) {
      work.log(c, "sla_warning", "system", {{"clock", clock.name}, {"due", format_rfc3339(*clock.due)}});
      work.notify_team(c, team, "team_sla_warning", needs_before(c, clock), clock_variables(work, c, clock),
                       "location-warning-" + clock.name + "-" + std::to_string(clock.clock.started));
    }
  }
  if (!breach_due) return;
  clock.breached = true;
  c.breached = true;
  work.log(c, "sla_breach", "system", {{"clock", clock.name}, {"due", format_rfc3339(*clock.due)}});
  if (clock.name == kStoreReturnClock) return return_left_over(work, c, clock, team);
  if (clock.name == kPickupHoldClock) return not_collected(work, c, clock, team);
  // Not ready in time: the store hears it, and the warehouse if the order
  // is still there.
  work.notify_team(c, team, "team_sla_breached",
                   {"The customer was promised the order ready by now: finish it at once"},
                   clock_variables(work, c, clock), "pickup-not-ready-" + std::to_string(clock.clock.started));
}

}  // namespace ordercare::domain
