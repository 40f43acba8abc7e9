// Returns and refunds on cases: the RMA events, the agent's return
// commands, what the host's answer to a refund means, and the out-of-stock
// playbook for orders a stock shortfall hits.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "domain/case_engine.h"
#include "domain/return_rules.h"

namespace ordercare::domain {

struct ReturnCommand {
  std::string kind;  // approve, reject, issue_label, in_transit, receive, inspect, refund, cancel
  std::string return_id;
  std::string agent = "agent";
  std::string reason;  // reject, cancel; override reason for approve
  std::optional<std::string> label;
  std::vector<ReceivedItem> items;  // receive, inspect
  std::optional<std::int64_t> amount;
  std::string method = "original";  // original | store_credit
  std::string command_id;            // unique per command (CaseWork)
};

// state: the order, its customer, cases and returns.
Decision decide_return_command(const Snapshot &state, const ReturnCommand &command, TimeMs now,
                               const Policy &policy);

// A refund outside a return (e.g. an item missing from the order).
struct OrderRefundCommand {
  std::string order_id;
  std::int64_t amount = 0;
  std::string method = "original";
  std::string reason;
  std::optional<std::string> case_id;
  std::string agent = "agent";
  std::string command_id;  // unique per command (CaseWork)
};
Decision decide_order_refund(const Snapshot &state, const OrderRefundCommand &command, TimeMs now,
                             const Policy &policy);

// What the host answered to an effect, as the domain sees it.
enum class HostAnswer { done, rejected, pending, gave_up };

// state: the effect's order (with its refunds), customer, cases and returns.
// `reply` is what the host attached to its answer (an order action's label,
// tracking or code; a cancel's too_late).
Decision decide_effect_answer(const Snapshot &state, const Effect &effect, HostAnswer answer,
                              const std::string &detail, TimeMs now, const Policy &policy,
                              const Json &reply = Json::object());

}  // namespace ordercare::domain
