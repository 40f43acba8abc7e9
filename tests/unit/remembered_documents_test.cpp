// The documents the store keeps opened (store/sql/document_memo.h) change
// no answer and lose no write. The bundled sample day and the crash tests'
// return-heavy stream (orders in three currencies, returns, receipts,
// partial and order refunds, stock shortfalls, an erasure) run once on a
// store that remembers documents and writes back only what changed, and
// once on one that remembers none and writes every document it is given;
// everything a host can read back through the calls is the same, and so is
// the store read by a fresh process that remembers nothing.
#include <gtest/gtest.h>

#include <regex>
#include <set>
#include <string>

#include "replay_steps.h"
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

// The sample day and `orders` orders of the generated stream (play_day).
DayRun run(std::size_t remembered, int orders) {
  Replay replay(orders, "");
  Scenario s(Json{{"store", {{"remembered_documents", remembered}}}});
  const PlayedDay day = play_day(s, replay);
  DayRun out;
  out.answers = without_command_ids(day.answers);
  out.store = without_command_ids(read_back(s, day.order_ids));
  s.reopen();
  out.store_reopened = without_command_ids(read_back(s, day.order_ids));
  return out;
}

TEST(RememberedDocuments, ChangeNoAnswerAndLoseNoWrite) {
  const DayRun remembering = run(4096, 30);
  const DayRun opening_everything = run(0, 30);
  ASSERT_GT(remembering.store["cases"].size(), 20u);
  ASSERT_GT(remembering.store["returns"].size(), 5u);
  EXPECT_EQ(remembering.answers, opening_everything.answers);
  EXPECT_EQ(remembering.store, opening_everything.store);
  EXPECT_EQ(remembering.store, remembering.store_reopened) << "what was remembered is what was written";
}

// A store that remembers fewer documents than the day touches drops the
// least recently used and opens them again: the same answers.
TEST(RememberedDocuments, ASmallCapacityDropsAndReopensWithTheSameAnswers) {
  const DayRun small = run(3, 10);
  const DayRun none = run(0, 10);
  EXPECT_EQ(small.answers, none.answers);
  EXPECT_EQ(small.store, none.store);
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
