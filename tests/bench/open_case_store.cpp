#include "bench/open_case_store.h"

#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <stdexcept>

#include "domain/sla_clocks.h"
#include "store/store.h"

namespace ordercare::bench {

namespace {

using Clock = std::chrono::steady_clock;

constexpr std::int64_t kCasesPerTransaction = 5000;

double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

const char *const kTexts[] = {
    "Where is my order? I ordered it last week and the tracking has not moved since Monday.",
    "The lamp arrived broken, the glass shade is cracked. Can you send a new one?",
    "I received the wrong item: I ordered the blue jacket in M and got a red one in L.",
    "My parcel is late and I need it for a birthday on Saturday. Any news?",
    "Hello, I have been waiting for two weeks now. This is not acceptable.",
};
const domain::IssueType kTypes[] = {domain::IssueType::wismo, domain::IssueType::damaged_item,
                                    domain::IssueType::wrong_item, domain::IssueType::shipping_delay,
                                    domain::IssueType::complaint};
const char *const kTriggers[] = {"wismo", "damaged_item", "wrong_item", "delivery_delay", "complaint"};
const char *const kChannels[] = {"email", "chat", "social", "marketplace", "phone"};

store::StoreConfig store_config(const std::string &path) {
  store::StoreConfig config;
  config.path = path;
  config.durability = store::Durability::normal;
  return config;
}

void build_store(const std::string &path, std::int64_t cases) {
  for (const char *suffix : {"", "-wal", "-shm", ".key"}) std::filesystem::remove(path + suffix);
  const domain::Policy &policy = domain::Policy::defaults();
  auto start = Clock::now();
  auto store = store::open_store(store_config(path));
  std::int64_t timers = 0;
  for (std::int64_t i = 0; i < cases; i += kCasesPerTransaction) {
    store->begin_batch();
    for (std::int64_t k = i; k < std::min(cases, i + kCasesPerTransaction); ++k) {
      const domain::CaseRecord c = make_open_case(k, policy);
      const auto due = domain::timers_of(c);
      timers += static_cast<std::int64_t>(due.size());
      store->state().put_case(c);
      store->state().set_timers(c.id, due);
    }
    store->commit_batch();
    if ((i / kCasesPerTransaction) % 40 == 0)
      std::fprintf(stderr, "  built %lld cases (%.0f s)\n", static_cast<long long>(i), seconds_since(start));
  }
  store.reset();
  const double took = seconds_since(start);
  std::printf("build  %lld open cases, %lld live timers in %.1f s (%.0f cases/s), store %.0f MiB\n",
              static_cast<long long>(cases), static_cast<long long>(timers), took,
              static_cast<double>(cases) / took,
              static_cast<double>(std::filesystem::file_size(path)) / (1024.0 * 1024.0));
}

}  // namespace

TimeMs open_cases_built_at() { return *parse_rfc3339("2030-01-07T09:00:00Z"); }

// Most answered once and waiting on their resolution, one in ten opened in
// the last five minutes and not yet answered. Opened early enough that no
// timer is due at open_cases_built_at().
domain::CaseRecord make_open_case(std::int64_t i, const domain::Policy &policy) {
  const TimeMs built_at = open_cases_built_at();
  domain::CaseRecord c;
  char id[32];
  std::snprintf(id, sizeof id, "C-%012llx", static_cast<unsigned long long>(i * 2654435761ULL % 0xFFFFFFFFFFFFULL));
  c.id = id;
  c.order_id = "O-" + std::to_string(100000 + i);
  c.customer_id = "cust-" + std::to_string(i);
  const std::size_t kind = static_cast<std::size_t>(i % 5);
  c.type = kTypes[kind];
  c.channel = kChannels[static_cast<std::size_t>(i / 5 % 5)];
  c.team = "support";
  const bool p1 = i % 20 == 0, p2 = !p1 && i % 4 == 1;
  c.priority = p1 ? domain::Priority::p1 : p2 ? domain::Priority::p2 : domain::Priority::p3;
  const TimeMs window = p1 ? 3 * kHourMs : p2 ? 6 * kHourMs : 19 * kHourMs;
  const bool fresh = i % 10 == 3;
  const TimeMs age = fresh ? (i * 7919) % (5 * kMinuteMs) : 15 * kMinuteMs + (i * 104729) % (window - 15 * kMinuteMs);
  c.opened_at = built_at - age;
  c.updated_at = c.opened_at;
  c.status = fresh ? domain::CaseStatus::new_case : domain::CaseStatus::open;
  if (!fresh) c.first_response_at = c.opened_at + 4 * kMinuteMs;
  c.reason = std::string("rule ") + kTriggers[kind] + " matched | " + std::string(domain::to_string(c.priority)) +
             " from trigger " + kTriggers[kind];
  c.initial_action = "Checked the order status; asked the warehouse for an honest timeline";
  c.triggers = {kTriggers[kind]};
  c.skus = {"SKU-" + std::to_string(i % 5000)};
  c.event_ids = {"ev-" + std::to_string(i)};
  c.customer_contacts = 1;
  c.pii = {{"description", kTexts[kind]}};
  domain::sync_clocks(c, policy.sla, built_at);
  return c;
}

OpenCaseStore open_case_store(std::int64_t cases, bool rebuild) {
  const char *dir = std::getenv("OC_BENCH_DIR");
  if (!dir || !*dir) dir = std::getenv("TMPDIR");
  OpenCaseStore out;
  out.path = std::string(dir && *dir ? dir : "/tmp") + "/oc_sla_scale_" + std::to_string(cases) + ".db";
  const std::string done = out.path + ".built";
  if (rebuild || !std::filesystem::exists(done)) {
    std::filesystem::remove(done);
    const auto start = Clock::now();
    build_store(out.path, cases);
    out.built_now = true;
    out.build_seconds = seconds_since(start);
    std::ofstream(done) << cases << "\n";
  } else {
    std::printf("build  reusing %s (--rebuild to start over)\n", out.path.c_str());
  }
  std::fflush(stdout);
  return out;
}

OpenCaseCopy::OpenCaseCopy(const OpenCaseStore &store) {
  std::string pattern = std::filesystem::path(store.path).parent_path().string() + "/oc-open-cases-XXXXXX";
  if (!mkdtemp(pattern.data())) throw std::runtime_error("mkdtemp " + pattern + ": " + std::strerror(errno));
  dir_ = pattern;
  path_ = dir_ + "/" + std::filesystem::path(store.path).filename().string();
  const auto start = Clock::now();
  std::filesystem::copy_file(store.path, path_);
  for (const char *suffix : {"-wal", ".key"})
    if (std::filesystem::exists(store.path + suffix)) std::filesystem::copy_file(store.path + suffix, path_ + suffix);
  std::printf("copy   %s for this run in %.1f s (%.0f MiB)\n", store.path.c_str(), seconds_since(start),
              static_cast<double>(std::filesystem::file_size(path_)) / (1024.0 * 1024.0));
  std::fflush(stdout);
}

OpenCaseCopy::~OpenCaseCopy() {
  std::error_code ignored;
  std::filesystem::remove_all(dir_, ignored);
}

}  // namespace ordercare::bench
