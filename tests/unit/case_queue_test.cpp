// The queues agents work from (cases.list, issue: "queues people work
// from"): unanswered, red-flagged, VIP and about-to-breach filters on top of
// the old ones, and a cursor that is the last row's place in the queue, so
// a page deep in the queue costs what the first one does and rows added
// between two pages neither repeat nor push others off.
#include <gtest/gtest.h>

#include <algorithm>
#include <set>
#include <string>
#include <vector>

#include "store/sql/migrations.h"
#include "store/sqlite/sqlite_connection.h"
#include "store/sqlite/sqlite_migrations.h"
#include "store/store.h"
#include "support/scenario.h"
#include "support/temp_dir.h"
#include "support/test_store.h"

namespace ordercare::testing {
namespace {

const std::string kBroken = "The vase arrived broken";

std::string open_case(Scenario &s, const std::string &order_id, const CustomerSpec &who,
                      const std::string &text = kBroken, const std::string &channel = "email") {
  s.submit(s.order_created(order_id, who));
  const Json result = s.submit(s.message(who, order_id, channel, text));
  s.advance(kMinuteMs);
  return result["cases"][0].get<std::string>();
}

struct Cases {
  std::string plain, answered, legal, vip, chat;
};

// Five open cases: one an agent answered, one with a legal threat (a red
// flag), one of a VIP customer, one by chat (first response due within
// minutes, where email's is hours away).
Cases fill(Scenario &s) {
  Cases c;
  c.plain = open_case(s, "A", CustomerSpec("c-a"));
  c.answered = open_case(s, "B", CustomerSpec("c-b"), "Where is my order?");
  s.call("case.reply", {{"id", c.answered}, {"agent", "kim"}, {"text", "It ships tomorrow."}});
  s.poll_all();
  c.legal = open_case(s, "C", CustomerSpec("c-c"), "This is unacceptable. I will sue you, my lawyer has the details");
  c.vip = open_case(s, "D", CustomerSpec("c-vip", "Vera", {"vip"}), "Where is my order?");
  c.chat = open_case(s, "E", CustomerSpec("c-e"), "Where is my order?", "chat");
  return c;
}

TEST(CaseQueue, UnansweredRedFlaggedAndVipFilters) {
  Scenario s;
  const Cases c = fill(s);
  ASSERT_FALSE(s.get_case(c.answered)["first_response_at"].is_null()) << "the reply counts as first response";
  EXPECT_EQ(sorted(ids_of(s.cases({{"unanswered", true}}))), sorted({c.plain, c.legal, c.vip, c.chat}));
  EXPECT_EQ(ids_of(s.cases({{"unanswered", false}})), std::vector<std::string>{c.answered});
  // A VIP's complaint is a red flag too (seed 004).
  EXPECT_EQ(sorted(ids_of(s.cases({{"red_flagged", true}}))), sorted({c.legal, c.vip}));
  EXPECT_EQ(ids_of(s.cases({{"vip", true}})), std::vector<std::string>{c.vip});
  EXPECT_EQ(s.cases({{"vip", false}}).size(), 4u);
  EXPECT_EQ(ids_of(s.cases({{"vip", true}, {"unanswered", true}, {"active", true}})),
            std::vector<std::string>{c.vip});
  // The summaries say why a case is in a queue.
  for (const auto &row : s.cases()) {
    const std::string id = row["id"];
    EXPECT_EQ(row["vip"], id == c.vip) << row.dump();
    EXPECT_EQ(!row["red_flags"].empty(), id == c.legal || id == c.vip) << row.dump();
    EXPECT_EQ(row["first_response_at"].is_null(), id != c.answered) << row.dump();
  }
}

TEST(CaseQueue, ByStoreAndByWhatAwaitsTheWarehouse) {
  Scenario s;
  auto open_in = [&](const std::string &order_id, const std::string &store, const std::string &text) {
    s.submit(s.order_created(order_id, CustomerSpec("c-" + order_id)));
    Json message = s.message(CustomerSpec("c-" + order_id), order_id, "email", text);
    message["store"] = store;
    const std::string id = s.submit(message)["cases"][0];
    s.advance(kMinuteMs);
    return id;
  };
  // A broken vase asks the warehouse (seed 004's playbook); a complaint
  // about the colour asks no one.
  const std::string eu_broken = open_in("A", "eu", kBroken);
  const std::string eu_colour = open_in("B", "eu", "I am not happy with the colour");
  const std::string us_colour = open_in("C", "us", "I am not happy with the colour");
  EXPECT_EQ(sorted(ids_of(s.cases({{"store", "eu"}}))), sorted({eu_broken, eu_colour}));
  EXPECT_EQ(ids_of(s.cases({{"store", "us"}})), std::vector<std::string>{us_colour});
  EXPECT_TRUE(s.cases({{"store", "jp"}}).empty());
  EXPECT_EQ(ids_of(s.cases({{"awaiting_warehouse", true}})), std::vector<std::string>{eu_broken});
  // Waiting on the warehouse by hand counts; its answer takes a case out.
  s.call("case.wait", {{"id", us_colour}, {"on", "warehouse"}, {"agent", "kim"}});
  EXPECT_EQ(sorted(ids_of(s.cases({{"awaiting_warehouse", true}}))), sorted({eu_broken, us_colour}));
  s.call("case.resume", {{"id", eu_broken}, {"agent", "kim"}});
  s.call("case.resume", {{"id", us_colour}, {"agent", "kim"}});
  EXPECT_TRUE(s.cases({{"awaiting_warehouse", true}}).empty());
  EXPECT_EQ(s.cases({{"awaiting_warehouse", false}, {"store", "eu"}}).size(), 2u);
}

TEST(CaseQueue, DueWithinListsWhatBreachesSoonestAndWhatHasBreached) {
  Scenario s;
  const Cases c = fill(s);
  // Chat's first response (30 s) is already overdue a minute after it was
  // opened; email's are hours away.
  EXPECT_EQ(ids_of(s.cases({{"due_within", "0s"}})), std::vector<std::string>{c.chat});
  EXPECT_EQ(ids_of(s.cases({{"due_within", "10m"}})), std::vector<std::string>{c.chat});
  EXPECT_EQ(s.cases({{"due_within", "3h"}}).size(), 4u) << "every unanswered email's first response";
  // A day later every deadline has passed: all are due "within 0s".
  s.advance(kDayMs);
  EXPECT_EQ(s.cases({{"due_within", "0s"}, {"active", true}}).size(), 5u);
  EXPECT_EQ(s.error("cases.list", {{"due_within", "soon"}}).status, OC_ERR_SCHEMA);
  EXPECT_EQ(s.error("cases.list", {{"unanswered", "yes"}}).status, OC_ERR_SCHEMA);
}

// Every page after the first starts at the last row's place: paging in small
// pages gives the whole queue once, in order, also when cases are opened
// between two pages.
TEST(CaseQueue, TheCursorIsTheLastRowsPlaceInTheQueue) {
  Scenario s;
  std::vector<std::string> opened;
  for (int i = 0; i < 23; ++i) {
    const std::string order = "Q" + std::to_string(i);
    const std::string channel = i % 3 == 0 ? "chat" : "email";
    opened.push_back(open_case(s, order, CustomerSpec("c-" + order), i % 4 == 0 ? kBroken : "Where is my order?",
                               channel));
  }
  const std::vector<std::string> whole = ids_of(s.call("cases.list", {{"limit", 1000}})["cases"]);
  ASSERT_EQ(sorted(whole), sorted(opened));

  std::vector<std::string> paged;
  Json args = {{"limit", 4}};
  std::string added;
  for (int page = 0;; ++page) {
    const Json result = s.call("cases.list", args);
    for (const auto &id : ids_of(result["cases"])) paged.push_back(id);
    if (page == 2) {
      // A new P1 case sorts before the rows already listed: it is not
      // listed again on later pages, and nothing is skipped or repeated.
      added = open_case(s, "LATE", CustomerSpec("c-late", "Lou", {"vip"}));
    }
    if (result["next_cursor"].is_null()) break;
    const std::string cursor = result["next_cursor"];
    EXPECT_EQ(cursor.rfind("cq:", 0), 0u) << cursor;
    args["cursor"] = cursor;
  }
  EXPECT_EQ(paged, whole) << "every row once, in the queue's order";
  EXPECT_EQ(std::set<std::string>(paged.begin(), paged.end()).size(), paged.size());
  EXPECT_EQ(std::find(paged.begin(), paged.end(), added), paged.end());

  // A cursor of the old form (a position) still pages.
  const Json old_form = s.call("cases.list", {{"limit", 5}, {"cursor", "cs:20"}});
  EXPECT_EQ(old_form["cases"].size(), 4u);  // 24 cases now, from the 21st
  for (const char *bad : {"cq:", "cq:!!!", "cq:WzFd", "cq:eyJhIjoxfQ==", "ev:3"})
    EXPECT_EQ(s.error("cases.list", {{"cursor", bad}}).status, OC_ERR_SCHEMA) << bad;
}

// The keyset page is an index seek in the queue's order (SQLite's plan):
// no sort of every case, no walk past the rows before the cursor.
TEST(CaseQueue, APageAfterTheCursorIsAnIndexSeek) {
  OC_SQLITE_ONLY("reads SQLite's query plan");
  Scenario s;
  fill(s);
  s.close();
  store::sqlite::SqliteConnection db(s.db_path());
  for (const char *sql :
       {"EXPLAIN QUERY PLAN SELECT body, id, priority, queue_due, opened_at FROM cases WHERE TRUE AND active = 1 "
        "AND (priority, queue_due, opened_at, id) > ('P2', 5, 6, 'x') ORDER BY priority, queue_due, opened_at, id "
        "LIMIT 51",
        "EXPLAIN QUERY PLAN SELECT body, id, priority, queue_due, opened_at FROM cases WHERE TRUE "
        "AND (priority, queue_due, opened_at, id) > ('P2', 5, 6, 'x') ORDER BY priority, queue_due, opened_at, id "
        "LIMIT 51"}) {
    auto plan = db.prepare(sql);
    std::string text;
    while (plan->step()) text += plan->column_text(3) + "\n";
    EXPECT_NE(text.find("SEARCH cases USING INDEX cases_by_"), std::string::npos) << text;
    EXPECT_NE(text.find("(priority,queue_due,opened_at,id)>"), std::string::npos) << text;
    EXPECT_EQ(text.find("TEMP B-TREE"), std::string::npos) << text;
  }
}

// A store from before migration 14 gets the filter columns from its cases'
// bodies.
TEST(CaseQueue, Migration14FillsTheFiltersFromOlderCases) {
  OC_SQLITE_ONLY("builds a version 13 file by hand");
  TempDir dir;
  const std::string path = dir.file("v13.db");
  {
    store::sqlite::SqliteConnection db(path);
    store::sql::migrate(db, store::sqlite::sqlite_migrations(), 13);
    db.exec(
        "INSERT INTO cases (id, subject, type, priority, status, team, opened_at, updated_at, next_due, active, "
        "body) VALUES "
        "('C-answered', 'order:A', 'wismo', 'P3', 'open', 'support', 1, 1, 500, 1, "
        "'{\"id\":\"C-answered\",\"first_response_at\":\"2026-11-20T09:00:00Z\",\"red_flags\":[],"
        "\"triggers\":[]}'), "
        "('C-flagged', 'order:B', 'complaint', 'P1', 'open', 'support', 2, 2, NULL, 1, "
        "'{\"id\":\"C-flagged\",\"first_response_at\":null,\"red_flags\":[\"legal_threat\"],"
        "\"triggers\":[\"vip_complaint\"]}'), "
        "('C-damaged', 'order:C', 'wismo', 'P2', 'open', 'support', 3, 3, 700, 1, 'not json')");
  }
  store::sqlite::SqliteConnection db(path);
  store::sql::migrate(db, store::sqlite::sqlite_migrations());
  auto rows = db.prepare("SELECT id, queue_due, answered, red_flagged, vip FROM cases ORDER BY id");
  std::vector<std::string> got;
  while (rows->step())
    got.push_back(rows->column_text(0) + " " + std::to_string(rows->column_int(1)) + " " +
                  std::to_string(rows->column_int(2)) + std::to_string(rows->column_int(3)) +
                  std::to_string(rows->column_int(4)));
  EXPECT_EQ(got, (std::vector<std::string>{"C-answered 500 100", "C-damaged 700 000",
                                           "C-flagged 9223372036854775807 011"}));
  // Migration 15 dropped next_due.
  auto v15 = db.prepare("SELECT count(*) FROM pragma_table_info('cases') WHERE name = 'next_due'");
  ASSERT_TRUE(v15->step());
  EXPECT_EQ(v15->column_int(0), 0);
}

// A store from before migration 15 gets the store and warehouse filters
// from its cases' bodies.
TEST(CaseQueue, Migration15FillsTheStoreAndWarehouseFilters) {
  OC_SQLITE_ONLY("builds a version 14 file by hand");
  TempDir dir;
  const std::string path = dir.file("v14.db");
  {
    store::sqlite::SqliteConnection db(path);
    store::sql::migrate(db, store::sqlite::sqlite_migrations(), 14);
    db.exec(
        "INSERT INTO cases (id, subject, type, priority, status, team, opened_at, updated_at, active, body) VALUES "
        "('C-eu', 'order:A', 'wismo', 'P3', 'waiting_warehouse', 'support', 1, 1, 1, "
        "'{\"id\":\"C-eu\",\"store\":\"eu\",\"status\":\"waiting_warehouse\"}'), "
        "('C-none', 'order:B', 'wismo', 'P3', 'open', 'support', 2, 2, 1, '{\"id\":\"C-none\"}'), "
        "('C-damaged', 'order:C', 'wismo', 'P2', 'open', 'support', 3, 3, 1, 'not json')");
  }
  store::sqlite::SqliteConnection db(path);
  store::sql::migrate(db, store::sqlite::sqlite_migrations());
  auto rows = db.prepare("SELECT id, coalesce(store, '-'), awaiting_warehouse FROM cases ORDER BY id");
  std::vector<std::string> got;
  while (rows->step())
    got.push_back(rows->column_text(0) + " " + rows->column_text(1) + " " + std::to_string(rows->column_int(2)));
  EXPECT_EQ(got, (std::vector<std::string>{"C-damaged - 0", "C-eu eu 1", "C-none - 0"}));
}

}  // namespace
}  // namespace ordercare::testing
