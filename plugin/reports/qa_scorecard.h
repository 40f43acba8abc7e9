// Seed 000's quality-assurance scorecard: a reviewer scores one agent's
// handling of one case on six criteria, 1 to 5 each. The scorecard is kept
// in the case's log (kind "qa"), so case.get shows it, and the metrics read
// it back to average each agent's scores.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "common/json.h"
#include "common/time_format.h"
#include "domain/entities.h"

namespace ordercare::reports {

// Reports read the domain's records; they decide nothing.
using namespace ordercare::domain;

// The seed's rows: key on the wire, category, and what the reviewer checks.
struct QaCriterion {
  std::string_view key;
  std::string_view category;
  std::string_view criteria;
};

inline constexpr std::size_t kQaCriteria = 6;
inline constexpr std::int64_t kQaMinScore = 1;
inline constexpr std::int64_t kQaMaxScore = 5;

const std::array<QaCriterion, kQaCriteria> &qa_criteria();

struct QaScorecard {
  std::string case_id;
  std::string agent;     // whose handling is scored
  std::string reviewer;  // who scored it
  TimeMs at = 0;
  std::array<std::int64_t, kQaCriteria> scores{};  // in qa_criteria() order
  std::optional<std::string> comment;

  std::int64_t total() const;                    // 6..30
  double average() const;                        // 1..5
  static constexpr std::int64_t max_total() { return kQaMaxScore * static_cast<std::int64_t>(kQaCriteria); }
};

// Reads {"greeting": 5, "active_listening": 4, ...}: exactly the six
// criteria, each an integer 1-5. Throws Failure(OC_ERR_SCHEMA) naming the
// criterion: "args: scores.empathy: expected an integer from 1 to 5",
// "args: scores.timeliness: missing (every criterion is scored)",
// "args: scores.speed: unknown criterion (expected greeting, ...)".
std::array<std::int64_t, kQaCriteria> read_qa_scores(const Json &scores, const std::string &path);

// The log entry that records the scorecard on its case (kind "qa", actor the
// reviewer). The comment is sealed with the case's other customer text: a
// reviewer's words about a conversation may quote the customer.
CaseLogEntry qa_log_entry(const CaseRecord &c, const QaScorecard &card);

// Back from a "qa" log entry; nullopt if the entry is not a well-formed one.
std::optional<QaScorecard> qa_from_log(const CaseLogEntry &entry);

// {case_id, agent, reviewer, scored_at, scores: {...}, criteria: [{key,
// category, criteria, score}], total, max_total, average, comment}.
Json to_json(const QaScorecard &card);

}  // namespace ordercare::reports
