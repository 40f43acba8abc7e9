#include "domain/store_profiles.h"

#include "common/config_reader.h"
#include "common/failure.h"
#include "common/language_tag.h"
#include "common/utf8.h"
#include "domain/business_calendar.h"
#include "domain/locations.h"
#include "domain/message_settings.h"

namespace ordercare::domain {

namespace {

Json &object_at(Json &parent, const char *key, const std::string &path) {
  Json &child = parent[key];
  if (child.is_null()) child = Json::object();
  if (!child.is_object()) fail_config(path + "." + key, "expected an object");
  return child;
}

// A store's profile: the shop-wide overrides with the profile's `policy`
// merged over them, then its own fields, which are shortcuts for policy
// ones (name -> store.name, sign_off -> store.sign_off, language,
// business_hours -> sla.business_hours in the profile's time zone).
std::shared_ptr<const Policy> read_profile(const std::string &id, const Json &profile, const Json &shop_overrides,
                                           const TemplateSet &shop_templates,
                                           const std::shared_ptr<const Locations> &locations) {
  const std::string path = "stores." + id;
  if (id.empty() || id.size() > 256 || find_invalid_utf8(id))
    fail_config(path, "a store id is 1 to 256 bytes of UTF-8, as events name it in `store`");
  ConfigReader r(profile, path);
  Json overrides = shop_overrides.is_object() ? shop_overrides : Json::object();
  if (const Json *policy = r.child("policy")) {
    if (!policy->is_object()) fail_config(path + ".policy", "expected an object (merged over the shop's policy)");
    overrides.merge_patch(*policy);
  }
  const std::string policy_path = path + ".policy";
  if (auto name = r.optional_string("name")) {
    if (name->find_first_not_of(" \t\r\n") == std::string::npos) fail_config(path + ".name", "must not be blank");
    overrides.erase("store_name");
    object_at(overrides, "store", policy_path)["name"] = *name;
  }
  // A store's sign-off replaces the shop's in every language: one voice.
  if (const Json *sign_off = r.child("sign_off")) object_at(overrides, "store", policy_path)["sign_off"] = *sign_off;
  if (auto language = r.optional_string("language")) {
    if (!valid_language_tag(*language))
      fail_config(path + ".language", "expected a language tag such as \"en\" or \"de-AT\"");
    overrides["language"] = *language;
  }
  const std::optional<std::string> zone = r.optional_string("time_zone");
  if (zone) overrides["time_zone"] = *zone;
  if (zone) {
    BusinessHours check = BusinessHours::around_the_clock();
    check.zone = *zone;
    if (zone->empty()) fail_config(path + ".time_zone", "expected an IANA time zone name such as \"Europe/Berlin\"");
    try {
      check.validate(path);
    } catch (const Failure &) {
      fail_config(path + ".time_zone", "unknown time zone \"" + *zone + "\"");
    }
  }
  Json &sla = object_at(overrides, "sla", policy_path);
  if (const Json *hours = r.child("business_hours")) {
    Json given = *hours;
    if (given.is_object() && !given.contains("zone") && zone) given["zone"] = *zone;
    // Read here so a mistake is named where it was made.
    BusinessHours::from_json(given, path + ".business_hours");
    sla["business_hours"] = std::move(given);
  } else if (zone && sla.contains("business_hours") && sla["business_hours"].is_object()) {
    // The shop's opening hours, kept in the store's own wall clock.
    sla["business_hours"]["zone"] = *zone;
  }
  if (sla.empty()) overrides.erase("sla");
  Policy policy = Policy::from_config(overrides, policy_path);
  policy.store_id = id;
  policy.locations = locations;
  if (const Json *templates = r.child("templates"))
    policy.templates = std::make_shared<const TemplateSet>(
        TemplateSet::from_json(*templates, path + ".templates", shop_templates));
  else
    policy.templates = std::make_shared<const TemplateSet>(shop_templates);
  r.finish();
  require_message_settings(policy, *policy.templates, policy_path, path + ".name");
  return std::make_shared<const Policy>(std::move(policy));
}

}  // namespace

StoreProfiles::StoreProfiles() : StoreProfiles(Policy::defaults(), TemplateSet::defaults()) {}

StoreProfiles::StoreProfiles(Policy shop, TemplateSet templates) {
  shop.templates = std::make_shared<const TemplateSet>(std::move(templates));
  shop_ = std::make_shared<const Policy>(std::move(shop));
}

StoreProfiles StoreProfiles::from_config(Policy shop, TemplateSet templates, const Json &policy_overrides,
                                         const Json &stores) {
  StoreProfiles out(std::move(shop), std::move(templates));
  if (stores.is_null()) return out;
  if (!stores.is_object()) fail_config("stores", "expected an object of store profiles by store id");
  for (auto it = stores.begin(); it != stores.end(); ++it)
    out.stores_[it.key()] = read_profile(it.key(), it.value(), policy_overrides, out.shop_->message_templates(),
                                         out.shop_->locations);
  return out;
}

const Policy &StoreProfiles::policy_for(const std::optional<std::string> &store) const {
  if (store)
    if (auto it = stores_.find(*store); it != stores_.end()) return *it->second;
  return *shop_;
}

std::vector<std::string> StoreProfiles::ids() const {
  std::vector<std::string> out;
  for (const auto &[id, policy] : stores_) out.push_back(id);
  return out;
}

void StoreProfiles::require_known(const std::optional<std::string> &store) const {
  if (!store || stores_.empty() || has(*store)) return;
  std::string known;
  for (const auto &[id, policy] : stores_) known += (known.empty() ? "" : ", ") + id;
  fail(OC_ERR_SCHEMA, "store: no profile for store '" + *store + "' in the config's stores (known: " + known +
                          "); add one, or leave `store` out for the shop-wide policy");
}

}  // namespace ordercare::domain
