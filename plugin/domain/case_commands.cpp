#include "domain/case_commands.h"

#include <algorithm>

#include "common/failure.h"
#include "domain/agent_messages.h"
#include "domain/case_state_machine.h"
#include "domain/case_work.h"
#include "domain/feedback.h"
#include "domain/order_actions.h"

namespace ordercare::domain {

namespace {

CaseRecord &the_case(CaseWork &work) { return work.edit(work.state().cases.front()); }

void require_active(const CaseRecord &c, const std::string &command) {
  if (!is_active(c.status))
    fail(OC_ERR_TRANSITION, command + ": case " + c.id + " is " + std::string(to_string(c.status)) +
                                "; reopen it first");
}

void require_text(const std::string &value, const char *field) {
  if (value.empty()) fail(OC_ERR_SCHEMA, std::string("args: ") + field + ": must not be empty");
}

// The first thing an agent does to a new or reopened case opens it.
void open_if_fresh(CaseWork &work, CaseRecord &c, const std::string &actor, const std::string &command) {
  if (c.status == CaseStatus::new_case || c.status == CaseStatus::reopened)
    work.change_status(c, CaseStatus::open, actor, command);
}

// An agent answers on the channel the customer used, when it is one a
// message can go out on (a case the engine opened has "system" or "web").
std::string reply_channel(const CaseRecord &c) {
  const auto &channels = contact_channels();
  return std::find(channels.begin(), channels.end(), c.channel) != channels.end() ? c.channel : "email";
}

void after_reply(CaseWork &work, CaseRecord &c, const std::string &agent, bool await_customer,
                 const std::string &command) {
  open_if_fresh(work, c, agent, command);
  if (await_customer && c.status != CaseStatus::waiting_customer)
    work.change_status(c, CaseStatus::waiting_customer, agent, command);
}

}  // namespace

Decision assign_case(const CommandState &s, const AssignArgs &a, TimeMs now, const Policy &p) {
  if (!a.team && !a.agent) fail(OC_ERR_SCHEMA, "args: give team, agent or both");
  CaseWork work(s.snapshot, nullptr, now, p, s.command_id);
  CaseRecord &c = the_case(work);
  require_active(c, "case.assign");
  const std::string actor = a.agent.value_or("dispatcher");
  if (a.team) c.team = *a.team;
  if (a.agent) c.assignee = *a.agent;
  work.log(c, "assign", actor, {{"team", c.team}, {"agent", c.assignee ? Json(*c.assignee) : Json(nullptr)}});
  open_if_fresh(work, c, actor, "case.assign");
  return work.finish();
}

Decision reply_case(const CommandState &s, const ReplyArgs &a, TimeMs now, const Policy &p) {
  require_text(a.agent, "agent");
  require_text(a.text, "text");
  CaseWork work(s.snapshot, nullptr, now, p, s.command_id);
  CaseRecord &c = the_case(work);
  require_active(c, "case.reply");
  if (!c.assignee) c.assignee = a.agent;
  const std::string channel = a.channel.value_or(reply_channel(c));
  if (a.deliver) {
    queue_agent_message(work, c, {a.agent, std::string(kReplyTemplate), {{"reply.text", a.text}}, channel,
                                  a.language, "case.reply"});
  } else {
    const bool first = !c.first_response_at;
    work.replied(c);
    work.log(c, "reply", a.agent, {{"channel", channel}, {"delivery", "by_host"}, {"first_response", first}},
             {{"text", a.text}});
  }
  after_reply(work, c, a.agent, a.await_customer, "case.reply");
  return work.finish();
}

Decision send_template_case(const CommandState &s, const SendTemplateArgs &a, TimeMs now, const Policy &p) {
  require_text(a.agent, "agent");
  CaseWork work(s.snapshot, nullptr, now, p, s.command_id);
  CaseRecord &c = the_case(work);
  require_active(c, "case.send_template");
  if (!c.assignee) c.assignee = a.agent;
  queue_agent_message(work, c, {a.agent, a.template_id, a.variables, a.channel.value_or(reply_channel(c)),
                                a.language, "case.send_template"});
  after_reply(work, c, a.agent, a.await_customer, "case.send_template");
  return work.finish();
}

Decision note_case(const CommandState &s, const NoteArgs &a, TimeMs now, const Policy &p) {
  require_text(a.agent, "agent");
  require_text(a.text, "text");
  CaseWork work(s.snapshot, nullptr, now, p, s.command_id);
  CaseRecord &c = the_case(work);
  // Notes are allowed on any case, closed ones included: the log is the record.
  work.log(c, "note", a.agent, {}, {{"text", a.text}});
  return work.finish();
}

Decision escalate_case(const CommandState &s, const EscalateArgs &a, TimeMs now, const Policy &p) {
  require_text(a.reason, "reason");
  CaseWork work(s.snapshot, nullptr, now, p, s.command_id);
  CaseRecord &c = the_case(work);
  require_active(c, "case.escalate");
  work.escalate(c, a.reason, a.to.value_or(p.red_flags.default_contact), a.agent);
  return work.finish();
}

Decision resolve_case(const CommandState &s, const ResolveArgs &a, TimeMs now, const Policy &p) {
  require_text(a.agent, "agent");
  require_text(a.resolution, "resolution");
  require_text(a.action_taken, "action_taken");
  CaseWork work(s.snapshot, nullptr, now, p, s.command_id);
  CaseRecord &c = the_case(work);
  work.change_status(c, CaseStatus::resolved, a.agent, "case.resolve");
  c.resolved_at = now;
  c.resolved_by = a.agent;
  c.resolution = a.resolution;
  c.action_taken = a.action_taken;
  c.follow_ups.push_back(a.action_taken);
  work.log(c, "resolve", a.agent, {{"resolution", a.resolution}, {"action_taken", a.action_taken}});
  for (Escalation e : s.escalations)
    if (!e.resolved) {
      e.resolved = true;
      e.resolved_by = a.agent;
      e.resolved_at = now;
      e.action_taken = a.action_taken;
      work.decision().escalations.push_back(std::move(e));
    }
  // Seed 003 "Follow-up and closure": confirm with the customer.
  Json vars = order_variables(work.order());
  vars["case.id"] = c.id;
  work.notify_customer(c, "resolution_follow_up", vars, "resolved-" + std::to_string(c.reopen_count));
  return work.finish();
}

Decision close_case(const CommandState &s, const CloseArgs &a, TimeMs now, const Policy &p) {
  require_text(a.agent, "agent");
  CaseWork work(s.snapshot, nullptr, now, p, s.command_id);
  CaseRecord &c = the_case(work);
  if (c.status == CaseStatus::resolved && a.follow_up.empty())
    fail(OC_ERR_TRANSITION, "case.close: case " + c.id +
                                " needs the follow-up with the customer (follow_up: how resolution and "
                                "satisfaction were confirmed) before it can close");
  work.change_status(c, CaseStatus::closed, a.agent, "case.close");
  c.closed_at = now;
  c.follow_up = a.follow_up;
  work.log(c, "close", a.agent, {{"follow_up", a.follow_up}});
  send_survey(work, c);
  return work.finish();
}

Decision reopen_case(const CommandState &s, const ReopenArgs &a, TimeMs now, const Policy &p) {
  require_text(a.reason, "reason");
  CaseWork work(s.snapshot, nullptr, now, p, s.command_id);
  CaseRecord &c = the_case(work);
  work.change_status(c, CaseStatus::reopened, "agent", "case.reopen");
  c.reopen_count += 1;
  c.resolved_at.reset();
  c.closed_at.reset();
  work.log(c, "reopen", "agent", {{"reason", a.reason}});
  return work.finish();
}

Decision wait_case(const CommandState &s, const WaitArgs &a, TimeMs now, const Policy &p) {
  require_text(a.agent, "agent");
  CaseWork work(s.snapshot, nullptr, now, p, s.command_id);
  CaseRecord &c = the_case(work);
  CaseStatus to;
  if (a.on == "customer")
    to = CaseStatus::waiting_customer;
  else if (a.on == "warehouse")
    to = CaseStatus::waiting_warehouse;
  else
    fail(OC_ERR_SCHEMA, "args: on: expected \"customer\" or \"warehouse\"");
  work.change_status(c, to, a.agent, "case.wait");
  return work.finish();
}

Decision resume_case(const CommandState &s, const ResumeArgs &a, TimeMs now, const Policy &p) {
  require_text(a.agent, "agent");
  CaseWork work(s.snapshot, nullptr, now, p, s.command_id);
  CaseRecord &c = the_case(work);
  // The warehouse's answer may come while the case is open (it asked in
  // passing) or while it waited on the warehouse: either way it is in.
  const bool answers_warehouse = c.warehouse_asked_at && c.status != CaseStatus::waiting_customer;
  if (!answers_warehouse || c.status == CaseStatus::waiting_warehouse)
    work.change_status(c, CaseStatus::open, a.agent, "case.resume");
  if (answers_warehouse) {
    work.log(c, "warehouse_answer", a.agent, {{"asked_at", format_rfc3339(*c.warehouse_asked_at)}});
    c.warehouse_asked_at.reset();
  }
  if (a.confirmed) release_held_actions(work, c, *a.confirmed, a.agent);
  return work.finish();
}

Decision rate_case(const CommandState &s, const CsatArgs &a, TimeMs now, const Policy &p) {
  if (a.rating < 1 || a.rating > 5) fail(OC_ERR_SCHEMA, "args: rating: expected an integer from 1 to 5");
  CaseWork work(s.snapshot, nullptr, now, p, s.command_id);
  record_feedback(work, the_case(work), {a.rating, std::nullopt, a.comment, "case.csat"});
  return work.finish();
}

Decision score_case(const CommandState &s, const NpsArgs &a, TimeMs now, const Policy &p) {
  if (a.score < 0 || a.score > 10) fail(OC_ERR_SCHEMA, "args: score: expected an integer from 0 to 10");
  CaseWork work(s.snapshot, nullptr, now, p, s.command_id);
  record_feedback(work, the_case(work), {std::nullopt, a.score, std::nullopt, "case.nps"});
  return work.finish();
}

Decision give_case(const CommandState &s, const std::string &agent, const std::string &why, TimeMs now,
                   const Policy &p) {
  CaseWork work(s.snapshot, nullptr, now, p, s.command_id);
  CaseRecord &c = the_case(work);
  const std::optional<std::string> before = c.assignee;
  c.assignee = agent;
  work.log(c, "assign", "system",
           {{"team", c.team}, {"agent", agent}, {"was", before ? Json(*before) : Json(nullptr)}, {"why", why}});
  return work.finish();
}

}  // namespace ordercare::domain
