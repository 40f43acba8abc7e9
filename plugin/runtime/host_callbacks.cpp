#include "runtime/host_callbacks.h"

#include "common/failure.h"
#include "runtime/callback_scope.h"

namespace ordercare::runtime {

HostCallbacks::Callback HostCallbacks::callback_for(const std::string &kind) const {
  if (kind == "notify") return host_.notify;
  if (kind == "refund") return host_.refund;
  if (kind == "adjust_inventory") return host_.adjust_inventory;
  if (kind == "lookup_order") return host_.lookup_order;
  if (kind == "order_action") return host_.order_action;
  return nullptr;
}

std::vector<std::string> HostCallbacks::kinds() const {
  std::vector<std::string> out;
  for (const char *kind : {"notify", "refund", "adjust_inventory", "lookup_order", "order_action"})
    if (callback_for(kind)) out.push_back(kind);
  return out;
}

HostAnswer HostCallbacks::invoke(const std::string &kind, const std::string &key, std::int64_t attempt,
                                 const std::string &json) const {
  HostAnswer answer;
  Callback callback = callback_for(kind);
  if (!callback) {
    answer.problem = "the host has no " + kind + " callback";
    return answer;
  }
  oc_request request{};
  request.struct_size = sizeof request;
  request.attempt = static_cast<std::uint32_t>(attempt);
  request.idempotency_key = key.c_str();
  request.json = json.c_str();
  request.json_len = json.size();
  oc_reply reply;
  std::int32_t outcome;
  {
    CallbackScope scope;
    outcome = callback(host_.user_data, &request, &reply);
  }
  if (outcome < OC_OUTCOME_DONE || outcome > OC_OUTCOME_PENDING) {
    answer.problem = "the " + kind + " callback answered " + std::to_string(outcome) + ", not an oc_outcome";
    return answer;
  }
  answer.outcome = static_cast<oc_outcome>(outcome);
  // oc_reply_set already checked that this is a JSON object.
  if (!reply.json.empty()) answer.detail = parse_json(reply.json, "reply");
  return answer;
}

void HostCallbacks::log(oc_log_level level, const std::string &message) const {
  if (!host_.log) return;
  CallbackScope scope;
  host_.log(host_.user_data, level, message.c_str(), message.size());
}

}  // namespace ordercare::runtime
