// A return (RMA) from request to refund. Items carry their own outcome:
// what the customer asked, what policy decided, what the warehouse got and
// what became of it.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/json.h"
#include "common/time_format.h"
#include "domain/entities.h"
#include "domain/vocabulary.h"

namespace ordercare::domain::json_fields {
class TextWriter;
}  // namespace ordercare::domain::json_fields

namespace ordercare::domain {

struct ReturnItem {
  std::string line_id;
  std::string sku;
  std::string name;
  std::int64_t quantity = 0;    // asked to return
  std::int64_t unit_price = 0;  // minor units, from the order
  std::string reason;           // damaged | wrong_item | not_as_described | changed_mind | ...
  std::string reported_condition;
  bool eligible = true;
  std::string decision;  // why eligible or not, in words
  std::int64_t received = 0;
  std::string received_condition;  // resellable | damaged
  std::string disposition;         // restocked | scrapped (to the returns area)

  bool operator==(const ReturnItem &) const = default;
};

struct ReturnRecord {
  std::string id;
  std::string order_id;
  std::string customer_id;
  std::optional<std::string> case_id;
  ReturnStatus status = ReturnStatus::requested;
  std::string currency;
  std::vector<ReturnItem> items;
  // Policy's decision, with its reasons.
  bool store_pays_shipping = false;
  bool keep_item = false;        // low-value: refund without sending it back
  bool instant_refund = false;   // refund before the item is back
  std::int64_t restocking_fee = 0;
  std::vector<std::string> decisions;
  std::optional<std::string> label;
  TimeMs requested_at = 0;
  std::optional<TimeMs> approved_at, label_issued_at, received_at, inspected_at, refunded_at, closed_at;
  std::optional<std::string> rejection_reason;
  // Seed 004 "Customer returning item to store": the store (locations.h)
  // that took the items back, and whether the customer walked in without
  // an RMA (the return was made on the spot from the order).
  std::optional<std::string> received_at_store;
  bool walk_in = false;
  Json pii = Json::object();  // customer's notes

  // Minor units: what the items approved for return are worth, less fees.
  std::int64_t refund_due() const;

  bool operator==(const ReturnRecord &) const = default;
};

// This return's refunds in the order's ledger: succeeded, and still open.
std::int64_t refunded_for(const Order &order, const std::string &return_id);
std::int64_t outstanding_for(const Order &order, const std::string &return_id);

// With `order`, the refunds of the return are included.
Json to_json(const ReturnRecord &r, const Order *order = nullptr);
ReturnRecord return_from_json(const Json &json);
// The members to_json(r) gives without an order, written by `w` (begun on
// the document) straight to text, without the tree (json_text.h): the
// store's form of a return.
void write_text(const ReturnRecord &r, json_fields::TextWriter &w);

}  // namespace ordercare::domain
