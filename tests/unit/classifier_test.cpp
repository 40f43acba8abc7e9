// The message classifier with the default phrase rules: issue types and
// signals in several languages, case-insensitive, whole words only, the
// first rule that matches winning, and an explanation naming the rule.
#include "domain/classifier.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <random>
#include <string>
#include <vector>

#include "common/utf8.h"

namespace ordercare::domain {
namespace {

const ClassifierPolicy &defaults() { return Policy::defaults().classifier; }

struct TypeCase {
  std::string text;
  std::string type;
};

void PrintTo(const TypeCase &c, std::ostream *os) { *os << c.text; }

class ClassifiesType : public ::testing::TestWithParam<TypeCase> {};

TEST_P(ClassifiesType, WithTheDefaultRules) {
  const Classification c = classify(defaults(), GetParam().text);
  EXPECT_EQ(to_string(c.type), GetParam().type) << GetParam().text << " -> " << c.explain();
}

INSTANTIATE_TEST_SUITE_P(
    Defaults, ClassifiesType,
    ::testing::Values(
        TypeCase{"Where is my order?", "wismo"}, TypeCase{"WHERE IS MY ORDER", "wismo"},
        TypeCase{"Hi, where's my order #1001", "wismo"}, TypeCase{"Wo ist meine Bestellung?", "wismo"},
        TypeCase{"WO IST MEINE BESTELLUNG", "wismo"}, TypeCase{"Où est ma commande ?", "wismo"},
        TypeCase{"OÙ EST MA COMMANDE", "wismo"}, TypeCase{"¿Dónde está mi pedido?", "wismo"},
        TypeCase{"¿DÓNDE ESTÁ MI PEDIDO?", "wismo"}, TypeCase{"注文はどこですか？", "wismo"},
        TypeCase{"Can I get the tracking number?", "wismo"},
        TypeCase{"My parcel is late", "shipping_delay"}, TypeCase{"It still has not arrived", "shipping_delay"},
        TypeCase{"Meine Lieferung ist verspätet", "shipping_delay"},
        TypeCase{"Ma commande est en retard", "shipping_delay"},
        TypeCase{"Je n'ai toujours pas reçu ma commande", "shipping_delay"},
        TypeCase{"Ich habe meine Bestellung noch nicht erhalten", "shipping_delay"},
        TypeCase{"No he recibido mi pedido", "shipping_delay"},
        TypeCase{"You sent me the wrong item", "wrong_item"}, TypeCase{"I got the wrong size", "wrong_item"},
        TypeCase{"I ordered a red one and received a blue one", "wrong_item"},
        TypeCase{"Falscher Artikel geliefert", "wrong_item"}, TypeCase{"J'ai reçu un mauvais article", "wrong_item"},
        TypeCase{"The vase arrived broken", "damaged_item"}, TypeCase{"Das Glas ist KAPUTT", "damaged_item"},
        TypeCase{"Die Lampe ist beschädigt", "damaged_item"}, TypeCase{"Le colis est arrivé endommagé", "damaged_item"},
        TypeCase{"J'ai reçu un article cassé", "damaged_item"},
        TypeCase{"I ordered a lamp and received a broken one", "damaged_item"},
        TypeCase{"El producto llegó dañado", "damaged_item"}, TypeCase{"商品が破損していました", "damaged_item"},
        TypeCase{"One item is missing from my order", "missing_item"}, TypeCase{"Ein Artikel fehlt", "missing_item"},
        TypeCase{"Il manque un article", "missing_item"},
        TypeCase{"Please cancel my order", "cancellation_request"},
        TypeCase{"Ich möchte stornieren", "cancellation_request"},
        TypeCase{"Can you rush it? I need it by Friday", "order_change"},
        TypeCase{"Please change the address", "order_change"},
        TypeCase{"I'd like to return these shoes", "return"}, TypeCase{"Wie funktioniert die Rücksendung?", "return"},
        TypeCase{"I want my money back", "refund"}, TypeCase{"I returned it, when is my refund?", "refund"},
        TypeCase{"I was charged twice", "payment"}, TypeCase{"The invoice is wrong, I was overcharged", "payment"},
        TypeCase{"Can you send me a receipt?", "missing_receipt"},
        TypeCase{"I need an invoice for my company", "missing_receipt"},
        TypeCase{"Ich habe keine Rechnung bekommen", "missing_receipt"}, TypeCase{"Je voudrais un reçu", "missing_receipt"},
        TypeCase{"It says out of stock now", "out_of_stock"}, TypeCase{"Can I pick up in store?", "store_pickup"},
        TypeCase{"Your service is terrible", "complaint"}, TypeCase{"", "complaint"},
        TypeCase{"There is an issue you need to look at", "complaint"}));

TEST(Classifier, NamesTheRuleAndPhraseThatMatched) {
  const Classification c = classify(defaults(), "Hello, WHERE IS MY ORDER??");
  ASSERT_TRUE(c.type_match);
  EXPECT_EQ(c.type_match->rule, "wismo");
  EXPECT_EQ(c.type_match->phrase, "where is my order");
  EXPECT_EQ(c.explain(), "rule wismo matched 'where is my order'");
  const Classification none = classify(defaults(), "Hello there");
  EXPECT_FALSE(none.type_match);
  EXPECT_EQ(none.explain(), "no rule matched: complaint");
}

TEST(Classifier, FirstMatchingRuleWins) {
  ClassifierPolicy p;
  p.rules = {{"first", IssueType::refund, {{"money", false}}}, {"second", IssueType::payment, {{"charged", false}}}};
  EXPECT_EQ(classify(p, "charged, money please").type, IssueType::refund);
  EXPECT_EQ(classify(p, "charged twice").type, IssueType::payment);
  p.fallback = IssueType::wismo;
  EXPECT_EQ(classify(p, "hello").type, IssueType::wismo);
}

// With first-match-wins, a phrase that contains an earlier rule's phrase can
// never match its own rule: each default phrase must classify as its rule.
TEST(Classifier, NoDefaultPhraseIsShadowedByAnEarlierRule) {
  for (const auto &rule : defaults().rules)
    for (const auto &phrase : rule.phrases) {
      const Classification c = classify(defaults(), phrase.text);
      ASSERT_TRUE(c.type_match) << phrase.text;
      EXPECT_EQ(c.type_match->rule, rule.id) << "'" << phrase.text << "' of rule " << rule.id << " is taken by "
                                             << c.type_match->rule << " ('" << c.type_match->phrase << "')";
    }
}

// classify() skips a phrase whose first two bytes the message does not
// hold: on random messages made of the default phrases, pieces of them and
// other words, it finds what asking every phrase of every rule finds.
Classification by_asking_every_phrase(const ClassifierPolicy &policy, std::string_view text) {
  const std::string folded = fold_case(text);
  const auto first = [&](const std::vector<Phrase> &phrases, const std::string &rule) -> std::optional<PhraseMatch> {
    for (const auto &phrase : phrases)
      if (contains_phrase(folded, phrase)) return PhraseMatch{rule, phrase.text + (phrase.prefix ? "*" : "")};
    return std::nullopt;
  };
  Classification out;
  out.type = policy.fallback;
  for (const auto &rule : policy.rules)
    if (auto match = first(rule.phrases, rule.id)) {
      out.type = rule.type;
      out.type_match = std::move(match);
      break;
    }
  for (const auto &[signal, phrases] : policy.signals)
    if (auto match = first(phrases, signal)) out.signals[signal] = std::move(*match);
  return out;
}

TEST(Classifier, FindsWhatAskingEveryPhraseFinds) {
  std::vector<std::string> pieces = {"the", "order", "a", "é", "日本", "!", "?", "x", "ISSUE", "re", "1"};
  for (const auto &rule : defaults().rules)
    for (const auto &phrase : rule.phrases) pieces.push_back(phrase.text);
  for (const auto &[signal, phrases] : defaults().signals)
    for (const auto &phrase : phrases) pieces.push_back(phrase.text);
  std::mt19937 rng(20261204);
  const auto pick = [&](std::size_t n) { return std::uniform_int_distribution<std::size_t>(0, n - 1)(rng); };
  int matched = 0;
  for (int round = 0; round < 4000; ++round) {
    std::string text;
    for (std::size_t words = 1 + pick(6); words > 0; --words) {
      std::string piece = pieces[pick(pieces.size())];
      if (pick(4) == 0 && piece.size() > 2) piece = piece.substr(pick(piece.size() - 1));  // a piece of a phrase
      if (pick(3) == 0) std::transform(piece.begin(), piece.end(), piece.begin(), [](char c) { return std::toupper(c); });
      text += piece;
      text += pick(5) == 0 ? "" : pick(2) == 0 ? " " : ", ";
    }
    const Classification got = classify(defaults(), text);
    const Classification want = by_asking_every_phrase(defaults(), text);
    ASSERT_EQ(got.explain(), want.explain()) << text;
    ASSERT_EQ(got.type, want.type) << text;
    if (got.type_match || !got.signals.empty()) ++matched;
  }
  EXPECT_GT(matched, 2000) << "most messages hold a phrase";
}

struct SignalCase {
  std::string text;
  std::vector<std::string> signals;  // exactly these
};

void PrintTo(const SignalCase &c, std::ostream *os) { *os << c.text; }

class FindsSignals : public ::testing::TestWithParam<SignalCase> {};

TEST_P(FindsSignals, WithTheDefaultPhrases) {
  const Classification c = classify(defaults(), GetParam().text);
  std::vector<std::string> found;
  for (const auto &[signal, match] : c.signals) found.push_back(signal);
  std::vector<std::string> expected = GetParam().signals;
  std::sort(expected.begin(), expected.end());
  EXPECT_EQ(found, expected) << GetParam().text << " -> " << c.explain();
}

INSTANTIATE_TEST_SUITE_P(
    Defaults, FindsSignals,
    ::testing::Values(
        SignalCase{"Ship it by Friday or I will cancel", {"threatening_cancellation"}},
        SignalCase{"Sonst storniere ich alles", {"threatening_cancellation"}},
        SignalCase{"The packaging was torn", {"minor_packaging"}},
        SignalCase{"What does the tracking say?", {"tracking"}},
        SignalCase{"I will sue you", {"legal_threat"}}, SignalCase{"I'LL SUE", {"legal_threat"}},
        SignalCase{"Mein Anwalt meldet sich", {"legal_threat"}}, SignalCase{"Je contacte mon avocat", {"legal_threat"}},
        SignalCase{"There is an issue you need to fix", {}}, SignalCase{"Please reissue your invoice", {}},
        SignalCase{"The charger caught fire", {"product_safety"}}, SignalCase{"It gave me an electric shock", {"product_safety"}},
        SignalCase{"Das Gerät hat Funken geschlagen", {"product_safety"}},
        SignalCase{"I'm a journalist", {"media_influencer"}},
        SignalCase{"This is fraud, I did not make this purchase", {"fraud_suspected"}},
        SignalCase{"The driver was rude", {"misconduct"}}, SignalCase{"I felt harassed by the courier", {"misconduct"}},
        SignalCase{"This is harassment", {"misconduct"}}, SignalCase{"Thanks, all good", {}},
        SignalCase{"Nothing crude about it", {}}));

TEST(ContainsPhrase, MatchesWholeWordsOnly) {
  const Phrase sue{"sue", false};
  EXPECT_TRUE(contains_phrase("i will sue", sue));
  EXPECT_TRUE(contains_phrase("sue them", sue));
  EXPECT_TRUE(contains_phrase("(sue)", sue));
  EXPECT_FALSE(contains_phrase("issue", sue));
  EXPECT_FALSE(contains_phrase("suede", sue));
  EXPECT_FALSE(contains_phrase("pursue3", sue));
  EXPECT_TRUE(contains_phrase("an issue; sue!", sue)) << "a later whole-word occurrence counts";
  EXPECT_FALSE(contains_phrase("", sue));
}

TEST(ContainsPhrase, PrefixPhrasesMatchWordEndings) {
  const Phrase harass{"harass", true};
  EXPECT_TRUE(contains_phrase("harassment", harass));
  EXPECT_TRUE(contains_phrase("he harassed me", harass));
  EXPECT_FALSE(contains_phrase("unharassed", harass));
}

TEST(ContainsPhrase, NonAsciiNeighboursDoNotBreakWords) {
  // Scripts without spaces and accented letters next to a phrase.
  EXPECT_TRUE(contains_phrase("注文はどこですか", Phrase{"注文はどこ", false}));
  EXPECT_TRUE(contains_phrase("商品が破損していました", Phrase{"破損", false}));
  EXPECT_TRUE(contains_phrase("«cassé»", Phrase{"cassé", false}));
  EXPECT_TRUE(contains_phrase("endommagé.", Phrase{"endommagé", false}));
}

TEST(Classifier, ToleratesMalformedUtf8) {
  const std::string text = std::string("where is my order \xff\xfe broken");
  const Classification c = classify(defaults(), text);
  EXPECT_EQ(c.type, IssueType::damaged_item);
}

}  // namespace
}  // namespace ordercare::domain
