#include "runtime/config.h"

#include "common/config_reader.h"
#include "common/crypto.h"
#include "common/failure.h"

#include <cstdlib>

namespace ordercare::runtime {

namespace {

store::StoreConfig read_store(ConfigReader section) {
  store::StoreConfig out;
  out.engine = section.choice("engine", out.engine, {"sqlite"});
  out.path = section.string("path", out.path);
  if (out.path.empty()) fail_config(section.path_of("path"), "must not be empty");
  const std::string durability = section.choice("durability", "full", {"full", "normal"});
  out.durability = durability == "full" ? store::Durability::full : store::Durability::normal;
  out.busy_timeout_ms = section.duration_ms("busy_timeout", out.busy_timeout_ms);
  section.finish();
  return out;
}

Limits read_limits(ConfigReader section) {
  Limits out;
  out.max_event_bytes = static_cast<std::size_t>(
      section.integer("max_event_bytes", static_cast<std::int64_t>(out.max_event_bytes), 1024, 64 << 20));
  out.max_args_bytes = static_cast<std::size_t>(
      section.integer("max_args_bytes", static_cast<std::int64_t>(out.max_args_bytes), 1024, 64 << 20));
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
// the environment variable it names (ORDERCARE_MASTER_KEY by default). With
// neither, the store keeps a generated key file next to itself.
std::string read_master_key(ConfigReader section) {
  auto inline_key = section.optional_string("master_key");
  const std::string env_name = section.string("master_key_env", "ORDERCARE_MASTER_KEY");
  section.finish();
  std::string encoded;
  std::string origin;
  if (inline_key) {
    encoded = *inline_key;
    origin = section.path_of("master_key");
  } else if (const char *env = std::getenv(env_name.c_str()); env && *env) {
    encoded = env;
    origin = "environment variable " + env_name;
  } else {
    return {};
  }
  auto key = crypto::base64_decode(encoded);
  if (!key || key->size() != 32)
    fail_config(origin, "expected 32 bytes in base64 (e.g. `openssl rand -base64 32`)");
  return *key;
}

}  // namespace

Config parse_config(std::string_view text) {
  Config config;
  const Json root = text.empty() ? Json::object() : parse_config_json(text);
  ConfigReader reader(root, "");
  if (const Json *s = reader.child("store")) config.store = read_store(ConfigReader(*s, "store"));
  if (const Json *s = reader.child("limits")) config.limits = read_limits(ConfigReader(*s, "limits"));
  if (const Json *s = reader.child("outbox")) config.outbox = read_outbox(ConfigReader(*s, "outbox"));
  const Json *crypto_section = reader.child("crypto");
  config.store.master_key = read_master_key(ConfigReader(value_or_empty(crypto_section), "crypto"));
  if (const Json *s = reader.child("policy")) config.policy = domain::Policy::from_config(*s);
  if (const Json *s = reader.child("templates"))
    config.templates = domain::TemplateSet::from_json(*s, "templates", domain::TemplateSet::defaults());
  reader.finish();
  return config;
}

}  // namespace ordercare::runtime
