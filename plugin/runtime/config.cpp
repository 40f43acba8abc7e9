#include "runtime/config.h"

#include "common/config_reader.h"
#include "common/failure.h"

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

}  // namespace

Config parse_config(std::string_view text) {
  Config config;
  if (text.empty()) return config;
  const Json root = parse_config_json(text);
  ConfigReader reader(root, "");
  if (const Json *s = reader.child("store")) config.store = read_store(ConfigReader(*s, "store"));
  if (const Json *s = reader.child("limits")) config.limits = read_limits(ConfigReader(*s, "limits"));
  reader.finish();
  return config;
}

}  // namespace ordercare::runtime
