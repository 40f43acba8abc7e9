// Faults at every store call (issue 10, "How to prove it"), SQLite style.
// A FaultInjector (support/fault_store.h) under the plugin fails the Nth
// store call, reads included: as a disk error (OC_ERR_STORE), a lock held
// too long (OC_ERR_BUSY) or an allocation that fails (OC_ERR_NOMEM), the
// kind turning with N. A clean run counts the calls and where each step of
// the host's begins; then each N of the sweep runs again with call N
// failing, on a representative day of the scenario table and on the crash
// tests' generated return-heavy stream. The step that meets the fault
// succeeds, or fails with the injected status and changes nothing (the
// store read back through the calls is the same before and after), and
// the host tries it again; the rest of the day runs on the same plugin;
// then the store opens again, time passes until the outbox is quiet, and:
// every acknowledged event is in the log exactly once; the host was asked
// for each effect once, or twice when a poll failed after delivering it
// and before recording the answer (the same key again: the host applies it
// once); every effect the store calls done reached the host; nothing is
// left pending; and events, effects, cases, returns and refunds end as in
// the clean run. The stream adds the crash tests' exactly-once checks.
//
// The sweep: the first and last call of each step and a seeded sample of
// the others; OC_FAULT_SWEEP=all runs every N (OC_FAULT_SAMPLE and
// OC_FAULT_SEED set the sample). Each N it ran is reproducible alone with
// OC_FAULT_AT=<N> (the kind follows from N).
#include <unistd.h>

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <new>
#include <optional>
#include <random>
#include <regex>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

#include "common/failure.h"
#include "exactly_once.h"
#include "replay_steps.h"
#include "support/fault_store.h"
#include "support/scenario.h"
#include "support/test_store.h"

namespace ordercare::testing {
namespace {

long env_or(const char *name, long fallback) {
  const char *value = std::getenv(name);
  return value && *value ? std::atol(value) : fallback;
}

bool full_sweep() {
  const char *value = std::getenv("OC_FAULT_SWEEP");
  return value && std::string(value) == "all";
}

Fault fault_for(std::uint64_t call) {
  constexpr Fault kTurns[] = {Fault::disk, Fault::busy, Fault::nomem};
  return kTurns[call % 3];
}

// The statuses a fault may end in by name, others by number (the test does
// not link the boundary, which has oc_status_name).
std::string status_text(oc_status status) {
  switch (status) {
    case OC_OK: return "OC_OK";
    case OC_ERR_STORE: return "OC_ERR_STORE";
    case OC_ERR_BUSY: return "OC_ERR_BUSY";
    case OC_ERR_NOMEM: return "OC_ERR_NOMEM";
    default: return "status " + std::to_string(static_cast<int>(status));
  }
}

// What the host sees of one oc_ call: OC_OK or the status it failed with.
struct Outcome {
  oc_status status = OC_OK;
  std::string message;
};

Outcome outcome_of(const std::function<void()> &run) {
  try {
    run();
  } catch (const Failure &failure) {
    return {failure.status(), failure.what()};
  } catch (const std::bad_alloc &) {
    return {OC_ERR_NOMEM, "out of memory"};  // as the boundary reports one
  } catch (const std::exception &e) {
    return {OC_ERR_INTERNAL, std::string("internal error: ") + e.what()};
  }
  return {};
}

// What a run must end with whatever faults it met: which events, effects,
// cases, returns and refunds there are and where each ended. Times and
// attempts may differ: the effects of a poll that failed go again later,
// and what their answers cause is named after the time it was recorded
// ("cmd@<ms>"), what a command causes after the command's own id
// ("cmd-<random>"); both are left out.
Json outcome_view(const Json &store) {
  static const std::regex kAnswerTime("cmd(@[0-9]+|-[0-9a-f]+)");
  Json out = Json::object();
  for (const auto &e : store["events"]) out["events"].push_back(e["id"]);
  std::vector<Json> effects;
  for (const auto &e : store["effects"])
    effects.push_back({std::regex_replace(e["id"].get<std::string>(), kAnswerTime, "cmd@*"), e["kind"], e["status"]});
  std::sort(effects.begin(), effects.end());
  out["effects"] = effects;
  for (auto it = store["cases"].begin(); it != store["cases"].end(); ++it) {
    const Json &c = it.value();
    out["cases"][it.key()] = {c["type"], c["priority"], c["status"], c["escalation_level"], c["red_flags"]};
  }
  for (const auto &r : store["returns"]) out["returns"][r["id"].get<std::string>()] = {r["status"], r["refunded"]};
  for (auto it = store["orders"].begin(); it != store["orders"].end(); ++it)
    for (const auto &r : it.value()["refunds"]) out["refunds"][r["id"].get<std::string>()] = {r["amount"], r["status"]};
  return out;
}

// What the host made of each idempotency key: an answer other than
// RETRY_LATER is final, and DONE or PENDING carry the effect out. A host
// carries a key out once; these count how often the plugin made it answer
// finally, so a repeat shows.
struct HostAnswers {
  std::map<std::string, int> answered, carried_out;  // final answers; DONE or PENDING
  std::set<std::string> asked;
};

// The checks that hold after any run once the outbox is quiet. `faulted`:
// the keys a poll delivered before it failed, which may come again.
void check_effects(const Json &store, const HostAnswers &answers, const std::set<std::string> &faulted,
                   const std::string &where) {
  auto count = [](const std::map<std::string, int> &of, const std::string &key) {
    const auto it = of.find(key);
    return it == of.end() ? 0 : it->second;
  };
  std::set<std::string> in_outbox;
  for (const auto &e : store["effects"]) {
    const std::string id = e["id"], status = e["status"];
    in_outbox.insert(id);
    EXPECT_TRUE(status == "done" || status == "failed") << where << ": " << id << " is left " << status;
    if (status == "done") {
      EXPECT_GE(count(answers.carried_out, id), 1) << where << ": " << id << " is done and the host never did it";
    }
    // A notice delivered by a poll that then failed, and claimed again only
    // after its customer was erased, cannot go again; the error says an
    // earlier attempt may have reached the host.
    const bool undeliverable_again = faulted.count(id) && e["last_error"].is_string() &&
                                     e["last_error"].get<std::string>().rfind("not sent again:", 0) == 0;
    if (status == "failed" && !undeliverable_again) {
      EXPECT_EQ(count(answers.carried_out, id), 0) << where << ": " << id << " failed and the host did it: " << e.value("last_error", Json()).dump();
    }
  }
  for (const auto &key : answers.asked)
    EXPECT_TRUE(in_outbox.count(key)) << where << ": the host was asked for " << key << ", unknown to the outbox";
  for (const auto &[key, times] : answers.answered) {
    const int allowed = faulted.count(key) ? 2 : 1;
    EXPECT_LE(times, allowed) << where << ": the host answered " << key << " finally " << times << " times";
  }
}

void expect_events_once(const Json &store, const std::set<std::string> &acked, const std::string &where) {
  std::map<std::string, int> stored;
  for (const auto &e : store["events"]) ++stored[e["id"].get<std::string>()];
  for (const auto &id : acked)
    EXPECT_EQ(stored[id], 1) << where << ": acknowledged event " << id << " is stored " << stored[id] << " times";
  for (const auto &[id, times] : stored)
    EXPECT_TRUE(acked.count(id) || id.rfind("lookup:", 0) == 0)
        << where << ": event " << id << " is stored and was never acknowledged";
}

// Lets virtual time pass, an hour a round, until nothing is pending or in
// flight (retries and leases run out).
void poll_until_quiet(Scenario &s) {
  for (int round = 0; round < 200; ++round) {
    s.poll_all();
    if (s.effects({{"status", "pending"}}).empty() && s.effects({{"status", "in_flight"}}).empty()) return;
    s.advance(kHourMs);
  }
  ADD_FAILURE() << "the outbox is not quiet after 200 hours";
}

// --- A host over a faulty store ---------------------------------------------------

// Where a run's SQLite files go: on tmpfs when the machine has one. The
// faults are injected above the files, so their medium changes nothing
// but the time a run takes (a quarter of it on tmpfs), and the sweep is
// the denser for it.
class RunDir {
 public:
  RunDir() {
    const char *base = std::getenv("TMPDIR");
    std::string pattern = ::access("/dev/shm", W_OK) == 0 ? "/dev/shm" : base && *base ? base : "/tmp";
    pattern += "/ordercare-fault-XXXXXX";
    if (!::mkdtemp(pattern.data())) throw std::runtime_error("mkdtemp failed");
    path_ = pattern;
  }
  ~RunDir() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  RunDir(const RunDir &) = delete;
  RunDir &operator=(const RunDir &) = delete;

  std::string file(const std::string &name) const { return path_ + "/" + name; }

 private:
  std::string path_;
};

// What a clean run saw, for the runs with a fault to be held against.
struct CleanRun {
  std::vector<std::uint64_t> starts;  // store calls counted before each step
  std::uint64_t calls = 0;            // store calls of all the steps
  std::vector<std::string> names;     // each of them, in order
  std::map<std::string, oc_status> statuses;  // each step's answer but the polls'
  Json outcome;
};

// Where the fault landed and what it did.
struct FaultMet {
  bool met = false;
  std::string call;  // the store call that failed
  std::string step;
  std::string kind;  // of the step: submit, call, poll or reopen
  oc_status status = OC_OK;  // the step's first answer: the injected status, or OC_OK if absorbed
};

// A host running steps (one oc_ call each, or a reopen) on a Scenario
// whose store a FaultInjector wraps. With a clean run to go by, the step
// that meets the fault is checked and tried again, as a host would.
class FaultyHost {
 public:
  enum Kind { submit, call, poll, reopen };

  FaultyHost(Json config, TimeMs start, std::map<std::string, Json> orders, std::set<std::string> order_ids,
             std::uint64_t fault_at = 0, const CleanRun *clean = nullptr)
      : order_ids_(std::move(order_ids)), fault_at_(fault_at), clean_(clean) {
    // The host does what it is asked; lookup_order answers with the
    // orders it knows.
    for (const char *kind : {"refund", "adjust_inventory", "notify"})
      answer(kind, [](const HostRequest &) { return HostReply{}; });
    answer("lookup_order", [orders = std::move(orders)](const HostRequest &request) {
      const auto it = orders.find(request.body.value("order_id", ""));
      if (it == orders.end()) return HostReply{OC_OUTCOME_REJECTED, {{"reason", "unknown order"}}};
      return HostReply{OC_OUTCOME_DONE, it->second};
    });
    if (!on_postgres()) config["store"]["path"] = dir_.file("ordercare.db");
    where_ = fault_at ? "fault at call " + std::to_string(fault_at) + " (" + name_of(fault_for(fault_at)) + ")"
                      : "clean run";
    {
      // The first open is not counted: the sweep opens the store again
      // as its first step.
      FaultInjector::Pause opening(faults_);
      scenario_ = std::make_unique<Scenario>(host_, config, start, 0, faults_.opener());
    }
    if (fault_at) faults_.fail_at(fault_at, fault_for(fault_at));
  }

  Scenario &s() { return *scenario_; }
  const TestHost &host() const { return host_; }
  // How the host answers `kind` from now on; its answers are counted.
  void answer(const std::string &kind, TestHost::Responder responder) {
    host_.on(kind, [this, responder = std::move(responder)](const HostRequest &request) {
      const HostReply reply = responder(request);
      answers_.asked.insert(request.key);
      if (reply.outcome != OC_OUTCOME_RETRY_LATER) ++answers_.answered[request.key];
      if (reply.outcome == OC_OUTCOME_DONE || reply.outcome == OC_OUTCOME_PENDING) ++answers_.carried_out[request.key];
      return reply;
    });
  }
  const std::string &where() const { return where_; }
  const FaultMet &fault() const { return met_; }

  // Runs one step; its answer after the retry if the fault failed it.
  // `what` names it, uniquely but for polls.
  oc_status step(Kind kind, const std::string &what, const std::function<void()> &attempt) {
    const std::size_t j = starts_.size();
    starts_.push_back(faults_.calls());
    bool meets = false;
    if (clean_ && fault_at_ && !met_.met) {
      // Up to the fault a run is the clean one, call for call.
      const bool known = j < clean_->starts.size();
      EXPECT_TRUE(known && starts_[j] == clean_->starts[j])
          << where_ << ": step " << j << " (" << what << ") begins at call " << starts_[j] << ", in the clean run at "
          << (known ? clean_->starts[j] : 0);
      const std::uint64_t end = j + 1 < clean_->starts.size() ? clean_->starts[j + 1] : clean_->calls;
      meets = known && fault_at_ > clean_->starts[j] && fault_at_ <= end;
    }
    Json before;
    if (meets) before = look();
    const std::size_t asked_before = host_.requests().size();
    const std::size_t injected_before = faults_.injected().size();
    const Outcome first = outcome_of(attempt);
    Outcome last = first;
    if (faults_.injected().size() > injected_before) {
      static const char *const kKinds[] = {"submit", "call", "poll", "reopen"};
      met_ = {true, faults_.injected().back().name, what, kKinds[kind], first.status};
      where_ += " in " + met_.call + ", step " + what;
      EXPECT_TRUE(meets) << where_ << ": the clean run made that call in another step";
      if (clean_ && fault_at_ <= clean_->names.size()) {
        EXPECT_EQ(met_.call, clean_->names[fault_at_ - 1]) << where_ << ": the clean run's call " << fault_at_;
      }
      if (kind == poll) {
        // What it delivered before the fault may go again, under its key:
        // the answer was not recorded.
        const auto requests = host_.requests();
        for (std::size_t r = asked_before; r < requests.size(); ++r) faulted_keys_.insert(requests[r].key);
      }
      if (first.status != OC_OK) {
        // A command refused on its own, as in the clean run, is refused
        // whatever the store does after it: the fault met the commit of
        // nothing (the batch of that one job).
        bool refused_anyway = false;
        if (clean_ && kind == call) {
          const auto it = clean_->statuses.find(what);
          refused_anyway = it != clean_->statuses.end() && it->second == first.status;
        }
        if (!refused_anyway) {
          EXPECT_EQ(first.status, status_of(fault_for(fault_at_))) << where_ << ": " << first.message;
        }
        if (kind == reopen) {
          last = outcome_of(attempt);
          EXPECT_EQ(last.status, OC_OK) << where_ << ": the store does not open again: " << last.message;
          if (last.status != OC_OK) return last.status;
        }
        // A poll may have delivered and recorded some effects before the
        // fault: it is not one transaction. Anything else is.
        if (kind != poll) {
          EXPECT_EQ(look(), before) << where_ << ": the step failed and changed the store";
        }
        if (kind != reopen) last = outcome_of(attempt);
      }
    } else if (first.status != OC_OK && kind == poll) {
      ADD_FAILURE() << where_ << ": " << what << " failed without a fault: " << first.message;
    }
    if (kind != poll) {
      statuses_[what] = last.status;
      if (clean_) {
        const auto it = clean_->statuses.find(what);
        EXPECT_TRUE(it != clean_->statuses.end() && it->second == last.status)
            << where_ << ": step " << what << " answered " << status_text(last.status) << " (" << last.message
            << "), otherwise than in the clean run";
      }
    }
    return last.status;
  }

  // Polls until a poll runs nothing, each poll a step.
  void poll_until_idle(const std::string &after) {
    for (int i = 0; i < 100; ++i) {
      std::uint32_t ran = 0;
      if (step(poll, "poll after " + after, [&] { ran = s().poll(); }) != OC_OK || ran == 0) return;
    }
  }

  // After the last step, with the fault gone and nothing counted: the
  // store opens again, a day passes (every run ends at the same time, so
  // as many SLA timers have fired: leases and backoffs have run out by
  // then) and the outbox is quiet, and the effects are checked; returns
  // the store as read back.
  Json finish(CleanRun *record) {
    if (record) {
      record->starts = starts_;
      record->calls = faults_.calls();
      record->names = faults_.names();
      record->statuses = statuses_;
    }
    if (fault_at_) {
      EXPECT_TRUE(met_.met) << where_ << ": the fault was never met";
    }
    faults_.disarm();
    paused_.emplace(faults_);
    const Outcome opened = outcome_of([&] { s().reopen(); });
    EXPECT_EQ(opened.status, OC_OK) << where_ << ": the store does not open again: " << opened.message;
    if (opened.status != OC_OK) return Json::object();
    s().advance(kDayMs);
    poll_until_quiet(s());
    Json store = read_back(s(), order_ids_);
    check_effects(store, answers_, faulted_keys_, where_);
    return store;
  }

  Json look() {
    FaultInjector::Pause paused(faults_);
    return read_back(s(), order_ids_);
  }

 private:
  FaultInjector faults_;
  HostAnswers answers_;  // the host's callbacks run on the thread that polls
  TestHost host_;
  RunDir dir_;
  std::unique_ptr<Scenario> scenario_;  // after host_ and dir_, which outlive it
  std::optional<FaultInjector::Pause> paused_;
  std::set<std::string> order_ids_;
  std::uint64_t fault_at_;
  const CleanRun *clean_;
  std::string where_;
  FaultMet met_;
  std::vector<std::uint64_t> starts_;
  std::map<std::string, oc_status> statuses_;
  std::set<std::string> faulted_keys_;
};

// The tally of a sweep, printed at its end.
struct FaultTally {
  std::size_t runs = 0, failed = 0, absorbed = 0;
  std::map<std::string, std::size_t> failed_by_status, failed_by_call, absorbed_by_call;

  void add(const FaultMet &met) {
    ++runs;
    if (!met.met) return;
    const std::string where = met.call + " during a " + met.kind;
    if (met.status == OC_OK) {
      ++absorbed;
      ++absorbed_by_call[where];
      return;
    }
    ++failed;
    ++failed_by_status[status_text(met.status)];
    ++failed_by_call[where];
  }

  void print(const char *name, std::uint64_t calls, std::size_t steps) const {
    std::printf("%s: %llu store calls in %zu steps per clean run; %zu runs with a fault: %zu failed their step "
                "with the injected status (a submit or call changing nothing), %zu absorbed (the step "
                "succeeded)\n",
                name, static_cast<unsigned long long>(calls), steps, runs, failed, absorbed);
    for (const auto &[status, n] : failed_by_status) std::printf("%s:   %4zu failed %s\n", name, n, status.c_str());
    for (const auto &[call, n] : failed_by_call) std::printf("%s:   %4zu failed in %s\n", name, n, call.c_str());
    for (const auto &[call, n] : absorbed_by_call) std::printf("%s:   %4zu absorbed in %s\n", name, n, call.c_str());
  }
};

// Which N a sweep runs: every one with OC_FAULT_SWEEP=all, else (with
// `boundaries`) the first and last call of each step and every commit,
// where a step is acknowledged, and `sample` more drawn with `seed`;
// OC_FAULT_AT=<N> runs that one alone.
std::vector<std::uint64_t> sweep(const CleanRun &clean, bool boundaries, long sample, unsigned seed) {
  if (const long only = env_or("OC_FAULT_AT", 0); only > 0) return {static_cast<std::uint64_t>(only)};
  std::set<std::uint64_t> out;
  const std::uint64_t calls = clean.calls;
  if (full_sweep()) {
    for (std::uint64_t n = 1; n <= calls; ++n) out.insert(n);
    return {out.begin(), out.end()};
  }
  for (std::size_t i = 0; boundaries && i < clean.starts.size(); ++i) {
    const std::uint64_t end = i + 1 < clean.starts.size() ? clean.starts[i + 1] : calls;
    if (end > clean.starts[i]) out.insert({clean.starts[i] + 1, end});
  }
  for (std::size_t n = 0; boundaries && n < clean.names.size(); ++n)
    if (clean.names[n] == "commit_batch") out.insert(n + 1);
  std::mt19937_64 rng(seed);
  std::uniform_int_distribution<std::uint64_t> any(1, calls);
  for (long i = 0; i < sample && out.size() < calls; ++i) out.insert(any(rng));
  // OC_FAULT_STRIDE=N faults every Nth of those calls, and every commit
  // still: scripts/test sets it under ASan, where a run is ten times slower
  // and the release run has already swept them all.
  const long stride = std::max(1L, env_or("OC_FAULT_STRIDE", 1));
  std::vector<std::uint64_t> kept;
  long i = 0;
  for (const std::uint64_t n : out) {
    const bool commit = n <= clean.names.size() && clean.names[n - 1] == "commit_batch";
    if (commit || i++ % stride == 0) kept.push_back(n);
  }
  return kept;
}

// --- The day ----------------------------------------------------------------------

const CustomerSpec kAnn("c-ann", "Ann Archer", {"vip"}, "ann@example.org");
const CustomerSpec kBob("c-bob", "Bob Baker", {}, "bob@example.org");
const CustomerSpec kJun("c-jun", "Jun Jones", {}, "jun@example.org");
const CustomerSpec kGil("c-gil", "Gil Ghost", {}, "gil@example.org");
const std::vector<LineSpec> kTwoLines = {LineSpec("SKU-MUG", 2500, 2, "Mug"), LineSpec("SKU-LAMP", 4000, 1, "Lamp")};

Json ghost_order() {
  return {{"id", "GHOST"},
          {"placed_at", "2026-11-19T10:00:00Z"},
          {"currency", "USD"},
          {"total", 4000},
          {"channel", "web"},
          {"customer", {{"id", "c-gil"}}},
          {"items", Json::array({{{"line_id", "L1"}, {"sku", "SKU-G"}, {"quantity", 1}, {"unit_price", 4000}}})}};
}

// Ids learned from the results of earlier steps ("case:A" -> "C-...").
using Learned = std::map<std::string, std::string>;

// One thing the host does: submit an event, call a method, poll, or close
// and open the plugin again. The event or the call's arguments are made
// once, before the first try, so a retry sends the same.
struct Step {
  enum Kind { submit, call, poll, reopen } kind = poll;
  TimeMs advance = 0;  // the clock moves first
  std::function<Json(Scenario &)> event;
  std::string learn;  // submit: the key its first case is learned under
  std::string method;
  std::function<Json(const Learned &)> args;
};

std::vector<Step> the_day() {
  std::vector<Step> day;
  auto submit = [&](TimeMs advance, std::function<Json(Scenario &)> event, std::string learn = "") {
    Step step;
    step.kind = Step::submit;
    step.advance = advance;
    step.event = std::move(event);
    step.learn = std::move(learn);
    day.push_back(std::move(step));
  };
  auto call = [&](TimeMs advance, std::string method, std::function<Json(const Learned &)> args) {
    Step step;
    step.kind = Step::call;
    step.advance = advance;
    step.method = std::move(method);
    step.args = std::move(args);
    day.push_back(std::move(step));
  };
  auto poll = [&](TimeMs advance = 0) {
    Step step;
    step.advance = advance;
    day.push_back(std::move(step));
  };
  auto of = [](const std::string &key, Json args = Json::object()) {
    return [key, args](const Learned &learned) {
      Json out = args;
      out["id"] = learned.count(key) ? learned.at(key) : "(no " + key + ")";
      return out;
    };
  };
  auto just = [](Json args) { return [args](const Learned &) { return args; }; };
  Step reopen;
  reopen.kind = Step::reopen;

  day.push_back(reopen);  // opening an empty store
  submit(0, [](Scenario &s) {
    return s.order_created("A", kAnn, OrderOptions().with_items(kTwoLines).promised(s.now() + 2 * kDayMs));
  });
  submit(0, [](Scenario &s) { return s.order_created("B", kBob, OrderOptions().with_items({LineSpec("LAMP-9")})); });
  submit(0, [](Scenario &s) { return s.order_created("J", kJun, OrderOptions().in("JPY").with_total(12800)); });
  submit(kMinuteMs, [](Scenario &s) { return s.order_updated("A", "processing"); });
  submit(kHourMs, [](Scenario &s) {
    return s.shipment("A", "shp-1", "in_transit", ShipmentOptions().tracked("usps", "NH1").due(s.now() + kDayMs));
  });
  poll();
  submit(kHourMs, [](Scenario &s) { return s.message(kAnn, "A", "email", "Where is my order?"); }, "case:A");
  submit(0, [](Scenario &s) {
    return s.message(kBob, "B", "email", "This is unacceptable. I will sue you, my lawyer has the details");
  }, "case:B");
  poll();
  call(10 * kMinuteMs, "case.reply", of("case:A", {{"agent", "agent-1"}, {"text", "It is on its way, due tomorrow"}}));
  submit(kHourMs, [](Scenario &s) { return s.order_updated("B", "delivered"); });
  submit(kHourMs, [](Scenario &s) { return s.return_requested("B", {ReturnLine("L1", "damaged")}, "R-B"); });
  poll();
  call(kHourMs, "return.issue_label", just({{"id", "R-B"}, {"label", "https://labels.example/R-B.pdf"}}));
  submit(2 * kHourMs, [](Scenario &s) {
    return s.return_received("R-B", Json::array({{{"line_id", "L1"}, {"quantity", 1}, {"condition", "damaged"}}}),
                             "WH-1");
  });
  poll();
  submit(0, [](Scenario &s) { return s.inventory_discrepancy("SKU-MUG", "WH-1", 20, 1); }, "case:stock");
  submit(0, [](Scenario &s) { return s.payment_disputed("J", 12800, "JPY", "fraudulent"); }, "case:J");
  submit(0, [](Scenario &s) { return s.message(kGil, "GHOST", "chat", "My lamp arrived broken"); });
  poll();
  poll();
  call(kHourMs, "order.refund",
       [](const Learned &learned) -> Json {
         return {{"order_id", "A"}, {"amount", 500}, {"reason", "goodwill"}, {"case_id", learned.count("case:A") ? learned.at("case:A") : "(no case:A)"}};
       });
  call(0, "case.escalate", of("case:stock", {{"reason", "the count is far off"}, {"agent", "agent-2"}}));
  poll();
  call(kHourMs, "case.resolve",
       of("case:A", {{"agent", "agent-1"}, {"resolution", "Delivered"}, {"action_taken", "Refunded the shipping"}}));
  call(0, "case.resolve",
       of("case:B", {{"agent", "agent-2"}, {"resolution", "Apologised"}, {"action_taken", "Sent a replacement"}}));
  call(0, "cases.list", just({{"active", true}}));
  call(0, "escalations.log", just(Json::object()));
  call(0, "returns.list", just(Json::object()));
  call(0, "report.daily", just({{"date", "2026-11-20"}}));
  poll();
  submit(kDayMs, [](Scenario &s) { return s.order_updated("A", "delivered"); });
  poll();  // a day on: SLA timers fire
  call(0, "customer.erase", just({{"customer_id", "c-jun"}}));
  submit(0, [](Scenario &s) { return s.message(kBob, "B", "email", "Thanks, the replacement is fine"); });
  poll();
  day.push_back(reopen);  // opening a store with a day in it
  poll();
  return day;
}

const std::set<std::string> kDayOrders = {"A", "B", "J", "GHOST"};

Json day_config() {
  // The store watch asks the store on a timer; once a minute keeps its calls
  // out of a run, so the count is the same on every run.
  return {{"store", {{"wake_interval", "60s"}}}};
}

// One run of the day, clean (fault_at 0, recording into `record`) or with
// call fault_at failing; the store as read back at the end.
FaultMet run_day(std::uint64_t fault_at, const CleanRun *clean, CleanRun *record) {
  const std::vector<Step> day = the_day();
  FaultyHost h(day_config(), kScenarioStart, {{"GHOST", ghost_order()}}, kDayOrders, fault_at, clean);
  Learned learned;
  std::set<std::string> acked;
  for (std::size_t i = 0; i < day.size(); ++i) {
    const Step &step = day[i];
    h.s().advance(step.advance);
    Json event, args, result;
    std::function<void()> attempt;
    std::string what = std::to_string(i) + ": ";
    FaultyHost::Kind kind = FaultyHost::poll;
    switch (step.kind) {
      case Step::submit:
        kind = FaultyHost::submit;
        event = step.event(h.s());
        what += "submit " + event["type"].get<std::string>();
        attempt = [&] { result = h.s().submit(event); };
        break;
      case Step::call:
        kind = FaultyHost::call;
        args = step.args(learned);
        what += "call " + step.method;
        attempt = [&] { result = h.s().call(step.method, args); };
        break;
      case Step::poll:
        what += "poll";
        attempt = [&] { h.s().poll(); };
        break;
      case Step::reopen:
        kind = FaultyHost::reopen;
        what += "reopen";
        attempt = [&] { h.s().reopen(); };
        break;
    }
    const oc_status status = h.step(kind, what, attempt);
    if (!clean) {
      EXPECT_EQ(status, OC_OK) << "clean run: step " << what;
    }
    if (status != OC_OK || step.kind != Step::submit) continue;
    acked.insert(event["id"].get<std::string>());
    if (step.learn.empty()) continue;
    EXPECT_FALSE(result["cases"].empty()) << h.where() << ": " << what << " opened no case";
    if (!result["cases"].empty()) learned[step.learn] = result["cases"][0].get<std::string>();
  }
  const Json store = h.finish(record);
  if (store.empty()) return h.fault();
  expect_events_once(store, acked, h.where());
  const Json outcome = outcome_view(store);
  if (record) record->outcome = outcome;
  if (clean) {
    EXPECT_EQ(outcome, clean->outcome) << h.where() << ": the day ended otherwise than the clean run";
  }
  return h.fault();
}

TEST(FaultInjection, EveryStoreCallOfADayFailsInTurnAndNothingIsLostDoubledOrLeftPending) {
  CleanRun clean;
  run_day(0, nullptr, &clean);
  ASSERT_FALSE(::testing::Test::HasFailure()) << "the clean run";
  const auto seed = static_cast<unsigned>(env_or("OC_FAULT_SEED", 20261120));
  // On PostgreSQL a run takes three times as long: a sample only.
  const long sample = env_or("OC_FAULT_SAMPLE", on_postgres() ? 25 : 40);
  const auto points = sweep(clean, !on_postgres(), sample, seed);
  std::printf("scenario day: seed=%u, %zu of %llu calls faulted%s\n", seed, points.size(),
              static_cast<unsigned long long>(clean.calls), full_sweep() ? " (all)" : "");
  FaultTally tally;
  for (const std::uint64_t n : points) {
    tally.add(run_day(n, &clean, nullptr));
    if (::testing::Test::HasFatalFailure()) break;
  }
  tally.print("scenario day", clean.calls, clean.starts.size());
}

// --- Answers at the last attempt ----------------------------------------------------

// A refund the host refuses for now, then carries out at its last attempt:
// the store fails (or not) as that answer is recorded.
FaultMet run_last_attempt(std::uint64_t fault_at, const CleanRun *clean, CleanRun *record) {
  const Json config = {{"store", {{"wake_interval", "60s"}}},
                       {"outbox", {{"max_attempts", 2}, {"base_backoff", "1m"}, {"jitter", 0}}}};
  FaultyHost h(config, kScenarioStart, {}, {"A"}, fault_at, clean);
  h.answer("refund", [](const HostRequest &request) {
    return HostReply{static_cast<std::int32_t>(request.attempt < 2 ? OC_OUTCOME_RETRY_LATER : OC_OUTCOME_DONE)};
  });
  h.step(FaultyHost::reopen, "reopen", [&] { h.s().reopen(); });
  const Json order = h.s().order_created("A", kAnn, OrderOptions().with_items(kTwoLines));
  h.step(FaultyHost::submit, "order", [&] { h.s().submit(order); });
  const Json refund = {{"order_id", "A"}, {"amount", 500}, {"reason", "goodwill"}};
  h.step(FaultyHost::call, "refund", [&] { h.s().call("order.refund", refund); });
  h.poll_until_idle("the refund");
  h.s().advance(2 * kMinuteMs);
  h.poll_until_idle("its backoff");
  const Json store = h.finish(record);
  if (store.empty()) return h.fault();
  const Json outcome = outcome_view(store);
  if (record) record->outcome = outcome;
  if (clean) {
    EXPECT_EQ(outcome, clean->outcome) << h.where() << ": the refund ended otherwise than in the clean run";
  }
  return h.fault();
}

TEST(FaultInjection, AnAnswerAtTheLastAttemptThatTheStoreFailsToRecordIsNotGivenUp) {
  CleanRun clean;
  run_last_attempt(0, nullptr, &clean);
  ASSERT_FALSE(::testing::Test::HasFailure()) << "the clean run";
  ASSERT_EQ(clean.outcome["refunds"].size(), 1u);
  EXPECT_EQ(clean.outcome["refunds"].begin().value()[1], "succeeded");
  // Every call of the poll in which the host carries the refund out.
  std::vector<std::uint64_t> points;
  std::size_t second = 0;
  for (std::size_t n = 0; n < clean.names.size(); ++n)
    if (clean.names[n] == "outbox.claim_due" && ++second == 2) {
      for (std::uint64_t call = n + 1; call <= clean.calls; ++call) points.push_back(call);
      break;
    }
  ASSERT_FALSE(points.empty());
  FaultTally tally;
  for (const std::uint64_t n : points) tally.add(run_last_attempt(n, &clean, nullptr));
  tally.print("last attempt", clean.calls, clean.starts.size());
}

// --- The stream -------------------------------------------------------------------

// The generated steps of a Replay as refund_crash_driver runs them, each
// with its number across the sample day and the stream (Replay::event_of).
struct StreamStep {
  long index = 0;
  TimeMs at = 0;
  Json line;  // {"submit": event} or {"call", "args", "tag"?}
};

std::vector<StreamStep> stream_of(const Replay &replay) {
  std::vector<Json> lines;
  std::ifstream in(replay.steps, std::ios::binary);
  for (std::string line; std::getline(in, line);)
    if (!line.empty()) lines.push_back(Json::parse(line));
  // The sample day's lines come first in the numbering; they are not run
  // here (the scenario day covers their kinds).
  const long first = static_cast<long>(replay.total_steps() - lines.size());
  std::vector<StreamStep> out;
  for (std::size_t i = 0; i < lines.size(); ++i)
    out.push_back({first + static_cast<long>(i), lines[i]["at"].get<TimeMs>(), std::move(lines[i])});
  return out;
}

// The orders the host knows, for lookup_order, and their ids.
std::map<std::string, Json> orders_of(const std::vector<StreamStep> &steps) {
  std::map<std::string, Json> out;
  for (const auto &step : steps)
    if (step.line.contains("submit") && step.line["submit"]["type"] == "order.created")
      out[step.line["submit"]["data"]["order"]["id"]] = step.line["submit"]["data"]["order"];
  return out;
}

Json stream_config() {
  return {{"store", {{"wake_interval", "60s"}}},
          {"outbox", {{"base_backoff", "1s"}, {"max_backoff", "1m"}, {"jitter", 0.5}}}};
}

// The host's ledger as refund_crash_driver keeps it: the first request of
// a key applied, the others answered from the ledger.
std::map<std::string, LedgerEntry> ledger_of(const TestHost &host) {
  std::map<std::string, LedgerEntry> out;
  for (const auto &r : host.requests()) {
    LedgerEntry &e = out[r.kind + "\t" + r.key];
    if (e.applied == 0) {
      e.applied = 1;
      e.request = r.body;
    } else {
      ++e.duplicates;
    }
  }
  return out;
}

// The store as exactly_once.h reads it (the driver's dump), through the calls.
StoreView view_of(Scenario &s, const Json &store) {
  StoreView view;
  view.now = s.now();
  view.effects = store["effects"];
  for (auto it = store["cases"].begin(); it != store["cases"].end(); ++it) view.cases[it.key()] = it.value();
  for (auto it = store["orders"].begin(); it != store["orders"].end(); ++it) view.orders[it.key()] = it.value();
  for (const auto &r : store["returns"]) view.returns[r["id"].get<std::string>()] = r;
  for (const auto &e : store["events"]) {
    const Json stored = s.call("events.get", {{"id", e["id"]}});
    view.events.push_back({{"id", e["id"]}, {"type", stored.value("type", "")}, {"data", stored.value("data", Json())}});
  }
  return view;
}

struct StreamRun {
  FaultMet fault;
  std::string summary;
};

StreamRun run_stream(const Replay &replay, std::uint64_t fault_at, const CleanRun *clean, CleanRun *record) {
  const std::vector<StreamStep> steps = stream_of(replay);
  const auto orders = orders_of(steps);
  std::set<std::string> order_ids;
  for (const auto &[id, order] : orders) order_ids.insert(id);
  FaultyHost h(stream_config(), steps.front().at, orders, order_ids, fault_at, clean);
  h.step(FaultyHost::reopen, "reopen", [&] { h.s().reopen(); });
  std::set<long> acked;
  for (const auto &step : steps) {
    h.s().set_now(std::max(h.s().now(), step.at));
    const std::string what = "step " + std::to_string(step.index);
    oc_status status;
    if (step.line.contains("submit")) {
      status = h.step(FaultyHost::submit, what, [&] { h.s().submit(step.line["submit"]); });
      if (status == OC_OK) acked.insert(step.index);
    } else {
      // Refunds carry their tag as the reason, as the driver's do.
      Json args = step.line["args"];
      if (step.line.contains("tag")) args["reason"] = step.line["tag"];
      status = h.step(FaultyHost::call, what, [&] { h.s().call(step.line["call"].get<std::string>(), args); });
    }
    if (status == OC_ERR_INTERNAL) return {h.fault(), ""};
    h.poll_until_idle(what);
  }
  const Json store = h.finish(record);
  if (store.empty()) return {h.fault(), ""};
  const Json outcome = outcome_view(store);
  if (record) record->outcome = outcome;
  if (clean) {
    EXPECT_EQ(outcome, clean->outcome) << h.where() << ": the stream ended otherwise than the clean run";
  }
  // A refund the host asked for (its tag is its reason) is booked once,
  // whatever failed around it.
  std::map<std::string, int> tagged;
  for (const auto &step : steps)
    if (step.line.contains("tag")) tagged[step.line["tag"].get<std::string>()] = 0;
  for (const auto &e : store["effects"]) {
    const auto it = tagged.find(e["payload"].value("reason", ""));
    if (e["kind"] == "refund" && it != tagged.end()) ++it->second;
  }
  for (const auto &[tag, n] : tagged) {
    EXPECT_LE(n, 1) << h.where() << ": refund " << tag << " booked " << n << " times";
  }
  const StoreView view = view_of(h.s(), store);
  const auto ledger = ledger_of(h.host());
  const Tally exactly = check_effects_once(view, ledger, false);
  StreamRun run{h.fault(), exactly.summary() + "; " + check_events_once(view, replay, acked) + "; " +
                               check_inventory_once(view, ledger) + "; " + check_timers_once(view)};
  return run;
}

TEST(FaultInjection, TheCrashStreamWithAFaultAtASampleOfCallsKeepsEveryEventAndEffectOnce) {
  Replay replay(static_cast<int>(env_or("OC_FAULT_STREAM_ORDERS", 12)), "OC_FAULT_STREAM_KEEP");
  CleanRun clean;
  const StreamRun first = run_stream(replay, 0, nullptr, &clean);
  ASSERT_FALSE(::testing::Test::HasFailure()) << "the clean run";
  std::printf("crash stream: clean run: %s\n", first.summary.c_str());
  const auto seed = static_cast<unsigned>(env_or("OC_FAULT_SEED", 20261121));
  const long sample = env_or("OC_FAULT_SAMPLE", on_postgres() ? 10 : 30);
  const auto points = sweep(clean, false, sample, seed);
  std::printf("crash stream: seed=%u, %zu of %llu calls faulted%s\n", seed, points.size(),
              static_cast<unsigned long long>(clean.calls), full_sweep() ? " (all)" : "");
  FaultTally tally;
  for (const std::uint64_t n : points) {
    tally.add(run_stream(replay, n, &clean, nullptr).fault);
    if (::testing::Test::HasFatalFailure()) break;
  }
  tally.print("crash stream", clean.calls, clean.starts.size());
}

}  // namespace
}  // namespace ordercare::testing
