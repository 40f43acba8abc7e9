// Message templates: "Hi {{customer.name}}, order #{{order.number}} is
// delayed. New estimate: {{eta}}." compiled once when the config is loaded,
// rendered for each message from the case and order data.
//
// Syntax. `{{ name }}` is a placeholder; spaces inside the braces are
// optional; a name is letters, digits and '_' in dot-separated parts, and
// `customer.name` reads vars["customer"]["name"]. There is no escape: `{{`
// always starts a placeholder, while a lone `{` or `}` and a `}}` outside a
// placeholder are plain text. Values are never read as templates, so a
// message that must show "{{" gets it from a variable.
//
// Values. Strings render as they are, integers and decimals as JSON writes
// them, booleans as true/false. A placeholder whose value is absent, null,
// blank (empty or only whitespace), an object or an array has no value, and a
// render with any such placeholder yields no text at all, only the list of
// names, so a half-filled message can never be sent by accident.
//
// Escaping. Every value loses control characters (C0 but \n and \t, DEL and
// C1, which terminals and SMS gateways act on) and has malformed UTF-8
// replaced by U+FFFD; html then escapes & < > " ', and plain_line (subjects,
// headers) turns line breaks and tabs into spaces. The template's own text is
// written by the operator and used as it is.
//
// Template sets (plugin/domain/defaults/templates.json, and the config's
// "templates" section laid over it; see defaults/README.md):
//   {"<id>": {"audience": "customer" | "team",
//             "subject": {"en": "...", "de": "..."},     (optional)
//             "body":    {"en": "...", "de": "..."}}}
// Every template has an "en" body, and a subject in each language it has a
// body in, if it has one at all. A language is found as asked ("de-at"),
// then by its primary tag ("de"), then as "en".
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/json.h"

namespace ordercare::domain {

enum class Escaping { plain, plain_line, html };

struct Rendered {
  std::optional<std::string> text;   // set only when every placeholder had a value
  std::vector<std::string> missing;  // placeholders without a value, each once, in order
};

class CompiledTemplate;

// Fills the placeholders from `vars` (an object), escaping each value.
Rendered render(const CompiledTemplate &compiled, const Json &vars, Escaping escaping);

class CompiledTemplate {
 public:
  // Throws Failure(OC_ERR_CONFIG, "<path>: ...") for malformed UTF-8, a `{{`
  // with no `}}`, or a name outside the syntax above.
  static CompiledTemplate compile(std::string_view text, std::string_view path);

  // Each distinct placeholder name, in order of first use.
  const std::vector<std::string> &placeholders() const { return placeholders_; }
  const std::string &source() const { return source_; }

 private:
  friend Rendered render(const CompiledTemplate &, const Json &, Escaping);

  // Literal text when `keys` is empty, else the placeholder placeholders_[name].
  struct Part {
    std::string literal;
    std::vector<std::string> keys;
    std::size_t name = 0;
  };

  std::string source_;
  std::vector<Part> parts_;
  std::vector<std::string> placeholders_;
};

enum class Audience { customer, team };

struct MessageTemplate {
  Audience audience = Audience::customer;
  std::string description;  // for operators and agents' macro menus; may be empty
  std::map<std::string, CompiledTemplate, std::less<>> subject;  // by language; may be empty
  std::map<std::string, CompiledTemplate, std::less<>> body;     // by language; has "en"
};

struct RenderedMessage {
  std::string language;               // the language that was used
  std::optional<std::string> subject; // when the template has one and nothing is missing
  std::optional<std::string> body;    // when nothing is missing, in subject or body
  std::vector<std::string> missing;
};

class TemplateSet {
 public:
  // Throws Failure(OC_ERR_CONFIG, "<path>.<id>.body.de: ...").
  static TemplateSet from_json(const Json &templates, std::string_view path);

  // `overrides` laid over `base`: a template id not in base must be complete;
  // for one that is, each given language replaces or adds to base's and
  // "audience" may be left out.
  static TemplateSet from_json(const Json &overrides, std::string_view path,
                               const TemplateSet &base);

  // The set compiled into the library (defaults/templates.json).
  static const TemplateSet &defaults();

  const MessageTemplate *find(std::string_view id) const;
  // The body in `language` or its fallback; nullptr for an unknown id.
  const CompiledTemplate *find(std::string_view id, std::string_view language) const;
  const CompiledTemplate *find_subject(std::string_view id, std::string_view language) const;

  std::vector<std::string> ids() const;

  // The language a message of template `id` asked in `language` is written
  // in (the fallback above); "" for an unknown id.
  std::string language_for(std::string_view id, std::string_view language) const;
  // Whether template `id` is written in `language` itself or its primary
  // tag ("de-AT" -> "de"), not only by the fallback to "en".
  bool written_in(std::string_view id, std::string_view language) const;

  // Subject (always plain_line) and body (with `body_escaping`) in one
  // language; `missing` lists what either lacks, and then neither is set.
  // Throws Failure(OC_ERR_NOT_FOUND) for an unknown id.
  RenderedMessage render(std::string_view id, std::string_view language, const Json &vars,
                         Escaping body_escaping) const;

 private:
  std::map<std::string, MessageTemplate, std::less<>> templates_;
};

}  // namespace ordercare::domain
