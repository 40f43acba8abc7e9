#include "support/scenario.h"

#include <algorithm>

#include <poll.h>

#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <sstream>

#include "common/failure.h"
#include "runtime/config.h"
#include "runtime/host_callbacks.h"
#include "runtime/plugin.h"
#include "support/test_store.h"

namespace ordercare::testing {

namespace {

Json harness_config(const Json &store_section, const Json &overrides) {
  // Filled in rather than merged, so that a null in a test's config (a merge
  // patch deleting a default) reaches the plugin as written.
  Json config = overrides.is_object() ? overrides : Json::object();
  auto section = [&](const char *name) -> Json * {
    if (!config.contains(name)) config[name] = Json::object();
    return config[name].is_object() ? &config[name] : nullptr;
  };
  // The test's engine (support/test_store.h), unless the test names its own.
  Json *store = section("store");
  const bool own_engine = store && store->contains("engine");
  if (store && !own_engine)
    for (auto it = store_section.begin(); it != store_section.end(); ++it)
      if (!store->contains(it.key())) (*store)[it.key()] = it.value();
  // A PostgreSQL store keeps no key file, so it gets a fixed key.
  if (Json *crypto = section("crypto")) {
    const bool postgres = store && store->value("engine", "") == "postgres";
    if (postgres && !crypto->contains("master_key")) (*crypto)["master_key"] = kTestMasterKey;
  }
  return config;
}

std::string read_file(const std::string &path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

}  // namespace

Scenario::Scenario(Json config, TimeMs start)
    : now_(start), config_(std::move(config)), store_section_(test_store_section(db_path(), "scenario")) {
  host_.struct_size = sizeof(oc_host);
  host_.user_data = this;
  host_.now_ms = &Scenario::host_now;
  open(config_);
}

Scenario::Scenario(TestHost &host, Json config, TimeMs start, std::uint32_t flags, StoreOpener open_store)
    : now_(start),
      config_(std::move(config)),
      store_section_(test_store_section(db_path(), "scenario")),
      test_host_(&host),
      flags_(flags),
      open_store_(std::move(open_store)) {
  host_.struct_size = sizeof(oc_host);
  host_.user_data = this;
  host_.now_ms = &Scenario::host_now;
  open(config_);
}

Scenario::~Scenario() { close(); }

std::int64_t Scenario::host_now(void *user_data) { return static_cast<Scenario *>(user_data)->now_.load(); }

namespace {

// One trampoline per callback kind: oc_host passes the scenario as
// user_data, the scenario hands the request to its TestHost.
template <const char *Kind>
std::int32_t host_callback(void *user_data, const oc_request *request, oc_reply *reply);

constexpr char kRefund[] = "refund";
constexpr char kAdjustInventory[] = "adjust_inventory";
constexpr char kNotify[] = "notify";
constexpr char kLookupOrder[] = "lookup_order";
constexpr char kOrderAction[] = "order_action";

}  // namespace

struct ScenarioAccess {
  static TestHost &host_of(void *user_data) { return *static_cast<Scenario *>(user_data)->test_host_; }
};

namespace {

template <const char *Kind>
std::int32_t host_callback(void *user_data, const oc_request *request, oc_reply *reply) {
  HostReply answer = ScenarioAccess::host_of(user_data).handle(Kind, *request);
  // What oc_reply_set does for a C host: the plugin keeps a copy.
  if (!answer.reply.is_null()) reply->json = dump_json(answer.reply);
  return answer.outcome;
}

void host_log(void *user_data, std::int32_t level, const char *message, std::size_t len) {
  ScenarioAccess::host_of(user_data).log(level, message, len);
}

}  // namespace

void Scenario::fill_test_host() {
  if (!test_host_) return;
  host_.refund = test_host_->has(kRefund) ? &host_callback<kRefund> : nullptr;
  host_.adjust_inventory = test_host_->has(kAdjustInventory) ? &host_callback<kAdjustInventory> : nullptr;
  host_.notify = test_host_->has(kNotify) ? &host_callback<kNotify> : nullptr;
  host_.lookup_order = test_host_->has(kLookupOrder) ? &host_callback<kLookupOrder> : nullptr;
  host_.order_action = test_host_->has(kOrderAction) ? &host_callback<kOrderAction> : nullptr;
  host_.log = &host_log;
}

void Scenario::open(const Json &config) {
  // The host's callbacks as they are now: a kind given a responder since
  // the last open gets its callback.
  fill_test_host();
  auto parsed = runtime::parse_config(dump_json(harness_config(store_section_, config)));
  plugin_ = std::make_unique<runtime::Plugin>(std::move(parsed), &host_, flags_,
                                              open_store_ ? open_store_ : StoreOpener(store::open_store));
}

TestHost &TestHost::on(const std::string &kind, Responder responder) {
  std::lock_guard<std::mutex> lock(mutex_);
  responders_[kind] = std::move(responder);
  missing_.erase(kind);
  return *this;
}

TestHost &TestHost::without(const std::string &kind) {
  std::lock_guard<std::mutex> lock(mutex_);
  missing_.insert(kind);
  return *this;
}

bool TestHost::has(const std::string &kind) const {
  std::lock_guard<std::mutex> lock(mutex_);
  return missing_.count(kind) == 0;
}

std::vector<HostRequest> TestHost::requests(const std::string &kind) const {
  std::lock_guard<std::mutex> lock(mutex_);
  std::vector<HostRequest> out;
  for (const auto &r : requests_)
    if (kind.empty() || r.kind == kind) out.push_back(r);
  return out;
}

std::vector<HostLogLine> TestHost::logs() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return logs_;
}

void TestHost::forget() {
  std::lock_guard<std::mutex> lock(mutex_);
  requests_.clear();
  logs_.clear();
}

HostReply TestHost::handle(const std::string &kind, const oc_request &request) {
  HostRequest seen;
  seen.kind = kind;
  seen.key = request.idempotency_key ? request.idempotency_key : "";
  seen.attempt = request.attempt;
  seen.body = parse_json(std::string_view(request.json, request.json_len), "request");
  seen.thread = std::this_thread::get_id();
  Responder responder;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    requests_.push_back(seen);
    auto it = responders_.find(kind);
    if (it != responders_.end()) responder = it->second;
  }
  // Outside the lock: a responder may look at what was recorded.
  return responder ? responder(seen) : HostReply{};
}

void TestHost::log(std::int32_t level, const char *message, std::size_t len) {
  std::lock_guard<std::mutex> lock(mutex_);
  logs_.push_back({level, std::string(message, len), std::this_thread::get_id()});
}

void Scenario::close() {
  if (plugin_) plugin_->close();
  plugin_.reset();
}

void Scenario::reopen(std::optional<Json> config) {
  close();
  if (config) config_ = std::move(*config);
  open(config_);
}

CallError Scenario::reopen_error(const Json &config) {
  close();
  try {
    config_ = config;
    open(config_);
  } catch (const Failure &failure) {
    return {failure.status(), failure.what()};
  }
  return {};
}

std::string Scenario::raw_store_bytes() const {
  if (!on_postgres()) return read_file(db_path()) + read_file(db_path() + "-wal");
  // PostgreSQL: every row of the scenario's schema as the server holds it
  // (pg_dump's data). What the server's own files keep is its business.
  const std::string command = "/usr/lib/postgresql/15/bin/pg_dump --data-only --no-owner -n '" +
                              store_section_["schema"].get<std::string>() + "' '" +
                              store_section_["url"].get<std::string>() + "' 2>&1";
  std::string out;
  if (FILE *pipe = ::popen(command.c_str(), "r")) {
    char buffer[65536];
    for (std::size_t n; (n = std::fread(buffer, 1, sizeof buffer, pipe)) > 0;) out.append(buffer, n);
    if (::pclose(pipe) != 0) ADD_FAILURE() << "pg_dump failed: " << out;
  }
  return out;
}

Json Scenario::submit(const Json &event) { return submit_raw(dump_json(event)); }

Json Scenario::submit_raw(const std::string &bytes) {
  if (!plugin_) fail(OC_ERR_CLOSED, "scenario: the plugin is closed");
  Json result = plugin_->submit(bytes);
  for (const auto &id : strings_of(result.value("effects", Json::array()))) queued_.push_back(id);
  return result;
}

CallError Scenario::submit_error(const Json &event) {
  try {
    submit(event);
  } catch (const Failure &failure) {
    return {failure.status(), failure.what()};
  }
  ADD_FAILURE() << "submit of " << dump_json(event) << " succeeded; expected a failure";
  return {};
}

Json Scenario::call(const std::string &method, const Json &args) { return call_raw(method, dump_json(args)); }

Json Scenario::call_raw(const std::string &method, const std::string &args_bytes) {
  if (!plugin_) fail(OC_ERR_CLOSED, "scenario: the plugin is closed");
  return plugin_->call(method, args_bytes);
}

CallError Scenario::error(const std::string &method, const Json &args) {
  return error_raw(method, dump_json(args));
}

CallError Scenario::error_raw(const std::string &method, const std::string &args_bytes) {
  try {
    call_raw(method, args_bytes);
  } catch (const Failure &failure) {
    return {failure.status(), failure.what()};
  }
  ADD_FAILURE() << method << " " << args_bytes << " succeeded; expected a failure";
  return {};
}

std::uint32_t Scenario::poll(std::uint32_t max_callbacks) {
  if (!plugin_) fail(OC_ERR_CLOSED, "scenario: the plugin is closed");
  return plugin_->poll(max_callbacks);
}

std::uint32_t Scenario::poll_all(int rounds) {
  std::uint32_t total = 0;
  for (int i = 0; i < rounds; ++i) {
    const std::uint32_t ran = poll();
    total += ran;
    if (ran > 0) continue;
    // A poll that ran nothing may still have made work due (a notice that
    // failed before it was sent frees the next effect of its order); the
    // plugin then signals the wake-up fd, as a host's event loop would see.
    if (!wakeup_signalled()) break;
  }
  return total;
}

int Scenario::wakeup_fd() const { return plugin_ ? plugin_->wakeup_fd() : -1; }

bool Scenario::wakeup_signalled() {
  // The plugin's loop runs due timers (the wake-up is one) before the jobs
  // it is sent, so after a call's round trip every commit so far has
  // signalled what it had to.
  call("effects.list", {{"limit", 1}});
  pollfd p{wakeup_fd(), POLLIN, 0};
  return ::poll(&p, 1, 0) == 1 && (p.revents & POLLIN);
}

}  // namespace ordercare::testing
