// A statement keeps what was bound to it (store/sqlite/sqlite_connection.h):
// SQLite reads a bound text or blob in place, so the caller's bytes may
// change or go away before the statement runs, and a statement run again
// with other values, longer or shorter, stores each run's own.
#include <gtest/gtest.h>

#include <string>
#include <string_view>
#include <vector>

#include "store/sqlite/sqlite_connection.h"

namespace ordercare::store::sqlite {
namespace {

struct Row {
  bool text_is_null, blob_is_null;
  std::string text, blob;
};

Row row(SqliteConnection &db, std::int64_t key) {
  auto select = db.prepare("SELECT t, b FROM kept WHERE k = ?");
  select->bind(1, key);
  EXPECT_TRUE(select->step());
  return {select->column_is_null(0), select->column_is_null(1), select->column_text(0), select->column_blob(1)};
}

TEST(SqliteStatement, AValueBoundIsKeptUntilTheStatementRuns) {
  SqliteConnection db(":memory:");
  db.exec("CREATE TABLE kept (k INTEGER PRIMARY KEY, t TEXT, b BLOB)");
  auto insert = db.prepare("INSERT INTO kept (k, t, b) VALUES (?, ?, ?)");

  // The caller's strings change and are freed before the run.
  {
    auto text = std::make_unique<std::string>(300, 'a');
    auto blob = std::make_unique<std::string>(std::string("\0\1\2", 3) + std::string(200, 'z'));
    insert->bind(1, std::int64_t{1}).bind(2, *text).bind_blob(3, *blob);
    text->assign(300, 'X');
    blob->assign(203, 'Y');
    text.reset();
    blob.reset();
  }
  insert->run();

  // Run again: shorter values in the same parameters, then longer ones.
  insert->bind(1, std::int64_t{2}).bind(2, std::string("short")).bind_blob(3, std::string("b"));
  insert->run();
  insert->bind(1, std::int64_t{3}).bind(2, std::string(5000, 'L')).bind_blob(3, std::string(4000, 'M'));
  insert->run();

  // A parameter bound twice before the run holds the second value.
  insert->bind(1, std::int64_t{4}).bind(2, std::string("first")).bind(2, std::string("second")).bind_null(3);
  insert->run();

  // An empty text is a text; no bytes at all (a null view) are NULL.
  insert->bind(1, std::int64_t{5}).bind(2, std::string()).bind_blob(3, std::string_view());
  insert->run();

  // Short texts, which a string holds inside itself, bound from the last
  // parameter but one, then the later and the earlier ones.
  auto fresh = db.prepare("INSERT INTO kept (k, t, b) VALUES (?, ?, ?)");
  fresh->bind(2, std::string("tiny")).bind_blob(3, std::string("wee")).bind(1, std::int64_t{6});
  // Memory freed meanwhile is handed out again and written over, so that
  // a value read from where it no longer is reads wrong.
  std::vector<std::string> scribbles;
  for (std::size_t size = 8; size < 400; size += 4) scribbles.emplace_back(size, 'Q');
  fresh->run();

  const Row one = row(db, 1);
  EXPECT_EQ(one.text, std::string(300, 'a'));
  EXPECT_EQ(one.blob, std::string("\0\1\2", 3) + std::string(200, 'z'));
  EXPECT_EQ(row(db, 2).text, "short");
  EXPECT_EQ(row(db, 2).blob, "b");
  EXPECT_EQ(row(db, 3).text, std::string(5000, 'L'));
  EXPECT_EQ(row(db, 3).blob, std::string(4000, 'M'));
  EXPECT_EQ(row(db, 4).text, "second");
  EXPECT_TRUE(row(db, 4).blob_is_null);
  const Row five = row(db, 5);
  EXPECT_FALSE(five.text_is_null);
  EXPECT_EQ(five.text, "");
  EXPECT_TRUE(five.blob_is_null);
  EXPECT_EQ(row(db, 6).text, "tiny");
  EXPECT_EQ(row(db, 6).blob, "wee");
}

// A parameter the statement does not have is refused, as SQLite refuses it.
TEST(SqliteStatement, AParameterItDoesNotHaveIsRefused) {
  SqliteConnection db(":memory:");
  db.exec("CREATE TABLE kept (k INTEGER PRIMARY KEY, t TEXT, b BLOB)");
  auto insert = db.prepare("INSERT INTO kept (k, t) VALUES (?, ?)");
  EXPECT_ANY_THROW(insert->bind(3, std::string("x")));
  EXPECT_ANY_THROW(insert->bind(0, std::string("x")));
  EXPECT_ANY_THROW(insert->bind_blob(-1, std::string("x")));
  insert->bind(1, std::int64_t{1}).bind(2, std::string("ok"));
  insert->run();
  EXPECT_EQ(row(db, 1).text, "ok");
}

}  // namespace
}  // namespace ordercare::store::sqlite
