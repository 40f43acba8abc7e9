// The webhook server's counters and their Prometheus text exposition
// (format 0.0.4): requests by endpoint and status, events by outcome,
// signature failures, a request latency histogram, and the store's gauges
// (outbox depth by status, cases past an SLA deadline) read at scrape time.
// Every server thread counts into one Metrics (webhooks.threads), so each
// method takes its lock; labels come from fixed sets, never from the request.
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <utility>

#include "runtime/event_sink.h"

namespace ordercare::runtime {

class Metrics {
 public:
  // Latency buckets' upper bounds in seconds (+Inf is implicit).
  static constexpr std::array<double, 14> kBuckets = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05,
                                                      0.1,    0.25,  0.5,    1,     2.5,  5,    10};

  void count_request(std::string_view endpoint, int status, double seconds);
  // outcome: accepted | duplicate | rejected | ignored
  void count_events(std::string_view endpoint, std::string_view outcome, std::uint64_t n = 1);
  void count_signature_failure(std::string_view endpoint, std::string_view reason);

  std::string render(const StoreProbe &store, std::size_t open_connections) const;

  // For tests: the value of a request counter.
  std::uint64_t requests(std::string_view endpoint, int status) const;

 private:
  struct Histogram {
    std::array<std::uint64_t, kBuckets.size()> buckets{};  // not cumulative
    std::uint64_t count = 0;
    double sum = 0;
  };
  using Key = std::pair<std::string, std::string>;

  mutable std::mutex mutex_;
  std::map<std::pair<std::string, int>, std::uint64_t> requests_;
  std::map<Key, std::uint64_t> events_;
  std::map<Key, std::uint64_t> signature_failures_;
  std::map<std::string, Histogram> latency_;
};

// A label value with \, " and newlines escaped per the exposition format.
std::string escape_label(std::string_view value);

}  // namespace ordercare::runtime
