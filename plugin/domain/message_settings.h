// The message placeholders the shop's settings fill ({{store.name}},
// {{return.portal_url}}, {{survey.url}}, {{survey.reward}}), and the check
// at open that no message the policy may choose needs one that is not set:
// such a message would fail at every send instead of once, at open.
#pragma once

#include <string>
#include <string_view>

#include "domain/policy.h"
#include "domain/template_renderer.h"

namespace ordercare::domain {

// {{greeting}}, the first line of every default customer message: "Hi
// Ann Example," ("Hallo Ann Example,"), or without a name (the schema does
// not require one) "Hello," ("Guten Tag,"), so a customer without a name
// is still written to. English for languages other than German.
std::string greeting(const std::string *name, std::string_view language);

// Whether the engine may choose template `id` under `policy`: the survey
// only with its link (feedback_survey_with_reward only with a reward), the
// "already shipped" cancellation notice with or without a returns portal.
// Every other template may be sent (by a rule or an agent's macro).
bool may_be_chosen(const Policy &policy, std::string_view id);

// Throws Failure(OC_ERR_CONFIG, "config: policy.survey.reward: required:
// template 'feedback_survey' (en body) uses {{survey.reward}}") for the
// first such template. `path` is where the policy was configured
// ("stores.<id>.policy" for a store profile), `name_field` where the
// store's name is set.
void require_message_settings(const Policy &policy, const TemplateSet &templates,
                              const std::string &path = "policy",
                              const std::string &name_field = "policy.store.name");

}  // namespace ordercare::domain
