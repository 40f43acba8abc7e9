#include "domain/classifier.h"

#include "common/utf8.h"

namespace ordercare::domain {

namespace {

bool is_ascii_word_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

std::optional<PhraseMatch> first_match(std::string_view folded, const std::vector<Phrase> &phrases,
                                       const std::string &rule) {
  for (const auto &phrase : phrases)
    if (contains_phrase(folded, phrase))
      return PhraseMatch{rule, phrase.text + (phrase.prefix ? "*" : "")};
  return std::nullopt;
}

}  // namespace

bool contains_phrase(std::string_view text, const Phrase &phrase) {
  std::size_t from = 0;
  while (true) {
    const std::size_t at = text.find(phrase.text, from);
    if (at == std::string_view::npos) return false;
    const std::size_t end = at + phrase.text.size();
    const bool starts_word = at == 0 || !is_ascii_word_char(text[at - 1]) ||
                             !is_ascii_word_char(phrase.text.front());
    const bool ends_word = phrase.prefix || end == text.size() || !is_ascii_word_char(text[end]) ||
                           !is_ascii_word_char(phrase.text.back());
    if (starts_word && ends_word) return true;
    from = at + 1;
  }
}

Classification classify(const ClassifierPolicy &policy, std::string_view text) {
  const std::string folded = fold_case(text);
  Classification out;
  out.type = policy.fallback;
  for (const auto &rule : policy.rules) {
    if (auto match = first_match(folded, rule.phrases, rule.id)) {
      out.type = rule.type;
      out.type_match = std::move(match);
      break;
    }
  }
  for (const auto &[signal, phrases] : policy.signals)
    if (auto match = first_match(folded, phrases, signal)) out.signals[signal] = std::move(*match);
  return out;
}

std::string Classification::explain() const {
  std::string out = type_match ? "rule " + type_match->rule + " matched '" + type_match->phrase + "'"
                               : "no rule matched: " + std::string(to_string(type));
  for (const auto &[signal, match] : signals) out += "; signal " + signal + " ('" + match.phrase + "')";
  return out;
}

}  // namespace ordercare::domain
