// The seed scenario table: the case engine against the seed playbooks, one
// row per rule (seed 004's priority guide and red flags, seed 000's
// order-issue table, seed 004's rush/change decision, the engine's own
// promises). Each row is a stream of events and commands and the case it
// must produce, written against CaseWorld, so the same rows run on the
// domain harness (case_scenarios_domain_test.cpp, every row) and on the
// plugin (case_scenarios_test.cpp, a subset end to end).
#pragma once

#include <functional>
#include <iosfwd>
#include <string>
#include <vector>

#include "support/case_world.h"

namespace ordercare::testing {

using Step = std::function<void(CaseWorld &)>;

// --- Expectations ----------------------------------------------------------

struct Expect {
  Json query = Json::object();  // cases.list filters selecting the cases checked
  std::size_t cases = 1;
  std::string type;  // the checked case is the one of this type
  std::string priority;
  std::string status;
  std::vector<std::string> triggers;
  std::vector<std::string> red_flags;     // exactly these
  std::vector<std::string> escalated_to;  // escalations.log rows, in order
  std::vector<std::string> notices;       // notify effects the case carries
  std::vector<std::string> absent_notices;
  std::string decision;  // the "decision" log entry's verdict
  std::function<void(CaseWorld &, const Json &)> also;

  Expect &of(const std::string &order_id) { query = {{"order_id", order_id}}; return *this; }
  Expect &where(Json filters) { query = std::move(filters); return *this; }
  Expect &count(std::size_t n) { cases = n; return *this; }
  Expect &trigger(const std::string &t) { triggers.push_back(t); return *this; }
  Expect &flag(const std::string &f) { red_flags.push_back(f); return *this; }
  Expect &escalated(const std::string &to) { escalated_to.push_back(to); return *this; }
  Expect &notice(const std::string &n) { notices.push_back(n); return *this; }
  Expect &no_notice(const std::string &n) { absent_notices.push_back(n); return *this; }
  Expect &decided(const std::string &d) { decision = d; return *this; }
  Expect &check(std::function<void(CaseWorld &, const Json &)> f) { also = std::move(f); return *this; }
};

struct Row {
  std::string name;
  std::vector<Step> steps;
  Expect expect;
  Json config = Json::object();  // the plugin's config (default: none)
};

void PrintTo(const Row &row, std::ostream *os);

// The whole table, in the seeds' order.
std::vector<Row> seed_rows();
// Runs the row's steps on `world` (a minute passes after each), then
// checks its expectation; gtest failures name what differed.
void run_row(CaseWorld &world, const Row &row);
// Checks one expectation on `world` as it is.
void check_expectation(CaseWorld &world, const Expect &e);
// Everything a row can observe, in a form two worlds can be compared by:
// every case as case.get shows it, the escalations log and the outbox,
// without what only delivery changes (effect status, attempts, results)
// and with command ids ("cmd-...", random in the plugin) blanked.
Json observable_state(CaseWorld &world);

}  // namespace ordercare::testing
