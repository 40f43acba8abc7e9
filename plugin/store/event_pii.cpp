#include "store/event_pii.h"

#include <map>
#include <string>
#include <vector>

namespace ordercare::store {

namespace {

// JSON pointers; "*" stands for every element of an array. data.platform
// holds what a webhook mapper could not map, which may be anything.
const std::vector<std::string> kCommon = {"/data/platform"};

const std::map<std::string, std::vector<std::string>> kPiiPaths = {
    {"order.created",
     {"/data/order/customer/name", "/data/order/customer/email", "/data/order/customer/phone",
      "/data/order/shipping_address", "/data/order/note"}},
    {"customer.message",
     {"/data/customer/name", "/data/customer/email", "/data/customer/phone", "/data/text"}},
    {"cancellation.requested", {"/data/reason"}},
    {"order.change_requested", {"/data/details"}},
    {"return.requested", {"/data/items/*/note"}},
};

// Expands "*" segments against the event into concrete pointers.
void expand(const Json &node, const std::string &prefix, const std::vector<std::string> &segments,
            std::size_t at, std::vector<std::string> &out) {
  if (at == segments.size()) {
    out.push_back(prefix);
    return;
  }
  const std::string &segment = segments[at];
  if (segment == "*") {
    if (!node.is_array()) return;
    for (std::size_t i = 0; i < node.size(); ++i)
      expand(node[i], prefix + "/" + std::to_string(i), segments, at + 1, out);
    return;
  }
  if (!node.is_object() || !node.contains(segment)) return;
  expand(node[segment], prefix + "/" + segment, segments, at + 1, out);
}

std::vector<std::string> split(const std::string &pointer) {
  std::vector<std::string> out;
  std::size_t start = 1;
  while (start <= pointer.size()) {
    const std::size_t slash = pointer.find('/', start);
    out.push_back(pointer.substr(start, slash - start));
    if (slash == std::string::npos) break;
    start = slash + 1;
  }
  return out;
}

}  // namespace

Json extract_event_pii(Json &event) {
  Json pii = Json::object();
  std::vector<std::string> patterns = kCommon;
  if (auto it = kPiiPaths.find(event.value("type", "")); it != kPiiPaths.end())
    patterns.insert(patterns.end(), it->second.begin(), it->second.end());
  for (const auto &pattern : patterns) {
    std::vector<std::string> pointers;
    expand(event, "", split(pattern), 0, pointers);
    for (const auto &pointer : pointers) {
      const Json::json_pointer ptr(pointer);
      pii[pointer] = event.at(ptr);
      event.at(ptr.parent_pointer()).erase(ptr.back());
    }
  }
  return pii;
}

void restore_event_pii(Json &event, const Json &pii) {
  for (auto it = pii.begin(); it != pii.end(); ++it) {
    const Json::json_pointer ptr(it.key());
    if (event.contains(ptr.parent_pointer())) event[ptr] = it.value();
  }
}

}  // namespace ordercare::store
