// BigCommerce webhook payloads -> canonical events (EVENTS.md). Conventions
// shared with the other mappers are in mapped_events.h.
//
// BigCommerce payloads are thin: {scope, store_id, data: {type, id, ...},
// hash, created_at, producer}. Only an order's status change carries enough
// to act on; everything else needs an API call the host makes, not us.
//
// id: "bigcommerce:<webhook-id header>": Standard Webhooks signs it with the
// timestamp and the body, so a replay under another id fails verification and
// one inside the timestamp tolerance dedupes. Without one (never, once
// verified) "bigcommerce:<store_id>:<hash>" (BigCommerce gives a redelivered
// event the same hash).
// store: store_id. occurred_at and data.updated_at: created_at.
//
// store/order/statusUpdated -> order.updated, by data.status.new_status_id:
//    1 Pending, 7 Awaiting Payment, 12 Manual Verification Required -> pending
//    11 Awaiting Fulfillment, 3 Partially Shipped                   -> processing
//    8 Awaiting Pickup, 9 Awaiting Shipment                         -> packed
//    2 Shipped -> shipped; 10 Completed -> delivered
//    5 Cancelled -> cancelled; 6 Declined -> cancelled with reason "declined"
//      (payment.failed would need an amount the payload does not have)
//    0 Incomplete (an abandoned checkout), 4 Refunded, 13 Disputed,
//    14 Partially Refunded, and ids we do not know -> nothing: no amount, no
//      refund key; the payment provider's own webhook carries those facts.
// any other scope -> nothing ("ignored: scope store/order/created carries
//    only an id").
#pragma once

#include "common/json.h"
#include "ingest/http_headers.h"
#include "ingest/mapped_events.h"

namespace ordercare::ingest {

// Throws Failure(OC_ERR_SCHEMA) naming the field ("payload.data.id: ...")
// when the payload does not have the shape of its scope.
MappedEvents map_bigcommerce(const Headers &headers, Json payload);

}  // namespace ordercare::ingest
