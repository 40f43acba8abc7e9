#include "ingest/mapped_events.h"

#include <algorithm>

#include "common/crypto.h"

namespace ordercare::ingest {

Json make_event(EventType type, TimeMs occurred_at, std::string_view source,
                const std::optional<std::string> &store, Json data) {
  Json event = Json::object();
  event["type"] = name_of(type);
  event["occurred_at"] = format_rfc3339(occurred_at);
  event["source"] = source;
  if (store) event["store"] = *store;
  event["data"] = std::move(data);
  return event;
}

namespace {

// Event ids are limited to 256 bytes (abi/events.schema.json); room is left
// for a "#n" suffix.
constexpr std::size_t kMaxKeyBytes = 240;

// A key too long to be an id (a store URL of hundreds of bytes) is replaced
// by its digest, which is just as stable.
std::string bounded_key(std::string_view key) {
  if (key.size() <= kMaxKeyBytes) return std::string(key);
  return std::string(key.substr(0, std::min<std::size_t>(key.find(':'), 32))) + ":sha256:" +
         crypto::hex_encode(crypto::sha256(key));
}

}  // namespace

MappedEvents with_ids(std::string_view delivery_key, std::vector<Json> events) {
  MappedEvents out;
  const std::string key = bounded_key(delivery_key);
  for (std::size_t i = 0; i < events.size(); ++i) {
    std::string id = key;
    if (events.size() > 1) id += "#" + std::to_string(i + 1);
    events[i]["id"] = std::move(id);
  }
  out.events = std::move(events);
  return out;
}

MappedEvents with_ids(const std::vector<std::string> &keys, std::vector<Json> events) {
  MappedEvents out;
  for (std::size_t i = 0; i < events.size(); ++i) events[i]["id"] = bounded_key(keys.at(i));
  out.events = std::move(events);
  return out;
}

std::string payload_digest(const Json &payload) {
  // A payload reaches here through parse_json, which refuses invalid UTF-8,
  // so replacing never makes two payloads one.
  const std::string text = payload.dump(-1, ' ', false, Json::error_handler_t::replace);
  return crypto::hex_encode(crypto::sha256(text)).substr(0, 32);
}

MappedEvents ignored(std::string reason) {
  MappedEvents out;
  out.reason = std::move(reason);
  return out;
}

std::optional<std::string> find_refund_key(std::string_view text) {
  const std::size_t at = text.find(kRefundKeyMarker);
  if (at == std::string_view::npos) return std::nullopt;
  constexpr std::string_view kStop = " \t\r\n)]}>,;\"'";
  const std::size_t begin = at + kRefundKeyMarker.size();
  std::size_t end = begin;
  while (end < text.size() && kStop.find(text[end]) == std::string_view::npos) ++end;
  if (end == begin) return std::nullopt;
  return std::string(text.substr(begin, end - begin));
}

}  // namespace ordercare::ingest
