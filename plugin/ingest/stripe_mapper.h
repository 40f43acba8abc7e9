// Stripe event payloads (POST /webhooks/stripe: payment disputes and
// refunds) -> canonical events (EVENTS.md). Conventions shared with the other
// mappers are in mapped_events.h.
//
// id: "stripe:<event id>" (evt_..., in the signed body, the same for every
// delivery of an event; a replay outside the signed timestamp's tolerance is
// refused before it is mapped).
// store: the connected account (event.account) when there is one.
// occurred_at: event.created.
//
// Amounts: Stripe's integers are already minor units, in Stripe's own
// exponents, which differ from ISO 4217 for a few currencies (ISK is sent
// with two decimals, MGA with none); they are rescaled to ISO minor units.
//
// charge.dispute.created -> payment.disputed: amount, currency, reason
//     (Stripe's: fraudulent, product_not_received, ...), dispute_id. order_id
//     is metadata.order_id when the integration set it, else the PaymentIntent
//     id, else the charge id, for the host's lookup_order to resolve.
// refund.created, refund.updated, refund.failed, charge.refund.updated
//     -> refund.result for a refund ordercare asked for, which the host marks
//     with metadata.ordercare_refund_id = <the idempotency key it was given>:
//     succeeded -> succeeded, failed and canceled -> failed (reason:
//     failure_reason), pending and requires_action -> nothing yet.
// charge.refunded -> the same for each such refund listed in the charge
//     (older API versions embed charge.refunds); otherwise nothing: the charge
//     alone does not say which refund ordercare asked for, and refunds made
//     elsewhere are not ordercare's to report.
// anything else -> nothing ("ignored: event type <type>").
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

#include "common/json.h"
#include "ingest/http_headers.h"
#include "ingest/mapped_events.h"

namespace ordercare::ingest {

// Throws Failure(OC_ERR_SCHEMA) naming the field ("payload.data.object.amount:
// ...") when the event does not have the shape of its type.
MappedEvents map_stripe(const Headers &headers, Json payload);

// Stripe's minor units -> ISO 4217 minor units; nullopt if the amount is
// not a whole ISO minor unit or overflows. currency is upper- or lower-case.
std::optional<std::int64_t> stripe_to_iso_minor_units(std::int64_t amount, std::string_view currency);

}  // namespace ordercare::ingest
