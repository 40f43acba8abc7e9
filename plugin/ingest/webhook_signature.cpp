#include "ingest/webhook_signature.h"

#include <vector>

#include "common/crypto.h"
#include "common/failure.h"

namespace ordercare::ingest {

namespace {

constexpr std::string_view kShopifyHmac = "X-Shopify-Hmac-Sha256";
constexpr std::string_view kWooSignature = "X-WC-Webhook-Signature";
constexpr std::string_view kStripeSignature = "Stripe-Signature";
constexpr std::string_view kWebhookId = "webhook-id";
constexpr std::string_view kWebhookTimestamp = "webhook-timestamp";
constexpr std::string_view kWebhookSignature = "webhook-signature";
constexpr std::string_view kWhsecPrefix = "whsec_";
constexpr std::size_t kMacBytes = 32;
// Unix seconds with more digits than this are nonsense and would overflow
// once turned into milliseconds.
constexpr std::size_t kMaxTimestampDigits = 15;

// Not inlined: moving a caller's temporary message into the result, once
// inlined, trips GCC 12's -Wstringop-overread at -O2 (a false positive
// about the short-string buffer, GCC bug 105651) in an integrator's
// RelWithDebInfo build. Only failures pass here.
[[gnu::noinline]] VerifyResult failure(VerifyStatus status, std::string message) {
  VerifyResult result;
  result.status = status;
  result.message = std::move(message);
  return result;
}

// The one value of a header that must appear once, or the failure to return.
std::optional<VerifyResult> single_header(const Headers &headers, std::string_view name,
                                          std::string_view &value) {
  const std::size_t n = headers.count(name);
  if (n == 0) return failure(VerifyStatus::missing_header, std::string(name) + ": missing");
  if (n > 1)
    return failure(VerifyStatus::malformed_header,
                   std::string(name) + ": sent " + std::to_string(n) + " times");
  value = *headers.get(name);
  if (value.empty()) return failure(VerifyStatus::malformed_header, std::string(name) + ": empty");
  return std::nullopt;
}

// The secrets accepted at `now`, current first. The flag marks the previous one.
struct Candidate {
  std::string key;
  bool previous;
};

std::vector<Candidate> accepted_secrets(const SecretSet &secrets, TimeMs now) {
  std::vector<Candidate> out;
  if (!secrets.current.empty()) out.push_back({secrets.current, false});
  if (!secrets.previous.empty() && now <= secrets.previous_not_after)
    out.push_back({secrets.previous, true});
  return out;
}

// Compares every received MAC with every candidate's expected MAC without
// stopping at the first match, so timing says nothing about which matched.
VerifyResult match(const std::vector<std::string> &received, const std::vector<Candidate> &keys,
                   const std::vector<std::string> &expected, std::string_view header) {
  bool current_matched = false;
  bool previous_matched = false;
  for (const std::string &mac : received) {
    for (std::size_t i = 0; i < keys.size(); ++i) {
      const bool equal = crypto::constant_time_equal(mac, expected[i]);
      (keys[i].previous ? previous_matched : current_matched) |= equal;
    }
  }
  if (!current_matched && !previous_matched)
    return failure(VerifyStatus::bad_signature,
                   std::string(header) + ": signature does not match the body");
  VerifyResult result;
  result.status = VerifyStatus::ok;
  result.matched_previous = !current_matched;
  return result;
}

std::optional<std::int64_t> parse_unix_seconds(std::string_view text) {
  if (text.empty() || text.size() > kMaxTimestampDigits) return std::nullopt;
  std::int64_t value = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
    value = value * 10 + (c - '0');
  }
  return value;
}

std::optional<VerifyResult> check_tolerance(std::int64_t timestamp_s, TimeMs now,
                                            TimeMs tolerance_ms, std::string_view header) {
  const TimeMs signed_at = timestamp_s * kSecondMs;
  const TimeMs skew = signed_at > now ? signed_at - now : now - signed_at;
  if (skew <= tolerance_ms) return std::nullopt;
  return failure(VerifyStatus::stale_timestamp,
                 std::string(header) + ": timestamp is " + std::to_string(skew / kSecondMs) +
                     " s from now, tolerance is " + std::to_string(tolerance_ms / kSecondMs) +
                     " s");
}

std::string_view trim_spaces(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// Shopify and WooCommerce: one base64 HMAC of the body, nothing else signed.
VerifyResult verify_body_hmac(const Headers &headers, std::string_view raw_body,
                              const SecretSet &secrets, TimeMs now, std::string_view header) {
  std::string_view value;
  if (auto bad = single_header(headers, header, value)) return *bad;
  const auto mac = crypto::base64_decode(value);
  if (!mac || mac->size() != kMacBytes)
    return failure(VerifyStatus::malformed_header,
                   std::string(header) + ": expected the base64 of a 32-byte HMAC-SHA256");
  const auto keys = accepted_secrets(secrets, now);
  if (keys.empty())
    return failure(VerifyStatus::no_secret, std::string(header) + ": no secret configured");
  std::vector<std::string> expected;
  for (const Candidate &key : keys) expected.push_back(crypto::hmac_sha256(key.key, raw_body));
  return match({*mac}, keys, expected, header);
}

struct StripeHeader {
  std::string_view timestamp_text;  // signed as received
  std::int64_t timestamp = 0;
  std::vector<std::string> v1;
};

std::optional<VerifyResult> parse_stripe_header(std::string_view value, StripeHeader &out) {
  bool have_timestamp = false;
  std::size_t v1_entries = 0;
  while (!value.empty()) {
    const std::size_t comma = value.find(',');
    const std::string_view item = trim_spaces(value.substr(0, comma));
    value = comma == std::string_view::npos ? std::string_view() : value.substr(comma + 1);
    const std::size_t eq = item.find('=');
    if (eq == std::string_view::npos)
      return failure(VerifyStatus::malformed_header,
                     std::string(kStripeSignature) + ": expected key=value items");
    const std::string_view key = item.substr(0, eq);
    const std::string_view text = item.substr(eq + 1);
    if (key == "t") {
      const auto seconds = parse_unix_seconds(text);
      if (have_timestamp || !seconds)
        return failure(VerifyStatus::malformed_header,
                       std::string(kStripeSignature) + ": expected one t=<unix seconds>");
      have_timestamp = true;
      out.timestamp = *seconds;
      out.timestamp_text = text;
    } else if (key == "v1") {
      ++v1_entries;
      // A v1 that is not 64 hex digits can match nothing; skip it like any
      // other scheme Stripe may add.
      // Copied by its bytes: moving or copying the string out of the
      // optional trips GCC 12's -Wstringop-overread at -O3 (a false
      // positive about the short-string buffer), which -Werror turns into a
      // failed Release build.
      if (auto mac = crypto::hex_decode(text); mac && mac->size() == kMacBytes)
        out.v1.emplace_back(mac->begin(), mac->end());
    }
  }
  if (!have_timestamp)
    return failure(VerifyStatus::malformed_header, std::string(kStripeSignature) + ": no t=");
  if (out.v1.empty())
    return failure(VerifyStatus::malformed_header,
                   std::string(kStripeSignature) +
                       (v1_entries ? ": no v1 signature is 64 hex digits" : ": no v1 signature"));
  return std::nullopt;
}

}  // namespace

std::string_view verify_status_name(VerifyStatus status) {
  switch (status) {
    case VerifyStatus::ok: return "ok";
    case VerifyStatus::ping: return "ping";
    case VerifyStatus::missing_header: return "missing_header";
    case VerifyStatus::malformed_header: return "malformed_header";
    case VerifyStatus::bad_signature: return "bad_signature";
    case VerifyStatus::stale_timestamp: return "stale_timestamp";
    case VerifyStatus::no_secret: return "no_secret";
  }
  return "unknown";
}

VerifyResult verify_shopify(const Headers &headers, std::string_view raw_body,
                            const SecretSet &secrets, TimeMs now) {
  return verify_body_hmac(headers, raw_body, secrets, now, kShopifyHmac);
}

bool is_woocommerce_ping(std::string_view raw_body) {
  constexpr std::string_view prefix = "webhook_id=";
  if (raw_body.substr(0, prefix.size()) != prefix) return false;
  raw_body.remove_prefix(prefix.size());
  if (raw_body.empty() || raw_body.size() > 20) return false;
  for (char c : raw_body)
    if (c < '0' || c > '9') return false;
  return true;
}

VerifyResult verify_woocommerce(const Headers &headers, std::string_view raw_body,
                                const SecretSet &secrets, TimeMs now) {
  // WooCommerce sends its activation ping without any signature; it carries
  // no event, so accepting it unsigned exposes nothing.
  if (headers.count(kWooSignature) == 0 && is_woocommerce_ping(raw_body)) {
    VerifyResult result;
    result.status = VerifyStatus::ping;
    return result;
  }
  return verify_body_hmac(headers, raw_body, secrets, now, kWooSignature);
}

VerifyResult verify_stripe(const Headers &headers, std::string_view raw_body,
                           const SecretSet &secrets, TimeMs now, TimeMs tolerance_ms) {
  std::string_view value;
  if (auto bad = single_header(headers, kStripeSignature, value)) return *bad;
  StripeHeader parsed;
  if (auto bad = parse_stripe_header(value, parsed)) return *bad;
  if (auto stale = check_tolerance(parsed.timestamp, now, tolerance_ms, kStripeSignature))
    return *stale;
  const auto keys = accepted_secrets(secrets, now);
  if (keys.empty())
    return failure(VerifyStatus::no_secret, std::string(kStripeSignature) + ": no secret configured");
  std::string signed_payload(parsed.timestamp_text);
  signed_payload += '.';
  signed_payload += raw_body;
  std::vector<std::string> expected;
  for (const Candidate &key : keys) expected.push_back(crypto::hmac_sha256(key.key, signed_payload));
  return match(parsed.v1, keys, expected, kStripeSignature);
}

std::optional<std::string> standard_webhooks_key(std::string_view secret) {
  if (secret.substr(0, kWhsecPrefix.size()) == kWhsecPrefix) {
    auto key = crypto::base64_decode(secret.substr(kWhsecPrefix.size()));
    if (!key || key->empty()) return std::nullopt;
    return key;
  }
  if (secret.empty()) return std::nullopt;
  return std::string(secret);
}

VerifyResult verify_standard_webhooks(const Headers &headers, std::string_view raw_body,
                                      const SecretSet &secrets, TimeMs now,
                                      TimeMs tolerance_ms) {
  std::string_view id, timestamp_text, signatures;
  if (auto bad = single_header(headers, kWebhookId, id)) return *bad;
  if (auto bad = single_header(headers, kWebhookTimestamp, timestamp_text)) return *bad;
  if (auto bad = single_header(headers, kWebhookSignature, signatures)) return *bad;
  // The signed content joins id, timestamp and body with '.'; an id holding
  // a '.' could shift the boundaries and make one signature fit two messages.
  if (id.find('.') != std::string_view::npos)
    return failure(VerifyStatus::malformed_header, std::string(kWebhookId) + ": contains '.'");
  const auto timestamp = parse_unix_seconds(timestamp_text);
  if (!timestamp)
    return failure(VerifyStatus::malformed_header,
                   std::string(kWebhookTimestamp) + ": expected unix seconds");

  std::vector<std::string> received;
  std::size_t v1_entries = 0;
  while (!signatures.empty()) {
    const std::size_t space = signatures.find(' ');
    const std::string_view entry = signatures.substr(0, space);
    signatures = space == std::string_view::npos ? std::string_view() : signatures.substr(space + 1);
    // Other versions (v1a is ed25519) are not ours to check.
    if (entry.substr(0, 3) != "v1,") continue;
    ++v1_entries;
    if (auto mac = crypto::base64_decode(entry.substr(3)); mac && mac->size() == kMacBytes)
      received.emplace_back(mac->begin(), mac->end());  // see parse_stripe_header
  }
  if (received.empty())
    return failure(VerifyStatus::malformed_header,
                   std::string(kWebhookSignature) +
                       (v1_entries ? ": no v1 signature is the base64 of 32 bytes"
                                   : ": no v1 signature"));

  if (auto stale = check_tolerance(*timestamp, now, tolerance_ms, kWebhookTimestamp)) return *stale;

  std::vector<Candidate> keys;
  for (Candidate &candidate : accepted_secrets(secrets, now))
    if (auto key = standard_webhooks_key(candidate.key))
      keys.push_back({std::move(*key), candidate.previous});
  if (keys.empty())
    return failure(VerifyStatus::no_secret,
                   std::string(kWebhookSignature) + ": no usable secret configured");
  std::string content(id);
  content += '.';
  content += timestamp_text;
  content += '.';
  content += raw_body;
  std::vector<std::string> expected;
  for (const Candidate &key : keys) expected.push_back(crypto::hmac_sha256(key.key, content));
  return match(received, keys, expected, kWebhookSignature);
}

std::string shopify_signature(std::string_view secret, std::string_view body) {
  return crypto::base64_encode(crypto::hmac_sha256(secret, body));
}

std::string woocommerce_signature(std::string_view secret, std::string_view body) {
  return crypto::base64_encode(crypto::hmac_sha256(secret, body));
}

std::string stripe_signature_header(std::string_view secret, std::int64_t timestamp_s,
                                    std::string_view body) {
  const std::string t = std::to_string(timestamp_s);
  std::string payload = t;
  payload += '.';
  payload += body;
  return "t=" + t + ",v1=" + crypto::hex_encode(crypto::hmac_sha256(secret, payload));
}

std::string standard_webhooks_signature(std::string_view secret, std::string_view id,
                                        std::int64_t timestamp_s, std::string_view body) {
  const auto key = standard_webhooks_key(secret);
  if (!key) fail(OC_ERR_ARGUMENT, "standard webhooks secret: expected whsec_<base64> or raw bytes");
  std::string content(id);
  content += '.';
  content += std::to_string(timestamp_s);
  content += '.';
  content += body;
  return "v1," + crypto::base64_encode(crypto::hmac_sha256(*key, content));
}

}  // namespace ordercare::ingest
