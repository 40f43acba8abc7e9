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
#include "domain/template_renderer.h"
#include "store/store.h"

namespace ordercare::runtime {

struct RenderResult {
  Json payload;                      // the request the host receives
  std::optional<std::string> error;  // why it cannot be sent
  std::vector<std::string> missing;  // the placeholders without a value, when that is why
};

class NotificationRenderer {
 public:
  NotificationRenderer(const domain::TemplateSet &templates, const domain::Policy &policy)
      : templates_(templates), policy_(policy) {}

  RenderResult render(store::StateStore &state, const Json &payload) const;
  const domain::TemplateSet &templates() const { return templates_; }

 private:
  const domain::TemplateSet &templates_;
  const domain::Policy &policy_;
};

// {"order.number": "1001"} -> {"order": {"number": "1001"}}, as the
// template renderer reads dotted names.
Json nest_variables(const Json &flat);

}  // namespace ordercare::runtime
