#include "domain/sla_clocks.h"

#include <algorithm>

#include "domain/case_state_machine.h"

namespace ordercare::domain {

namespace {

void start(CaseRecord &c, const std::string &name, TimeMs at, TimeMs target) {
  CaseClock fresh;
  fresh.name = name;
  fresh.clock.started = at;
  fresh.clock.target = target;
  if (CaseClock *existing = c.clock(name))
    *existing = fresh;
  else
    c.clocks.push_back(fresh);
}

void stop(CaseClock &clock, TimeMs at) {
  if (!clock.running()) return;
  if (clock.clock.paused_since) clock.clock.resume(at);
  clock.met_at = at;
}

std::optional<TimeMs> resolution_target(const CaseRecord &c, const SlaTargets &sla) {
  // A store pickup's "ready within 2 hours" is its own clock
  // (location_clocks.h); the case resolves when the customer collects.
  return sla.resolution_for(c);
}

// When `clock` reaches `share` of its target, on `hours`.
std::optional<TimeMs> reach(const CaseClock &clock, const BusinessHours &hours, double share) {
  SlaClock scaled = clock.clock;
  scaled.target = static_cast<TimeMs>(static_cast<double>(clock.clock.target) * share);
  return scaled.due(hours);
}

// A raised priority (or a policy that now matches) brings a running
// clock's deadline forward, never back: the new target counts from now if
// that ends sooner than the old promise.
void tighten(CaseRecord &c, const std::string &name, TimeMs target, const SlaTargets &sla, TimeMs now) {
  CaseClock *clock = c.clock(name);
  if (!clock || !clock->running() || clock->breached || target >= clock->clock.target) return;
  const auto &hours = sla.hours_for(c.team, c.priority);
  SlaClock sooner;
  sooner.started = now;
  sooner.target = target;
  // A paused clock has no due time; compare what it has left, counted
  // from now, or a raise would replace a nearly spent promise with a
  // whole new target.
  SlaClock current = clock->clock;
  current.resume(now);
  auto old_due = current.due(hours);
  auto new_due = sooner.due(hours);
  if (new_due && (!old_due || *new_due < *old_due)) start(c, name, now, target);
}

void sync_first_response(CaseRecord &c, const SlaTargets &sla, TimeMs now) {
  const std::optional<TimeMs> target = sla.first_response_for(c);
  if (!c.clock("first_response")) {
    // None for a case nobody is waiting on (its policy turns it off); once
    // a customer writes, it runs from their message.
    if (!target || !is_active(c.status)) return;
    start(c, "first_response", c.last_customer_at.value_or(c.opened_at), *target);
  } else if (target) {
    tighten(c, "first_response", *target, sla, now);
  }
  CaseClock &clock = *c.clock("first_response");
  if (c.first_response_at) stop(clock, *c.first_response_at);
  if (!is_active(c.status)) stop(clock, now);
}

void sync_resolution(CaseRecord &c, const SlaTargets &sla, TimeMs now) {
  const std::optional<TimeMs> target = resolution_target(c, sla);
  CaseClock *clock = c.clock("resolution");
  if (!target && !clock) return;
  if (!clock) {
    start(c, "resolution", c.opened_at, *target);
    clock = c.clock("resolution");
  } else if (target && !clock->running() && is_active(c.status)) {
    // Reopened: a fresh promise from now.
    start(c, "resolution", now, *target);
    clock = c.clock("resolution");
  } else if (target) {
    tighten(c, "resolution", *target, sla, now);
    clock = c.clock("resolution");
  }
  if (!is_active(c.status)) stop(*clock, c.resolved_at.value_or(now));
}

// The customer wrote again after an answer: the next answer is owed from
// their message until a reply reaches them.
void sync_next_reply(CaseRecord &c, const SlaTargets &sla, TimeMs now) {
  CaseClock *clock = c.clock("next_reply");
  const std::optional<TimeMs> answered = c.last_reply_at ? c.last_reply_at : c.first_response_at;
  const bool owed = answered && c.last_customer_at && *c.last_customer_at > *answered && is_active(c.status);
  if (owed) {
    const std::optional<TimeMs> target = sla.next_reply_for(c);
    if (target && (!clock || clock->clock.started != *c.last_customer_at) && !(clock && clock->running()))
      start(c, "next_reply", *c.last_customer_at, *target);
    else if (target)
      tighten(c, "next_reply", *target, sla, now);
    return;
  }
  if (clock && clock->running()) stop(*clock, answered && *answered >= clock->clock.started ? *answered : now);
}

// While the case is worked on, the customer hears from an agent at least
// this often: counted from the last reply, restarted by each one.
void sync_periodic_update(CaseRecord &c, const SlaTargets &sla, TimeMs now) {
  CaseClock *clock = c.clock("periodic_update");
  const std::optional<TimeMs> target = sla.periodic_update_for(c);
  const std::optional<TimeMs> since = c.last_reply_at ? c.last_reply_at : c.first_response_at;
  if (target && since && is_active(c.status)) {
    if (!clock || clock->clock.started != *since) start(c, "periodic_update", *since, *target);
    return;
  }
  if (clock && clock->running()) stop(*clock, now);
}

// A case nobody wrote about still needs a person to act on it: from its
// opening until someone does.
void sync_internal_action(CaseRecord &c, const SlaTargets &sla, TimeMs now) {
  CaseClock *clock = c.clock("internal_action");
  if (!clock) {
    const std::optional<TimeMs> target = sla.internal_action_for(c);
    if (!target || c.acted_at || !is_active(c.status)) return;
    start(c, "internal_action", c.opened_at, *target);
    clock = c.clock("internal_action");
  }
  if (c.acted_at) stop(*clock, *c.acted_at);
  if (!is_active(c.status)) stop(*clock, now);
}

// Runs while the case waits on the warehouse or has asked it something
// not yet answered, from when it asked.
void sync_warehouse(CaseRecord &c, const SlaTargets &sla, TimeMs now) {
  CaseClock *clock = c.clock("warehouse_response");
  // A case closed with a question open owes no answer if it reopens.
  if (!is_active(c.status)) c.warehouse_asked_at.reset();
  const bool asked = c.warehouse_asked_at.has_value();
  const bool waiting = c.status == CaseStatus::waiting_warehouse || asked;
  if (waiting && (!clock || !clock->running()))
    start(c, "warehouse_response", asked ? std::min(*c.warehouse_asked_at, now) : now, sla.warehouse_response);
  if (!waiting && clock && clock->running()) stop(*clock, now);
}

void sync_pauses(CaseRecord &c, const SlaTargets &sla, TimeMs now) {
  const bool pause = sla.pause_while_waiting_on_customer && c.status == CaseStatus::waiting_customer;
  for (auto &clock : c.clocks) {
    // The warehouse and the stores keep their promises whatever the
    // customer does.
    if (!clock.running() || clock.name == "warehouse_response" || clock.deadline) continue;
    if (pause)
      clock.clock.pause(now);
    else
      clock.clock.resume(now);
  }
}

}  // namespace

void sync_clocks(CaseRecord &c, const SlaTargets &sla, TimeMs now) {
  sync_first_response(c, sla, now);
  sync_resolution(c, sla, now);
  sync_next_reply(c, sla, now);
  sync_periodic_update(c, sla, now);
  sync_internal_action(c, sla, now);
  sync_warehouse(c, sla, now);
  sync_pauses(c, sla, now);
  const BusinessHours &hours = sla.hours_for(c.team, c.priority);
  for (auto &clock : c.clocks) {
    if (!clock.running()) {
      clock.due.reset();
      clock.warn_at.reset();
      continue;
    }
    if (clock.deadline) {
      // A location's clock runs on the wall clock to a fixed instant.
      clock.due = clock.deadline;
      clock.warn_at = clock.clock.started +
                      static_cast<TimeMs>(static_cast<double>(*clock.deadline - clock.clock.started) * sla.warning_fraction);
      continue;
    }
    clock.due = clock.clock.due(hours);
    clock.warn_at = reach(clock, hours, sla.warning_fraction);
  }
  const CaseClock *fr = c.clock("first_response");
  const CaseClock *res = c.clock("resolution");
  // The case's deadlines are its clocks': while a clock is paused there is
  // no deadline; once met, the promise it was stays on record.
  if (fr && fr->running()) c.first_response_due = fr->due;
  if (res && res->running()) c.resolution_due = res->due;
  c.breached = std::any_of(c.clocks.begin(), c.clocks.end(), [](const CaseClock &k) { return k.breached; });
}

std::vector<SlaTimer> timers_of(const CaseRecord &c) {
  std::vector<SlaTimer> out;
  for (const auto &clock : c.clocks) {
    if (!clock.running() || clock.clock.paused_since) continue;
    if (!clock.warned && clock.warn_at) out.push_back({clock.name, "warning", *clock.warn_at});
    if (!clock.breached && clock.due) out.push_back({clock.name, "breach", *clock.due});
  }
  return out;
}

std::string clock_label(const std::string &name) {
  if (name == "first_response") return "first response";
  if (name == "resolution") return "resolution";
  if (name == "warehouse_response") return "warehouse response";
  if (name == "next_reply") return "next reply";
  if (name == "periodic_update") return "periodic update";
  if (name == "internal_action") return "internal action";
  if (name == "store_return_day") return "same-day return processing";
  if (name == "pickup_ready") return "pickup ready";
  if (name == "pickup_hold") return "pickup hold";
  return name;
}

std::string humanize_duration(TimeMs ms, std::string_view language) {
  struct Unit {
    TimeMs size;
    const char *one;
    const char *many;
  };
  static const Unit english[] = {{kDayMs, "day", "days"},
                                 {kHourMs, "hour", "hours"},
                                 {kMinuteMs, "minute", "minutes"},
                                 {kSecondMs, "second", "seconds"}};
  // Dative plural ("innerhalb von 2 Tagen"), as the customer's
  // acknowledgement reads it.
  static const Unit german[] = {{kDayMs, "Tag", "Tagen"},
                                {kHourMs, "Stunde", "Stunden"},
                                {kMinuteMs, "Minute", "Minuten"},
                                {kSecondMs, "Sekunde", "Sekunden"}};
  const std::string_view primary = language.substr(0, language.find_first_of("-_"));
  const bool de = primary == "de" || primary == "DE";
  const Unit *units = de ? german : english;
  std::string out;
  int parts = 0;
  for (std::size_t i = 0; i < 4; ++i) {
    const Unit &u = units[i];
    const TimeMs n = ms / u.size;
    if (n == 0 || parts == 2) continue;
    out += (out.empty() ? "" : " ") + std::to_string(n) + " " + (n == 1 ? u.one : u.many);
    ms -= n * u.size;
    ++parts;
  }
  if (out.empty()) return de ? "einem Moment" : "a moment";
  return out;
}

}  // namespace ordercare::domain
