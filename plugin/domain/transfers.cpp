#include "domain/transfers.h"

#include <algorithm>

#include "common/failure.h"
#include "common/subject.h"
#include "common/value_ranges.h"
#include "domain/case_state_machine.h"
#include "domain/effect_keys.h"
#include "domain/event_handlers.h"
#include "domain/location_clocks.h"
#include "domain/priority.h"
#include "domain/transfer_record.h"

namespace ordercare::domain {

namespace {

[[noreturn]] void refuse(EventType type, const std::string &id, const std::string &why) {
  fail(OC_ERR_REFUSED, name_of(type) + ": transfer " + id + ": " + why);
}

[[noreturn]] void refuse_request(const std::string &id, const std::string &why) {
  refuse(EventType::transfer_requested, id, why);
}

[[noreturn]] void refuse_update(const std::string &id, const std::string &why) {
  refuse(EventType::transfer_updated, id, why);
}

// "45 min", "4 h", "1 d 2 h": what a store team reads as its wait.
std::string wait_text(TimeMs wait) {
  const TimeMs minutes = std::max<TimeMs>(0, (wait + kMinuteMs - 1) / kMinuteMs);
  const TimeMs days = minutes / (24 * 60), hours = minutes / 60 % 24, rest = minutes % 60;
  std::string out;
  if (days) out += std::to_string(days) + " d";
  if (hours) out += (out.empty() ? "" : " ") + std::to_string(hours) + " h";
  if (rest || out.empty()) out += (out.empty() ? "" : " ") + std::to_string(rest) + " min";
  return out;
}

std::string place_name(const Policy &policy, const std::string &id) {
  const Location *place = policy.physical_locations().find(id);
  return place ? place->name : id;
}

// "2 x SKU-MUG, 1 x SKU-TEE".
std::string lines_text(const Transfer &t) {
  std::string out;
  for (const auto &line : t.lines)
    out += (out.empty() ? "" : ", ") + std::to_string(line.quantity) + " x " + line.sku;
  return out;
}

Json transfer_variables(const Policy &policy, const Transfer &t, TimeMs now) {
  return {{"transfer.id", t.id},
          {"transfer.items", lines_text(t)},
          {"transfer.from", place_name(policy, t.from)},
          {"transfer.to", place_name(policy, t.to)},
          {"transfer.ready_by", format_minute(t.ready_by) + " UTC"},
          {"transfer.wait", wait_text(t.ready_by - now)},
          {"transfer.reason", t.reason}};
}

std::vector<TransferLine> read_lines(const Json &data, const std::string &id) {
  std::vector<TransferLine> lines;
  const auto items = data.find("lines");
  if (items == data.end() || !items->is_array() || items->empty())
    fail(OC_ERR_SCHEMA, "data.lines: expected at least one line {sku, quantity}");
  for (const Json &item : *items) {
    TransferLine line{text_of(item, "sku"), item.value("quantity", std::int64_t{0})};
    // The schema bounds it; said again here because a transfer of nothing
    // would move no stock and still promise some.
    if (line.quantity <= 0) fail(OC_ERR_SCHEMA, "data.lines: quantity must be at least 1");
    const bool twice = std::any_of(lines.begin(), lines.end(), [&](const auto &l) { return l.sku == line.sku; });
    if (twice)
      refuse_request(id, "SKU " + line.sku + " is on two lines; give each SKU once with its quantity");
    lines.push_back(std::move(line));
  }
  return lines;
}

// The two ends: a warehouse of the config's locations sends, a store
// receives. Seed 004 knows this one direction; stock going back from a
// store is a return (return.received).
void check_ends(const Policy &policy, const std::string &id, const std::string &from, const std::string &to) {
  const Locations &places = policy.physical_locations();
  const Location *source = places.find(from);
  const Location *target = places.find(to);
  if (!source) refuse_request(id, "data.from_location \"" + from + "\" is not a location of the config's locations");
  if (!target) refuse_request(id, "data.to_location \"" + to + "\" is not a location of the config's locations");
  if (from == to) refuse_request(id, "data.from_location and data.to_location are both \"" + from + "\"");
  if (source->is_store())
    refuse_request(id, "data.from_location \"" + from + "\" is a store; a transfer comes from a warehouse");
  if (!target->is_store())
    refuse_request(id, "data.to_location \"" + to + "\" is a warehouse; a transfer goes to a store");
}

CaseRecord *transfer_case(CaseWork &work, const Transfer &t) {
  for (const auto &c : work.state().cases)
    if (c.id == t.case_id) return &work.edit(c);
  return nullptr;
}

// The stock moves: minus at the warehouse when it leaves, plus at the
// store when it arrives. Keys are the transfer's, the side's and the
// SKU's, so a replayed or re-reported step queues nothing new.
void move_stock(CaseWork &work, const CaseRecord &c, const Transfer &t, bool leaving) {
  for (const auto &line : t.lines) {
    Effect adjust;
    adjust.id = effect_key({"inventory", "transfer", t.id, leaving ? "out" : "in", line.sku});
    adjust.kind = "adjust_inventory";
    adjust.case_id = c.id;
    adjust.ordering_key = Subject::sku(line.sku).str();
    adjust.payload = {{"sku", line.sku},
                      {"location", leaving ? t.from : t.to},
                      {"delta", leaving ? -line.quantity : line.quantity},
                      {"reason", leaving ? "transfer_out" : "transfer_in"},
                      {"transfer_id", t.id},
                      {"from_location", t.from},
                      {"to_location", t.to}};
    work.queue_effect(std::move(adjust));
  }
}

// Received or cancelled: the task is done.
void close_task(CaseWork &work, CaseRecord &c, const std::string &actor, const std::string &resolution) {
  const std::string &command = name_of(EventType::transfer_updated);
  if (c.status == CaseStatus::new_case) work.change_status(c, CaseStatus::open, actor, command);
  if (is_active(c.status)) {
    work.change_status(c, CaseStatus::resolved, actor, command);
    c.resolved_at = work.now();
    c.resolved_by = actor;
    c.resolution = resolution;
    c.action_taken = resolution;
    add_unique(c.follow_ups, resolution);
  }
  if (c.status == CaseStatus::resolved) {
    work.change_status(c, CaseStatus::closed, actor, command);
    c.closed_at = work.now();
  }
}

bool same_request(const Transfer &t, const std::string &from, const std::string &to,
                  const std::vector<TransferLine> &lines) {
  return t.from == from && t.to == to && t.lines == lines;
}

}  // namespace

TransferAnswer transfer_answer(const TransferNeed &need, TimeMs now, TimeMs lead_time) {
  TransferAnswer out;
  const TimeMs regular = add_saturating(now, lead_time);
  if (need.customer_waiting) {
    out = {"store", "pull_now", now,
           "a customer is waiting at the store now (seed 004 Priority 1)"};
  } else if (need.warehouse_orders_due > 0) {
    const TimeMs busy_until = std::max(now, need.warehouse_ship_by.value_or(now));
    out = {"warehouse", "wait", add_saturating(busy_until, lead_time),
           std::to_string(need.warehouse_orders_due) + " order(s) due to ship from the warehouse by " +
               format_minute(busy_until) + " UTC go first; no customer is waiting at the store"};
    if (need.needed_by && *need.needed_by < out.ready_by)
      out.reason += "; the store asked for it by " + format_minute(*need.needed_by) + " UTC";
  } else if (need.needed_by && *need.needed_by <= regular) {
    out = {"store", "pull_now", now,
           "the store needs it by " + format_minute(*need.needed_by) +
               " UTC, sooner than the warehouse's lead time, and the warehouse reports no deadlines"};
  } else {
    out = {"warehouse", "wait", regular, "no customer waiting and no warehouse deadlines: the warehouse's lead time"};
  }
  return out;
}

void on_transfer_requested(CaseWork &work, const EventView &event) {
  const Json &data = event.data;
  const std::string id = text_of(data, "transfer_id");
  const std::string from = text_of(data, "from_location");
  const std::string to = text_of(data, "to_location");
  const std::vector<TransferLine> lines = read_lines(data, id);
  if (const auto &known = work.state().transfer) {
    // The same request again under another event id (a host's retry):
    // already documented and answered.
    if (same_request(*known, from, to, lines)) return;
    refuse_request(id, "was requested already, from " + known->from + " to " + known->to +
                           " for " + lines_text(*known) + "; a new request needs a new transfer_id");
  }
  const Policy &policy = work.policy();
  check_ends(policy, id, from, to);

  Transfer t;
  t.id = id;
  t.from = from;
  t.to = to;
  t.lines = lines;
  t.customer_waiting = data.value("customer_waiting", false);
  t.order_id = optional_text_of(data, "order_id");
  t.needed_by = time_of(data, "needed_by");
  if (const auto deadlines = data.find("warehouse_deadlines"); deadlines != data.end() && deadlines->is_object()) {
    t.warehouse_orders_due = deadlines->value("orders_due", std::int64_t{0});
    t.warehouse_ship_by = time_of(*deadlines, "ship_by");
  }
  t.requested_by = optional_text_of(data, "requested_by").value_or(event.source);
  const TransferAnswer answer =
      transfer_answer({t.customer_waiting, t.needed_by, t.warehouse_orders_due, t.warehouse_ship_by}, work.now(),
                      policy.physical_locations().find(from)->transfer_lead_time);
  t.favours = answer.favours;
  t.answer = answer.answer;
  t.ready_by = answer.ready_by;
  t.reason = answer.reason;
  t.requested_at = work.now();
  t.updated_at = work.now();
  t.history.push_back({TransferStatus::requested, work.now(), t.requested_by, event.id, t.ready_by, answer.reason});

  // The task is the transfer's own, whatever order it serves: it is found
  // again by its id (Transfer::case_id), not by the order's subject.
  work.set_subject(Subject::transfer(id));
  CaseRecord &c = work.open_task(IssueType::stock_transfer,
                                 (t.customer_waiting ? "customer waiting at store " : "stock transfer to ") + to +
                                     ": " + lines_text(t) + " from " + from);
  c.store_id = work.store();
  if (t.customer_waiting) work.add_trigger(c, "customer_waiting_at_store");
  c.initial_action = answer.answer == "pull_now" ? "Store priority: the warehouse pulls it from stock now"
                                                 : "Warehouse priority: the store was given a wait time";
  t.case_id = c.id;
  t.priority = c.priority;

  Json vars = transfer_variables(policy, t, work.now());
  if (t.order_id) vars["transfer.order"] = *t.order_id;
  const bool pull = answer.answer == "pull_now";
  // The answer goes to the store's team; the warehouse is told what to do.
  work.notify_team(c, location_team(policy, to), pull ? "team_transfer_pull_now" : "team_transfer_wait", {}, vars,
                   "transfer-answer");
  work.notify_team(c, policy.teams.warehouse, "team_transfer_request",
                   {pull ? "Pull from warehouse stock now" : "Schedule it; the store was told when to expect it",
                    "Report it picked, shipped, received (transfer.updated)"},
                   vars, "transfer-request");
  work.log(c, "transfer", t.requested_by,
           {{"transfer_id", id}, {"from", from}, {"to", to}, {"items", lines_text(t)}, {"favours", answer.favours},
            {"answer", answer.answer}, {"ready_by", format_rfc3339(answer.ready_by)}, {"reason", answer.reason}});
  work.decision().transfer = std::move(t);
}

void on_transfer_updated(CaseWork &work, const EventView &event) {
  const Json &data = event.data;
  const std::string id = text_of(data, "transfer_id");
  const std::string reported = text_of(data, "status");
  const auto step = parse_transfer_status(reported);
  if (!step || *step == TransferStatus::requested)
    fail(OC_ERR_SCHEMA, "data.status: expected one of scheduled, picked, shipped, received, cancelled");
  if (!work.state().transfer)
    fail(OC_ERR_NOT_FOUND, "transfer.updated: no transfer '" + id + "'; submit its transfer.requested first");
  Transfer t = *work.state().transfer;
  const std::string by = optional_text_of(data, "reported_by").value_or(event.source);

  // A step reported again changes nothing (the stock moved once); a step
  // behind the transfer's is refused: it would undo what was done.
  if (*step == t.status && *step != TransferStatus::scheduled) return;
  if (t.status == TransferStatus::cancelled)
    refuse_update(id, "was cancelled; it cannot be " + reported);
  if (*step == TransferStatus::cancelled) {
    if (progress_rank(t.status) >= progress_rank(TransferStatus::shipped))
      refuse_update(id, "is " + std::string(to_string(t.status)) +
                              ": the stock left the warehouse; report it received at the store");
  } else if (progress_rank(*step) < progress_rank(t.status)) {
    fail(OC_ERR_TRANSITION, "transfer.updated: transfer " + id + " is " + std::string(to_string(t.status)) +
                                "; it cannot go back to " + reported);
  }
  std::optional<TimeMs> ready_by = time_of(data, "ready_by");
  if (*step == TransferStatus::scheduled && !ready_by)
    fail(OC_ERR_SCHEMA, "data.ready_by: required with status scheduled: when the store can count on the stock");

  CaseRecord *found = transfer_case(work, t);
  if (!found) fail(OC_ERR_INTERNAL, "transfer.updated: transfer " + id + " has lost its case " + t.case_id);
  CaseRecord &c = *found;
  const Policy &policy = work.policy();
  // A report from the warehouse or the store is someone acting on the
  // task: its internal-action clock is met.
  c.acted_at = work.now();
  t.status = *step;
  t.updated_at = work.now();
  t.history.push_back({*step, work.now(), by, event.id, ready_by, optional_text_of(data, "note").value_or("")});
  switch (*step) {
    case TransferStatus::scheduled: {
      // The warehouse gives (or changes) the wait: the store hears it.
      t.ready_by = *ready_by;
      t.answer = "wait";
      work.notify_team(c, location_team(policy, t.to), "team_transfer_wait", {},
                       transfer_variables(policy, t, work.now()), "transfer-scheduled");
      break;
    }
    case TransferStatus::picked: break;
    case TransferStatus::shipped:
      move_stock(work, c, t, true);
      t.stock_left = true;
      break;
    case TransferStatus::received:
      // Received without a shipped report: the stock left and arrived now.
      if (!t.stock_left) move_stock(work, c, t, true);
      move_stock(work, c, t, false);
      t.stock_left = t.stock_arrived = true;
      close_task(work, c, by, "Transfer " + id + " received at " + t.to + ": " + lines_text(t));
      break;
    case TransferStatus::cancelled:
      close_task(work, c, by, "Transfer " + id + " cancelled before it left " + t.from);
      break;
    case TransferStatus::requested: break;
  }
  work.log(c, "transfer", by, {{"transfer_id", id}, {"status", reported}});
  work.decision().transfer = std::move(t);
}

}  // namespace ordercare::domain
