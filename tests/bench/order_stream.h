// The nodes benchmark's input: a stream of distinct orders, each with the
// events a shop sends about it in the order it sends them. Every order is
// created, processed and shipped; some are delayed by the carrier, some
// customers write in (a case), some return an item (a case, a refund and an
// inventory adjustment once the parcel is back).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "common/time_format.h"

namespace ordercare::bench {

// Which events an order has repeats every kStreamPeriod orders.
constexpr std::size_t kStreamPeriod = 12;

struct OrderEvents {
  std::vector<std::string> events;  // canonical event JSON, in submit order
};

// `orders` orders whose events all happened in the minute before `now`, so
// that no SLA timer falls due while the benchmark runs.
std::vector<OrderEvents> order_stream(int orders, TimeMs now);

}  // namespace ordercare::bench
