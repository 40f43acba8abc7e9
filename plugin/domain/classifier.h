// Classifies a customer's free text into an issue type and the signals it
// carries (threatening to cancel, product safety, legal threat...), using
// the phrase rules of the policy. It returns what matched, so an agent can
// see why a message became what it became.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "domain/policy.h"

namespace ordercare::domain {

struct PhraseMatch {
  std::string rule;    // classifier rule id or signal name
  std::string phrase;  // the phrase as configured (lower case)
};

struct Classification {
  IssueType type = IssueType::complaint;
  std::optional<PhraseMatch> type_match;  // nullopt: no rule matched, fallback type
  std::map<std::string, PhraseMatch> signals;

  bool has(const std::string &signal) const { return signals.count(signal) > 0; }
  // "rule wismo matched 'where is my order'" or "no rule matched: complaint".
  std::string explain() const;
};

Classification classify(const ClassifierPolicy &policy, std::string_view text);

// Whether `phrase` occurs in already case-folded text as whole words: an
// ASCII letter or digit right before or after the match means it is part of
// another word ("sue" in "issue"). Other neighbours are fine, so phrases
// match in scripts written without spaces.
bool contains_phrase(std::string_view folded_text, const Phrase &phrase);

}  // namespace ordercare::domain
