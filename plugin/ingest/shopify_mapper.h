// Shopify webhook payloads -> canonical events (EVENTS.md). Conventions
// shared with the other mappers are in mapped_events.h.
//
// id: from the signed body, never from a header. Shopify's HMAC covers the
// body alone: X-Shopify-Event-Id, -Webhook-Id, -Triggered-At and -Topic can
// be changed by anyone who resends a captured delivery, and a retry carries
// the body of the first attempt. Shopify's ids are unique across shops, so
// the shop is not part of the key either.
//   orders/create                    "shopify:order.created:<order id>"
//   orders/cancelled                 "shopify:order.cancelled:<order id>"
//   orders/updated, paid, fulfilled, "shopify:order.updated:<order id>:<digest>"
//     partially_fulfilled            (one key for all four: they map alike)
//   fulfillments/create, update      "shopify:shipment.updated:<fulfillment id>:<digest>"
//   refunds/create                   "shopify:refund.result:<refund id>"
//   returns/request                  "shopify:return.requested:<return id>"
// where <digest> is payload_digest (mapped_events.h). store: the
// X-Shopify-Shop-Domain header.
//
// topic                    -> events
// orders/create            -> order.created (prices in the order currency's
//                             minor units; channel from source_name: web,
//                             pos -> store, shopify_draft_order -> phone,
//                             social and marketplace apps by name; a guest
//                             checkout gets customer id "shopify-guest-<order>";
//                             after an order edit a line's quantity is its
//                             current_quantity, and lines edited to 0 are left
//                             out of items)
// orders/updated, orders/paid, orders/fulfilled, orders/partially_fulfilled
//                          -> order.updated; status: cancelled if cancelled_at,
//                             else from fulfillment_status (fulfilled ->
//                             shipped, or delivered when every fulfillment's
//                             shipment_status is delivered), else pending while
//                             financial_status is pending, else processing.
//                             data.refunded = successful refund transactions.
// orders/cancelled         -> order.updated with status cancelled; the payload
//                             must have cancelled_at (the topic is not signed)
// fulfillments/create, fulfillments/update
//                          -> shipment.updated; shipment_status: delivered and
//                             picked_up -> delivered; attempted_delivery,
//                             failure, not_delivered -> delivery_failed;
//                             delayed -> delayed; none, confirmed, label_*,
//                             carrier_picked_up, in_transit, out_for_delivery,
//                             ready_for_pickup -> in_transit (data.reason keeps
//                             the finer status). Fulfillment status error or
//                             failure -> delivery_failed; pending/open (not
//                             shipped yet), cancelled and label_voided map to
//                             nothing.
// refunds/create           -> refund.result, only for a refund ordercare asked
//                             for: the host puts "ordercare-refund:<key>" (the
//                             idempotency key it was given) in the refund note.
//                             Any other refund maps to nothing: it is the
//                             merchant's, and the orders/updated delivery
//                             Shopify sends with it carries the new state.
// returns/request          -> return.requested (return reasons: defective ->
//                             damaged; wrong_item, not_as_described as they
//                             are; unwanted, size_*, style, color ->
//                             changed_mind; others -> other)
// inventory_levels/update  -> nothing: Shopify reports its own count only, and
//                             an inventory.discrepancy needs a physical count
//                             from whoever counted.
// anything else            -> nothing ("ignored: topic <topic>").
#pragma once

#include <string_view>

#include "common/json.h"
#include "ingest/http_headers.h"
#include "ingest/mapped_events.h"

namespace ordercare::ingest {

// topic is the X-Shopify-Topic header. Throws Failure(OC_ERR_SCHEMA) naming
// the field ("payload.line_items[2].price: ...") when the payload does not
// have the shape of its topic.
MappedEvents map_shopify(std::string_view topic, const Headers &headers, Json payload);

}  // namespace ordercare::ingest
