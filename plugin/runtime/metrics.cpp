#include "runtime/metrics.h"

#include <cstdio>

namespace ordercare::runtime {

namespace {

std::string number(double value) {
  char text[32];
  std::snprintf(text, sizeof text, "%.9g", value);
  return text;
}

void family(std::string &out, const char *name, const char *type, const char *help) {
  out += "# HELP ";
  out += name;
  out += ' ';
  out += help;
  out += "\n# TYPE ";
  out += name;
  out += ' ';
  out += type;
  out += '\n';
}

void sample(std::string &out, const std::string &name, const std::string &labels, const std::string &value) {
  out += name;
  if (!labels.empty()) {
    out += '{';
    out += labels;
    out += '}';
  }
  out += ' ';
  out += value;
  out += '\n';
}

std::string label(std::string_view name, std::string_view value) {
  return std::string(name) + "=\"" + escape_label(value) + "\"";
}

}  // namespace

std::string escape_label(std::string_view value) {
  std::string out;
  out.reserve(value.size());
  for (char c : value) {
    if (c == '\\') out += "\\\\";
    else if (c == '"') out += "\\\"";
    else if (c == '\n') out += "\\n";
    else out += c;
  }
  return out;
}

void Metrics::count_request(std::string_view endpoint, int status, double seconds) {
  const std::lock_guard lock(mutex_);
  ++requests_[{std::string(endpoint), status}];
  Histogram &h = latency_[std::string(endpoint)];
  ++h.count;
  h.sum += seconds;
  for (std::size_t i = 0; i < kBuckets.size(); ++i)
    if (seconds <= kBuckets[i]) {
      ++h.buckets[i];
      break;
    }
}

void Metrics::count_events(std::string_view endpoint, std::string_view outcome, std::uint64_t n) {
  const std::lock_guard lock(mutex_);
  events_[{std::string(endpoint), std::string(outcome)}] += n;
}

void Metrics::count_signature_failure(std::string_view endpoint, std::string_view reason) {
  const std::lock_guard lock(mutex_);
  ++signature_failures_[{std::string(endpoint), std::string(reason)}];
}

std::uint64_t Metrics::requests(std::string_view endpoint, int status) const {
  const std::lock_guard lock(mutex_);
  auto it = requests_.find({std::string(endpoint), status});
  return it == requests_.end() ? 0 : it->second;
}

std::string Metrics::render(const StoreProbe &store, std::size_t open_connections) const {
  const std::lock_guard lock(mutex_);
  std::string out;
  family(out, "ordercare_http_requests_total", "counter", "HTTP requests answered, by endpoint and status.");
  for (const auto &[key, n] : requests_)
    sample(out, "ordercare_http_requests_total",
           label("endpoint", key.first) + "," + label("status", std::to_string(key.second)), std::to_string(n));

  family(out, "ordercare_http_request_duration_seconds", "histogram",
         "Time from a request's last byte to its answer (for webhooks: until the event is durable).");
  for (const auto &[endpoint, h] : latency_) {
    const std::string base = label("endpoint", endpoint);
    std::uint64_t cumulative = 0;
    for (std::size_t i = 0; i < kBuckets.size(); ++i) {
      cumulative += h.buckets[i];
      sample(out, "ordercare_http_request_duration_seconds_bucket", base + "," + label("le", number(kBuckets[i])),
             std::to_string(cumulative));
    }
    sample(out, "ordercare_http_request_duration_seconds_bucket", base + ",le=\"+Inf\"", std::to_string(h.count));
    sample(out, "ordercare_http_request_duration_seconds_sum", base, number(h.sum));
    sample(out, "ordercare_http_request_duration_seconds_count", base, std::to_string(h.count));
  }

  family(out, "ordercare_webhook_events_total", "counter",
         "Webhook events by outcome: accepted (new and durable), duplicate (seen before), rejected "
         "(malformed or refused), ignored (a delivery that maps to no event).");
  for (const auto &[key, n] : events_)
    sample(out, "ordercare_webhook_events_total", label("endpoint", key.first) + "," + label("outcome", key.second),
           std::to_string(n));

  family(out, "ordercare_webhook_signature_failures_total", "counter",
         "Webhook deliveries refused by signature verification, by reason.");
  for (const auto &[key, n] : signature_failures_)
    sample(out, "ordercare_webhook_signature_failures_total",
           label("endpoint", key.first) + "," + label("reason", key.second), std::to_string(n));

  family(out, "ordercare_http_open_connections", "gauge", "HTTP connections open now.");
  sample(out, "ordercare_http_open_connections", "", std::to_string(open_connections));

  family(out, "ordercare_store_up", "gauge", "1 if the store answered this scrape, else 0.");
  sample(out, "ordercare_store_up", "", store.reachable ? "1" : "0");

  family(out, "ordercare_outbox_effects", "gauge", "Effects in the outbox, by status.");
  for (const char *status : {"pending", "in_flight", "done", "failed"}) {
    auto it = store.outbox_by_status.find(status);
    sample(out, "ordercare_outbox_effects", label("status", status),
           std::to_string(it == store.outbox_by_status.end() ? 0 : it->second));
  }
  for (const auto &[status, n] : store.outbox_by_status)
    if (status != "pending" && status != "in_flight" && status != "done" && status != "failed")
      sample(out, "ordercare_outbox_effects", label("status", status), std::to_string(n));

  family(out, "ordercare_sla_breached_cases", "gauge", "Active cases past an SLA deadline.");
  sample(out, "ordercare_sla_breached_cases", "", std::to_string(store.breached_cases));
  return out;
}

}  // namespace ordercare::runtime
