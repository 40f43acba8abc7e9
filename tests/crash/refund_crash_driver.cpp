// refund_crash_driver - a host that replays a day of events and commands
// through the C ABI of libordercare.so and carries out what the plugin asks
// (refunds, inventory adjustments, notifications, order actions) against a
// durable ledger keyed by idempotency key, until it is killed.
//
//   refund_crash_driver (--store PATH | --config JSON) --ledger PATH
//                       --sample FILE --steps FILE --from N [--share K/N]
//                       [--end quiet|exit] [--kill-in-callback N:before|after]
//                       [--faults SEED:RATE] [--outbox JSON] [--dump FILE]
//
// Steps are numbered across both inputs: the lines of the sample day (raw
// bytes, bad lines included) first, then the generated steps, one JSON
// object a line: {"submit": event} or {"call": method, "args": {...},
// "tag": "..."} (a call's "case_of_order": <order id> stands for the id of
// that order's return case, or of its case of "case_type", "" for any; "case_id_of_order"
// the same for its case_id). The driver runs steps N, N+1, ... and after each one polls
// until no callback is due, then prints "ack <step> <result>" with one
// write(2), so a line the parent reads is a step that completed. After the
// last step it advances its clock until the outbox is quiet, writes the
// outbox, every case, order, return and stored event to the --dump FILE
// (as effects.list, case.get, order.get, returns.list and events.get show
// them, with the host's time), prints "quiet" and exits 0. With --end exit
// it prints "done" after the last step and exits at once.
//
// --config JSON is the whole plugin config (a PostgreSQL store, say);
// without it the config is a SQLite store at --store with the --outbox
// section and a feedback survey (policy.survey.url). --share K/N: several drivers split one replay, this one running
// only the steps i with i % N == K (its own clock still moves with the
// steps before --from, whoever ran them).
//
// The store may answer OC_ERR_BUSY (another process past busy_timeout, a
// PostgreSQL server restarting): the driver sleeps briefly and tries the
// same submit or call again, for up to 30 s (a poll between steps waits
// for the next step instead; one at the end of the day is tried again
// too), and before the step's ack prints "busy <step> <retries>
// <call>=<n>,... <last message>" (the calls among open, submit, call and
// poll; "busy open ..." for the opening, "busy end ..." for the end of
// the day).
//
// The ledger is the host's truth, and may be shared by several drivers:
// each check-then-apply holds flock(2) on it and first reads what others
// appended. "applied\t<kind>\t<key>\t<json>\n" is appended and fsynced
// before the callback answers; a key already in it is answered DONE (or
// PENDING again for a pending refund) without applying it again
// ("duplicate\t<kind>\t<key>\t<attempt>\n"). A torn last line (a kill
// mid-write) was never answered and is cut off by the next reader.
//
// --kill-in-callback N:before kills the process with SIGKILL inside the Nth
// effect callback (or the first after it that is not a repeat) before it
// applies anything; N:after once the action is in the ledger but before
// the plugin hears the answer. It says "dying ..." first.
//
// --faults SEED:RATE: with probability RATE a callback answers REJECTED,
// "times out" (sleeps 5 ms, answers RETRY_LATER) or answers RETRY_LATER,
// without applying anything; deterministic from SEED, the key and the
// attempt.
//
// A quarter of the refunds (by a hash of the key) are answered PENDING: the
// host then reports the outcome as a refund.result event with id
// "result:<key>" and notes "reported\t<key>" in the ledger; a driver that
// starts reports the outcomes the ledger has no such note for. A quarter of
// the order actions likewise, with order_action.result. An order action's
// answer (DONE, or its result) carries a carrier, tracking, estimate, label
// and code made from its key, the same on every repeat.
#include <fcntl.h>
#include <signal.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <nlohmann/json.hpp>

#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <functional>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "ordercare.h"

namespace {

using Json = nlohmann::json;

[[noreturn]] void die(const std::string &message) {
  std::fprintf(stderr, "refund_crash_driver: %s\n", message.c_str());
  std::_Exit(3);
}

void say(const std::string &line) {
  const std::string text = line + "\n";
  if (write(STDOUT_FILENO, text.data(), text.size()) != static_cast<ssize_t>(text.size())) std::_Exit(4);
}

std::uint64_t fnv1a(const std::string &text) {
  std::uint64_t h = 1469598103934665603ull;
  for (unsigned char c : text) {
    h ^= c;
    h *= 1099511628211ull;
  }
  return h;
}

// Days from 1970-01-01 (Howard Hinnant's days_from_civil).
std::int64_t days_from_civil(std::int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const auto yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

// The "occurred_at" of a raw line, if it has a UTC "YYYY-MM-DDTHH:MM:SS"
// one; lines with offsets are read as UTC, near enough for a clock that
// only moves forward.
std::int64_t occurred_at_ms(const std::string &line) {
  const auto at = line.find("\"occurred_at\"");
  if (at == std::string::npos) return 0;
  const auto quote = line.find('"', line.find(':', at) + 1);
  if (quote == std::string::npos || quote + 20 > line.size()) return 0;
  int y, mo, d, h, mi, s;
  if (std::sscanf(line.c_str() + quote + 1, "%4d-%2d-%2dT%2d:%2d:%2d", &y, &mo, &d, &h, &mi, &s) != 6) return 0;
  return (days_from_civil(y, static_cast<unsigned>(mo), static_cast<unsigned>(d)) * 86400 + h * 3600 + mi * 60 + s) *
         1000;
}

struct Step {
  std::string raw;        // a line submitted as it is
  std::string generated;  // or a generated step, parsed when it runs
  std::int64_t at = 0;
};

std::vector<Step> load_steps(const std::string &sample, const std::string &generated,
                             std::map<std::string, std::string> &orders) {
  std::vector<Step> steps;
  auto learn_order = [&](const Json &event) {
    if (event.is_object() && event.value("type", "") == "order.created" && event.contains("data") &&
        event["data"].contains("order") && event["data"]["order"].contains("id") &&
        event["data"]["order"]["id"].is_string())
      orders.emplace(event["data"]["order"]["id"].get<std::string>(), event["data"]["order"].dump());
  };
  std::ifstream in(sample, std::ios::binary);
  if (!in) die("cannot read " + sample);
  for (std::string line; std::getline(in, line);) {
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
    Step step;
    step.raw = line;
    step.at = occurred_at_ms(line);
    learn_order(Json::parse(line, nullptr, false));
    steps.push_back(std::move(step));
  }
  std::ifstream gen(generated, std::ios::binary);
  if (!gen) die("cannot read " + generated);
  for (std::string line; std::getline(gen, line);) {
    if (line.empty()) continue;
    // Only what a restart needs is read now (parsing every line slows the
    // restarts of a sanitizer build): the time, and the orders the host
    // knows for lookup_order.
    Step step;
    const auto at = line.find("\"at\":");
    if (at != std::string::npos) step.at = std::strtoll(line.c_str() + at + 5, nullptr, 10);
    if (line.find("\"order.created\"") != std::string::npos) learn_order(Json::parse(line)["submit"]);
    step.generated = std::move(line);
    steps.push_back(std::move(step));
  }
  return steps;
}

// --- The ledger ---------------------------------------------------------------

class Ledger {
 public:
  explicit Ledger(const std::string &path) : path_(path) {
    fd_ = open(path.c_str(), O_RDWR | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
    if (fd_ < 0) die("ledger " + path + ": " + std::strerror(errno));
    Lock lock(*this);
  }
  ~Ledger() { close(fd_); }

  // Held around every check-then-apply: other drivers append to the same
  // file, and what they appended is read before the check.
  class Lock {
   public:
    explicit Lock(Ledger &ledger) : ledger_(ledger) {
      while (flock(ledger_.fd_, LOCK_EX) != 0)
        if (errno != EINTR) die("ledger: flock failed: " + std::string(std::strerror(errno)));
      ledger_.catch_up();
    }
    ~Lock() { flock(ledger_.fd_, LOCK_UN); }
    Lock(const Lock &) = delete;
    Lock &operator=(const Lock &) = delete;

   private:
    Ledger &ledger_;
  };

  bool has(const std::string &kind, const std::string &key) const { return applied_.count(kind + "\t" + key) > 0; }
  bool reported(const std::string &key) const { return reported_.count(key) > 0; }
  std::vector<std::string> keys_of(const std::string &kind) const {
    std::vector<std::string> out;
    for (const auto &entry : applied_)
      if (entry.rfind(kind + "\t", 0) == 0) out.push_back(entry.substr(kind.size() + 1));
    return out;
  }

  void apply(const std::string &kind, const std::string &key, const std::string &json) {
    append("applied\t" + kind + "\t" + key + "\t" + json + "\n");
    applied_.insert(kind + "\t" + key);
  }
  void duplicate(const std::string &kind, const std::string &key, std::uint32_t attempt) {
    append("duplicate\t" + kind + "\t" + key + "\t" + std::to_string(attempt) + "\n");
  }
  void report(const std::string &key) {
    append("reported\t" + key + "\n");
    reported_.insert(key);
  }

 private:
  // Reads the lines appended since the last look. Every append happens
  // under the lock, so a line without its newline seen here belongs to a
  // writer that died mid-write: it was never answered and is cut off.
  void catch_up() {
    std::string fresh;
    char buffer[65536];
    for (;;) {
      const ssize_t n = pread(fd_, buffer, sizeof buffer, static_cast<off_t>(read_ + fresh.size()));
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) die("ledger " + path_ + ": " + std::strerror(errno));
      if (n == 0) break;
      fresh.append(buffer, static_cast<std::size_t>(n));
    }
    const auto complete = fresh.rfind('\n');
    const std::size_t keep = complete == std::string::npos ? 0 : complete + 1;
    if (keep < fresh.size() && ftruncate(fd_, static_cast<off_t>(read_ + keep)) != 0)
      die("ledger: cannot cut a torn line");
    read_ += keep;
    std::istringstream lines(fresh.substr(0, keep));
    for (std::string line; std::getline(lines, line);) {
      std::vector<std::string> fields;
      std::size_t start = 0;
      for (int i = 0; i < 3; ++i) {
        const auto tab = line.find('\t', start);
        if (tab == std::string::npos) {
          fields.push_back(line.substr(start));
          break;
        }
        fields.push_back(line.substr(start, tab - start));
        start = tab + 1;
      }
      if (fields.size() == 3 && fields[0] == "applied") applied_.insert(fields[1] + "\t" + fields[2]);
      if (fields.size() == 2 && fields[0] == "reported") reported_.insert(fields[1]);
    }
  }

  void append(const std::string &line) {
    if (write(fd_, line.data(), line.size()) != static_cast<ssize_t>(line.size())) die("ledger: write failed");
    if (fsync(fd_) != 0) die("ledger: fsync failed");
  }

  std::string path_;
  int fd_ = -1;
  std::size_t read_ = 0;  // bytes of the file read so far, all whole lines
  std::set<std::string> applied_;
  std::set<std::string> reported_;
};

// --- The host -----------------------------------------------------------------

// Each (key, attempt) draws its own fault from the seed, so what happens to
// one effect does not depend on how many others there were before it.
struct Faults {
  bool enabled = false;
  double rate = 0;
  std::uint64_t seed = 0;

  static double fraction(std::uint64_t z) {  // splitmix64's finalizer
    z += 0x9e3779b97f4a7c15ull;
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    z ^= z >> 31;
    return static_cast<double>(z >> 11) / 9007199254740992.0;
  }
  // A fraction in [0, 1) for this try, and another to pick the fault.
  std::pair<double, double> draw(const std::string &key, std::uint32_t attempt) const {
    const std::uint64_t h = fnv1a(std::to_string(seed) + "/" + key + "/" + std::to_string(attempt));
    return {fraction(h), fraction(h ^ 0x5bd1e995ull)};
  }
};

struct Host {
  Ledger *ledger = nullptr;
  Faults faults;
  std::map<std::string, std::string> orders;  // order id -> the order object
  std::int64_t now = 0;
  long callbacks = 0;
  long kill_at = 0;
  bool trace = std::getenv("OC_DRIVER_TRACE") != nullptr;  // "callback <kind> <key> ..." lines on stdout
  bool kill_after_apply = false;
  std::vector<std::string> results_due;  // refund keys answered PENDING

  static bool pending_refund(const std::string &key) { return fnv1a(key) % 4 == 0; }
  static bool pending_action(const std::string &key) { return fnv1a(key) % 4 == 1; }
  static bool answered_pending(const char *kind, const std::string &key) {
    if (std::strcmp(kind, "refund") == 0) return pending_refund(key);
    return std::strcmp(kind, "order_action") == 0 && pending_action(key);
  }
  // What the platform did for an order action: everything a kind may carry,
  // from the key alone, so a repeat says the same.
  static Json action_result(const std::string &key) {
    return {{"carrier", "crash-carrier"},         {"tracking_number", "T-" + key},
            {"eta", "2026-12-01T00:00:00Z"},      {"label_url", "https://labels.example/" + key},
            {"code", "C-" + key},                  {"host_reference", "oa-" + key}};
  }

  void maybe_die(bool after_apply) {
    // The first callback from the nth on that gets this far: a repeat
    // answered from the ledger never does.
    if (kill_at > 0 && callbacks >= kill_at && kill_after_apply == after_apply) {
      say(after_apply ? "dying after applying" : "dying before applying");
      raise(SIGKILL);
    }
  }

  std::int32_t effect(const char *kind, const oc_request *request, oc_reply *reply) {
    ++callbacks;
    const std::string key = request->idempotency_key;
    if (trace)
      say(std::string("callback ") + kind + " " + key + " attempt " + std::to_string(request->attempt) + " pid " +
          std::to_string(getpid()) + " now " + std::to_string(now));
    const std::string json(request->json, request->json_len);
    const bool is_action = std::strcmp(kind, "order_action") == 0;
    auto answer_done = [&] {
      if (!is_action) return;
      const std::string result = action_result(key).dump();
      oc_reply_set(reply, result.data(), result.size());
    };
    // A host that times out does not hold the ledger's lock meanwhile.
    bool fault = false;
    double which = 0;
    {
      Ledger::Lock lock(*ledger);
      if (ledger->has(kind, key)) {
        ledger->duplicate(kind, key, request->attempt);
        if (answered_pending(kind, key)) return OC_OUTCOME_PENDING;
        answer_done();
        return OC_OUTCOME_DONE;
      }
      maybe_die(false);
      const auto draw = faults.draw(key, request->attempt);
      fault = faults.enabled && draw.first < faults.rate;
      which = draw.second;
      if (!fault) ledger->apply(kind, key, json);
    }
    if (fault) {
      if (which < 0.25) {
        const std::string reason = "{\"reason\":\"injected: declined\"}";
        oc_reply_set(reply, reason.data(), reason.size());
        return OC_OUTCOME_REJECTED;
      }
      if (which < 0.5) std::this_thread::sleep_for(std::chrono::milliseconds(5));
      return OC_OUTCOME_RETRY_LATER;
    }
    maybe_die(true);
    if (answered_pending(kind, key)) {
      results_due.push_back(key);
      return OC_OUTCOME_PENDING;
    }
    answer_done();
    return OC_OUTCOME_DONE;
  }

  std::int32_t lookup(const oc_request *request, oc_reply *reply) {
    const Json body = Json::parse(std::string(request->json, request->json_len), nullptr, false);
    const std::string id = body.is_object() ? body.value("order_id", "") : "";
    auto it = orders.find(id);
    if (it == orders.end()) {
      const std::string reason = "{\"reason\":\"unknown order\"}";
      oc_reply_set(reply, reason.data(), reason.size());
      return OC_OUTCOME_REJECTED;
    }
    oc_reply_set(reply, it->second.data(), it->second.size());
    return OC_OUTCOME_DONE;
  }
};

Host &host_of(void *user_data) { return *static_cast<Host *>(user_data); }

std::int32_t on_refund(void *u, const oc_request *r, oc_reply *reply) { return host_of(u).effect("refund", r, reply); }
std::int32_t on_adjust(void *u, const oc_request *r, oc_reply *reply) {
  return host_of(u).effect("adjust_inventory", r, reply);
}
std::int32_t on_notify(void *u, const oc_request *r, oc_reply *reply) { return host_of(u).effect("notify", r, reply); }
std::int32_t on_lookup(void *u, const oc_request *r, oc_reply *reply) { return host_of(u).lookup(r, reply); }
std::int32_t on_order_action(void *u, const oc_request *r, oc_reply *reply) {
  return host_of(u).effect("order_action", r, reply);
}
void on_log(void *, std::int32_t level, const char *message, std::size_t len) {
  if (level <= OC_LOG_WARN) std::fprintf(stderr, "[plugin] %d %.*s\n", level, static_cast<int>(len), message);
}
std::int64_t on_now(void *u) { return host_of(u).now; }

// --- Driving the plugin ---------------------------------------------------------

// How long a step, poll or call is tried again while the store is busy.
constexpr auto kBusyPatience = std::chrono::seconds(30);

struct Driver {
  oc_plugin *plugin = nullptr;
  Host *host = nullptr;
  std::map<std::string, long> busy;  // retries by call ("submit", "poll", ...) since the last busy line
  std::string last_busy;

  // Runs `attempt` again while the store answers OC_ERR_BUSY: nothing was
  // written, so the same step goes again.
  oc_status retrying(const char *what, const std::function<oc_status()> &attempt) {
    const auto give_up = std::chrono::steady_clock::now() + kBusyPatience;
    for (;;) {
      const oc_status status = attempt();
      if (status != OC_ERR_BUSY || std::chrono::steady_clock::now() >= give_up) return status;
      ++busy[what];
      last_busy = oc_last_error();
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
  }

  // "busy <step> <retries> <call>=<n>,... <message>" if the store was busy
  // since the last one.
  void tell_busy(const std::string &step) {
    if (busy.empty()) return;
    long retries = 0;
    std::string calls;
    for (const auto &[what, n] : busy) {
      retries += n;
      calls += (calls.empty() ? "" : ",") + what + "=" + std::to_string(n);
    }
    std::string message = last_busy;
    for (char &c : message)
      if (c == '\n') c = ' ';
    say("busy " + step + " " + std::to_string(retries) + " " + calls + " " + message);
    busy.clear();
  }

  oc_status submit(const std::string &bytes) {
    return retrying("submit", [&] {
      oc_buffer *result = nullptr;
      const oc_status status = oc_submit(plugin, bytes.data(), bytes.size(), &result);
      oc_buffer_free(result);
      return status;
    });
  }

  Json call(const std::string &method, const Json &args, oc_status *status_out = nullptr) {
    const std::string text = args.dump();
    Json out;
    const oc_status status = retrying("call", [&] {
      oc_buffer *result = nullptr;
      const oc_status s = oc_call(plugin, method.c_str(), text.data(), text.size(), &result);
      if (s == OC_OK) out = Json::parse(oc_buffer_data(result));
      oc_buffer_free(result);
      return s;
    });
    if (status_out) *status_out = status;
    if (!status_out && status != OC_OK) die(method + ": " + oc_status_name(status) + ": " + oc_last_error());
    return out;
  }

  // The host reports what became of the refunds it answered PENDING.
  void report_results() {
    std::vector<std::string> due;
    due.swap(host->results_due);
    for (const auto &key : due) {
      const bool refund = key.rfind("refund:", 0) == 0;
      Json data = {{"refund_id", key}, {"status", "succeeded"}, {"host_reference", "re-" + key}};
      if (!refund) {
        data = Host::action_result(key);
        data["action_id"] = key;
        data["status"] = "succeeded";
      }
      const Json event = {{"id", "result:" + key},
                          {"type", refund ? "refund.result" : "order_action.result"},
                          {"occurred_at", "2026-12-31T00:00:00Z"},
                          {"source", "host"},
                          {"data", std::move(data)}};
      const oc_status status = submit(event.dump());
      if (status != OC_OK) die(std::string(refund ? "refund.result: " : "order_action.result: ") +
                               oc_status_name(status) + ": " + oc_last_error());
      Ledger::Lock lock(*host->ledger);
      host->ledger->report(key);
    }
  }

  // Between steps a poll the store turns away (OC_ERR_BUSY) waits for the
  // next step, as a host's poller would, so the steps meet the busy store
  // themselves; at the end of the day it is tried again.
  void poll_until_idle(bool patient) {
    for (int i = 0; i < 1000; ++i) {
      std::uint32_t ran = 0;
      const oc_status status =
          patient ? retrying("poll", [&] { return oc_poll(plugin, 64, &ran); }) : oc_poll(plugin, 64, &ran);
      if (status == OC_ERR_BUSY && !patient) {
        ++busy["poll"];
        last_busy = oc_last_error();
        return;
      }
      if (status != OC_OK) die(std::string("oc_poll: ") + oc_status_name(status) + ": " + oc_last_error());
      report_results();
      if (ran == 0) return;
    }
  }

  bool tagged_refund_exists(const std::string &order_id, const std::string &tag) {
    Json args = {{"kind", "refund"}, {"order_id", order_id}, {"limit", 1000}};
    const Json page = call("effects.list", args);
    for (const auto &e : page["effects"])
      if (e["payload"].value("reason", "") == tag) return true;
    return false;
  }

  // Runs one generated call. Refunds carry a tag as their reason, so a
  // call repeated after a crash is not booked twice.
  std::string run_call(const Json &step) {
    const std::string method = step["call"];
    Json args = step["args"];
    if (step.contains("tag")) {
      std::string order_id = args.value("order_id", "");
      if (order_id.empty()) {
        oc_status status;
        const Json r = call("return.get", {{"id", args["id"]}}, &status);
        if (status == OC_OK) order_id = r.value("order_id", "");
      }
      if (!order_id.empty() && tagged_refund_exists(order_id, step["tag"])) return "done-before";
      args["reason"] = step["tag"];
    }
    // A reply names its case by the order's return case, which only the
    // store knows.
    // A step with "case_type" (empty for any) looks for that type instead.
    for (const char *field : {"case_of_order", "case_id_of_order"}) {
      if (!args.contains(field)) continue;
      Json filter = {{"order_id", args[field]}};
      const std::string type = args.value("case_type", "return");
      if (!type.empty()) filter["type"] = type;
      const Json found = call("cases.list", filter);
      args[std::string(field) == "case_of_order" ? "id" : "case_id"] =
          found["cases"].empty() ? Json("none") : found["cases"][0]["id"];
      args.erase(field);
      args.erase("case_type");
    }
    oc_status status;
    call(method, args, &status);
    return oc_status_name(status);
  }

  // Every page of a list call.
  Json all_pages(const std::string &method, const char *items) {
    Json out = Json::array(), args = {{"limit", 1000}};
    for (;;) {
      Json page = call(method, args);
      for (auto &item : page[items]) out.push_back(std::move(item));
      if (page["next_cursor"].is_null()) return out;
      args["cursor"] = page["next_cursor"];
    }
  }

  // The store as this host sees it at its own time (a checker opening the
  // store later, on the system clock, would fire the SLA timers due by
  // then and see their new effects), read through the ABI so the same
  // checker reads SQLite and PostgreSQL: the outbox, every case, every
  // order the host or the outbox knows, every return, and every stored
  // event as events.list lists it, each with its type and data.
  void dump(const std::string &path) {
    Json cases = Json::object();
    for (const auto &c : all_pages("cases.list", "cases")) cases[c["id"].get<std::string>()] = call("case.get", {{"id", c["id"]}});
    Json effects = all_pages("effects.list", "effects");
    std::set<std::string> order_ids;
    for (const auto &[id, order] : host->orders) order_ids.insert(id);
    for (const auto &e : effects)
      if (e["order_id"].is_string()) order_ids.insert(e["order_id"].get<std::string>());
    Json orders = Json::object();
    for (const auto &id : order_ids) {
      oc_status status;
      Json order = call("order.get", {{"id", id}}, &status);
      if (status == OC_OK)
        orders[id] = std::move(order);
      else if (status != OC_ERR_NOT_FOUND)
        die("order.get " + id + ": " + oc_status_name(status) + ": " + oc_last_error());
    }
    Json events = Json::array();
    for (const auto &e : all_pages("events.list", "events")) {
      const Json stored = call("events.get", {{"id", e["id"]}});
      events.push_back({{"id", e["id"]}, {"type", stored.value("type", "")}, {"data", stored.value("data", Json())}});
    }
    const Json out = {{"now", host->now},
                      {"effects", std::move(effects)},
                      {"cases", std::move(cases)},
                      {"orders", std::move(orders)},
                      {"returns", all_pages("returns.list", "returns")},
                      {"events", std::move(events)}};
    std::ofstream file(path, std::ios::binary | std::ios::trunc);
    file << out.dump();
    if (!file.flush()) die("cannot write " + path);
  }

  bool outbox_quiet() {
    for (const char *status : {"pending", "in_flight"})
      if (!call("effects.list", {{"status", status}, {"limit", 1}})["effects"].empty()) return false;
    return true;
  }
};

long arg_long(const char *text) { return std::strtol(text, nullptr, 10); }

}  // namespace

int main(int argc, char **argv) {
  std::string store, ledger_path, sample, generated, dump_path, outbox = "{}", config_text, end = "quiet";
  long from = 0, share_k = 0, share_n = 1;
  Host host;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string flag = argv[i], value = argv[i + 1];
    if (flag == "--store") store = value;
    else if (flag == "--config") config_text = value;
    else if (flag == "--ledger") ledger_path = value;
    else if (flag == "--sample") sample = value;
    else if (flag == "--steps") generated = value;
    else if (flag == "--from") from = arg_long(value.c_str());
    else if (flag == "--share") {
      share_k = arg_long(value.c_str());
      share_n = value.find('/') == std::string::npos ? 0 : arg_long(value.c_str() + value.find('/') + 1);
    } else if (flag == "--end") end = value;
    else if (flag == "--outbox") outbox = value;
    else if (flag == "--dump") dump_path = value;
    else if (flag == "--kill-in-callback") {
      host.kill_at = arg_long(value.c_str());
      host.kill_after_apply = value.find(":after") != std::string::npos;
    } else if (flag == "--faults") {
      host.faults.enabled = true;
      host.faults.seed = static_cast<std::uint64_t>(std::strtoull(value.c_str(), nullptr, 10));
      host.faults.rate = std::strtod(value.substr(value.find(':') + 1).c_str(), nullptr);
    } else {
      std::fprintf(stderr, "refund_crash_driver: unknown option %s\n", flag.c_str());
      return 2;
    }
  }
  if ((store.empty() && config_text.empty()) || ledger_path.empty() || sample.empty() || generated.empty() ||
      share_n < 1 || share_k < 0 || share_k >= share_n || (end != "quiet" && end != "exit")) {
    std::fprintf(stderr,
                 "usage: refund_crash_driver (--store PATH | --config JSON) --ledger PATH --sample FILE --steps FILE "
                 "--from N [--share K/N] [--end quiet|exit]\n");
    return 2;
  }
  const std::vector<Step> steps = load_steps(sample, generated, host.orders);
  Ledger ledger(ledger_path);
  host.ledger = &ledger;
  for (long i = 0; i < from && i < static_cast<long>(steps.size()); ++i) host.now = std::max(host.now, steps[i].at);
  // Refunds answered PENDING whose outcome no driver reported before it
  // died: reported now.
  {
    Ledger::Lock lock(ledger);
    for (const auto &key : ledger.keys_of("refund"))
      if (Host::pending_refund(key) && !ledger.reported(key)) host.results_due.push_back(key);
    for (const auto &key : ledger.keys_of("order_action"))
      if (Host::pending_action(key) && !ledger.reported(key)) host.results_due.push_back(key);
  }

  if (config_text.empty())
    config_text = Json{{"store", {{"path", store}, {"durability", "full"}}},
                       {"outbox", Json::parse(outbox)},
                       {"policy", {{"survey", {{"url", "https://shop.example/survey"}}}}}}
                      .dump();
  oc_options options{};
  options.struct_size = sizeof options;
  options.config_json = config_text.c_str();
  options.config_len = config_text.size();
  oc_host callbacks{};
  callbacks.struct_size = sizeof callbacks;
  callbacks.user_data = &host;
  callbacks.refund = on_refund;
  callbacks.adjust_inventory = on_adjust;
  callbacks.notify = on_notify;
  callbacks.lookup_order = on_lookup;
  callbacks.order_action = on_order_action;
  callbacks.log = on_log;
  callbacks.now_ms = on_now;
  Driver driver;
  driver.host = &host;
  // A store that cannot be reached yet (a PostgreSQL server restarting)
  // fails oc_open with OC_ERR_STORE: a host tries again.
  const oc_status opened = driver.retrying("open", [&] {
    const oc_status status = oc_open(&options, &callbacks, &driver.plugin);
    return status == OC_ERR_STORE ? OC_ERR_BUSY : status;
  });
  if (opened != OC_OK) die(std::string("oc_open: ") + oc_last_error());
  driver.tell_busy("open");
  say("ready");
  driver.poll_until_idle(false);
  driver.tell_busy("open");

  for (long i = from; i < static_cast<long>(steps.size()); ++i) {
    if (i % share_n != share_k) continue;
    const Step &step = steps[static_cast<std::size_t>(i)];
    host.now = std::max(host.now, step.at);
    std::string outcome;
    if (!step.raw.empty()) {
      outcome = oc_status_name(driver.submit(step.raw));
    } else {
      const Json call = Json::parse(step.generated);
      outcome = call.contains("submit") ? oc_status_name(driver.submit(call["submit"].dump()))
                                        : driver.run_call(call);
    }
    driver.poll_until_idle(false);
    driver.tell_busy(std::to_string(i));
    say("ack " + std::to_string(i) + " " + outcome);
  }
  if (end == "exit") {
    say("done");
    if (oc_close(driver.plugin) != OC_OK) die(std::string("oc_close: ") + oc_last_error());
    return 0;
  }
  // The end of the day: time passes until every retry is done.
  for (int round = 0; round < 5000 && !driver.outbox_quiet(); ++round) {
    host.now += 3600 * 1000;
    driver.poll_until_idle(true);
  }
  if (!driver.outbox_quiet()) die("the outbox is not quiet after the day");
  if (!dump_path.empty()) driver.dump(dump_path);
  driver.tell_busy("end");
  say("quiet");
  if (oc_close(driver.plugin) != OC_OK) die(std::string("oc_close: ") + oc_last_error());
  return 0;
}
