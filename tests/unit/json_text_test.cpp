// An order's stored text written straight from the entity (domain/json_text.h)
// is byte for byte what the tree gave: dump_json of to_json with the
// personal parts taken out (store/personal_fields.h), and the parts taken
// out are the same. Checked on random orders with every field kind,
// optional values present and absent, lists empty and not, escapes and
// non-ASCII text, through one writer reused from order to order.
#include <gtest/gtest.h>

#include <random>
#include <string>

#include "domain/entities_json.h"
#include "domain/json_text.h"
#include "store/personal_fields.h"

namespace ordercare {
namespace {

using domain::Order;
using domain::json_fields::Relation;
using domain::json_fields::TextWriter;

class RandomOrders {
 public:
  explicit RandomOrders(unsigned seed) : rng_(seed) {}

  Order next() {
    Order o;
    o.id = text();
    o.number = text();
    o.display_name = maybe() ? text() : "";
    o.customer_id = maybe() ? text() : "";
    if (maybe()) o.store_id = text();
    if (maybe()) o.locale = text();
    o.currency = "EUR";
    o.total = number();
    o.channel = text();
    o.placed_at = instant();
    if (maybe()) o.promised_by = instant();
    o.status = static_cast<domain::OrderStatus>(pick(5));
    o.status_at = instant();
    for (int i = pick(4); i > 0; --i)
      o.items.push_back({text(), text(), text(), number(), number(), maybe() ? text() : ""});
    o.location = maybe() ? text() : "";
    if (maybe()) o.ship_date = instant();
    for (int i = pick(3); i > 0; --i) {
      domain::Shipment s{text(), text(), text(), static_cast<domain::ShipmentStatus>(pick(3)), instant(), {}, number()};
      if (maybe()) s.eta = instant();
      o.shipments.push_back(s);
    }
    o.failed_deliveries = number();
    if (maybe()) o.delivered_at = instant();
    for (int i = pick(3); i > 0; --i) {
      domain::RefundRecord r;
      r.id = text();
      r.amount = number();
      r.method = text();
      r.status = maybe() ? "failed" : "succeeded";
      if (maybe()) r.return_id = text();
      if (maybe()) r.case_id = text();
      r.reason = text();
      r.requested_at = instant();
      if (maybe()) r.completed_at = instant();
      r.note = text();
      o.refunds.push_back(r);
    }
    for (int i = pick(3); i > 0; --i) {
      domain::OrderAction a;
      a.id = text();
      a.kind = text();
      a.status = text();
      if (maybe()) a.case_id = text();
      a.reason = text();
      for (int j = pick(3); j > 0; --j) a.lines.push_back({text(), text(), text(), number(), maybe() ? text() : ""});
      a.shipping_speed = maybe() ? text() : "";
      a.only_if_in_stock = maybe();
      a.amount = maybe() ? number() : 0;
      a.agent = text();
      a.requested_at = instant();
      if (maybe()) a.result = Json{{"ok", maybe()}, {"ref", text()}, {"list", {1, 2, text()}}};
      a.note = text();
      o.actions.push_back(a);
    }
    if (maybe()) {
      domain::StorePickup p;
      p.location = text();
      p.requested_at = instant();
      if (maybe()) p.ready_at = instant();
      p.id_checked = maybe() ? text() : "";
      o.pickup = p;
    }
    if (maybe()) o.pii = Json{{"shipping_address", {{"line1", text()}, {"city", text()}}}, {"note", text()}};
    return o;
  }

 private:
  bool maybe() { return rng_() % 2 == 0; }
  int pick(int n) { return static_cast<int>(rng_() % static_cast<unsigned>(n)); }
  std::int64_t number() { return static_cast<std::int64_t>(rng_() % 100000) - (maybe() ? 0 : 50000); }
  TimeMs instant() { return 1700000000000 + static_cast<TimeMs>(rng_() % 100000000000ull); }
  std::string text() {
    static const char *const kPieces[] = {"a",  "Zoë", "東京", "\"", "\\", "\n", "\t", "\x01", "/", "~",
                                          "ok", "",    "€",    " ",  "x y", "\x7f", "👍"};
    std::string out;
    for (int i = pick(4); i >= 0; --i) out += kPieces[pick(17)];
    return out;
  }

  std::mt19937 rng_;
};

// The old way: the tree, the personal parts moved out of it, serialized.
struct TreeForm {
  std::string text;
  Json taken;
};

TreeForm by_tree(const Order &o, store::Document kind) {
  Json doc = domain::to_json(o);
  TreeForm form;
  form.taken = store::take_personal_fields(kind, doc);
  form.text = dump_json(doc);
  return form;
}

TEST(JsonText, RandomOrdersAreWrittenByteForByteAsTheTreeWasWithTheSamePartsTakenOut) {
  RandomOrders orders(20261203);
  TextWriter w;
  for (int i = 0; i < 2000; ++i) {
    const Order o = orders.next();
    const TreeForm tree = by_tree(o, store::Document::order);
    w.begin(&store::document_personal(store::Document::order));
    domain::write_text(o, w);
    ASSERT_TRUE(w.valid()) << i;
    const Json taken = w.take_taken();
    const std::string text = w.finish();
    ASSERT_EQ(text, tree.text) << "order " << i;
    ASSERT_EQ(taken, tree.taken) << "order " << i;
  }
}

// The sealed part goes in as "pii" where the map puts it, as the store's
// doc["pii"] = sealed did.
TEST(JsonText, ARawMemberTakesItsPlaceAmongTheKeys) {
  RandomOrders orders(7);
  TextWriter w;
  for (int i = 0; i < 50; ++i) {
    const Order o = orders.next();
    Json doc = domain::to_json(o);
    store::take_personal_fields(store::Document::order, doc);
    const Json sealed = {{"$key", "customer:c1"}, {"$sealed", "QUJD"}};
    doc["pii"] = sealed;
    w.begin(&store::document_personal(store::Document::order));
    domain::write_text(o, w);
    w.raw_member("pii", dump_json(sealed));
    EXPECT_EQ(w.finish(), dump_json(doc));
  }
}

TEST(JsonText, WithNothingPersonalTheTextIsTheWholeTree) {
  RandomOrders orders(11);
  TextWriter w;
  for (int i = 0; i < 50; ++i) {
    const Order o = orders.next();
    w.begin(nullptr);
    domain::write_text(o, w);
    EXPECT_TRUE(w.take_taken().empty());
    EXPECT_EQ(w.finish(), dump_json(domain::to_json(o)));
  }
}

// A member some of whose insides are personal: the writer asks the rule to
// take them out of the value and writes the rest.
class AddressOnly final : public domain::json_fields::Personal {
 public:
  Relation relation(const std::vector<std::string_view> &path) const override {
    if (path.size() == 1 && path[0] == "pii") return Relation::above;
    return Relation::apart;
  }
  void take_below(Json &value, const std::vector<std::string_view> &, Json &taken) const override {
    if (auto it = value.find("shipping_address"); it != value.end()) {
      taken["/pii/shipping_address"] = std::move(*it);
      value.erase(it);
    }
  }
};

TEST(JsonText, APartlyPersonalValueIsWrittenWithoutItsPersonalInsides) {
  Order o;
  o.id = "o-1";
  o.pii = {{"shipping_address", {{"line1", "221B Baker Street"}}}, {"note", "ring twice"}};
  AddressOnly rule;
  TextWriter w;
  w.begin(&rule);
  domain::write_text(o, w);
  const Json taken = w.take_taken();
  const std::string text = w.finish();
  Json expected = domain::to_json(o);
  expected["pii"].erase("shipping_address");
  EXPECT_EQ(text, dump_json(expected));
  EXPECT_EQ(taken, (Json{{"/pii/shipping_address", {{"line1", "221B Baker Street"}}}}));
  EXPECT_EQ(text.find("Baker"), std::string::npos);
}

// Text that is not UTF-8 makes the writer say so; the store then writes
// the document the old way, whose dump_json names the fault.
TEST(JsonText, TextThatIsNotUtf8IsReportedNotWritten) {
  Order o;
  o.id = "o-1";
  o.channel = std::string("web\xff", 4);
  TextWriter w;
  w.begin(&store::document_personal(store::Document::order));
  domain::write_text(o, w);
  EXPECT_FALSE(w.valid());
  // The next document starts clean.
  o.channel = "web";
  w.begin(&store::document_personal(store::Document::order));
  domain::write_text(o, w);
  EXPECT_TRUE(w.valid());
  w.take_taken();
  EXPECT_EQ(w.finish(), by_tree(o, store::Document::order).text);
}

}  // namespace
}  // namespace ordercare
