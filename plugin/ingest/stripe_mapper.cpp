#include "ingest/stripe_mapper.h"

#include <array>
#include <limits>

#include "common/currency.h"
#include "common/event_type.h"
#include "common/failure.h"
#include "ingest/payload_reader.h"

namespace ordercare::ingest {

namespace {

constexpr std::string_view kSource = "stripe";
constexpr std::string_view kRefundKeyField = "ordercare_refund_id";

constexpr std::array<std::string_view, 16> kStripeZeroDecimal = {
    "BIF", "CLP", "DJF", "GNF", "JPY", "KMF", "KRW", "MGA",
    "PYG", "RWF", "UGX", "VND", "VUV", "XAF", "XOF", "XPF"};
constexpr std::array<std::string_view, 5> kStripeThreeDecimal = {"BHD", "JOD", "KWD", "OMR", "TND"};

template <std::size_t N>
bool listed(const std::array<std::string_view, N> &list, std::string_view code) {
  for (std::string_view c : list)
    if (c == code) return true;
  return false;
}

// Stripe's documented exponents: zero- and three-decimal lists, everything
// else (ISK included, for backward compatibility) two.
int stripe_exponent(std::string_view upper) {
  if (listed(kStripeZeroDecimal, upper)) return 0;
  if (listed(kStripeThreeDecimal, upper)) return 3;
  return 2;
}

struct Event {
  std::string key;
  std::optional<std::string> store;
  TimeMs created = 0;
};

std::optional<std::string> metadata_string(const PayloadReader &object, std::string_view key) {
  const Json *metadata = object.peek("metadata");
  if (!metadata || !metadata->is_object()) return std::nullopt;
  const auto it = metadata->find(key);
  if (it == metadata->end() || !it->is_string() || it->get_ref<const std::string &>().empty())
    return std::nullopt;
  return it->get<std::string>();
}

std::int64_t iso_amount(PayloadReader &object, const std::string &currency) {
  const std::int64_t amount = object.integer("amount");
  if (amount < 0) fail(OC_ERR_SCHEMA, object.field_path("amount") + ": expected a non-negative amount");
  const auto minor = stripe_to_iso_minor_units(amount, currency);
  if (!minor)
    fail(OC_ERR_SCHEMA, object.field_path("amount") + ": not a whole ISO 4217 minor unit of " + currency);
  return *minor;
}

MappedEvents single(const Event &event, EventType type, Json data) {
  std::vector<Json> events;
  events.push_back(make_event(type, event.created, kSource, event.store, std::move(data)));
  return with_ids(event.key, std::move(events));
}

MappedEvents map_dispute(PayloadReader &root, PayloadReader &dispute, const Event &event) {
  Json data = Json::object();
  std::optional<std::string> order_id = metadata_string(dispute, "order_id");
  if (!order_id) {
    for (std::string_view key : {"payment_intent", "charge"}) {
      const Json *v = dispute.peek(key);
      if (v && v->is_string() && !v->get_ref<const std::string &>().empty()) {
        order_id = v->get<std::string>();
        break;
      }
    }
  }
  if (!order_id) fail(OC_ERR_SCHEMA, dispute.field_path("charge") + ": required");
  data["order_id"] = *order_id;
  const std::string currency = dispute.currency("currency");
  data["amount"] = iso_amount(dispute, currency);
  data["currency"] = currency;
  if (auto reason = dispute.optional_string("reason")) data["reason"] = *reason;
  data["dispute_id"] = dispute.id("id");
  data["platform"] = root.leftovers();
  return single(event, EventType::payment_disputed, std::move(data));
}

// refund.result data for a refund ordercare asked for; nullopt for any
// other refund, or one whose outcome is not known yet.
std::optional<Json> refund_result(PayloadReader &refund) {
  const auto key = metadata_string(refund, kRefundKeyField);
  if (!key) return std::nullopt;
  const auto status = refund.peek_string("status");
  Json data = Json::object();
  data["refund_id"] = *key;
  if (status == "succeeded") {
    data["status"] = "succeeded";
  } else if (status == "failed" || status == "canceled") {
    data["status"] = "failed";
    if (auto reason = refund.optional_string("failure_reason")) data["reason"] = *reason;
  } else {
    return std::nullopt;
  }
  const std::string currency = refund.currency("currency");
  data["amount"] = iso_amount(refund, currency);
  data["currency"] = currency;
  data["host_reference"] = refund.id("id");
  return data;
}

// The order a charge or a refund belongs to: metadata.order_id when the
// host put it there, else the payment intent or the charge (as for
// disputes).
std::optional<std::string> order_of(const PayloadReader &object, std::initializer_list<std::string_view> keys) {
  if (auto id = metadata_string(object, "order_id")) return id;
  for (std::string_view key : keys) {
    const Json *v = object.peek(key);
    if (v && v->is_string() && !v->get_ref<const std::string &>().empty()) return v->get<std::string>();
  }
  return std::nullopt;
}

// refund.recorded data for a refund made outside ordercare (the Stripe
// dashboard, another integration) that has gone out; nullopt for one not
// finished, and for ordercare's own.
std::optional<Json> recorded_refund(PayloadReader &refund, const std::optional<std::string> &charge_order) {
  if (metadata_string(refund, kRefundKeyField)) return std::nullopt;
  if (refund.peek_string("status") != "succeeded") return std::nullopt;
  auto order_id = metadata_string(refund, "order_id");
  if (!order_id) order_id = charge_order;
  if (!order_id) order_id = order_of(refund, {"payment_intent", "charge"});
  if (!order_id) fail(OC_ERR_SCHEMA, refund.field_path("charge") + ": required");
  Json data = Json::object();
  data["order_id"] = *order_id;
  data["refund_id"] = refund.id("id");
  const std::string currency = refund.currency("currency");
  data["amount"] = iso_amount(refund, currency);
  data["currency"] = currency;
  if (auto reason = refund.optional_string("reason")) data["reason"] = *reason;
  return data;
}

MappedEvents map_refund(PayloadReader &root, PayloadReader &refund, const Event &event) {
  if (auto recorded = recorded_refund(refund, std::nullopt)) {
    (*recorded)["platform"] = root.leftovers();
    return single(event, EventType::refund_recorded, std::move(*recorded));
  }
  auto data = refund_result(refund);
  if (!data) {
    if (metadata_string(refund, kRefundKeyField))
      return ignored("ignored: refund is " + refund.peek_string("status").value_or("(no status)"));
    return ignored("ignored: refund made outside ordercare is " +
                   refund.peek_string("status").value_or("(no status)") + ", not succeeded");
  }
  (*data)["platform"] = root.leftovers();
  return single(event, EventType::refund_result, std::move(*data));
}

// Every refund the charge lists: ordercare's own answer their requests,
// the others are booked on the order's ledger. The list repeats earlier
// refunds with each new one; the domain books each refund id once.
MappedEvents map_charge_refunded(PayloadReader &root, PayloadReader &charge, const Event &event) {
  std::vector<std::pair<EventType, Json>> results;
  const auto charge_order = order_of(charge, {"payment_intent", "id"});
  PayloadReader *refunds = charge.has("refunds") ? charge.optional_object("refunds") : nullptr;
  if (refunds)
    for (PayloadReader *refund : refunds->optional_objects("data")) {
      if (auto data = refund_result(*refund))
        results.emplace_back(EventType::refund_result, std::move(*data));
      else if (auto recorded = recorded_refund(*refund, charge_order))
        results.emplace_back(EventType::refund_recorded, std::move(*recorded));
    }
  if (results.empty())
    return ignored(refunds ? "ignored: charge.refunded lists no refund that has gone out"
                           : "ignored: charge.refunded without its refunds list (Stripe API versions from "
                             "2022-11-15 leave it out): refund.created and refund.updated carry each refund");
  std::vector<Json> events;
  for (auto &[type, data] : results)
    events.push_back(make_event(type, event.created, kSource, event.store, std::move(data)));
  events.front()["data"]["platform"] = root.leftovers();
  return with_ids(event.key, std::move(events));
}

}  // namespace

std::optional<std::int64_t> stripe_to_iso_minor_units(std::int64_t amount, std::string_view currency) {
  const auto upper = normalize_currency(currency);
  if (!upper) return std::nullopt;
  const int iso = currency_exponent(*upper).value_or(2);
  int shift = iso - stripe_exponent(*upper);
  for (; shift > 0; --shift) {
    if (amount > std::numeric_limits<std::int64_t>::max() / 10 ||
        amount < std::numeric_limits<std::int64_t>::min() / 10)
      return std::nullopt;
    amount *= 10;
  }
  for (; shift < 0; ++shift) {
    if (amount % 10 != 0) return std::nullopt;
    amount /= 10;
  }
  return amount;
}

MappedEvents map_stripe(const Headers &headers, Json payload) {
  (void)headers;  // Stripe puts everything in the signed body.
  PayloadReader root(PayloadReader::Consume{}, payload, "payload");
  // The type stays in data.platform: the canonical type says less.
  const auto type_value = root.peek_string("type");
  if (!type_value) fail(OC_ERR_SCHEMA, root.field_path("type") + ": required");
  const std::string &type = *type_value;
  const bool dispute = type == "charge.dispute.created";
  const bool refund = type == "refund.created" || type == "refund.updated" ||
                      type == "refund.failed" || type == "charge.refund.updated";
  const bool charge_refunded = type == "charge.refunded";
  if (!dispute && !refund && !charge_refunded) return ignored("ignored: event type " + type);

  Event event;
  event.key = std::string(kSource) + ":" + root.string("id");
  event.store = root.optional_string("account");
  const auto created = root.optional_unix_seconds("created");
  if (!created) fail(OC_ERR_SCHEMA, root.field_path("created") + ": required");
  event.created = *created;
  PayloadReader &object = root.object("data").object("object");
  if (dispute) return map_dispute(root, object, event);
  if (refund) return map_refund(root, object, event);
  return map_charge_refunded(root, object, event);
}

}  // namespace ordercare::ingest
