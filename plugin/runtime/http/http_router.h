// Method and path -> route, with 404 for an unknown path and 405 (and the
// Allow header) for a known path asked with the wrong method. Paths match
// exactly, without the query string.
#pragma once

#include <functional>
#include <map>
#include <string>
#include <string_view>

#include "runtime/http/http_message.h"
#include "runtime/http/http_session.h"

namespace ordercare::runtime {

class HttpRouter {
 public:
  using Route = std::function<void(HttpRequest &&, HttpSession::Respond)>;

  void add(const std::string &method, const std::string &path, Route route);
  void handle(HttpRequest &&request, const HttpSession::Respond &respond) const;

  // The path as metrics label it: a route's own path, or "other" so that
  // scanners cannot grow the label set.
  std::string_view endpoint_of(std::string_view path) const;

 private:
  std::map<std::string, std::map<std::string, Route>, std::less<>> routes_;  // path -> method -> route
};

}  // namespace ordercare::runtime
