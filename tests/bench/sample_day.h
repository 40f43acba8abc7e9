// The bundled sample day (host_shims/c/data/sample_day.jsonl: a day of a
// two-region shop, every event type, duplicate deliveries and broken
// lines) as a benchmark workload: repetition r of the day is the same day
// with every id that names something made unique ("-r<r>" appended to
// event, order, customer, shipment, return, message, dispute and transfer
// ids, SKUs,
// tracking and order numbers, and the customer's address), so each
// repetition creates, pays, ships, delivers, returns and refunds orders of
// its own and costs what the one before it cost, and a repetition's
// duplicates are duplicates within it.
#pragma once

#include <string>
#include <vector>

#include "common/json.h"
#include "common/time_format.h"

namespace ordercare::bench {

class SampleDay {
 public:
  // Reads the day from `path` (OC_BENCH_DAY, or the bundled file when
  // empty). Throws when it cannot.
  explicit SampleDay(std::string path);

  const std::string &path() const { return path_; }
  std::size_t size() const { return lines_.size(); }
  // Repetition r, in the file's order; a line that is not a JSON object is
  // kept as it is (it is rejected every time).
  std::vector<std::string> repetition(int r) const;
  // repetitions 0 .. days - 1, one after the other.
  std::vector<std::string> days(int days) const;
  // The shop the day was written for (sample_shop.json beside the day: its
  // stores' policies and its locations, without which the day's walk-in
  // returns and transfers are refused), with the store section given; the
  // store section alone for a day with no shop beside it.
  std::string config(const Json &store) const;

  // The host clock the benchmarks give the plugin: the minute the day ends,
  // held still, so every event lies in the past and no SLA timer fires
  // while they run (timers fire only in oc_poll, which they never call).
  static TimeMs clock();

 private:
  std::string path_;
  std::vector<std::string> lines_;
};

// The event's "type", or "(not an event)" for a line that has none.
std::string event_type_of(const std::string &event);

}  // namespace ordercare::bench
