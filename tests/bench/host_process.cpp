#include "bench/host_process.h"

#include <dlfcn.h>
#include <poll.h>
#include <sys/resource.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <mutex>
#include <stdexcept>
#include <thread>

#include "common/json.h"
#include "ordercare.h"

namespace ordercare::bench {

namespace {

using Clock = std::chrono::steady_clock;

// Gives up on an outbox that never empties rather than hang the run.
constexpr std::chrono::seconds kDeliveryLimit{300};

// The ABI as a host sees it: resolved from the shared library at run time.
struct Api {
  void *handle = nullptr;
  decltype(&oc_open) open = nullptr;
  decltype(&oc_close) close = nullptr;
  decltype(&oc_submit) submit = nullptr;
  decltype(&oc_call) call = nullptr;
  decltype(&oc_poll) poll = nullptr;
  decltype(&oc_wakeup_fd) wakeup_fd = nullptr;
  decltype(&oc_buffer_data) buffer_data = nullptr;
  decltype(&oc_buffer_free) buffer_free = nullptr;
  decltype(&oc_last_error) last_error = nullptr;
  decltype(&oc_status_name) status_name = nullptr;

  template <class F>
  void resolve(F &target, const char *name) {
    target = reinterpret_cast<F>(dlsym(handle, name));
    if (!target) throw std::runtime_error(std::string("missing symbol ") + name);
  }

  explicit Api(const std::string &path) {
    handle = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
    if (!handle) throw std::runtime_error(std::string("dlopen: ") + dlerror());
    resolve(open, "oc_open");
    resolve(close, "oc_close");
    resolve(submit, "oc_submit");
    resolve(call, "oc_call");
    resolve(poll, "oc_poll");
    resolve(wakeup_fd, "oc_wakeup_fd");
    resolve(buffer_data, "oc_buffer_data");
    resolve(buffer_free, "oc_buffer_free");
    resolve(last_error, "oc_last_error");
    resolve(status_name, "oc_status_name");
  }
};

double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

// User and system CPU time of this process (all its threads), in seconds.
double cpu_seconds() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  auto seconds = [](const timeval &t) { return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_usec) / 1e6; };
  return seconds(usage.ru_utime) + seconds(usage.ru_stime);
}

// What the host's callbacks saw; only the polling thread writes it.
struct Deliveries {
  std::vector<std::string> lines;  // "<kind>\t<idempotency key>"
};

template <const char *Kind>
int32_t answer_done(void *user_data, const oc_request *request, oc_reply *) {
  static_cast<Deliveries *>(user_data)->lines.push_back(std::string(Kind) + "\t" + request->idempotency_key);
  return OC_OUTCOME_DONE;
}

constexpr char kRefund[] = "refund";
constexpr char kAdjustInventory[] = "adjust_inventory";
constexpr char kNotify[] = "notify";
constexpr char kLookupOrder[] = "lookup_order";

// The first failure's status and message, kept once across threads.
class FirstFailure {
 public:
  void note(const std::string &text) {
    std::lock_guard<std::mutex> lock(mutex_);
    if (text_.empty()) text_ = text;
  }
  std::string text() const { return text_.empty() ? "-" : text_; }

 private:
  std::mutex mutex_;
  std::string text_;
};

std::string ingest(Api &api, oc_plugin *plugin, const HostProcessOptions &o) {
  // Orders are shared out in blocks of kStreamPeriod, so that every
  // process and thread gets the same mix of events.
  std::vector<std::vector<const OrderEvents *>> per_thread(static_cast<std::size_t>(o.threads));
  const auto &stream = *o.stream;
  const auto processes = static_cast<std::size_t>(o.processes);
  for (std::size_t n = 0; n < stream.size(); ++n) {
    const std::size_t block = n / kStreamPeriod;
    if (block % processes == static_cast<std::size_t>(o.index))
      per_thread[block / processes % per_thread.size()].push_back(&stream[n]);
  }
  std::atomic<long> ok{0}, failed{0};
  FirstFailure first;
  const double cpu_start = cpu_seconds();
  std::vector<std::vector<double>> latencies(per_thread.size());
  const auto start = Clock::now();
  std::vector<std::thread> threads;
  for (std::size_t t = 0; t < per_thread.size(); ++t)
    threads.emplace_back([&, t] {
      for (const OrderEvents *order : per_thread[t])
        for (const std::string &event : order->events) {
          const auto submitted = Clock::now();
          const oc_status status = api.submit(plugin, event.data(), event.size(), nullptr);
          latencies[t].push_back(seconds_since(submitted));
          if (status == OC_OK) {
            ++ok;
          } else {
            ++failed;
            first.note(std::string(api.status_name(status)) + ": " + api.last_error());
          }
        }
    });
  for (auto &t : threads) t.join();
  const double took = seconds_since(start);
  std::vector<double> all;
  for (const auto &l : latencies) all.insert(all.end(), l.begin(), l.end());
  std::sort(all.begin(), all.end());
  auto at = [&](double q) { return all.empty() ? 0.0 : all[static_cast<std::size_t>(q * static_cast<double>(all.size() - 1))]; };
  char line[200];
  std::snprintf(line, sizeof line, "ingested %ld %ld %.6f %.6f %.6f %.6f %.6f ", ok.load(), failed.load(), took,
                cpu_seconds() - cpu_start, at(0.5), at(0.99), at(1.0));
  return line + first.text();
}

// True when no effect is pending or in flight in the store, whichever
// process holds it.
bool outbox_empty(Api &api, oc_plugin *plugin) {
  for (const char *status : {"pending", "in_flight"}) {
    const std::string args = std::string(R"({"limit": 1, "status": ")") + status + "\"}";
    oc_buffer *result = nullptr;
    if (api.call(plugin, "effects.list", args.data(), args.size(), &result) != OC_OK)
      throw std::runtime_error(std::string("effects.list: ") + api.last_error());
    const Json listing = Json::parse(api.buffer_data(result));
    api.buffer_free(result);
    if (!listing["effects"].empty()) return false;
  }
  return true;
}

std::string deliver(Api &api, oc_plugin *plugin, Deliveries &deliveries, const HostProcessOptions &o) {
  const int fd = api.wakeup_fd(plugin);
  long poll_failures = 0;
  FirstFailure first;
  const double cpu_start = cpu_seconds();
  double longest_poll = 0;
  const auto start = Clock::now();
  for (;;) {
    std::uint32_t ran = 0;
    const auto polled = Clock::now();
    const oc_status status = api.poll(plugin, 64, &ran);
    longest_poll = std::max(longest_poll, seconds_since(polled));
    if (status != OC_OK) {
      ++poll_failures;
      first.note(std::string(api.status_name(status)) + ": " + api.last_error());
    }
    if (ran > 0) continue;
    if (outbox_empty(api, plugin)) break;
    if (Clock::now() - start > kDeliveryLimit) {
      first.note("gave up: the outbox did not empty in " + std::to_string(kDeliveryLimit.count()) + " s");
      ++poll_failures;
      break;
    }
    pollfd ready{fd, POLLIN, 0};
    ::poll(&ready, 1, 5);
  }
  const double took = seconds_since(start);
  const double cpu = cpu_seconds() - cpu_start;
  std::ofstream keys(o.keys_file, std::ios::binary);
  for (const auto &line : deliveries.lines) keys << line << "\n";
  char line[200];
  std::snprintf(line, sizeof line, "delivered %zu %.6f %ld %.6f %.6f ", deliveries.lines.size(), took, poll_failures,
                cpu, longest_poll);
  return line + first.text();
}

}  // namespace

int run_host_process(const HostProcessOptions &o, ParentLink &parent) {
  Api api(o.library);
  Deliveries deliveries;
  oc_host host{};
  host.struct_size = sizeof host;
  host.user_data = &deliveries;
  host.refund = &answer_done<kRefund>;
  host.adjust_inventory = &answer_done<kAdjustInventory>;
  host.notify = &answer_done<kNotify>;
  host.lookup_order = &answer_done<kLookupOrder>;
  oc_options options{};
  options.struct_size = sizeof options;
  options.config_json = o.config_json.c_str();
  options.config_len = o.config_json.size();
  oc_plugin *plugin = nullptr;
  if (api.open(&options, &host, &plugin) != OC_OK)
    throw std::runtime_error(std::string("oc_open: ") + api.last_error());
  parent.write_line("ready");
  for (std::string step = parent.read_line(); step != "close" && !step.empty(); step = parent.read_line()) {
    if (step == "ingest") parent.write_line(ingest(api, plugin, o));
    else if (step == "deliver") parent.write_line(deliver(api, plugin, deliveries, o));
    else throw std::runtime_error("unknown step '" + step + "'");
  }
  if (api.close(plugin) != OC_OK) throw std::runtime_error(std::string("oc_close: ") + api.last_error());
  parent.write_line("closed");
  return 0;
}

}  // namespace ordercare::bench
