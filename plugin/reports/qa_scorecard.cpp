#include "reports/qa_scorecard.h"

#include <numeric>

#include "common/failure.h"

namespace ordercare::reports {

namespace {

std::string criteria_keys() {
  std::string out;
  for (const auto &c : qa_criteria()) out += (out.empty() ? "" : ", ") + std::string(c.key);
  return out;
}

std::optional<std::size_t> criterion_index(std::string_view key) {
  const auto &all = qa_criteria();
  for (std::size_t i = 0; i < all.size(); ++i)
    if (all[i].key == key) return i;
  return std::nullopt;
}

bool valid_score(const Json &value) {
  if (!value.is_number_integer()) return false;
  const auto score = value.get<std::int64_t>();
  return score >= kQaMinScore && score <= kQaMaxScore;
}

}  // namespace

const std::array<QaCriterion, kQaCriteria> &qa_criteria() {
  static const std::array<QaCriterion, kQaCriteria> all{{
      {"greeting", "Greeting", "Polite, professional, and welcoming tone."},
      {"active_listening", "Active Listening", "Asked clarifying questions and avoided interruptions."},
      {"empathy", "Empathy", "Acknowledged frustration over delays or errors."},
      {"resolution", "Resolution Provided",
       "Offered clear, actionable solutions (e.g., replacement or refund)."},
      {"timeliness", "Timeliness", "Responded and resolved the issue promptly."},
      {"professionalism", "Professionalism", "Avoided defensive language and remained composed."},
  }};
  return all;
}

std::int64_t QaScorecard::total() const { return std::accumulate(scores.begin(), scores.end(), std::int64_t{0}); }

double QaScorecard::average() const { return static_cast<double>(total()) / static_cast<double>(kQaCriteria); }

std::array<std::int64_t, kQaCriteria> read_qa_scores(const Json &scores, const std::string &path) {
  if (!scores.is_object())
    fail(OC_ERR_SCHEMA, "args: " + path + ": expected an object scoring " + criteria_keys() + " from 1 to 5");
  for (const auto &[key, value] : scores.items())
    if (!criterion_index(key))
      fail(OC_ERR_SCHEMA, "args: " + path + "." + key + ": unknown criterion (expected " + criteria_keys() + ")");
  std::array<std::int64_t, kQaCriteria> out{};
  const auto &all = qa_criteria();
  for (std::size_t i = 0; i < all.size(); ++i) {
    const std::string field = path + "." + std::string(all[i].key);
    const auto it = scores.find(std::string(all[i].key));
    if (it == scores.end()) fail(OC_ERR_SCHEMA, "args: " + field + ": missing (every criterion is scored)");
    if (!valid_score(*it)) fail(OC_ERR_SCHEMA, "args: " + field + ": expected an integer from 1 to 5");
    out[i] = it->get<std::int64_t>();
  }
  return out;
}

CaseLogEntry qa_log_entry(const CaseRecord &c, const QaScorecard &card) {
  Json scores = Json::object();
  const auto &all = qa_criteria();
  for (std::size_t i = 0; i < all.size(); ++i) scores[std::string(all[i].key)] = card.scores[i];
  CaseLogEntry entry;
  entry.case_id = c.id;
  entry.at = card.at;
  entry.kind = "qa";
  entry.actor = card.reviewer;
  entry.details = {{"agent", card.agent}, {"scores", std::move(scores)}, {"total", card.total()}};
  if (card.comment) entry.pii = {{"comment", *card.comment}};
  entry.customer_id = c.customer_id;
  entry.order_id = c.order_id;
  return entry;
}

std::optional<QaScorecard> qa_from_log(const CaseLogEntry &entry) {
  if (entry.kind != "qa") return std::nullopt;
  const auto agent = entry.details.find("agent");
  const auto scores = entry.details.find("scores");
  if (agent == entry.details.end() || !agent->is_string() || scores == entry.details.end() || !scores->is_object())
    return std::nullopt;
  QaScorecard card;
  card.case_id = entry.case_id;
  card.agent = agent->get<std::string>();
  card.reviewer = entry.actor;
  card.at = entry.at;
  const auto &all = qa_criteria();
  for (std::size_t i = 0; i < all.size(); ++i) {
    const auto it = scores->find(std::string(all[i].key));
    if (it == scores->end() || !valid_score(*it)) return std::nullopt;
    card.scores[i] = it->get<std::int64_t>();
  }
  if (const auto it = entry.pii.find("comment"); it != entry.pii.end() && it->is_string())
    card.comment = it->get<std::string>();
  return card;
}

Json to_json(const QaScorecard &card) {
  Json scores = Json::object();
  Json criteria = Json::array();
  const auto &all = qa_criteria();
  for (std::size_t i = 0; i < all.size(); ++i) {
    scores[std::string(all[i].key)] = card.scores[i];
    criteria.push_back({{"key", all[i].key},
                        {"category", all[i].category},
                        {"criteria", all[i].criteria},
                        {"score", card.scores[i]}});
  }
  return {{"case_id", card.case_id},
          {"agent", card.agent},
          {"reviewer", card.reviewer},
          {"scored_at", format_rfc3339(card.at)},
          {"scores", std::move(scores)},
          {"criteria", std::move(criteria)},
          {"total", card.total()},
          {"max_total", QaScorecard::max_total()},
          {"average", card.average()},
          {"comment", card.comment ? Json(*card.comment) : Json(nullptr)}};
}

}  // namespace ordercare::reports
