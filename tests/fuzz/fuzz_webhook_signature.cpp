// Signature verification and its header parsing. Input: one byte choosing
// the scheme, then "Name: value" lines, an empty line, and the body.
// Properties: no input crashes a verifier; no message carries a secret; and
// the same body with correct signature headers added verifies, whatever
// other headers came along.
#include <cstdlib>
#include <string>

#include "fuzz_support.h"
#include "ingest/webhook_signature.h"

namespace {

using namespace ordercare;
using namespace ordercare::ingest;

constexpr TimeMs kNow = 1'773'500'000'000;
constexpr std::int64_t kNowSeconds = kNow / 1000;
constexpr std::string_view kCurrent = "fuzz-current-secret";
constexpr std::string_view kPrevious = "fuzz-previous-secret";
constexpr std::string_view kWhsec = "whsec_ZnV6ei1zdGFuZGFyZC13ZWJob29rcy1rZXk=";

struct Delivery {
  Headers headers;
  std::string_view body;
};

Delivery split(std::string_view text) {
  Delivery d;
  while (!text.empty()) {
    const std::size_t eol = text.find('\n');
    const std::string_view line = text.substr(0, eol);
    text = eol == std::string_view::npos ? std::string_view() : text.substr(eol + 1);
    if (line.empty()) break;
    const std::size_t colon = line.find(':');
    if (colon == std::string_view::npos) continue;
    d.headers.add(std::string(line.substr(0, colon)), std::string(line.substr(colon + 1)));
  }
  d.body = text;
  return d;
}

bool leaks(const VerifyResult &r) {
  for (std::string_view secret : {kCurrent, kPrevious, kWhsec})
    if (r.message.find(secret) != std::string::npos) return true;
  return false;
}

// The delivery's headers minus the ones the scheme signs with.
Headers without(const Headers &headers, std::initializer_list<std::string_view> names) {
  Headers out;
  for (const auto &[name, value] : headers) {
    bool drop = false;
    for (std::string_view n : names) drop = drop || header_name_equal(name, n);
    if (!drop) out.add(name, value);
  }
  return out;
}

void expect_ok(const VerifyResult &r) {
  if (!r.ok()) {
    std::fprintf(stderr, "a correctly signed delivery failed: %s\n", r.message.c_str());
    std::abort();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size) {
  if (size == 0) return 0;
  const int scheme = data[0] % 4;
  const Delivery d = split(fuzz::as_text(data + 1, size - 1));
  const SecretSet plain{std::string(kCurrent), std::string(kPrevious), kNow};
  const SecretSet standard{std::string(kWhsec), std::string(kPrevious), kNow};

  VerifyResult r;
  switch (scheme) {
    case 0: {
      r = verify_shopify(d.headers, d.body, plain, kNow);
      Headers signed_headers = without(d.headers, {"X-Shopify-Hmac-Sha256"});
      signed_headers.add("X-Shopify-Hmac-Sha256", shopify_signature(kPrevious, d.body));
      expect_ok(verify_shopify(signed_headers, d.body, plain, kNow));
      break;
    }
    case 1: {
      r = verify_woocommerce(d.headers, d.body, plain, kNow);
      (void)is_woocommerce_ping(d.body);
      Headers signed_headers = without(d.headers, {"X-WC-Webhook-Signature"});
      signed_headers.add("x-wc-webhook-signature", woocommerce_signature(kCurrent, d.body));
      expect_ok(verify_woocommerce(signed_headers, d.body, plain, kNow));
      break;
    }
    case 2: {
      r = verify_stripe(d.headers, d.body, plain, kNow, kDefaultSignatureTolerance);
      Headers signed_headers = without(d.headers, {"Stripe-Signature"});
      signed_headers.add("Stripe-Signature", stripe_signature_header(kCurrent, kNowSeconds - 60, d.body));
      expect_ok(verify_stripe(signed_headers, d.body, plain, kNow, kDefaultSignatureTolerance));
      break;
    }
    default: {
      r = verify_standard_webhooks(d.headers, d.body, standard, kNow, kDefaultSignatureTolerance);
      if (auto id = d.headers.get("webhook-id")) (void)standard_webhooks_key(*id);
      Headers signed_headers =
          without(d.headers, {"webhook-id", "webhook-timestamp", "webhook-signature"});
      signed_headers.add("webhook-id", "msg_fuzz");
      signed_headers.add("webhook-timestamp", std::to_string(kNowSeconds));
      signed_headers.add("webhook-signature",
                         "v1a,ignored " + standard_webhooks_signature(kWhsec, "msg_fuzz", kNowSeconds, d.body));
      expect_ok(verify_standard_webhooks(signed_headers, d.body, standard, kNow,
                                         kDefaultSignatureTolerance));
      break;
    }
  }
  if (leaks(r)) std::abort();
  (void)verify_status_name(r.status);
  return 0;
}
