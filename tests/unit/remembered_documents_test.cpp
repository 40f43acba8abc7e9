// The documents the store keeps opened (store/sql/document_memo.h) change
// no answer and lose no write. The bundled sample day and the crash tests'
// return-heavy stream (orders in three currencies, returns, receipts,
// partial and order refunds, stock shortfalls, an erasure) run once on a
// store that remembers documents and writes back only what changed, and
// once on one that remembers none and writes every document it is given;
// everything a host can read back through the calls is the same, and so is
// the store read by a fresh process that remembers nothing.
#include <gtest/gtest.h>

#include <fstream>
#include <memory>
#include <regex>
#include <set>
#include <string>
#include <vector>

#include "replay_steps.h"
#include "runtime/plugin.h"
#include "store/sqlite/sqlite_connection.h"
#include "store/sqlite/sqlite_store.h"
#include "support/temp_dir.h"
#include "support/scenario.h"
#include "support/test_store.h"

namespace ordercare::testing {
namespace {

// What an agent's command causes is named after the command's own random
// id ("cmd-<hex>"), or the time its answer was recorded: the same run
// twice differs there and nowhere else.
Json without_command_ids(const Json &j) {
  static const std::regex kCommandId("cmd(@[0-9]+|-[0-9a-f]+)");
  return Json::parse(std::regex_replace(j.dump(), kCommandId, "cmd*"));
}

struct DayRun {
  Json answers = Json::array();
  Json store;
  Json store_reopened;
};

// What a run leaves a host to read: its answers, the store, and the store
// read again by a process that remembers nothing yet.
DayRun read_run(Scenario &s, const Json &answers, const std::set<std::string> &order_ids) {
  DayRun out;
  out.answers = without_command_ids(answers);
  out.store = without_command_ids(read_back(s, order_ids));
  s.reopen();
  out.store_reopened = without_command_ids(read_back(s, order_ids));
  return out;
}

// The sample day and `orders` orders of the generated stream (play_day).
DayRun run(std::size_t remembered, int orders) {
  Replay replay(orders, "");
  Scenario s(Json{{"store", {{"remembered_documents", remembered}}}});
  const PlayedDay day = play_day(s, replay);
  return read_run(s, day.answers, day.order_ids);
}

void expect_as_reading_every_row(const DayRun &remembering, const DayRun &opening_everything) {
  ASSERT_GT(remembering.store["cases"].size(), 20u);
  ASSERT_GT(remembering.store["returns"].size(), 5u);
  EXPECT_EQ(remembering.answers, opening_everything.answers);
  EXPECT_EQ(remembering.store, opening_everything.store);
  EXPECT_EQ(remembering.store, remembering.store_reopened) << "what was remembered is what was written";
}

TEST(RememberedDocuments, ChangeNoAnswerAndLoseNoWrite) { expect_as_reading_every_row(run(4096, 30), run(0, 30)); }

// A store that remembers fewer documents than the day touches drops the
// least recently used and opens them again: the same answers.
TEST(RememberedDocuments, ASmallCapacityDropsAndReopensWithTheSameAnswers) {
  const DayRun small = run(3, 10);
  const DayRun none = run(0, 10);
  EXPECT_EQ(small.answers, none.answers);
  EXPECT_EQ(small.store, none.store);
}

// The sample day's lines and the generated stream's events, with a
// customer's erasure (privacy.requested) among them.
std::vector<std::string> day_events(const Replay &replay, std::set<std::string> &order_ids) {
  std::vector<std::string> out;
  std::ifstream day(sample_day_path(), std::ios::binary);
  for (std::string line; std::getline(day, line);)
    if (line.find_first_not_of(" \t\r") != std::string::npos) out.push_back(line);
  std::ifstream steps(replay.steps, std::ios::binary);
  for (std::string line; std::getline(steps, line);) {
    const Json step = Json::parse(line);
    if (!step.contains("submit")) continue;
    const Json &event = step["submit"];
    if (event.value("type", "") == "order.created") order_ids.insert(event["data"]["order"]["id"].get<std::string>());
    out.push_back(dump_json(event));
    if (out.size() == 560)
      out.push_back(dump_json(Json{{"id", "evt-erase-crs-c3"},
                                   {"type", "privacy.requested"},
                                   {"occurred_at", "2026-11-22T10:00:00Z"},
                                   {"source", "host"},
                                   {"data", {{"kind", "customer_redact"}, {"customer_id", "crs-c3"}}}}));
  }
  return out;
}

// The same events through oc_submit_batch, `per_call` a call.
DayRun run_batches(std::size_t remembered, std::size_t per_call) {
  Replay replay(30, "");
  std::set<std::string> order_ids;
  const auto events = day_events(replay, order_ids);
  Scenario s(Json{{"store", {{"remembered_documents", remembered}}}});
  Json answers = Json::array();
  for (std::size_t from = 0; from < events.size(); from += per_call) {
    std::vector<const char *> pointers;
    std::vector<std::size_t> lens;
    for (std::size_t i = from; i < std::min(events.size(), from + per_call); ++i) {
      pointers.push_back(events[i].data());
      lens.push_back(events[i].size());
    }
    for (const auto &answer : s.plugin().submit_batch(pointers, lens))
      answers.push_back(answer.status == OC_OK ? parse_json(answer.result, "answer")
                                               : Json{{"failed", static_cast<int>(answer.status)},
                                                      {"message", answer.message}});
    s.poll();
  }
  return read_run(s, answers, order_ids);
}

// In a batch, a store that is its only writer (SQLite) answers a document
// the batch already read or wrote from memory, without its row (issue 11):
// the same answers and the same store as one that reads every row, across
// an erasure inside a batch and a store reopened after.
TEST(RememberedDocuments, ABatchAnswersFromWhatItReadAsTheRowsWould) {
  expect_as_reading_every_row(run_batches(4096, 64), run_batches(0, 64));
}

// How many times a batch of five events about one order reads the order's
// row, and lists its cases and its returns: once it knows them (SQLite),
// against once an event at least when it remembers nothing.
struct BatchReads {
  int order = 0, cases = 0, returns = 0;
};

BatchReads batch_reads(std::size_t remembered) {
  auto counted = std::make_shared<BatchReads>();
  store::sqlite::observe_statements([counted](std::string_view sql, const char *) {
    if (sql == "SELECT body FROM orders WHERE id = ?") ++counted->order;
    if (sql.starts_with("SELECT body, id FROM cases WHERE subject = ?")) ++counted->cases;
    if (sql.starts_with("SELECT body, id FROM returns WHERE order_id = ?")) ++counted->returns;
  });
  Scenario s(Json{{"store", {{"remembered_documents", remembered}}}});
  const CustomerSpec ann("c-ann", "Ann Archer", {}, "ann@example.org");
  std::vector<std::string> events{dump_json(s.order_created("A", ann))};
  for (const char *status : {"processing", "picked", "shipped", "delivered"})
    events.push_back(dump_json(s.order_updated("A", status)));
  std::vector<const char *> pointers;
  std::vector<std::size_t> lens;
  for (const auto &event : events) {
    pointers.push_back(event.data());
    lens.push_back(event.size());
  }
  *counted = BatchReads{};
  const auto answers = s.plugin().submit_batch(pointers, lens);
  const BatchReads out = *counted;
  store::sqlite::observe_statements(nullptr);
  for (const auto &answer : answers) EXPECT_EQ(answer.status, OC_OK) << answer.message;
  EXPECT_EQ(s.call("order.get", {{"id", "A"}})["status"], "delivered");
  return out;
}

TEST(RememberedDocuments, ABatchReadsWhatItKnowsNoMore) {
  OC_SQLITE_ONLY("PostgreSQL reads a row again once its subject is claimed");
  const BatchReads remembering = batch_reads(4096);
  const BatchReads opening_everything = batch_reads(0);
  EXPECT_LE(remembering.order, 2) << "an order.created reads the row it is about to write, twice at most";
  EXPECT_GE(opening_everything.order, 5);
  EXPECT_EQ(remembering.cases, 1);
  EXPECT_GE(opening_everything.cases, 5);
  EXPECT_EQ(remembering.returns, 1);
  EXPECT_GE(opening_everything.returns, 5);
}

// Pages too are kept in memory: SQLite's page cache is the configured
// size (store.page_cache_kib), not its 2 MiB default, which a batch of a
// few hundred events overflows and spills to the WAL mid-transaction.
TEST(PageCache, IsTheConfiguredSize) {
  OC_SQLITE_ONLY("PostgreSQL's page cache is the server's");
  TempDir dir;
  auto config = test_store_config(dir.file("shop.db"));
  EXPECT_EQ(config.page_cache_kib, 32768);
  config.page_cache_kib = 1234;
  auto opened = store::open_store(config);
  auto pragma = static_cast<store::sqlite::SqliteStore &>(*opened).database().prepare("PRAGMA cache_size");
  ASSERT_TRUE(pragma->step());
  EXPECT_EQ(pragma->column_int(0), -1234);
}

}  // namespace
}  // namespace ordercare::testing
