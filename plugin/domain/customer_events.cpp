// customer.message, cancellation.requested, order.change_requested: the
// customer speaking up (pickup.requested: store_pickup.cpp). Each lands on
// the case an agent would expect and carries its signals (seed 004's
// priority guide and red flags) onto it.
#include <algorithm>

#include "common/utf8.h"
#include "domain/case_state_machine.h"
#include "domain/classifier.h"
#include "domain/event_handlers.h"
#include "domain/order_actions.h"
#include "domain/priority.h"

namespace ordercare::domain {

namespace {

const std::vector<std::string> kTextRedFlags = {"legal_threat", "product_safety", "media_influencer",
                                                "fraud_suspected", "misconduct"};
const std::vector<std::string> kTextTriggers = {"threatening_cancellation", "minor_packaging",
                                                "tracking"};

// Issues that count towards "several complaints about the same issue or SKU".
bool is_complaint(IssueType type) {
  switch (type) {
    case IssueType::wrong_item:
    case IssueType::damaged_item:
    case IssueType::missing_item:
    case IssueType::complaint:
    case IssueType::shipping_delay:
    case IssueType::out_of_stock: return true;
    default: return false;
  }
}

// SKUs a message is about: those it names (by SKU or product name), else
// the only line of a one-line order.
std::vector<std::string> skus_mentioned(const Order *order, const std::string &text) {
  std::vector<std::string> out;
  if (!order) return out;
  const std::string folded = fold_case(text);
  for (const auto &line : order->items) {
    const bool named = (!line.sku.empty() && folded.find(fold_case(line.sku)) != std::string::npos) ||
                       (line.name.size() >= 4 && folded.find(fold_case(line.name)) != std::string::npos);
    if (named) add_unique(out, line.sku);
  }
  if (out.empty() && order->items.size() == 1) out.push_back(order->items.front().sku);
  return out;
}

// Seed 004 red flag "multiple complaints same issue": this complaint and
// recent ones from other orders about the same SKU reach the threshold. The
// SKU is what makes it the same issue; a count per issue type alone would
// flag ordinary daily volume in a busy store.
void check_repeated_complaints(CaseWork &work, CaseRecord &c) {
  if (!is_complaint(c.type)) return;
  const auto &recent = work.state().recent_complaints_by_sku;
  const std::int64_t threshold = work.policy().red_flags.repeat_threshold;
  for (const auto &sku : c.skus) {
    auto it = recent.find(sku);
    const std::int64_t others = it == recent.end() ? 0 : it->second;
    const std::int64_t count = others + 1;
    // The others are counted up to the threshold only.
    const char *at_least = others >= threshold ? "at least " : "";
    if (count >= threshold)
      return work.raise_red_flag(c, "repeated_complaints",
                                 at_least + std::to_string(count) + " complaints about SKU " + sku + " within " +
                                     std::to_string(work.policy().red_flags.repeat_window / kHourMs) + "h");
  }
}

// Seed 004's WISMO logic: shipped -> tracking; not shipped -> an honest
// timeline from the warehouse.
void answer_wismo(CaseWork &work, CaseRecord &c) {
  const Order *order = work.order();
  if (!order) return;
  Json vars = order_variables(order);
  const bool shipped = progress_rank(order->status) >= progress_rank(OrderStatus::shipped) &&
                       order->status != OrderStatus::cancelled;
  if (shipped && vars.contains("shipment.tracking_number") && vars.contains("eta") &&
      vars.contains("shipment.carrier")) {
    work.notify_customer(c, "wismo_in_transit", vars, "wismo");
    if (c.initial_action.empty()) c.initial_action = "Sent tracking and the carrier's delivery estimate";
  } else if (!work.is_new(c)) {
    work.notify_team(c, work.policy().teams.warehouse, "team_cs_request",
                     work.policy().playbook(IssueType::wismo).needs, vars, "wismo");
  }
}

}  // namespace

void on_customer_message(CaseWork &work, const EventView &event) {
  const Json &data = event.data;
  absorb_customer(work, data["customer"]);
  const std::string text = text_of(data, "text");
  const std::string channel = text_of(data, "channel");
  const Classification classification = classify(work.policy().classifier, text);
  CaseRecord &c = work.case_for(classification.type, Origin::customer, classification.explain(), channel);
  work.customer_wrote(c);
  // Later notices are written in it, when their templates are (customer_language).
  if (auto language = optional_text_of(data, "language")) c.language = *language;
  if (!c.pii.contains("description")) c.pii["description"] = text;
  for (const auto &sku : skus_mentioned(work.order(), text)) add_unique(c.skus, sku);
  work.log(c, "message", "customer",
           {{"channel", channel}, {"classified_as", to_string(classification.type)},
            {"why", classification.explain()}},
           {{"text", text}});

  for (const auto &trigger : kTextTriggers)
    if (classification.has(trigger)) work.add_trigger(c, trigger);
  // Seed 004 P1 "media/social media complaint": a public post, or a message
  // that says the press or an influencer is involved.
  if ((channel == "social" && data.value("public", false)) || classification.has("media_influencer"))
    work.add_trigger(c, "media_social");
  for (const auto &flag : kTextRedFlags)
    if (classification.has(flag))
      work.raise_red_flag(c, flag, "message says '" + classification.signals.at(flag).phrase + "'");
  const std::int64_t audience = data.value("audience", std::int64_t{0});
  if (audience >= work.policy().priority.media_audience_min) {
    work.add_trigger(c, "media_social");
    work.raise_red_flag(c, "media_influencer", "author has " + std::to_string(audience) + " followers");
  }
  check_repeated_complaints(work, c);
  work.recompute_priority(c, "customer message");

  if (c.type == IssueType::wismo) answer_wismo(work, c);
  start_playbook(work, c);
  plan_item_actions(work, c);
}

void on_cancellation_requested(CaseWork &work, const EventView &event) {
  const std::string order_id = text_of(event.data, "order_id");
  const std::string channel = optional_text_of(event.data, "channel").value_or("web");
  CaseRecord &c = work.case_for(IssueType::cancellation_request, Origin::customer,
                                "cancellation requested", channel);
  if (work.is_new(c)) work.customer_wrote(c);
  Json pii = Json::object();
  if (auto reason = optional_text_of(event.data, "reason")) pii["text"] = *reason;
  if (!work.order()) {
    work.log(c, "event", "customer", {{"cancellation", "order not known yet; waiting for it"}}, pii);
    return wait_for_order(work, order_id);
  }
  // Seed 000: "Check if the order is still processing. If shipped, explain
  // return options." Seed 004: packed but not shipped -> can we unpack?
  const OrderStatus status = work.order()->status;
  Json vars = order_variables(work.order());
  std::string decision;
  if (status == OrderStatus::cancelled) {
    decision = "already_cancelled";
    c.initial_action = "Order was already cancelled";
  } else if (progress_rank(status) >= progress_rank(OrderStatus::shipped)) {
    decision = "too_late";
    c.initial_action = "Order already shipped: explained the return options";
    vars["return.window_days"] = std::to_string(work.policy().returns.window_days);
    vars["refund.timeline"] = work.policy().returns.refund_timeline;
    // Without a returns portal the customer starts the return by replying.
    const std::string &portal = work.policy().returns.portal_url;
    if (!portal.empty()) vars["return.portal_url"] = portal;
    work.notify_customer(c, portal.empty() ? "cancellation_already_shipped_no_portal" : "cancellation_already_shipped",
                         vars, "too-late");
  } else if (status == OrderStatus::packed && !work.state().order_actions) {
    decision = "ask_warehouse";
    c.initial_action = "Packed but not shipped: asked the warehouse whether it can be unpacked";
    work.notify_team(c, work.policy().teams.warehouse, "team_cs_request",
                     work.policy().playbook(IssueType::order_change).needs, vars, "cancel-packed");
  } else if (work.state().order_actions) {
    // The host cancels it, or says it was too late (order_actions.h).
    decision = "cancel_via_host";
    c.initial_action = "Order not shipped yet: asked the host to cancel it";
    cancel_via_host(work, c, "customer asked to cancel");
  } else {
    decision = "cancel";
    c.initial_action = "Order still processing: fulfilment asked to cancel it";
    work.notify_team(c, work.policy().teams.fulfilment, "team_cs_request",
                     work.policy().playbook(IssueType::cancellation_request).needs, vars, "cancel");
  }
  work.log(c, "decision", "system", {{"cancellation", decision}, {"order_status", to_string(status)}}, pii);
}

void on_order_change_requested(CaseWork &work, const EventView &event) {
  const std::string order_id = text_of(event.data, "order_id");
  const std::string change = text_of(event.data, "change");
  CaseRecord &c = work.case_for(IssueType::order_change, Origin::customer,
                                "order change requested: " + change, "web");
  if (work.is_new(c)) work.customer_wrote(c);
  Json pii = Json::object();
  if (auto details = event.data.find("details"); details != event.data.end()) pii["details"] = *details;
  if (!work.order()) {
    work.log(c, "event", "customer", {{"change", change}, {"decision", "waiting for the order"}}, pii);
    return wait_for_order(work, order_id);
  }
  // Seed 004 "Need order rushed/changed": not picked -> easy to modify;
  // picked or packed -> ask the warehouse; shipped -> too late.
  const OrderStatus status = work.order()->status;
  Json vars = order_variables(work.order());
  vars["change"] = change;
  std::string decision;
  if (status == OrderStatus::cancelled || progress_rank(status) >= progress_rank(OrderStatus::shipped)) {
    decision = "too_late";
    c.initial_action = "Too late: the order is already " + std::string(to_string(status));
  } else if (status == OrderStatus::picked || status == OrderStatus::packed) {
    decision = "ask_warehouse";
    c.initial_action = "Order is " + std::string(to_string(status)) + ": asked the warehouse before promising";
    work.notify_team(c, work.policy().teams.warehouse, "team_cs_request",
                     work.policy().playbook(IssueType::order_change).needs, vars, "change-" + change);
  } else {
    decision = "modify";
    c.initial_action = "Not picked yet: the " + change + " change can be made";
    work.notify_team(c, work.policy().teams.warehouse, "team_cs_request",
                     {"Apply the " + change + " change to the order", "If yes: By when?",
                      "If no: Clear reason"},
                     vars, "change-" + change);
  }
  work.log(c, "decision", "system", {{"change", change}, {"decision", decision},
                                     {"order_status", to_string(status)}}, pii);
}

}  // namespace ordercare::domain
