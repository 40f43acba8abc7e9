// Feedback that returns: seed 000's survey after an issue is resolved, the
// customer's CSAT rating or NPS score coming back (a feedback.received
// event from the host's survey tool, or case.csat / case.nps), and seed
// 003's "share feedback internally": a low answer opens a follow-up case
// for a person.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "domain/case_work.h"

namespace ordercare::domain {

// Queues the survey of policy.survey for `c`, once per case and survey
// (key notify:<case>:survey:<survey id>, and the id kept in c.surveys),
// or logs why none goes out: no survey set, or this one was sent before.
void send_survey(CaseWork &work, CaseRecord &c);

// One answer, checked by the caller (ranges: CSAT 1-5, NPS 0-10).
struct FeedbackAnswer {
  std::optional<std::int64_t> csat;
  std::optional<std::int64_t> nps;
  std::optional<std::string> comment;  // sealed: the customer's words
  std::string via;                     // "case.csat", "case.nps", "feedback.received"
};

// Records the answer on `c` (the latest rating and score count for the
// metrics) and logs it; a CSAT only for a case that is resolved or
// closed (OC_ERR_TRANSITION otherwise). A CSAT at or under
// policy.feedback.low_csat, or an NPS at or under low_nps, opens a
// follow-up case (a complaint the system opened, for the rated case's
// team or policy.feedback.team, which is told with
// team_feedback_follow_up); while that follow-up is active, another low
// answer is noted on it instead of opening a second one.
void record_feedback(CaseWork &work, CaseRecord &c, const FeedbackAnswer &answer);

}  // namespace ordercare::domain
