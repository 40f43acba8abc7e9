// What reports read from the SQLite store: migration 6 fills resolution
// times and the refunds table in from the documents of an older store; the
// refunds table follows each order's ledger; the backlog at an instant, log
// entries by kind and time, and a case's first agent action.
#include <gtest/gtest.h>

#include <algorithm>
#include <memory>
#include <string>
#include <vector>

#include "common/failure.h"
#include "store/report_store.h"
#include "store/sqlite/sqlite_connection.h"
#include "store/sqlite/sqlite_migrations.h"
#include "store/store.h"
#include "support/temp_dir.h"
#include "support/test_store.h"

namespace ordercare::store {
namespace {

using domain::CaseLogEntry;
using domain::CaseRecord;
using domain::CaseStatus;

// 2026-11-20T00:00:00Z.
constexpr TimeMs kDay = 1'795'132'800'000;

TimeMs at(int hour, int minute = 0) { return kDay + hour * kHourMs + minute * kMinuteMs; }

StoreConfig config_for(const std::string &path) {
  StoreConfig config;
  config.path = path;
  config.durability = Durability::normal;
  return config;
}

// Sorted: the store promises which cases, not in what order.
std::vector<std::string> ids_of(const std::vector<CaseRecord> &cases) {
  std::vector<std::string> out;
  for (const auto &c : cases) out.push_back(c.id);
  std::sort(out.begin(), out.end());
  return out;
}

TEST(ReportStore, Migration6FillsResolutionTimesAndRefundsFromOlderDocuments) {
  OC_SQLITE_ONLY("builds a version 5 file by hand");
  testing::TempDir dir;
  const std::string path = dir.file("v5.db");
  {
    sqlite::SqliteConnection db(path);
    sql::migrate(db, sqlite::sqlite_migrations(), 5);
    db.exec(
        "INSERT INTO cases (id, subject, type, priority, status, team, opened_at, updated_at, active, body) VALUES "
        "('C-old', 'order:A', 'wismo', 'P3', 'resolved', 'support', 1795165200000, 1795172400250, 0, "
        "'{\"id\":\"C-old\",\"opened_at\":\"2026-11-20T09:00:00Z\",\"resolved_at\":\"2026-11-20T11:00:00.250Z\","
        "\"status\":\"resolved\",\"type\":\"wismo\",\"priority\":\"P3\"}'), "
        "('C-open', 'order:B', 'wismo', 'P3', 'open', 'support', 1795165200000, 1795165200000, 1, "
        "'{\"id\":\"C-open\",\"opened_at\":\"2026-11-20T09:00:00Z\",\"resolved_at\":null,\"status\":\"open\"}')");
    db.exec(
        "INSERT INTO orders (id, customer_id, status, body) VALUES ('A', 'c1', 'delivered', "
        "'{\"id\":\"A\",\"currency\":\"EUR\",\"refunds\":["
        "{\"id\":\"refund:R1:1\",\"amount\":1250,\"method\":\"original\",\"status\":\"succeeded\","
        "\"case_id\":\"C-old\",\"return_id\":\"R1\",\"requested_at\":\"2026-11-20T10:00:00Z\","
        "\"completed_at\":\"2026-11-20T10:30:00Z\"},"
        "{\"id\":\"refund:A:2\",\"amount\":300,\"method\":\"store_credit\",\"status\":\"requested\","
        "\"case_id\":null,\"return_id\":null,\"requested_at\":\"2026-11-20T12:00:00Z\",\"completed_at\":null}]}')");
  }
  auto store = open_store(config_for(path));
  ASSERT_EQ(store->schema_version(), sqlite::sqlite_migrations().back().version);
  ReportStore &state = store->reports();
  const auto resolved = state.cases_resolved_between(kDay, kDay + kDayMs);
  ASSERT_EQ(ids_of(resolved), std::vector<std::string>{"C-old"});
  EXPECT_EQ(*resolved[0].resolved_at, at(11) + 250);
  EXPECT_TRUE(state.cases_resolved_between(at(11, 1), kDay + kDayMs).empty());
  EXPECT_EQ(ids_of(state.cases_open_at(at(10))), (std::vector<std::string>{"C-old", "C-open"}));
  EXPECT_EQ(ids_of(state.cases_open_at(at(12))), std::vector<std::string>{"C-open"});

  const auto refunds = state.refunds_between(kDay, kDay + kDayMs);
  ASSERT_EQ(refunds.size(), 2u);
  EXPECT_EQ(refunds[0].refund.id, "refund:R1:1");
  EXPECT_EQ(refunds[0].order_id, "A");
  EXPECT_EQ(refunds[0].currency, "EUR");
  EXPECT_EQ(refunds[0].refund.amount, 1250);
  EXPECT_EQ(refunds[0].refund.status, "succeeded");
  EXPECT_EQ(refunds[0].refund.case_id, "C-old");
  EXPECT_EQ(refunds[0].refund.return_id, "R1");
  EXPECT_EQ(refunds[0].refund.requested_at, at(10));
  EXPECT_EQ(refunds[0].refund.completed_at, at(10, 30));
  EXPECT_EQ(refunds[1].refund.method, "store_credit");
  EXPECT_FALSE(refunds[1].refund.completed_at);
  EXPECT_FALSE(refunds[1].refund.case_id);
}

class ReportStoreTest : public ::testing::Test {
 protected:
  ReportStoreTest() : store_(open_store(testing::test_store_config(dir_.file("ordercare.db"), "reports"))) {
    store_->begin_batch();
  }
  ~ReportStoreTest() override { store_->commit_batch(); }

  StateStore &state() { return store_->state(); }
  ReportStore &reports() { return store_->reports(); }

  void put_case(const std::string &id, TimeMs opened, std::optional<TimeMs> resolved = std::nullopt) {
    CaseRecord c;
    c.id = id;
    c.order_id = "O-" + id;
    c.opened_at = opened;
    c.updated_at = resolved.value_or(opened);
    c.resolved_at = resolved;
    c.status = resolved ? CaseStatus::resolved : CaseStatus::open;
    c.team = "support";
    state().put_case(c);
  }

  void log(const std::string &case_id, TimeMs when, const std::string &kind, const std::string &actor) {
    CaseLogEntry e;
    e.case_id = case_id;
    e.at = when;
    e.kind = kind;
    e.actor = actor;
    e.order_id = "O-" + case_id;
    state().append_log(e);
  }

  // Order A (USD 50.00) of customer c1, without refunds yet.
  static domain::Order order_a() {
    domain::Order order;
    order.id = "A";
    order.customer_id = "c1";
    order.currency = "USD";
    order.total = 5000;
    return order;
  }

  // A USD 20.00 refund to the original payment, asked for at `requested`.
  static domain::RefundRecord refund(const std::string &id, std::string status, TimeMs requested) {
    domain::RefundRecord r;
    r.id = id;
    r.amount = 2000;
    r.method = "original";
    r.status = std::move(status);
    r.requested_at = requested;
    return r;
  }

  testing::TempDir dir_;
  std::unique_ptr<Store> store_;
};

TEST_F(ReportStoreTest, TheRefundsTableFollowsTheOrdersLedger) {
  domain::Order order = order_a();
  order.refunds.push_back(refund("refund:A:1", "requested", at(9)));
  state().put_order(order);
  auto refunds = reports().refunds_between(at(9), at(10));
  ASSERT_EQ(refunds.size(), 1u);
  EXPECT_EQ(refunds[0].refund.status, "requested");
  // The host answers two days later: the refund shows on that day too.
  order.refunds[0].status = "succeeded";
  order.refunds[0].completed_at = at(9) + 2 * kDayMs;
  state().put_order(order);
  refunds = reports().refunds_between(at(9), at(10));
  ASSERT_EQ(refunds.size(), 1u);
  EXPECT_EQ(refunds[0].refund.status, "succeeded");
  refunds = reports().refunds_between(kDay + 2 * kDayMs, kDay + 3 * kDayMs);
  ASSERT_EQ(refunds.size(), 1u) << "completed in the range, requested before it";
  EXPECT_EQ(refunds[0].refund.completed_at, at(9) + 2 * kDayMs);
  EXPECT_TRUE(reports().refunds_between(kDay + kDayMs, kDay + 2 * kDayMs).empty());
}

TEST_F(ReportStoreTest, AReturnsRefundCarriesWhenTheCustomerAsked) {
  domain::ReturnRecord rma;
  rma.id = "R1";
  rma.order_id = "A";
  rma.customer_id = "c1";
  rma.currency = "USD";
  rma.requested_at = at(9) - 3 * kDayMs;
  state().put_return(rma);
  domain::Order order = order_a();
  domain::RefundRecord r = refund("refund:R1:1", "succeeded", at(9));
  r.return_id = "R1";
  r.completed_at = at(9, 1);
  order.refunds.push_back(r);
  r.id = "refund:A:2";
  r.return_id.reset();
  order.refunds.push_back(r);
  state().put_order(order);
  const auto refunds = reports().refunds_between(at(9), at(10));
  ASSERT_EQ(refunds.size(), 2u);
  EXPECT_EQ(refunds[0].refund.id, "refund:A:2");
  EXPECT_FALSE(refunds[0].asked_at) << "outside a return: from its booking";
  EXPECT_EQ(refunds[1].asked_at, at(9) - 3 * kDayMs);
}

TEST_F(ReportStoreTest, TheBacklogAtAnInstantIsOpenedBeforeAndNotResolvedBy) {
  put_case("open-before", at(8));
  put_case("resolved-after", at(8), at(15));
  put_case("resolved-before", at(8), at(10));
  put_case("opened-after", at(13));
  put_case("resolved-at", at(8), at(12));
  // Resolved at the instant itself: ranges are half-open, so that resolution
  // belongs to the range starting there and the case was still open before it.
  EXPECT_EQ(ids_of(reports().cases_open_at(at(12))),
            (std::vector<std::string>{"open-before", "resolved-after", "resolved-at"}));
  // Reopened: active again, no resolution until it is resolved anew.
  put_case("resolved-before", at(8));
  EXPECT_EQ(ids_of(reports().cases_open_at(at(12))),
            (std::vector<std::string>{"open-before", "resolved-after", "resolved-at", "resolved-before"}));
  EXPECT_EQ(ids_of(reports().cases_resolved_between(at(0), at(24))),
            (std::vector<std::string>{"resolved-after", "resolved-at"}));
}

TEST_F(ReportStoreTest, LogEntriesByKindAndTimeOnlyForTheIndexedKinds) {
  put_case("C1", at(8));
  log("C1", at(9), "qa", "lead");
  log("C1", at(10), "red_flag", "system");
  log("C1", at(11), "qa", "lead");
  log("C1", at(12), "note", "kim");
  const auto qa = reports().log_entries_between("qa", at(9), at(11));
  ASSERT_EQ(qa.size(), 1u);
  EXPECT_EQ(qa[0].at, at(9));
  EXPECT_EQ(reports().log_entries_between("red_flag", at(0), at(24)).size(), 1u);
  EXPECT_TRUE(reports().log_entries_between("sla_breach", at(0), at(24)).empty());
  try {
    reports().log_entries_between("note", at(0), at(24));
    ADD_FAILURE() << "an unindexed kind was scanned";
  } catch (const Failure &f) {
    EXPECT_EQ(f.status(), OC_ERR_INTERNAL);
  }
}

TEST_F(ReportStoreTest, TheFirstAgentActionIgnoresTheSystemTheCustomerAndAssignments) {
  put_case("C1", at(8));
  log("C1", at(8), "opened", "system");
  log("C1", at(8, 1), "message", "customer");
  log("C1", at(8, 2), "assign", "dispatcher");
  log("C1", at(8, 3), "status", "customer");
  log("C1", at(8, 4), "escalate", "system");
  EXPECT_FALSE(reports().first_agent_action("C1"));
  log("C1", at(9), "note", "kim");
  log("C1", at(10), "reply", "kim");
  EXPECT_EQ(reports().first_agent_action("C1"), at(9));
  EXPECT_FALSE(reports().first_agent_action("C-none"));
}

}  // namespace
}  // namespace ordercare::store
