#include "runtime/http/http_connection.h"

#include <unistd.h>

#include <algorithm>

#include "runtime/http/http_server.h"

namespace ordercare::runtime {

namespace {

// How long a closing connection reads and drops what the peer still sends.
constexpr std::uint64_t kLingerMs = 2000;
// Answers queued in the kernel's stead before we stop reading more requests.
constexpr std::size_t kMaxWriteQueue = 1 << 20;

}  // namespace

struct HttpConnection::Write {
  uv_write_t request{};
  std::string bytes;
  HttpConnection *connection = nullptr;
};

HttpConnection::HttpConnection(HttpServer &server) : server_(server) {
  const WebhookConfig &config = server.config_;
  session_ = HttpSession::create(
      HttpSession::Limits{config.max_header_bytes, config.max_body_bytes, config.max_pipelined},
      [&endpoints = server.endpoints_](HttpRequest &&request, HttpSession::Respond respond) {
        endpoints.handle(std::move(request), std::move(respond));
      },
      *this);
}

void HttpConnection::init_handles() {
  uv_tcp_init(&server_.loop_, &tcp_);
  uv_timer_init(&server_.loop_, &timer_);
  tcp_.data = this;
  timer_.data = this;
  open_handles_ = 2;
}

bool HttpConnection::accept(uv_stream_t *listener) {
  init_handles();
  if (uv_accept(listener, reinterpret_cast<uv_stream_t *>(&tcp_)) != 0) {
    close();
    return false;
  }
  opened();
  return true;
}

bool HttpConnection::adopt(uv_os_sock_t socket) {
  init_handles();
  if (uv_tcp_open(&tcp_, socket) != 0) {
    // Not the handle's yet: closing it would not close the socket.
    ::close(socket);
    close();
    return false;
  }
  opened();
  return true;
}

void HttpConnection::opened() {
  // Answers are small and go out whole: do not hold them for Nagle.
  uv_tcp_nodelay(&tcp_, 1);
  last_activity_ = phase_since_ = uv_now(&server_.loop_);
  update();
}

void HttpConnection::close() {
  if (closing_) return;
  closing_ = true;
  session_->abandon();
  uv_timer_stop(&timer_);
  uv_close(reinterpret_cast<uv_handle_t *>(&tcp_), &HttpConnection::on_close);
  uv_close(reinterpret_cast<uv_handle_t *>(&timer_), &HttpConnection::on_close);
}

void HttpConnection::on_close(uv_handle_t *handle) {
  auto *self = static_cast<HttpConnection *>(handle->data);
  if (--self->open_handles_ == 0) self->server_.forget(self);  // destroys self
}

void HttpConnection::on_read(uv_stream_t *stream, ssize_t nread, const uv_buf_t *buf) {
  auto *self = static_cast<HttpConnection *>(stream->data);
  if (self->closing_) return;
  if (nread < 0) {
    if (nread == UV_EOF && !self->lingering_) {
      // The peer is done sending; requests already read are still answered.
      self->peer_done_ = true;
      self->set_reading(false);
      self->session_->end_of_input();
      self->update();
    } else {
      self->close();
    }
    return;
  }
  if (nread == 0) return;
  self->last_activity_ = uv_now(&self->server_.loop_);
  if (!self->lingering_) self->read(std::string_view(buf->base, static_cast<std::size_t>(nread)));
}

void HttpConnection::read(std::string_view bytes) {
  session_->feed(bytes);
  update();
}

void HttpConnection::send(std::string bytes) {
  if (closing_) return;
  auto write = std::make_unique<Write>();
  write->bytes = std::move(bytes);
  write->connection = this;
  write->request.data = write.get();
  uv_buf_t buf = uv_buf_init(write->bytes.data(), static_cast<unsigned int>(write->bytes.size()));
  if (uv_write(&write->request, reinterpret_cast<uv_stream_t *>(&tcp_), &buf, 1, &HttpConnection::on_write) != 0) {
    close();
    return;
  }
  write.release();  // owned by libuv until on_write
  ++writes_in_flight_;
}

void HttpConnection::on_write(uv_write_t *request, int status) {
  std::unique_ptr<Write> write(static_cast<Write *>(request->data));
  HttpConnection *self = write->connection;
  --self->writes_in_flight_;
  if (self->closing_) return;
  if (status != 0) {
    self->close();
    return;
  }
  self->last_activity_ = uv_now(&self->server_.loop_);
  self->update();
}

void HttpConnection::finish() {
  if (closing_ || lingering_) return;
  lingering_ = true;
  // The shutdown goes out after every queued write; then the peer's
  // remaining bytes are read and dropped until it closes or kLingerMs pass.
  if (uv_shutdown(&shutdown_, reinterpret_cast<uv_stream_t *>(&tcp_), &HttpConnection::on_shutdown) != 0) {
    close();
    return;
  }
  shutdown_.data = this;
  if (!peer_done_) set_reading(true);
  arm(uv_now(&server_.loop_) + kLingerMs);
}

void HttpConnection::on_shutdown(uv_shutdown_t *request, int status) {
  auto *self = static_cast<HttpConnection *>(request->data);
  // Nothing more can come from a peer that already closed its side.
  if (!self->closing_ && (status != 0 || self->peer_done_)) self->close();
}

void HttpConnection::set_reading(bool on) {
  if (on == reading_) return;
  reading_ = on;
  auto *stream = reinterpret_cast<uv_stream_t *>(&tcp_);
  if (!on) {
    uv_read_stop(stream);
    return;
  }
  const int rc = uv_read_start(
      stream,
      [](uv_handle_t *handle, std::size_t, uv_buf_t *buf) {
        auto &buffer = static_cast<HttpConnection *>(handle->data)->server_.read_buffer_;
        *buf = uv_buf_init(buffer.data(), static_cast<unsigned int>(buffer.size()));
      },
      &HttpConnection::on_read);
  if (rc != 0) close();
}

void HttpConnection::update() {
  if (closing_ || lingering_) return;
  const WebhookConfig &config = server_.config_;
  const std::uint64_t now = uv_now(&server_.loop_);
  const HttpSession::Phase phase = session_->phase();
  if (phase != phase_) {
    phase_ = phase;
    phase_since_ = now;
  }
  const std::size_t queued = uv_stream_get_write_queue_size(reinterpret_cast<uv_stream_t *>(&tcp_));
  set_reading(session_->wants_input() && queued < kMaxWriteQueue);

  const auto idle = static_cast<std::uint64_t>(config.idle_timeout);
  std::uint64_t deadline = 0;
  switch (phase) {
    case HttpSession::Phase::idle:
      deadline = last_activity_ + idle;
      break;
    case HttpSession::Phase::headers:
      deadline = phase_since_ + static_cast<std::uint64_t>(config.header_timeout);
      break;
    case HttpSession::Phase::body:
      deadline = std::min(phase_since_ + static_cast<std::uint64_t>(config.body_timeout), last_activity_ + idle);
      break;
    case HttpSession::Phase::waiting:
    case HttpSession::Phase::closed:
      // Our own answers are pending: no deadline unless the peer stopped
      // taking what we already wrote.
      if (writes_in_flight_ > 0) deadline = last_activity_ + idle;
      break;
  }
  arm(deadline);
}

void HttpConnection::arm(std::uint64_t deadline) {
  if (deadline == armed_for_) return;
  armed_for_ = deadline;
  if (deadline == 0) {
    uv_timer_stop(&timer_);
    return;
  }
  const std::uint64_t now = uv_now(&server_.loop_);
  uv_timer_start(&timer_, &HttpConnection::on_timer, deadline > now ? deadline - now : 0, 0);
}

void HttpConnection::on_timer(uv_timer_t *timer) {
  auto *self = static_cast<HttpConnection *>(timer->data);
  self->armed_for_ = 0;
  self->expire();
}

void HttpConnection::expire() {
  if (closing_) return;
  if (lingering_) return close();
  switch (phase_) {
    case HttpSession::Phase::idle:
    case HttpSession::Phase::headers:
    case HttpSession::Phase::body:
      // 408 for a half-read request, then the lingering close; an idle
      // connection just closes.
      session_->time_out();
      update();
      break;
    case HttpSession::Phase::waiting:
    case HttpSession::Phase::closed:
      close();  // the peer stopped reading our answers
      break;
  }
}

}  // namespace ordercare::runtime
