// What the C boundary sees of a plugin: its operations, and nothing of how
// they run (no libuv, no threads, no HTTP server), so <uv.h> stays out of
// every header the boundary includes (issue 16, point 4).
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/json.h"
#include "ordercare.h"
#include "runtime/config.h"

namespace ordercare::runtime {

// One event's answer to oc_submit_batch: oc_submit's result for it, as
// its JSON text, or the status and message oc_submit would have failed
// with. Text, not a tree: a call of 512 answers spent about 6 ms building,
// dumping and freeing trees while the writer waited for the next call.
struct BatchAnswer {
  oc_status status = OC_OK;
  std::string message;
  std::string result;  // when status is OC_OK
};

class PluginHandle {
 public:
  virtual ~PluginHandle() = default;

  // Host threads.
  virtual Json submit(std::string_view event_bytes) = 0;
  // oc_submit_batch: events[i] is lens[i] bytes. One answer per event, in
  // order, once every accepted one is durable; throws for the whole call
  // (limits, closed, the store failing every event) having written nothing.
  virtual std::vector<BatchAnswer> submit_batch(std::span<const char *const> events,
                                                std::span<const std::size_t> lens) = 0;
  virtual Json call(std::string_view method, std::string_view args_bytes) = 0;
  virtual std::uint32_t poll(std::uint32_t max_callbacks) = 0;
  virtual int wakeup_fd() const = 0;
  virtual void close() = 0;
};

// Opens a plugin (runtime/plugin.h) on the store its config names. `host`
// is already normalized to this version's oc_host (may be null).
std::unique_ptr<PluginHandle> open_plugin(Config config, const oc_host *host, std::uint32_t flags);

}  // namespace ordercare::runtime
