#include "runtime/http/http_server.h"

#include <fcntl.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>

#include "common/failure.h"

namespace ordercare::runtime {

namespace {

constexpr int kBacklog = 511;
constexpr std::size_t kReadBufferBytes = 64 << 10;

void close_quietly(uv_handle_t *handle) { uv_close(handle, [](uv_handle_t *h) { h->data = nullptr; }); }

// What an operator can do about a port in use, which is most often another
// process of the same host given the same `webhooks` section.
std::string in_use_hint(PortSharing sharing) {
  if (sharing == PortSharing::exclusive)
    return " (another process serves webhooks on this port: give the webhooks section to one process only, "
           "or set webhooks.port_sharing to \"shared\" in every process)";
  return " (another process listens on this port without webhooks.port_sharing \"shared\", "
         "or runs as another user)";
}

}  // namespace

HttpServer::HttpServer(uv_loop_t &loop, const WebhookConfig &config, EventSink &sink,
                       std::shared_ptr<ServerShared> shared)
    : loop_(loop),
      config_(config),
      shared_(shared ? std::move(shared) : std::make_shared<ServerShared>()),
      endpoints_(config, sink, [shared = shared_.get()] { return shared->connections.load(); }, shared_->metrics),
      address_(config.listen),
      read_buffer_(kReadBufferBytes) {}

void HttpServer::start() {
  sockaddr_storage address{};
  int rc = uv_ip4_addr(config_.listen.c_str(), config_.port, reinterpret_cast<sockaddr_in *>(&address));
  if (rc != 0) rc = uv_ip6_addr(config_.listen.c_str(), config_.port, reinterpret_cast<sockaddr_in6 *>(&address));
  const std::string where = config_.listen + ":" + std::to_string(config_.port);
  if (rc != 0) fail(OC_ERR_CONFIG, "config: webhooks.listen: '" + config_.listen + "' is not an IP address");
  // The socket is made now, not at bind, so SO_REUSEPORT can be set before
  // the bind: libuv 1.44 has no flag for it.
  rc = uv_tcp_init_ex(&loop_, &listener_, address.ss_family);
  if (rc != 0) fail(OC_ERR_CONFIG, "config: webhooks: cannot listen on " + where + ": " + uv_strerror(rc));
  listener_.data = this;
  listener_open_ = true;
  if (config_.port_sharing == PortSharing::shared) rc = share_port();
  if (rc == 0) rc = uv_tcp_bind(&listener_, reinterpret_cast<const sockaddr *>(&address), 0);
  if (rc == 0) rc = uv_listen(reinterpret_cast<uv_stream_t *>(&listener_), kBacklog, &HttpServer::on_connection);
  if (rc != 0) {
    // Closed here; the loop finishes the close before the opener hears of it.
    stop();
    std::string reason = uv_strerror(rc);
    if (rc == UV_EADDRINUSE) reason += in_use_hint(config_.port_sharing);
    fail(OC_ERR_CONFIG, "config: webhooks: cannot listen on " + where + ": " + reason);
  }
  sockaddr_storage bound{};
  int length = sizeof bound;
  if (uv_tcp_getsockname(&listener_, reinterpret_cast<sockaddr *>(&bound), &length) == 0) {
    if (bound.ss_family == AF_INET)
      port_ = ntohs(reinterpret_cast<const sockaddr_in *>(&bound)->sin_port);
    else
      port_ = ntohs(reinterpret_cast<const sockaddr_in6 *>(&bound)->sin6_port);
  }
  listening_ = true;
}

int HttpServer::share_port() {
  uv_os_fd_t fd = -1;
  if (int rc = uv_fileno(reinterpret_cast<const uv_handle_t *>(&listener_), &fd); rc != 0) return rc;
  const int on = 1;
  if (setsockopt(fd, SOL_SOCKET, SO_REUSEPORT, &on, sizeof on) != 0) return uv_translate_sys_error(errno);
  return 0;
}

void HttpServer::stop() {
  listening_ = false;
  if (listener_open_) {
    listener_open_ = false;
    close_quietly(reinterpret_cast<uv_handle_t *>(&listener_));
  }
  for (auto &[raw, connection] : connections_) connection->close();
}

Json HttpServer::status() const {
  return Json{{"listening", listening_.load()},
              {"address", address_},
              {"port", port_},
              {"connections", shared_->connections.load()}};
}

void HttpServer::on_connection(uv_stream_t *listener, int status) {
  auto *self = static_cast<HttpServer *>(listener->data);
  if (status != 0 || !self->listening_) return;
  self->accept_one();
}

void HttpServer::accept_one() {
  // Each turn but this server's goes to another thread. Past the limit the
  // newcomer is turned away here, below.
  const std::size_t turn = next_turn_;
  next_turn_ = (next_turn_ + 1) % (others_.size() + 1);
  if (turn > 0 && shared_->connections.load() < config_.max_connections) return accept_for(others_[turn - 1]);
  auto connection = std::make_unique<HttpConnection>(*this);
  HttpConnection *raw = connection.get();
  ++shared_->connections;
  serve(std::move(connection));
  if (!raw->accept(reinterpret_cast<uv_stream_t *>(&listener_))) return;
  // Past the limit a newcomer is told to come back and closed at once, so
  // a flood of connections cannot exhaust descriptors or memory.
  if (shared_->connections.load() > config_.max_connections) {
    HttpResponse busy = json_error(503, "too_many_connections", "too many open connections; retry later");
    busy.headers.emplace_back("Retry-After", "1");
    raw->send(serialize(busy, true));
    raw->finish();
  }
}

void HttpServer::accept_for(const HandOff &other) {
  // libuv accepts only into a handle of this loop: the socket is taken
  // through a short-lived one, and a duplicate goes to the other thread.
  auto *taken = new uv_tcp_t;
  uv_tcp_init(&loop_, taken);
  uv_os_fd_t fd = -1;
  const bool ok =
      uv_accept(reinterpret_cast<uv_stream_t *>(&listener_), reinterpret_cast<uv_stream_t *>(taken)) == 0 &&
      uv_fileno(reinterpret_cast<const uv_handle_t *>(taken), &fd) == 0;
  const int socket = ok ? ::fcntl(fd, F_DUPFD_CLOEXEC, 0) : -1;
  uv_close(reinterpret_cast<uv_handle_t *>(taken), [](uv_handle_t *h) { delete reinterpret_cast<uv_tcp_t *>(h); });
  // Nothing was waiting after all, or no descriptor was left for the
  // duplicate (the peer then sees its connection closed).
  if (socket < 0) return;
  ++shared_->connections;
  // A thread that is stopping takes nothing: this one serves it instead.
  if (!other(socket)) adopt(socket);
}

void HttpServer::adopt(uv_os_sock_t socket) {
  auto connection = std::make_unique<HttpConnection>(*this);
  HttpConnection *raw = connection.get();
  serve(std::move(connection));
  raw->adopt(socket);
}

void HttpServer::serve(std::unique_ptr<HttpConnection> connection) {
  HttpConnection *raw = connection.get();
  connections_.emplace(raw, std::move(connection));
  own_connections_ = connections_.size();
}

void HttpServer::forget(HttpConnection *connection) {
  connections_.erase(connection);
  own_connections_ = connections_.size();
  --shared_->connections;
}

}  // namespace ordercare::runtime
