#include "runtime/calls/template_calls.h"

#include <algorithm>
#include <cctype>

#include "common/failure.h"

namespace ordercare::runtime {

namespace {

using domain::Audience;
using domain::CompiledTemplate;
using domain::MessageTemplate;

void add_placeholders(Json &names, const CompiledTemplate &text) {
  for (const auto &name : text.placeholders())
    if (std::find(names.begin(), names.end(), name) == names.end()) names.push_back(name);
}

// One language of a template: its subject's placeholders, then its body's.
Json language_entry(const MessageTemplate &message, const std::string &language) {
  Json placeholders = Json::array();
  const auto subject = message.subject.find(language);
  if (subject != message.subject.end()) add_placeholders(placeholders, subject->second);
  add_placeholders(placeholders, message.body.at(language));
  return {{"language", language}, {"has_subject", subject != message.subject.end()},
          {"placeholders", std::move(placeholders)}};
}

}  // namespace

void register_template_calls(CallRegistry &registry, const domain::TemplateSet &templates) {
  registry.add("templates.list", [&templates](CallContext &, const Json &json) -> Json {
    ConfigReader args = args_reader(json);
    const Page page = read_page(args, "tp");
    const auto audience = args.optional_string("audience");
    if (audience && *audience != "customer" && *audience != "team")
      fail(OC_ERR_SCHEMA, "args: audience: expected \"customer\" or \"team\"");
    // Tags are kept in lower case with '-' (defaults/README.md).
    auto language = args.optional_string("language");
    if (language)
      for (auto &ch : *language) ch = ch == '_' ? '-' : static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    args.finish();
    Json items = Json::array();
    std::int64_t position = 0;
    bool more = false;
    for (const auto &id : templates.ids()) {
      const MessageTemplate &message = *templates.find(id);
      const bool customer = message.audience == Audience::customer;
      if (audience && *audience != (customer ? "customer" : "team")) continue;
      // A language the template has (as stored: "de", "de-at").
      if (language && !message.body.contains(*language)) continue;
      if (++position <= page.after) continue;
      if (items.size() == page.limit) {
        more = true;
        break;
      }
      Json languages = Json::array();
      for (const auto &[tag, body] : message.body)
        if (!language || tag == *language) languages.push_back(language_entry(message, tag));
      items.push_back({{"id", id},
                       {"audience", customer ? "customer" : "team"},
                       {"customer_facing", customer},
                       {"description", message.description.empty() ? Json(nullptr) : Json(message.description)},
                       {"languages", std::move(languages)}});
    }
    return {{"templates", std::move(items)},
            {"next_cursor", next_cursor("tp", more, page.after + static_cast<std::int64_t>(page.limit))}};
  });
}

}  // namespace ordercare::runtime
