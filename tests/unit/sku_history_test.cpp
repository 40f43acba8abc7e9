// What the event path reads about one SKU costs what it answers, not what
// the SKU has been through: the recent complaints are an index range read
// up to the threshold, the open orders an index of open orders, a SKU's
// stock counts an index of active cases (migration 10). 100k cases on one
// SKU took ingest from ~560 to ~75 events/s while these read them all.
#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "store/postgres/pg_connection.h"
#include "store/postgres/pg_migrations.h"
#include "store/sql/migrations.h"
#include "store/sql/sku_queries.h"
#include "store/sqlite/sqlite_connection.h"
#include "store/sqlite/sqlite_migrations.h"
#include "store/store.h"
#include "store/subjects.h"
#include "support/temp_dir.h"
#include "support/test_store.h"

namespace ordercare::store {
namespace {

using domain::CaseRecord;
using domain::CaseStatus;
using domain::IssueType;
using domain::Order;
using domain::OrderStatus;

// 2026-11-20T00:00:00Z.
constexpr TimeMs kNow = 1'795'132'800'000;
constexpr TimeMs kWindow = 72 * kHourMs;
constexpr const char *kSku = "LAMP-9";

// SQLite's plan for a query, one line per step.
std::string plan_of(sql::Connection &db, const char *query) {
  auto explain = db.prepare(std::string("EXPLAIN QUERY PLAN ") + query);
  std::string plan;
  while (explain->step()) plan += explain->column_text(3) + "\n";
  return plan;
}

TEST(SkuHistory, TheReadsAboutASkuWalkIndexesOfWhatTheyAnswer) {
  OC_SQLITE_ONLY("reads SQLite's query plans");
  testing::TempDir dir;
  sqlite::SqliteConnection db(dir.file("plan.db"));
  sql::migrate(db, sqlite::sqlite_migrations());

  // The window's complaints, from its start; the case behind each by key.
  const std::string complaints = plan_of(db, sql::kRecentComplaintsSql);
  EXPECT_NE(complaints.find("INDEX case_skus_complaints (sku=? AND opened_at>?)"), std::string::npos) << complaints;
  EXPECT_NE(complaints.find("SEARCH c USING INDEX sqlite_autoindex_cases_1 (id=?)"), std::string::npos)
      << complaints;
  EXPECT_EQ(complaints.find("TEMP B-TREE"), std::string::npos) << complaints;
  // The open orders only (sorted: there are few), never the primary key's
  // range of every order of the SKU.
  const std::string open_orders = plan_of(db, sql::kOpenOrdersWithSkuSql);
  EXPECT_NE(open_orders.find("SEARCH s USING COVERING INDEX order_skus_open (sku=? AND status=?)"),
            std::string::npos)
      << open_orders;
  EXPECT_EQ(open_orders.find("PRIMARY KEY"), std::string::npos) << open_orders;
  const std::string active = plan_of(db, sql::kActiveCasesOfSubjectSql);
  EXPECT_NE(active.find("SEARCH cases USING INDEX cases_active_by_subject (subject=?)"), std::string::npos)
      << active;
  EXPECT_EQ(active.find("TEMP B-TREE"), std::string::npos) << active;
  for (const std::string &plan : {complaints, open_orders, active}) {
    EXPECT_EQ(plan.find("SCAN s"), std::string::npos) << "every row of a table: " << plan;
    EXPECT_EQ(plan.find("SCAN c"), std::string::npos) << "every row of a table: " << plan;
    EXPECT_EQ(plan.find("SCAN o"), std::string::npos) << "every row of a table: " << plan;
  }
}

class SkuHistoryTest : public ::testing::Test {
 protected:
  SkuHistoryTest() : store_(open_store(testing::test_store_config(dir_.file("ordercare.db"), "sku"))) {
    store_->begin_batch();
  }
  ~SkuHistoryTest() override { store_->commit_batch(); }

  StateStore &state() { return store_->state(); }

  void put_case(const std::string &id, const std::string &order_id, IssueType type, TimeMs opened,
                CaseStatus status = CaseStatus::open) {
    CaseRecord c;
    c.id = id;
    c.order_id = order_id;
    c.type = type;
    c.status = status;
    c.team = "support";
    c.opened_at = opened;
    c.updated_at = opened;
    c.skus = {kSku};
    state().put_case(c);
  }

  void put_order(const std::string &id, OrderStatus status) {
    Order o;
    o.id = id;
    o.currency = "EUR";
    o.status = status;
    o.items.push_back({"L1", kSku, "Lamp", 1, 4900, ""});
    o.items.push_back({"L2", kSku, "Lamp, again", 1, 4900, ""});
    state().put_order(o);
  }

  std::int64_t complaints(std::int64_t at_most, const std::optional<std::string> &except = "own") {
    return state().recent_complaints({kSku}, kNow - kWindow, except, at_most)[kSku];
  }

  std::vector<std::string> open_orders() {
    std::vector<std::string> out;
    for (const auto &o : state().open_orders_with_sku(kSku)) out.push_back(o.id);
    return out;
  }

  testing::TempDir dir_;
  std::unique_ptr<Store> store_;
};

TEST_F(SkuHistoryTest, RecentComplaintsAreCountedUpToTheLimitAndNoFurther) {
  for (int i = 0; i < 40; ++i)
    put_case("C-in-" + std::to_string(i), "O-" + std::to_string(i), IssueType::damaged_item, kNow - i * kHourMs);
  // Not counted: outside the window, not a complaint, the order's own.
  for (int i = 0; i < 30; ++i)
    put_case("C-old-" + std::to_string(i), "O-old", IssueType::damaged_item, kNow - kWindow - (i + 1) * kHourMs);
  for (int i = 0; i < 30; ++i) put_case("C-wismo-" + std::to_string(i), "O-w", IssueType::wismo, kNow - kHourMs);
  put_case("C-own", "own", IssueType::wrong_item, kNow - kHourMs);

  EXPECT_EQ(complaints(3), 3) << "a threshold of 3 reads no further than 3";
  EXPECT_EQ(complaints(1), 1);
  EXPECT_EQ(complaints(1000), 40);
  EXPECT_EQ(complaints(1000, std::nullopt), 41) << "no order of its own: every complaint counts";
  EXPECT_EQ(state().recent_complaints({"OTHER-SKU"}, kNow - kWindow, "own", 3)["OTHER-SKU"], 0);
}

TEST_F(SkuHistoryTest, AComplaintCountsByTheTypeItHasNow) {
  put_case("C-1", "O-1", IssueType::complaint, kNow - kHourMs);
  EXPECT_EQ(complaints(10), 1);
  put_case("C-1", "O-1", IssueType::wismo, kNow - kHourMs);
  EXPECT_EQ(complaints(10), 0) << "no longer a complaint";
  put_case("C-1", "O-1", IssueType::damaged_item, kNow - kHourMs, CaseStatus::resolved);
  EXPECT_EQ(complaints(10), 1) << "resolved complaints count too";
}

TEST_F(SkuHistoryTest, OpenOrdersFollowTheirStatus) {
  put_order("O-3", OrderStatus::processing);
  put_order("O-1", OrderStatus::pending);
  put_order("O-2", OrderStatus::delivered);
  put_order("O-4", OrderStatus::packed);
  EXPECT_EQ(open_orders(), (std::vector<std::string>{"O-1", "O-3", "O-4"}));
  put_order("O-1", OrderStatus::shipped);
  put_order("O-4", OrderStatus::cancelled);
  put_order("O-5", OrderStatus::picked);
  EXPECT_EQ(open_orders(), (std::vector<std::string>{"O-3", "O-5"}));
}

TEST_F(SkuHistoryTest, ActiveCasesOfASubjectLeaveTheResolvedOnesUnread) {
  const Subject subject = Subject::sku_at(kSku, "WH-1");
  for (int i = 0; i < 5; ++i) {
    CaseRecord c;
    c.id = "C-count-" + std::to_string(i);
    c.type = IssueType::inventory_discrepancy;
    c.status = i == 3 ? CaseStatus::open : CaseStatus::resolved;
    c.team = "warehouse";
    c.opened_at = kNow + i;
    c.updated_at = kNow + i;
    c.skus = {kSku};
    c.location = "WH-1";
    state().put_case(c);
  }
  ASSERT_EQ(state().cases_for_subject(subject).size(), 5u);
  const auto active = state().active_cases_for_subject(subject);
  ASSERT_EQ(active.size(), 1u);
  EXPECT_EQ(active[0].id, "C-count-3");
}

// A store at version 9, by hand, on this test's engine.
std::unique_ptr<sql::Connection> connect(const StoreConfig &config) {
  if (config.engine == "postgres")
    return std::make_unique<postgres::PgConnection>(postgres::PgSettings{config.url, config.schema});
  return std::make_unique<sqlite::SqliteConnection>(config.path);
}

std::vector<std::string> rows_of(sql::Connection &db, const char *query) {
  auto select = db.prepare(query);
  std::vector<std::string> out;
  while (select->step()) out.push_back(select->column_text(0) + " " + select->column_text(1));
  return out;
}

TEST(SkuHistory, Migration10FillsInTheTypesAndStatusesOfRowsWrittenBefore) {
  testing::TempDir dir;
  const StoreConfig config = testing::test_store_config(dir.file("v9.db"), "sku_v9");
  auto db = connect(config);
  const auto &migrations =
      config.engine == "postgres" ? postgres::postgres_migrations() : sqlite::sqlite_migrations();
  sql::migrate(*db, migrations, 9);
  db->exec(
      "INSERT INTO cases (id, subject, order_id, type, priority, status, team, opened_at, updated_at, active, body) "
      "VALUES ('C-1', 'order:O-1', 'O-1', 'damaged_item', 'P2', 'open', 'support', 1, 1, 1, '{}'), "
      "('C-2', 'order:O-2', 'O-2', 'wismo', 'P3', 'resolved', 'support', 2, 2, 0, '{}');"
      "INSERT INTO case_skus (case_id, sku, opened_at) VALUES ('C-1', 'LAMP-9', 1), ('C-2', 'LAMP-9', 2);"
      "INSERT INTO orders (id, status, body) VALUES ('O-1', 'processing', '{}'), ('O-2', 'delivered', '{}');"
      "INSERT INTO order_skus (order_id, sku) VALUES ('O-1', 'LAMP-9'), ('O-2', 'LAMP-9');");
  sql::migrate(*db, migrations);
  EXPECT_EQ(rows_of(*db, "SELECT case_id, type FROM case_skus ORDER BY case_id"),
            (std::vector<std::string>{"C-1 damaged_item", "C-2 wismo"}));
  EXPECT_EQ(rows_of(*db, "SELECT order_id, status FROM order_skus ORDER BY order_id"),
            (std::vector<std::string>{"O-1 processing", "O-2 delivered"}));
}

}  // namespace
}  // namespace ordercare::store
