#include "exactly_once.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <optional>
#include <sstream>
#include <vector>

#include "common/time_format.h"

namespace ordercare::testing {

namespace {

std::string text_or_empty(const Json &j, const char *key) {
  return j.contains(key) && j[key].is_string() ? j[key].get<std::string>() : std::string();
}

}  // namespace

std::map<std::string, LedgerEntry> read_ledger(const std::string &path) {
  std::map<std::string, LedgerEntry> out;  // "<kind>\t<key>"
  std::ifstream in(path, std::ios::binary);
  for (std::string line; std::getline(in, line);) {
    std::vector<std::string> f;
    std::size_t start = 0;
    for (int i = 0; i < 3; ++i) {
      const auto tab = line.find('\t', start);
      if (tab == std::string::npos) break;
      f.push_back(line.substr(start, tab - start));
      start = tab + 1;
    }
    if (f.size() != 3) continue;
    LedgerEntry &e = out[f[1] + "\t" + f[2]];
    if (f[0] == "applied") {
      ++e.applied;
      e.request = Json::parse(line.substr(start), nullptr, false);
    } else if (f[0] == "duplicate") {
      ++e.duplicates;
    }
  }
  return out;
}

StoreView read_dump(const std::string &path) {
  StoreView view;
  std::ifstream in(path, std::ios::binary);
  const Json seen = Json::parse(in, nullptr, false);
  EXPECT_TRUE(seen.is_object()) << "no dump from the driver at " << path;
  if (!seen.is_object()) return view;
  view.now = seen["now"].get<std::int64_t>();
  view.effects = seen["effects"];
  view.events = seen["events"];
  for (auto it = seen["cases"].begin(); it != seen["cases"].end(); ++it) view.cases[it.key()] = it.value();
  for (auto it = seen["orders"].begin(); it != seen["orders"].end(); ++it) view.orders[it.key()] = it.value();
  for (const auto &r : seen["returns"]) view.returns[r["id"].get<std::string>()] = r;
  return view;
}

std::string Tally::summary() const {
  std::ostringstream out;
  out << effects << " effects (" << done << " done, " << failed << " failed), " << applied << " actions applied, "
      << duplicates << " repeats answered from the ledger, " << refunds_owed << " refunds owed and applied once, "
      << refunds_failed << " refunds failed";
  return out.str();
}

std::string check_replies_once(const StoreView &view, const std::map<std::string, LedgerEntry> &ledger,
                               const Replay &replay, bool in_order) {
  std::ifstream steps(replay.steps, std::ios::binary);
  std::size_t replies = 0, sent = 0, delivered = 0;
  for (std::string line; std::getline(steps, line);) {
    const Json step = Json::parse(line, nullptr, false);
    if (!step.is_object() || step.value("call", "") != "case.reply") continue;
    ++replies;
    // The key is notify:<case>:reply:req:<request_id>, its ':' escaped.
    const std::string tail = ":reply:req%3A" + step["args"]["request_id"].get<std::string>();
    std::vector<Json> queued;
    for (const auto &e : view.effects) {
      const std::string id = e["id"];
      if (id.size() > tail.size() && id.compare(id.size() - tail.size(), tail.size(), tail) == 0) queued.push_back(e);
    }
    EXPECT_LE(queued.size(), 1u) << "reply step " << line;
    if (in_order) {
      EXPECT_EQ(queued.size(), 1u) << "reply step " << line;
    }
    sent += queued.size();
    for (const auto &e : queued) {
      if (e["status"] != "done") continue;
      ++delivered;
      const auto applied = ledger.find("notify\t" + e["id"].get<std::string>());
      EXPECT_TRUE(applied != ledger.end() && applied->second.applied == 1) << e["id"] << " was sent, not once";
    }
  }
  EXPECT_GT(sent, 0u) << "the replay sent replies";
  return std::to_string(replies) + " reply steps, " + std::to_string(sent) + " messages queued once, " +
         std::to_string(delivered) + " delivered once";
}

std::string check_surveys_once(const StoreView &view, const std::map<std::string, LedgerEntry> &ledger) {
  std::size_t cases = 0, delivered = 0;
  for (const auto &[id, c] : view.cases) {
    // The survey's key is notify:<case>:survey:<survey id>.
    std::map<std::string, int> queued;
    for (const auto &e : view.effects) {
      const std::string key = e["id"];
      const std::string head = "notify:" + id + ":survey:";
      if (key.rfind(head, 0) != 0) continue;
      ++queued[key];
      if (e["status"] != "done") continue;
      ++delivered;
      const auto applied = ledger.find("notify\t" + key);
      EXPECT_TRUE(applied != ledger.end() && applied->second.applied == 1) << key << " was sent, not once";
    }
    for (const auto &[key, count] : queued) EXPECT_EQ(count, 1) << key;
    EXPECT_EQ(queued.size(), c.value("surveys", Json::array()).size()) << id;
    const Json order = c.value("order_id", Json());
    if (!order.is_string() || order.get<std::string>().rfind("crs-fb-", 0) != 0 || c.value("follow_up_of", Json()).is_string())
      continue;
    ++cases;
    EXPECT_EQ(queued.size(), 1u) << "case " << id << " of " << order << " had " << queued.size() << " surveys";
  }
  EXPECT_GT(cases, 0u) << "the replay closed cases";
  return std::to_string(cases) + " cases closed twice, " + std::to_string(delivered) + " surveys delivered once";
}

Tally check_effects_once(const StoreView &view, const std::map<std::string, LedgerEntry> &ledger, bool faults) {
  Tally tally;
  // Nothing applied twice, of any kind.
  for (const auto &[key, entry] : ledger) {
    EXPECT_LE(entry.applied, 1) << key << " applied " << entry.applied << " times";
    tally.applied += static_cast<std::size_t>(entry.applied);
    tally.duplicates += static_cast<std::size_t>(entry.duplicates);
  }
  // The outbox is quiet, lists each effect once, and each delivered effect
  // was applied exactly once.
  std::map<std::string, std::string> status_of;
  for (const auto &e : view.effects) {
    const std::string id = e["id"], kind = e["kind"], status = e["status"];
    EXPECT_EQ(status_of.count(kind + "\t" + id), 0u) << id << " is in the outbox twice";
    status_of[kind + "\t" + id] = status;
    ++tally.effects;
    tally.done += status == "done";
    tally.failed += status == "failed";
    EXPECT_TRUE(status == "done" || status == "failed") << id << " is " << status;
    if (kind == "lookup_order") continue;
    const auto it = ledger.find(kind + "\t" + id);
    const int times = it == ledger.end() ? 0 : it->second.applied;
    if (status == "done") {
      EXPECT_EQ(times, 1) << id << " is done but the host applied it " << times << " times";
    }
    if (status == "failed") {
      EXPECT_EQ(times, 0) << id << " failed yet the host applied it";
      // Without injected faults only a notice that could not be written
      // fails (a template missing a value; it never reached the host).
      const std::string error = text_or_empty(e, "last_error");
      if (!faults) {
        EXPECT_EQ(error.rfind("not sent: ", 0), 0u) << id << " failed without injected faults: " << error;
      }
      // Failed with a case: a person is told.
      std::string case_id = text_or_empty(e, "case_id");
      if (case_id.empty() && kind == "refund")
        for (const auto &[order_id, order] : view.orders)
          for (const auto &r : order["refunds"])
            if (r["id"] == id) case_id = text_or_empty(r, "case_id");
      EXPECT_FALSE(case_id.empty()) << id << " failed and no case knows it";
      if (case_id.empty()) continue;
      const auto c = view.cases.find(case_id);
      EXPECT_NE(c, view.cases.end()) << id << " failed and its case " << case_id << " is not in the store";
      if (c == view.cases.end()) continue;
      const std::string log = c->second["log"].dump() + c->second["escalations"].dump();
      EXPECT_NE(log.find(id), std::string::npos) << id << " failed and its case does not say so";
    }
  }
  for (const auto &[key, entry] : ledger) {
    if (entry.applied == 0) continue;
    EXPECT_EQ(status_of.count(key), 1u) << key << " applied but not in the outbox";
  }

  // Refunds owed (succeeded or still out) were applied exactly once, for
  // their amount; failed ones never; no order got back more than it paid.
  std::set<std::string> known;
  for (const auto &[order_id, order] : view.orders) {
    std::int64_t applied_sum = 0;
    for (const auto &r : order["refunds"]) {
      const std::string id = r["id"], status = r["status"];
      known.insert(id);
      const auto it = ledger.find("refund\t" + id);
      const int times = it == ledger.end() ? 0 : it->second.applied;
      if (status == "succeeded" || status == "requested" || status == "pending") {
        ++tally.refunds_owed;
        EXPECT_EQ(status, "succeeded") << id << " is still " << status << " after the outbox went quiet";
        EXPECT_EQ(times, 1) << "refund " << id << " owed but applied " << times << " times";
        if (times == 1) {
          EXPECT_EQ(it->second.request["amount"]["amount"], r["amount"]) << id;
          EXPECT_EQ(it->second.request["amount"]["currency"], order["currency"]) << id;
          applied_sum += r["amount"].get<std::int64_t>();
        }
      } else {
        ++tally.refunds_failed;
        EXPECT_EQ(times, 0) << "refund " << id << " is " << status << " yet the host applied it";
      }
    }
    EXPECT_LE(applied_sum, order["total"].get<std::int64_t>()) << "order " << order_id << " refunded more than it paid";
  }
  // Every refund the host applied is one the store knows.
  for (const auto &[key, entry] : ledger) {
    if (key.rfind("refund\t", 0) != 0 || entry.applied == 0) continue;
    EXPECT_TRUE(known.count(key.substr(7))) << key << " applied by the host, unknown to the store";
  }
  return tally;
}

std::string check_order_actions_once(const StoreView &view, const std::map<std::string, LedgerEntry> &ledger,
                                     std::map<std::string, int> *kinds_done) {
  std::map<std::string, int> done;
  std::set<std::string> known;
  std::size_t actions = 0, not_done = 0;
  for (const auto &[order_id, order] : view.orders) {
    if (!order.contains("actions")) continue;
    for (const auto &a : order["actions"]) {
      const std::string id = a["id"], kind = a["kind"], status = a["status"];
      known.insert(id);
      ++actions;
      const auto it = ledger.find("order_action\t" + id);
      const int times = it == ledger.end() ? 0 : it->second.applied;
      EXPECT_NE(status, "requested") << id << " still asked for after the outbox went quiet";
      EXPECT_NE(status, "pending") << id << " still pending after the host reported every result";
      if (status == "done") {
        ++done[kind];
        EXPECT_EQ(times, 1) << "order action " << id << " done but applied " << times << " times";
        if (times == 1) {
          EXPECT_EQ(it->second.request["action"], kind) << id;
          EXPECT_EQ(it->second.request["order_id"], order_id) << id;
        }
      } else {
        ++not_done;
        EXPECT_EQ(times, 0) << "order action " << id << " is " << status << " yet the host applied it";
      }
    }
  }
  for (const auto &[key, entry] : ledger) {
    if (key.rfind("order_action\t", 0) != 0 || entry.applied == 0) continue;
    EXPECT_TRUE(known.count(key.substr(13))) << key << " applied by the host, unknown to its order";
  }
  std::ostringstream out;
  out << actions << " order actions (" << not_done << " not done), each done one applied once:";
  for (const auto &[kind, n] : done) out << " " << kind << " " << n;
  if (kinds_done) *kinds_done = done;
  return out.str();
}

std::string check_events_once(const StoreView &view, const Replay &replay, const std::set<long> &acked_steps) {
  std::map<std::string, const Json *> stored;
  for (const auto &e : view.events) {
    const std::string id = e["id"];
    EXPECT_EQ(stored.count(id), 0u) << "event " << id << " is stored twice";
    stored[id] = &e;
  }
  std::set<std::string> submitted;
  for (long step = 0; step < static_cast<long>(replay.total_steps()); ++step)
    if (!replay.event_of(step).is_null()) submitted.insert(replay.event_id_of(step));
  // Besides the steps' events: the outcomes of pending refunds and order
  // actions, and the
  // orders the host answered lookup_order with (stored as order.created).
  std::size_t results = 0, lookups = 0;
  for (const auto &[id, e] : stored) {
    if (submitted.count(id)) continue;
    if (id.rfind("result:", 0) == 0) {
      ++results;
    } else if (id.rfind("lookup:", 0) == 0 && (*e)["type"] == "order.created" &&
               (*e)["data"]["order"]["id"] == id.substr(7)) {
      ++lookups;
    } else {
      ADD_FAILURE() << "event " << id << " was never submitted";
    }
  }

  std::size_t lost = 0, differ = 0;
  for (long step : acked_steps) {
    const Json &event = replay.event_of(step);
    if (event.is_null()) continue;
    const auto it = stored.find(event["id"].get<std::string>());
    if (it == stored.end()) {
      if (++lost <= 10) ADD_FAILURE() << "acknowledged event " << event["id"] << " (step " << step << ") is missing";
      continue;
    }
    const Json &kept = *it->second;
    if ((kept["type"] != event["type"] || kept["data"] != event["data"]) && ++differ <= 10)
      ADD_FAILURE() << "event " << event["id"] << " is stored as " << kept.dump() << ", submitted as " << event.dump();
  }
  EXPECT_EQ(lost, 0u);
  EXPECT_EQ(differ, 0u);
  std::ostringstream out;
  out << acked_steps.size() << " acknowledged events each stored once, as submitted, of " << stored.size()
      << " stored (" << results << " refund results, " << lookups << " orders looked up)";
  return out.str();
}

std::string check_inventory_once(const StoreView &view, const std::map<std::string, LedgerEntry> &ledger) {
  // (return, line) -> units moved; stock count event -> adjustments.
  std::map<std::string, std::int64_t> moved;
  std::map<std::string, int> counted;
  std::size_t adjustments = 0;
  for (const auto &[key, entry] : ledger) {
    if (key.rfind("adjust_inventory\t", 0) != 0 || entry.applied == 0) continue;
    ++adjustments;
    const Json &r = entry.request;
    const std::string reason = text_or_empty(r, "reason");
    if (reason == "count_discrepancy") ++counted[text_or_empty(r, "event_id")];
    if (reason == "return_restock" || reason == "return_damaged") {
      const std::int64_t delta = r["delta"].get<std::int64_t>();
      moved[text_or_empty(r, "return_id") + " " + text_or_empty(r, "line_id")] += delta < 0 ? -delta : delta;
    }
  }
  for (const auto &[event_id, times] : counted)
    EXPECT_EQ(times, 1) << "stock count " << event_id << " adjusted " << times << " times";
  std::size_t lines = 0;
  for (const auto &[id, ret] : view.returns)
    for (const auto &item : ret["items"]) {
      const std::int64_t received = item.value("received", std::int64_t{0});
      const std::string line = id + " " + item["line_id"].get<std::string>();
      const auto it = moved.find(line);
      const std::int64_t units = it == moved.end() ? 0 : it->second;
      lines += received > 0;
      EXPECT_EQ(units, received) << "return line " << line << ": received " << received << ", moved in stock " << units;
      if (it != moved.end()) moved.erase(it);
    }
  for (const auto &[line, units] : moved)
    ADD_FAILURE() << "stock moved for " << line << ", a return line the store does not know";
  std::ostringstream out;
  out << adjustments << " inventory adjustments (" << lines << " return lines received, " << counted.size()
      << " stock counts) each applied once";
  return out.str();
}

std::string check_timers_once(const StoreView &view) {
  std::size_t warnings = 0, breaches = 0;
  for (const auto &[case_id, c] : view.cases) {
    // (clock, due) -> entries of each kind.
    std::map<std::string, int> warned, breached;
    for (const auto &entry : c["log"]) {
      const std::string kind = entry["kind"];
      if (kind != "sla_warning" && kind != "sla_breach") continue;
      const std::string key = entry["details"]["clock"].get<std::string>() + " due " + entry["details"]["due"].dump();
      ++(kind == "sla_warning" ? warned : breached)[key];
    }
    for (const auto &[key, n] : warned) EXPECT_EQ(n, 1) << case_id << ": " << key << " warned " << n << " times";
    for (const auto &[key, n] : breached) EXPECT_EQ(n, 1) << case_id << ": " << key << " breached " << n << " times";
    for (const auto &clock : c["sla"]) {
      const std::string name = clock["name"].get<std::string>();
      const std::string key = name + " due " + clock["due"].dump();
      const bool breach = clock["breached"].get<bool>();
      if (breach && clock["due"].is_null()) {
        // Met after its breach (a reply delivered late): a stopped clock
        // keeps no due, its breach entry the due it had.
        const bool logged = std::any_of(breached.begin(), breached.end(),
                                        [&](const auto &b) { return b.first.rfind(name + " due ", 0) == 0; });
        EXPECT_TRUE(logged) << case_id << ": stopped clock " << name << " breached without an sla_breach entry";
      } else {
        EXPECT_EQ(breached.count(key), breach ? 1u : 0u)
            << case_id << ": clock " << key << (breach ? " breached without" : " not breached but with")
            << " its sla_breach entry";
      }
      if (!clock["warned"].get<bool>()) {
        EXPECT_EQ(warned.count(key), 0u) << case_id << ": " << key << " warned in the log only";
      }
      // Due by the host's time, running and not paused: its timer fired.
      const auto due = clock["due"].is_string() ? parse_rfc3339(clock["due"].get<std::string>()) : std::nullopt;
      const bool running = clock["met_at"].is_null() && clock["paused_since"].is_null();
      if (running && due && *due <= view.now) {
        EXPECT_TRUE(breach) << case_id << ": clock " << key << " was due by " << format_rfc3339(view.now)
                            << " and never fired";
      }
    }
    warnings += warned.size();
    breaches += breached.size();
  }
  std::ostringstream out;
  out << breaches << " SLA breaches and " << warnings << " warnings each fired once";
  return out.str();
}

}  // namespace ordercare::testing
