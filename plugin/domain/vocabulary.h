// The words of the domain: issue types, priorities, case states, order and
// shipment states, channels. Each is an enum with one spelling on the wire
// (the one in abi/CALLS.md and abi/events.schema.json).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ordercare::domain {

// DESIGN.md "Issue types (seeds)".
enum class IssueType {
  wismo,
  shipping_delay,
  wrong_item,
  damaged_item,
  missing_item,
  cancellation_request,
  order_change,
  out_of_stock,
  return_request,
  refund,
  payment,
  missing_receipt,
  inventory_discrepancy,
  complaint,
  store_pickup,
  fraud_suspected,
  stock_transfer,  // seed 004: store needs item from warehouse (transfers.h)
};

// Seed 004's escalation priority guide: P1 handle immediately, P2 same day,
// P3 within 24 hours. Lower number, higher priority.
enum class Priority { p1 = 1, p2 = 2, p3 = 3 };

enum class CaseStatus {
  new_case,
  open,
  waiting_customer,
  waiting_warehouse,
  escalated,
  resolved,
  closed,
  reopened,
};

enum class OrderStatus { pending, processing, picked, packed, shipped, delivered, cancelled };

enum class ShipmentStatus { in_transit, delayed, delivery_failed, delivered, lost, damaged };

enum class Channel { email, chat, phone, social, marketplace, store, web, system };

// The RMA lifecycle: requested -> approved | rejected -> label_issued ->
// in_transit -> received -> inspected -> refunded -> closed, or cancelled.
enum class ReturnStatus {
  requested,
  approved,
  rejected,
  label_issued,
  in_transit,
  received,
  inspected,
  refunded,
  closed,
  cancelled,
};

std::string_view to_string(IssueType v);
std::string_view to_string(Priority v);
std::string_view to_string(CaseStatus v);
std::string_view to_string(OrderStatus v);
std::string_view to_string(ShipmentStatus v);
std::string_view to_string(Channel v);
std::string_view to_string(ReturnStatus v);

// Human label for reports ("Where is my order?", "Damaged item").
std::string_view label(IssueType v);

std::optional<IssueType> parse_issue_type(std::string_view text);
std::optional<Priority> parse_priority(std::string_view text);
std::optional<CaseStatus> parse_case_status(std::string_view text);
std::optional<OrderStatus> parse_order_status(std::string_view text);
std::optional<ShipmentStatus> parse_shipment_status(std::string_view text);
std::optional<Channel> parse_channel(std::string_view text);
std::optional<ReturnStatus> parse_return_status(std::string_view text);

// The channels a customer and the store talk on: the schema's
// contact_channel (abi/events.schema.json), so an agent's reply goes out on
// one a message can come in on. "web" and "system" are not among them.
const std::vector<std::string> &contact_channels();

// Fulfilment progress, for "has it been picked / packed / shipped yet?".
int progress_rank(OrderStatus v);

}  // namespace ordercare::domain
