// The routes of the webhook server and what each does with a request:
//
//   POST /webhooks/shopify      X-Shopify-Hmac-Sha256, secrets by X-Shopify-Shop-Domain
//   POST /webhooks/woocommerce  X-WC-Webhook-Signature, secrets by X-WC-Webhook-Source;
//                               the unsigned activation ping gets 200
//   POST /webhooks/stripe       Stripe-Signature with timestamp tolerance
//   POST /webhooks/bigcommerce  Standard Webhooks headers
//   POST /webhooks/events       one canonical event, signed per Standard Webhooks
//   GET  /healthz               200 when the store answers, else 503
//   GET  /metrics               Prometheus text exposition
//
// With webhooks.monitoring_token set, /healthz and /metrics answer only a
// request with "Authorization: Bearer <token>", anything else 401.
//
// A delivery is verified on its exact bytes, parsed, mapped to canonical
// events and validated; then all its events are written as one job of the
// single writer, and the answer goes out only once that job's batch is
// durable: 200 {"status": "accepted" | "duplicate" | "ignored", "events"}.
// 401 for a failed signature, 400 naming the field for a malformed payload,
// 503 with Retry-After when the store cannot take it now.
//
// /webhooks/events: the webhook-id header is the dedupe key. An event
// without an id takes it; one whose id differs is refused (400, "id"),
// because a message with two keys could be applied twice or dropped.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "ingest/mapped_events.h"
#include "runtime/event_sink.h"
#include "runtime/http/http_router.h"
#include "runtime/metrics.h"
#include "runtime/webhook_config.h"

namespace ordercare::runtime {

class WebhookEndpoints {
 public:
  // `open_connections` is read when /metrics is scraped. The server threads
  // of one server share `metrics` (one page counts them all); without it
  // these endpoints count alone.
  WebhookEndpoints(const WebhookConfig &config, EventSink &sink, std::function<std::size_t()> open_connections,
                   std::shared_ptr<Metrics> metrics = nullptr);
  WebhookEndpoints(const WebhookEndpoints &) = delete;
  WebhookEndpoints &operator=(const WebhookEndpoints &) = delete;

  // Server thread. Answers through `respond`, now or after a commit.
  void handle(HttpRequest &&request, HttpSession::Respond respond);

  const Metrics &metrics() const { return *metrics_; }

 private:
  using Respond = HttpSession::Respond;

  void shopify(HttpRequest &&request, const Respond &respond);
  void woocommerce(HttpRequest &&request, const Respond &respond);
  void stripe(HttpRequest &&request, const Respond &respond);
  void bigcommerce(HttpRequest &&request, const Respond &respond);
  void events(HttpRequest &&request, const Respond &respond);
  void healthz(const Respond &respond);
  void metrics_page(const Respond &respond);
  // False (and answered 401) unless the request carries the monitoring token.
  bool monitoring_allowed(const HttpRequest &request, const Respond &respond) const;

  // Runs an endpoint's body; a Failure (malformed payload) is answered 400
  // and counted as rejected, anything else 500.
  void guarded(std::string_view endpoint, const Respond &respond, const std::function<void()> &body);
  // False (and answered 401) unless the signature holds.
  bool verified(std::string_view endpoint, const ingest::VerifyResult &result, const Respond &respond);
  void submit(std::string_view endpoint, ingest::MappedEvents mapped, const Respond &respond);
  HttpResponse answer(std::string_view endpoint, const SubmitResult &result);
  HttpResponse unavailable(std::string_view reason, std::string_view message) const;

  const WebhookConfig &config_;
  EventSink &sink_;
  std::function<std::size_t()> open_connections_;
  HttpRouter router_;
  std::shared_ptr<Metrics> metrics_;
};

}  // namespace ordercare::runtime
