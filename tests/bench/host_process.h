// One host process of the nodes benchmark. It loads libordercare.so with
// dlopen, as a host would, and opens the plugin on the shared store; then,
// each step started by the parent (child_process.h):
//   "ingest"  -> "ingested <ok> <failed> <seconds> <cpu seconds> <oc_submit
//                latency p50, p99, max> <first failure>": its share of the
//                orders (blocks of kStreamPeriod orders dealt round the
//                processes, then round its threads), submitted from
//                `threads` host threads, each order's events in order by one
//                thread;
//   "deliver" -> "delivered <callbacks> <seconds> <poll failures> <cpu
//                seconds> <longest oc_poll> <first failure>": oc_poll on one
//                thread, every callback answered DONE, until no effect is
//                pending or in flight in the store (whichever process
//                claimed it); each callback's kind and idempotency key go to
//                keys_file, one a line;
//   "close"   -> oc_close, exit.
#pragma once

#include <string>
#include <vector>

#include "bench/child_process.h"
#include "bench/order_stream.h"

namespace ordercare::bench {

struct HostProcessOptions {
  std::string library;
  std::string config_json;
  const std::vector<OrderEvents> *stream = nullptr;
  int index = 0;
  int processes = 1;
  int threads = 1;
  std::string keys_file;
};

int run_host_process(const HostProcessOptions &options, ParentLink &parent);

}  // namespace ordercare::bench
