// Subject spellings (common/subject.h) are stored in existing databases:
// claims, parked events, the subject a case is filed under, effect
// ordering keys and PII key ids. Each must stay byte for byte what the
// hand-built strings were.
#include <gtest/gtest.h>

#include "common/subject.h"
#include "store/subjects.h"

namespace ordercare {
namespace {

TEST(Subject, EachKindIsSpeltAsStored) {
  EXPECT_EQ(Subject::order("A1").str(), "order:A1");
  EXPECT_EQ(Subject::customer("c9").str(), "customer:c9");
  EXPECT_EQ(Subject::sku("SKU-1").str(), "sku:SKU-1");
  EXPECT_EQ(Subject::sku_at("SKU-1", "WH-1").str(), "sku:SKU-1@WH-1");
  EXPECT_EQ(Subject::case_record("case_7f").str(), "case:case_7f");
  EXPECT_EQ(Subject::transfer("T-3").str(), "transfer:T-3");
  EXPECT_EQ(Subject::team("warehouse").str(), "team:warehouse");
  EXPECT_EQ(Subject::digest("team:cs").str(), "digest:team:cs");
  EXPECT_EQ(Subject::event("shopify:order:1").str(), "event:shopify:order:1");
  EXPECT_EQ(Subject::request("r-1").str(), "request:r-1");
}

TEST(Subject, IdsAreKeptAsGiven) {
  // Nothing is escaped or trimmed: ids with the separators in them, empty
  // ids and bytes beyond ASCII are stored as they were.
  EXPECT_EQ(Subject::order("").str(), "order:");
  EXPECT_EQ(Subject::order("a:b@c").str(), "order:a:b@c");
  EXPECT_EQ(Subject::sku_at("S@1", "").str(), "sku:S@1@");
  EXPECT_EQ(Subject::customer("Jürgen ").str(), "customer:Jürgen ");
  EXPECT_EQ(Subject::order(std::string("x\0y", 3)).str(), std::string("order:x\0y", 9));
}

TEST(Subject, EqualWhenSpeltAlike) {
  EXPECT_EQ(Subject::order("A1"), Subject::order("A1"));
  EXPECT_NE(Subject::order("A1"), Subject::customer("A1"));
  EXPECT_NE(Subject::sku("S"), Subject::sku_at("S", ""));
}

TEST(Subject, ACaseIsFiledUnderItsOrderItsStockCountItsCustomerOrItself) {
  domain::CaseRecord c;
  c.id = "C-1";
  EXPECT_EQ(store::case_subject(c).str(), "case:C-1");
  c.customer_id = "c9";
  EXPECT_EQ(store::case_subject(c).str(), "customer:c9");
  c.location = "WH-1";
  EXPECT_EQ(store::case_subject(c).str(), "customer:c9");  // a location alone is no stock count
  c.skus = {"S1", "S2"};
  EXPECT_EQ(store::case_subject(c).str(), "sku:S1@WH-1");
  c.order_id = "A1";
  EXPECT_EQ(store::case_subject(c).str(), "order:A1");
}

TEST(Subject, PiiKeysAreTheCustomersElseTheOrdersElseTheSystems) {
  EXPECT_EQ(store::pii_key_for("c9", "A1"), "customer:c9");
  EXPECT_EQ(store::pii_key_for("", "A1"), "order:A1");
  EXPECT_EQ(store::pii_key_for(std::nullopt, "A1"), "order:A1");
  EXPECT_EQ(store::pii_key_for(std::nullopt, std::nullopt), "system");
}

}  // namespace
}  // namespace ordercare
