#include "runtime/config.h"

#include "common/config_reader.h"
#include "common/crypto.h"
#include "common/failure.h"
#include "domain/locations.h"
#include "domain/message_settings.h"

#include <arpa/inet.h>

#include <cstdlib>

namespace ordercare::runtime {

namespace {

store::StoreConfig read_store(ConfigReader section) {
  store::StoreConfig out;
  out.engine = section.choice("engine", out.engine, {"sqlite", "postgres"});
  out.path = section.string("path", out.path);
  if (out.path.empty()) fail_config(section.path_of("path"), "must not be empty");
  const std::string durability = section.choice("durability", "full", {"full", "normal"});
  out.durability = durability == "full" ? store::Durability::full : store::Durability::normal;
  out.busy_timeout_ms = section.duration_ms("busy_timeout", out.busy_timeout_ms);
  out.wake_interval_ms = section.duration_ms("wake_interval", out.wake_interval_ms);
  out.page_cache_kib = section.integer("page_cache_kib", out.page_cache_kib, 256, 4 << 20);
  if (out.wake_interval_ms < 1 || out.wake_interval_ms > 60 * kSecondMs)
    fail_config(section.path_of("wake_interval"), "must be between 1ms and 60s");
  // The URL may hold a password: from the config, or from the environment
  // variable it names; never echoed in a message.
  auto url = section.optional_string("url");
  auto url_env = section.optional_string("url_env");
  if (url && url_env) fail_config(section.path_of("url_env"), "give url or url_env, not both");
  if (url) out.url = *url;
  if (url_env) {
    const char *value = std::getenv(url_env->c_str());
    if (!value || !*value)
      fail_config(section.path_of("url_env"), "the environment variable " + *url_env + " is not set");
    out.url = value;
  }
  out.schema = section.string("schema", out.schema);
  out.remembered_documents = static_cast<std::size_t>(section.integer(
      "remembered_documents", static_cast<std::int64_t>(out.remembered_documents), 0, 1000000));
  if (out.engine == "postgres" && out.url.empty())
    fail_config(section.path_of("url"), "required for the postgres engine (or url_env)");
  if (out.engine == "sqlite" && (url || url_env))
    fail_config(section.path_of(url ? "url" : "url_env"), "only for the postgres engine");
  section.finish();
  return out;
}

Limits read_limits(ConfigReader section) {
  Limits out;
  out.max_event_bytes = static_cast<std::size_t>(
      section.integer("max_event_bytes", static_cast<std::int64_t>(out.max_event_bytes), 1024, 64 << 20));
  out.max_args_bytes = static_cast<std::size_t>(
      section.integer("max_args_bytes", static_cast<std::int64_t>(out.max_args_bytes), 1024, 64 << 20));
  out.max_batch_events = static_cast<std::size_t>(
      section.integer("max_batch_events", static_cast<std::int64_t>(out.max_batch_events), 1, 1000000));
  out.max_batch_bytes = static_cast<std::size_t>(
      section.integer("max_batch_bytes", static_cast<std::int64_t>(out.max_batch_bytes), 1024, 1 << 30));
  section.finish();
  return out;
}

OutboxConfig read_outbox(ConfigReader section) {
  OutboxConfig out;
  out.max_attempts = section.integer("max_attempts", out.max_attempts, 1, 1000);
  out.base_backoff = section.duration_ms("base_backoff", out.base_backoff);
  out.max_backoff = section.duration_ms("max_backoff", out.max_backoff);
  out.jitter = section.number("jitter", out.jitter, 0.0, 1.0);
  out.lease = section.duration_ms("lease", out.lease);
  if (out.base_backoff <= 0) fail_config(section.path_of("base_backoff"), "must be positive");
  if (out.max_backoff < out.base_backoff) fail_config(section.path_of("max_backoff"), "must be at least base_backoff");
  section.finish();
  return out;
}

// ordercare.h promises OC_ERR_CONFIG for a malformed config document, so
// a JSON syntax error is reported as a config error; invalid UTF-8 keeps
// its own status.
Json parse_config_json(std::string_view text) {
  try {
    return parse_json(text, "config");
  } catch (const Failure &failure) {
    if (failure.status() != OC_ERR_JSON) throw;
    fail(OC_ERR_CONFIG, failure.what());
  }
}

// The master key that wraps customers' data keys: from the config, or from
// the environment variable master_key_env names, which must then be set.
// With neither, ORDERCARE_MASTER_KEY if set; else the store keeps a
// generated key file next to itself.
std::string read_master_key(ConfigReader section) {
  auto inline_key = section.optional_string("master_key");
  auto env_name = section.optional_string("master_key_env");
  section.finish();
  if (inline_key && env_name)
    fail_config(section.path_of("master_key_env"), "give master_key or master_key_env, not both");
  if (env_name && env_name->empty()) fail_config(section.path_of("master_key_env"), "must not be empty");
  std::string encoded;
  std::string origin;
  if (inline_key) {
    encoded = *inline_key;
    origin = section.path_of("master_key");
  } else if (const char *env = std::getenv(env_name ? env_name->c_str() : "ORDERCARE_MASTER_KEY"); env && *env) {
    encoded = env;
    origin = "environment variable " + (env_name ? *env_name : std::string("ORDERCARE_MASTER_KEY"));
  } else if (env_name) {
    // Named but unset: falling back to a key file would open (or create) the
    // store under another key than the one the operator meant.
    fail_config(section.path_of("master_key_env"), "environment variable " + *env_name + " is not set");
  } else {
    return {};
  }
  auto key = crypto::base64_decode(encoded);
  if (!key || key->size() != 32)
    fail_config(origin, "expected 32 bytes in base64 (e.g. `openssl rand -base64 32`)");
  return *key;
}

// A secret inline or from the environment variable named by `<key>_env`;
// nullopt when neither is given. The value never appears in a message.
std::optional<std::string> read_secret(ConfigReader &section, const std::string &key) {
  auto inline_secret = section.optional_string(key);
  auto env_name = section.optional_string(key + "_env");
  if (inline_secret && env_name) fail_config(section.path_of(key + "_env"), "give " + key + " or " + key + "_env, not both");
  if (inline_secret) {
    if (inline_secret->empty()) fail_config(section.path_of(key), "must not be empty");
    return inline_secret;
  }
  if (!env_name) return std::nullopt;
  const char *env = std::getenv(env_name->c_str());
  if (!env || !*env) fail_config(section.path_of(key + "_env"), "environment variable " + *env_name + " is not set");
  return std::string(env);
}

// {secret | secret_env, previous_secret | previous_secret_env,
//  previous_valid_until}: the previous secret is accepted until that time,
// so a sender can be moved to a new secret without losing deliveries.
ingest::SecretSet read_secret_set(ConfigReader &section, bool standard_webhooks) {
  ingest::SecretSet out;
  auto current = read_secret(section, "secret");
  if (!current) fail_config(section.path_of("secret"), "missing: give secret or secret_env");
  out.current = *current;
  if (auto previous = read_secret(section, "previous_secret")) {
    out.previous = *previous;
    auto until = section.optional_string("previous_valid_until");
    if (!until) fail_config(section.path_of("previous_valid_until"), "required with previous_secret (when the rotation ends)");
    auto at = parse_rfc3339(*until);
    if (!at) fail_config(section.path_of("previous_valid_until"), "expected an RFC 3339 date-time");
    out.previous_not_after = *at;
  } else if (section.has("previous_valid_until")) {
    fail_config(section.path_of("previous_valid_until"), "given without previous_secret");
  }
  if (standard_webhooks) {
    // Caught here rather than on the first delivery, which would only say 401.
    if (!ingest::standard_webhooks_key(out.current))
      fail_config(section.path_of("secret"), "not a usable Standard Webhooks secret (whsec_<base64>)");
    if (!out.previous.empty() && !ingest::standard_webhooks_key(out.previous))
      fail_config(section.path_of("previous_secret"), "not a usable Standard Webhooks secret (whsec_<base64>)");
  }
  return out;
}

// A platform section: a shared secret set and, under `by_key` (shops,
// sources), one per sender.
PlatformSecrets read_platform(ConfigReader section, const char *by_key, bool standard_webhooks) {
  PlatformSecrets out;
  if (section.has("secret") || section.has("secret_env")) out.shared = read_secret_set(section, standard_webhooks);
  if (by_key) {
    if (const Json *senders = section.child(by_key)) {
      ConfigReader all(*senders, section.path_of(by_key));
      for (auto it = senders->begin(); it != senders->end(); ++it) {
        const std::string &name = it.key();
        const std::string key = PlatformSecrets::sender_key(name);
        if (key.empty()) fail_config(all.path_of(name), "expected a non-empty sender name");
        ConfigReader one(*all.child(name), all.path_of(name));
        if (!out.by_sender.emplace(key, read_secret_set(one, standard_webhooks)).second)
          fail_config(all.path_of(name), "given twice (names compare without case and trailing '/')");
        one.finish();
      }
      all.finish();
    }
  }
  section.finish();
  return out;
}

WebhookConfig read_webhooks(ConfigReader section) {
  WebhookConfig out;
  out.enabled = section.boolean("enabled", true);
  out.listen = section.string("listen", out.listen);
  unsigned char address[16];
  if (inet_pton(AF_INET, out.listen.c_str(), address) != 1 && inet_pton(AF_INET6, out.listen.c_str(), address) != 1)
    fail_config(section.path_of("listen"), "expected an IPv4 or IPv6 address (e.g. 127.0.0.1)");
  out.port = static_cast<std::uint16_t>(section.integer("port", out.port, 0, 65535));
  const std::string sharing = section.choice("port_sharing", "exclusive", {"exclusive", "shared"});
  out.port_sharing = sharing == "shared" ? PortSharing::shared : PortSharing::exclusive;
  out.max_body_bytes = static_cast<std::size_t>(
      section.integer("max_body_bytes", static_cast<std::int64_t>(out.max_body_bytes), 1024, 64 << 20));
  out.max_header_bytes = static_cast<std::size_t>(
      section.integer("max_header_bytes", static_cast<std::int64_t>(out.max_header_bytes), 1024, 1 << 20));
  out.max_connections = static_cast<std::size_t>(
      section.integer("max_connections", static_cast<std::int64_t>(out.max_connections), 1, 65536));
  out.max_pipelined = static_cast<std::size_t>(
      section.integer("max_pipelined", static_cast<std::int64_t>(out.max_pipelined), 1, 1024));
  out.threads = static_cast<std::size_t>(section.integer("threads", 0, 0, 64));
  const char *timeouts[] = {"header_timeout", "body_timeout", "idle_timeout", "timestamp_tolerance", "retry_after"};
  TimeMs *targets[] = {&out.header_timeout, &out.body_timeout, &out.idle_timeout, &out.timestamp_tolerance,
                       &out.retry_after};
  for (std::size_t i = 0; i < std::size(timeouts); ++i) {
    *targets[i] = section.duration_ms(timeouts[i], *targets[i]);
    if (*targets[i] <= 0) fail_config(section.path_of(timeouts[i]), "must be positive");
  }
  if (auto token = read_secret(section, "monitoring_token")) {
    // It travels as "Authorization: Bearer <token>", one header value.
    for (char c : *token)
      if (c < '!' || c > '~')
        fail_config(section.path_of(section.has("monitoring_token") ? "monitoring_token" : "monitoring_token_env"),
                    "expected printable ASCII without spaces");
    out.monitoring_token = *token;
  }
  const std::string path = section.path();
  out.shopify = read_platform(ConfigReader(value_or_empty(section.child("shopify")), path + ".shopify"), "shops", false);
  out.woocommerce =
      read_platform(ConfigReader(value_or_empty(section.child("woocommerce")), path + ".woocommerce"), "sources", false);
  out.stripe = read_platform(ConfigReader(value_or_empty(section.child("stripe")), path + ".stripe"), nullptr, false);
  out.bigcommerce =
      read_platform(ConfigReader(value_or_empty(section.child("bigcommerce")), path + ".bigcommerce"), nullptr, true);
  out.events = read_platform(ConfigReader(value_or_empty(section.child("events")), path + ".events"), nullptr, true);
  section.finish();
  return out;
}

}  // namespace

Config parse_config(std::string_view text) {
  Config config;
  const Json root = text.empty() ? Json::object() : parse_config_json(text);
  // `null` included: a document that says nothing is not taken for "all
  // defaults" (a store in the working directory); only no document is.
  if (!root.is_object())
    fail(OC_ERR_CONFIG, "config: (root): expected an object, got " + std::string(root.type_name()));
  ConfigReader reader(root, "");
  if (const Json *s = reader.child("store")) config.store = read_store(ConfigReader(*s, "store"));
  if (const Json *s = reader.child("limits")) config.limits = read_limits(ConfigReader(*s, "limits"));
  if (const Json *s = reader.child("outbox")) config.outbox = read_outbox(ConfigReader(*s, "outbox"));
  const Json *crypto_section = reader.child("crypto");
  config.store.master_key = read_master_key(ConfigReader(value_or_empty(crypto_section), "crypto"));
  const Json *policy = reader.child("policy");
  if (policy) config.policy = domain::Policy::from_config(*policy);
  if (const Json *s = reader.child("templates"))
    config.templates = domain::TemplateSet::from_json(*s, "templates", domain::TemplateSet::defaults());
  const Json *stores = reader.child("stores");
  // Physical shops and warehouses ("stores" above are storefronts).
  const Json *locations = reader.child("locations");
  if (const Json *s = reader.child("webhooks")) config.webhooks = read_webhooks(ConfigReader(*s, "webhooks"));
  reader.finish();
  domain::require_message_settings(config.policy, config.templates);
  config.policy.locations = std::make_shared<const domain::Locations>(
      domain::Locations::from_config(locations ? *locations : Json(nullptr), config.policy.sla.store_pickup_ready));
  config.stores = domain::StoreProfiles::from_config(config.policy, config.templates, value_or_empty(policy),
                                                     stores ? *stores : Json(nullptr));
  return config;
}

}  // namespace ordercare::runtime
