// The webhook server against senders that break the rules: bodies over the
// limit, headers or bodies that never finish (slow-loris), idle keep-alive
// connections, too many connections, and a store that is locked by someone
// else. Timeouts are short here; no assertion depends on how long anything
// took, only on what the server answered and that it closed.
#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include "e2e/webhook_fixture.h"
#include "support/test_store.h"

namespace ordercare::e2e {
namespace {

TEST(WebhookLimits, ABodyOverTheLimitIs413AndTheConnectionCloses) {
  WebhookServer server(Json{{"max_body_bytes", 2048}});
  HttpClient client(server.port());
  // Only the head is sent: the server must answer without reading the body.
  ASSERT_TRUE(client.send("POST /webhooks/shopify HTTP/1.1\r\nHost: x\r\nContent-Length: 5000000\r\n\r\n"));
  const Response r = client.read_response();
  EXPECT_EQ(r.status, 413);
  EXPECT_EQ(r.json()["reason"], "body_too_large");
  EXPECT_EQ(*r.headers.get("Connection"), "close");
  EXPECT_TRUE(client.wait_closed());
}

TEST(WebhookLimits, AChunkedBodyOverTheLimitIs413) {
  WebhookServer server(Json{{"max_body_bytes", 2048}});
  HttpClient client(server.port());
  std::string request = "POST /webhooks/events HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n";
  for (int i = 0; i < 3; ++i) request += "400\r\n" + std::string(1024, 'a') + "\r\n";
  ASSERT_TRUE(client.send(request));
  EXPECT_EQ(client.read_response().status, 413);
  EXPECT_TRUE(client.wait_closed());
}

TEST(WebhookLimits, HeadersOverTheLimitAre431) {
  WebhookServer server(Json{{"max_header_bytes", 1024}});
  HttpClient client(server.port());
  ASSERT_TRUE(client.send("GET /healthz HTTP/1.1\r\nX-Filler: " + std::string(4000, 'x') + "\r\n\r\n"));
  EXPECT_EQ(client.read_response().status, 431);
  EXPECT_TRUE(client.wait_closed());
}

TEST(WebhookLimits, GarbageIs400AndCloses) {
  WebhookServer server;
  HttpClient client(server.port());
  ASSERT_TRUE(client.send("\x16\x03\x01\x02\x00 definitely not HTTP\r\n\r\n"));
  const Response r = client.read_response();
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(r.json()["reason"], "malformed_request");
  EXPECT_TRUE(client.wait_closed());
}

TEST(WebhookLimits, HalfSentHeadersGet408AtTheHeaderTimeout) {
  WebhookServer server(Json{{"header_timeout", "200ms"}});
  HttpClient client(server.port());
  ASSERT_TRUE(client.send("POST /webhooks/shopify HTTP/1.1\r\nHost: x\r\nX-Shopify-Topic: ord"));
  const Response r = client.read_response();
  EXPECT_EQ(r.status, 408);
  EXPECT_TRUE(client.wait_closed());
}

TEST(WebhookLimits, SlowLorisTricklingHeadersIsCutOff) {
  // A byte every 20 ms keeps the connection busy but never finishes the
  // headers; the header timeout counts from the first byte, so activity
  // does not extend it. At most 500 bytes (10 s) are sent.
  WebhookServer server(Json{{"header_timeout", "300ms"}, {"idle_timeout", "5s"}});
  HttpClient client(server.port());
  const std::string endless = "GET /healthz HTTP/1.1\r\nX-Slow: " + std::string(500, 'z');
  for (char c : endless) {
    // Stop trickling once the server has spoken (or closed).
    if (client.readable() || !client.send(std::string(1, c))) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  const Response r = client.read_response();
  EXPECT_EQ(r.status, 408);
  EXPECT_TRUE(client.wait_closed());
}

TEST(WebhookLimits, ABodyThatStopsArrivingGets408) {
  WebhookServer server(Json{{"body_timeout", "300ms"}});
  HttpClient client(server.port());
  ASSERT_TRUE(client.send("POST /webhooks/events HTTP/1.1\r\nContent-Length: 100\r\n\r\n{\"half\":"));
  EXPECT_EQ(client.read_response().status, 408);
  EXPECT_TRUE(client.wait_closed());
}

TEST(WebhookLimits, AnIdleKeepAliveConnectionIsClosed) {
  WebhookServer server(Json{{"idle_timeout", "300ms"}});
  HttpClient client(server.port());
  ASSERT_EQ(client.request("GET", "/healthz").status, 200);
  EXPECT_TRUE(client.wait_closed());
  HttpClient silent(server.port());
  EXPECT_TRUE(silent.wait_closed());
  EXPECT_EQ(server.call("webhooks.status")["listening"], true);
}

TEST(WebhookLimits, ConnectionsPastTheLimitAreTurnedAway) {
  WebhookServer server(Json{{"max_connections", 2}});
  HttpClient a(server.port()), b(server.port());
  ASSERT_EQ(a.request("GET", "/healthz").status, 200);
  ASSERT_EQ(b.request("GET", "/healthz").status, 200);
  HttpClient c(server.port());
  const Response r = c.read_response();
  EXPECT_EQ(r.status, 503);
  EXPECT_TRUE(c.wait_closed());
  EXPECT_EQ(a.request("GET", "/healthz").status, 200);
}

TEST(WebhookLimits, ALockedStoreIs503WithRetryAfterAndNothingIsLost) {
  OC_SQLITE_ONLY("a PostgreSQL store has no file lock: pg_store_test takes its server away instead");
  WebhookServer server(Json{{"retry_after", "7s"}}, Json{{"busy_timeout", "50ms"}});
  const std::string request = events_request(message_event().dump(), "locked_1");
  {
    StoreLockedElsewhere lock(server.db_path());
    HttpClient client(server.port());
    ASSERT_TRUE(client.send(request));
    const Response r = client.read_response();
    EXPECT_EQ(r.status, 503) << r.body;
    EXPECT_EQ(r.headers.get("Retry-After").value_or(""), "7");
    EXPECT_EQ(r.json()["reason"], "store_unavailable");
    const Response health = client.request("GET", "/healthz");
    EXPECT_EQ(health.status, 503);
    EXPECT_EQ(health.json()["store"]["reachable"], false);
  }
  // The platform retries the same delivery once the store is back.
  HttpClient client(server.port());
  ASSERT_TRUE(client.send(request));
  const Response r = client.read_response();
  EXPECT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.json()["status"], "accepted");
  EXPECT_EQ(server.call("events.get", {{"id", "locked_1"}})["type"], "customer.message");
}

}  // namespace
}  // namespace ordercare::e2e
