// Signature verification for inbound webhooks, one function per scheme:
//
//   Shopify            X-Shopify-Hmac-Sha256: base64(HMAC-SHA256(secret, body))
//   WooCommerce        X-WC-Webhook-Signature: the same construction; the
//                      activation ping ("webhook_id=12") arrives unsigned
//   Stripe             Stripe-Signature: t=<unix s>,v1=<hex>[,v1=<hex>...],
//                      each v1 = hex(HMAC-SHA256(secret, "<t>.<body>"))
//   Standard Webhooks  webhook-id, webhook-timestamp (unix s) and
//                      webhook-signature: "v1,<base64>" entries separated by
//                      spaces, each over "<id>.<timestamp>.<body>". Used by
//                      /webhooks/events and by BigCommerce.
//
// Everything is computed over the exact bytes received: callers pass the raw
// body, never a re-serialized one. Comparisons are constant-time. Results and
// messages never contain a secret or an expected signature, so they can be
// logged and returned to the sender as they are.
//
// Pure functions: no clock (now is a parameter), no global state; safe to
// call from any thread.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "common/time_format.h"
#include "ingest/http_headers.h"

namespace ordercare::ingest {

// The secrets one endpoint or one shop accepts. During a rotation both are
// set and the previous one is accepted while now <= previous_not_after; after
// that only current is. An empty string is "not configured".
//
// Stripe and Shopify/WooCommerce secrets are used as the bytes given. A
// Standard Webhooks secret of the form "whsec_<base64>" is the base64-decoded
// key; any other string is used as raw bytes (BigCommerce signs with the
// app's client secret).
struct SecretSet {
  std::string current;
  std::string previous;
  TimeMs previous_not_after = 0;
};

enum class VerifyStatus {
  ok,
  ping,                // WooCommerce's unsigned activation ping: answer 2xx, map nothing
  missing_header,      // a required header is absent
  malformed_header,    // present but unusable, or sent more than once
  bad_signature,       // well-formed, matches no accepted secret
  stale_timestamp,     // the signed timestamp is outside the tolerance (replay)
  no_secret,           // nothing configured (or usable) to verify with
};

struct VerifyResult {
  VerifyStatus status = VerifyStatus::bad_signature;
  std::string message;            // what failed, naming the header; "" when ok
  bool matched_previous = false;  // only the previous secret matched (rotation pending)

  bool ok() const { return status == VerifyStatus::ok; }
};

// "ok", "ping", "missing_header", ... for logs and metrics labels.
std::string_view verify_status_name(VerifyStatus status);

// Stripe's and Standard Webhooks' recommended replay window.
constexpr TimeMs kDefaultSignatureTolerance = 5 * kMinuteMs;

// Shopify and WooCommerce sign no timestamp; now only decides whether the
// previous secret is still accepted.
VerifyResult verify_shopify(const Headers &headers, std::string_view raw_body,
                            const SecretSet &secrets, TimeMs now);
VerifyResult verify_woocommerce(const Headers &headers, std::string_view raw_body,
                                const SecretSet &secrets, TimeMs now);

// Timestamps further than tolerance_ms from now, in either direction, are
// rejected as stale before any HMAC is computed.
VerifyResult verify_stripe(const Headers &headers, std::string_view raw_body,
                           const SecretSet &secrets, TimeMs now, TimeMs tolerance_ms);
VerifyResult verify_standard_webhooks(const Headers &headers, std::string_view raw_body,
                                      const SecretSet &secrets, TimeMs now,
                                      TimeMs tolerance_ms);

// True for WooCommerce's activation ping body: "webhook_id=<digits>".
bool is_woocommerce_ping(std::string_view raw_body);

// The key bytes a Standard Webhooks secret stands for (see SecretSet);
// nullopt for an empty key or a "whsec_" secret that is not base64.
std::optional<std::string> standard_webhooks_key(std::string_view secret);

// Signing, the sender's side: for tests, fixtures and the load generator.
// Each returns exactly the header value the platform would send.
std::string shopify_signature(std::string_view secret, std::string_view body);
std::string woocommerce_signature(std::string_view secret, std::string_view body);
std::string stripe_signature_header(std::string_view secret, std::int64_t timestamp_s,
                                    std::string_view body);
// Throws Failure(OC_ERR_ARGUMENT) if the secret is unusable.
std::string standard_webhooks_signature(std::string_view secret, std::string_view id,
                                        std::int64_t timestamp_s, std::string_view body);

}  // namespace ordercare::ingest
