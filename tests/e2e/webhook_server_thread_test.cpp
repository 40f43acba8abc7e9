// The webhook server on a thread of its own (issue 11, point 5): HTTP,
// signatures, JSON and mapping run beside the store writer, not on it. So
// the server answers what needs no store while the writer waits for one;
// many connections deliver at once while a host thread submits and calls;
// and oc_close with deliveries in flight acknowledges nothing that is not
// durable. Also run under TSan (ctest -L threaded).
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "e2e/webhook_fixture.h"
#include "support/test_store.h"

namespace ordercare::e2e {
namespace {

constexpr std::string_view kWrongSecret = "whsec_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=";

std::string created_id(std::int64_t order) { return "shopify:order.created:" + std::to_string(order); }

// A metric's value in a /metrics page; -1 when the sample is absent.
double metric(const std::string &page, const std::string &sample) {
  const std::size_t at = page.find("\n" + sample + " ");
  if (at == std::string::npos) return -1;
  return std::stod(page.substr(at + sample.size() + 2));
}

TEST(WebhookServerThread, AnswersWhatNeedsNoStoreWhileTheWriterWaitsForIt) {
  OC_SQLITE_ONLY("a PostgreSQL store has no file lock to hold");
  WebhookServer server(Json::object(), Json{{"busy_timeout", "20s"}});
  StoreLockedElsewhere lock(server.db_path());
  HttpClient waiting(server.port());
  ASSERT_TRUE(waiting.send(shopify_request("orders/create", shopify_order(31), "t1")));
  // Time for the delivery to reach the writer, which then waits up to
  // busy_timeout for the lock inside its job.
  std::this_thread::sleep_for(std::chrono::milliseconds(300));

  // None of these needs the store: they are answered while the writer still
  // waits (on the writer's thread they would wait for the lock too, and the
  // client would give up after 5 s).
  HttpClient other(server.port(), 5000);
  ASSERT_TRUE(other.send(events_request(message_event().dump(), "t_bad", kWrongSecret)));
  EXPECT_EQ(other.read_response().status, 401);
  EXPECT_EQ(other.request("GET", "/nowhere").status, 404);
  ASSERT_TRUE(other.send(shopify_request("orders/create", "{\"id\": 1,", "t_mal")));
  EXPECT_EQ(other.read_response().status, 400);
  EXPECT_FALSE(waiting.readable()) << "answered before its event was durable";

  lock.release();
  const Response accepted = waiting.read_response();
  EXPECT_EQ(accepted.status, 200) << accepted.body;
  EXPECT_EQ(accepted.json()["status"], "accepted");
  EXPECT_EQ(server.call("events.get", {{"id", created_id(31)}})["type"], "order.created");
}

TEST(WebhookServerThread, ManyConnectionsDeliverAtOnceAndEachEventIsStoredOnce) {
  WebhookServer server;
  constexpr int kClients = 4, kPerClient = 15;
  constexpr std::int64_t kFirstOrder = 60000;
  // Client c delivers its own orders and, in the same write, its
  // neighbour's: every order arrives twice, on two connections at once.
  auto order_of = [](int client, int i) { return kFirstOrder + client * 100 + i; };
  std::atomic<int> accepted{0}, duplicates{0};
  std::atomic<bool> delivering{true};
  std::vector<std::thread> clients;
  for (int c = 0; c < kClients; ++c)
    clients.emplace_back([&, c] {
      HttpClient client(server.port());
      for (int i = 0; i < kPerClient; ++i) {
        const std::int64_t own = order_of(c, i), theirs = order_of((c + 1) % kClients, i);
        std::string batch = shopify_request("orders/create", shopify_order(own), "e" + std::to_string(own));
        batch += shopify_request("orders/create", shopify_order(theirs), "f" + std::to_string(theirs));
        if (i % 5 == 0) batch += request_bytes("GET", "/healthz", {});
        ASSERT_TRUE(client.send(batch));
        for (const std::int64_t order : {own, theirs}) {
          const Response r = client.read_response();
          ASSERT_EQ(r.status, 200) << r.body;
          EXPECT_EQ(r.json()["events"][0]["id"], created_id(order));
          (r.json()["status"] == "accepted" ? accepted : duplicates)++;
        }
        if (i % 5 == 0) {
          EXPECT_EQ(client.read_response().status, 200);
        }
      }
    });
  // Meanwhile a host thread submits and calls, through the same writer.
  std::thread host([&] {
    for (int n = 0; delivering; ++n) {
      Json event = message_event();
      event["id"] = "host_" + std::to_string(n);
      const std::string text = event.dump();
      oc_buffer *result = nullptr;
      EXPECT_EQ(oc_submit(server.plugin(), text.c_str(), text.size(), &result), OC_OK) << oc_last_error();
      oc_buffer_free(result);
      EXPECT_EQ(server.call("webhooks.status")["listening"], true);
    }
  });
  for (auto &client : clients) client.join();
  delivering = false;
  host.join();

  EXPECT_EQ(accepted, kClients * kPerClient);
  EXPECT_EQ(duplicates, kClients * kPerClient);
  for (int c = 0; c < kClients; ++c)
    for (int i = 0; i < kPerClient; ++i)
      EXPECT_EQ(server.call("events.get", {{"id", created_id(order_of(c, i))}})["type"], "order.created");
  HttpClient client(server.port());
  const std::string page = client.request("GET", "/metrics").body;
  EXPECT_EQ(metric(page, "ordercare_webhook_events_total{endpoint=\"/webhooks/shopify\",outcome=\"accepted\"}"),
            kClients * kPerClient);
  EXPECT_EQ(metric(page, "ordercare_webhook_events_total{endpoint=\"/webhooks/shopify\",outcome=\"duplicate\"}"),
            kClients * kPerClient);
  EXPECT_TRUE(server.await_connections(1));
}

TEST(WebhookServerThread, ClosingWithDeliveriesInFlightAcknowledgesOnlyWhatIsDurable) {
  auto first = std::make_unique<WebhookServer>();
  const int port = first->port();
  constexpr int kClients = 4;
  std::mutex mutex;
  std::vector<std::int64_t> acknowledged;
  std::atomic<int> answers{0};
  std::vector<std::thread> clients;
  for (int c = 0; c < kClients; ++c)
    clients.emplace_back([&, c] {
      try {
        HttpClient client(port, 5000);
        for (std::int64_t order = 70000 + c * 100000;; ++order) {
          // Two at once, so that one is often in the writer's hands while
          // the other is being parsed when the plugin closes.
          std::string batch = shopify_request("orders/create", shopify_order(order), "c" + std::to_string(order));
          batch += shopify_request("orders/create", shopify_order(order + 50000), "d" + std::to_string(order));
          if (!client.send(batch)) return;
          for (const std::int64_t sent : {order, order + 50000}) {
            const Response r = client.read_response();  // throws once the connection is closed
            ++answers;
            if (r.status == 200) {
              std::lock_guard<std::mutex> lock(mutex);
              acknowledged.push_back(sent);
            } else {
              EXPECT_EQ(r.status, 503) << r.body;  // the plugin is closing
            }
          }
        }
      } catch (const std::runtime_error &) {
        // Closed (or refused) by the plugin going away.
      }
    });
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (answers < 40 && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  first->close();
  for (auto &client : clients) client.join();

  // Every delivery answered 200 is in the store, seen by the next process.
  WebhookServer second(Json::object(), first->store());
  std::lock_guard<std::mutex> lock(mutex);
  EXPECT_FALSE(acknowledged.empty());
  for (const std::int64_t order : acknowledged)
    EXPECT_EQ(second.call("events.get", {{"id", created_id(order)}})["type"], "order.created") << order;
}

}  // namespace
}  // namespace ordercare::e2e
