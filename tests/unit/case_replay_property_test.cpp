// Replay properties of the case engine: platforms retry and reorder
// deliveries, so the same events delivered with duplicates and with the
// orders interleaved differently (each order's own events still in order)
// must leave the same cases, escalations and outbox. Orders use distinct
// customers and SKUs, so that no rule (repeated complaints about a SKU)
// legitimately links them.
#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "support/scenario.h"

namespace ordercare::testing {
namespace {

// Events grouped by what orders them: one list per order (and one per
// stock count), each list in the order it must be delivered.
using Streams = std::vector<std::vector<Json>>;

const std::vector<std::string> kMessages = {
    "Where is my order?",
    "Any update on my order? I need it by Saturday",
    "The mug arrived broken",
    "You sent me the wrong size",
    "One item is missing from my order",
    "If it is not here tomorrow I will cancel",
    "The packaging was ripped",
    "Can you send the tracking number?",
    "This is a scam, I will contact my lawyer",
    "The heater sparked when I plugged it in",
    "Your driver was rude to me",
    "Wo ist meine Bestellung?",
    "Où est ma commande ?",
    "I'm a journalist writing about delivery times",
    "Thanks, all sorted now",
};

class Generator {
 public:
  explicit Generator(unsigned seed) : rng_(seed) {}

  // About `orders` orders with four to eight events each, plus stock counts.
  Streams streams(int orders) {
    Streams out;
    for (int i = 0; i < orders; ++i) out.push_back(order_story(i));
    for (int i = 0; i < orders / 6; ++i)
      out.push_back({at(g_.inventory_discrepancy("STOCK-" + std::to_string(i), "main", 12, 3 + i % 4),
                        "inv-" + std::to_string(i), 0)});
    return out;
  }

 private:
  int pick(int n) { return std::uniform_int_distribution<int>(0, n - 1)(rng_); }
  bool chance(double p) { return std::bernoulli_distribution(p)(rng_); }

  Json at(Json event, const std::string &id, int minute) {
    event["id"] = id;
    event["occurred_at"] = format_rfc3339(kScenarioStart + minute * kMinuteMs);
    return event;
  }

  std::vector<Json> order_story(int i) {
    const std::string order = "O" + std::to_string(i);
    const CustomerSpec customer("cust-" + std::to_string(i), "Customer " + std::to_string(i),
                                chance(0.2) ? std::vector<std::string>{"vip"} : std::vector<std::string>{});
    static const std::vector<std::string> currencies = {"USD", "EUR", "JPY", "KWD"};
    OrderOptions options;
    options.in(currencies[static_cast<std::size_t>(pick(4))]);
    options.with_items({LineSpec("SKU-" + order + "-a", 1000 + pick(90000)), LineSpec("SKU-" + order + "-b", 500)});
    if (chance(0.2)) options.promised(kScenarioStart + (chance(0.5) ? 4 : 30) * kDayMs);

    std::vector<Json> story;
    int minute = i % 7;
    auto add = [&](Json event) {
      story.push_back(at(std::move(event), order + "-e" + std::to_string(story.size()), minute));
      minute += 1 + pick(30);
    };
    auto say = [&](const std::string &text, MessageOptions m = {}) {
      add(g_.message(customer, order, chance(0.3) ? "chat" : "email", text, m));
    };
    const Json created = g_.order_created(order, customer, options);
    const ShipmentOptions tracked = ShipmentOptions().tracked("ups", "1Z" + order).due(kScenarioStart + 3 * kDayMs);

    switch (pick(12)) {
      case 0:
        add(created), add(g_.shipment(order, "S1", "in_transit", tracked)), say("Where is my order?");
        add(g_.shipment(order, "S1", "delayed", ShipmentOptions(tracked).because("weather")));
        say("Still nothing. If it is not here by Friday I will cancel");
        add(g_.shipment(order, "S1", "delivered"));
        break;
      case 1:  // the customer writes before the platform's order.created
        say("Where is my order?"), add(created), add(g_.order_updated(order, "picked"));
        add(g_.change(order, "rush")), add(g_.order_updated(order, "shipped"));
        break;
      case 2:
        add(created), add(g_.shipment(order, "S1", "delivery_failed"));
        add(g_.shipment(order, "S1", "delivery_failed")), say("I was home all day, where is my parcel?");
        break;
      case 3:
        add(created), say("The vase arrived broken"), say("I will sue you, my lawyer is ready");
        break;
      case 4:
        add(created), add(g_.cancellation(order, "Ordered twice", "email")), add(g_.order_updated(order, "cancelled"));
        break;
      case 5: {  // a stale status update delivered late
        add(created), add(g_.order_updated(order, "shipped"));
        Json stale = g_.order_updated(order, "processing");
        story.push_back(at(std::move(stale), order + "-stale", minute - 20));
        add(g_.change(order, "address"));
        break;
      }
      case 6:  // a carrier update about an order not seen yet
        add(g_.shipment(order, "S1", "delayed")), add(created), say("Where is my order?");
        break;
      case 7:
        add(created), say("You sent me the wrong item"), say("The replacement is the wrong colour too");
        break;
      case 8:
        add(created), add(g_.pickup(order, "store-" + std::to_string(i % 3), true));
        add(g_.order_updated(order, "packed"));
        break;
      case 9:
        add(created), add(g_.payment_disputed(order, 2500, "USD", chance(0.5) ? "fraudulent" : "duplicate"));
        break;
      case 10:
        add(created), add(g_.order_updated(order, "delivered")), add(g_.return_requested(order, {ReturnLine("L1", "damaged")}));
        break;
      default:
        add(created), say("Still not here", MessageOptions().in_public());
        say("I'm an influencer and my followers will hear about this", MessageOptions().followers(50000));
        break;
    }
    for (int extra = pick(3); extra > 0; --extra) say(kMessages[static_cast<std::size_t>(pick(static_cast<int>(kMessages.size())))]);
    return story;
  }

  std::mt19937 rng_;
  Scenario g_;  // only its event builders are used
};

// One delivery order: the streams merged at random, each stream's events in
// order; then copies of some events re-delivered later.
std::vector<Json> deliver(const Streams &streams, unsigned seed, double duplicate_rate) {
  std::mt19937 rng(seed);
  std::vector<std::size_t> next(streams.size(), 0);
  std::vector<Json> out;
  while (true) {
    std::vector<std::size_t> open;
    for (std::size_t i = 0; i < streams.size(); ++i)
      if (next[i] < streams[i].size()) open.push_back(i);
    if (open.empty()) break;
    const std::size_t s = open[std::uniform_int_distribution<std::size_t>(0, open.size() - 1)(rng)];
    out.push_back(streams[s][next[s]++]);
  }
  const std::size_t originals = out.size();
  for (std::size_t i = 0; i < originals; ++i)
    if (std::bernoulli_distribution(duplicate_rate)(rng)) {
      const std::size_t where = std::uniform_int_distribution<std::size_t>(i + 1, out.size())(rng);
      out.insert(out.begin() + static_cast<std::ptrdiff_t>(where), out[i]);
    }
  return out;
}

std::vector<Json> in_sequence(const Streams &streams) {
  std::vector<Json> out;
  for (const auto &stream : streams) out.insert(out.end(), stream.begin(), stream.end());
  return out;
}

struct Replay {
  Json state;
  std::size_t submitted = 0;
  std::size_t duplicates = 0;
};

// Everything the engine keeps: every case in full (with its log, events,
// effects and escalations), the escalations log and every effect queued.
Json full_state(Scenario &s) {
  Json cases = Json::object();
  for (const auto &c : s.cases()) {
    const std::string id = c["id"];
    cases[id] = s.get_case(id);
  }
  std::vector<std::string> effects = s.queued_effects();
  std::sort(effects.begin(), effects.end());
  return {{"cases", std::move(cases)},
          {"escalations", s.escalations()},
          {"effects", effects},
          {"events", s.call("events.list", {{"limit", 1000}})["events"].size()}};
}

// What stays the same when the clock also moves between deliveries: the
// cases' identity, type, priority, status, triggers, red flags and level,
// their escalations, and the outbox.
Json timeless_state(Scenario &s) {
  Json cases = Json::object();
  for (const auto &summary : s.cases()) {
    const std::string id = summary["id"];
    const Json c = s.get_case(id);
    Json escalations = Json::array();
    for (const auto &e : c["escalations"])
      escalations.push_back({{"id", e["id"]}, {"level", e["level"]}, {"to", e["to"]}, {"status", e["status"]}});
    Json effects = Json::array();
    for (const auto &e : c["effects"]) effects.push_back(e["id"]);
    std::vector<std::string> triggers = strings_of(c["triggers"]), flags = strings_of(c["red_flags"]);
    std::sort(triggers.begin(), triggers.end());
    std::sort(flags.begin(), flags.end());
    cases[id] = {{"type", c["type"]},         {"priority", c["priority"]},   {"status", c["status"]},
                 {"triggers", triggers},      {"red_flags", flags},           {"order_id", c["order_id"]},
                 {"escalation_level", c["escalation_level"]}, {"escalations", escalations},
                 {"effects", effects},        {"events", c["events"]}};
  }
  std::vector<std::string> effects = s.queued_effects();
  std::sort(effects.begin(), effects.end());
  return {{"cases", std::move(cases)}, {"effects", effects}};
}

Replay replay(const std::vector<Json> &events, bool moving_clock) {
  Scenario s;
  s.set_now(kScenarioStart + kDayMs);
  Replay run;
  for (const auto &event : events) {
    const Json result = s.submit(event);
    ++run.submitted;
    if (result["status"] == "duplicate") ++run.duplicates;
    if (moving_clock) s.advance(kSecondMs);
  }
  run.state = moving_clock ? timeless_state(s) : full_state(s);
  return run;
}

// The first difference between two states, for a readable failure.
std::string first_difference(const Json &a, const Json &b) {
  const Json patch = Json::diff(a, b);
  if (patch.empty()) return "";
  const std::string path = patch[0]["path"];
  return "first difference: " + patch[0].dump() + "; was " +
         (a.contains(Json::json_pointer(path)) ? a.at(Json::json_pointer(path)).dump() : "absent");
}

class ReplayProperty : public ::testing::TestWithParam<unsigned> {};

TEST_P(ReplayProperty, DuplicatesAndInterleavingLeaveTheSameState) {
  const unsigned seed = GetParam();
  const Streams streams = Generator(seed).streams(60);
  std::size_t total = 0;
  for (const auto &s : streams) total += s.size();
  ASSERT_GE(total, 250u);

  const Replay baseline = replay(in_sequence(streams), false);
  EXPECT_EQ(baseline.duplicates, 0u);
  const Json &cases = baseline.state["cases"];
  ASSERT_GE(cases.size(), 50u);
  // The stream exercises the rules: escalations, red flags and several types.
  EXPECT_FALSE(baseline.state["escalations"].empty());
  std::set<std::string> types;
  for (const auto &[id, c] : cases.items()) types.insert(c["type"].get<std::string>());
  EXPECT_GE(types.size(), 8u);

  for (unsigned variant = 1; variant <= 2; ++variant) {
    const std::vector<Json> events = deliver(streams, seed * 100 + variant, 0.15);
    const Replay run = replay(events, false);
    SCOPED_TRACE("seed " + std::to_string(seed) + " variant " + std::to_string(variant));
    EXPECT_GT(run.duplicates, 0u);
    EXPECT_EQ(run.submitted - run.duplicates, total);
    EXPECT_TRUE(run.state == baseline.state) << first_difference(baseline.state, run.state);
  }
}

TEST_P(ReplayProperty, WithAMovingClockTheCasesAndOutboxAreTheSame) {
  const unsigned seed = GetParam();
  const Streams streams = Generator(seed).streams(60);
  const Replay baseline = replay(in_sequence(streams), true);
  const Replay shuffled = replay(deliver(streams, seed * 7 + 3, 0.2), true);
  EXPECT_TRUE(shuffled.state == baseline.state) << first_difference(baseline.state, shuffled.state);
}

INSTANTIATE_TEST_SUITE_P(Seeds, ReplayProperty, ::testing::Values(1u, 2u, 3u, 20261120u));

}  // namespace
}  // namespace ordercare::testing
