#include "domain/classifier.h"

#include <bitset>

#include "common/utf8.h"

namespace ordercare::domain {

namespace {

bool is_ascii_word_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

// The pairs of adjacent bytes a text holds. A message is looked for
// hundreds of phrases (every rule's and signal's) and holds few of them: a
// phrase whose first two bytes are not a pair of the text's is not in it,
// told by one bit instead of a search of the text.
class BytePairs {
 public:
  explicit BytePairs(std::string_view text) {
    for (std::size_t i = 1; i < text.size(); ++i) seen_.set(index(text[i - 1], text[i]));
  }
  bool may_hold(std::string_view phrase) const { return phrase.size() < 2 || seen_.test(index(phrase[0], phrase[1])); }

 private:
  static std::size_t index(char a, char b) {
    return static_cast<std::size_t>(static_cast<unsigned char>(a)) << 8 | static_cast<unsigned char>(b);
  }
  std::bitset<65536> seen_;
};

std::optional<PhraseMatch> first_match(std::string_view folded, const BytePairs &pairs,
                                       const std::vector<Phrase> &phrases, const std::string &rule) {
  for (const auto &phrase : phrases)
    if (pairs.may_hold(phrase.text) && contains_phrase(folded, phrase))
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
  const BytePairs pairs(folded);
  Classification out;
  out.type = policy.fallback;
  for (const auto &rule : policy.rules) {
    if (auto match = first_match(folded, pairs, rule.phrases, rule.id)) {
      out.type = rule.type;
      out.type_match = std::move(match);
      break;
    }
  }
  for (const auto &[signal, phrases] : policy.signals)
    if (auto match = first_match(folded, pairs, phrases, signal)) out.signals[signal] = std::move(*match);
  return out;
}

std::string Classification::explain() const {
  std::string out = type_match ? "rule " + type_match->rule + " matched '" + type_match->phrase + "'"
                               : "no rule matched: " + std::string(to_string(type));
  for (const auto &[signal, match] : signals) out += "; signal " + signal + " ('" + match.phrase + "')";
  return out;
}

}  // namespace ordercare::domain
