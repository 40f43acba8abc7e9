// The webhook server on several threads (webhooks.threads, issue 11 point
// 5): the first thread listens and hands connections in turn to each, so
// every thread serves its share; the connection limit, webhooks.status and
// /metrics count all of them as one server; and closing stops every thread.
// Also run under TSan (ctest -L threaded).
#include <dirent.h>

#include <gtest/gtest.h>

#include <chrono>
#include <fstream>
#include <memory>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "e2e/webhook_fixture.h"

namespace ordercare::e2e {
namespace {

std::string created_id(std::int64_t order) { return "shopify:order.created:" + std::to_string(order); }

// The names of this process's threads (/proc/self/task/*/comm).
std::multiset<std::string> thread_names() {
  std::multiset<std::string> names;
  DIR *tasks = opendir("/proc/self/task");
  if (!tasks) return names;
  while (const dirent *task = readdir(tasks)) {
    if (task->d_name[0] == '.') continue;
    std::ifstream comm(std::string("/proc/self/task/") + task->d_name + "/comm");
    std::string name;
    if (std::getline(comm, name)) names.insert(name);
  }
  closedir(tasks);
  return names;
}

// A client that delivered one Shopify order and read its answer: by then
// the thread its connection was handed to holds it.
std::unique_ptr<HttpClient> delivered(const WebhookServer &server, std::int64_t order) {
  auto client = std::make_unique<HttpClient>(server.port());
  EXPECT_TRUE(client->send(shopify_request("orders/create", shopify_order(order), "t" + std::to_string(order))));
  const Response r = client->read_response();
  EXPECT_EQ(r.status, 200) << r.body;
  return client;
}

TEST(WebhookThreads, EachThreadServesItsTurnOfTheConnections) {
  WebhookServer server(Json{{"threads", 3}});
  const std::multiset<std::string> names = thread_names();
  EXPECT_EQ(names.count("oc-webhooks"), 1u);
  EXPECT_EQ(names.count("oc-webhooks-2"), 1u);
  EXPECT_EQ(names.count("oc-webhooks-3"), 1u);

  std::vector<std::unique_ptr<HttpClient>> clients;
  for (std::int64_t order = 81000; order < 81006; ++order) clients.push_back(delivered(server, order));
  const Json status = server.call("webhooks.status");
  EXPECT_EQ(status["threads"], 3);
  EXPECT_EQ(status["connections"], 6);
  EXPECT_EQ(status["connections_per_thread"], (Json{2, 2, 2}));

  // Each connection keeps its thread: a second delivery on every one.
  for (std::size_t i = 0; i < clients.size(); ++i) {
    const std::int64_t order = 82000 + static_cast<std::int64_t>(i);
    ASSERT_TRUE(clients[i]->send(shopify_request("orders/create", shopify_order(order), "u" + std::to_string(order))));
    EXPECT_EQ(clients[i]->read_response().status, 200);
  }
  for (std::int64_t order : {81000, 81005, 82000, 82005})
    EXPECT_EQ(server.call("events.get", {{"id", created_id(order)}})["type"], "order.created") << order;
  // One page counts what every thread answered.
  const std::string page = HttpClient(server.port()).request("GET", "/metrics").body;
  EXPECT_NE(page.find("ordercare_http_requests_total{endpoint=\"/webhooks/shopify\",status=\"200\"} 12\n"),
            std::string::npos)
      << page;
}

TEST(WebhookThreads, OneThreadServesAlone) {
  WebhookServer server(Json{{"threads", 1}});
  EXPECT_EQ(thread_names().count("oc-webhooks-2"), 0u);
  auto first = delivered(server, 83000);
  auto second = delivered(server, 83001);
  const Json status = server.call("webhooks.status");
  EXPECT_EQ(status["threads"], 1);
  EXPECT_EQ(status["connections_per_thread"], (Json{2}));
}

TEST(WebhookThreads, TheConnectionLimitCountsEveryThread) {
  WebhookServer server(Json{{"threads", 2}, {"max_connections", 3}});
  std::vector<std::unique_ptr<HttpClient>> clients;
  for (std::int64_t order = 84000; order < 84003; ++order) clients.push_back(delivered(server, order));
  EXPECT_EQ(server.call("webhooks.status")["connections_per_thread"], (Json{2, 1}));

  // The fourth is over the limit whichever thread's turn it is.
  HttpClient over(server.port());
  const Response busy = over.read_response();
  EXPECT_EQ(busy.status, 503);
  EXPECT_EQ(busy.json()["reason"], "too_many_connections") << busy.body;
  EXPECT_TRUE(over.wait_closed());

  // Once one leaves, a newcomer is served again.
  clients.erase(clients.begin() + 1);
  ASSERT_TRUE(server.await_connections(2));
  clients.push_back(delivered(server, 84003));
}

TEST(WebhookThreads, ClosingStopsEveryThread) {
  WebhookServer server(Json{{"threads", 4}});
  std::vector<std::unique_ptr<HttpClient>> clients;
  for (std::int64_t order = 85000; order < 85005; ++order) clients.push_back(delivered(server, order));
  server.close();
  for (const std::string &name : thread_names()) EXPECT_EQ(name.rfind("oc-webhooks", 0), std::string::npos) << name;
  // Every connection was closed with its thread.
  for (auto &client : clients) EXPECT_TRUE(client->wait_closed());
}

}  // namespace
}  // namespace ordercare::e2e
