// The webhook server: an HTTP/1.1 listener on the plugin's own libuv loop
// (no thread of its own), its connections, and the endpoints they serve.
// Started by the plugin thread's start hook when the config has a
// `webhooks` section, stopped by its stop hook; every method runs on the
// plugin thread.
#pragma once

#include <uv.h>

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "common/json.h"
#include "runtime/event_sink.h"
#include "runtime/http_connection.h"
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
  // "port": 0 in the config shows here as the port the system chose.
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
  bool listening_ = false;
  std::string address_;
  int port_ = 0;
  std::map<HttpConnection *, std::unique_ptr<HttpConnection>> connections_;
  std::vector<char> read_buffer_;  // shared: a read is consumed before the next begins
};

}  // namespace ordercare::runtime
