// The webhook server's HTTP path without sockets: raw bytes through the
// llhttp session, the router and the endpoints, answered by a store stand-in
// that commits now or later in any order the input chooses.
//
// Input: byte 0 picks the chunking of the stream, byte 1 the pipelining
// limit and when pending commits complete, byte 2 the length of the raw
// stream; then the raw stream, and what is left is the body of two extra
// requests the harness signs itself (a Standard Webhooks canonical event and
// a Shopify delivery), so the paths behind signature checks are reached too.
//
// Properties, whatever the input: nothing crashes or leaks; everything
// written is a sequence of well-formed HTTP/1.1 responses, and no more of
// them than requests plus one error answer; a session that said it is done
// writes nothing more.
#include <llhttp.h>

#include <cstdio>
#include <cstdlib>
#include <deque>
#include <functional>
#include <string>

#include "fuzz_support.h"
#include "ingest/webhook_signature.h"
#include "runtime/http/http_session.h"
#include "runtime/webhook_endpoints.h"

namespace {

using namespace ordercare;
using namespace ordercare::runtime;

constexpr TimeMs kNow = 1'780'000'000'000;
constexpr std::string_view kShopSecret = "shpss_fuzz";
constexpr std::string_view kEventsSecret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw4yvxPDwnCkg=";

[[noreturn]] void violated(const char *what) {
  std::fprintf(stderr, "property violated: %s\n", what);
  std::abort();
}

// Commits are queued and run when the harness says, like the writer's
// group commit; every third delivery finds the store busy.
class FakeSink final : public EventSink {
 public:
  void submit_async(std::vector<ingest::CanonicalEvent> events, SubmitDone done) override {
    SubmitResult result;
    if (++submissions_ % 3 == 0) {
      result.status = OC_ERR_BUSY;
      result.message = "store: busy";
    } else {
      for (const auto &event : events) result.outcomes.push_back({seen_++ % 2 == 1, event.id, {}, {}});
    }
    pending_.push_back([done, result] { done(result); });
  }
  void probe_async(ProbeDone done) override {
    StoreProbe probe;
    probe.reachable = submissions_ % 2 == 0;
    probe.outbox_by_status = {{"pending", 3}, {"done", 1}};
    pending_.push_back([done, probe] { done(probe); });
  }
  TimeMs sink_now() const override { return kNow; }

  // Completes the oldest `n` pending jobs (all when n is 0).
  void complete(std::size_t n) {
    for (std::size_t i = 0; (n == 0 || i < n) && !pending_.empty(); ++i) {
      auto next = std::move(pending_.front());
      pending_.pop_front();
      next();
    }
  }

 private:
  std::deque<std::function<void()>> pending_;
  std::uint64_t submissions_ = 0;
  std::uint64_t seen_ = 0;
};

class Collector final : public SessionOutput {
 public:
  void send(std::string bytes) override {
    if (finished_) violated("output after finish");
    out_ += bytes;
  }
  void finish() override {
    if (finished_) violated("finish twice");
    finished_ = true;
  }
  void progressed() override {}
  const std::string &out() const { return out_; }

 private:
  std::string out_;
  bool finished_ = false;
};

// Counts the final (non-1xx) responses in `bytes`; aborts unless they
// parse cleanly.
std::size_t count_responses(const std::string &bytes) {
  llhttp_settings_t settings;
  llhttp_settings_init(&settings);
  std::size_t count = 0;
  settings.on_message_complete = [](llhttp_t *p) {
    if (llhttp_get_status_code(p) >= 200) ++*static_cast<std::size_t *>(p->data);
    return 0;
  };
  llhttp_t parser;
  llhttp_init(&parser, HTTP_RESPONSE, &settings);
  parser.data = &count;
  if (llhttp_execute(&parser, bytes.data(), bytes.size()) != HPE_OK) violated("malformed response bytes");
  return count;
}

std::string signed_event_request(std::string_view body) {
  const std::int64_t ts = kNow / 1000;
  return "POST /webhooks/events HTTP/1.1\r\nwebhook-id: fz_1\r\nwebhook-timestamp: " + std::to_string(ts) +
         "\r\nwebhook-signature: " + ingest::standard_webhooks_signature(kEventsSecret, "fz_1", ts, body) +
         "\r\nContent-Length: " + std::to_string(body.size()) + "\r\n\r\n" + std::string(body);
}

std::string signed_shopify_request(std::string_view topic, std::string_view body) {
  return "POST /webhooks/shopify HTTP/1.1\r\nX-Shopify-Topic: " + std::string(topic) +
         "\r\nX-Shopify-Shop-Domain: fuzz.myshopify.com\r\nX-Shopify-Event-Id: e1\r\n"
         "X-Shopify-Triggered-At: 2026-03-19T14:00:00Z\r\nX-Shopify-Hmac-Sha256: " +
         ingest::shopify_signature(kShopSecret, body) + "\r\nContent-Length: " + std::to_string(body.size()) +
         "\r\n\r\n" + std::string(body);
}

const WebhookConfig &config() {
  static const WebhookConfig instance = [] {
    WebhookConfig c;
    c.max_body_bytes = 64 << 10;
    c.max_header_bytes = 8 << 10;
    c.shopify.shared = ingest::SecretSet{std::string(kShopSecret), {}, 0};
    c.events.shared = ingest::SecretSet{std::string(kEventsSecret), {}, 0};
    c.stripe.shared = ingest::SecretSet{"whsec_stripe", {}, 0};
    c.woocommerce.shared = ingest::SecretSet{"wc", {}, 0};
    c.bigcommerce.shared = ingest::SecretSet{"bc", {}, 0};
    return c;
  }();
  return instance;
}

constexpr std::string_view kTopics[] = {"orders/create", "orders/updated", "orders/cancelled",
                                        "fulfillments/update", "returns/request", "refunds/create"};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size) {
  if (size < 3) return 0;
  const std::size_t chunk = 1 + data[0] % 97;
  const std::size_t max_pipelined = 1 + data[1] % 4;
  const std::size_t complete_every = (data[1] >> 2) % 4;  // 0: only at the end
  const std::size_t raw_size = std::min<std::size_t>(size - 3, data[2] * 8u);
  const std::string_view raw = fuzz::as_text(data + 3, raw_size);
  const std::string_view body = fuzz::as_text(data + 3 + raw_size, size - 3 - raw_size);

  std::string stream(raw);
  if (!body.empty()) {
    stream += signed_event_request(body);
    stream += signed_shopify_request(kTopics[data[0] % std::size(kTopics)], body);
  }

  FakeSink sink;
  Collector output;
  WebhookEndpoints endpoints(config(), sink, [] { return std::size_t{1}; });
  std::uint64_t handled = 0;
  {
    auto session = HttpSession::create(
        HttpSession::Limits{config().max_header_bytes, config().max_body_bytes, max_pipelined},
        [&](HttpRequest &&request, HttpSession::Respond respond) {
          ++handled;
          endpoints.handle(std::move(request), std::move(respond));
        },
        output);
    for (std::size_t at = 0, n = 0; at < stream.size(); at += chunk, ++n) {
      session->feed(std::string_view(stream).substr(at, chunk));
      if (complete_every && n % complete_every == 0) sink.complete(1);
    }
    sink.complete(0);
    session->end_of_input();
    sink.complete(0);
    session->time_out();
    if (session->unanswered() != 0 && session->phase() != HttpSession::Phase::closed)
      violated("requests left unanswered with nothing pending");
  }
  // Answers arriving after the session is gone are dropped, not written.
  sink.complete(0);
  if (count_responses(output.out()) > handled + 1) violated("more answers than requests");
  // Scraping after all that still renders.
  if (endpoints.metrics().render(StoreProbe{}, 0).find("# TYPE ordercare_http_requests_total counter") ==
      std::string::npos)
    violated("metrics page");
  return 0;
}
