// WooCommerce webhook payloads (REST API order objects) -> canonical events
// (EVENTS.md). Conventions shared with the other mappers are in
// mapped_events.h.
//
// id: "woocommerce:<X-WC-Webhook-Source>:<X-WC-Webhook-Delivery-ID>". The
// source is part of the key because each store signs with its own secret and
// so chooses its own delivery ids. WooCommerce makes a new delivery id for
// each attempt; a redelivered update maps to the same facts (same status and
// updated_at) and the domain treats it as a no-op. store: the source URL
// without its trailing '/'.
//
// Timestamps come from the *_gmt fields (WooCommerce writes them without an
// offset; they are UTC). Money: the order currency's minor units. A line's
// unit_price is its subtotal divided by its quantity, rounded half up when
// inexact (WooCommerce's own "price" is that quotient as a float, and stays in
// data.platform).
//
// order.created -> order.created (channel from created_via: checkout and
//                  store-api -> web, admin -> phone, pos -> store), followed by
//                  the status event below when the order is born in a later
//                  state (failed, cancelled, completed, ...)
// order.updated -> by status: pending and on-hold -> order.updated pending;
//                  processing -> processing; completed -> shipped; cancelled ->
//                  cancelled; failed -> payment.failed; a status that is
//                  already a canonical one (shipped, delivered from plugins) as
//                  it is; refunded -> nothing by itself; checkout-draft, trash
//                  and unknown statuses -> nothing.
//                  In both topics every refund whose reason carries
//                  "ordercare-refund:<key>" (the idempotency key the host was
//                  given) also yields a refund.result succeeded with that key,
//                  after the status event.
// anything else -> nothing ("ignored: topic order.deleted").
// When one delivery yields several events, data.platform is on the first.
#pragma once

#include <string_view>

#include "common/json.h"
#include "ingest/http_headers.h"
#include "ingest/mapped_events.h"

namespace ordercare::ingest {

// topic is the X-WC-Webhook-Topic header. The activation ping has no topic
// and no JSON body: check is_woocommerce_ping before parsing. Throws
// Failure(OC_ERR_SCHEMA) naming the field when the payload is not an order.
MappedEvents map_woocommerce(std::string_view topic, const Headers &headers, const Json &payload);

}  // namespace ordercare::ingest
