// What a platform mapper returns: the canonical events (EVENTS.md) one
// webhook delivery stands for, or none and the reason why.
//
// Conventions shared by every mapper:
// - id: "<source>:<delivery key>", the platform's own delivery/event id
//   (Shopify's X-Shopify-Event-Id with the topic, WooCommerce's delivery id,
//   Stripe's event id, BigCommerce's webhook-id), so a redelivery dedupes.
//   When one delivery yields several events they get "#1", "#2", ... in a
//   fixed order.
// - occurred_at: RFC 3339 in UTC, from the payload's own timestamps.
// - data.platform: every payload field the mapping did not use, at its
//   original path (nested objects and arrays keep their shape). It can hold
//   customer PII (addresses, e-mail) and must be stored like the rest of data.
// - data.updated_at on order events: the platform's modification time, so the
//   domain can refuse an older update arriving after a newer one.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/json.h"
#include "common/time_format.h"

namespace ordercare::ingest {

struct MappedEvents {
  std::vector<Json> events;  // canonical events, ready for oc_submit
  std::string reason;        // why events is empty ("ignored: topic products/update"); "" otherwise
};

// An event envelope without its id (see with_ids).
Json make_event(std::string_view type, TimeMs occurred_at, std::string_view source,
                const std::optional<std::string> &store, Json data);

// Sets each event's id from the delivery key: the key itself for one event,
// "<key>#1".."#n" for several.
MappedEvents with_ids(std::string_view delivery_key, std::vector<Json> events);

// No events, and why.
MappedEvents ignored(std::string reason);

// How a host marks a refund ordercare asked for, on platforms whose refunds
// carry only free text: "ordercare-refund:<idempotency key>" anywhere in the
// note or reason. Returns the key (up to whitespace or closing punctuation).
constexpr std::string_view kRefundKeyMarker = "ordercare-refund:";
std::optional<std::string> find_refund_key(std::string_view text);

}  // namespace ordercare::ingest
