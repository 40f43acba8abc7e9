// Several processes of one host on one webhook port: with "port_sharing":
// "shared" every plugin listens (SO_REUSEPORT) and the kernel hands each
// connection to one of them; with "exclusive" a second plugin on the port
// fails to open and says what to do. Where each plugin keeps its own store,
// what a store received tells which plugin served the delivery; where they
// share one (as a host's processes do), each delivery is stored once, also
// when the same one reaches two of them at once.
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <map>
#include <mutex>
#include <set>
#include <thread>

#include "e2e/webhook_fixture.h"

namespace ordercare::e2e {
namespace {

constexpr int kDeliveries = 40;

// A port nobody listens on now: the system picks it for a socket bound to
// port 0, which is closed again before the plugins bind it.
int free_port() {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) throw std::runtime_error("socket failed");
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t length = sizeof address;
  const bool ok = ::bind(fd, reinterpret_cast<sockaddr *>(&address), sizeof address) == 0 &&
                  ::getsockname(fd, reinterpret_cast<sockaddr *>(&address), &length) == 0;
  ::close(fd);
  if (!ok) throw std::runtime_error("cannot find a free port");
  return ntohs(address.sin_port);
}

Json on_port(int port, const char *sharing) { return Json{{"port", port}, {"port_sharing", sharing}}; }

// oc_open of a plugin with its own store and this webhooks section: the
// status, and oc_last_error() when it failed. An opened plugin is closed.
oc_status open_status(const Json &webhooks, std::string &error) {
  testing::TempDir dir;
  const std::string config = Json{{"store", {{"path", dir.file("ordercare.db")}}}, {"webhooks", webhooks}}.dump();
  oc_options options{};
  options.struct_size = sizeof options;
  options.config_json = config.c_str();
  options.config_len = config.size();
  oc_plugin *plugin = nullptr;
  const oc_status status = oc_open(&options, nullptr, &plugin);
  if (status != OC_OK) error = oc_last_error();
  if (plugin) oc_close(plugin);
  return status;
}

// Each delivery (a new order from first_order on) over a connection of its
// own, as senders do; returns the event ids the plugins should have stored.
std::set<std::string> deliver(int port, std::int64_t first_order, int count) {
  std::set<std::string> ids;
  for (int i = 0; i < count; ++i) {
    const std::string order_id = std::to_string(first_order + i);
    HttpClient client(port);
    EXPECT_TRUE(client.send(shopify_request("orders/create", shopify_order(first_order + i), "e" + order_id)));
    const Response r = client.read_response();
    EXPECT_EQ(r.status, 200) << order_id << ": " << r.body;
    EXPECT_EQ(r.json().value("status", ""), "accepted") << order_id << ": " << r.body;
    ids.insert("shopify:order.created:" + order_id);
  }
  return ids;
}

std::set<std::string> stored_events(WebhookServer &server) {
  const Json page = server.call("events.list", {{"limit", 1000}});
  std::set<std::string> ids;
  for (const Json &e : page["events"]) ids.insert(e["id"].get<std::string>());
  return ids;
}

TEST(WebhookPortSharing, TwoSharedPluginsSplitTheDeliveries) {
  const int port = free_port();
  WebhookServer first(on_port(port, "shared"));
  WebhookServer second(on_port(port, "shared"));
  EXPECT_EQ(first.port(), port);
  EXPECT_EQ(second.port(), port);

  const std::set<std::string> sent = deliver(port, 1000, kDeliveries);
  const std::set<std::string> a = stored_events(first);
  const std::set<std::string> b = stored_events(second);
  // The kernel spreads connections by their addresses: over 40 of them each
  // plugin gets some (all to one has odds of 2^-39), and none gets one twice.
  EXPECT_FALSE(a.empty());
  EXPECT_FALSE(b.empty());
  std::set<std::string> both = a;
  both.insert(b.begin(), b.end());
  EXPECT_EQ(both.size(), a.size() + b.size());
  EXPECT_EQ(both, sent);
}

TEST(WebhookPortSharing, TheOtherPluginServesOnWhenOneCloses) {
  const int port = free_port();
  WebhookServer first(on_port(port, "shared"));
  WebhookServer second(on_port(port, "shared"));
  first.close();
  const std::set<std::string> sent = deliver(port, 2000, 10);
  EXPECT_EQ(stored_events(second), sent);
}

TEST(WebhookPortSharing, PortZeroGivesEachPluginAPortOfItsOwn) {
  WebhookServer first(on_port(0, "shared"));
  WebhookServer second(on_port(0, "shared"));
  EXPECT_NE(first.port(), second.port());
}

TEST(WebhookPortSharing, ASecondExclusivePluginFailsToOpenSayingWhatToDo) {
  WebhookServer first(on_port(free_port(), "exclusive"));
  std::string error;
  EXPECT_EQ(open_status(on_port(first.port(), "exclusive"), error), OC_ERR_CONFIG);
  EXPECT_NE(error.find("config: webhooks: cannot listen on 127.0.0.1:" + std::to_string(first.port()) +
                       ": address already in use (another process serves webhooks on this port: give the webhooks "
                       "section to one process only, or set webhooks.port_sharing to \"shared\" in every process)"),
            std::string::npos)
      << error;
  // The default is exclusive.
  EXPECT_EQ(open_status(Json{{"port", first.port()}}, error), OC_ERR_CONFIG);
  EXPECT_NE(error.find("webhooks.port_sharing"), std::string::npos) << error;
}

TEST(WebhookPortSharing, SharedAndExclusiveDoNotMix) {
  // Linux lets a second socket on the port only when both set SO_REUSEPORT.
  WebhookServer exclusive(on_port(free_port(), "exclusive"));
  std::string error;
  EXPECT_EQ(open_status(on_port(exclusive.port(), "shared"), error), OC_ERR_CONFIG);
  EXPECT_NE(error.find("address already in use (another process listens on this port without "
                       "webhooks.port_sharing \"shared\", or runs as another user)"),
            std::string::npos)
      << error;

  WebhookServer shared(on_port(free_port(), "shared"));
  EXPECT_EQ(open_status(on_port(shared.port(), "exclusive"), error), OC_ERR_CONFIG);
  EXPECT_NE(error.find("set webhooks.port_sharing to \"shared\" in every process"), std::string::npos) << error;
}

TEST(WebhookPortSharing, PluginsSharingAPortAndAStoreStoreEachDeliveryOnce) {
  const int port = free_port();
  WebhookServer first(on_port(port, "shared"));
  WebhookServer second(on_port(port, "shared"), first.store());
  const std::set<std::string> sent = deliver(port, 3000, kDeliveries);
  EXPECT_EQ(stored_events(first), sent);
  EXPECT_EQ(stored_events(second), sent);
}

// A platform that retries while its first attempt is still in flight can
// reach two processes with one delivery at the same moment: both answer
// 200 once it is durable, and the shared store keeps it once.
TEST(WebhookPortSharing, ADuplicateDeliveredToTwoProcessesAtOnceIsStoredOnce) {
  WebhookServer first;
  WebhookServer second(Json::object(), first.store());
  std::map<std::string, int> accepted, duplicate;
  std::mutex mutex;
  auto send = [&](int port, const std::string &event_id) {
    HttpClient client(port);
    const std::string body = shopify_order(4000 + std::stoi(event_id.substr(4)));
    EXPECT_TRUE(client.send(shopify_request("orders/create", body, event_id)));
    const Response r = client.read_response();
    EXPECT_EQ(r.status, 200) << event_id << ": " << r.body;
    std::lock_guard<std::mutex> lock(mutex);
    ++(r.json().value("status", "") == "accepted" ? accepted : duplicate)[event_id];
  };
  constexpr int kTwins = 30;
  for (int i = 0; i < kTwins; ++i) {
    const std::string event_id = "twin" + std::to_string(i);
    std::thread other([&] { send(second.port(), event_id); });
    send(first.port(), event_id);
    other.join();
  }
  EXPECT_EQ(accepted.size(), static_cast<std::size_t>(kTwins));
  for (const auto &[id, times] : accepted) EXPECT_EQ(times, 1) << id;
  for (const auto &[id, times] : duplicate) EXPECT_EQ(times, 1) << id;
  EXPECT_EQ(stored_events(first).size(), static_cast<std::size_t>(kTwins));
}

}  // namespace
}  // namespace ordercare::e2e
