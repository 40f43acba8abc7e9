// An order's stored text written straight from the entity (domain/json_text.h)
// is byte for byte what the tree gave: dump_json of to_json with the
// personal parts taken out (store/personal_fields.h), and the parts taken
// out are the same. Checked on random orders with every field kind,
// optional values present and absent, lists empty and not, escapes and
// non-ASCII text, through one writer reused from order to order.
#include <gtest/gtest.h>

#include <algorithm>
#include <limits>
#include <optional>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include "domain/entities_json.h"
#include "domain/json_text.h"
#include "domain/return_record.h"
#include "domain/transfer_record.h"
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
      if (maybe()) a.result = maybe() ? Json{{"ok", maybe()}, {"ref", text()}, {"list", {1, 2, text()}}} : value();
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
    if (maybe()) o.pii = maybe() ? Json{{"shipping_address", {{"line1", text()}, {"city", text()}}}, {"note", text()}} : pii();
    return o;
  }

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
  std::optional<std::string> maybe_text() { return maybe() ? std::optional<std::string>(text()) : std::nullopt; }
  std::optional<TimeMs> maybe_instant() { return maybe() ? std::optional<TimeMs>(instant()) : std::nullopt; }
  std::vector<std::string> texts() {
    std::vector<std::string> out;
    for (int i = pick(3); i > 0; --i) out.push_back(text());
    return out;
  }
  // Any JSON value: texts with escapes and non-ASCII, integers small and
  // at the ends of their range, fractions, booleans, null, and objects and
  // arrays nested, empty or not, with keys that need escaping too.
  Json value(int depth = 3) {
    switch (pick(depth > 0 ? 11 : 8)) {
      case 0: return text();
      case 1: return number();
      case 2: return maybe() ? std::numeric_limits<std::int64_t>::max() : std::numeric_limits<std::int64_t>::min();
      case 3: return std::uint64_t{18446744073709551615u};
      case 4: {
        static const double kFractions[] = {0.5, -1.25, 1e300, 3.141592653589793, 1e-7, 0.1, 100.0, -0.0};
        return kFractions[pick(8)];
      }
      case 5: return maybe();
      case 6: return nullptr;
      case 7: return maybe() ? Json::object() : Json::array();
      case 8: {
        Json out = Json::array();
        for (int i = pick(4); i > 0; --i) out.push_back(value(depth - 1));
        return out;
      }
      default: {
        Json out = Json::object();
        for (int i = pick(4); i > 0; --i) out[maybe() ? text() : "k" + std::to_string(pick(5))] = value(depth - 1);
        return out;
      }
    }
  }
  // A "pii" object as the store keeps them: a few known members and any
  // other, each any value.
  Json pii() {
    static const char *const kKeys[] = {"name", "email", "phone", "shipping_address", "note", "text", "description"};
    Json out = Json::object();
    for (int i = pick(5); i > 0; --i) out[kKeys[pick(7)]] = value();
    if (maybe()) out[text()] = value();
    return out;
  }

  // An object of texts, numbers and nested lists, with the keys personal
  // parts of log entries and effects are named by among others.
  Json details() {
    static const char *const kKeys[] = {"reason", "resolution", "evidence", "detail", "note", "amount", "to"};
    Json out = Json::object();
    for (int i = pick(5); i > 0; --i) out[kKeys[pick(7)]] = maybe() ? Json(text()) : maybe() ? Json(number()) : value();
    if (maybe()) {
      Json items = Json::array();
      for (int i = pick(3); i > 0; --i) items.push_back({{"decision", maybe() ? Json(text()) : value()}, {"sku", text()}});
      if (maybe()) items.push_back(value());
      out["items"] = items;
    }
    return out;
  }

  domain::CaseRecord next_case() {
    domain::CaseRecord c;
    c.id = text();
    c.order_id = maybe_text();
    c.customer_id = maybe_text();
    c.type = static_cast<domain::IssueType>(pick(5));
    c.priority = static_cast<domain::Priority>(pick(4));
    c.status = static_cast<domain::CaseStatus>(pick(4));
    c.channel = text();
    c.team = text();
    c.assignee = maybe_text();
    c.opened_at = instant();
    c.updated_at = instant();
    c.first_response_due = maybe_instant();
    c.resolved_at = maybe_instant();
    c.escalation_level = number();
    c.breached = maybe();
    c.vip = maybe();
    c.triggers = texts();
    c.red_flags = texts();
    c.skus = texts();
    c.location = maybe_text();
    c.reason = text();
    c.follow_ups = texts();
    c.resolution = maybe_text();
    c.action_taken = maybe_text();
    c.follow_up = maybe_text();
    if (maybe()) c.csat = number();
    c.event_ids = texts();
    for (int i = pick(3); i > 0; --i) {
      domain::CaseClock k;
      k.name = text();
      k.clock.started = instant();
      k.clock.target = number();
      for (int j = pick(3); j > 0; --j) k.clock.pauses.push_back({instant(), instant()});
      k.clock.paused_since = maybe_instant();
      k.met_at = maybe_instant();
      k.warned = maybe();
      k.due = maybe_instant();
      c.clocks.push_back(k);
    }
    c.store_id = maybe_text();
    c.customer_tags = texts();
    c.last_reply_at = maybe_instant();
    if (maybe()) c.pii = maybe() ? Json{{"description", text()}} : pii();
    return c;
  }

  domain::CaseLogEntry next_log_entry() {
    domain::CaseLogEntry e;
    e.case_id = text();
    e.at = instant();
    e.kind = text();
    e.actor = text();
    e.details = details();
    if (maybe()) e.pii = maybe() ? Json{{"text", text()}} : pii();
    e.customer_id = maybe_text();
    e.order_id = maybe_text();
    return e;
  }

  domain::Effect next_effect() {
    domain::Effect f;
    f.id = text();
    f.kind = text();
    f.case_id = maybe_text();
    f.order_id = maybe_text();
    f.customer_id = maybe_text();
    f.ordering_key = text();
    f.created_at = instant();
    f.payload = details();
    return f;
  }

 private:
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

// The parts taken out as the text the store seals: dump_json of the object
// the tree's walk took out, byte for byte (the plaintext of every sealed
// "pii" the store ever wrote), "{}" when nothing was.
std::string taken_text(TextWriter &w) { return w.took() ? w.taken_text() : "{}"; }

TEST(JsonText, RandomOrdersAreWrittenByteForByteAsTheTreeWasWithTheSamePartsTakenOut) {
  RandomOrders orders(20261203);
  TextWriter w;
  for (int i = 0; i < 2000; ++i) {
    const Order o = orders.next();
    const TreeForm tree = by_tree(o, store::Document::order);
    w.begin(&store::document_personal(store::Document::order));
    domain::write_text(o, w);
    ASSERT_TRUE(w.valid()) << i;
    const std::string taken = taken_text(w);
    const std::string text = w.finish();
    ASSERT_EQ(text, tree.text) << "order " << i;
    ASSERT_EQ(taken, dump_json(tree.taken)) << "order " << i;
  }
}

// Every other kind the store writes this way, with its own personal parts
// (some inside an object: a log entry's details, an effect's payload).
template <class Entity, class Next>
void expect_text_as_tree(store::Document kind, Next next) {
  TextWriter w;
  for (int i = 0; i < 1000; ++i) {
    const Entity e = next();
    Json doc = domain::to_json(e);
    const Json taken_by_tree = store::take_personal_fields(kind, doc);
    w.begin(&store::document_personal(kind));
    domain::write_text(e, w);
    ASSERT_TRUE(w.valid()) << i;
    const std::string taken = taken_text(w);
    ASSERT_EQ(w.finish(), dump_json(doc)) << "entity " << i;
    ASSERT_EQ(taken, dump_json(taken_by_tree)) << "entity " << i;
  }
}

TEST(JsonText, CasesLogEntriesEffectsNoticesCustomersAndEscalationsToo) {
  RandomOrders r(99);
  expect_text_as_tree<domain::CaseRecord>(store::Document::case_record, [&] { return r.next_case(); });
  expect_text_as_tree<domain::CaseLogEntry>(store::Document::log_entry, [&] { return r.next_log_entry(); });
  expect_text_as_tree<domain::Effect>(store::Document::effect, [&] { return r.next_effect(); });
  expect_text_as_tree<domain::Effect>(store::Document::notice, [&] { return r.next_effect(); });
  expect_text_as_tree<domain::Customer>(store::Document::customer, [&] {
    domain::Customer c;
    c.id = r.text();
    c.tags = r.texts();
    c.erased = r.maybe();
    if (r.maybe()) c.pii = r.maybe() ? Json{{"name", r.text()}, {"email", r.text()}} : r.pii();
    return c;
  });
  expect_text_as_tree<domain::Escalation>(store::Document::escalation, [&] {
    domain::Escalation e;
    e.id = r.text();
    e.case_id = r.text();
    e.order_id = r.maybe_text();
    e.at = r.instant();
    e.issue = r.text();
    e.reason = r.text();
    e.to = r.text();
    e.level = r.number();
    e.promised_resolution = r.maybe_instant();
    e.action_taken = r.text();
    e.resolved = r.maybe();
    e.resolved_by = r.maybe_text();
    return e;
  });
}

// A return as the store writes it (to_json without its order: no refunds,
// nothing refunded), its personal parts (the customer's notes, why it was
// refused, each item's reported condition and decision) taken out as the
// tree's walk takes them.
TEST(JsonText, ReturnsAreWrittenAsTheirTreeWasWithTheSamePartsTakenOut) {
  RandomOrders r(20261206);
  expect_text_as_tree<domain::ReturnRecord>(store::Document::return_record, [&] {
    domain::ReturnRecord ret;
    ret.id = r.text();
    ret.order_id = r.text();
    ret.customer_id = r.text();
    ret.case_id = r.maybe_text();
    ret.status = static_cast<domain::ReturnStatus>(r.pick(4));
    ret.currency = r.text();
    for (int n = r.pick(4); n > 0; --n) {
      domain::ReturnItem item;
      item.line_id = r.text();
      item.sku = r.text();
      item.name = r.text();
      item.quantity = r.number();
      item.unit_price = r.number();
      item.reason = r.text();
      item.reported_condition = r.maybe() ? r.text() : "";
      item.eligible = r.maybe();
      item.decision = r.text();
      item.received = r.number();
      item.received_condition = r.text();
      item.disposition = r.text();
      ret.items.push_back(item);
    }
    ret.store_pays_shipping = r.maybe();
    ret.keep_item = r.maybe();
    ret.instant_refund = r.maybe();
    ret.restocking_fee = r.number();
    ret.decisions = r.texts();
    ret.label = r.maybe_text();
    ret.requested_at = r.instant();
    ret.approved_at = r.maybe_instant();
    ret.label_issued_at = r.maybe_instant();
    ret.received_at = r.maybe_instant();
    ret.inspected_at = r.maybe_instant();
    ret.refunded_at = r.maybe_instant();
    ret.closed_at = r.maybe_instant();
    ret.rejection_reason = r.maybe_text();
    ret.received_at_store = r.maybe_text();
    ret.walk_in = r.maybe();
    if (r.maybe()) ret.pii = r.pii();
    return ret;
  });
}

// A transfer names places and SKUs and no person: its stored text is the
// whole tree's dump (to_json(t).dump(), as the store wrote it before), with
// a step's wait time and note only when it has them.
TEST(JsonText, TransfersAreWrittenAsTheirTreeWas) {
  RandomOrders r(20261205);
  TextWriter w;
  for (int i = 0; i < 1000; ++i) {
    domain::Transfer t;
    t.id = r.text();
    t.from = r.text();
    t.to = r.text();
    for (int n = r.pick(4); n > 0; --n) t.lines.push_back({r.text(), r.number()});
    t.customer_waiting = r.maybe();
    t.order_id = r.maybe_text();
    t.needed_by = r.maybe_instant();
    t.warehouse_orders_due = r.number();
    t.warehouse_ship_by = r.maybe_instant();
    t.requested_by = r.text();
    t.favours = r.text();
    t.answer = r.text();
    t.ready_by = r.instant();
    t.reason = r.text();
    t.priority = static_cast<domain::Priority>(r.pick(4));
    t.status = static_cast<domain::TransferStatus>(r.pick(6));
    t.case_id = r.text();
    t.requested_at = r.instant();
    t.updated_at = r.instant();
    t.stock_left = r.maybe();
    t.stock_arrived = r.maybe();
    for (int n = r.pick(4); n > 0; --n) {
      domain::TransferStep step;
      step.status = static_cast<domain::TransferStatus>(r.pick(6));
      step.at = r.instant();
      step.by = r.text();
      step.event_id = r.text();
      step.ready_by = r.maybe_instant();
      step.note = r.maybe() ? r.text() : "";
      t.history.push_back(step);
    }
    w.begin(nullptr);
    domain::write_text(t, w);
    ASSERT_TRUE(w.valid()) << i;
    const std::string text = w.finish();
    ASSERT_EQ(text, domain::to_json(t).dump()) << "transfer " << i;
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

// Members written in any order, some keys twice, and raw members that
// come first, last, between two or in place of one: the text is what the
// same assignments to a map give (the last of a key stays), whether the
// members came in key order or not.
TEST(JsonText, RawMembersJoinOrReplaceMembersWrittenInAnyOrder) {
  std::mt19937 rng(20261204);
  const std::vector<std::string> keys = {"a", "b", "ba", "c", "id", "pii", "z", "zz"};
  TextWriter w;
  for (int round = 0; round < 3000; ++round) {
    std::vector<std::pair<std::string, std::int64_t>> members;
    const int count = std::uniform_int_distribution<int>(0, 6)(rng);
    for (int i = 0; i < count; ++i) members.emplace_back(keys[rng() % keys.size()], static_cast<std::int64_t>(rng() % 100));
    if (rng() % 2) std::sort(members.begin(), members.end(), [](auto &l, auto &r) { return l.first < r.first; });
    std::vector<std::pair<std::string, std::string>> raws;
    for (int i = std::uniform_int_distribution<int>(0, 3)(rng); i > 0; --i)
      raws.emplace_back(keys[rng() % keys.size()], "[\"raw" + std::to_string(i) + "\"]");
    Json expected = Json::object();
    w.begin(nullptr);
    for (const auto &member : members) {
      const std::int64_t value = member.second;
      expected[member.first] = value;
      w.member(member.first, [&](bool) { w.out() += std::to_string(value); });
    }
    for (const auto &[key, text] : raws) {
      expected[key] = Json::parse(text);
      w.raw_member(key, text);
    }
    ASSERT_EQ(w.finish(), dump_json(expected)) << "round " << round;
  }
}

// A description's keys are written as they are, without a look at their
// bytes: describe() refuses, at compile time, any that would need one.
static_assert(domain::json_fields::detail::plain_key("shipping_address"));
static_assert(!domain::json_fields::detail::plain_key("a\"b"));
static_assert(!domain::json_fields::detail::plain_key("a\\b"));
static_assert(!domain::json_fields::detail::plain_key("tab\there"));
static_assert(!domain::json_fields::detail::plain_key("caf\xc3\xa9"));
static_assert(!domain::json_fields::detail::plain_key(""));

TEST(JsonText, WithNothingPersonalTheTextIsTheWholeTree) {
  RandomOrders orders(11);
  TextWriter w;
  for (int i = 0; i < 50; ++i) {
    const Order o = orders.next();
    w.begin(nullptr);
    domain::write_text(o, w);
    EXPECT_FALSE(w.took());
    EXPECT_EQ(w.finish(), dump_json(domain::to_json(o)));
  }
}

// A member some of whose insides are personal: the writer asks the rule
// about each of them, takes those out of the value and writes the rest.
class AddressOnly final : public domain::json_fields::Personal {
 public:
  Relation relation(const std::vector<std::string_view> &path) const override {
    if (path.empty() || path[0] != "pii") return Relation::apart;
    if (path.size() == 1) return Relation::above;
    return path[1] == "shipping_address" ? Relation::named : Relation::apart;
  }
};

TEST(JsonText, APartlyPersonalValueIsWrittenWithoutItsPersonalInsides) {
  Order o;
  o.id = "o-1";
  o.pii = Json{{"shipping_address", {{"line1", "221B Baker Street"}}}, {"note", "ring twice"}};
  AddressOnly rule;
  TextWriter w;
  w.begin(&rule);
  domain::write_text(o, w);
  const std::string taken = taken_text(w);
  const std::string text = w.finish();
  Json expected = domain::to_json(o);
  expected["pii"].erase("shipping_address");
  EXPECT_EQ(text, dump_json(expected));
  EXPECT_EQ(taken, dump_json(Json{{"/pii/shipping_address", {{"line1", "221B Baker Street"}}}}));
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
  EXPECT_EQ(w.finish(), by_tree(o, store::Document::order).text);
  // So does a personal part's, though it is written apart: the store's
  // old way then says what is wrong, as it did when it sealed the part.
  for (const Json &pii : {Json{{"note", std::string("ring\xfe", 5)}},
                         Json{{"address", {{"lines", {"a", std::string("\xc3", 1)}}}}},
                         Json{{std::string("k\xff", 2), 1}}}) {
    o.pii = pii;
    w.begin(&store::document_personal(store::Document::order));
    domain::write_text(o, w);
    EXPECT_FALSE(w.valid()) << pii.dump(-1, ' ', false, Json::error_handler_t::replace);
  }
  domain::OrderAction a;
  a.reason = std::string("why\xff", 4);
  o.pii = Json::object();
  o.actions.push_back(a);
  w.begin(&store::document_personal(store::Document::order));
  domain::write_text(o, w);
  EXPECT_FALSE(w.valid());
  // And the next starts clean again.
  o.actions.clear();
  w.begin(&store::document_personal(store::Document::order));
  domain::write_text(o, w);
  EXPECT_TRUE(w.valid());
  EXPECT_EQ(w.finish(), by_tree(o, store::Document::order).text);
}

}  // namespace
}  // namespace ordercare
