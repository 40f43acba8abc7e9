// One voice per store. A host that runs several stores names the store on
// each event (`store` in the envelope); the config's `stores` section gives
// each a profile: its name, sign-off, default language, time zone, business
// hours, policy and templates, laid over the shop-wide `policy` and
// `templates`. Everything about a store's orders and cases is then decided
// and worded with its profile's policy; a store without a profile, or none
// named, gets the shop-wide one.
//
//   "stores": {"nordhaven-eu": {"name": "Nordhaven Europe", "language": "de",
//                               "time_zone": "Europe/Berlin",
//                               "business_hours": {"hours": {"mon": "09:00-17:00"}},
//                               "sign_off": {"de": "Ihr Nordhaven-Team"},
//                               "policy": {"returns": {"window_days": 14}},
//                               "templates": {"order_delayed": {"body": {"de": "..."}}}}}
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "common/json.h"
#include "domain/policy.h"
#include "domain/template_renderer.h"

namespace ordercare::domain {

class StoreProfiles {
 public:
  // The shop-wide policy and templates only, no profiles.
  StoreProfiles();
  StoreProfiles(Policy shop, TemplateSet templates);

  // `shop` and `templates` as read from the config, `policy_overrides` the
  // config's "policy" object (null for none), `stores` its "stores" object
  // (null for none). Throws Failure(OC_ERR_CONFIG, "config: stores.<id>.
  // <field>: ...") for a bad profile: an unknown field, a bad language tag
  // or time zone, a policy or template the shop-wide section would refuse,
  // a message that needs a setting the profile leaves unset. Every profile
  // shares the shop's physical locations (shop.locations).
  static StoreProfiles from_config(Policy shop, TemplateSet templates, const Json &policy_overrides,
                                   const Json &stores);

  const Policy &shop() const { return *shop_; }
  // The policy of `store`'s profile (its templates in message_templates()),
  // the shop-wide one for no store or one without a profile.
  const Policy &policy_for(const std::optional<std::string> &store) const;

  bool empty() const { return stores_.empty(); }
  bool has(const std::string &id) const { return stores_.count(id) > 0; }
  std::vector<std::string> ids() const;

  // When the config has profiles, an event must name one of them or none:
  // Failure(OC_ERR_SCHEMA, "store: no profile for store 'x' in the config's
  // stores (known: a, b)"), before anything is written.
  void require_known(const std::optional<std::string> &store) const;

 private:
  std::shared_ptr<const Policy> shop_;
  std::map<std::string, std::shared_ptr<const Policy>> stores_;
};

}  // namespace ordercare::domain
