// The webhook server in front of a PostgreSQL store that goes away (issue
// 9, point 4): while the server is down a delivery is answered 503 with
// Retry-After and /healthz says the store is unreachable; nothing is
// acknowledged that was not committed, and the platform's retry of the
// same delivery is stored once the store is back. The test runs its own
// server, so it can stop it.
#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include "e2e/webhook_fixture.h"
#include "support/pg_server.h"

namespace ordercare::e2e {
namespace {

Response send_request(int port, const std::string &request) {
  HttpClient client(port);
  if (!client.send(request)) return Response{};
  return client.read_response();
}

TEST(WebhookStoreDown, AnUnreachableStoreIs503WithRetryAfterAndTheRetryIsStoredOnceItIsBack) {
  auto pg = testing::PgServer::start({});
  WebhookServer server(Json{{"retry_after", "7s"}},
                       Json{{"engine", "postgres"}, {"url", pg->url()}, {"schema", "webhooks_down"}});
  const std::string before = events_request(message_event().dump(), "before_1");
  EXPECT_EQ(send_request(server.port(), before).status, 200);
  pg->stop_now();
  const std::string during = events_request(message_event().dump(), "during_1");
  {
    const Response r = send_request(server.port(), during);
    EXPECT_EQ(r.status, 503) << r.body;
    EXPECT_EQ(r.headers.get("Retry-After").value_or(""), "7");
    EXPECT_EQ(r.json()["reason"], "store_unavailable");
    HttpClient client(server.port());
    const Response health = client.request("GET", "/healthz");
    EXPECT_EQ(health.status, 503);
    EXPECT_EQ(health.json()["store"]["reachable"], false);
  }
  pg->start_again();
  // The platform retries the same delivery until it is taken.
  int status = 0;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (status != 200 && std::chrono::steady_clock::now() < deadline) {
    status = send_request(server.port(), during).status;
    if (status != 200) std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  EXPECT_EQ(status, 200);
  const Response again = send_request(server.port(), during);
  EXPECT_EQ(again.status, 200);
  EXPECT_EQ(again.json()["status"], "duplicate") << "stored once";
  EXPECT_EQ(server.call("events.get", {{"id", "during_1"}})["type"], "customer.message");
  EXPECT_EQ(server.call("events.get", {{"id", "before_1"}})["type"], "customer.message");
}

}  // namespace
}  // namespace ordercare::e2e
