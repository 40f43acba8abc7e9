// The webhook server: an HTTP/1.1 listener on the libuv loop it is given,
// its connections, and the endpoints they serve. The plugin runs it on
// threads of its own (webhook_threads.h), one server per thread: the first
// listens and hands accepted connections in turn to the others (and keeps
// its share); a connection then stays on the thread that serves it. Every
// method runs on its own loop's thread, except status().
#pragma once

#include <uv.h>

#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "common/json.h"
#include "runtime/event_sink.h"
#include "runtime/metrics.h"
#include "runtime/http/http_connection.h"
#include "runtime/webhook_config.h"
#include "runtime/webhook_endpoints.h"

namespace ordercare::runtime {

// What the servers of one webhook server's threads share: the counters
// behind /metrics, and the open connections that webhooks.max_connections
// limits, counted across all of them.
struct ServerShared {
  std::shared_ptr<Metrics> metrics = std::make_shared<Metrics>();
  std::atomic<std::size_t> connections{0};
};

class HttpServer {
 public:
  // Hands an accepted socket to another server's thread, which then owns
  // it; false if that thread no longer takes work (the socket stays ours).
  using HandOff = std::function<bool(uv_os_sock_t socket)>;

  // Without `shared`, this server counts alone.
  HttpServer(uv_loop_t &loop, const WebhookConfig &config, EventSink &sink,
             std::shared_ptr<ServerShared> shared = nullptr);
  HttpServer(const HttpServer &) = delete;
  HttpServer &operator=(const HttpServer &) = delete;

  // Binds and listens, with SO_REUSEPORT when webhooks.port_sharing is
  // "shared". Throws Failure(OC_ERR_CONFIG) naming the address when it
  // cannot (port in use, address not on this host).
  void start();
  // Before start: the listener's accepted connections go in turn to each
  // of `others` and to this server.
  void hand_off_to(std::vector<HandOff> others) { others_ = std::move(others); }
  // Serves a socket the listening server accepted (and counted).
  void adopt(uv_os_sock_t socket);
  // Stops accepting and closes every connection; answers not yet sent are
  // dropped. The handles finish closing as the loop runs on.
  void stop();

  // {listening, address, port, connections}: port is the bound one, so
  // "port": 0 in the config shows here as the port the system chose. Any
  // thread (webhooks.status runs on the plugin thread), once start returned.
  Json status() const;
  // This server's (its thread's) open connections; any thread.
  std::size_t connections() const { return own_connections_.load(); }
  const WebhookEndpoints &endpoints() const { return endpoints_; }

 private:
  friend class HttpConnection;

  static void on_connection(uv_stream_t *listener, int status);
  static void on_listener_closed(uv_handle_t *handle);
  void accept_one();
  // Accepts one connection for another server's thread.
  void accept_for(const HandOff &other);
  void serve(std::unique_ptr<HttpConnection> connection);
  int share_port();  // SO_REUSEPORT on the listener; 0 or a UV_E* code
  void forget(HttpConnection *connection);  // its handles are closed

  uv_loop_t &loop_;
  const WebhookConfig &config_;
  std::shared_ptr<ServerShared> shared_;  // before endpoints_, which counts into it
  WebhookEndpoints endpoints_;
  uv_tcp_t listener_{};
  bool listener_open_ = false;
  std::atomic<bool> listening_{false};
  std::string address_;  // set before start returns, then read-only
  int port_ = 0;         // likewise
  std::vector<HandOff> others_;
  std::size_t next_turn_ = 0;  // whose turn the next accepted connection is: 0 this server's
  std::map<HttpConnection *, std::unique_ptr<HttpConnection>> connections_;
  std::atomic<std::size_t> own_connections_{0};  // connections_.size(), for connections()
  std::vector<char> read_buffer_;  // shared: a read is consumed before the next begins
};

}  // namespace ordercare::runtime
