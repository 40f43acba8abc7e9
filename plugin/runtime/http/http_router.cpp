#include "runtime/http/http_router.h"

namespace ordercare::runtime {

void HttpRouter::add(const std::string &method, const std::string &path, Route route) {
  routes_[path][method] = std::move(route);
}

void HttpRouter::handle(HttpRequest &&request, const HttpSession::Respond &respond) const {
  auto by_path = routes_.find(request.path());
  if (by_path == routes_.end()) {
    respond(json_error(404, "not_found", "no endpoint at " + std::string(request.path())));
    return;
  }
  auto route = by_path->second.find(request.method);
  if (route == by_path->second.end()) {
    std::string allow;
    for (const auto &[method, unused] : by_path->second) allow += (allow.empty() ? "" : ", ") + method;
    HttpResponse r = json_error(405, "method_not_allowed", request.method + " is not allowed here; use " + allow);
    r.headers.emplace_back("Allow", allow);
    respond(std::move(r));
    return;
  }
  route->second(std::move(request), respond);
}

std::string_view HttpRouter::endpoint_of(std::string_view path) const {
  auto it = routes_.find(path);
  return it == routes_.end() ? std::string_view("other") : std::string_view(it->first);
}

}  // namespace ordercare::runtime
