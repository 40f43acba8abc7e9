// Turns a notify effect (template id + variables, as the domain queued it)
// into the message the host sends, at the moment it is dispatched: the
// customer's name and contact come from the vault then, so an erased
// customer is never written to, and PII never sits in the outbox twice.
// A template with a placeholder that has no value is never sent.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "common/json.h"
#include "domain/policy.h"
#include "domain/store_profiles.h"
#include "domain/template_renderer.h"
#include "store/store.h"

namespace ordercare::runtime {

struct RenderResult {
  Json payload;                      // the request the host receives
  std::optional<std::string> error;  // why it cannot be sent
  std::vector<std::string> missing;  // the placeholders without a value, when that is why
};

// A notice is signed and worded in the voice of the store it names
// (`store` in the payload: its profile's name, sign-off and templates),
// the shop-wide one without a store or for a store no longer configured.
class NotificationRenderer {
 public:
  explicit NotificationRenderer(const domain::StoreProfiles &stores) : stores_(stores) {}

  RenderResult render(store::StateStore &state, const Json &payload) const;
  // The shop-wide templates, and those of the store a payload names.
  const domain::TemplateSet &templates() const { return stores_.shop().message_templates(); }
  const domain::TemplateSet &templates_for(const Json &payload) const;
  const domain::StoreProfiles &stores() const { return stores_; }

 private:
  const domain::StoreProfiles &stores_;
};

// {"order.number": "1001"} -> {"order": {"number": "1001"}}, as the
// template renderer reads dotted names.
Json nest_variables(const Json &flat);

}  // namespace ordercare::runtime
