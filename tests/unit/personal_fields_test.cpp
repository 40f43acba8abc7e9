// Personal data beyond the named PII fields (issue 10, point 1): what an
// event carries that the schema does not name (a billing address, an extra
// field), a customer's free-text return condition, the host's lookup_order
// answer, and the free text people write (an escalation's reason, a
// resolution, a refund's reason, the host's rejection reason). All of it is
// sealed at rest under the customer's key, shown while they are known, and
// gone from every query and report once they are erased. The rule lives in
// one table (store/personal_fields.h); its two halves are checked directly
// too.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "common/event_type.h"
#include "store/personal_fields.h"
#include "support/scenario.h"
#include "support/test_store.h"

namespace ordercare::testing {
namespace {

const CustomerSpec kZelda("c-zq", "Zelda Quixote", {}, "zelda.quixote@example.org", "+44 20 7946 0958");

// Each is written once, by the scenario below, in a place the old rule did
// not seal.
const std::vector<std::string> kPersonal = {
    "12 Grimmauld Place",              // order.billing_address (not in the schema)
    "7 Spinners End",                  // order.customer.address (not in the schema)
    "Happy birthday Neville",          // an unknown field under data
    "Chewed by Fang",                  // a return item's reported condition
    "Luna Lovegood",                   // the host's lookup_order answer
    "Minerva McGonagall called twice", // case.escalate reason
    "Refunded after talking to Albus", // case.resolve resolution
    "Sent a cheque to Hogsmeade",      // case.resolve action_taken
    "Goodwill for Dobby",              // order.refund reason
    "Card of Gilderoy Lockhart closed", // the host's REJECTED reason
};

struct Day {
  std::string case_id;
  std::string return_id;
};

Day write_day(Scenario &s) {
  Day d;
  Json order = s.order_created("A", kZelda, OrderOptions().with_items({LineSpec("SKU-A", 5000)}));
  order["data"]["order"]["billing_address"] = {{"line1", "12 Grimmauld Place"}, {"city", "London"}};
  order["data"]["order"]["customer"]["address"] = "7 Spinners End";
  order["data"]["gift_message"] = "Happy birthday Neville";
  s.submit(order);
  s.submit(s.order_updated("A", "delivered"));
  const Json ret = s.submit(s.return_requested("A", {ReturnLine("L1", "changed_mind", 1, "", "Chewed by Fang")}));
  d.return_id = s.returns()[0]["id"];
  d.case_id = s.submit(s.message(kZelda, "A", "email", "Where is my refund?"))["cases"][0];
  s.call("case.escalate", {{"id", d.case_id}, {"reason", "Minerva McGonagall called twice"}, {"agent", "kim"}});
  s.call("order.refund", {{"order_id", "A"}, {"amount", 700}, {"reason", "Goodwill for Dobby"}});
  // A shipment of an order the plugin has not seen: it asks the host.
  s.submit(s.shipment("LK", "S1", "in_transit"));
  s.poll_all();
  s.call("case.resolve", {{"id", d.case_id}, {"agent", "kim"}, {"resolution", "Refunded after talking to Albus"},
                          {"action_taken", "Sent a cheque to Hogsmeade"}});
  s.poll_all();
  return d;
}

TestHost &host_of_the_day(TestHost &host) {
  host.on("lookup_order", [](const HostRequest &r) {
    HostReply reply;
    reply.reply = {{"id", r.body["order_id"]},
                   {"placed_at", "2026-11-19T10:00:00Z"},
                   {"currency", "USD"},
                   {"total", 1000},
                   {"channel", "web"},
                   {"customer", {{"id", "c-zq"}, {"name", "Luna Lovegood"}, {"email", "luna@example.org"}}},
                   {"items", {{{"line_id", "L1"}, {"sku", "SKU-LK"}, {"quantity", 1}, {"unit_price", 1000}}}}};
    return reply;
  });
  host.on("refund", [](const HostRequest &) {
    HostReply reply;
    reply.outcome = OC_OUTCOME_REJECTED;
    reply.reply = {{"reason", "Card of Gilderoy Lockhart closed"}};
    return reply;
  });
  return host;
}

// Every query and report that could show it, as one string.
std::string everything_shown(Scenario &s, const Day &d) {
  std::string out;
  const Json events = s.call("events.list", {{"limit", 1000}});
  for (const auto &e : events["events"]) out += s.call("events.get", {{"id", e["id"]}}).dump();
  out += s.get_return(d.return_id).dump();
  out += s.returns().dump();
  out += s.call("returns.list", {{"format", "text"}, {"limit", 1000}}).dump();
  out += s.effects().dump();
  out += s.escalations().dump();
  out += s.call("escalations.log", {{"format", "text"}}).dump();
  for (const auto &c : s.cases()) out += s.get_case(c["id"].get<std::string>()).dump();
  out += s.call("service_log.export", {{"format", "json"}}).dump();
  out += s.call("service_log.export", {{"format", "csv"}}).dump();
  for (const char *format : {"json", "text", "html"})
    out += s.call("report.daily", {{"date", "2026-11-20"}, {"format", format}}).dump();
  return out;
}

TEST(PersonalFields, WhatTheSchemaDoesNotNameAndWhatPeopleWriteIsSealedAndErased) {
  TestHost host;
  Scenario s(host_of_the_day(host));
  const Day d = write_day(s);
  ASSERT_EQ(host.requests("lookup_order").size(), 1u);
  ASSERT_EQ(host.requests("refund").size(), 1u);

  const std::string shown = everything_shown(s, d);
  for (const auto &text : kPersonal) EXPECT_NE(shown.find(text), std::string::npos) << "shown while known: " << text;
  const std::string stored = s.raw_store_bytes();
  ASSERT_NE(stored.find("SKU-A"), std::string::npos) << "the raw read works";
  for (const auto &text : kPersonal) EXPECT_EQ(stored.find(text), std::string::npos) << "at rest: " << text;

  s.call("customer.erase", {{"customer_id", "c-zq"}});
  for (const bool reopened : {false, true}) {
    SCOPED_TRACE(reopened ? "after reopen" : "after erase");
    if (reopened) s.reopen();
    const std::string after = everything_shown(s, d);
    for (const auto &text : kPersonal) EXPECT_EQ(after.find(text), std::string::npos) << text;
    // What is not personal stays for the queue and the metrics.
    const Json order_event = s.call("events.get", {{"id", "ev-1"}});
    EXPECT_EQ(order_event["data"]["order"]["total"], 5000);
    EXPECT_EQ(order_event["data"]["order"]["items"][0]["sku"], "SKU-A");
    const Json r = s.get_return(d.return_id);
    EXPECT_EQ(r["items"][0]["reason"], "changed_mind");
    EXPECT_EQ(s.escalations().size(), 2u) << "the agent's, and the failed refund's";
    EXPECT_EQ(s.get_case(d.case_id)["status"], "resolved");
  }
}

// --- The rule's two halves, on JSON alone --------------------------------

TEST(PersonalFields, AnEventKeepsOnlyWhatIsNamedAsNotPersonal) {
  Json event = {{"id", "e1"},
                {"type", "order.created"},
                {"occurred_at", "2026-11-20T09:00:00Z"},
                {"source", "shop"},
                {"trace", "from Ginny's laptop"},
                {"data",
                 {{"order",
                   {{"id", "A"},
                    {"total", 2500},
                    {"customer", {{"id", "c1"}, {"name", "Ginny"}, {"tags", {"vip"}}}},
                    {"items", {{{"line_id", "L1"}, {"sku", "S"}, {"quantity", 1}, {"gift_note", "for Harry"}}}},
                    {"billing_address", {{"line1", "The Burrow"}}}}},
                  {"extra", 42}}}};
  const Json original = event;
  const Json taken = store::take_personal_event_fields(event);
  EXPECT_EQ(event["data"]["order"]["total"], 2500);
  EXPECT_EQ(event["data"]["order"]["customer"], (Json{{"id", "c1"}, {"tags", {"vip"}}}));
  EXPECT_EQ(event["data"]["order"]["items"][0], (Json{{"line_id", "L1"}, {"sku", "S"}, {"quantity", 1}}));
  EXPECT_FALSE(event["data"]["order"].contains("billing_address"));
  EXPECT_FALSE(event["data"].contains("extra")) << "unknown fields are sealed by default";
  EXPECT_FALSE(event.contains("trace")) << "so are unknown envelope fields";
  EXPECT_EQ(event["id"], "e1");
  EXPECT_EQ(taken["/data/order/customer/name"], "Ginny");
  EXPECT_EQ(taken["/data/order/items/0/gift_note"], "for Harry");
  store::restore_personal_fields(event, taken);
  EXPECT_EQ(event, original) << "put back whole";
}

// split_for_log writes an event's two texts without copying the event:
// they are the texts dump_json writes of what take_personal_event_fields
// leaves of a copy and of what it takes out.
store::EventForLog split_by_tree(const Json &event) {
  store::EventForLog out;
  Json body = event;
  const Json personal = store::take_personal_event_fields(body);
  if (!personal.empty()) out.personal = dump_json(personal);
  out.body = dump_json(body);
  return out;
}

void expect_split_as_by_tree(const Json &event) {
  const store::EventForLog split = store::split_for_log(event);
  const store::EventForLog expected = split_by_tree(event);
  EXPECT_EQ(split.body, expected.body) << event.dump();
  EXPECT_EQ(split.personal, expected.personal) << event.dump();
}

// Values in the shapes the rule tells apart: the keys it names for some
// type, keys that sort apart from their pointers ("a.b", "a/b", "a~b"
// against "a"), array elements past 9, numbers of every kind.
Json random_event_value(std::mt19937 &rng, int depth) {
  static const std::vector<std::string> kKeys = {
      "order", "items", "customer", "id", "line_id", "sku", "name", "tags", "total", "quantity",
      "a", "a.b", "a/b", "a~b", "a_b", "b", "platform", "note", "status", "order_id", "Zoë"};
  auto pick = [&](int n) { return std::uniform_int_distribution<int>(0, n - 1)(rng); };
  switch (depth > 4 ? pick(5) : pick(8)) {
    case 0: return nullptr;
    case 1: return pick(2) == 0;
    case 2: return pick(3) == 0 ? Json(-pick(1000)) : Json(pick(100000));
    case 3: return 0.5 * pick(100);
    case 4: return kKeys[pick(static_cast<int>(kKeys.size()))] + " \"text\"\n";
    case 5: {
      Json array = Json::array();
      for (int n = pick(13); n > 0; --n) array.push_back(random_event_value(rng, depth + 1));
      return array;
    }
    default: {
      Json object = Json::object();
      for (int n = pick(6); n > 0; --n)
        object[kKeys[pick(static_cast<int>(kKeys.size()))]] = random_event_value(rng, depth + 1);
      return object;
    }
  }
}

TEST(PersonalFields, AnEventIsSplitAsItsTreeWouldBe) {
  // Every event of the sample days, and each recorded webhook payload as
  // the platform fields of an order.
  const std::filesystem::path source = OC_TEST_SOURCE_DIR;
  int events = 0;
  for (const char *day : {"host_shims/c/data/sample_day.jsonl", "host_shims/c/data/sample_day_agents.jsonl"}) {
    std::ifstream in(source / day, std::ios::binary);
    for (std::string line; std::getline(in, line);) {
      const Json event = Json::parse(line, nullptr, false);
      if (event.is_discarded()) continue;
      expect_split_as_by_tree(event);
      ++events;
    }
  }
  EXPECT_GT(events, 100);
  for (const auto &entry : std::filesystem::recursive_directory_iterator(source / "tests/data/webhooks")) {
    if (entry.path().extension() != ".json") continue;
    std::ifstream in(entry.path(), std::ios::binary);
    std::stringstream text;
    text << in.rdbuf();
    Json event = {{"id", "w1"}, {"type", "order.created"}, {"occurred_at", "2026-11-20T09:00:00Z"},
                  {"source", "shopify"}, {"data", {{"order", {{"id", "A"}}}, {"platform", Json::parse(text.str())}}}};
    expect_split_as_by_tree(event);
  }

  // Random events of every type, envelopes with unknown fields, data that
  // is not an object, events that are not objects.
  std::mt19937 rng(20261204);
  const auto types = all_event_types();
  for (int round = 0; round < 3000; ++round) {
    Json event = {{"id", "e" + std::to_string(round)}, {"occurred_at", "2026-11-20T09:00:00Z"}, {"source", "shop"}};
    event["type"] = name_of(types[static_cast<std::size_t>(round) % types.size()]);
    event["data"] = random_event_value(rng, round % 3 == 0 ? 0 : 1);
    if (round % 5 == 0) event["trace"] = random_event_value(rng, 3);
    if (round % 7 == 0 && event["data"].is_object()) event["data"]["order"] = random_event_value(rng, 1);
    expect_split_as_by_tree(event);
  }
  expect_split_as_by_tree(Json::array({1, 2}));
  expect_split_as_by_tree(Json("just text"));
  expect_split_as_by_tree(Json{{"id", "e"}, {"type", "order.created"}, {"data", "not an object"}});
}

TEST(PersonalFields, ADocumentGivesUpItsPiiAndItsFreeText) {
  Json c = {{"id", "C1"},
            {"status", "resolved"},
            {"reason", "rule wismo matched 'where is my order'"},
            {"resolution", "Talked to Molly"},
            {"follow_ups", {"Called back"}},
            {"pii", {{"description", "Where is it?"}}}};
  const Json original = c;
  const Json taken = store::take_personal_fields(store::Document::case_record, c);
  EXPECT_EQ(c, (Json{{"id", "C1"}, {"status", "resolved"}, {"reason", "rule wismo matched 'where is my order'"}}));
  EXPECT_EQ(taken.size(), 3u);
  store::restore_personal_fields(c, taken);
  EXPECT_EQ(c, original);

  Json order = {{"id", "A"}, {"refunds", {{{"id", "r1"}, {"amount", 5}, {"reason", "goodwill"}, {"note", "re_1"}}}}};
  const Json refunds_taken = store::take_personal_fields(store::Document::order, order);
  EXPECT_EQ(order["refunds"][0], (Json{{"id", "r1"}, {"amount", 5}}));
  EXPECT_EQ(refunds_taken["/refunds/0/reason"], "goodwill");
}

}  // namespace
}  // namespace ordercare::testing
