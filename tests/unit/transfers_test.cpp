// Seed 004 "Store needs item from warehouse", one test per step:
//   1. Check priority: store vs warehouse urgency
//   2. If store priority: pull from warehouse stock
//   3. If warehouse priority: give store wait time
//   4. Document transfer
// "Balance: Store customers are here NOW, warehouse has deadlines"; the
// escalation guide's Priority 1 is "Customer waiting at store". The stock
// moves once: an adjust_inventory pair, minus at the warehouse and plus at
// the store, across replays, repeats and a restart.
#include <gtest/gtest.h>

#include <set>
#include <string>
#include <vector>

#include "common/failure.h"
#include "domain/transfers.h"
#include "support/fault_store.h"
#include "support/locations_config.h"
#include "support/scenario.h"
#include "support/sla_support.h"

namespace ordercare::testing {
namespace {

using domain::TransferAnswer;
using domain::TransferNeed;

Json transfer_config() {
  return {{"locations",
           {{"STORE-BER-1", berlin_store()},
            {"STORE-HAM-1", {{"kind", "store"}, {"name", "Hamburg"}, {"closes_at", "19:00"}}},
            {"WH-EU", {{"kind", "warehouse"}, {"name", "EU warehouse"}, {"transfer_lead_time", "3h"}}},
            {"WH-US", {{"kind", "warehouse"}, {"name", "US warehouse"}}}}}};
}

Json event(Scenario &s, const std::string &type, Json data, const std::string &source = "store") {
  return {{"id", s.next_id()},
          {"type", type},
          {"occurred_at", format_rfc3339(s.now())},
          {"source", source},
          {"data", std::move(data)}};
}

Json request(Scenario &s, const std::string &id, bool waiting, Json extra = Json::object()) {
  Json data = {{"transfer_id", id},
               {"from_location", "WH-EU"},
               {"to_location", "STORE-BER-1"},
               {"lines", {{{"sku", "SKU-MUG"}, {"quantity", 2}}, {{"sku", "SKU-LAMP"}, {"quantity", 1}}}},
               {"customer_waiting", waiting}};
  data.update(extra);
  return event(s, "transfer.requested", std::move(data));
}

Json update(Scenario &s, const std::string &id, const std::string &status, Json extra = Json::object()) {
  Json data = {{"transfer_id", id}, {"status", status}};
  data.update(extra);
  return event(s, "transfer.updated", std::move(data), "warehouse");
}

Json transfer(Scenario &s, const std::string &id) { return s.call("transfer.get", {{"id", id}}); }

std::vector<Json> adjustments(Scenario &s) {
  std::vector<Json> out;
  for (const auto &e : s.effects({{"kind", "adjust_inventory"}})) out.push_back(e["payload"]);
  return out;
}

// 1. The priority rule, row by row (pure: no store, no clock).
TEST(Transfers, PriorityRuleStoreCustomerNowAgainstWarehouseDeadlines) {
  const TimeMs now = kScenarioStart;
  const TimeMs lead = 4 * kHourMs;
  struct Row {
    const char *rule;
    TransferNeed need;
    const char *favours;
    const char *answer;
    TimeMs ready_by;
  };
  const Row rows[] = {
      {"a customer waiting now beats any warehouse deadline", {true, std::nullopt, 40, now + kHourMs}, "store",
       "pull_now", now},
      {"warehouse deadlines first: wait until they ship, plus the lead time",
       {false, std::nullopt, 12, now + 2 * kHourMs}, "warehouse", "wait", now + 2 * kHourMs + lead},
      {"deadlines already due: the lead time from now", {false, std::nullopt, 3, now - kHourMs}, "warehouse", "wait",
       now + lead},
      {"a store need sooner than the lead time, no deadlines: pull now", {false, now + kHourMs, 0, std::nullopt},
       "store", "pull_now", now},
      {"a store need later than the lead time: the regular pace", {false, now + 2 * kDayMs, 0, std::nullopt},
       "warehouse", "wait", now + lead},
      {"nothing said: the regular pace", {}, "warehouse", "wait", now + lead},
  };
  for (const Row &row : rows) {
    const TransferAnswer a = domain::transfer_answer(row.need, now, lead);
    EXPECT_EQ(a.favours, row.favours) << row.rule;
    EXPECT_EQ(a.answer, row.answer) << row.rule;
    EXPECT_EQ(a.ready_by, row.ready_by) << row.rule;
    EXPECT_FALSE(a.reason.empty()) << row.rule;
  }
  // The store's earlier need is said, and does not move the deadline.
  const TransferAnswer late = domain::transfer_answer({false, now + kHourMs, 5, now + 3 * kHourMs}, now, lead);
  EXPECT_EQ(late.answer, "wait");
  EXPECT_NE(late.reason.find("the store asked for it by"), std::string::npos) << late.reason;
}

// 2. Store priority: a customer waits at the counter, so the warehouse
// pulls it from stock now, and the store hears so.
TEST(Transfers, CustomerWaitingAtStoreIsPriorityOnePulledNow) {
  TestHost host;
  Scenario s(host, transfer_config());
  const Json accepted = s.submit(
      request(s, "T-1", true, {{"order_id", "A-77"}, {"warehouse_deadlines", {{"orders_due", 30}, {"ship_by", format_rfc3339(s.now() + kHourMs)}}}}));
  ASSERT_EQ(accepted["cases"].size(), 1u);
  const Json t = transfer(s, "T-1");
  EXPECT_EQ(t["favours"], "store");
  EXPECT_EQ(t["answer"], "pull_now");
  EXPECT_EQ(time_of(t["ready_by"]), s.now());
  EXPECT_EQ(t["status"], "requested");
  EXPECT_EQ(t["order_id"], "A-77");
  EXPECT_EQ(t["priority"], "P1");
  const Json c = s.get_case(accepted["cases"][0].get<std::string>());
  EXPECT_EQ(c["type"], "stock_transfer");
  EXPECT_EQ(c["priority"], "P1") << "seed 004: customer waiting at store";
  EXPECT_EQ(c["id"], t["case_id"]);

  s.poll_all();
  const Json store = the_notice(host, "team_transfer_pull_now");
  EXPECT_EQ(store["team"], "store-berlin") << "the store's own team";
  EXPECT_NE(store.dump().find("2 x SKU-MUG, 1 x SKU-LAMP"), std::string::npos) << store.dump();
  const Json warehouse = the_notice(host, "team_transfer_request");
  EXPECT_EQ(warehouse["team"], "warehouse");
  EXPECT_NE(warehouse.dump().find("Pull from warehouse stock now"), std::string::npos);
  EXPECT_TRUE(notices(host, "team_transfer_wait").empty());
  EXPECT_TRUE(adjustments(s).empty()) << "nothing moved yet";
}

// 3. Warehouse priority: orders are due to ship; the store gets a wait
// time, worked out from the warehouse's deadline and lead time.
TEST(Transfers, WarehouseDeadlinesGiveTheStoreAWaitTime) {
  TestHost host;
  Scenario s(host, transfer_config());
  const TimeMs ship_by = s.now() + 2 * kHourMs;
  s.submit(request(s, "T-2", false,
                   {{"needed_by", format_rfc3339(s.now() + kHourMs)},
                    {"warehouse_deadlines", {{"orders_due", 12}, {"ship_by", format_rfc3339(ship_by)}}}}));
  const Json t = transfer(s, "T-2");
  EXPECT_EQ(t["favours"], "warehouse");
  EXPECT_EQ(t["answer"], "wait");
  EXPECT_EQ(time_of(t["ready_by"]), ship_by + 3 * kHourMs) << "WH-EU's transfer_lead_time";
  EXPECT_EQ(t["priority"], "P3");
  EXPECT_NE(t["reason"].get<std::string>().find("12 order(s)"), std::string::npos) << t["reason"];
  s.poll_all();
  const Json store = the_notice(host, "team_transfer_wait");
  EXPECT_EQ(store["team"], "store-berlin");
  EXPECT_NE(store.dump().find("5 h"), std::string::npos) << "the wait, in words: " << store.dump();
  EXPECT_TRUE(notices(host, "team_transfer_pull_now").empty());

  // The warehouse may give its own wait: the store hears the new time.
  s.advance(30 * kMinuteMs);
  const TimeMs later = s.now() + 6 * kHourMs;
  s.submit(update(s, "T-2", "scheduled", {{"ready_by", format_rfc3339(later)}}));
  EXPECT_EQ(time_of(transfer(s, "T-2")["ready_by"]), later);
  s.poll_all();
  EXPECT_EQ(notices(host, "team_transfer_wait").size(), 2u);
  EXPECT_EQ(s.submit_error(update(s, "T-2", "scheduled")).status, OC_ERR_SCHEMA) << "scheduled needs ready_by";
}

// 4. The transfer is documented step by step, the stock moves exactly once
// (minus at the warehouse when it ships, plus at the store when it
// arrives) and the task case closes.
TEST(Transfers, DocumentedWithItsHistoryAndOneInventoryPair) {
  TestHost host;
  Scenario s(host, transfer_config());
  std::vector<Json> events = {request(s, "T-3", true)};
  s.submit(events.back());
  for (const char *status : {"picked", "shipped", "received"}) {
    s.advance(20 * kMinuteMs);
    events.push_back(update(s, "T-3", status, {{"reported_by", "lea"}}));
    s.submit(events.back());
  }
  const Json t = transfer(s, "T-3");
  EXPECT_EQ(t["status"], "received");
  EXPECT_EQ(t["case_status"], "closed");
  ASSERT_EQ(t["history"].size(), 4u);
  EXPECT_EQ(t["history"][1]["status"], "picked");
  EXPECT_EQ(t["history"][3]["by"], "lea");
  EXPECT_EQ(t["stock_left"], true);
  EXPECT_EQ(t["stock_arrived"], true);

  auto pair = adjustments(s);
  ASSERT_EQ(pair.size(), 4u) << "two SKUs, out and in";
  std::int64_t at_warehouse = 0, at_store = 0;
  for (const Json &p : pair) {
    (p["location"] == "WH-EU" ? at_warehouse : at_store) += p["delta"].get<std::int64_t>();
    EXPECT_EQ(p["transfer_id"], "T-3");
  }
  EXPECT_EQ(at_warehouse, -3);
  EXPECT_EQ(at_store, 3);

  // Replayed as they were, re-reported under new ids, and after a restart:
  // the stock moved once.
  for (const Json &e : events) EXPECT_EQ(s.submit(e)["status"], "duplicate");
  s.submit(update(s, "T-3", "received"));
  s.reopen();
  for (const Json &e : events) s.submit(e);
  s.submit(update(s, "T-3", "received"));
  s.poll_all();
  EXPECT_EQ(adjustments(s).size(), 4u);
  EXPECT_EQ(host.requests("adjust_inventory").size(), 4u);
  EXPECT_EQ(transfer(s, "T-3")["history"].size(), 4u);

  // Listed with filters.
  s.submit(request(s, "T-4", false, {{"to_location", "STORE-HAM-1"}}));
  EXPECT_EQ(s.call("transfers.list")["transfers"].size(), 2u);
  EXPECT_EQ(s.call("transfers.list", {{"status", "received"}})["transfers"][0]["id"], "T-3");
  EXPECT_EQ(s.call("transfers.list", {{"to_location", "STORE-HAM-1"}})["transfers"][0]["id"], "T-4");
  const Json page = s.call("transfers.list", {{"limit", 1}});
  ASSERT_EQ(page["transfers"].size(), 1u);
  EXPECT_EQ(s.call("transfers.list", {{"limit", 1}, {"cursor", page["next_cursor"]}})["transfers"][0]["id"], "T-4");
  EXPECT_EQ(s.error("transfers.list", {{"status", "lost"}}).status, OC_ERR_SCHEMA);
  EXPECT_EQ(s.error("transfer.get", {{"id", "T-9"}}).status, OC_ERR_NOT_FOUND);
}

TEST(Transfers, ReceivedWithoutAShippedReportMovesBothHalves) {
  Scenario s(transfer_config());
  s.submit(request(s, "T-5", false));
  s.submit(update(s, "T-5", "received"));
  const auto pair = adjustments(s);
  ASSERT_EQ(pair.size(), 4u);
  EXPECT_EQ(transfer(s, "T-5")["case_status"], "closed");
}

TEST(Transfers, CancelledBeforeItShipsMovesNothingAndClosesTheTask) {
  Scenario s(transfer_config());
  s.submit(request(s, "T-6", false));
  s.submit(update(s, "T-6", "picked"));
  s.submit(update(s, "T-6", "cancelled", {{"note", "found in the store's back room"}}));
  const Json t = transfer(s, "T-6");
  EXPECT_EQ(t["status"], "cancelled");
  EXPECT_EQ(t["case_status"], "closed");
  EXPECT_EQ(t["history"].back()["note"], "found in the store's back room");
  EXPECT_TRUE(adjustments(s).empty());
}

// Bad input gets a clear error and changes nothing.
TEST(Transfers, BadRequestsAreRefusedAndChangeNothing) {
  Scenario s(transfer_config());
  struct Bad {
    Json extra;
    oc_status status;
    const char *says;
  };
  const Bad requests[] = {
      {{{"from_location", "WH-XX"}}, OC_ERR_REFUSED, "WH-XX"},
      {{{"to_location", "STORE-XX"}}, OC_ERR_REFUSED, "STORE-XX"},
      {{{"from_location", "STORE-BER-1"}}, OC_ERR_REFUSED, "both"},
      {{{"from_location", "STORE-HAM-1"}}, OC_ERR_REFUSED, "is a store"},
      {{{"to_location", "WH-US"}}, OC_ERR_REFUSED, "is a warehouse"},
      {{{"lines", {{{"sku", "SKU-MUG"}, {"quantity", 0}}}}}, OC_ERR_SCHEMA, "quantity"},
      {{{"lines", {{{"sku", "SKU-MUG"}, {"quantity", -2}}}}}, OC_ERR_SCHEMA, "quantity"},
      {{{"lines", Json::array()}}, OC_ERR_SCHEMA, "lines"},
      {{{"lines", {{{"sku", "SKU-MUG"}, {"quantity", 1}}, {{"sku", "SKU-MUG"}, {"quantity", 2}}}}}, OC_ERR_REFUSED,
       "two lines"},
  };
  for (const Bad &bad : requests) {
    const CallError e = s.submit_error(request(s, "T-X", false, bad.extra));
    EXPECT_EQ(e.status, bad.status) << bad.extra.dump() << ": " << e.message;
    EXPECT_NE(e.message.find(bad.says), std::string::npos) << e.message;
  }
  Json no_flag = request(s, "T-X", false);
  no_flag["data"].erase("customer_waiting");
  EXPECT_EQ(s.submit_error(no_flag).status, OC_ERR_SCHEMA);
  EXPECT_TRUE(s.call("transfers.list")["transfers"].empty());
  EXPECT_TRUE(s.cases().empty());

  const CallError unknown = s.submit_error(update(s, "T-NONE", "picked"));
  EXPECT_EQ(unknown.status, OC_ERR_NOT_FOUND) << unknown.message;
  EXPECT_NE(unknown.message.find("T-NONE"), std::string::npos);

  // A known id asked for again with other lines is another transfer.
  s.submit(request(s, "T-7", false));
  const CallError again = s.submit_error(request(s, "T-7", false, {{"lines", {{{"sku", "SKU-TEE"}, {"quantity", 1}}}}}));
  EXPECT_EQ(again.status, OC_ERR_REFUSED) << again.message;
  s.submit(request(s, "T-7", false));  // the same request again: nothing new
  EXPECT_EQ(s.call("transfers.list")["transfers"].size(), 1u);
  EXPECT_EQ(s.cases().size(), 1u);
}

TEST(Transfers, UpdatesOnlyGoForward) {
  Scenario s(transfer_config());
  s.submit(request(s, "T-8", false));
  s.submit(update(s, "T-8", "shipped"));
  const Json before = transfer(s, "T-8");
  const CallError back = s.submit_error(update(s, "T-8", "picked"));
  EXPECT_EQ(back.status, OC_ERR_TRANSITION) << back.message;
  EXPECT_NE(back.message.find("cannot go back"), std::string::npos) << back.message;
  const CallError cancel = s.submit_error(update(s, "T-8", "cancelled"));
  EXPECT_EQ(cancel.status, OC_ERR_REFUSED) << cancel.message;
  EXPECT_EQ(s.submit_error(update(s, "T-8", "shipping")).status, OC_ERR_SCHEMA);
  EXPECT_EQ(transfer(s, "T-8"), before);
  EXPECT_EQ(adjustments(s).size(), 2u) << "only the warehouse half so far";

  s.submit(request(s, "T-9", false));
  s.submit(update(s, "T-9", "cancelled"));
  EXPECT_EQ(s.submit_error(update(s, "T-9", "received")).status, OC_ERR_REFUSED);
  EXPECT_TRUE(s.effects({{"kind", "adjust_inventory"}, {"case_id", transfer(s, "T-9")["case_id"]}}).empty());
}

// A store fault at any call of the receipt: it is refused whole (the
// transfer still shipped, the store's half not queued) or done whole, and
// the host's retry of the same event moves the stock once.
TEST(Transfers, AStoreFaultAtAnyCallOfTheReceiptLeavesItWholeOrUndone) {
  std::uint64_t step_calls = 0;
  int refusals = 0;
  for (std::uint64_t k = 0; k == 0 || k <= step_calls; ++k) {
    SCOPED_TRACE("fault at call " + std::to_string(k) + " of the receipt");
    TestHost host;
    FaultInjector faults;
    Json config = transfer_config();
    config["store"] = {{"wake_interval", "60s"}};
    Scenario s(host, config, kScenarioStart, 0, faults.opener());
    s.submit(request(s, "T-F", false));
    s.submit(update(s, "T-F", "shipped"));
    const Json receipt = update(s, "T-F", "received");
    const std::uint64_t before = faults.calls();
    if (k > 0) faults.fail_at(before + k, k % 2 ? Fault::disk : Fault::busy);
    bool refused = false;
    try {
      s.submit(receipt);
    } catch (const Failure &failure) {
      refused = true;
      EXPECT_TRUE(failure.status() == OC_ERR_STORE || failure.status() == OC_ERR_BUSY) << failure.what();
    }
    if (k == 0) step_calls = faults.calls() - before;
    faults.disarm();
    FaultInjector::Pause look(faults);
    if (refused) {
      ++refusals;
      EXPECT_EQ(transfer(s, "T-F")["status"], "shipped");
      EXPECT_EQ(adjustments(s).size(), 2u) << "only the warehouse half";
      EXPECT_EQ(s.submit(receipt)["status"], "accepted") << "a refused event was not kept";
    }
    EXPECT_EQ(s.submit(receipt)["status"], "duplicate");
    s.poll_all();
    EXPECT_EQ(transfer(s, "T-F")["status"], "received");
    EXPECT_EQ(transfer(s, "T-F")["case_status"], "closed");
    EXPECT_EQ(adjustments(s).size(), 4u);
    std::set<std::string> keys;
    for (const auto &r : host.requests("adjust_inventory")) keys.insert(r.key);
    EXPECT_EQ(keys.size(), 4u);
    EXPECT_EQ(host.requests("adjust_inventory").size(), 4u);
  }
  EXPECT_GT(step_calls, 3u);
  EXPECT_GT(refusals, 3) << "of " << step_calls << " calls";
}

TEST(Transfers, LeadTimeIsAWarehouseSetting) {
  Scenario s(transfer_config());
  Json config = transfer_config();
  config["locations"]["STORE-BER-1"]["transfer_lead_time"] = "2h";
  EXPECT_EQ(s.reopen_error(config).status, OC_ERR_CONFIG);
  config = transfer_config();
  config["locations"]["WH-EU"]["transfer_lead_time"] = "0s";
  EXPECT_EQ(s.reopen_error(config).status, OC_ERR_CONFIG);
}

}  // namespace
}  // namespace ordercare::testing
