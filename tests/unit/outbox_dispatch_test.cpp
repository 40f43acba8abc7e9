// The outbox and its dispatcher (issue 4, point 4): effects written with the
// change that caused them under stable idempotency keys, effects.list as an
// operator sees it, per-order dispatch order, exponential backoff with
// jitter, giving up to a person, answers that are not answers, missing
// callbacks, the wake-up fd, the thread rules of oc_poll and of the
// plugin-thread mode, logs without PII, and lookup_order. Most tests drive
// the C++ plugin through the scenario harness; the thread rules are checked
// through the C ABI of libordercare.so, as a host meets them.
#include <poll.h>

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "common/failure.h"
#include "ordercare.h"
#include "support/scenario.h"
#include "support/temp_dir.h"

namespace ordercare::testing {
namespace {

const CustomerSpec kZelda("c-zelda", "Zelda Quixote", {}, "zelda.quixote@example.org", "+1 555 0199");
const std::string kSecretText = "My neighbour Xanthippe Voss signed for the parcel and it was smashed";

Json outbox_config(Json outbox) { return {{"outbox", std::move(outbox)}}; }

// An order delivered with a low-value wrong item, so that its return
// R-<order> is refunded at once (refund:R-<order>:1); then, unless
// `refund_only`, a complaint whose notices (to the customer and the
// warehouse) are queued after the refund on the same order.
void order_with_kept_return(Scenario &s, const std::string &order_id, const CustomerSpec &who = kZelda,
                            bool refund_only = false) {
  s.submit(s.order_created(order_id, who, OrderOptions().with_items({LineSpec("SKU-" + order_id, 1000)})));
  s.advance(kMinuteMs);
  s.submit(s.order_updated(order_id, "delivered"));
  s.advance(kMinuteMs);
  s.submit(s.return_requested(order_id, {ReturnLine("L1", "wrong_item")}, "R-" + order_id));
  s.advance(kMinuteMs);
  if (refund_only) return;
  s.submit(s.message(who, order_id, "email", "The other lamp in the parcel arrived broken"));
  s.advance(kMinuteMs);
}

bool readable(int fd, int timeout_ms) {
  pollfd p{fd, POLLIN, 0};
  return ::poll(&p, 1, timeout_ms) == 1 && (p.revents & POLLIN);
}

// Waits (bounded) until `done` holds; the bound only keeps a broken build
// from hanging, it is not a timing assertion.
template <class Predicate>
bool eventually(Predicate done) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (std::chrono::steady_clock::now() < deadline) {
    if (done()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  return done();
}

TimeMs next_attempt_of(const Json &effect) { return *parse_rfc3339(effect["next_attempt_at"].get<std::string>()); }

// --- Written with their cause, under stable keys ----------------------------

TEST(Outbox, EffectsAreWrittenWithTheEventThatCausedThem) {
  Scenario s;
  s.submit(s.order_created("A", kZelda, OrderOptions().with_items({LineSpec("SKU-A", 1000)})));
  s.submit(s.order_updated("A", "delivered"));
  const Json result = s.submit(s.return_requested("A", {ReturnLine("L1", "wrong_item")}, "R1"));
  ASSERT_FALSE(result["effects"].empty());
  const Json listed = s.effects();
  const auto listed_ids = ids_of(listed);
  const std::set<std::string> all(listed_ids.begin(), listed_ids.end());
  const std::string case_id = result["cases"][0];
  for (const auto &id : result["effects"]) {
    EXPECT_TRUE(all.count(id)) << id;
    const Json e = s.effect(id);
    EXPECT_EQ(e["status"], "pending");
    EXPECT_EQ(e["attempts"], 0);
    EXPECT_EQ(e["created_at"], format_rfc3339(s.now()));
    EXPECT_EQ(e["next_attempt_at"], format_rfc3339(s.now())) << "due at once";
    EXPECT_EQ(e["order_id"], "A");
    EXPECT_EQ(e["case_id"], case_id);
  }
  EXPECT_TRUE(contains(result["effects"], "refund:R1:1"));
  EXPECT_EQ(s.effect("refund:R1:1")["payload"]["refund_id"], "refund:R1:1") << "the key travels in the request";
}

TEST(Outbox, AnEventThatFailsLeavesNoEffect) {
  Scenario s;
  s.submit(s.order_created("A", kZelda, OrderOptions().with_items({LineSpec("SKU-A", 1000)})));
  s.submit(s.order_created("B", kZelda, OrderOptions().with_items({LineSpec("SKU-B", 1000)})));
  s.submit(s.return_requested("A", {ReturnLine("L1", "wrong_item")}, "R1"));
  const Json before = s.effects();
  const Json events_before = s.call("events.list", {{"limit", 1000}});
  // The same return id on another order: refused as a whole.
  const CallError e = s.submit_error(s.return_requested("B", {ReturnLine("L1", "wrong_item")}, "R1"));
  EXPECT_EQ(e.status, OC_ERR_SCHEMA) << e.message;
  EXPECT_NE(e.message.find("data.return_id"), std::string::npos) << e.message;
  EXPECT_EQ(s.effects(), before);
  EXPECT_EQ(s.call("events.list", {{"limit", 1000}}), events_before) << "the event is not kept either";
  EXPECT_EQ(s.get_return("R1")["order_id"], "A") << "the first return is untouched";
}

TEST(Outbox, KeysAreStableAcrossReplaysAndRestarts) {
  auto play = [](Scenario &s) {
    s.submit(s.order_created("A", kZelda, OrderOptions().with_items({LineSpec("SKU-A", 1000), LineSpec("SKU-B", 3000)})));
    s.advance(kMinuteMs);
    s.submit(s.message(kZelda, std::string("A"), "email", "Where is my order?"));
    s.advance(kMinuteMs);
    s.submit(s.message(kZelda, std::string("A"), "email", "And the vase arrived broken"));
    s.advance(kMinuteMs);
    s.submit(s.order_updated("A", "delivered"));
    s.submit(s.return_requested("A", {ReturnLine("L1", "wrong_item"), ReturnLine("L2", "changed_mind")}));
    s.advance(kMinuteMs);
    s.submit(s.inventory_discrepancy("SKU-B", "main", 5, 2));
  };
  Scenario first;
  play(first);
  Scenario second;
  play(second);
  const auto keys = ids_of(first.effects());
  EXPECT_GE(keys.size(), 4u);
  EXPECT_EQ(ids_of(second.effects()), keys) << "the same facts give the same keys";

  // The same events again are duplicates and queue nothing.
  Json events = first.call("events.list", {{"limit", 1000}})["events"];
  for (const auto &summary : events) {
    Json event = first.call("events.get", {{"id", summary["id"]}});
    event.erase("received_at");
    const Json result = first.submit(event);
    EXPECT_EQ(result["status"], "duplicate");
    EXPECT_TRUE(result["effects"].empty());
  }
  // And a restart keeps them.
  first.reopen();
  auto after_restart = ids_of(first.effects());
  after_restart.erase(std::remove_if(after_restart.begin(), after_restart.end(),
                                     [&](const std::string &id) {
                                       return std::find(keys.begin(), keys.end(), id) == keys.end();
                                     }),
                      after_restart.end());
  EXPECT_EQ(after_restart, keys);
}

// --- effects.list -----------------------------------------------------------

TEST(EffectsList, FiltersPagesAndShowsEveryStatus) {
  TestHost host;
  Json in_flight_seen;
  Scenario *scenario = nullptr;
  host.on("refund", [&](const HostRequest &request) {
    if (request.key == "refund:R-A:1") {
      // While the host holds it, the operator sees it in flight.
      in_flight_seen = scenario->call("effects.list", {{"status", "in_flight"}});
      return HostReply{OC_OUTCOME_REJECTED, {{"reason", "closed account"}}};
    }
    if (request.key == "refund:R-B:1") return HostReply{OC_OUTCOME_RETRY_LATER};
    return HostReply{};
  });
  host.without("adjust_inventory");
  Scenario s(host, outbox_config({{"base_backoff", "1m"}}));
  scenario = &s;
  order_with_kept_return(s, "A");
  order_with_kept_return(s, "B");
  order_with_kept_return(s, "C");
  const Json stock_event = s.inventory_discrepancy("SKU-Z", "main", 3, 1);
  s.submit(stock_event);
  s.poll_all();

  // Others claimed in the same poll are in flight with it.
  bool held = false;
  for (const auto &e : in_flight_seen["effects"]) {
    EXPECT_EQ(e["status"], "in_flight");
    EXPECT_TRUE(e["next_attempt_at"].is_null());
    if (e["id"] != "refund:R-A:1") continue;
    held = true;
    EXPECT_EQ(e["attempts"], 1) << "counted when claimed";
  }
  EXPECT_TRUE(held) << in_flight_seen;

  const Json failed = s.effect("refund:R-A:1");
  EXPECT_EQ(failed["status"], "failed");
  EXPECT_EQ(failed["attempts"], 1);
  EXPECT_EQ(failed["last_error"], "closed account");
  EXPECT_TRUE(failed["next_attempt_at"].is_null());
  const Json retrying = s.effect("refund:R-B:1");
  EXPECT_EQ(retrying["status"], "pending");
  EXPECT_EQ(retrying["attempts"], 1);
  EXPECT_GT(next_attempt_of(retrying), s.now());
  const Json done = s.effect("refund:R-C:1");
  EXPECT_EQ(done["status"], "done");
  EXPECT_EQ(done["attempts"], 1);
  const Json waiting = s.effect("inventory:" + stock_event["id"].get<std::string>());
  EXPECT_EQ(waiting["status"], "pending");
  EXPECT_EQ(waiting["attempts"], 0) << "no adjust_inventory callback: never tried";

  for (const char *status : {"pending", "in_flight", "done", "failed"}) {
    SCOPED_TRACE(status);
    for (const auto &e : s.effects({{"status", status}})) EXPECT_EQ(e["status"], status);
  }
  EXPECT_TRUE(s.effects({{"status", "in_flight"}}).empty()) << "nothing is held after the poll";
  EXPECT_EQ(ids_of(s.effects({{"status", "failed"}})), std::vector<std::string>{"refund:R-A:1"});
  for (const auto &e : s.effects({{"kind", "refund"}})) EXPECT_EQ(e["kind"], "refund");
  EXPECT_EQ(s.effects({{"kind", "refund"}}).size(), 3u);
  for (const auto &e : s.effects({{"order_id", "B"}})) EXPECT_EQ(e["order_id"], "B");
  EXPECT_FALSE(s.effects({{"order_id", "B"}}).empty());
  const std::string case_b = s.get_return("R-B")["case_id"];
  for (const auto &e : s.effects({{"case_id", case_b}})) EXPECT_EQ(e["case_id"], case_b);
  EXPECT_EQ(s.effects({{"status", "done"}, {"kind", "refund"}}).size(), 1u);

  // Paging: pages of two give every effect once, in the same order.
  const Json all = s.effects();
  Json paged = Json::array();
  Json args = {{"limit", 2}};
  int pages = 0;
  while (true) {
    const Json page = s.call("effects.list", args);
    ASSERT_LE(page["effects"].size(), 2u);
    for (const auto &e : page["effects"]) paged.push_back(e);
    ++pages;
    if (page["next_cursor"].is_null()) break;
    args["cursor"] = page["next_cursor"];
  }
  EXPECT_EQ(paged, all);
  EXPECT_GE(pages, 3);

  EXPECT_EQ(s.error("effects.list", {{"status", "sent"}}).status, OC_ERR_SCHEMA);
  EXPECT_EQ(s.error("effects.list", {{"colour", "red"}}).status, OC_ERR_SCHEMA);
  EXPECT_EQ(s.error("effects.list", {{"limit", 0}}).status, OC_ERR_SCHEMA);
}

// --- Dispatch order, backoff, giving up -------------------------------------

TEST(Dispatch, AnOrdersLaterEffectsWaitWhileAnEarlierOneRetriesOthersGoOn) {
  TestHost host;
  std::atomic<bool> a_down{true};
  auto answer = [&](const HostRequest &request) {
    if (a_down && request.body.value("order_id", "") == "A") return HostReply{OC_OUTCOME_RETRY_LATER};
    return HostReply{};
  };
  host.on("refund", answer).on("notify", answer);
  Scenario s(host, outbox_config({{"base_backoff", "1m"}, {"jitter", 0.0}}));
  order_with_kept_return(s, "A");
  order_with_kept_return(s, "B");
  const auto effects_a = ids_of(s.effects({{"order_id", "A"}}));
  ASSERT_GE(effects_a.size(), 2u);

  s.poll_all();
  std::vector<std::string> asked_a, asked_b;
  for (const auto &r : host.requests()) (r.body.value("order_id", "") == "A" ? asked_a : asked_b).push_back(r.key);
  EXPECT_EQ(asked_a, std::vector<std::string>{effects_a[0]}) << "only A's first effect was tried";
  // B's went out in the order they were decided (answers add more).
  EXPECT_EQ(asked_b, ids_of(s.effects({{"order_id", "B"}})));
  EXPECT_GE(asked_b.size(), 2u);
  for (std::size_t i = 1; i < effects_a.size(); ++i) EXPECT_EQ(s.effect(effects_a[i])["attempts"], 0);

  s.advance(kMinuteMs);
  a_down = false;
  host.forget();
  s.poll_all();
  std::vector<std::string> resumed;
  for (const auto &r : host.requests()) resumed.push_back(r.key);
  EXPECT_EQ(resumed, ids_of(s.effects({{"order_id", "A"}}))) << "A's effects in the order they were decided";
  ASSERT_FALSE(host.requests().empty());
  EXPECT_EQ(host.requests()[0].key, effects_a[0]);
  EXPECT_EQ(host.requests()[0].attempt, 2u);
}

TEST(Dispatch, BackoffDoublesUpToTheCapWithJitterWithinBounds) {
  TestHost host;
  host.on("refund", [](const HostRequest &) { return HostReply{OC_OUTCOME_RETRY_LATER}; });
  const TimeMs base = 10 * kSecondMs, cap = 40 * kSecondMs;
  const double jitter = 0.5;
  Scenario s(host, outbox_config({{"base_backoff", "10s"}, {"max_backoff", "40s"}, {"jitter", jitter}, {"max_attempts", 10}}));
  std::vector<std::string> orders;
  for (int i = 0; i < 8; ++i) orders.push_back("O" + std::to_string(i));
  for (const auto &id : orders) order_with_kept_return(s, id, kZelda, true);

  std::set<TimeMs> first_waits;
  for (std::int64_t attempt = 1; attempt <= 6; ++attempt) {
    SCOPED_TRACE("attempt " + std::to_string(attempt));
    s.poll_all();
    const TimeMs tried_at = s.now();
    const TimeMs wait = std::min(base << (attempt - 1), cap);
    TimeMs latest = 0;
    for (const auto &id : orders) {
      const Json e = s.effect("refund:R-" + id + ":1");
      ASSERT_EQ(e["status"], "pending");
      ASSERT_EQ(e["attempts"], attempt);
      const TimeMs next = next_attempt_of(e);
      EXPECT_GE(next, tried_at + wait);
      EXPECT_LE(next, tried_at + static_cast<TimeMs>(static_cast<double>(wait) * (1.0 + jitter)));
      if (attempt == 1) first_waits.insert(next - tried_at);
      latest = std::max(latest, next);
    }
    // Nothing is retried before it is due.
    s.set_now(tried_at + wait - 1);
    EXPECT_EQ(s.poll(), 0u);
    s.set_now(latest);
  }
  EXPECT_GT(first_waits.size(), 1u) << "jitter spreads the retries of many effects";
}

TEST(Dispatch, GivesUpAfterMaxAttemptsAndAsksAPerson) {
  TestHost host;
  host.on("refund", [](const HostRequest &) { return HostReply{OC_OUTCOME_RETRY_LATER}; });
  host.on("notify", [](const HostRequest &request) {
    return request.body.value("template", "") == "team_escalation" ? HostReply{} : HostReply{OC_OUTCOME_RETRY_LATER};
  });
  Scenario s(host, outbox_config({{"base_backoff", "1s"}, {"max_backoff", "1s"}, {"jitter", 0.0}, {"max_attempts", 3}}));
  order_with_kept_return(s, "A");
  const std::string case_id = s.get_return("R-A")["case_id"];
  for (int i = 0; i < 40; ++i) {
    s.poll_all();
    s.advance(kMinuteMs);
  }
  const Json refund = s.effect("refund:R-A:1");
  EXPECT_EQ(refund["status"], "failed");
  EXPECT_EQ(refund["attempts"], 3);
  EXPECT_NE(refund["last_error"].get<std::string>().find("gave up after 3 attempts"), std::string::npos)
      << refund["last_error"];
  std::size_t refund_tries = host.requests("refund").size();
  EXPECT_EQ(refund_tries, 3u);
  const Json r = s.get_return("R-A");
  EXPECT_EQ(r["refunds"][0]["status"], "failed") << "the amount is released";
  const Json c = s.get_case(case_id);
  EXPECT_EQ(c["status"], "escalated");
  std::set<std::string> to;
  for (const auto &e : c["escalations"]) to.insert(e["to"]);
  EXPECT_TRUE(to.count("finance")) << c["escalations"];
  // The other notices gave up too: a manager hears of it.
  for (const auto &e : s.effects({{"kind", "notify"}})) {
    if (e["payload"].value("template", "") == "team_escalation") continue;
    EXPECT_EQ(e["status"], "failed") << e["id"];
  }
  // ... on the complaint's case.
  std::set<std::string> everyone;
  for (const auto &row : s.escalations()) everyone.insert(row.value("action_taken", ""));
  EXPECT_TRUE(everyone.count("Escalated to cs_manager by system")) << Json(everyone);
  s.advance(kDayMs);
  s.poll_all();
  EXPECT_EQ(host.requests("refund").size(), refund_tries) << "a failed effect is never tried again";
}

TEST(Dispatch, AnAnswerThatIsNotAnOutcomeIsRetriedWithAMessage) {
  TestHost host;
  host.on("refund", [](const HostRequest &) { return HostReply{42}; });
  host.on("notify", [](const HostRequest &request) {
    return request.body.value("order_id", "") == "B" ? HostReply{-1} : HostReply{};
  });
  Scenario s(host, outbox_config({{"base_backoff", "1m"}}));
  order_with_kept_return(s, "A", kZelda, true);
  s.submit(s.order_created("B", kZelda));
  s.submit(s.message(kZelda, std::string("B"), "email", "The lamp arrived broken"));
  s.poll_all();
  const Json refund = s.effect("refund:R-A:1");
  EXPECT_EQ(refund["status"], "pending");
  EXPECT_EQ(refund["attempts"], 1);
  EXPECT_EQ(refund["last_error"], "the refund callback answered 42, not an oc_outcome");
  EXPECT_EQ(s.get_return("R-A")["refunds"][0]["status"], "requested") << "not taken for done";
  bool notify_seen = false;
  for (const auto &e : s.effects({{"kind", "notify"}, {"order_id", "B"}}))
    if (e["attempts"] == 1) {
      notify_seen = true;
      EXPECT_EQ(e["last_error"], "the notify callback answered -1, not an oc_outcome");
    }
  EXPECT_TRUE(notify_seen);
}

TEST(Dispatch, AKindWithoutACallbackWaitsWithoutBlockingOtherKinds) {
  TestHost host;
  host.without("refund");
  Scenario s(host);
  order_with_kept_return(s, "A");
  s.poll_all();
  EXPECT_TRUE(host.requests("refund").empty());
  const Json refund = s.effect("refund:R-A:1");
  EXPECT_EQ(refund["status"], "pending");
  EXPECT_EQ(refund["attempts"], 0) << "never claimed";
  // The order's other effects, queued after the refund, went out all the same.
  const Json notices = s.effects({{"order_id", "A"}, {"kind", "notify"}});
  ASSERT_FALSE(notices.empty());
  for (const auto &e : notices) EXPECT_EQ(e["status"], "done") << e["id"];
  // A host that can refund opens the store: the refund goes out.
  host.on("refund", [](const HostRequest &) { return HostReply{}; });
  s.reopen();
  s.poll_all();
  ASSERT_EQ(host.requests("refund").size(), 1u);
  EXPECT_EQ(host.requests("refund")[0].key, "refund:R-A:1");
  EXPECT_EQ(host.requests("refund")[0].attempt, 1u);
  EXPECT_EQ(s.get_return("R-A")["status"], "closed");
}

// --- The wake-up fd and oc_poll -------------------------------------------------

// The plugin thread signals the fd from a timer armed by each commit; the
// harness's wakeup_signalled() lets those signals land before it looks.
TEST(Wakeup, ReadableWhenEffectsAreDueAndClearedByPoll) {
  TestHost host;
  Scenario s(host);
  const int fd = s.wakeup_fd();
  ASSERT_GE(fd, 0);
  s.call("effects.list");  // the look for effects left from an earlier run
  EXPECT_EQ(s.poll(), 0u);
  EXPECT_FALSE(s.wakeup_signalled()) << "nothing due";
  s.submit(s.order_created("B", kZelda));
  s.submit(s.message(kZelda, std::string("B"), "email", "Where is my parcel?"));
  EXPECT_TRUE(s.wakeup_signalled()) << "effects are due";
  EXPECT_TRUE(readable(fd, 0)) << "and it stays readable until the host polls";
  std::uint32_t ran = 0;
  for (int i = 0; i < 20 && readable(fd, 0); ++i) {
    ran += s.poll();
    s.wakeup_signalled();
  }
  EXPECT_GT(ran, 0u);
  EXPECT_FALSE(readable(fd, 0)) << "oc_poll cleared it";
  EXPECT_TRUE(s.effects({{"status", "pending"}}).empty()) << "following the fd alone, every effect went out";
  EXPECT_EQ(s.poll(), 0u);
}

// An order's effects go out one after the other: the next is due only once
// the one before it was answered. A poll with a budget of one leaves the
// rest due and the fd readable; a poll with room runs the chain to its end,
// answer by answer, in the order the effects were queued.
TEST(Wakeup, AnAnswerThatFreesTheNextEffectOfAnOrderWakesTheHost) {
  TestHost host;
  Scenario s(host);
  order_with_kept_return(s, "A", kZelda, true);
  s.call("effects.list");
  const Json queued = s.effects({{"order_id", "A"}});
  ASSERT_GE(queued.size(), 2u);
  EXPECT_EQ(s.poll(1), 1u);
  EXPECT_TRUE(s.wakeup_signalled()) << "the host must hear that the next one is due";
  ASSERT_EQ(host.requests().size(), 1u);
  EXPECT_EQ(host.requests()[0].key, queued[0]["id"]);

  EXPECT_GE(s.poll(), 1u) << "room for more: the rest of the chain in this poll";
  EXPECT_TRUE(s.effects({{"order_id", "A"}, {"status", "pending"}}).empty());
  const auto asked = host.requests();
  ASSERT_GE(asked.size(), queued.size());
  for (std::size_t i = 0; i < queued.size(); ++i) EXPECT_EQ(asked[i].key, queued[i]["id"]) << "in queue order";
  EXPECT_EQ(s.poll(), 0u) << "nothing left due";
}

TEST(Wakeup, ANoticeThatCannotBeRenderedWakesTheHostForTheNextEffect) {
  TestHost host;
  // The operator's label notice names a value nothing fills.
  const Json templates = {{"return_approved", {{"body", {{"en", "Label: {{return.label_url}} {{return.gift_note}}"}}}}}};
  Scenario s(host, {{"templates", templates}});
  s.submit(s.order_created("A", kZelda, OrderOptions().with_items({LineSpec("SKU-A", 4000)})));
  s.submit(s.order_updated("A", "delivered"));
  s.submit(s.return_requested("A", {ReturnLine("L1", "changed_mind")}, "R1"));
  s.poll_all();
  host.forget();
  // The customer's notice has nothing to show for gift_note and fails
  // before it is sent; the refund queued after it must still go.
  s.call("return.issue_label", {{"id", "R1"}, {"label", "https://labels.example/R1.pdf"}});
  s.call("return.receive", {{"id", "R1"}, {"items", Json::array({{{"line_id", "L1"}, {"quantity", 1}, {"condition", "resellable"}}})}});
  s.call("return.inspect", {{"id", "R1"}});
  EXPECT_EQ(s.poll(), 0u) << "the notice failed; nothing was sent";
  EXPECT_TRUE(s.wakeup_signalled());
  s.poll_all();
  EXPECT_EQ(host.requests("refund").size(), 1u);
  EXPECT_EQ(s.get_return("R1")["status"], "closed");
}

// --- Through the C ABI ------------------------------------------------------------

// A C host over libordercare.so: every effect callback answers DONE and
// records where it ran; the log callback records where it ran and whether
// the host was inside oc_poll.
struct AbiHost {
  oc_plugin *plugin = nullptr;
  std::mutex mutex;
  std::vector<std::string> keys;
  std::vector<std::thread::id> callback_threads;
  std::vector<std::thread::id> log_threads;
  std::vector<std::string> log_lines;
  bool logged_outside_poll = false;
  std::atomic<bool> in_poll{false};
  oc_status poll_inside = OC_OK;
  oc_status close_inside = OC_OK;
  bool try_reentry = false;
  std::int32_t refund_outcome = OC_OUTCOME_DONE;
  std::atomic<TimeMs> now{kScenarioStart};

  static AbiHost &of(void *user_data) { return *static_cast<AbiHost *>(user_data); }

  static std::int32_t effect(void *user_data, const oc_request *request, oc_reply *, std::int32_t outcome) {
    AbiHost &h = of(user_data);
    std::lock_guard<std::mutex> lock(h.mutex);
    h.keys.push_back(request->idempotency_key);
    h.callback_threads.push_back(std::this_thread::get_id());
    if (h.try_reentry) {
      std::uint32_t ran = 0;
      h.poll_inside = oc_poll(h.plugin, 1, &ran);
      h.close_inside = oc_close(h.plugin);
      h.try_reentry = false;
    }
    return outcome;
  }
  static std::int32_t refund(void *u, const oc_request *r, oc_reply *reply) {
    if (of(u).refund_outcome == OC_OUTCOME_REJECTED) oc_reply_set(reply, "{\"reason\":\"no\"}", 15);
    return effect(u, r, reply, of(u).refund_outcome);
  }
  static std::int32_t other(void *u, const oc_request *r, oc_reply *reply) { return effect(u, r, reply, OC_OUTCOME_DONE); }
  static void log(void *u, std::int32_t, const char *message, std::size_t len) {
    AbiHost &h = of(u);
    std::lock_guard<std::mutex> lock(h.mutex);
    h.log_threads.push_back(std::this_thread::get_id());
    h.log_lines.emplace_back(message, len);
    if (!h.in_poll) h.logged_outside_poll = true;
  }
  static std::int64_t clock(void *u) { return of(u).now.load(); }

  oc_host table() {
    oc_host host{};
    host.struct_size = sizeof host;
    host.user_data = this;
    host.refund = &AbiHost::refund;
    host.adjust_inventory = &AbiHost::other;
    host.notify = &AbiHost::other;
    host.lookup_order = &AbiHost::other;
    host.log = &AbiHost::log;
    host.now_ms = &AbiHost::clock;
    return host;
  }

  std::size_t callbacks() {
    std::lock_guard<std::mutex> lock(mutex);
    return keys.size();
  }
};

struct AbiPlugin {
  TempDir dir;
  AbiHost host;

  oc_status open(std::uint32_t flags) {
    const Json config = {{"store", {{"path", dir.file("abi.db")}, {"durability", "normal"}}}};
    const std::string text = dump_json(config);
    oc_options options{};
    options.struct_size = sizeof options;
    options.flags = flags;
    options.config_json = text.c_str();
    options.config_len = text.size();
    const oc_host table = host.table();
    return oc_open(&options, &table, &host.plugin);
  }
  ~AbiPlugin() {
    if (host.plugin) oc_close(host.plugin);
  }

  oc_status submit(const Json &event) {
    const std::string text = dump_json(event);
    oc_buffer *result = nullptr;
    const oc_status status = oc_submit(host.plugin, text.data(), text.size(), &result);
    oc_buffer_free(result);
    return status;
  }
  Json call(const char *method, const Json &args) {
    const std::string text = dump_json(args);
    oc_buffer *result = nullptr;
    const oc_status status = oc_call(host.plugin, method, text.data(), text.size(), &result);
    EXPECT_EQ(status, OC_OK) << method << ": " << oc_last_error();
    Json out = status == OC_OK ? parse_json(oc_buffer_data(result), "result") : Json();
    oc_buffer_free(result);
    return out;
  }
  oc_status poll(std::uint32_t *ran = nullptr) {
    host.in_poll = true;
    const oc_status status = oc_poll(host.plugin, 64, ran);
    host.in_poll = false;
    return status;
  }
  // Events for one order with a refund due at once, made with the
  // scenario's builders (which stamp ids and times only).
  void order_with_refund(const std::string &order_id) {
    Scenario builder;
    builder.set_now(host.now.load());
    auto stamp = [&](Json event) {
      event["id"] = order_id + "-" + event["id"].get<std::string>();
      return event;
    };
    ASSERT_EQ(submit(stamp(builder.order_created(order_id, kZelda, OrderOptions().with_items({LineSpec("SKU-" + order_id, 1000)})))), OC_OK)
        << oc_last_error();
    ASSERT_EQ(submit(stamp(builder.order_updated(order_id, "delivered"))), OC_OK) << oc_last_error();
    ASSERT_EQ(submit(stamp(builder.return_requested(order_id, {ReturnLine("L1", "wrong_item")}, "R-" + order_id))), OC_OK)
        << oc_last_error();
  }
};

TEST(AbiDispatch, PollFromInsideACallbackIsAThreadError) {
  AbiPlugin p;
  ASSERT_EQ(p.open(0), OC_OK) << oc_last_error();
  p.order_with_refund("A");
  p.host.try_reentry = true;
  std::uint32_t ran = 0;
  ASSERT_EQ(p.poll(&ran), OC_OK) << oc_last_error();
  EXPECT_GT(ran, 0u);
  EXPECT_EQ(p.host.poll_inside, OC_ERR_THREAD);
  EXPECT_EQ(p.host.close_inside, OC_ERR_THREAD) << "and the handle stays open";
  for (int i = 0; i < 20 && ran > 0; ++i)
    ASSERT_EQ(p.poll(&ran), OC_OK) << "the plugin is still usable: " << oc_last_error();
  const Json effects = p.call("effects.list", {{"status", "pending"}});
  EXPECT_TRUE(effects["effects"].empty()) << effects;
}

TEST(AbiDispatch, DefaultModeRunsCallbacksAndLogsOnlyInsidePollOnThePollingThread) {
  AbiPlugin p;
  p.host.refund_outcome = OC_OUTCOME_REJECTED;  // the plugin logs a warning
  ASSERT_EQ(p.open(0), OC_OK) << oc_last_error();
  p.order_with_refund("A");
  std::this_thread::sleep_for(std::chrono::milliseconds(20));
  EXPECT_EQ(p.host.callbacks(), 0u) << "nothing runs until the host polls";
  while (true) {
    std::uint32_t ran = 0;
    ASSERT_EQ(p.poll(&ran), OC_OK);
    if (ran == 0) break;
  }
  std::lock_guard<std::mutex> lock(p.host.mutex);
  ASSERT_FALSE(p.host.keys.empty());
  for (const auto &t : p.host.callback_threads) EXPECT_EQ(t, std::this_thread::get_id());
  ASSERT_FALSE(p.host.log_lines.empty()) << "the rejected refund is logged";
  for (const auto &t : p.host.log_threads) EXPECT_EQ(t, std::this_thread::get_id());
  EXPECT_FALSE(p.host.logged_outside_poll);
}

TEST(AbiDispatch, PluginThreadModeDeliversOnTheDotWithoutPoll) {
  AbiPlugin p;
  ASSERT_EQ(p.open(OC_OPEN_CALLBACKS_ON_PLUGIN_THREAD), OC_OK) << oc_last_error();
  p.order_with_refund("A");
  p.order_with_refund("B");
  EXPECT_TRUE(eventually([&] {
    return p.call("effects.list", {{"status", "pending"}})["effects"].empty() &&
           p.call("effects.list", {{"status", "in_flight"}})["effects"].empty();
  })) << "every effect done without oc_poll";
  std::lock_guard<std::mutex> lock(p.host.mutex);
  ASSERT_FALSE(p.host.keys.empty());
  EXPECT_TRUE(std::find(p.host.keys.begin(), p.host.keys.end(), "refund:R-A:1") != p.host.keys.end());
  for (const auto &t : p.host.callback_threads) EXPECT_NE(t, std::this_thread::get_id());
}

TEST(AbiDispatch, PluginThreadModeThroughTheHarness) {
  TestHost host;
  Scenario s(host, Json::object(), kScenarioStart, OC_OPEN_CALLBACKS_ON_PLUGIN_THREAD);
  order_with_kept_return(s, "A");
  EXPECT_TRUE(eventually([&] { return s.effect("refund:R-A:1")["status"] == "done"; }));
  EXPECT_TRUE(eventually([&] { return s.get_return("R-A")["status"] == "closed"; }));
  for (const auto &r : host.requests()) EXPECT_NE(r.thread, std::this_thread::get_id());
}

// --- Logs without PII ------------------------------------------------------------

TEST(Logs, NoCustomerDataInAnyLogLineOrTeamNotice) {
  TestHost host;
  int lookups = 0;
  host.on("refund", [](const HostRequest &request) {
    return request.attempt < 2 ? HostReply{7} : HostReply{OC_OUTCOME_REJECTED, {{"reason", "insufficient funds"}}};
  });
  host.on("lookup_order", [&](const HostRequest &) {
    ++lookups;
    // A wrong order carrying the customer's data: refused, and logged.
    return HostReply{OC_OUTCOME_DONE,
                     {{"id", "OTHER"}, {"placed_at", "2026-11-19T10:00:00Z"}, {"currency", "USD"}, {"total", 100},
                      {"channel", "web"}, {"customer", {{"id", "c-zelda"}, {"name", "Zelda Quixote"}, {"email", "zelda.quixote@example.org"}}},
                      {"items", Json::array({{{"line_id", "L1"}, {"sku", "S"}, {"quantity", 1}, {"unit_price", 100}}})}}};
  });
  host.on("notify", [](const HostRequest &request) {
    return request.body.value("audience", "") == "team" ? HostReply{} : HostReply{OC_OUTCOME_RETRY_LATER};
  });
  Scenario s(host, outbox_config({{"base_backoff", "1s"}, {"max_backoff", "1s"}, {"max_attempts", 2}}));
  order_with_kept_return(s, "A");
  s.submit(s.message(kZelda, std::string("A"), "email", kSecretText));
  s.submit(s.message(kZelda, std::string("A"), "social", "Zelda Quixote here (zelda.quixote@example.org): I will sue you"));
  s.submit(s.return_requested("GHOST", {ReturnLine("L1", "damaged", 1, kSecretText)}));
  for (int i = 0; i < 5; ++i) {
    s.poll_all();
    s.advance(kMinuteMs);
  }
  EXPECT_GT(lookups, 0);
  const auto logs = host.logs();
  ASSERT_FALSE(logs.empty()) << "the failures were logged";
  // (A red flag's evidence names the phrase as configured, "sue you":
  // policy vocabulary, not the customer's words.)
  const std::vector<std::string> pii = {"Zelda", "Quixote", "zelda.quixote@example.org", "555 0199", "Xanthippe",
                                        "neighbour", "smashed", "Voss"};
  for (const auto &line : logs) {
    EXPECT_EQ(line.thread, std::this_thread::get_id()) << "logs reach the host inside oc_poll";
    for (const auto &word : pii) EXPECT_EQ(line.message.find(word), std::string::npos) << line.message;
  }
  bool team_notice = false;
  for (const auto &request : host.requests("notify")) {
    if (request.body.value("audience", "") != "team") continue;
    team_notice = true;
    const std::string body = dump_json(request.body);
    for (const auto &word : pii) EXPECT_EQ(body.find(word), std::string::npos) << body;
  }
  EXPECT_TRUE(team_notice);
}

// --- lookup_order ------------------------------------------------------------------

Json order_object(const std::string &id) {
  return {{"id", id},
          {"placed_at", "2026-11-19T10:00:00Z"},
          {"currency", "USD"},
          {"total", 4000},
          {"channel", "web"},
          {"customer", {{"id", "c-ghost"}}},
          {"items", Json::array({{{"line_id", "L1"}, {"sku", "SKU-G"}, {"quantity", 1}, {"unit_price", 4000}}})}};
}

TEST(LookupOrder, TheHostsAnswerReleasesTheEventsParkedOnTheOrder) {
  TestHost host;
  host.on("lookup_order", [](const HostRequest &request) {
    return HostReply{OC_OUTCOME_DONE, order_object(request.body["order_id"])};
  });
  Scenario s(host);
  s.submit(s.return_requested("GHOST", {ReturnLine("L1", "damaged")}, "R1"));
  EXPECT_EQ(s.error("return.get", {{"id", "R1"}}).status, OC_ERR_NOT_FOUND);
  s.poll_all();
  ASSERT_EQ(host.requests("lookup_order").size(), 1u);
  EXPECT_EQ(host.requests("lookup_order")[0].key, "lookup_order:GHOST");
  EXPECT_EQ(s.effect("lookup_order:GHOST")["status"], "done");
  const Json r = s.get_return("R1");
  EXPECT_EQ(r["order_id"], "GHOST");
  EXPECT_EQ(r["status"], "approved");
  EXPECT_FALSE(s.cases_of_order("GHOST").empty());
  const Json learned = s.call("events.get", {{"id", "lookup:GHOST"}});
  EXPECT_EQ(learned["source"], "host");
}

TEST(LookupOrder, AnAnswerWithAnotherOrderIsRefused) {
  TestHost host;
  host.on("lookup_order", [](const HostRequest &) { return HostReply{OC_OUTCOME_DONE, order_object("OTHER")}; });
  Scenario s(host, outbox_config({{"base_backoff", "1m"}, {"max_attempts", 3}}));
  s.submit(s.return_requested("GHOST", {ReturnLine("L1", "damaged")}, "R1"));
  s.poll_all();
  Json lookup = s.effect("lookup_order:GHOST");
  EXPECT_EQ(lookup["status"], "pending") << "not done";
  EXPECT_NE(lookup["last_error"].get<std::string>().find("different order"), std::string::npos) << lookup;
  EXPECT_EQ(s.error("return.get", {{"id", "R1"}}).status, OC_ERR_NOT_FOUND);
  EXPECT_TRUE(s.cases_of_order("OTHER").empty()) << "the wrong order is not believed";
  EXPECT_EQ(s.error("events.get", {{"id", "lookup:OTHER"}}).status, OC_ERR_NOT_FOUND);
  // A host that keeps answering wrongly is given up on like any other.
  for (int i = 0; i < 5; ++i) {
    s.advance(kHourMs);
    s.poll_all();
  }
  lookup = s.effect("lookup_order:GHOST");
  EXPECT_EQ(lookup["status"], "failed") << lookup;
  EXPECT_EQ(host.requests("lookup_order").size(), 3u);
}

// --- Concurrency ------------------------------------------------------------------

TEST(Concurrency, RefundsFromManyThreadsNeverExceedWhatWasPaid) {
  TestHost host;
  Scenario s(host);
  s.submit(s.order_created("A", kZelda, OrderOptions().with_items({LineSpec("SKU-A", 25000)})));
  std::atomic<int> accepted{0}, refused{0}, other{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t)
    threads.emplace_back([&, t] {
      for (int i = 0; i < 10; ++i) {
        try {
          s.call("order.refund", {{"order_id", "A"}, {"amount", 1000}, {"reason", "t" + std::to_string(t)}});
          ++accepted;
        } catch (const Failure &f) {
          (f.status() == OC_ERR_REFUSED ? refused : other)++;
        }
      }
    });
  // Dispatch runs alongside.
  for (int i = 0; i < 20; ++i) s.poll();
  for (auto &t : threads) t.join();
  s.poll_all();
  EXPECT_EQ(accepted, 25);
  EXPECT_EQ(refused, 15);
  EXPECT_EQ(other, 0);
  std::set<std::string> keys;
  std::int64_t sent = 0;
  for (const auto &r : host.requests("refund"))
    if (keys.insert(r.key).second) sent += r.body["amount"]["amount"].get<std::int64_t>();
  EXPECT_EQ(sent, 25000);
  EXPECT_EQ(keys.size(), 25u);
}

}  // namespace
}  // namespace ordercare::testing
