// One open plugin: config, store, the plugin thread and its writer, the
// wake-up fd and the host's callbacks. The boundary turns each oc_ call into
// one method here; everything that writes runs as a job on the plugin thread.
#pragma once

#include <cstdint>
#include <memory>
#include <string_view>

#include "common/json.h"
#include "ordercare.h"
#include "runtime/call_registry.h"
#include "runtime/clock.h"
#include "runtime/config.h"
#include "runtime/engine.h"
#include "runtime/loop_thread.h"
#include "runtime/wakeup_fd.h"
#include "runtime/writer.h"

namespace ordercare::runtime {

class Plugin {
 public:
  // `host` is already normalized to this version's oc_host (may be null).
  Plugin(Config config, const oc_host *host, std::uint32_t flags);
  ~Plugin();
  Plugin(const Plugin &) = delete;
  Plugin &operator=(const Plugin &) = delete;

  // Host threads.
  Json submit(std::string_view event_bytes);
  Json call(std::string_view method, std::string_view args_bytes);
  std::uint32_t poll(std::uint32_t max_callbacks);
  int wakeup_fd() const { return wakeup_.fd(); }
  void close();

  const Config &config() const { return config_; }

 private:
  // Runs fn on the plugin thread as one writer job and waits for the batch
  // to commit; rethrows the job's failure here.
  Json run_job(std::function<Json(JobContext &)> fn);

  Config config_;
  oc_host host_{};
  std::uint32_t flags_;
  Clock clock_;
  std::unique_ptr<store::Store> store_;
  WakeupFd wakeup_;
  Engine engine_;
  CallRegistry calls_;
  std::unique_ptr<Writer> writer_;
  std::unique_ptr<LoopThread> loop_;
};

}  // namespace ordercare::runtime
