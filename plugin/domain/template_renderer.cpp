#include "domain/template_renderer.h"

#include <algorithm>

#include "common/config_reader.h"
#include "common/embedded_document.h"
#include "common/failure.h"
#include "common/utf8.h"

namespace ordercare::domain {

namespace {

bool is_blank(char c) { return c == ' ' || c == '\t' || c == '\n'; }

std::string_view trim_spaces(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

bool is_name_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

// "customer.name" -> {"customer", "name"}; nullopt unless every part is a
// non-empty run of name characters.
std::optional<std::vector<std::string>> split_name(std::string_view name) {
  std::vector<std::string> keys;
  std::string_view rest = name;
  for (;;) {
    const std::size_t dot = rest.find('.');
    const std::string_view key = rest.substr(0, dot);
    if (key.empty() || !std::all_of(key.begin(), key.end(), is_name_char)) return std::nullopt;
    keys.emplace_back(key);
    if (dot == std::string_view::npos) return keys;
    rest.remove_prefix(dot + 1);
  }
}

const Json *lookup(const Json &vars, const std::vector<std::string> &keys) {
  const Json *node = &vars;
  for (const std::string &key : keys) {
    if (!node->is_object()) return nullptr;
    const auto it = node->find(key);
    if (it == node->end()) return nullptr;
    node = &*it;
  }
  return node;
}

// Appends well-formed UTF-8 without the control characters a terminal or
// SMS gateway would act on, escaped for the channel.
void append_clean(std::string &out, std::string_view text, Escaping escaping) {
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    const auto byte = static_cast<unsigned char>(c);
    if (c == '\n' || c == '\t') {
      out += escaping == Escaping::plain_line ? ' ' : c;
    } else if (byte < 0x20 || byte == 0x7F) {
      // dropped, \r included: line breaks are \n
    } else if (byte == 0xC2 && i + 1 < text.size() &&
               static_cast<unsigned char>(text[i + 1]) <= 0x9F) {
      ++i;  // U+0080..U+009F (C1); in valid UTF-8 0xC2 is always a lead byte
    } else if (escaping == Escaping::html && c == '&') {
      out += "&amp;";
    } else if (escaping == Escaping::html && c == '<') {
      out += "&lt;";
    } else if (escaping == Escaping::html && c == '>') {
      out += "&gt;";
    } else if (escaping == Escaping::html && c == '"') {
      out += "&quot;";
    } else if (escaping == Escaping::html && c == '\'') {
      out += "&#39;";
    } else {
      out += c;
    }
  }
}

std::string escape_value(std::string_view value, Escaping escaping) {
  std::string out;
  out.reserve(value.size());
  for (;;) {
    const auto bad = find_invalid_utf8(value);
    if (!bad) {
      append_clean(out, value, escaping);
      return out;
    }
    append_clean(out, value.substr(0, *bad), escaping);
    out += "\xEF\xBF\xBD";  // U+FFFD for the byte that starts no valid sequence
    value.remove_prefix(*bad + 1);
  }
}

// The text a value renders as, or nullopt when it counts as no value.
std::optional<std::string> value_text(const Json &value, Escaping escaping) {
  std::string text;
  if (value.is_string())
    text = escape_value(value.get_ref<const std::string &>(), escaping);
  else if (value.is_boolean())
    text = value.get<bool>() ? "true" : "false";
  else if (value.is_number())
    text = value.dump();
  else
    return std::nullopt;
  if (std::all_of(text.begin(), text.end(), is_blank)) return std::nullopt;
  return text;
}

bool is_template_id(std::string_view id) {
  return !id.empty() && std::all_of(id.begin(), id.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
  });
}

// Language tags compare in lower case with '-' ("de_AT" finds "de-at").
std::string fold_language(std::string_view tag) {
  std::string out(tag);
  for (char &c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    if (c == '_') c = '-';
  }
  return out;
}

// A primary tag of 2-3 letters, then subtags of 1-8 letters or digits.
bool is_language_tag(std::string_view tag) {
  std::size_t part = 0;
  for (;;) {
    const std::size_t dash = tag.find('-');
    const std::string_view sub = tag.substr(0, dash);
    const bool letters = std::all_of(sub.begin(), sub.end(), [](char c) { return c >= 'a' && c <= 'z'; });
    const bool alnum = std::all_of(sub.begin(), sub.end(), [](char c) {
      return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
    });
    if (part == 0 ? !(letters && sub.size() >= 2 && sub.size() <= 3)
                  : !(alnum && !sub.empty() && sub.size() <= 8))
      return false;
    if (dash == std::string_view::npos) return true;
    tag.remove_prefix(dash + 1);
    ++part;
  }
}

using ByLanguage = std::map<std::string, CompiledTemplate, std::less<>>;

void read_languages(const Json &value, const std::string &path, ByLanguage &into) {
  if (!value.is_object() || value.empty())
    config_error(path, "expected texts by language, such as {\"en\": \"...\"}");
  for (const auto &[tag, text] : value.items()) {
    const std::string language = fold_language(tag);
    const std::string text_path = join_path(path, tag);
    if (!is_language_tag(language))
      config_error(text_path, "not a language tag such as \"en\" or \"de-at\"");
    if (!text.is_string()) config_error(text_path, "expected the template text as a string");
    into.insert_or_assign(language,
                          CompiledTemplate::compile(text.get_ref<const std::string &>(), text_path));
  }
}

void check_languages(const MessageTemplate &message, const std::string &path) {
  if (!message.body.contains("en"))
    config_error(join_path(path, "body"),
                 "needs an \"en\" text, the fallback for every other language");
  if (message.subject.empty()) return;
  for (const auto &[language, text] : message.body) {
    if (!message.subject.contains(language))
      config_error(join_path(path, "subject"),
                   "has no \"" + language + "\" text for the \"" + language + "\" body");
  }
  for (const auto &[language, text] : message.subject) {
    if (!message.body.contains(language))
      config_error(join_path(path, "body"),
                   "has no \"" + language + "\" text for the \"" + language + "\" subject");
  }
}

// The language of `message` to use for `wanted`: itself, its primary tag,
// or "en".
std::string resolve_language(const MessageTemplate &message, std::string_view wanted) {
  const std::string folded = fold_language(wanted);
  if (message.body.contains(folded)) return folded;
  const std::string primary = folded.substr(0, folded.find('-'));
  if (message.body.contains(primary)) return primary;
  return "en";
}

void add_missing(std::vector<std::string> &into, const std::vector<std::string> &names) {
  for (const std::string &name : names) {
    if (std::find(into.begin(), into.end(), name) == into.end()) into.push_back(name);
  }
}

}  // namespace

CompiledTemplate CompiledTemplate::compile(std::string_view text, std::string_view path) {
  if (const auto bad = find_invalid_utf8(text))
    config_error(path, "not valid UTF-8 at byte " + std::to_string(*bad));
  CompiledTemplate compiled;
  compiled.source_ = std::string(text);
  std::size_t pos = 0;
  while (pos < text.size()) {
    const std::size_t open = text.find("{{", pos);
    if (open == std::string_view::npos) {
      compiled.parts_.push_back(Part{std::string(text.substr(pos)), {}, 0});
      break;
    }
    if (open > pos) compiled.parts_.push_back(Part{std::string(text.substr(pos, open - pos)), {}, 0});
    const std::size_t close = text.find("}}", open + 2);
    if (close == std::string_view::npos)
      config_error(path, "\"{{\" at byte " + std::to_string(open) + " is not closed by \"}}\"");
    const std::string_view name = trim_spaces(text.substr(open + 2, close - open - 2));
    auto keys = split_name(name);
    if (!keys)
      config_error(path, "placeholder \"" + std::string(text.substr(open, close + 2 - open)) +
                             "\" at byte " + std::to_string(open) +
                             ": a name is letters, digits and _ in dot-separated parts, "
                             "such as customer.name");
    const auto known =
        std::find(compiled.placeholders_.begin(), compiled.placeholders_.end(), name);
    const auto index = static_cast<std::size_t>(known - compiled.placeholders_.begin());
    if (known == compiled.placeholders_.end()) compiled.placeholders_.emplace_back(name);
    compiled.parts_.push_back(Part{{}, std::move(*keys), index});
    pos = close + 2;
  }
  return compiled;
}

Rendered render(const CompiledTemplate &compiled, const Json &vars, Escaping escaping) {
  Rendered result;
  std::string text;
  std::vector<bool> reported(compiled.placeholders_.size(), false);
  for (const CompiledTemplate::Part &part : compiled.parts_) {
    if (part.keys.empty()) {
      text += part.literal;
      continue;
    }
    const Json *value = lookup(vars, part.keys);
    const auto shown = value != nullptr ? value_text(*value, escaping) : std::nullopt;
    if (shown) {
      text += *shown;
    } else if (!reported[part.name]) {
      reported[part.name] = true;
      result.missing.push_back(compiled.placeholders_[part.name]);
    }
  }
  if (result.missing.empty()) result.text = std::move(text);
  return result;
}

TemplateSet TemplateSet::from_json(const Json &templates, std::string_view path) {
  return from_json(templates, path, TemplateSet{});
}

TemplateSet TemplateSet::from_json(const Json &overrides, std::string_view path,
                                   const TemplateSet &base) {
  if (!overrides.is_object()) config_error(path, "expected an object of templates by id");
  TemplateSet set = base;
  for (const auto &[id, spec] : overrides.items()) {
    const std::string id_path = join_path(path, id);
    if (!is_template_id(id))
      config_error(id_path, "a template id is lower-case letters, digits and _");
    if (!spec.is_object()) config_error(id_path, "expected an object with \"audience\" and \"body\"");
    for (const auto &[key, value] : spec.items()) {
      if (key != "audience" && key != "subject" && key != "body" && key != "description")
        config_error(join_path(id_path, key),
                     "unknown field (expected audience, subject, body, description)");
    }
    const bool is_new = !set.templates_.contains(id);
    MessageTemplate &message = set.templates_[id];

    if (const auto audience = spec.find("audience"); audience != spec.end()) {
      if (*audience == "customer")
        message.audience = Audience::customer;
      else if (*audience == "team")
        message.audience = Audience::team;
      else
        config_error(join_path(id_path, "audience"), "expected \"customer\" or \"team\"");
    } else if (is_new) {
      config_error(join_path(id_path, "audience"), "required: \"customer\" or \"team\"");
    }
    if (const auto description = spec.find("description"); description != spec.end()) {
      if (!description->is_string()) config_error(join_path(id_path, "description"), "expected a string");
      message.description = description->get<std::string>();
    }
    if (const auto subject = spec.find("subject"); subject != spec.end())
      read_languages(*subject, join_path(id_path, "subject"), message.subject);
    if (const auto body = spec.find("body"); body != spec.end())
      read_languages(*body, join_path(id_path, "body"), message.body);
    else if (is_new)
      config_error(join_path(id_path, "body"), "required: texts by language");
    check_languages(message, id_path);
  }
  return set;
}

const TemplateSet &TemplateSet::defaults() {
  static const TemplateSet set = [] {
    const std::string_view text = embedded_document("templates.json");
    if (text.empty()) fail(OC_ERR_INTERNAL, "templates.json is not embedded in the library");
    try {
      return from_json(parse_json(text, "templates.json"), "templates.json");
    } catch (const Failure &failure) {
      fail(OC_ERR_INTERNAL, std::string("default templates: ") + failure.what());
    }
  }();
  return set;
}

const MessageTemplate *TemplateSet::find(std::string_view id) const {
  const auto it = templates_.find(id);
  return it == templates_.end() ? nullptr : &it->second;
}

const CompiledTemplate *TemplateSet::find(std::string_view id, std::string_view language) const {
  const MessageTemplate *message = find(id);
  if (message == nullptr) return nullptr;
  return &message->body.at(resolve_language(*message, language));
}

const CompiledTemplate *TemplateSet::find_subject(std::string_view id,
                                                  std::string_view language) const {
  const MessageTemplate *message = find(id);
  if (message == nullptr || message->subject.empty()) return nullptr;
  return &message->subject.at(resolve_language(*message, language));
}

std::vector<std::string> TemplateSet::ids() const {
  std::vector<std::string> ids;
  ids.reserve(templates_.size());
  for (const auto &[id, message] : templates_) ids.push_back(id);
  return ids;
}

std::string TemplateSet::language_for(std::string_view id, std::string_view language) const {
  const MessageTemplate *message = find(id);
  return message == nullptr ? std::string() : std::string(resolve_language(*message, language));
}

bool TemplateSet::written_in(std::string_view id, std::string_view language) const {
  const MessageTemplate *message = find(id);
  if (message == nullptr) return false;
  const std::string folded = fold_language(language);
  return resolve_language(*message, language) != "en" || folded.substr(0, folded.find('-')) == "en";
}

RenderedMessage TemplateSet::render(std::string_view id, std::string_view language,
                                    const Json &vars, Escaping body_escaping) const {
  const MessageTemplate *message = find(id);
  if (message == nullptr) fail(OC_ERR_NOT_FOUND, "template \"" + std::string(id) + "\": unknown");
  RenderedMessage out;
  out.language = resolve_language(*message, language);
  std::optional<Rendered> subject;
  if (!message->subject.empty()) {
    subject = domain::render(message->subject.at(out.language), vars, Escaping::plain_line);
    add_missing(out.missing, subject->missing);
  }
  Rendered body = domain::render(message->body.at(out.language), vars, body_escaping);
  add_missing(out.missing, body.missing);
  if (out.missing.empty()) {
    if (subject) out.subject = std::move(subject->text);
    out.body = std::move(body.text);
  }
  return out;
}

}  // namespace ordercare::domain
