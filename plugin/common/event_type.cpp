#include "common/event_type.h"

#include <array>

namespace ordercare {

namespace {

struct Spelling {
  EventType type;
  std::string_view name;
  bool submittable;
};

// In the order of the enum, so name_of is an index (checked below).
constexpr std::array kSpellings = {
    Spelling{EventType::order_created, "order.created", true},
    Spelling{EventType::order_updated, "order.updated", true},
    Spelling{EventType::shipment_updated, "shipment.updated", true},
    Spelling{EventType::customer_message, "customer.message", true},
    Spelling{EventType::cancellation_requested, "cancellation.requested", true},
    Spelling{EventType::order_change_requested, "order.change_requested", true},
    Spelling{EventType::return_requested, "return.requested", true},
    Spelling{EventType::return_received, "return.received", true},
    Spelling{EventType::refund_result, "refund.result", true},
    Spelling{EventType::order_action_result, "order_action.result", true},
    Spelling{EventType::inventory_discrepancy, "inventory.discrepancy", true},
    Spelling{EventType::warehouse_order_delayed, "warehouse.order_delayed", true},
    Spelling{EventType::warehouse_out_of_stock, "warehouse.out_of_stock", true},
    Spelling{EventType::warehouse_damaged_at_pick, "warehouse.damaged_at_pick", true},
    Spelling{EventType::warehouse_change_answer, "warehouse.change_answer", true},
    Spelling{EventType::payment_failed, "payment.failed", true},
    Spelling{EventType::payment_disputed, "payment.disputed", true},
    Spelling{EventType::pickup_requested, "pickup.requested", true},
    Spelling{EventType::pickup_updated, "pickup.updated", true},
    Spelling{EventType::feedback_received, "feedback.received", true},
    Spelling{EventType::refund_recorded, "refund.recorded", true},
    Spelling{EventType::privacy_requested, "privacy.requested", true},
    Spelling{EventType::transfer_requested, "transfer.requested", true},
    Spelling{EventType::transfer_updated, "transfer.updated", true},
    Spelling{EventType::order_stock_shortfall, "order.stock_shortfall", false},
};

constexpr bool indexed_by_enum() {
  for (std::size_t i = 0; i < kSpellings.size(); ++i)
    if (static_cast<std::size_t>(kSpellings[i].type) != i) return false;
  return true;
}
static_assert(indexed_by_enum(), "kSpellings must list the types in the enum's order");

constexpr std::array<EventType, kSpellings.size()> all_types() {
  std::array<EventType, kSpellings.size()> out{};
  for (std::size_t i = 0; i < kSpellings.size(); ++i) out[i] = kSpellings[i].type;
  return out;
}
constexpr auto kAllTypes = all_types();

const Spelling &spelling_of(EventType type) { return kSpellings[static_cast<std::size_t>(type)]; }

}  // namespace

const std::string &name_of(EventType type) {
  static const auto names = [] {
    std::array<std::string, kSpellings.size()> out;
    for (std::size_t i = 0; i < kSpellings.size(); ++i) out[i] = std::string(kSpellings[i].name);
    return out;
  }();
  return names[static_cast<std::size_t>(type)];
}

std::optional<EventType> event_type_from(std::string_view name) {
  // Once per event, over 25 short names: a scan costs less than hashing.
  for (const auto &spelling : kSpellings)
    if (spelling.name == name) return spelling.type;
  return std::nullopt;
}

bool is_submittable(EventType type) { return spelling_of(type).submittable; }

std::span<const EventType> all_event_types() { return kAllTypes; }

}  // namespace ordercare
