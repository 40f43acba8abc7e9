// The steps refund_crash_driver replays: the sample day's lines, then a
// generated return-heavy stream (orders in USD, JPY and KWD with returns,
// receipts, partial refunds, order refunds, stock shortfalls), and the
// files one replay keeps in its own directory.
#pragma once

#include <cstddef>
#include <set>
#include <string>
#include <vector>

#include "common/json.h"
#include "support/scenario.h"
#include "support/temp_dir.h"

namespace ordercare::testing {

std::string sample_day_path();

// Writes `orders` orders' worth of generated steps to `path`, one JSON
// object a line, as refund_crash_driver reads them; returns how many.
std::size_t write_stream(const std::string &path, int orders);

// One replay's store, ledger, steps and dump, in a directory of its own.
class Replay {
 public:
  // keep_env names a variable that, when set to a directory, keeps the
  // files there after the test for a post-mortem (and to run
  // refund_crash_driver by hand).
  Replay(int orders, std::string keep_env);
  ~Replay();
  Replay(const Replay &) = delete;
  Replay &operator=(const Replay &) = delete;

  TempDir dir;
  std::string store = dir.file("crash.db");
  std::string ledger = dir.file("host.ledger");
  std::string steps = dir.file("steps.jsonl");
  std::string dump = dir.file("final.json");

  std::size_t total_steps() const { return events_.size(); }
  // The event step `step` submits; null for a call or a line that is not
  // a JSON object with a string id.
  const Json &event_of(long step) const { return events_.at(static_cast<std::size_t>(step)); }
  std::string event_id_of(long step) const {
    const Json &e = event_of(step);
    return e.is_null() ? std::string() : e["id"].get<std::string>();
  }

 private:
  std::string keep_env_;
  std::vector<Json> events_;
};

// Everything of the store a host can read, through the calls: the log, the
// outbox, every case with its log, every return, the escalations and the
// orders (`order_ids`; one the store does not know is left out, any other
// failure to read it is a test failure).
Json read_back(Scenario &s, const std::set<std::string> &order_ids);

// What play_day() saw: each step's answer (its result, or the failure's
// status and message), and the ids of the orders it created.
struct PlayedDay {
  Json answers = Json::array();
  std::set<std::string> order_ids;
};

// Plays the sample day, then `replay`'s generated steps, in process
// through `s`, polling as a host would; erases one customer part way
// through the stream; then lets five hours pass for the SLA timers.
PlayedDay play_day(Scenario &s, const Replay &replay);

}  // namespace ordercare::testing
