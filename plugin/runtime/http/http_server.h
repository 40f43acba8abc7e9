// The webhook server: an HTTP/1.1 listener on the libuv loop it is given,
// its connections, and the endpoints they serve. The plugin gives it a
// thread of its own (the server thread, a second LoopThread) when the config
// has a `webhooks` section: its start hook starts the server, its stop hook
// stops it. Every method runs on that loop's thread, except status().
#pragma once

#include <uv.h>

#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "common/json.h"
#include "runtime/event_sink.h"
#include "runtime/http/http_connection.h"
#include "runtime/webhook_config.h"
#include "runtime/webhook_endpoints.h"

namespace ordercare::runtime {

class HttpServer {
 public:
  HttpServer(uv_loop_t &loop, const WebhookConfig &config, EventSink &sink);
  HttpServer(const HttpServer &) = delete;
  HttpServer &operator=(const HttpServer &) = delete;

  // Binds and listens, with SO_REUSEPORT when webhooks.port_sharing is
  // "shared". Throws Failure(OC_ERR_CONFIG) naming the address when it
  // cannot (port in use, address not on this host).
  void start();
  // Stops accepting and closes every connection; answers not yet sent are
  // dropped. The handles finish closing as the loop runs on.
  void stop();

  // {listening, address, port, connections}: port is the bound one, so
  // "port": 0 in the config shows here as the port the system chose. Any
  // thread (webhooks.status runs on the plugin thread), once start returned.
  Json status() const;
  std::size_t connections() const { return connections_.size(); }
  const WebhookEndpoints &endpoints() const { return endpoints_; }

 private:
  friend class HttpConnection;

  static void on_connection(uv_stream_t *listener, int status);
  static void on_listener_closed(uv_handle_t *handle);
  void accept_one();
  int share_port();  // SO_REUSEPORT on the listener; 0 or a UV_E* code
  void forget(HttpConnection *connection);  // its handles are closed

  uv_loop_t &loop_;
  const WebhookConfig &config_;
  WebhookEndpoints endpoints_;
  uv_tcp_t listener_{};
  bool listener_open_ = false;
  std::atomic<bool> listening_{false};
  std::string address_;  // set before start returns, then read-only
  int port_ = 0;         // likewise
  std::map<HttpConnection *, std::unique_ptr<HttpConnection>> connections_;
  std::atomic<std::size_t> open_connections_{0};  // connections_.size(), for status()
  std::vector<char> read_buffer_;  // shared: a read is consumed before the next begins
};

}  // namespace ordercare::runtime
