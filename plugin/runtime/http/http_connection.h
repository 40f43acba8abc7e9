// One accepted TCP connection of the webhook server: the socket and its
// timer around an HttpSession. It reads while the session wants input,
// writes what the session sends, and closes on the session's word or when
// a deadline passes:
//   idle     (nothing in progress)         idle_timeout after the last byte in or out: close
//   headers  (a request's head half-read)  header_timeout after its first byte: 408, close
//   body     (a request's body half-read)  body_timeout after its headers, or idle_timeout
//                                          without a byte: 408, close
//   waiting  (every request read is ours to answer): no deadline, but a peer that stops
//            reading our answers is closed after idle_timeout
// Closing is lingering: after the last answer our side is shut down and what
// the peer still sends is read and dropped for a short while, so the answer
// is not lost to a reset.
#pragma once

#include <uv.h>

#include <cstdint>
#include <memory>
#include <string>

#include "runtime/http/http_session.h"

namespace ordercare::runtime {

class HttpServer;

class HttpConnection final : public SessionOutput {
 public:
  explicit HttpConnection(HttpServer &server);
  HttpConnection(const HttpConnection &) = delete;
  HttpConnection &operator=(const HttpConnection &) = delete;

  // Initializes the handles on the server's loop and accepts from the
  // listener; false if that failed (the connection then closes itself).
  bool accept(uv_stream_t *listener);
  // The same with a socket another server thread accepted, now this
  // connection's to close.
  bool adopt(uv_os_sock_t socket);
  // Closes at once; the server drops the connection when its handles are closed.
  void close();

  void send(std::string bytes) override;
  void finish() override;
  void progressed() override { update(); }

 private:
  struct Write;

  static void on_read(uv_stream_t *stream, ssize_t nread, const uv_buf_t *buf);
  static void on_write(uv_write_t *request, int status);
  static void on_shutdown(uv_shutdown_t *request, int status);
  static void on_timer(uv_timer_t *timer);
  static void on_close(uv_handle_t *handle);

  void init_handles();
  // After the socket is ours: starts reading and the deadlines.
  void opened();
  void read(std::string_view bytes);
  void expire();
  // Starts or stops reading and moves the deadline after anything changed.
  void update();
  void set_reading(bool on);
  void arm(std::uint64_t deadline);

  HttpServer &server_;
  uv_tcp_t tcp_{};
  uv_timer_t timer_{};
  uv_shutdown_t shutdown_{};
  std::shared_ptr<HttpSession> session_;
  int open_handles_ = 0;
  std::size_t writes_in_flight_ = 0;
  bool reading_ = false;
  bool closing_ = false;
  bool lingering_ = false;
  bool peer_done_ = false;  // the peer closed its sending side
  HttpSession::Phase phase_ = HttpSession::Phase::idle;
  std::uint64_t phase_since_ = 0;   // uv_now when the phase began
  std::uint64_t last_activity_ = 0; // uv_now of the last byte in or out
  std::uint64_t armed_for_ = 0;     // the deadline the timer is set to (0: none)
};

}  // namespace ordercare::runtime
