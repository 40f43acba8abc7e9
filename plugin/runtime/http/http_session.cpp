#include "runtime/http/http_session.h"

#include <exception>

namespace ordercare::runtime {

namespace {

std::string_view span(const char *at, std::size_t length) { return {at, length}; }

bool equals_ignoring_case(std::string_view a, std::string_view b) { return ingest::header_name_equal(a, b); }

// A field name is a token (RFC 9110 section 5.6.2).
bool is_token(std::string_view name) {
  constexpr std::string_view kPunctuation = "!#$%&'*+-.^_`|~";
  for (char c : name) {
    const bool alnum = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    if (!alnum && kPunctuation.find(c) == std::string_view::npos) return false;
  }
  return !name.empty();
}

}  // namespace

const llhttp_settings_t &HttpSession::settings() {
  static const llhttp_settings_t instance = [] {
    llhttp_settings_t s;
    llhttp_settings_init(&s);
    s.on_message_begin = [](llhttp_t *p) { return of(p).on_message_begin(); };
    s.on_url = [](llhttp_t *p, const char *at, std::size_t n) { return of(p).on_url(span(at, n)); };
    s.on_header_field = [](llhttp_t *p, const char *at, std::size_t n) { return of(p).on_header_field(span(at, n)); };
    s.on_header_field_complete = [](llhttp_t *p) { return of(p).on_header_field_complete(); };
    s.on_header_value = [](llhttp_t *p, const char *at, std::size_t n) { return of(p).on_header_value(span(at, n)); };
    s.on_header_value_complete = [](llhttp_t *p) { return of(p).on_header_value_complete(); };
    s.on_headers_complete = [](llhttp_t *p) { return of(p).on_headers_complete(); };
    s.on_body = [](llhttp_t *p, const char *at, std::size_t n) { return of(p).on_body(span(at, n)); };
    s.on_message_complete = [](llhttp_t *p) { return of(p).on_message_complete(); };
    return s;
  }();
  return instance;
}

std::shared_ptr<HttpSession> HttpSession::create(Limits limits, Handler handler, SessionOutput &output) {
  return std::make_shared<HttpSession>(limits, std::move(handler), output);
}

HttpSession::HttpSession(Limits limits, Handler handler, SessionOutput &output)
    : limits_(limits), handler_(std::move(handler)), output_(output) {
  llhttp_init(&parser_, HTTP_REQUEST, &settings());
  parser_.data = this;
}

HttpSession::Phase HttpSession::phase() const {
  if (stopped_) return Phase::closed;
  if (in_message_) return headers_done_ ? Phase::body : Phase::headers;
  return slots_.empty() && !paused_ ? Phase::idle : Phase::waiting;
}

void HttpSession::feed(std::string_view bytes) {
  if (stopped_ || bytes.empty()) return;
  if (paused_) {
    backlog_.append(bytes);
    return;
  }
  execute(bytes);
  flush();
  resume_if_room();
}

void HttpSession::end_of_input() {
  if (stopped_) return;
  // A half-read request can never be completed; the ones read are still
  // answered (the peer may only have closed its sending side).
  stopped_ = true;
  in_message_ = false;
  backlog_.clear();
  flush();
}

void HttpSession::time_out() {
  if (stopped_) return;
  if (in_message_) {
    reject(408, "timeout", headers_done_ ? "the request body did not arrive in time"
                                         : "the request headers did not arrive in time");
  } else {
    stopped_ = true;
    backlog_.clear();
  }
  flush();
}

void HttpSession::abandon() {
  stopped_ = true;
  finished_ = true;
  slots_.clear();
  backlog_.clear();
}

void HttpSession::execute(std::string_view bytes) {
  executing_ = true;
  const llhttp_errno_t error = llhttp_execute(&parser_, bytes.data(), bytes.size());
  executing_ = false;
  if (error == HPE_OK) return;
  if (error == HPE_PAUSED) {
    // Stopped after a complete request: too many unanswered, or the last
    // request of the connection. The rest waits (or is never read).
    const char *at = llhttp_get_error_pos(&parser_);
    std::string rest(at, static_cast<std::size_t>(bytes.data() + bytes.size() - at));
    llhttp_resume(&parser_);
    if (!stopped_) {
      paused_ = true;
      backlog_ = std::move(rest);
    }
    return;
  }
  if (error == HPE_PAUSED_UPGRADE) {
    // Upgrade and CONNECT: the request was handled like any other, and the
    // connection ends after its answer, since we speak nothing else.
    stopped_ = true;
    if (!slots_.empty()) slots_.back().close_after = true;
    return;
  }
  if (rejected_) return;  // a callback refused the request and queued the answer
  reject(400, "malformed_request",
         std::string("malformed HTTP request: ") + llhttp_errno_name(error) + ": " + llhttp_get_error_reason(&parser_));
}

void HttpSession::resume_if_room() {
  while (paused_ && !stopped_ && !executing_ && slots_.size() < limits_.max_pipelined) {
    paused_ = false;
    std::string pending = std::move(backlog_);
    backlog_.clear();
    if (!pending.empty()) execute(pending);
    flush();
  }
}

void HttpSession::reject(int status, std::string_view reason, std::string_view message) {
  rejected_ = true;
  stopped_ = true;
  in_message_ = false;
  backlog_.clear();
  HttpResponse response = json_error(status, reason, message);
  response.close = true;
  slots_.push_back(Slot{next_seq_++, std::move(response), true});
}

void HttpSession::respond(std::uint64_t seq, HttpResponse response) {
  if (finished_ || slots_.empty() || seq < slots_.front().seq) return;
  const std::size_t index = static_cast<std::size_t>(seq - slots_.front().seq);
  if (index >= slots_.size() || slots_[index].seq != seq || slots_[index].response) return;
  slots_[index].response = std::move(response);
  if (index != 0) return;  // waits for the answers before it
  flush();
  resume_if_room();
  if (!executing_) output_.progressed();
}

void HttpSession::flush() {
  while (!slots_.empty() && slots_.front().response) {
    Slot slot = std::move(slots_.front());
    slots_.pop_front();
    const bool close = slot.close_after || slot.response->close;
    output_.send(serialize(*slot.response, close));
    if (close) {
      // Whatever came after it is never answered: the peer sees the close.
      stopped_ = true;
      slots_.clear();
      backlog_.clear();
    }
  }
  if (stopped_ && slots_.empty() && !finished_) {
    finished_ = true;
    output_.finish();
  }
}

void HttpSession::dispatch() {
  const std::uint64_t seq = next_seq_++;
  slots_.push_back(Slot{seq, std::nullopt, !current_.keep_alive});
  std::weak_ptr<HttpSession> weak = weak_from_this();
  Respond respond = [weak, seq](HttpResponse response) {
    if (auto self = weak.lock()) self->respond(seq, std::move(response));
  };
  try {
    handler_(std::move(current_), respond);
  } catch (const std::exception &e) {
    // Handlers answer their own failures; this is the last line of defence.
    respond(json_error(500, "internal", std::string("internal error: ") + e.what()));
  }
  current_ = HttpRequest{};
}

int HttpSession::on_message_begin() {
  current_ = HttpRequest{};
  field_.clear();
  value_.clear();
  header_bytes_ = 0;
  in_message_ = true;
  headers_done_ = false;
  return 0;
}

bool HttpSession::over_header_limit(std::size_t more) {
  header_bytes_ += more;
  return header_bytes_ > limits_.max_header_bytes;
}

int HttpSession::on_url(std::string_view at) {
  if (over_header_limit(at.size())) {
    reject(414, "uri_too_long", "the request target is longer than the header limit");
    return HPE_USER;
  }
  current_.target.append(at);
  return 0;
}

int HttpSession::on_header_field(std::string_view at) {
  if (over_header_limit(at.size())) {
    reject(431, "headers_too_large", "the request headers exceed " + std::to_string(limits_.max_header_bytes) + " bytes");
    return HPE_USER;
  }
  field_.append(at);
  return 0;
}

// llhttp 8 lets whitespace into a field name ("Host : x" gives "Host "),
// which RFC 9112 section 5.1 says a server must answer 400: a proxy in front
// may read such a header differently, the start of request smuggling.
int HttpSession::on_header_field_complete() {
  if (is_token(field_)) return 0;
  const bool space_before_colon = !field_.empty() && (field_.back() == ' ' || field_.back() == '\t');
  reject(400, "malformed_request",
         space_before_colon ? "malformed HTTP request: whitespace between a header name and its colon"
                            : "malformed HTTP request: a header name that is not a token");
  return HPE_USER;
}

int HttpSession::on_header_value(std::string_view at) {
  if (over_header_limit(at.size())) {
    reject(431, "headers_too_large", "the request headers exceed " + std::to_string(limits_.max_header_bytes) + " bytes");
    return HPE_USER;
  }
  value_.append(at);
  return 0;
}

int HttpSession::on_header_value_complete() {
  current_.headers.add(std::move(field_), std::move(value_));
  field_.clear();
  value_.clear();
  return 0;
}

int HttpSession::on_headers_complete() {
  headers_done_ = true;
  current_.method = llhttp_method_name(static_cast<llhttp_method_t>(parser_.method));
  const bool has_length = parser_.flags & F_CONTENT_LENGTH;
  if (has_length && parser_.content_length > limits_.max_body_bytes) {
    reject(413, "body_too_large",
           "the body of " + std::to_string(parser_.content_length) + " bytes exceeds the limit of " +
               std::to_string(limits_.max_body_bytes));
    return -1;
  }
  // A client that asked before sending its body is told to go on, unless
  // earlier answers are still due (a 100 must not overtake them).
  auto expect = current_.headers.get("Expect");
  const bool has_body = (has_length && parser_.content_length > 0) || (parser_.flags & F_CHUNKED);
  if (expect && equals_ignoring_case(*expect, "100-continue") && has_body && slots_.empty())
    output_.send("HTTP/1.1 100 Continue\r\n\r\n");
  return 0;
}

int HttpSession::on_body(std::string_view at) {
  if (current_.body.size() + at.size() > limits_.max_body_bytes) {
    reject(413, "body_too_large", "the body exceeds the limit of " + std::to_string(limits_.max_body_bytes) + " bytes");
    return HPE_USER;
  }
  current_.body.append(at);
  return 0;
}

int HttpSession::on_message_complete() {
  if (finished_) return HPE_PAUSED;  // the connection closed under the parser
  in_message_ = false;
  headers_done_ = false;
  current_.keep_alive = llhttp_should_keep_alive(&parser_) != 0;
  if (!current_.keep_alive) stopped_ = true;
  dispatch();
  if (stopped_ || slots_.size() >= limits_.max_pipelined) return HPE_PAUSED;
  return 0;
}

}  // namespace ordercare::runtime
