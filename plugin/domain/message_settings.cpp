#include "domain/message_settings.h"

#include <array>
#include <string>

#include "common/config_reader.h"

namespace ordercare::domain {

namespace {

struct Setting {
  const char *placeholder;
  std::string field;
  bool set;
};

void check(const std::map<std::string, CompiledTemplate, std::less<>> &texts, const char *part,
           const std::string &id, const std::array<Setting, 4> &settings) {
  for (const auto &[language, text] : texts)
    for (const auto &name : text.placeholders())
      for (const Setting &s : settings)
        if (!s.set && name == s.placeholder)
          fail_config(s.field, "required: template '" + id + "' (" + language + " " + part + ") uses {{" + name +
                                   "}}");
}

}  // namespace

std::string greeting(const std::string *name, std::string_view language) {
  const std::string_view primary = language.substr(0, language.find_first_of("-_"));
  const bool de = primary == "de" || primary == "DE" || primary == "De";
  if (name == nullptr || name->find_first_not_of(" \t\r\n") == std::string::npos) return de ? "Guten Tag," : "Hello,";
  return (de ? "Hallo " : "Hi ") + *name + ",";
}

bool may_be_chosen(const Policy &policy, std::string_view id) {
  const bool survey = policy.survey.enabled && !policy.survey.url.empty();
  if (id == "feedback_survey") return survey && policy.survey.reward.empty();
  if (id == "feedback_survey_with_reward") return survey && !policy.survey.reward.empty();
  if (id == "cancellation_already_shipped") return !policy.returns.portal_url.empty();
  if (id == "cancellation_already_shipped_no_portal") return policy.returns.portal_url.empty();
  return true;
}

void require_message_settings(const Policy &policy, const TemplateSet &templates, const std::string &path,
                              const std::string &name_field) {
  const std::array<Setting, 4> settings = {{
      {"store.name", name_field, !policy.store.name.empty()},
      {"return.portal_url", path + ".returns.portal_url", !policy.returns.portal_url.empty()},
      {"survey.url", path + ".survey.url", !policy.survey.url.empty()},
      {"survey.reward", path + ".survey.reward", !policy.survey.reward.empty()},
  }};
  for (const std::string &id : templates.ids()) {
    if (!may_be_chosen(policy, id)) continue;
    const MessageTemplate &message = *templates.find(id);
    check(message.subject, "subject", id, settings);
    check(message.body, "body", id, settings);
  }
}

}  // namespace ordercare::domain
