// Seed 004 "Customer wants to pick up order at store": pickup.requested
// opens the pickup case and its ready clock; pickup.updated walks the order
// through the playbook's steps (picked and packed, labelled STORE PICKUP,
// moved to the pickup area: ready, the customer told) to the release, which
// needs the ID check. The ready clock and the hold clock are
// location_clocks.h's.
#include "common/failure.h"
#include "common/value_ranges.h"
#include "domain/case_state_machine.h"
#include "domain/event_handlers.h"
#include "domain/location_clocks.h"
#include "domain/priority.h"

namespace ordercare::domain {

namespace {

// The store's name as the customer reads it, else its id.
std::string place_name(const Policy &policy, const std::string &store_id) {
  const Location *place = policy.physical_locations().find(store_id);
  return place ? place->name : store_id;
}

TimeMs ready_within(const Policy &policy, const std::string &store_id) {
  const Location *store = policy.physical_locations().store(store_id);
  return store ? store->ready_within : policy.sla.store_pickup_ready;
}

TimeMs hold_period(const Policy &policy, const std::string &store_id) {
  const Location *store = policy.physical_locations().store(store_id);
  return store ? store->pickup_hold : Location{}.pickup_hold;
}

// The order's pickup record, begun now at `store_id` when there is none.
StorePickup &pickup_of(CaseWork &work, const std::string &store_id) {
  Order &order = work.edit_order();
  if (!order.pickup) {
    order.pickup = StorePickup{};
    order.pickup->location = store_id;
    order.pickup->requested_at = work.now();
  }
  return *order.pickup;
}

// The ready clock runs from the request until the order is in the pickup
// area; it starts once per pickup.
void start_ready_clock(CaseWork &work, CaseRecord &c, const StorePickup &pickup) {
  if (pickup.ready_at || c.clock(kPickupReadyClock)) return;
  start_location_clock(c, kPickupReadyClock, pickup.requested_at,
                       add_saturating(pickup.requested_at, ready_within(work.policy(), pickup.location)));
}

[[noreturn]] void refuse(const StorePickup &pickup, const std::string &order_id, const std::string &why) {
  fail(OC_ERR_REFUSED, "pickup.updated: order " + order_id + " at " + pickup.location + ": " + why);
}

void mark_ready(CaseWork &work, CaseRecord &c, StorePickup &pickup) {
  pickup.ready_at = work.now();
  meet_location_clock(c, kPickupReadyClock, work.now());
  start_location_clock(c, kPickupHoldClock, work.now(),
                       add_saturating(work.now(), hold_period(work.policy(), pickup.location)));
  Json vars = order_variables(work.order());
  vars["pickup.location"] = place_name(work.policy(), pickup.location);
  // Seed 004 step 4: the store knows it is there, and the customer hears
  // it is ready (and to bring ID).
  work.notify_team(c, location_team(work.policy(), pickup.location), "team_store_pickup_ready",
                   {"Release the order when the customer shows ID"}, vars, "pickup-ready-store");
  work.notify_customer(c, "store_pickup_ready", vars, "pickup-ready");
  if (c.initial_action.empty()) c.initial_action = "Order ready for pickup; the customer was told";
  add_unique(c.follow_ups, "Ready for pickup at " + pickup.location + "; the customer was told");
  // Now it is the customer's turn to come.
  if (c.status != CaseStatus::waiting_customer && can_transition(c.status, CaseStatus::waiting_customer))
    work.change_status(c, CaseStatus::waiting_customer, "store", name_of(EventType::pickup_updated));
}

void release(CaseWork &work, CaseRecord &c, StorePickup &pickup, const EventView &event) {
  const std::string id_checked = optional_text_of(event.data, "id_checked").value_or("");
  // Seed 004 step 5: "Customer shows ID: Store releases order".
  if (id_checked.find_first_not_of(" \t\r\n") == std::string::npos)
    refuse(pickup, work.order()->id,
           "the order is released only after the customer's ID is checked: give data.id_checked (the kind of "
           "ID shown, e.g. \"passport\")");
  pickup.collected_at = work.now();
  pickup.id_checked = id_checked;
  pickup.released_by = optional_text_of(event.data, "released_by").value_or("store");
  meet_location_clock(c, kPickupHoldClock, work.now());
  meet_location_clock(c, kPickupReadyClock, work.now());
  if (!is_active(c.status)) return;
  const std::string resolution = "Collected at " + pickup.location + " (ID checked: " + id_checked + ")";
  work.change_status(c, CaseStatus::resolved, pickup.released_by, name_of(EventType::pickup_updated));
  c.resolved_at = work.now();
  c.resolved_by = pickup.released_by;
  c.resolution = resolution;
  c.action_taken = "Released the order to the customer after the ID check";
  add_unique(c.follow_ups, resolution);
}

}  // namespace

void on_pickup_requested(CaseWork &work, const EventView &event) {
  const bool waiting = event.data.value("customer_waiting", false);
  const std::string store_id = text_of(event.data, "store_id");
  CaseRecord &c = work.case_for(IssueType::store_pickup, Origin::customer,
                                waiting ? "customer waiting at store " + store_id
                                        : "store pickup at " + store_id,
                                "store");
  if (work.is_new(c)) work.customer_wrote(c);
  c.location = store_id;
  if (waiting) work.add_trigger(c, "customer_waiting_at_store");
  Json vars = order_variables(work.order());
  vars["pickup.location"] = store_id;
  start_playbook(work, c, vars);
  if (!work.order()) return wait_for_order(work, text_of(event.data, "order_id"));
  // Seed 004: ready within 2 hours (the store's ready_within).
  start_ready_clock(work, c, pickup_of(work, store_id));
  if (progress_rank(work.order()->status) < progress_rank(OrderStatus::packed))
    // "Store needs item from warehouse": store customers are here now.
    work.notify_team(c, work.policy().teams.warehouse, "team_cs_request",
                     {"Store priority: pull the order from warehouse stock", "Document the transfer",
                      "Give the store a ready time"},
                     vars, "pickup-transfer");
}

void on_pickup_updated(CaseWork &work, const EventView &event) {
  const std::string order_id = text_of(event.data, "order_id");
  const std::string store_id = text_of(event.data, "store_id");
  const std::string step = text_of(event.data, "step");
  // Not kept for later like a platform's early delivery: the store holds
  // the order in its hands, and a step refused once the order arrived
  // could not be answered to anyone.
  if (!work.order())
    fail(OC_ERR_NOT_FOUND, "pickup.updated: order " + order_id + " is not known; submit its order.created first");
  if (work.order()->pickup && work.order()->pickup->location != store_id)
    fail(OC_ERR_REFUSED, "pickup.updated: order " + order_id + " is to be collected at " +
                             work.order()->pickup->location + ", not " + store_id);
  CaseRecord *found = work.find_active(IssueType::store_pickup);
  CaseRecord &c = found ? *found
                        : work.case_for(IssueType::store_pickup, Origin::system, "store pickup at " + store_id, "store");
  c.location = store_id;
  StorePickup &pickup = pickup_of(work, store_id);
  start_ready_clock(work, c, pickup);
  if (pickup.collected_at) {
    // Already released: a late or repeated report changes nothing.
    work.log(c, "event", "store", {{"pickup", step}, {"ignored", "the order was collected already"}});
    return;
  }
  if (step == "packed") {
    if (!pickup.packed_at) pickup.packed_at = work.now();
  } else if (step == "labelled") {
    if (!pickup.packed_at) refuse(pickup, order_id, "labelled before it was verified picked and packed (step \"packed\")");
    if (!pickup.labelled_at) pickup.labelled_at = work.now();
  } else if (step == "in_pickup_area") {
    if (!pickup.labelled_at) refuse(pickup, order_id, "moved to the pickup area before it was labelled \"STORE PICKUP\" (step \"labelled\")");
    if (!pickup.ready_at) mark_ready(work, c, pickup);
  } else if (step == "collected") {
    if (!pickup.ready_at) refuse(pickup, order_id, "collected before it was in the pickup area (step \"in_pickup_area\")");
    release(work, c, pickup, event);
  } else {
    fail(OC_ERR_SCHEMA, "data.step: expected one of packed, labelled, in_pickup_area, collected");
  }
  work.log(c, "pickup", "store", {{"step", step}, {"location", store_id}});
}

}  // namespace ordercare::domain
