// The PostgreSQL store where it differs from SQLite (issue 9, point 4): the
// config that chooses it, a server that cannot be reached at open (the
// message names host and port, never the password), a server that goes
// away mid-stream and comes back (OC_ERR_BUSY while it is down, nothing
// acknowledged that was not committed, nothing lost or doubled after), and
// two schemas of one database that know nothing of each other. Each test
// starts its own server where it takes it away; the rest of the suite runs
// on PostgreSQL as "pg.*" (support/test_store.h).
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <chrono>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <thread>

#include "common/failure.h"
#include "runtime/config.h"
#include "runtime/plugin.h"
#include "support/pg_server.h"
#include "support/scenario.h"
#include "support/test_store.h"

namespace ordercare::testing {
namespace {

const CustomerSpec kAda("c-ada", "Ada Byron", {}, "ada@example.org");

int free_port() {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ::bind(fd, reinterpret_cast<sockaddr *>(&addr), sizeof addr);
  socklen_t length = sizeof addr;
  ::getsockname(fd, reinterpret_cast<sockaddr *>(&addr), &length);
  ::close(fd);
  return ntohs(addr.sin_port);
}

Json postgres_store(const std::string &url, const std::string &schema) {
  return {{"engine", "postgres"}, {"url", url}, {"schema", schema}};
}

// What opening with exactly this config reports (no test harness filling
// anything in): the status and message.
CallError open_error(const Json &config) {
  try {
    runtime::Plugin plugin(runtime::parse_config(dump_json(config)), nullptr, 0);
    return {};
  } catch (const Failure &f) {
    return {f.status(), f.what()};
  }
}

TEST(PgStore, AServerThatCannotBeReachedFailsTheOpenNamingHostAndPortNeverThePassword) {
  const int port = free_port();
  const std::string url = "postgresql://oc_user:s3cret-Passw0rd@127.0.0.1:" + std::to_string(port) + "/shop";
  const CallError e = open_error({{"store", postgres_store(url, "unreachable")}, {"crypto", {{"master_key", kTestMasterKey}}}});
  EXPECT_EQ(e.status, OC_ERR_STORE) << e.message;
  EXPECT_NE(e.message.find("127.0.0.1:" + std::to_string(port) + "/shop"), std::string::npos) << e.message;
  EXPECT_EQ(e.message.find("s3cret"), std::string::npos) << e.message;
  // The same, the URL given through the environment.
  ::setenv("OC_TEST_STORE_URL", url.c_str(), 1);
  const CallError from_env =
      open_error({{"store", {{"engine", "postgres"}, {"url_env", "OC_TEST_STORE_URL"}, {"schema", "unreachable"}}},
                  {"crypto", {{"master_key", kTestMasterKey}}}});
  ::unsetenv("OC_TEST_STORE_URL");
  EXPECT_EQ(from_env.status, OC_ERR_STORE) << from_env.message;
  EXPECT_EQ(from_env.message.find("s3cret"), std::string::npos) << from_env.message;
}

TEST(PgStore, TheConfigThatChoosesItIsCheckedFieldByField) {
  const std::string url = "postgresql://ordercare@127.0.0.1:1/db";
  struct Case {
    Json store;
    Json crypto;
    std::string names;
  };
  const std::vector<Case> cases = {
      {{{"engine", "postgres"}}, nullptr, "store.url"},
      {{{"engine", "postgres"}, {"url_env", "OC_TEST_UNSET_VARIABLE"}}, nullptr, "OC_TEST_UNSET_VARIABLE"},
      {{{"engine", "postgres"}, {"url", url}, {"url_env", "X"}}, nullptr, "store.url_env"},
      {{{"engine", "postgres"}, {"url", url}, {"schema", "Bad-Name"}}, nullptr, "store.schema"},
      {{{"engine", "postgres"}, {"url", url}, {"schema", "1st"}}, nullptr, "store.schema"},
      {{{"engine", "sqlite"}, {"url", url}}, nullptr, "store.url"},
      {{{"engine", "mysql"}}, nullptr, "store.engine"},
      {{{"engine", "postgres"}, {"url", "postgresql://%zz@/"}}, nullptr, "store.url"},
      {{{"wake_interval", "0s"}}, nullptr, "store.wake_interval"},
  };
  for (const auto &c : cases) {
    Json config = {{"store", c.store}};
    const CallError e = open_error(config);
    EXPECT_EQ(e.status, OC_ERR_CONFIG) << c.store.dump() << ": " << e.message;
    EXPECT_NE(e.message.find(c.names), std::string::npos) << c.store.dump() << ": " << e.message;
  }
}

TEST(PgStore, APostgresStoreNeedsTheMasterKeyEveryNodeShares) {
  const std::string url = test_pg_url();
  if (url.empty()) GTEST_SKIP() << "needs the shared server (run under ctest)";
  const CallError e = open_error({{"store", postgres_store(url, unique_pg_schema("nokey"))}});
  EXPECT_EQ(e.status, OC_ERR_CONFIG) << e.message;
  EXPECT_NE(e.message.find("master key"), std::string::npos) << e.message;
}

TEST(PgStore, TwoSchemasOfOneDatabaseAreTwoStores) {
  const std::string url = test_pg_url();
  if (url.empty()) GTEST_SKIP() << "needs the shared server (run under ctest)";
  Scenario a(Json{{"store", postgres_store(url, unique_pg_schema("shop_a"))}});
  Scenario b(Json{{"store", postgres_store(url, unique_pg_schema("shop_b"))}});
  const Json event = a.order_created("A", kAda);
  EXPECT_EQ(a.submit(event)["status"], "accepted");
  EXPECT_EQ(b.submit(event)["status"], "accepted") << "the same id in another store";
  EXPECT_EQ(b.error("order.get", {{"id", "B"}}).status, OC_ERR_NOT_FOUND);
  a.submit(a.order_created("B", kAda));
  EXPECT_EQ(b.error("order.get", {{"id", "B"}}).status, OC_ERR_NOT_FOUND);
}

// A submit that may fail: its result, or the failure.
struct Attempt {
  Json result;
  CallError error;
};
Attempt attempt(Scenario &s, const Json &event) {
  try {
    return {s.plugin().submit(dump_json(event)), {}};
  } catch (const Failure &f) {
    return {Json(), {f.status(), f.what()}};
  }
}

// Submits until the store answers (bounded): the host's retry on OC_ERR_BUSY.
Json submit_when_back(Scenario &s, const Json &event, int &busy_answers) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  for (;;) {
    const Attempt a = attempt(s, event);
    if (a.error.status == OC_OK) return a.result;
    if (a.error.status != OC_ERR_BUSY || std::chrono::steady_clock::now() > deadline) {
      ADD_FAILURE() << "submit: " << a.error.status << ": " << a.error.message;
      return Json();
    }
    ++busy_answers;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
}

TEST(PgStore, AServerThatGoesAwayIsBusyWhileDownAndNothingIsLostOrDoubledWhenItIsBack) {
  auto pg = PgServer::start({});
  TestHost host;
  Scenario s(host, {{"store", postgres_store(pg->url(), "restart")}});
  std::set<std::string> acknowledged;
  int next = 0;
  auto order = [&] { return "R" + std::to_string(next++); };
  for (int i = 0; i < 5; ++i) {
    const Json e = s.order_created(order(), kAda);
    s.submit(e);
    acknowledged.insert(e["id"]);
  }
  s.poll_all();

  pg->stop_now();
  const Json while_down = s.order_created(order(), kAda);
  const CallError down = attempt(s, while_down).error;
  EXPECT_EQ(down.status, OC_ERR_BUSY) << down.message;
  EXPECT_NE(down.message.find("unreachable"), std::string::npos) << down.message;
  EXPECT_NE(down.message.find("127.0.0.1:" + std::to_string(pg->port())), std::string::npos) << down.message;
  const CallError call_down = s.error("cases.list");
  EXPECT_EQ(call_down.status, OC_ERR_BUSY) << call_down.message;
  // A poll is refused the same way; the host polls again later.
  try {
    s.poll();
    ADD_FAILURE() << "oc_poll worked with the server down";
  } catch (const Failure &f) {
    EXPECT_EQ(f.status(), OC_ERR_BUSY) << f.what();
  }

  pg->start_again();
  int busy_answers = 0;
  // The delivery the host was refused comes again, and more after it.
  EXPECT_EQ(submit_when_back(s, while_down, busy_answers)["status"], "accepted") << "refused, so not stored";
  acknowledged.insert(while_down["id"]);
  for (int i = 0; i < 5; ++i) {
    const Json e = s.order_created(order(), kAda);
    submit_when_back(s, e, busy_answers);
    acknowledged.insert(e["id"]);
  }
  s.poll_all();
  std::set<std::string> stored;
  const Json listed = s.call("events.list", {{"limit", 1000}});
  for (const auto &e : listed["events"]) stored.insert(e["id"]);
  EXPECT_EQ(stored, acknowledged) << "every acknowledged event, once; the refused one once it was accepted";
  for (const auto &e : s.effects()) EXPECT_EQ(e["status"], "done") << e["id"];
  std::map<std::string, int> delivered;
  for (const auto &r : host.requests()) ++delivered[r.kind + " " + r.key];
  for (const auto &[key, times] : delivered) EXPECT_EQ(times, 1) << key;
  std::printf("pg restart: %d busy answers while the server came back\n", busy_answers);
}

TEST(PgStore, AServerLostInsideABatchAcknowledgesNothingOfIt) {
  auto pg = PgServer::start({});
  Scenario s(Json{{"store", postgres_store(pg->url(), "midbatch")}});
  s.submit(s.order_created("A", kAda));
  // Many events in flight from several threads while the server stops:
  // whatever was acknowledged is there afterwards; whatever was refused is
  // either absent or, when the commit went through unseen, stored once.
  std::vector<Json> events;
  for (int i = 0; i < 200; ++i) events.push_back(s.message(kAda, "A", "email", "Any news? " + std::to_string(i)));
  std::mutex mutex;
  std::set<std::string> acknowledged;
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t)
    threads.emplace_back([&, t] {
      for (std::size_t i = static_cast<std::size_t>(t); i < events.size(); i += 4) {
        const CallError e = attempt(s, events[i]).error;
        if (e.status == OC_OK) {
          std::lock_guard<std::mutex> lock(mutex);
          acknowledged.insert(events[i]["id"]);
        } else {
          EXPECT_EQ(e.status, OC_ERR_BUSY) << e.message;
        }
      }
    });
  std::this_thread::sleep_for(std::chrono::milliseconds(30));
  pg->stop_now();
  for (auto &t : threads) t.join();
  pg->start_again();
  int busy = 0;
  submit_when_back(s, s.order_created("B", kAda), busy);
  std::map<std::string, int> stored;
  const Json listed = s.call("events.list", {{"limit", 1000}});
  for (const auto &e : listed["events"]) ++stored[e["id"]];
  for (const auto &id : acknowledged) EXPECT_EQ(stored[id], 1) << id;
  for (const auto &[id, times] : stored) EXPECT_EQ(times, 1) << id;
  std::printf("pg lost mid-batch: %zu of %zu acknowledged before the server went\n", acknowledged.size(),
              events.size());
}

}  // namespace
}  // namespace ordercare::testing
