#include "domain/vocabulary.h"

#include <array>
#include <utility>

namespace ordercare::domain {

namespace {

template <class E, std::size_t N>
using Names = std::array<std::pair<E, std::string_view>, N>;

constexpr Names<IssueType, 17> kIssueTypes{{
    {IssueType::wismo, "wismo"},
    {IssueType::shipping_delay, "shipping_delay"},
    {IssueType::wrong_item, "wrong_item"},
    {IssueType::damaged_item, "damaged_item"},
    {IssueType::missing_item, "missing_item"},
    {IssueType::cancellation_request, "cancellation_request"},
    {IssueType::order_change, "order_change"},
    {IssueType::out_of_stock, "out_of_stock"},
    {IssueType::return_request, "return"},
    {IssueType::refund, "refund"},
    {IssueType::payment, "payment"},
    {IssueType::missing_receipt, "missing_receipt"},
    {IssueType::inventory_discrepancy, "inventory_discrepancy"},
    {IssueType::complaint, "complaint"},
    {IssueType::store_pickup, "store_pickup"},
    {IssueType::fraud_suspected, "fraud_suspected"},
    {IssueType::stock_transfer, "stock_transfer"},
}};

constexpr Names<IssueType, 17> kIssueLabels{{
    {IssueType::wismo, "Where is my order?"},
    {IssueType::shipping_delay, "Shipping delay"},
    {IssueType::wrong_item, "Wrong item received"},
    {IssueType::damaged_item, "Item arrived damaged"},
    {IssueType::missing_item, "Item missing from order"},
    {IssueType::cancellation_request, "Order cancellation request"},
    {IssueType::order_change, "Order change / rush"},
    {IssueType::out_of_stock, "Out-of-stock item"},
    {IssueType::return_request, "Return"},
    {IssueType::refund, "Refund"},
    {IssueType::payment, "Payment issue"},
    {IssueType::missing_receipt, "Missing receipt"},
    {IssueType::inventory_discrepancy, "Inventory discrepancy"},
    {IssueType::complaint, "Complaint"},
    {IssueType::store_pickup, "Store pickup"},
    {IssueType::fraud_suspected, "Fraud suspected"},
    {IssueType::stock_transfer, "Store/warehouse transfer"},
}};

constexpr Names<Priority, 3> kPriorities{{
    {Priority::p1, "P1"}, {Priority::p2, "P2"}, {Priority::p3, "P3"}}};

constexpr Names<CaseStatus, 8> kCaseStatuses{{
    {CaseStatus::new_case, "new"},
    {CaseStatus::open, "open"},
    {CaseStatus::waiting_customer, "waiting_customer"},
    {CaseStatus::waiting_warehouse, "waiting_warehouse"},
    {CaseStatus::escalated, "escalated"},
    {CaseStatus::resolved, "resolved"},
    {CaseStatus::closed, "closed"},
    {CaseStatus::reopened, "reopened"},
}};

constexpr Names<OrderStatus, 7> kOrderStatuses{{
    {OrderStatus::pending, "pending"},
    {OrderStatus::processing, "processing"},
    {OrderStatus::picked, "picked"},
    {OrderStatus::packed, "packed"},
    {OrderStatus::shipped, "shipped"},
    {OrderStatus::delivered, "delivered"},
    {OrderStatus::cancelled, "cancelled"},
}};

constexpr Names<ShipmentStatus, 6> kShipmentStatuses{{
    {ShipmentStatus::in_transit, "in_transit"},
    {ShipmentStatus::delayed, "delayed"},
    {ShipmentStatus::delivery_failed, "delivery_failed"},
    {ShipmentStatus::delivered, "delivered"},
    {ShipmentStatus::lost, "lost"},
    {ShipmentStatus::damaged, "damaged"},
}};

constexpr Names<Channel, 8> kChannels{{
    {Channel::email, "email"},
    {Channel::chat, "chat"},
    {Channel::phone, "phone"},
    {Channel::social, "social"},
    {Channel::marketplace, "marketplace"},
    {Channel::store, "store"},
    {Channel::web, "web"},
    {Channel::system, "system"},
}};

constexpr Names<ReturnStatus, 10> kReturnStatuses{{
    {ReturnStatus::requested, "requested"},
    {ReturnStatus::approved, "approved"},
    {ReturnStatus::rejected, "rejected"},
    {ReturnStatus::label_issued, "label_issued"},
    {ReturnStatus::in_transit, "in_transit"},
    {ReturnStatus::received, "received"},
    {ReturnStatus::inspected, "inspected"},
    {ReturnStatus::refunded, "refunded"},
    {ReturnStatus::closed, "closed"},
    {ReturnStatus::cancelled, "cancelled"},
}};

template <class E, std::size_t N>
std::string_view name_of(const Names<E, N> &names, E value) {
  for (const auto &[v, name] : names)
    if (v == value) return name;
  return "unknown";
}

template <class E, std::size_t N>
std::optional<E> parse_name(const Names<E, N> &names, std::string_view text) {
  for (const auto &[v, name] : names)
    if (name == text) return v;
  return std::nullopt;
}

}  // namespace

std::string_view to_string(IssueType v) { return name_of(kIssueTypes, v); }
std::string_view to_string(Priority v) { return name_of(kPriorities, v); }
std::string_view to_string(CaseStatus v) { return name_of(kCaseStatuses, v); }
std::string_view to_string(OrderStatus v) { return name_of(kOrderStatuses, v); }
std::string_view to_string(ShipmentStatus v) { return name_of(kShipmentStatuses, v); }
std::string_view to_string(Channel v) { return name_of(kChannels, v); }
std::string_view to_string(ReturnStatus v) { return name_of(kReturnStatuses, v); }
std::string_view label(IssueType v) { return name_of(kIssueLabels, v); }

std::optional<IssueType> parse_issue_type(std::string_view t) { return parse_name(kIssueTypes, t); }
std::optional<Priority> parse_priority(std::string_view t) { return parse_name(kPriorities, t); }

const std::vector<std::string> &contact_channels() {
  static const std::vector<std::string> channels = {"email", "chat", "phone", "social", "marketplace", "store"};
  return channels;
}
std::optional<CaseStatus> parse_case_status(std::string_view t) { return parse_name(kCaseStatuses, t); }
std::optional<OrderStatus> parse_order_status(std::string_view t) { return parse_name(kOrderStatuses, t); }
std::optional<ShipmentStatus> parse_shipment_status(std::string_view t) {
  return parse_name(kShipmentStatuses, t);
}
std::optional<Channel> parse_channel(std::string_view t) { return parse_name(kChannels, t); }
std::optional<ReturnStatus> parse_return_status(std::string_view t) {
  return parse_name(kReturnStatuses, t);
}

int progress_rank(OrderStatus v) {
  switch (v) {
    case OrderStatus::pending: return 0;
    case OrderStatus::processing: return 1;
    case OrderStatus::picked: return 2;
    case OrderStatus::packed: return 3;
    case OrderStatus::shipped: return 4;
    case OrderStatus::delivered: return 5;
    case OrderStatus::cancelled: return 6;
  }
  return 0;
}

}  // namespace ordercare::domain
