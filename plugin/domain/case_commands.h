// Agent commands on a case (abi/CALLS.md): pure functions from the case,
// its order and customer, the command's arguments and the time, to a
// Decision. An illegal command throws Failure and changes nothing.
#pragma once

#include <optional>
#include <string>

#include "domain/case_engine.h"

namespace ordercare::domain {

// What a command sees: the case (first in state.cases), its order and
// customer, and the case's escalations (to close them on resolution).
struct CommandState {
  Snapshot snapshot;
  std::vector<Escalation> escalations;
  std::string command_id;  // unique per command (CaseWork)
};

struct AssignArgs { std::optional<std::string> team, agent; };
// An agent's reply goes to the customer as a notify effect (agent_messages.h);
// `deliver` is false when the host has no notify callback and sends its
// replies itself: the reply is then recorded as sent, first response at once.
struct ReplyArgs {
  std::string agent, text;
  std::optional<std::string> channel, language;  // default: the case's channel, policy.language
  bool await_customer = false;
  bool deliver = true;
};
// A customer template of the host's choosing (a macro), checked by the caller.
struct SendTemplateArgs {
  std::string agent, template_id;
  Json variables = Json::object();
  std::optional<std::string> channel, language;
  bool await_customer = false;
};
struct NoteArgs { std::string agent, text; };
struct EscalateArgs { std::string reason; std::optional<std::string> to; std::string agent = "agent"; };
struct ResolveArgs { std::string agent, resolution, action_taken; };
struct CloseArgs { std::string agent, follow_up; };
struct ReopenArgs { std::string reason; };
struct WaitArgs { std::string on; std::string agent; };  // on: customer | warehouse
// confirmed: the warehouse's answer to what the case waited for; the
// case's held order actions are then asked for (true) or dropped (false).
struct ResumeArgs { std::string agent; std::optional<bool> confirmed; };
struct CsatArgs { std::int64_t rating = 0; std::optional<std::string> comment; };
struct NpsArgs { std::int64_t score = 0; };

Decision assign_case(const CommandState &s, const AssignArgs &a, TimeMs now, const Policy &p);
Decision reply_case(const CommandState &s, const ReplyArgs &a, TimeMs now, const Policy &p);
Decision send_template_case(const CommandState &s, const SendTemplateArgs &a, TimeMs now, const Policy &p);
Decision note_case(const CommandState &s, const NoteArgs &a, TimeMs now, const Policy &p);
Decision escalate_case(const CommandState &s, const EscalateArgs &a, TimeMs now, const Policy &p);
Decision resolve_case(const CommandState &s, const ResolveArgs &a, TimeMs now, const Policy &p);
Decision close_case(const CommandState &s, const CloseArgs &a, TimeMs now, const Policy &p);
Decision reopen_case(const CommandState &s, const ReopenArgs &a, TimeMs now, const Policy &p);
Decision wait_case(const CommandState &s, const WaitArgs &a, TimeMs now, const Policy &p);
Decision resume_case(const CommandState &s, const ResumeArgs &a, TimeMs now, const Policy &p);
Decision rate_case(const CommandState &s, const CsatArgs &a, TimeMs now, const Policy &p);
Decision score_case(const CommandState &s, const NpsArgs &a, TimeMs now, const Policy &p);

// Gives the case to `agent`, chosen by the team's roster strategy (or
// instead of the current assignee after a breach).
Decision give_case(const CommandState &s, const std::string &agent, const std::string &why, TimeMs now,
                   const Policy &p);

}  // namespace ordercare::domain
