// What an event's decision reads (domain::snapshot_keys): recent
// complaints about its order's SKUs are counted for a customer's message,
// whose red flag "repeated complaints" uses them, and read for no other
// event (each count is a query over the shop's complaints).
#include <gtest/gtest.h>

#include <string>

#include "domain/case_engine.h"

namespace ordercare::domain {
namespace {

Order order_of_two_skus() {
  Order order;
  order.id = "ord-1";
  order.customer_id = "cus-1";
  order.items = {OrderLine{}, OrderLine{}, OrderLine{}};
  order.items[0].sku = "MUG-01";
  order.items[1].sku = "TEA-02";
  order.items[2].sku = "MUG-01";
  return order;
}

SnapshotKeys keys_of(EventType type, const Json &data) {
  const EventView view{"evt-1", type, "host", 0, data, std::nullopt};
  return snapshot_keys(view, order_of_two_skus());
}

TEST(SnapshotKeys, AMessageCountsRecentComplaintsAboutItsOrdersSkusOnce) {
  const Json data = {{"order_id", "ord-1"}, {"customer", {{"id", "cus-1"}}}, {"text", "broken"}};
  const SnapshotKeys keys = keys_of(EventType::customer_message, data);
  EXPECT_EQ(keys.complaint_skus, (std::vector<std::string>{"MUG-01", "TEA-02"}));
  EXPECT_EQ(keys.customer_id, "cus-1");
}

TEST(SnapshotKeys, NoOtherEventAboutTheOrderCountsComplaints) {
  const Json data = {{"order_id", "ord-1"}, {"return_id", "ret-1"}, {"status", "delayed"}};
  for (const EventType type : {EventType::shipment_updated, EventType::return_requested, EventType::order_updated,
                               EventType::return_received, EventType::cancellation_requested}) {
    const SnapshotKeys keys = keys_of(type, data);
    EXPECT_TRUE(keys.complaint_skus.empty()) << name_of(type) << " reads complaint counts no rule uses";
    EXPECT_EQ(keys.order_id, "ord-1") << name_of(type);
  }
}

}  // namespace
}  // namespace ordercare::domain
