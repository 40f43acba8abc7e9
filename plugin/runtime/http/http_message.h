// One HTTP/1.1 request as the server hands it to a route, and the response
// a route answers with. No sockets here: these are plain values.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/json.h"
#include "ingest/http_headers.h"

namespace ordercare::runtime {

struct HttpRequest {
  std::string method;  // "GET", "POST", ...
  std::string target;  // as sent: path and query
  ingest::Headers headers;
  std::string body;  // the exact bytes received (signatures are computed over them)
  bool keep_alive = true;

  // The target without its query string.
  std::string_view path() const;
};

struct HttpResponse {
  int status = 200;
  std::string content_type = "application/json";
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;  // beyond the ones every response gets
  bool close = false;  // close the connection once this is sent
};

// {"error": message} with the given status; `reason` adds a short machine
// code ("bad_signature", "malformed_payload", ...).
HttpResponse json_error(int status, std::string_view reason, std::string_view message);
HttpResponse json_response(int status, const Json &body);

// The standard reason phrase ("Not Found"); "Unknown" for codes we never send.
std::string_view status_text(int status);

// The response as bytes on the wire, with Content-Length and, when the
// connection ends after it, Connection: close.
std::string serialize(const HttpResponse &response, bool close_connection);

}  // namespace ordercare::runtime
