// One HTTP/1.1 connection's protocol, without the socket: bytes in (parsed
// by llhttp), requests out to a handler, responses back in request order.
//
// A handler may answer at once or later (after its event is durable); the
// session keeps a slot per request and writes a response only when every
// earlier one has been written, so pipelined requests are answered in
// order while later ones are already parsed and being handled. At most
// `max_pipelined` requests wait for their answers: past that the parser
// pauses and keeps the unread bytes until answers go out.
//
// Errors in the request stream (malformed HTTP, headers or body over the
// limit) are answered after the requests before them, and then the
// connection closes. Everything runs on one thread: the server's loop.
#pragma once

#include <llhttp.h>

#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "runtime/http/http_message.h"

namespace ordercare::runtime {

// Where a session's output goes: the connection that owns it.
class SessionOutput {
 public:
  virtual ~SessionOutput() = default;
  virtual void send(std::string bytes) = 0;
  // Nothing more will be sent: close once what was sent has gone out.
  virtual void finish() = 0;
  // An answer went out: the session may read again or be idle.
  virtual void progressed() = 0;
};

class HttpSession : public std::enable_shared_from_this<HttpSession> {
 public:
  struct Limits {
    std::size_t max_header_bytes = 64 << 10;
    std::size_t max_body_bytes = 1 << 20;
    std::size_t max_pipelined = 16;
  };
  // Answers one request; may be called later, once, from the same thread.
  // Calling it after the connection is gone does nothing.
  using Respond = std::function<void(HttpResponse)>;
  using Handler = std::function<void(HttpRequest &&, Respond)>;

  enum class Phase {
    idle,     // between requests, nothing unanswered
    waiting,  // every request read is being handled; none half-read
    headers,  // inside a request's start line or headers
    body,     // inside a request's body
    closed,   // no more input is read
  };

  static std::shared_ptr<HttpSession> create(Limits limits, Handler handler, SessionOutput &output);
  HttpSession(Limits limits, Handler handler, SessionOutput &output);
  HttpSession(const HttpSession &) = delete;
  HttpSession &operator=(const HttpSession &) = delete;

  // Bytes from the peer, in order.
  void feed(std::string_view bytes);
  // The peer closed its sending side.
  void end_of_input();
  // A read timeout expired: 408 if a request is half-read, and close.
  void time_out();
  // The connection is going away (server stopping): answers still pending
  // are dropped.
  void abandon();

  Phase phase() const;
  // False while the parser is paused or closed: stop reading the socket.
  bool wants_input() const { return !paused_ && !stopped_; }
  std::size_t unanswered() const { return slots_.size(); }
  std::uint64_t requests() const { return next_seq_; }

 private:
  struct Slot {
    std::uint64_t seq;
    std::optional<HttpResponse> response;
    bool close_after = false;
  };

  static const llhttp_settings_t &settings();
  static HttpSession &of(llhttp_t *parser) { return *static_cast<HttpSession *>(parser->data); }

  void execute(std::string_view bytes);
  void resume_if_room();
  // Queues an error answer after the unanswered ones and stops reading.
  void reject(int status, std::string_view reason, std::string_view message);
  void respond(std::uint64_t seq, HttpResponse response);
  void flush();
  void dispatch();

  int on_message_begin();
  int on_url(std::string_view at);
  int on_header_field(std::string_view at);
  int on_header_field_complete();
  int on_header_value(std::string_view at);
  int on_header_value_complete();
  int on_headers_complete();
  int on_body(std::string_view at);
  int on_message_complete();
  bool over_header_limit(std::size_t more);

  Limits limits_;
  Handler handler_;
  SessionOutput &output_;
  llhttp_t parser_{};

  HttpRequest current_;
  std::string field_, value_;
  std::size_t header_bytes_ = 0;
  bool in_message_ = false;
  bool headers_done_ = false;

  std::deque<Slot> slots_;
  std::uint64_t next_seq_ = 0;
  std::string backlog_;       // bytes read while paused
  bool paused_ = false;       // too many unanswered requests
  bool stopped_ = false;      // no more requests will be parsed
  bool finished_ = false;     // output_.finish() was called
  bool executing_ = false;    // inside llhttp_execute
  bool rejected_ = false;     // a callback refused the request and answered it
};

}  // namespace ordercare::runtime
