// The configuration document given to oc_open, parsed once into plain
// structs. Every section is optional; defaults are the seeds' numbers.
#pragma once

#include <cstddef>
#include <string_view>

#include "common/json.h"
#include "domain/policy.h"
#include "domain/store_profiles.h"
#include "domain/template_renderer.h"
#include "runtime/webhook_config.h"
#include "store/store.h"

namespace ordercare::runtime {

struct Limits {
  std::size_t max_event_bytes = 1 << 20;  // one canonical event
  std::size_t max_args_bytes = 1 << 20;   // oc_call arguments
  // One oc_submit_batch: its events, and their bytes together.
  std::size_t max_batch_events = 10000;
  std::size_t max_batch_bytes = 16 << 20;
};

// How the outbox retries what the host could not do yet: exponential
// backoff from `base_backoff`, doubled per attempt up to `max_backoff`, each
// wait stretched by up to `jitter` of itself so retries of many effects do
// not arrive together; after `max_attempts` tries the effect fails and a
// person is asked to look (a case).
struct OutboxConfig {
  std::int64_t max_attempts = 8;
  TimeMs base_backoff = 30 * kSecondMs;
  TimeMs max_backoff = kHourMs;
  double jitter = 0.5;
  TimeMs lease = 5 * kMinuteMs;
};

struct Config {
  store::StoreConfig store;
  Limits limits;
  OutboxConfig outbox;
  domain::Policy policy = domain::Policy::defaults();
  domain::TemplateSet templates = domain::TemplateSet::defaults();
  // The shop-wide policy and templates above, and each store's profile.
  domain::StoreProfiles stores;
  WebhookConfig webhooks;
};

// Parses the config JSON; empty text means defaults. Throws
// Failure(OC_ERR_CONFIG | OC_ERR_UTF8) naming the field, or the byte
// offset for malformed JSON.
Config parse_config(std::string_view text);

}  // namespace ordercare::runtime
