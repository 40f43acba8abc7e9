// The canonical event types (abi/events.schema.json, "type"), as a closed
// set: code names a type by its enum value, so a misspelt type fails to
// compile instead of matching nothing. The wire spelling of each lives in
// event_type.cpp alone; an event's "type" is read into an EventType once,
// where it enters, and written back with name_of.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace ordercare {

enum class EventType : std::uint8_t {
  order_created,
  order_updated,
  shipment_updated,
  customer_message,
  cancellation_requested,
  order_change_requested,
  return_requested,
  return_received,
  refund_result,
  order_action_result,
  inventory_discrepancy,
  warehouse_order_delayed,
  warehouse_out_of_stock,
  warehouse_damaged_at_pick,
  warehouse_change_answer,
  payment_failed,
  payment_disputed,
  pickup_requested,
  pickup_updated,
  feedback_received,
  refund_recorded,
  privacy_requested,
  transfer_requested,
  transfer_updated,
  // Internal: a follow-up the domain decides on its own (an open order a
  // stock count left short). Never submitted, never stored, not in the
  // schema.
  order_stock_shortfall,
};

// "order.created" for EventType::order_created: the spelling on the wire.
// A string, as most callers put it into a message, a log line or JSON.
const std::string &name_of(EventType type);

// The type spelt `name`; nullopt for any other text (wrong case included).
// Internal types are found too: the runtime decides its follow-ups by them.
std::optional<EventType> event_type_from(std::string_view name);

// True for the types of abi/events.schema.json, which hosts may submit;
// false for the domain's internal follow-ups.
bool is_submittable(EventType type);

// Every type, in declaration order.
std::span<const EventType> all_event_types();

}  // namespace ordercare
