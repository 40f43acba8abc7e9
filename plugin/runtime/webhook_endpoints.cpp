#include "runtime/webhook_endpoints.h"

#include <chrono>

#include "common/crypto.h"
#include "common/failure.h"
#include "ingest/bigcommerce_mapper.h"
#include "ingest/shopify_mapper.h"
#include "ingest/stripe_mapper.h"
#include "ingest/woocommerce_mapper.h"

namespace ordercare::runtime {

namespace {

constexpr std::string_view kShopify = "/webhooks/shopify";
constexpr std::string_view kWooCommerce = "/webhooks/woocommerce";
constexpr std::string_view kStripe = "/webhooks/stripe";
constexpr std::string_view kBigCommerce = "/webhooks/bigcommerce";
constexpr std::string_view kEvents = "/webhooks/events";

const ingest::SecretSet kNoSecrets{};

const ingest::SecretSet &secrets_for(const PlatformSecrets &platform, std::string_view sender) {
  const ingest::SecretSet *set = platform.for_sender(sender);
  return set ? *set : kNoSecrets;
}

std::string required_header(const HttpRequest &request, std::string_view name) {
  auto value = request.headers.get(name);
  if (!value || value->empty()) fail(OC_ERR_SCHEMA, std::string(name) + ": missing header");
  return std::string(*value);
}

Json parse_payload(const HttpRequest &request) {
  if (request.body.empty()) fail(OC_ERR_JSON, "payload: empty body");
  return parse_json(request.body, "payload");
}

// Failures the sender cannot fix by sending the same bytes again.
bool is_input_error(oc_status status) {
  switch (status) {
    case OC_ERR_ARGUMENT:
    case OC_ERR_JSON:
    case OC_ERR_UTF8:
    case OC_ERR_TOO_LARGE:
    case OC_ERR_UNKNOWN_TYPE:
    case OC_ERR_SCHEMA:
    case OC_ERR_REFUSED:
      return true;
    default:
      return false;
  }
}

// The store or the plugin cannot take it now; the same delivery later can.
bool is_unavailable(oc_status status) {
  return status == OC_ERR_BUSY || status == OC_ERR_STORE || status == OC_ERR_CLOSED || status == OC_ERR_NOMEM;
}

std::string_view reason_of(oc_status status) {
  switch (status) {
    case OC_ERR_JSON: return "malformed_json";
    case OC_ERR_UTF8: return "invalid_utf8";
    case OC_ERR_UNKNOWN_TYPE: return "unknown_type";
    case OC_ERR_TOO_LARGE: return "too_large";
    default: return "malformed_payload";
  }
}

}  // namespace

WebhookEndpoints::WebhookEndpoints(const WebhookConfig &config, EventSink &sink,
                                   std::function<std::size_t()> open_connections, std::shared_ptr<Metrics> metrics)
    : config_(config),
      sink_(sink),
      open_connections_(std::move(open_connections)),
      metrics_(metrics ? std::move(metrics) : std::make_shared<Metrics>()) {
  router_.add("POST", std::string(kShopify), [this](HttpRequest &&r, Respond respond) { shopify(std::move(r), respond); });
  router_.add("POST", std::string(kWooCommerce),
              [this](HttpRequest &&r, Respond respond) { woocommerce(std::move(r), respond); });
  router_.add("POST", std::string(kStripe), [this](HttpRequest &&r, Respond respond) { stripe(std::move(r), respond); });
  router_.add("POST", std::string(kBigCommerce),
              [this](HttpRequest &&r, Respond respond) { bigcommerce(std::move(r), respond); });
  router_.add("POST", std::string(kEvents), [this](HttpRequest &&r, Respond respond) { events(std::move(r), respond); });
  router_.add("GET", "/healthz", [this](HttpRequest &&r, Respond respond) {
    if (monitoring_allowed(r, respond)) healthz(respond);
  });
  router_.add("GET", "/metrics", [this](HttpRequest &&r, Respond respond) {
    if (monitoring_allowed(r, respond)) metrics_page(respond);
  });
}

void WebhookEndpoints::handle(HttpRequest &&request, HttpSession::Respond respond) {
  const auto start = std::chrono::steady_clock::now();
  std::string endpoint(router_.endpoint_of(request.path()));
  Respond counted = [this, endpoint = std::move(endpoint), start, respond = std::move(respond)](HttpResponse response) {
    const std::chrono::duration<double> took = std::chrono::steady_clock::now() - start;
    metrics_->count_request(endpoint, response.status, took.count());
    respond(std::move(response));
  };
  router_.handle(std::move(request), counted);
}

void WebhookEndpoints::guarded(std::string_view endpoint, const Respond &respond, const std::function<void()> &body) {
  try {
    body();
  } catch (...) {
    // Whatever went wrong answers the platform (which retries a 5xx); no
    // exception reaches the server's loop.
    const FailureReport failure = report_of(std::current_exception());
    metrics_->count_events(endpoint, "rejected");
    if (failure.status == OC_ERR_NOMEM)
      respond(unavailable("out_of_memory", failure.message));
    else if (is_unavailable(failure.status))
      respond(unavailable("store_unavailable", failure.message));
    else if (is_input_error(failure.status))
      respond(json_error(400, reason_of(failure.status), failure.message));
    else
      respond(json_error(500, "internal", failure.message));
  }
}

bool WebhookEndpoints::verified(std::string_view endpoint, const ingest::VerifyResult &result, const Respond &respond) {
  if (result.ok()) return true;
  const std::string_view reason = ingest::verify_status_name(result.status);
  metrics_->count_signature_failure(endpoint, reason);
  respond(json_error(401, reason, result.message));
  return false;
}

void WebhookEndpoints::shopify(HttpRequest &&request, const Respond &respond) {
  guarded(kShopify, respond, [&] {
    const std::string shop(request.headers.get("X-Shopify-Shop-Domain").value_or(""));
    const auto &secrets = secrets_for(config_.shopify, shop);
    if (!verified(kShopify, ingest::verify_shopify(request.headers, request.body, secrets, sink_.sink_now()), respond))
      return;
    const std::string topic = required_header(request, "X-Shopify-Topic");
    submit(kShopify, ingest::map_shopify(topic, request.headers, parse_payload(request)), respond);
  });
}

void WebhookEndpoints::woocommerce(HttpRequest &&request, const Respond &respond) {
  guarded(kWooCommerce, respond, [&] {
    const std::string source(request.headers.get("X-WC-Webhook-Source").value_or(""));
    const auto &secrets = secrets_for(config_.woocommerce, source);
    const auto result = ingest::verify_woocommerce(request.headers, request.body, secrets, sink_.sink_now());
    if (result.status == ingest::VerifyStatus::ping) {
      // WooCommerce saves a webhook only if this unsigned ping gets a 2xx.
      metrics_->count_events(kWooCommerce, "ignored");
      respond(json_response(200, Json{{"status", "ping"}}));
      return;
    }
    if (!verified(kWooCommerce, result, respond)) return;
    const std::string topic = required_header(request, "X-WC-Webhook-Topic");
    submit(kWooCommerce, ingest::map_woocommerce(topic, request.headers, parse_payload(request)), respond);
  });
}

void WebhookEndpoints::stripe(HttpRequest &&request, const Respond &respond) {
  guarded(kStripe, respond, [&] {
    const auto &secrets = secrets_for(config_.stripe, "");
    if (!verified(kStripe,
                  ingest::verify_stripe(request.headers, request.body, secrets, sink_.sink_now(),
                                        config_.timestamp_tolerance),
                  respond))
      return;
    submit(kStripe, ingest::map_stripe(request.headers, parse_payload(request)), respond);
  });
}

void WebhookEndpoints::bigcommerce(HttpRequest &&request, const Respond &respond) {
  guarded(kBigCommerce, respond, [&] {
    const auto &secrets = secrets_for(config_.bigcommerce, "");
    if (!verified(kBigCommerce,
                  ingest::verify_standard_webhooks(request.headers, request.body, secrets, sink_.sink_now(),
                                                   config_.timestamp_tolerance),
                  respond))
      return;
    submit(kBigCommerce, ingest::map_bigcommerce(request.headers, parse_payload(request)), respond);
  });
}

void WebhookEndpoints::events(HttpRequest &&request, const Respond &respond) {
  guarded(kEvents, respond, [&] {
    const auto &secrets = secrets_for(config_.events, "");
    if (!verified(kEvents,
                  ingest::verify_standard_webhooks(request.headers, request.body, secrets, sink_.sink_now(),
                                                   config_.timestamp_tolerance),
                  respond))
      return;
    const std::string webhook_id = required_header(request, "webhook-id");
    Json event = parse_payload(request);
    if (!event.is_object()) fail(OC_ERR_SCHEMA, "(root): expected an event object");
    auto id = event.find("id");
    if (id == event.end()) {
      event["id"] = webhook_id;
    } else if (!id->is_string() || id->get<std::string>() != webhook_id) {
      fail(OC_ERR_SCHEMA, "id: differs from the webhook-id header, which is the delivery's dedupe key");
    }
    ingest::MappedEvents mapped;
    mapped.events.push_back(std::move(event));
    submit(kEvents, std::move(mapped), respond);
  });
}

void WebhookEndpoints::submit(std::string_view endpoint, ingest::MappedEvents mapped, const Respond &respond) {
  if (mapped.events.empty()) {
    metrics_->count_events(endpoint, "ignored");
    respond(json_response(200, Json{{"status", "ignored"}, {"reason", mapped.reason}}));
    return;
  }
  // Validated here, so a delivery with one bad event writes none of them.
  std::vector<ingest::CanonicalEvent> events;
  events.reserve(mapped.events.size());
  for (Json &event : mapped.events) events.push_back(ingest::canonical_event_from_json(std::move(event)));
  sink_.submit_async(std::move(events), [this, endpoint, respond](SubmitResult result) {
    respond(answer(endpoint, result));
  });
}

HttpResponse WebhookEndpoints::answer(std::string_view endpoint, const SubmitResult &result) {
  if (result.status == OC_OK) {
    Json events = Json::array();
    std::uint64_t accepted = 0;
    for (const SubmitOutcome &outcome : result.outcomes) {
      accepted += outcome.duplicate ? 0 : 1;
      events.push_back({{"id", outcome.event_id}, {"status", outcome.duplicate ? "duplicate" : "accepted"}});
    }
    metrics_->count_events(endpoint, "accepted", accepted);
    metrics_->count_events(endpoint, "duplicate", result.outcomes.size() - accepted);
    return json_response(200, Json{{"status", accepted ? "accepted" : "duplicate"}, {"events", std::move(events)}});
  }
  metrics_->count_events(endpoint, "rejected");
  if (is_unavailable(result.status)) return unavailable("store_unavailable", result.message);
  if (is_input_error(result.status)) return json_error(400, reason_of(result.status), result.message);
  return json_error(500, "internal", result.message);
}

HttpResponse WebhookEndpoints::unavailable(std::string_view reason, std::string_view message) const {
  HttpResponse response = json_error(503, reason, message);
  response.headers.emplace_back("Retry-After", std::to_string((config_.retry_after + kSecondMs - 1) / kSecondMs));
  return response;
}

bool WebhookEndpoints::monitoring_allowed(const HttpRequest &request, const Respond &respond) const {
  const std::string &token = config_.monitoring_token;
  if (token.empty()) return true;
  // The auth scheme is case-insensitive (RFC 9110 section 11.1). Digests are
  // compared so that the time taken does not tell the token's length either.
  constexpr std::string_view kScheme = "bearer ";
  const auto values = request.headers.get_all("Authorization");
  if (values.size() == 1 && values[0].size() > kScheme.size() &&
      ingest::header_name_equal(values[0].substr(0, kScheme.size()), kScheme) &&
      crypto::constant_time_equal(crypto::sha256(values[0].substr(kScheme.size())), crypto::sha256(token)))
    return true;
  HttpResponse response =
      json_error(401, "unauthorized", "this endpoint needs Authorization: Bearer <webhooks.monitoring_token>");
  response.headers.emplace_back("WWW-Authenticate", "Bearer realm=\"ordercare\"");
  respond(std::move(response));
  return false;
}

void WebhookEndpoints::healthz(const Respond &respond) {
  sink_.probe_async([this, respond](StoreProbe probe) {
    Json store{{"reachable", probe.reachable}};
    if (!probe.reachable) store["error"] = probe.error;
    Json body{{"status", probe.reachable ? "ok" : "unavailable"}, {"store", std::move(store)}};
    if (probe.reachable) return respond(json_response(200, body));
    HttpResponse response = json_response(503, body);
    response.headers.emplace_back("Retry-After", std::to_string((config_.retry_after + kSecondMs - 1) / kSecondMs));
    respond(std::move(response));
  });
}

void WebhookEndpoints::metrics_page(const Respond &respond) {
  sink_.probe_async([this, respond](StoreProbe probe) {
    HttpResponse response;
    response.content_type = "text/plain; version=0.0.4; charset=utf-8";
    response.body = metrics_->render(probe, open_connections_ ? open_connections_() : 0);
    respond(std::move(response));
  });
}

}  // namespace ordercare::runtime
