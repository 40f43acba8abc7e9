// Every statement the event path runs reads an index, never a whole table
// that grows with the shop's history (issue 11, point 1). The sample day and
// the crash tests' return-heavy stream run through a plugin while
// observe_statements (store/sqlite/sqlite_connection.h) collects each
// distinct statement run after the store opened (submits, polls and the
// commands of the stream); then each is explained
// (EXPLAIN QUERY PLAN) on the store the day left, and a plan that scans a
// growing table fails the test with the statement and its plan.
//
// A scan of a small table (agents: a roster; meta) is allowed, and so is a
// scan of the rows an index already narrowed (SQLite says SEARCH for those).
#include <sqlite3.h>

#include <gtest/gtest.h>

#include <algorithm>
#include <mutex>
#include <set>
#include <string>
#include <vector>

#include "replay_steps.h"
#include "store/sqlite/sqlite_connection.h"
#include "support/scenario.h"
#include "support/test_store.h"

namespace ordercare::testing {
namespace {

// Tables whose size follows the shop's history: orders, cases, events, ...
const std::set<std::string> kGrowingTables = {
    "events", "orders", "order_skus", "customers", "cases", "case_skus", "case_log", "escalations",
    "returns", "refunds", "effects", "sla_timers", "parked_events", "pii_keys", "requests", "transfers"};

class StatementLog {
 public:
  void start() {
    store::sqlite::observe_statements([this](std::string_view sql, const char *) {
      std::lock_guard lock(mutex_);
      if (recording_) seen_.emplace(sql);
    });
  }
  ~StatementLog() { store::sqlite::observe_statements(nullptr); }

  void record(bool on) {
    std::lock_guard lock(mutex_);
    recording_ = on;
  }
  std::set<std::string> seen() {
    std::lock_guard lock(mutex_);
    return seen_;
  }

 private:
  std::mutex mutex_;
  bool recording_ = false;
  std::set<std::string> seen_;
};

// A statement worth explaining: one that reads or writes rows.
bool reads_or_writes_rows(const std::string &sql) {
  for (const char *verb : {"SELECT", "INSERT", "UPDATE", "DELETE", "WITH", "REPLACE"})
    if (sql.rfind(verb, 0) == 0) return true;
  return false;
}

// "SCAN cases", "SCAN cases USING INDEX x": the table scanned, or "" for a
// SEARCH, a temp b-tree, a subquery.
std::string scanned_table(const std::string &detail) {
  if (detail.rfind("SCAN ", 0) != 0) return "";
  const std::string rest = detail.substr(5);
  return rest.substr(0, rest.find(' '));
}

struct Plan {
  std::string text;
  std::set<std::string> scanned;
};

Plan explain(sqlite3 *db, const std::string &sql) {
  Plan plan;
  sqlite3_stmt *stmt = nullptr;
  const std::string query = "EXPLAIN QUERY PLAN " + sql;
  if (sqlite3_prepare_v2(db, query.c_str(), -1, &stmt, nullptr) != SQLITE_OK) {
    plan.text = std::string("cannot explain: ") + sqlite3_errmsg(db);
    return plan;
  }
  while (sqlite3_step(stmt) == SQLITE_ROW) {
    const std::string detail = reinterpret_cast<const char *>(sqlite3_column_text(stmt, 3));
    plan.text += "  " + detail + "\n";
    const std::string table = scanned_table(detail);
    if (kGrowingTables.count(table)) plan.scanned.insert(table);
  }
  sqlite3_finalize(stmt);
  return plan;
}

// The statements run after the store opened, while the sample day and the
// crash stream's orders played (the migrations run at open are not the
// event path).
std::set<std::string> statements_of_a_day(Scenario &s) {
  StatementLog log;
  log.start();
  Replay replay(40, "");
  s.reopen();
  log.record(true);
  const PlayedDay day = play_day(s, replay);
  EXPECT_GT(day.order_ids.size(), 30u);
  s.close();
  log.record(false);
  return log.seen();
}

// The opcodes of a statement's program (EXPLAIN).
std::vector<std::string> opcodes(sqlite3 *db, const std::string &sql) {
  std::vector<std::string> out;
  sqlite3_stmt *stmt = nullptr;
  if (sqlite3_prepare_v2(db, ("EXPLAIN " + sql).c_str(), -1, &stmt, nullptr) != SQLITE_OK) return {"(cannot explain)"};
  while (sqlite3_step(stmt) == SQLITE_ROW) out.emplace_back(reinterpret_cast<const char *>(sqlite3_column_text(stmt, 1)));
  sqlite3_finalize(stmt);
  return out;
}

// The day played, its statements, and the store it left opened read-only.
class EventPathPlans : public ::testing::Test {
 protected:
  void SetUp() override {
    OC_SQLITE_ONLY("the plans and programs are SQLite's; PostgreSQL plans by its statistics");
    statements = statements_of_a_day(s);
    ASSERT_EQ(sqlite3_open_v2(s.db_path().c_str(), &db, SQLITE_OPEN_READONLY, nullptr), SQLITE_OK);
  }
  void TearDown() override { sqlite3_close(db); }

  Scenario s;
  std::set<std::string> statements;
  sqlite3 *db = nullptr;
};

TEST_F(EventPathPlans, NoStatementOfTheEventPathScansAGrowingTable) {
  std::size_t explained = 0;
  for (const auto &sql : statements) {
    if (!reads_or_writes_rows(sql)) continue;
    const Plan plan = explain(db, sql);
    ++explained;
    EXPECT_TRUE(plan.scanned.empty()) << "scans " << *plan.scanned.begin() << ":\n  " << sql << "\n" << plan.text;
  }
  // The whole event path was seen: orders, their SKUs and refunds, cases,
  // returns, the outbox, the timers and the log each have statements.
  for (const char *table : {"orders", "order_skus", "refunds", "cases", "case_skus", "returns", "effects",
                            "sla_timers", "case_log", "events", "escalations"}) {
    const bool seen = std::any_of(statements.begin(), statements.end(), [&](const std::string &sql) {
      return sql.find(std::string(" ") + table + " ") != std::string::npos;
    });
    EXPECT_TRUE(seen) << "no statement about " << table;
  }
  std::printf("%zu statements seen, %zu explained\n", statements.size(), explained);
}

// No write of the event path builds a temporary b-tree for each row it
// writes (OpenEphemeral: a pager and its cache, allocated and freed): a
// partial index named by an IN list of more than two values did, on every
// log entry, order SKU and case SKU (migration 13), and RETURNING does.
// The outbox's claim keeps its RETURNING: one per poll of many effects.
TEST_F(EventPathPlans, NoWriteOfTheEventPathBuildsATemporaryTablePerRow) {
  std::size_t writes = 0;
  for (const auto &sql : statements) {
    const bool write = sql.rfind("INSERT", 0) == 0 || sql.rfind("UPDATE", 0) == 0 || sql.rfind("DELETE", 0) == 0;
    if (!write || sql.find("UPDATE effects SET status = 'in_flight'") == 0) continue;
    ++writes;
    const auto program = opcodes(db, sql);
    EXPECT_EQ(std::count(program.begin(), program.end(), "OpenEphemeral"), 0) << sql;
    EXPECT_EQ(std::count(program.begin(), program.end(), "(cannot explain)"), 0) << sql;
  }
  EXPECT_GT(writes, 15u);  // the day wrote through all of them
}

// The lists the event path reads on nearly every event (a subject's cases,
// an order's returns, a case's escalations, in time order) come out of
// their index in order: sorted in a temporary b-tree instead, each read
// started a sorter and allocated for it (migration 17). The reads that
// still sort run on a few events, not on every one; a new one must say why
// here.
TEST_F(EventPathPlans, NoListReadOnEveryEventIsSortedWhenRead) {
  const std::vector<std::string> sorted_on_purpose = {
      // cases.list by order (a call, and lookups of an order's open case):
      // a handful of rows in queue order.
      "FROM cases WHERE TRUE AND ",
      // A digest's due items for one recipient, when its digest is due.
      "FROM sla_digest_items WHERE recipient = ?",
      // A customer's orders, on privacy requests only.
      "SELECT id FROM orders WHERE customer_id = ?",
      // Open orders holding a SKU, on stock events only: two indexes meet.
      "FROM order_skus s JOIN orders o ON o.id = s.order_id",
  };
  std::size_t lists = 0;
  for (const auto &sql : statements) {
    if (sql.rfind("SELECT", 0) != 0 || sql.find("ORDER BY") == std::string::npos) continue;
    ++lists;
    const bool allowed = std::any_of(sorted_on_purpose.begin(), sorted_on_purpose.end(),
                                     [&](const std::string &part) { return sql.find(part) != std::string::npos; });
    if (allowed) continue;
    const Plan plan = explain(db, sql);
    EXPECT_EQ(plan.text.find("USE TEMP B-TREE"), std::string::npos) << "sorted when read:\n  " << sql << "\n"
                                                                     << plan.text;
  }
  EXPECT_GT(lists, 5u);
}

}  // namespace
}  // namespace ordercare::testing
