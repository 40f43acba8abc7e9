#include "domain/agent_messages.h"

#include "common/failure.h"
#include "common/time_format.h"
#include "domain/case_state_machine.h"
#include "domain/response_promise.h"
#include "domain/sla_clocks.h"

namespace ordercare::domain {

Json case_variables(const CaseWork &work, const CaseRecord &c, const std::string &language) {
  const Policy &policy = work.policy();
  Json vars = order_variables(work.order());
  vars["case.priority"] = std::string(to_string(c.priority));
  vars["expected_response"] = humanize_duration(policy.sla.promised_first_response(c), language);
  vars["response_promise"] = response_promise(c, policy.sla, work.now(), language);
  if (c.resolution_due) vars["expected_resolution"] = format_rfc3339(*c.resolution_due).substr(0, 10);
  vars["refund.timeline"] = policy.returns.refund_timeline;
  vars["return.window_days"] = std::to_string(policy.returns.window_days);
  if (!policy.returns.portal_url.empty()) vars["return.portal_url"] = policy.returns.portal_url;
  if (!policy.survey.url.empty()) vars["survey.url"] = policy.survey.url;
  if (!policy.survey.reward.empty()) vars["survey.reward"] = policy.survey.reward;
  if (!c.return_ids.empty()) vars["return.id"] = c.return_ids.back();
  return vars;
}

std::string queue_agent_message(CaseWork &work, CaseRecord &c, const AgentMessage &message) {
  if (!c.customer_id)
    fail(OC_ERR_REFUSED, message.command + ": case " + c.id + " has no customer to write to");
  // The agent's language if given, else the customer's (customer_language).
  const std::string language = message.language.value_or(work.customer_language(c, message.template_id));
  Json vars = case_variables(work, c, language);
  for (auto it = message.variables.begin(); it != message.variables.end(); ++it) vars[it.key()] = it.value();
  const std::string purpose = message.template_id == kReplyTemplate ? "reply" : "message";
  NoticeOptions options{message.channel, language, message.agent, std::nullopt};
  const std::string id = work.notify_customer(c, message.template_id, std::move(vars), purpose, options);
  Json details = {{"channel", message.channel.value_or(c.channel)},
                  {"template", message.template_id},
                  {"effect", id},
                  {"delivery", "queued"}};
  Json pii = Json::object();
  if (auto text = message.variables.find("reply.text"); text != message.variables.end()) pii["text"] = *text;
  work.log(c, "reply", message.agent, std::move(details), std::move(pii));
  return id;
}

bool is_agent_message(const Effect &effect) {
  return effect.kind == "notify" && effect.payload.value("audience", "") == "customer" &&
         effect.payload.contains("agent");
}

void settle_agent_message(CaseWork &work, CaseRecord &c, const Effect &effect, HostAnswer answer,
                          const std::string &detail) {
  Json details = {{"effect", effect.id},
                  {"template", effect.payload.value("template", "")},
                  {"channel", effect.payload.value("channel", "")},
                  {"agent", effect.payload.value("agent", "")},
                  {"first_response", false}};
  switch (answer) {
    case HostAnswer::done:
      // The customer has it: the first such message is the first response.
      details["outcome"] = "delivered";
      details["first_response"] = !c.first_response_at;
      work.replied(c);
      break;
    case HostAnswer::pending:
      // No event reports a notice's outcome later: it stays unconfirmed.
      details["outcome"] = "pending";
      break;
    case HostAnswer::rejected:
    case HostAnswer::gave_up:
      details["outcome"] = answer == HostAnswer::rejected ? "rejected" : "gave_up";
      details["detail"] = detail;
      break;
  }
  work.log(c, "delivery", "host", std::move(details));
  // A message the customer never got needs a person, as any effect the
  // host could not carry out.
  if (answer == HostAnswer::gave_up && is_active(c.status))
    work.escalate(c, "host could not carry out notify (" + detail + ")", work.policy().red_flags.default_contact,
                  "system");
}

}  // namespace ordercare::domain
