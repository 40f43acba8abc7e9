// The personal fields copies of an order or customer share
// (domain/shared_json.h): copies share one tree, a change goes to the
// changed entity's own copy and no other, and equality is the value's.
#include "domain/shared_json.h"

#include <gtest/gtest.h>

#include "domain/entities.h"

namespace ordercare::domain {
namespace {

TEST(SharedJson, CopiesShareATreeUntilOneIsChanged) {
  SharedJson a = Json{{"note", "ring twice"}, {"shipping_address", {{"city", "Wien"}}}};
  const SharedJson b = a;
  EXPECT_EQ(&a.get(), &b.get()) << "a copy is the same tree";
  EXPECT_EQ(a, b);

  a.edit()["note"] = "leave at the door";
  EXPECT_NE(&a.get(), &b.get());
  EXPECT_EQ(a->at("note"), "leave at the door");
  EXPECT_EQ(b->at("note"), "ring twice") << "the copy is as it was";
  EXPECT_NE(a, b);

  // Alone with its tree, an entity changes it in place.
  const Json *own = &a.get();
  a.edit()["note"] = "third";
  EXPECT_EQ(&a.get(), own);
}

TEST(SharedJson, EqualityIsTheValuesNotTheTrees) {
  const SharedJson a = Json{{"name", "Ann"}};
  const SharedJson b = Json{{"name", "Ann"}};
  EXPECT_NE(&a.get(), &b.get());
  EXPECT_EQ(a, b);
  EXPECT_NE(a, SharedJson(Json{{"name", "Bob"}}));
}

TEST(SharedJson, NothingSetIsAnEmptyObjectThatEachChangesForItself) {
  SharedJson a, b;
  EXPECT_EQ(a.get(), Json::object());
  EXPECT_EQ(a, b);
  a.edit()["name"] = "Ann";
  EXPECT_EQ(b.get(), Json::object()) << "the empty object others start from is untouched";
  EXPECT_EQ(SharedJson().get(), Json::object());
}

// Orders compare, copy and change their personal fields as values.
TEST(SharedJson, AnOrderCopiedAndChangedLeavesTheOriginal) {
  Order original;
  original.id = "o-1";
  original.pii.edit()["note"] = "ring twice";
  Order copy = original;
  EXPECT_EQ(copy, original);
  copy.pii.edit()["note"] = "leave at the door";
  EXPECT_NE(copy, original);
  EXPECT_EQ(original.pii->at("note"), "ring twice");
}

}  // namespace
}  // namespace ordercare::domain
