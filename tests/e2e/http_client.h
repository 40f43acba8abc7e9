// A blocking HTTP/1.1 client over 127.0.0.1 for the end-to-end tests: raw
// bytes out (so tests can pipeline, trickle and send garbage), responses
// parsed back one at a time. Every wait is bounded by a receive timeout.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/json.h"
#include "ingest/http_headers.h"

namespace ordercare::e2e {

struct Response {
  int status = 0;
  ingest::Headers headers;
  std::string body;
  Json json() const { return Json::parse(body); }
};

using HeaderList = std::vector<std::pair<std::string, std::string>>;

// The bytes of one request; Content-Length is added for a body.
std::string request_bytes(std::string_view method, std::string_view path, const HeaderList &headers,
                          std::string_view body = {});

class HttpClient {
 public:
  // Connects to 127.0.0.1:port; waits for a reply at most receive_timeout_ms.
  explicit HttpClient(int port, int receive_timeout_ms = 10000);
  ~HttpClient();
  HttpClient(const HttpClient &) = delete;
  HttpClient &operator=(const HttpClient &) = delete;

  // Writes all bytes; false if the peer closed or reset the connection.
  bool send(std::string_view bytes);
  // Reads one response; throws std::runtime_error on timeout or close.
  Response read_response();
  // True once the server has closed the connection (EOF or reset) within the
  // receive timeout; bytes still arriving before the close are dropped.
  bool wait_closed();
  // True if a byte (or the close) is waiting to be read now.
  bool readable();
  Response request(std::string_view method, std::string_view path, const HeaderList &headers = {},
                   std::string_view body = {});

 private:
  // Appends what arrives; false on EOF, reset or timeout.
  bool receive_more();
  int fd_ = -1;
  std::string buffer_;
};

}  // namespace ordercare::e2e
