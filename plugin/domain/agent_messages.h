// Messages an agent sends a customer (case.reply, case.send_template): a
// notify effect like the engine's own notices, marked with the agent, so the
// outbox delivers it exactly once under its key. It becomes the case's first
// response only when the host answers DONE for it; a rejection, or an outbox
// that gave up, is noted on the case and counts for nothing.
#pragma once

#include <string>
#include <string_view>

#include "domain/case_work.h"
#include "domain/return_flow.h"

namespace ordercare::domain {

// The template case.reply sends: the agent's text as {{reply.text}}.
inline constexpr std::string_view kReplyTemplate = "agent_reply";

// What an agent's message is made of, checked by the caller: the template
// exists and is the customer's, the channel is a contact channel.
struct AgentMessage {
  std::string agent;
  std::string template_id;
  Json variables = Json::object();  // laid over what the case gives
  std::optional<std::string> channel;
  std::optional<std::string> language;
  std::string command;  // "case.reply", "case.send_template": for the log
};

// What the case, its order and the policy give every agent message, as the
// engine's own messages have it: order.*, shipment.*, eta, case.priority,
// expected_response, expected_resolution, refund.timeline, return.*;
// durations in words of `language`.
Json case_variables(const CaseWork &work, const CaseRecord &c, const std::string &language);

// Queues the message and logs it as the agent's reply; returns the notice's
// id. A case without a customer has no one to write to (OC_ERR_REFUSED).
std::string queue_agent_message(CaseWork &work, CaseRecord &c, const AgentMessage &message);

// A notify effect an agent sent.
bool is_agent_message(const Effect &effect);

// What the host's answer to an agent's message means for its case.
void settle_agent_message(CaseWork &work, CaseRecord &c, const Effect &effect, HostAnswer answer,
                          const std::string &detail);

}  // namespace ordercare::domain
