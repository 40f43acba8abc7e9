// WooCommerce webhook payloads (REST API order objects) -> canonical events
// (EVENTS.md). Conventions shared with the other mappers are in
// mapped_events.h.
//
// id: from the signed body. WooCommerce signs the body alone, and its
// X-WC-Webhook-Delivery-ID is a hash of the webhook id and the current second:
// unsigned, so a captured delivery could be resent under a new one, and shared
// by different orders sent in the same second.
//   order.created, first event      "woocommerce:<source>:order.created:<order id>"
//   the status event (order.updated "woocommerce:<source>:<type>:<order id>:<digest>"
//     or payment.failed), either topic
//   refund.result                   "woocommerce:<source>:refund.result:<refund id>"
// where <source> is X-WC-Webhook-Source without its trailing '/' (order ids
// are per store; give each store its own secret so the source is bound to
// the signature) and <digest> is payload_digest (mapped_events.h): the same
// body sent under either topic or again maps to the same ids. store: the
// source URL without its trailing '/'.
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
MappedEvents map_woocommerce(std::string_view topic, const Headers &headers, Json payload);

}  // namespace ordercare::ingest
