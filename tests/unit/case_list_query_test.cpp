// cases.list's SQL: only the filters given, and an order that an index
// serves, so the operators' queue does not sort every case in the store
// (a million open cases took 6.8 s per listing before migration 7).
#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "store/report_store.h"
#include "store/sql/case_list_query.h"
#include "store/sqlite/sqlite_connection.h"
#include "store/sqlite/sqlite_migrations.h"
#include "support/temp_dir.h"

namespace ordercare::store::sqlite {
namespace {

using sql::case_list_query;
using sql::CaseListQuery;

// SQLite's plan for the query, one line per step.
std::string plan_of(SqliteConnection &db, const CaseListQuery &query) {
  auto explain = db.prepare("EXPLAIN QUERY PLAN " + query.sql);
  std::string plan;
  while (explain->step()) plan += explain->column_text(3) + "\n";
  return plan;
}

class CaseListQueryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    db_ = std::make_unique<SqliteConnection>(dir_.file("plan.db"));
    sql::migrate(*db_, sqlite_migrations());
  }
  testing::TempDir dir_;
  std::unique_ptr<SqliteConnection> db_;
};

TEST(CaseListQuery, HoldsOnlyTheFiltersGivenInBindOrder) {
  CaseQuery q;
  q.active = true;
  q.team = "returns";
  q.breached = false;
  q.limit = 20;
  q.offset = 40;
  const CaseListQuery query = case_list_query(q);
  EXPECT_NE(query.sql.find("active = ?"), std::string::npos);
  EXPECT_NE(query.sql.find("team = ?"), std::string::npos);
  EXPECT_NE(query.sql.find("breached = ?"), std::string::npos);
  for (const char *absent : {"status", "priority =", "type", "assignee", "order_id", "customer_id"})
    EXPECT_EQ(query.sql.find(absent), std::string::npos) << absent;
  ASSERT_EQ(query.values.size(), 5u);
  EXPECT_EQ(std::get<std::int64_t>(query.values[0]), 1);
  EXPECT_EQ(std::get<std::string>(query.values[1]), "returns");
  EXPECT_EQ(std::get<std::int64_t>(query.values[2]), 0);
  EXPECT_EQ(std::get<std::int64_t>(query.values[3]), 21) << "one more than the page, to know there is more";
  EXPECT_EQ(std::get<std::int64_t>(query.values[4]), 40);
}

TEST_F(CaseListQueryTest, TheQueueWalksAnIndexInsteadOfSorting) {
  CaseQuery everything;
  CaseQuery queue;
  queue.active = true;
  CaseQuery p1_queue = queue;
  p1_queue.priority = "P1";
  for (const CaseQuery &q : {everything, queue, p1_queue}) {
    const std::string plan = plan_of(*db_, case_list_query(q));
    SCOPED_TRACE(plan);
    EXPECT_EQ(plan.find("TEMP B-TREE"), std::string::npos) << "a sort of every matching case";
    EXPECT_NE(plan.find("USING INDEX"), std::string::npos);
  }
}

TEST_F(CaseListQueryTest, AnOrdersCasesAreFoundByTheirIndex) {
  CaseQuery q;
  q.order_id = "ord_1";
  const std::string plan = plan_of(*db_, case_list_query(q));
  EXPECT_NE(plan.find("cases_by_order"), std::string::npos) << plan;
}

}  // namespace
}  // namespace ordercare::store::sqlite
