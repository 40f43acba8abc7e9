// CaseWork, the working set of one decision: it reads the snapshot's order
// and customer until a rule changes them, and the snapshot stays as loaded
// (a rule may decide again on work.state(), as refund.result does).
#include <gtest/gtest.h>

#include <string>

#include "common/failure.h"
#include "domain/case_work.h"

namespace ordercare::domain {
namespace {

Snapshot snapshot_with_order() {
  Snapshot s;
  Order o;
  o.id = "ord-1";
  o.customer_id = "cus-1";
  o.currency = "USD";
  o.total = 5000;
  o.pii.edit()["note"] = "leave at the door";
  s.order = o;
  Customer c;
  c.id = "cus-1";
  c.pii.edit()["name"] = "Ann Archer";
  s.customer = c;
  CaseRecord known;
  known.id = "C-known";
  known.order_id = "ord-1";
  known.status = CaseStatus::open;
  s.cases.push_back(known);
  return s;
}

TEST(CaseWork, ReadsTheSnapshotsOrderUntilItChangesIt) {
  const Snapshot s = snapshot_with_order();
  CaseWork work(s, nullptr, 1000, Policy::defaults(), "cmd-1");
  ASSERT_NE(work.order(), nullptr);
  EXPECT_EQ(work.order(), &*s.order);
  EXPECT_EQ(work.customer(), &*s.customer);
  const Decision d = work.finish();
  EXPECT_FALSE(d.order.has_value());
  EXPECT_FALSE(d.customer.has_value());
}

TEST(CaseWork, AnEditedOrderIsACopyAndTheSnapshotStaysAsLoaded) {
  const Snapshot s = snapshot_with_order();
  CaseWork work(s, nullptr, 1000, Policy::defaults(), "cmd-1");
  work.edit_order().total = 4000;
  EXPECT_EQ(work.order()->total, 4000);
  EXPECT_EQ(work.order()->pii->at("note"), "leave at the door");
  EXPECT_EQ(work.state().order->total, 5000);
  // A second edit works on the same copy.
  work.edit_order().currency = "EUR";
  EXPECT_EQ(work.order()->total, 4000);
  const Decision d = work.finish();
  ASSERT_TRUE(d.order.has_value());
  EXPECT_EQ(d.order->total, 4000);
  EXPECT_EQ(d.order->currency, "EUR");
  EXPECT_EQ(s.order->total, 5000);
  EXPECT_EQ(s.order->currency, "USD");
}

TEST(CaseWork, ASetCustomerReplacesTheSnapshotsInTheDecisionOnly) {
  const Snapshot s = snapshot_with_order();
  CaseWork work(s, nullptr, 1000, Policy::defaults(), "cmd-1");
  Customer c = *work.customer();
  c.tags.push_back("vip");
  work.set_customer(std::move(c));
  EXPECT_EQ(work.customer()->tags.size(), 1u);
  EXPECT_TRUE(s.customer->tags.empty());
  const Decision d = work.finish();
  ASSERT_TRUE(d.customer.has_value());
  EXPECT_EQ(d.customer->tags.size(), 1u);
}

TEST(CaseWork, NoOrderToEditFailsWithoutInventingOne) {
  const Snapshot empty;
  CaseWork work(empty, nullptr, 1000, Policy::defaults(), "cmd-1");
  EXPECT_EQ(work.order(), nullptr);
  EXPECT_THROW(work.edit_order(), Failure);
}

// A case being edited keeps its place while others are opened after it.
TEST(CaseWork, CasesStayPutWhileOthersAreOpened) {
  const Snapshot s = snapshot_with_order();
  CaseWork work(s, nullptr, 1000, Policy::defaults(), "cmd-1");
  CaseRecord &known = work.edit(s.cases[0]);
  CaseRecord &task = work.open_task(IssueType::stock_transfer, "a task");
  for (IssueType more : {IssueType::missing_receipt, IssueType::inventory_discrepancy, IssueType::payment,
                         IssueType::out_of_stock, IssueType::order_change})
    work.open_task(more, "another task");
  known.reason = "still here";
  task.reason = "and here";
  const Decision d = work.finish();
  ASSERT_GE(d.cases.size(), 2u);
  EXPECT_EQ(d.cases[0].id, "C-known");
  EXPECT_EQ(d.cases[0].reason, "still here");
  EXPECT_EQ(d.cases[1].reason, "and here");
}

}  // namespace
}  // namespace ordercare::domain
