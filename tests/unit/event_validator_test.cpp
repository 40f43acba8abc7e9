// Schema v1 as EVENTS.md states it: a valid example of every type, and
// every way an integrator can get a field wrong, with the message they see.
#include "ingest/event_validator.h"

#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <string>
#include <thread>
#include <vector>

#include "common/failure.h"
#include "common/value_ranges.h"
#include "ingest/canonical_event.h"
#include "support/temp_dir.h"

namespace ordercare::ingest {
namespace {

Json envelope(const std::string &type, Json data) {
  return Json{{"id", "evt-" + type},
              {"type", type},
              {"occurred_at", "2026-11-22T10:00:00Z"},
              {"source", "host"},
              {"store", "eu-main"},
              {"data", std::move(data)}};
}

const Json kCustomer = {{"id", "c-17"},
                        {"name", "Ana Lima"},
                        {"email", "ana@example.com"},
                        {"phone", "+15551234567"},
                        {"tags", {"vip", "wholesale"}}};

const Json kLine = {{"line_id", "l1"}, {"sku", "MUG-1"}, {"name", "Mug"}, {"quantity", 2}, {"unit_price", 1999}};

// One event of each v1 type with every optional field filled in.
const std::map<std::string, Json> &valid_events() {
  static const std::map<std::string, Json> events = {
      {"order.created",
       envelope("order.created",
                {{"order",
                  {{"id", "o-1001"},
                   {"number", "#1001"},
                   {"placed_at", "2026-11-20T09:30:00.250+01:00"},
                   {"currency", "USD"},
                   {"total", 12997},
                   {"channel", "web"},
                   {"customer", kCustomer},
                   {"items",
                    {kLine,
                     {{"line_id", "l2"}, {"sku", "TEE-M"}, {"quantity", 1}, {"unit_price", 8999}},
                     {{"line_id", "l3"}, {"sku", "CARD"}, {"quantity", 1}, {"unit_price", 0}}}},
                   {"shipping_address", {{"line1", "1 Main St"}, {"city", "Springfield"}}},
                   {"promised_by", "2026-11-25T18:00:00-05:00"},
                   {"note", "gift wrap, please"}}}})},
      {"order.updated",
       envelope("order.updated", {{"order_id", "o-1001"},
                                  {"status", "packed"},
                                  {"promised_by", "2026-11-26T18:00:00Z"},
                                  {"total", 10998},
                                  {"items", {kLine}}})},
      {"shipment.updated",
       envelope("shipment.updated", {{"order_id", "o-1001"},
                                     {"shipment_id", "s-1"},
                                     {"carrier", "ups"},
                                     {"tracking_number", "1Z999"},
                                     {"status", "delayed"},
                                     {"eta", "2026-11-27T12:00:00Z"},
                                     {"reason", "weather"}})},
      {"customer.message",
       envelope("customer.message", {{"message_id", "m-9"},
                                     {"order_id", "o-1001"},
                                     {"customer", kCustomer},
                                     {"channel", "social"},
                                     {"text", "Where is my order?"},
                                     {"public", true},
                                     {"audience", 250000}})},
      {"cancellation.requested",
       envelope("cancellation.requested",
                {{"order_id", "o-1001"}, {"reason", "ordered twice"}, {"channel", "email"}})},
      {"order.change_requested",
       envelope("order.change_requested",
                {{"order_id", "o-1001"}, {"change", "address"}, {"details", {{"line1", "2 Oak Ave"}}}})},
      {"return.requested",
       envelope("return.requested",
                {{"return_id", "r-5"},
                 {"order_id", "o-1001"},
                 {"items",
                  {{{"line_id", "l1"},
                    {"quantity", 1},
                    {"reason", "damaged"},
                    {"condition", "cracked handle"},
                    {"note", "box was crushed"}},
                   {{"line_id", "l2"}, {"quantity", 1}, {"reason", "changed_mind"}}}},
                 {"photos", {"https://img.example/1.jpg"}}})},
      {"return.received",
       envelope("return.received", {{"return_id", "r-5"},
                                    {"items",
                                     {{{"line_id", "l1"}, {"quantity", 1}, {"condition", "damaged"}},
                                      {{"line_id", "l2"}, {"quantity", 1}, {"condition", "resellable"}}}},
                                    {"location", "wh-berlin"}})},
      {"refund.result",
       envelope("refund.result", {{"refund_id", "rf-r-5-1"},
                                  {"status", "failed"},
                                  {"amount", 1999},
                                  {"reason", "card expired"},
                                  {"host_reference", "re_123"}})},
      {"refund.recorded",
       envelope("refund.recorded", {{"order_id", "o-1001"},
                                    {"refund_id", "re_3MtwBw"},
                                    {"amount", 1999},
                                    {"currency", "USD"},
                                    {"reason", "refunded in the Shopify admin"}})},
      {"privacy.requested",
       envelope("privacy.requested", {{"kind", "customer_redact"},
                                      {"customer_id", "207119551"},
                                      {"order_ids", {"299938", "280263"}},
                                      {"shop", "keramik-o.myshopify.com"}})},
      {"order_action.result",
       envelope("order_action.result", {{"action_id", "return_label:o-1001:1"},
                                        {"status", "succeeded"},
                                        {"label_url", "https://labels.example/rl-1"},
                                        {"tracking_number", "RL-1"},
                                        {"carrier", "dhl"}})},
      {"inventory.discrepancy",
       envelope("inventory.discrepancy", {{"sku", "MUG-1"},
                                          {"location", "wh-berlin/A3"},
                                          {"system_count", 12},
                                          {"physical_count", 0},
                                          {"reported_by", "wms"},
                                          {"note", "shelf empty"}})},
      {"payment.failed",
       envelope("payment.failed", {{"order_id", "o-1001"},
                                   {"amount", 12997},
                                   {"currency", "USD"},
                                   {"reason", "insufficient funds"}})},
      {"payment.disputed",
       envelope("payment.disputed", {{"order_id", "o-1001"},
                                     {"amount", 500},
                                     {"currency", "KWD"},
                                     {"reason", "fraudulent"},
                                     {"dispute_id", "dp-3"}})},
      {"pickup.requested",
       envelope("pickup.requested",
                {{"order_id", "o-1001"}, {"store_id", "st-mitte"}, {"customer_waiting", true}})},
      {"pickup.updated",
       envelope("pickup.updated", {{"order_id", "o-1001"},
                                   {"store_id", "st-mitte"},
                                   {"step", "collected"},
                                   {"id_checked", "passport"},
                                   {"released_by", "mia"}})},
      {"feedback.received",
       envelope("feedback.received", {{"case_id", "C-1"}, {"csat", 4}, {"nps", 9}, {"comment", "Thanks!"}})},
      {"warehouse.order_delayed",
       envelope("warehouse.order_delayed", {{"order_id", "o-1001"},
                                            {"reason", "carrier missed the pickup"},
                                            {"new_ship_date", "2026-11-24T12:00:00Z"},
                                            {"offer", "free_expedited_shipping"},
                                            {"location", "WH-EU"}})},
      {"warehouse.out_of_stock",
       envelope("warehouse.out_of_stock", {{"order_id", "o-1001"},
                                           {"sku", "MUG-1"},
                                           {"count", 0},
                                           {"restock_date", "2026-12-04T00:00:00Z"},
                                           {"substitutes", {{{"sku", "MUG-2"}, {"name", "Mug, blue"}}}},
                                           {"location", "WH-EU"}})},
      {"warehouse.damaged_at_pick",
       envelope("warehouse.damaged_at_pick", {{"order_id", "o-1001"},
                                              {"sku", "MUG-1"},
                                              {"quantity", 1},
                                              {"replacement_in_stock", false},
                                              {"restock_date", "2026-12-04T00:00:00Z"},
                                              {"substitutes", {{{"sku", "MUG-2"}}}},
                                              {"location", "WH-EU"},
                                              {"note", "handle snapped"}})},
      {"warehouse.change_answer",
       envelope("warehouse.change_answer",
                {{"order_id", "o-1001"}, {"can_change", true}, {"change", "rush"}, {"by", "2026-11-20T16:00:00Z"}})},
      {"transfer.requested",
       envelope("transfer.requested", {{"transfer_id", "TR-1"},
                                       {"from_location", "WH-EU"},
                                       {"to_location", "st-mitte"},
                                       {"lines", {{{"sku", "SKU-MUG"}, {"quantity", 2}}}},
                                       {"customer_waiting", false},
                                       {"order_id", "o-1001"},
                                       {"needed_by", "2026-11-22T16:00:00Z"},
                                       {"warehouse_deadlines", {{"orders_due", 12}, {"ship_by", "2026-11-22T14:00:00Z"}}},
                                       {"requested_by", "mia"}})},
      {"transfer.updated",
       envelope("transfer.updated", {{"transfer_id", "TR-1"},
                                     {"status", "scheduled"},
                                     {"ready_by", "2026-11-22T18:00:00Z"},
                                     {"reported_by", "wh-ops"},
                                     {"note", "next pick wave"}})},
  };
  return events;
}

Json event_of(const std::string &type) { return valid_events().at(type); }

// The status and message validate_event throws, or OC_OK and "".
std::pair<oc_status, std::string> outcome(const Json &event) {
  try {
    validate_event(event);
    return {OC_OK, ""};
  } catch (const Failure &failure) {
    return {failure.status(), failure.what()};
  }
}

Json with(Json event, const std::string &pointer, Json value) {
  event[Json::json_pointer(pointer)] = std::move(value);
  return event;
}

Json without(Json event, const std::string &pointer) {
  const Json::json_pointer where(pointer);
  event[where.parent_pointer()].erase(where.back());
  return event;
}

// Schema v1.1 added feedback.received, v1.2 refund.recorded and
// privacy.requested, v1.3 the warehouse's answers (beside the warehouse's
// inventory.discrepancy); earlier
// types keep their order.
TEST(EventValidator, KnowsExactlyTheV1Types) {
  const std::vector<std::string> expected = {
      "order.created",      "order.updated",         "shipment.updated",       "customer.message",
      "cancellation.requested", "order.change_requested", "return.requested", "return.received",
      "refund.result",      "order_action.result",   "inventory.discrepancy",  "warehouse.order_delayed",
      "warehouse.out_of_stock", "warehouse.damaged_at_pick", "warehouse.change_answer", "payment.failed",
      "payment.disputed",   "pickup.requested",      "pickup.updated",          "feedback.received",
      "refund.recorded",    "privacy.requested",     "transfer.requested",     "transfer.updated"};
  EXPECT_EQ(known_event_types(), expected);
  EXPECT_EQ(valid_events().size(), expected.size());
}

TEST(EventValidator, AcceptsAValidEventOfEveryType) {
  for (const auto &[type, event] : valid_events()) {
    SCOPED_TRACE(type);
    EXPECT_EQ(outcome(event), std::make_pair(OC_OK, std::string()));
  }
}

TEST(EventValidator, AcceptsEveryTypeWithOnlyItsRequiredFields) {
  const std::map<std::string, Json> minimal = {
      {"order.created",
       {{"order",
         {{"id", "o-1"},
          {"placed_at", "2026-11-20T09:30:00Z"},
          {"currency", "JPY"},
          {"total", 0},
          {"channel", "phone"},
          {"customer", {{"id", "c-1"}}},
          {"items", {{{"line_id", "1"}, {"sku", "S"}, {"quantity", 1}, {"unit_price", 0}}}}}}}},
      {"order.updated", {{"order_id", "o-1"}, {"status", "cancelled"}}},
      {"shipment.updated", {{"order_id", "o-1"}, {"shipment_id", "s-1"}, {"status", "lost"}}},
      {"customer.message", {{"customer", {{"id", "c-1"}}}, {"channel", "chat"}, {"text", ""}}},
      {"cancellation.requested", {{"order_id", "o-1"}}},
      {"order.change_requested", {{"order_id", "o-1"}, {"change", "rush"}}},
      {"return.requested",
       {{"order_id", "o-1"}, {"items", {{{"line_id", "1"}, {"quantity", 1}, {"reason", "other"}}}}}},
      {"return.received",
       {{"return_id", "r-1"}, {"items", {{{"line_id", "1"}, {"quantity", 3}, {"condition", "resellable"}}}}}},
      {"refund.result", {{"refund_id", "rf-1"}, {"status", "succeeded"}}},
      {"refund.recorded", {{"order_id", "o-1"}, {"refund_id", "re_1"}, {"amount", 0}, {"currency", "USD"}}},
      {"privacy.requested", {{"kind", "shop_redact"}}},
      {"order_action.result", {{"action_id", "reship:o-1:1"}, {"status", "failed"}}},
      {"inventory.discrepancy",
       {{"sku", "S"}, {"location", "A"}, {"system_count", 0}, {"physical_count", 4}, {"reported_by", "ops"}}},
      {"payment.failed", {{"order_id", "o-1"}, {"amount", 0}, {"currency", "EUR"}}},
      // Since 1.2 a dispute may leave the amount to the order (BigCommerce).
      {"payment.disputed", {{"order_id", "o-1"}}},
      {"pickup.requested", {{"order_id", "o-1"}, {"store_id", "st-1"}, {"customer_waiting", false}}},
      {"pickup.updated", {{"order_id", "o-1"}, {"store_id", "st-1"}, {"step", "packed"}}},
      {"feedback.received", {{"case_id", "C-1"}, {"nps", 0}}},
      {"warehouse.order_delayed", {{"order_id", "o-1"}, {"reason", "r"}, {"new_ship_date", "2026-11-24T12:00:00Z"}}},
      {"warehouse.out_of_stock", {{"order_id", "o-1"}, {"sku", "S"}, {"count", 0}}},
      {"warehouse.damaged_at_pick", {{"order_id", "o-1"}, {"sku", "S"}, {"quantity", 1}, {"replacement_in_stock", true}}},
      {"warehouse.change_answer", {{"order_id", "o-1"}, {"can_change", false}, {"reason", "shipped"}}},
      {"transfer.requested",
       {{"transfer_id", "TR-1"}, {"from_location", "W"}, {"to_location", "S"},
        {"lines", {{{"sku", "A"}, {"quantity", 1}}}}, {"customer_waiting", true}}},
      {"transfer.updated", {{"transfer_id", "TR-1"}, {"status", "received"}}},
  };
  ASSERT_EQ(minimal.size(), known_event_types().size());
  for (const auto &[type, data] : minimal) {
    SCOPED_TRACE(type);
    Json event = envelope(type, data);
    event.erase("store");
    EXPECT_EQ(outcome(event).first, OC_OK) << outcome(event).second;
  }
}

TEST(EventValidator, KeepsUnknownFieldsEverywhereAcceptable) {
  const Json extra = {{"vendor_flag", true}, {"nested", {{"a", {1, 2.5, nullptr}}}}};
  for (const auto &[type, original] : valid_events()) {
    SCOPED_TRACE(type);
    Json event = original;
    event["x_platform"] = extra;
    event["data"]["x_platform"] = extra;
    // Every object inside data gets an unknown field too, at any depth.
    const Json flat = event["data"].flatten();
    for (const auto &[pointer, leaf] : flat.items()) {
      Json::json_pointer where(pointer);
      while (!where.empty()) {
        where = where.parent_pointer();
        if (event["data"][where].is_object()) event["data"][where]["x_extra"] = "kept";
      }
    }
    EXPECT_EQ(outcome(event), std::make_pair(OC_OK, std::string()));
  }
}

struct MissingField {
  std::string type;
  std::string pointer;  // what to remove from the valid example
  std::string path;     // where the error says it is missing
};

TEST(EventValidator, EveryRequiredFieldIsRequired) {
  const MissingField rows[] = {
      {"order.created", "/id", "id"},
      {"order.created", "/type", "type"},
      {"order.created", "/occurred_at", "occurred_at"},
      {"order.created", "/source", "source"},
      {"order.created", "/data", "data"},
      {"order.created", "/data/order", "data.order"},
      {"order.created", "/data/order/id", "data.order.id"},
      {"order.created", "/data/order/placed_at", "data.order.placed_at"},
      {"order.created", "/data/order/currency", "data.order.currency"},
      {"order.created", "/data/order/total", "data.order.total"},
      {"order.created", "/data/order/channel", "data.order.channel"},
      {"order.created", "/data/order/customer", "data.order.customer"},
      {"order.created", "/data/order/customer/id", "data.order.customer.id"},
      {"order.created", "/data/order/items", "data.order.items"},
      {"order.created", "/data/order/items/2/line_id", "data.order.items[2].line_id"},
      {"order.created", "/data/order/items/1/sku", "data.order.items[1].sku"},
      {"order.created", "/data/order/items/0/quantity", "data.order.items[0].quantity"},
      {"order.created", "/data/order/items/2/unit_price", "data.order.items[2].unit_price"},
      {"order.updated", "/data/order_id", "data.order_id"},
      {"order.updated", "/data/status", "data.status"},
      {"order.updated", "/data/items/0/unit_price", "data.items[0].unit_price"},
      {"shipment.updated", "/data/order_id", "data.order_id"},
      {"shipment.updated", "/data/shipment_id", "data.shipment_id"},
      {"shipment.updated", "/data/status", "data.status"},
      {"customer.message", "/data/customer", "data.customer"},
      {"customer.message", "/data/customer/id", "data.customer.id"},
      {"customer.message", "/data/channel", "data.channel"},
      {"customer.message", "/data/text", "data.text"},
      {"cancellation.requested", "/data/order_id", "data.order_id"},
      {"order.change_requested", "/data/order_id", "data.order_id"},
      {"order.change_requested", "/data/change", "data.change"},
      {"return.requested", "/data/order_id", "data.order_id"},
      {"return.requested", "/data/items", "data.items"},
      {"return.requested", "/data/items/1/line_id", "data.items[1].line_id"},
      {"return.requested", "/data/items/1/quantity", "data.items[1].quantity"},
      {"return.requested", "/data/items/0/reason", "data.items[0].reason"},
      {"return.received", "/data/return_id", "data.return_id"},
      {"return.received", "/data/items", "data.items"},
      {"return.received", "/data/items/1/line_id", "data.items[1].line_id"},
      {"return.received", "/data/items/0/quantity", "data.items[0].quantity"},
      {"refund.result", "/data/refund_id", "data.refund_id"},
      {"refund.result", "/data/status", "data.status"},
      {"inventory.discrepancy", "/data/sku", "data.sku"},
      {"inventory.discrepancy", "/data/location", "data.location"},
      {"inventory.discrepancy", "/data/system_count", "data.system_count"},
      {"inventory.discrepancy", "/data/physical_count", "data.physical_count"},
      {"inventory.discrepancy", "/data/reported_by", "data.reported_by"},
      {"payment.failed", "/data/order_id", "data.order_id"},
      {"payment.failed", "/data/amount", "data.amount"},
      {"payment.failed", "/data/currency", "data.currency"},
      {"payment.disputed", "/data/order_id", "data.order_id"},
      {"refund.recorded", "/data/order_id", "data.order_id"},
      {"refund.recorded", "/data/refund_id", "data.refund_id"},
      {"refund.recorded", "/data/amount", "data.amount"},
      {"refund.recorded", "/data/currency", "data.currency"},
      {"pickup.requested", "/data/order_id", "data.order_id"},
      {"pickup.requested", "/data/store_id", "data.store_id"},
      {"pickup.requested", "/data/customer_waiting", "data.customer_waiting"},
      {"pickup.updated", "/data/order_id", "data.order_id"},
      {"pickup.updated", "/data/store_id", "data.store_id"},
      {"pickup.updated", "/data/step", "data.step"},
      {"warehouse.order_delayed", "/data/order_id", "data.order_id"},
      {"warehouse.order_delayed", "/data/reason", "data.reason"},
      {"warehouse.order_delayed", "/data/new_ship_date", "data.new_ship_date"},
      {"warehouse.out_of_stock", "/data/order_id", "data.order_id"},
      {"warehouse.out_of_stock", "/data/sku", "data.sku"},
      {"warehouse.out_of_stock", "/data/count", "data.count"},
      {"warehouse.out_of_stock", "/data/substitutes/0/sku", "data.substitutes[0].sku"},
      {"warehouse.damaged_at_pick", "/data/order_id", "data.order_id"},
      {"warehouse.damaged_at_pick", "/data/sku", "data.sku"},
      {"warehouse.damaged_at_pick", "/data/quantity", "data.quantity"},
      {"warehouse.damaged_at_pick", "/data/replacement_in_stock", "data.replacement_in_stock"},
      {"warehouse.change_answer", "/data/order_id", "data.order_id"},
      {"warehouse.change_answer", "/data/can_change", "data.can_change"},
      {"warehouse.change_answer", "/data/by", "data.by"},
      {"transfer.requested", "/data/transfer_id", "data.transfer_id"},
      {"transfer.requested", "/data/from_location", "data.from_location"},
      {"transfer.requested", "/data/to_location", "data.to_location"},
      {"transfer.requested", "/data/lines", "data.lines"},
      {"transfer.requested", "/data/customer_waiting", "data.customer_waiting"},
      {"transfer.requested", "/data/lines/0/quantity", "data.lines[0].quantity"},
      {"transfer.requested", "/data/warehouse_deadlines/ship_by", "data.warehouse_deadlines.ship_by"},
      {"transfer.updated", "/data/transfer_id", "data.transfer_id"},
      {"transfer.updated", "/data/status", "data.status"},
  };
  for (const auto &row : rows) {
    SCOPED_TRACE(row.type + " without " + row.pointer);
    EXPECT_EQ(outcome(without(event_of(row.type), row.pointer)),
              std::make_pair(OC_ERR_SCHEMA, row.path + ": missing required field"));
  }
}

TEST(EventValidator, OptionalFieldsMayBeLeftOut) {
  const MissingField rows[] = {
      {"order.created", "/store", ""},
      {"order.created", "/data/order/number", ""},
      {"order.created", "/data/order/shipping_address", ""},
      {"order.created", "/data/order/promised_by", ""},
      {"order.created", "/data/order/note", ""},
      {"order.created", "/data/order/customer/tags", ""},
      {"order.created", "/data/order/items/0/name", ""},
      {"customer.message", "/data/order_id", ""},
      {"customer.message", "/data/message_id", ""},
      {"customer.message", "/data/public", ""},
      {"customer.message", "/data/audience", ""},
      {"return.requested", "/data/return_id", ""},
      {"return.requested", "/data/photos", ""},
      {"refund.result", "/data/amount", ""},
      {"payment.disputed", "/data/dispute_id", ""},
      // Taken in, not checked yet (1.2).
      {"return.received", "/data/items/0/condition", ""},
      {"pickup.updated", "/data/id_checked", ""},
      {"pickup.updated", "/data/released_by", ""},
      {"warehouse.order_delayed", "/data/offer", ""},
      {"warehouse.order_delayed", "/data/location", ""},
      {"warehouse.out_of_stock", "/data/restock_date", ""},
      {"warehouse.out_of_stock", "/data/substitutes", ""},
      {"warehouse.out_of_stock", "/data/substitutes/0/name", ""},
      {"warehouse.change_answer", "/data/change", ""},
  };
  for (const auto &row : rows) {
    SCOPED_TRACE(row.type + " without " + row.pointer);
    EXPECT_EQ(outcome(without(event_of(row.type), row.pointer)).first, OC_OK);
  }
}

// Schema 1.2: a walk-in return names its order and store instead of an RMA.
TEST(EventValidator, AWalkInReturnNeedsItsOrderAndStoreNotAnRma) {
  Json walk_in = without(event_of("return.received"), "/data/return_id");
  walk_in["data"]["walk_in"] = true;
  walk_in["data"]["order_id"] = "o-1";
  walk_in["data"]["location"] = "STORE-BER-1";
  EXPECT_EQ(outcome(walk_in).first, OC_OK);
  EXPECT_EQ(outcome(without(walk_in, "/data/order_id")),
            std::make_pair(OC_ERR_SCHEMA, std::string("data.order_id: missing required field")));
  EXPECT_EQ(outcome(without(walk_in, "/data/location")),
            std::make_pair(OC_ERR_SCHEMA, std::string("data.location: missing required field")));
  walk_in["data"]["walk_in"] = false;
  EXPECT_EQ(outcome(walk_in),
            std::make_pair(OC_ERR_SCHEMA, std::string("data.return_id: missing required field")));
}

struct BadValue {
  std::string type;
  std::string pointer;
  Json value;
  std::string error;  // the full message
};

TEST(EventValidator, RejectsWrongValuesNamingTheField) {
  const std::string date_error = "expected an RFC 3339 date-time with offset";
  const BadValue rows[] = {
      // Envelope.
      {"order.created", "/id", "", "id: expected a non-empty string"},
      {"order.created", "/id", 42, "id: expected a non-empty string"},
      {"order.created", "/id", std::string(257, 'x'), "id: expected at most 256 characters"},
      {"order.created", "/occurred_at", "2026-11-22T10:00:00", "occurred_at: " + date_error},
      {"order.created", "/occurred_at", "2026-11-22", "occurred_at: " + date_error},
      {"order.created", "/occurred_at", "2026-02-30T10:00:00Z", "occurred_at: " + date_error},
      {"order.created", "/occurred_at", 1763805600000, "occurred_at: " + date_error},
      {"order.created", "/source", "", "source: expected a non-empty string"},
      {"order.created", "/store", 7, "store: expected a non-empty string"},
      {"order.created", "/data", Json::array(), "data: expected a JSON object"},
      {"order.created", "/data", "{}", "data: expected a JSON object"},
      // order.created
      {"order.created", "/data/order", nullptr, "data.order: expected a JSON object"},
      {"order.created", "/data/order/id", "", "data.order.id: expected a non-empty string"},
      {"order.created", "/data/order/id", 1001, "data.order.id: expected a non-empty string"},
      {"order.created", "/data/order/placed_at", "20 Nov 2026", "data.order.placed_at: " + date_error},
      {"order.created", "/data/order/promised_by", "2026-11-25T25:00:00Z",
       "data.order.promised_by: " + date_error},
      {"order.created", "/data/order/currency", "usd",
       "data.order.currency: expected a string matching ^[A-Z]{3}$"},
      {"order.created", "/data/order/currency", "EURO",
       "data.order.currency: expected a string matching ^[A-Z]{3}$"},
      {"order.created", "/data/order/currency", 978,
       "data.order.currency: expected a string matching ^[A-Z]{3}$"},
      {"order.created", "/data/order/total", -1, "data.order.total: expected an integer from 0 to 1000000000000000"},
      {"order.created", "/data/order/total", 129.97, "data.order.total: expected an integer from 0 to 1000000000000000"},
      {"order.created", "/data/order/total", 12997.0, "data.order.total: expected an integer from 0 to 1000000000000000"},
      {"order.created", "/data/order/total", "12997", "data.order.total: expected an integer from 0 to 1000000000000000"},
      {"order.created", "/data/order/channel", "fax",
       "data.order.channel: expected one of: web, marketplace, store, phone, social"},
      {"order.created", "/data/order/customer", "c-17", "data.order.customer: expected a JSON object"},
      {"order.created", "/data/order/customer/tags", "vip", "data.order.customer.tags: expected an array"},
      {"order.created", "/data/order/customer/tags/1", 3, "data.order.customer.tags[1]: expected a string"},
      {"order.created", "/data/order/customer/email", false, "data.order.customer.email: expected a string"},
      {"order.created", "/data/order/items", Json::array(), "data.order.items: expected a non-empty array"},
      {"order.created", "/data/order/items", kLine, "data.order.items: expected a non-empty array"},
      {"order.created", "/data/order/items/2", "CARD", "data.order.items[2]: expected a JSON object"},
      {"order.created", "/data/order/items/2/quantity", 0,
       "data.order.items[2].quantity: expected an integer from 1 to 1000000"},
      {"order.created", "/data/order/items/2/quantity", -3,
       "data.order.items[2].quantity: expected an integer from 1 to 1000000"},
      {"order.created", "/data/order/items/2/quantity", 1.5,
       "data.order.items[2].quantity: expected an integer from 1 to 1000000"},
      {"order.created", "/data/order/items/1/unit_price", -899,
       "data.order.items[1].unit_price: expected an integer from 0 to 1000000000000000"},
      {"order.created", "/data/order/items/0/sku", "", "data.order.items[0].sku: expected a non-empty string"},
      {"order.created", "/data/order/items/0/name", 5, "data.order.items[0].name: expected a string"},
      {"order.created", "/data/order/shipping_address", 5,
       "data.order.shipping_address: expected a JSON object or a string"},
      {"order.created", "/data/order/note", Json::object(), "data.order.note: expected a string"},
      {"order.created", "/data/order/number", 1001, "data.order.number: expected a non-empty string"},
      // order.updated
      {"order.updated", "/data/status", "lost",
       "data.status: expected one of: pending, processing, picked, packed, shipped, delivered, cancelled"},
      {"order.updated", "/data/total", -1, "data.total: expected an integer from 0 to 1000000000000000"},
      {"order.updated", "/data/promised_by", "soon", "data.promised_by: " + date_error},
      {"order.updated", "/data/items/0/quantity", 0, "data.items[0].quantity: expected an integer from 1 to 1000000"},
      // shipment.updated
      {"shipment.updated", "/data/status", "stuck",
       "data.status: expected one of: in_transit, delayed, delivery_failed, delivered, lost, damaged"},
      {"shipment.updated", "/data/eta", "2026-11-27T12:00Z", "data.eta: " + date_error},
      {"shipment.updated", "/data/shipment_id", "", "data.shipment_id: expected a non-empty string"},
      {"shipment.updated", "/data/carrier", 1, "data.carrier: expected a string"},
      // customer.message
      {"customer.message", "/data/channel", "pigeon",
       "data.channel: expected one of: email, chat, phone, social, marketplace, store"},
      {"customer.message", "/data/public", "yes", "data.public: expected a boolean"},
      {"customer.message", "/data/public", 1, "data.public: expected a boolean"},
      {"customer.message", "/data/audience", -1, "data.audience: expected an integer from 0 to 1000000000000"},
      {"customer.message", "/data/audience", 1.5e6, "data.audience: expected an integer from 0 to 1000000000000"},
      {"customer.message", "/data/text", nullptr, "data.text: expected a string"},
      {"customer.message", "/data/customer/id", "", "data.customer.id: expected a non-empty string"},
      // cancellation.requested
      {"cancellation.requested", "/data/channel", "web",
       "data.channel: expected one of: email, chat, phone, social, marketplace, store"},
      {"cancellation.requested", "/data/order_id", Json::array(), "data.order_id: expected a non-empty string"},
      // order.change_requested
      {"order.change_requested", "/data/change", "color", "data.change: expected one of: rush, address, items"},
      // return.requested
      {"return.requested", "/data/items/1/reason", "meh",
       "data.items[1].reason: expected one of: damaged, wrong_item, not_as_described, changed_mind, "
       "missing_parts, other"},
      {"return.requested", "/data/items/1/quantity", -1, "data.items[1].quantity: expected an integer from 1 to 1000000"},
      {"return.requested", "/data/items", Json::array(), "data.items: expected a non-empty array"},
      {"return.requested", "/data/photos/0", "", "data.photos[0]: expected a non-empty string"},
      // return.received
      {"return.received", "/data/items/0/condition", "used",
       "data.items[0].condition: expected one of: resellable, damaged"},
      {"return.received", "/data/items/1/quantity", 0, "data.items[1].quantity: expected an integer from 1 to 1000000"},
      // refund.result
      {"refund.result", "/data/status", "pending", "data.status: expected one of: succeeded, failed"},
      {"refund.result", "/data/amount", -1999, "data.amount: expected an integer from 0 to 1000000000000000"},
      // inventory.discrepancy
      {"inventory.discrepancy", "/data/physical_count", -2,
       "data.physical_count: expected an integer from 0 to 1000000000000"},
      {"inventory.discrepancy", "/data/system_count", 1.5, "data.system_count: expected an integer from 0 to 1000000000000"},
      {"inventory.discrepancy", "/data/location", "", "data.location: expected a non-empty string"},
      // payment.*
      {"payment.failed", "/data/amount", -1, "data.amount: expected an integer from 0 to 1000000000000000"},
      {"payment.failed", "/data/amount", 49.99, "data.amount: expected an integer from 0 to 1000000000000000"},
      {"payment.failed", "/data/currency", "Eur", "data.currency: expected a string matching ^[A-Z]{3}$"},
      {"payment.disputed", "/data/amount", "500", "data.amount: expected an integer from 0 to 1000000000000000"},
      {"payment.disputed", "/data/currency", "", "data.currency: expected a string matching ^[A-Z]{3}$"},
      // pickup.requested
      {"pickup.requested", "/data/customer_waiting", "true", "data.customer_waiting: expected a boolean"},
      {"pickup.requested", "/data/store_id", "", "data.store_id: expected a non-empty string"},
      // pickup.updated
      {"pickup.updated", "/data/step", "shipped",
       "data.step: expected one of: packed, labelled, in_pickup_area, collected"},
      {"pickup.updated", "/data/id_checked", "", "data.id_checked: expected a non-empty string"},
      {"return.received", "/data/walk_in", "yes", "data.walk_in: expected a boolean"},
      // Locations (1.3).
      {"order.created", "/data/order/items/0/location", "", "data.order.items[0].location: expected a non-empty string"},
      {"order.created", "/data/order/location", 7, "data.order.location: expected a non-empty string"},
      // The warehouse's answers (1.3).
      {"warehouse.order_delayed", "/data/new_ship_date", "Tuesday", "data.new_ship_date: " + date_error},
      {"warehouse.order_delayed", "/data/offer", "hug",
       "data.offer: expected one of: discount_code, free_expedited_shipping, store_credit, none"},
      {"warehouse.out_of_stock", "/data/count", -1, "data.count: expected an integer from 0 to 1000000000000"},
      {"warehouse.out_of_stock", "/data/substitutes", "MUG-2", "data.substitutes: expected an array"},
      {"warehouse.damaged_at_pick", "/data/quantity", 0, "data.quantity: expected an integer from 1 to 1000000"},
      {"warehouse.damaged_at_pick", "/data/replacement_in_stock", "no", "data.replacement_in_stock: expected a boolean"},
      {"warehouse.change_answer", "/data/can_change", "yes", "data.can_change: expected a boolean"},
      {"warehouse.change_answer", "/data/change", "colour", "data.change: expected one of: rush, address, items"},
      {"return.received", "/data/items/0/reason", "because",
       "data.items[0].reason: expected one of: damaged, wrong_item, not_as_described, changed_mind, missing_parts, "
       "other"},
  };
  for (const auto &row : rows) {
    SCOPED_TRACE(row.type + " with " + row.pointer + " = " + row.value.dump());
    EXPECT_EQ(outcome(with(event_of(row.type), row.pointer, row.value)),
              std::make_pair(OC_ERR_SCHEMA, row.error));
  }
}

TEST(EventValidator, LimitsTheIdTo256Bytes) {
  std::string two_byte_id;
  for (int i = 0; i < 128; ++i) two_byte_id += "\xC3\xA9";  // é
  EXPECT_EQ(outcome(with(event_of("refund.result"), "/id", two_byte_id)).first, OC_OK);
  EXPECT_EQ(outcome(with(event_of("refund.result"), "/id", std::string(256, 'a'))).first, OC_OK);
  EXPECT_EQ(outcome(with(event_of("refund.result"), "/id", two_byte_id + "x")),
            std::make_pair(OC_ERR_SCHEMA, std::string("id: expected at most 256 bytes of UTF-8")));
}

TEST(EventValidator, ChecksDataAgainstTheSchemaOfItsOwnType) {
  // A valid shipment's data is not a valid order.created's.
  Json event = event_of("shipment.updated");
  event["type"] = "order.created";
  EXPECT_EQ(outcome(event), std::make_pair(OC_ERR_SCHEMA, std::string("data.order: missing required field")));
}

TEST(EventValidator, AnUnknownTypeIsItsOwnStatus) {
  const std::string known =
      "order.created, order.updated, shipment.updated, customer.message, cancellation.requested, "
      "order.change_requested, return.requested, return.received, refund.result, order_action.result, "
      "inventory.discrepancy, warehouse.order_delayed, warehouse.out_of_stock, warehouse.damaged_at_pick, "
      "warehouse.change_answer, payment.failed, payment.disputed, pickup.requested, pickup.updated, "
      "feedback.received, refund.recorded, privacy.requested, transfer.requested, transfer.updated";
  EXPECT_EQ(outcome(with(event_of("order.created"), "/type", "order.deleted")),
            std::make_pair(OC_ERR_UNKNOWN_TYPE,
                           "type: unknown event type 'order.deleted' (known: " + known + ")"));
  EXPECT_EQ(outcome(with(event_of("order.created"), "/type", "Order.Created")).first, OC_ERR_UNKNOWN_TYPE);
  // An unknown type wins over other faults: the rest cannot be judged without it.
  Json broken = without(with(event_of("order.created"), "/type", "order.archived"), "/id");
  EXPECT_EQ(outcome(broken).first, OC_ERR_UNKNOWN_TYPE);
}

TEST(EventValidator, AMissingOrNonStringTypeIsASchemaError) {
  EXPECT_EQ(outcome(without(event_of("order.created"), "/type")),
            std::make_pair(OC_ERR_SCHEMA, std::string("type: missing required field")));
  const auto [status, message] = outcome(with(event_of("order.created"), "/type", 7));
  EXPECT_EQ(status, OC_ERR_SCHEMA);
  EXPECT_EQ(message.rfind("type: expected one of: order.created, order.updated,", 0), 0u) << message;
}

TEST(EventValidator, TheTopLevelMustBeAnObject) {
  for (const Json &value : {Json::array(), Json(nullptr), Json("order.created"), Json(1)}) {
    SCOPED_TRACE(value.dump());
    EXPECT_EQ(outcome(value), std::make_pair(OC_ERR_SCHEMA, std::string("(root): expected a JSON object")));
  }
  EXPECT_EQ(outcome(Json::object()), std::make_pair(OC_ERR_SCHEMA, std::string("id: missing required field")));
}

TEST(EventValidator, ReportsTheFirstFaultOnly) {
  Json event = with(event_of("order.created"), "/data/order/items/1/quantity", -1);
  event = with(event, "/data/order/items/2/quantity", -1);
  EXPECT_EQ(outcome(event),
            std::make_pair(OC_ERR_SCHEMA, std::string("data.order.items[1].quantity: expected an integer from 1 to 1000000")));
}

// --- Exact numbers (issue 10, point 5) -------------------------------------------------

// JSON numbers as a host's text has them: 2^63 and beyond do not fit a
// Json built in C++ the same way.
Json number(const char *text) { return Json::parse(text); }

TEST(EventValidatorRanges, AmountsAreFromZeroToTenToTheFifteen) {
  const std::string amount = "expected an integer from 0 to 1000000000000000";
  const struct {
    const char *type;
    const char *pointer;
  } fields[] = {{"order.created", "/data/order/total"},
                {"order.updated", "/data/total"},
                {"refund.result", "/data/amount"},
                {"payment.failed", "/data/amount"},
                {"payment.disputed", "/data/amount"}};
  for (const auto &field : fields) {
    const std::string path = std::string(field.pointer + 1);
    std::string named = path;
    for (char &c : named)
      if (c == '/') c = '.';
    for (const char *bad : {"9223372036854775808", "9223372036854775807", "18446744073709551615",
                            "18446744073709551616", "1000000000000001", "-1"}) {
      SCOPED_TRACE(std::string(field.type) + " " + field.pointer + " = " + bad);
      EXPECT_EQ(outcome(with(event_of(field.type), field.pointer, number(bad))),
                std::make_pair(OC_ERR_SCHEMA, named + ": " + amount));
    }
    EXPECT_EQ(outcome(with(event_of(field.type), field.pointer, kMaxAmount)).first, OC_OK);
    EXPECT_EQ(outcome(with(event_of(field.type), field.pointer, 0)).first, OC_OK);
  }
}

TEST(EventValidatorRanges, AUnitPriceAtTheBoundIsAcceptedAndOnePastIsNot) {
  Json one_line = with(event_of("order.created"), "/data/order/items", Json::array({kLine}));
  one_line = with(one_line, "/data/order/items/0/quantity", 1);
  EXPECT_EQ(outcome(with(one_line, "/data/order/items/0/unit_price", kMaxAmount)).first, OC_OK);
  for (const char *bad : {"1000000000000001", "9223372036854775808", "18446744073709551615"}) {
    SCOPED_TRACE(bad);
    EXPECT_EQ(outcome(with(one_line, "/data/order/items/0/unit_price", number(bad))),
              std::make_pair(OC_ERR_SCHEMA, std::string("data.order.items[0].unit_price: expected an "
                                                        "integer from 0 to 1000000000000000")));
  }
}

TEST(EventValidatorRanges, QuantitiesAreFromOneToAMillion) {
  const std::string quantity = "expected an integer from 1 to 1000000";
  const struct {
    const char *type;
    const char *pointer;
    const char *path;
  } fields[] = {{"order.created", "/data/order/items/1/quantity", "data.order.items[1].quantity"},
                {"order.updated", "/data/items/0/quantity", "data.items[0].quantity"},
                {"return.requested", "/data/items/0/quantity", "data.items[0].quantity"},
                {"return.received", "/data/items/1/quantity", "data.items[1].quantity"}};
  for (const auto &field : fields) {
    for (const char *bad : {"0", "-1", "1000001", "9223372036854775808", "-9223372036854775808"}) {
      SCOPED_TRACE(std::string(field.type) + " " + field.pointer + " = " + bad);
      EXPECT_EQ(outcome(with(event_of(field.type), field.pointer, number(bad))),
                std::make_pair(OC_ERR_SCHEMA, std::string(field.path) + ": " + quantity));
    }
  }
  // A million of a line worth 1000000000 each is the most an order can be worth.
  Json big = with(event_of("order.created"), "/data/order/items", Json::array({kLine}));
  big = with(big, "/data/order/items/0/quantity", kMaxQuantity);
  EXPECT_EQ(outcome(with(big, "/data/order/items/0/unit_price", kMaxAmount / kMaxQuantity)).first, OC_OK);
}

TEST(EventValidatorRanges, CountsAreFromZeroToTenToTheTwelve) {
  const struct {
    const char *type;
    const char *pointer;
    const char *path;
  } fields[] = {{"customer.message", "/data/audience", "data.audience"},
                {"inventory.discrepancy", "/data/system_count", "data.system_count"},
                {"inventory.discrepancy", "/data/physical_count", "data.physical_count"}};
  for (const auto &field : fields) {
    EXPECT_EQ(outcome(with(event_of(field.type), field.pointer, kMaxCount)).first, OC_OK);
    for (const char *bad : {"1000000000001", "9223372036854775808", "-1"}) {
      SCOPED_TRACE(std::string(field.type) + " " + field.pointer + " = " + bad);
      EXPECT_EQ(outcome(with(event_of(field.type), field.pointer, number(bad))),
                std::make_pair(OC_ERR_SCHEMA,
                               std::string(field.path) + ": expected an integer from 0 to 1000000000000"));
    }
  }
}

TEST(EventValidatorRanges, AnOrdersLinesAreWorthAtMostTheLargestAmountTogether) {
  // Each line in range, together past it: a return of them would overflow.
  Json half = kLine;
  half["quantity"] = 1;
  half["unit_price"] = kMaxAmount / 2 + 1;
  Json second = half;
  second["line_id"] = "l2";
  const Json two = with(event_of("order.created"), "/data/order/items", Json::array({half, second}));
  EXPECT_EQ(outcome(two), std::make_pair(OC_ERR_SCHEMA, std::string("data.order.items: the lines are worth more "
                                                                    "than 1000000000000000 together (unit_price "
                                                                    "x quantity)")));
  EXPECT_EQ(outcome(with(two, "/data/order/items/1/unit_price", kMaxAmount / 2 - 1)).first, OC_OK);
  // The largest price times the largest quantity: each factor is valid.
  Json product = with(event_of("order.updated"), "/data/items/0/unit_price", kMaxAmount);
  product = with(product, "/data/items/0/quantity", kMaxQuantity);
  EXPECT_EQ(outcome(product), std::make_pair(OC_ERR_SCHEMA, std::string("data.items: the lines are worth more "
                                                                        "than 1000000000000000 together "
                                                                        "(unit_price x quantity)")));
}

TEST(EventValidatorRanges, AtMostAThousandLines) {
  Json lines = Json::array();
  for (std::size_t i = 0; i <= kMaxLines; ++i)
    lines.push_back({{"line_id", "l" + std::to_string(i)}, {"sku", "S"}, {"quantity", 1}, {"unit_price", 1}});
  Json returned = Json::array();
  for (std::size_t i = 0; i <= kMaxLines; ++i)
    returned.push_back({{"line_id", "l" + std::to_string(i)}, {"quantity", 1}, {"reason", "other"}});
  Json received = Json::array();
  for (std::size_t i = 0; i <= kMaxLines; ++i)
    received.push_back({{"line_id", "l" + std::to_string(i)}, {"quantity", 1}, {"condition", "damaged"}});
  const std::pair<oc_status, std::string> too_many{OC_ERR_SCHEMA, "expected at most 1000 items"};
  const auto too_many_at = [&](const std::string &path) {
    return std::make_pair(OC_ERR_SCHEMA, path + ": " + too_many.second);
  };
  EXPECT_EQ(outcome(with(event_of("order.created"), "/data/order/items", lines)), too_many_at("data.order.items"));
  EXPECT_EQ(outcome(with(event_of("order.updated"), "/data/items", lines)), too_many_at("data.items"));
  EXPECT_EQ(outcome(with(event_of("return.requested"), "/data/items", returned)), too_many_at("data.items"));
  EXPECT_EQ(outcome(with(event_of("return.received"), "/data/items", received)), too_many_at("data.items"));
  lines.erase(lines.size() - 1);
  EXPECT_EQ(outcome(with(event_of("order.created"), "/data/order/items", lines)).first, OC_OK);
}

TEST(EventValidatorRanges, TimesAreFrom1970To9999) {
  const std::string range = "expected a date-time from 1970-01-01T00:00:00Z to 9999-12-31T23:59:59.999Z";
  const std::string malformed = "expected an RFC 3339 date-time with offset";
  const struct {
    const char *text;
    const std::string &error;
  } rows[] = {{"0001-01-01T00:00:00Z", range},
              {"1969-12-31T23:59:59.999Z", range},
              {"1970-01-01T00:30:00+01:00", range},  // 1969 in UTC
              {"9999-12-31T23:30:00-01:00", range},  // 10000 in UTC
              {"99999-01-01T00:00:00Z", malformed},
              {"+10000-01-01T00:00:00Z", malformed}};
  for (const auto &row : rows) {
    SCOPED_TRACE(row.text);
    EXPECT_EQ(outcome(with(event_of("order.created"), "/occurred_at", row.text)),
              std::make_pair(OC_ERR_SCHEMA, "occurred_at: " + row.error));
    EXPECT_EQ(outcome(with(event_of("order.created"), "/data/order/placed_at", row.text)),
              std::make_pair(OC_ERR_SCHEMA, "data.order.placed_at: " + row.error));
    EXPECT_EQ(outcome(with(event_of("shipment.updated"), "/data/eta", row.text)),
              std::make_pair(OC_ERR_SCHEMA, "data.eta: " + row.error));
  }
  for (const char *good : {"1970-01-01T00:00:00Z", "9999-12-31T23:59:59.999Z", "9999-12-31T23:59:59+00:00"}) {
    SCOPED_TRACE(good);
    EXPECT_EQ(outcome(with(event_of("order.created"), "/occurred_at", good)).first, OC_OK);
  }
}

// The same from the bytes a host submits: 2^63 must not wrap on the way in.
TEST(EventValidatorRanges, SubmittedTextIsCheckedBeforeAnythingIsRead) {
  const auto error_of = [](const std::string &text) -> std::pair<oc_status, std::string> {
    try {
      parse_canonical_event(text, 1 << 20);
      return {OC_OK, ""};
    } catch (const Failure &failure) {
      return {failure.status(), failure.what()};
    }
  };
  std::string text = event_of("order.created").dump();
  const auto total_at = text.find("\"total\":12997");
  ASSERT_NE(total_at, std::string::npos);
  for (const char *bad : {"9223372036854775808", "18446744073709551616", "-9223372036854775809"}) {
    SCOPED_TRACE(bad);
    std::string changed = text;
    changed.replace(total_at, std::string("\"total\":12997").size(), std::string("\"total\":") + bad);
    EXPECT_EQ(error_of(changed), std::make_pair(OC_ERR_SCHEMA, std::string("data.order.total: expected an "
                                                                           "integer from 0 to "
                                                                           "1000000000000000")));
  }
}

// value_ranges.h and the schema a host reads say the same.
TEST(EventValidatorRanges, TheSchemaStatesTheRangesTheCodeEnforces) {
  std::ifstream in(testing::source_dir() + "/abi/events.schema.json");
  ASSERT_TRUE(in);
  const Json schema = Json::parse(in);
  const Json &defs = schema.at("$defs");
  EXPECT_EQ(defs.at("amount").at("maximum"), kMaxAmount);
  EXPECT_EQ(defs.at("quantity").at("maximum"), kMaxQuantity);
  EXPECT_EQ(defs.at("count").at("maximum"), kMaxCount);
  EXPECT_EQ(defs.at("order.created").at("properties").at("order").at("properties").at("items").at("maxItems"),
            kMaxLines);
  EXPECT_EQ(defs.at("order.updated").at("properties").at("items").at("maxItems"), kMaxLines);
  EXPECT_EQ(defs.at("return.requested").at("properties").at("items").at("maxItems"), kMaxLines);
  EXPECT_EQ(defs.at("return.received").at("properties").at("items").at("maxItems"), kMaxLines);
  EXPECT_EQ(defs.at("timestamp").at("x-minDateTime"), format_rfc3339(kMinTimeMs));
  EXPECT_EQ(defs.at("timestamp").at("x-maxDateTime"), format_rfc3339(kMaxTimeMs));
}

TEST(EventValidator, ConcurrentCallersShareOneCompiledSchema) {
  // The first calls race to compile the schema; all must see it whole.
  std::vector<std::pair<oc_status, std::string>> results(8);
  std::vector<std::thread> threads;
  for (std::size_t i = 0; i < results.size(); ++i) {
    threads.emplace_back([&results, i] {
      const Json event = i % 2 ? event_of("pickup.requested")
                               : with(event_of("pickup.requested"), "/data/customer_waiting", 1);
      for (int round = 0; round < 50; ++round) results[i] = outcome(event);
    });
  }
  for (auto &thread : threads) thread.join();
  for (std::size_t i = 0; i < results.size(); ++i) {
    EXPECT_EQ(results[i], i % 2 ? std::make_pair(OC_OK, std::string())
                                : std::make_pair(OC_ERR_SCHEMA,
                                                 std::string("data.customer_waiting: expected a boolean")));
  }
}

}  // namespace
}  // namespace ordercare::ingest
