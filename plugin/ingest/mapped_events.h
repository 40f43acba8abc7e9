// What a platform mapper returns: the canonical events (EVENTS.md) one
// webhook delivery stands for, or none and the reason why.
//
// Conventions shared by every mapper:
// - id: "<source>:<key>", where the key comes only from what the platform
//   signs, since the id is the dedupe key: a header outside the signature
//   can be changed by anyone resending a captured delivery. Where the
//   signature covers an event id (Stripe's, the Standard Webhooks
//   webhook-id of BigCommerce) that id is the key. Where it covers the body
//   alone (Shopify, WooCommerce) the key is what the event is about: the
//   resource's id for what happens once (an order created, a refund, a
//   return requested) and its id plus payload_digest for what changes (an
//   order's state, a shipment's), so a retry or a replay of the same body
//   dedupes and different content never does. When one delivery yields
//   several events they get "#1", "#2", ... in a fixed order, or keys of
//   their own.
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

#include "common/event_type.h"
#include "common/json.h"
#include "common/time_format.h"

namespace ordercare::ingest {

struct MappedEvents {
  std::vector<Json> events;  // canonical events, ready for oc_submit
  std::string reason;        // why events is empty ("ignored: topic products/update"); "" otherwise
};

// An event envelope without its id (see with_ids).
Json make_event(EventType type, TimeMs occurred_at, std::string_view source,
                const std::optional<std::string> &store, Json data);

// Sets each event's id from the delivery key: the key itself for one event,
// "<key>#1".."#n" for several.
MappedEvents with_ids(std::string_view delivery_key, std::vector<Json> events);

// Sets each event's id to its own key: keys[i] for events[i].
MappedEvents with_ids(const std::vector<std::string> &keys, std::vector<Json> events);

// A digest of the payload's content (32 hex digits of the SHA-256 of its
// compact JSON): the same for every delivery of the same signed body, however
// it was spaced, and different for any change a mapper could read.
std::string payload_digest(const Json &payload);

// No events, and why.
MappedEvents ignored(std::string reason);

// How a host marks a refund ordercare asked for, on platforms whose refunds
// carry only free text: "ordercare-refund:<idempotency key>" anywhere in the
// note or reason. Returns the key (up to whitespace or closing punctuation).
constexpr std::string_view kRefundKeyMarker = "ordercare-refund:";
std::optional<std::string> find_refund_key(std::string_view text);

}  // namespace ordercare::ingest
