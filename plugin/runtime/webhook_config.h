// The `webhooks` section of the config: where the HTTP server listens, its
// limits and timeouts, and the secrets each platform signs with. The server
// runs only when the section is present (and not "enabled": false).
//
// Secrets (and the monitoring token) come from the config or from the
// environment variable it names ("secret_env"); they are kept here and
// handed to the verifiers, never logged, never echoed in an error.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "common/time_format.h"
#include "ingest/webhook_signature.h"

namespace ordercare::runtime {

// A platform's secrets: one for every sender, or one per sender (Shopify
// shop domain, WooCommerce source URL) falling back to the shared one.
struct PlatformSecrets {
  std::optional<ingest::SecretSet> shared;
  std::map<std::string, ingest::SecretSet> by_sender;

  // The secrets for this sender; nullptr when nothing is configured.
  const ingest::SecretSet *for_sender(std::string_view sender) const {
    if (auto it = by_sender.find(sender_key(sender)); it != by_sender.end()) return &it->second;
    return shared ? &*shared : nullptr;
  }

  // Senders compare without case and without trailing '/': a shop domain
  // is case-insensitive, and WooCommerce sends its source URL with one.
  static std::string sender_key(std::string_view sender) {
    while (!sender.empty() && sender.back() == '/') sender.remove_suffix(1);
    std::string key(sender);
    for (char &c : key)
      if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    return key;
  }
};

// Whether several processes may listen on one port. Linux allows it only
// when every socket sets SO_REUSEPORT and all belong to the same effective
// uid; with "port": 0 each process still gets a port of its own.
enum class PortSharing {
  exclusive,  // one process per port: a second one fails to open
  shared,     // SO_REUSEPORT: every process listens, the kernel spreads connections
};

struct WebhookConfig {
  bool enabled = false;
  std::string listen = "127.0.0.1";
  std::uint16_t port = 8080;  // 0: an ephemeral port (see webhooks.status)
  PortSharing port_sharing = PortSharing::exclusive;  // hosts run several processes on one config
  std::size_t max_body_bytes = 1 << 20;
  std::size_t max_header_bytes = 64 << 10;
  std::size_t max_connections = 1024;
  std::size_t max_pipelined = 16;  // requests read ahead of their responses, per connection
  std::size_t threads = 0;         // server threads (webhook_threads.h); 0: one per core, at most 4
  TimeMs header_timeout = 10 * kSecondMs;  // first byte of a request -> end of its headers
  TimeMs body_timeout = 60 * kSecondMs;    // end of headers -> end of body
  TimeMs idle_timeout = 60 * kSecondMs;    // no byte in or out while waiting on the peer
  TimeMs timestamp_tolerance = ingest::kDefaultSignatureTolerance;
  TimeMs retry_after = 5 * kSecondMs;  // the Retry-After of a 503
  // What GET /metrics and /healthz require as "Authorization: Bearer <token>";
  // "" (the default) lets anyone who reaches the port read them.
  std::string monitoring_token;

  PlatformSecrets shopify;      // by X-Shopify-Shop-Domain
  PlatformSecrets woocommerce;  // by X-WC-Webhook-Source
  PlatformSecrets stripe;
  PlatformSecrets bigcommerce;
  PlatformSecrets events;  // /webhooks/events (Standard Webhooks)
};

}  // namespace ordercare::runtime
