#include "domain/feedback.h"

#include <algorithm>

#include "common/failure.h"
#include "domain/case_state_machine.h"
#include "domain/event_handlers.h"

namespace ordercare::domain {

namespace {

// Seed 003: share what went wrong with the people who can act on it.
void follow_up(CaseWork &work, CaseRecord &rated, const std::string &answer) {
  if (rated.follow_up_case)
    for (const CaseRecord *active : work.active_cases())
      if (active->id == *rated.follow_up_case) {
        work.log(work.edit(*active), "feedback", "system", {{"case", rated.id}, {"answer", answer}});
        return;
      }
  const FeedbackPolicy &policy = work.policy().feedback;
  CaseRecord &task = work.open_task(IssueType::complaint, "follow-up of case " + rated.id + ": " + answer);
  task.follow_up_of = rated.id;
  task.skus = rated.skus;
  if (!task.store_id) task.store_id = rated.store_id;
  const std::string team = policy.team.empty() ? rated.team : policy.team;
  if (task.team != team) {
    task.team = team;
    // A team with a roster gives its new cases to someone (open_new only
    // asked for the team it first chose).
    auto &assign = work.decision().assign;
    if (work.policy().routing.rosters.count(team) && std::find(assign.begin(), assign.end(), task.id) == assign.end())
      assign.push_back(task.id);
  }
  task.initial_action = "Follow up the customer's feedback on case " + rated.id;
  rated.follow_up_case = task.id;
  work.log(rated, "follow_up", "system", {{"case", task.id}, {"answer", answer}});
  Json vars = order_variables(work.order());
  vars["feedback.case_id"] = rated.id;
  vars["feedback.answer"] = answer;
  work.notify_team(task, team, "team_feedback_follow_up",
                   {"Contact the customer about their experience and what would put it right",
                    "Find what went wrong on case " + rated.id + " and share it with the team"},
                   std::move(vars), "feedback");
}

}  // namespace

void send_survey(CaseWork &work, CaseRecord &c) {
  // Seed 000's feedback survey after an issue is resolved, when the shop
  // has one: without a link there is nothing to ask the customer to open.
  const SurveyPolicy &survey = work.policy().survey;
  if (!survey.enabled || survey.url.empty()) {
    work.log(c, "note", "system",
             {{"survey", survey.url.empty() ? "not sent: policy.survey.url is not set"
                                            : "not sent: policy.survey.enabled is false"}});
    return;
  }
  // Asked once, a customer who answered is not asked again when the case
  // closes a second time; a new survey (another id) may go.
  if (contains(c.surveys, survey.id)) {
    work.log(c, "note", "system", {{"survey", "not sent: survey " + survey.id + " went to this case before"}});
    return;
  }
  Json vars = order_variables(work.order());
  vars["survey.url"] = survey.url;
  if (!survey.reward.empty()) vars["survey.reward"] = survey.reward;
  NoticeOptions once;
  once.once_per = survey.id;
  const std::string id = work.notify_customer(c, survey.reward.empty() ? "feedback_survey" : "feedback_survey_with_reward",
                                              std::move(vars), "survey", once);
  if (id.empty()) {
    work.log(c, "note", "system", {{"survey", "not sent: the case has no customer"}});
    return;
  }
  c.surveys.push_back(survey.id);
}

void record_feedback(CaseWork &work, CaseRecord &c, const FeedbackAnswer &answer) {
  if (answer.csat && is_active(c.status))
    fail(OC_ERR_TRANSITION, answer.via + ": case " + c.id + " is " + std::string(to_string(c.status)) +
                                "; satisfaction is rated once it is resolved");
  const FeedbackPolicy &policy = work.policy().feedback;
  Json pii = Json::object();
  if (answer.comment) pii["text"] = *answer.comment;
  std::string low;
  if (answer.csat) {
    c.csat = *answer.csat;
    if (answer.comment) c.pii["csat_comment"] = *answer.comment;
    work.log(c, "csat", "customer", {{"rating", *answer.csat}, {"via", answer.via}}, pii);
    if (*answer.csat <= policy.low_csat) low = "CSAT " + std::to_string(*answer.csat) + "/5";
  }
  if (answer.nps) {
    c.nps = *answer.nps;
    work.log(c, "nps", "customer", {{"score", *answer.nps}, {"via", answer.via}}, answer.csat ? Json::object() : pii);
    if (*answer.nps <= policy.low_nps)
      low += (low.empty() ? "" : ", ") + std::string("NPS ") + std::to_string(*answer.nps) + "/10";
  }
  if (!low.empty()) follow_up(work, c, low);
}

void on_feedback_received(CaseWork &work, const EventView &event) {
  const std::string case_id = text_of(event.data, "case_id");
  CaseRecord *rated = nullptr;
  for (const CaseRecord &c : work.state().cases)
    if (c.id == case_id) rated = &work.edit(c);
  // The runtime loads the case's subject, or refuses an unknown case first.
  if (!rated) fail(OC_ERR_NOT_FOUND, "data.case_id: no case with id '" + case_id + "'");
  FeedbackAnswer answer;
  if (auto csat = event.data.find("csat"); csat != event.data.end() && csat->is_number_integer())
    answer.csat = csat->get<std::int64_t>();
  if (auto nps = event.data.find("nps"); nps != event.data.end() && nps->is_number_integer())
    answer.nps = nps->get<std::int64_t>();
  answer.comment = optional_text_of(event.data, "comment");
  answer.via = name_of(EventType::feedback_received);
  record_feedback(work, *rated, answer);
}

}  // namespace ordercare::domain
