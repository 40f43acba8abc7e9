// payment.failed / payment.disputed, inventory.discrepancy, and the case
// side of returns and refunds (the RMA lifecycle is in return_*.cpp).
#include "domain/case_state_machine.h"
#include "domain/classifier.h"
#include "domain/event_handlers.h"
#include "domain/priority.h"

namespace ordercare::domain {

void on_payment_event(CaseWork &work, const EventView &event) {
  const Json &data = event.data;
  const bool disputed = event.type == "payment.disputed";
  const std::string reason = text_of(data, "reason");
  CaseRecord &c = work.case_for(IssueType::payment, Origin::system,
                                disputed ? "payment disputed" : "payment failed", "system");
  work.add_trigger(c, disputed ? "payment_disputed" : "payment_failed");
  work.log(c, "event", "payment",
           {{"event", event.type}, {"amount", data.value("amount", std::int64_t{0})},
            {"currency", text_of(data, "currency")}, {"reason", reason},
            {"dispute_id", text_of(data, "dispute_id")}});
  // A dispute whose reason reads as fraud is seed 004's "fraud suspected".
  const Classification why = classify(work.policy().classifier, reason);
  if (disputed && (why.has("fraud_suspected") || reason == "fraudulent" || reason == "unrecognized")) {
    if (c.type != IssueType::fraud_suspected) {
      work.log(c, "type", "system", {{"from", to_string(c.type)}, {"to", "fraud_suspected"}});
      c.type = IssueType::fraud_suspected;
    }
    work.raise_red_flag(c, "fraud_suspected", "dispute reason '" + reason + "'");
  }
  start_playbook(work, c, {{"payment.reason", reason}});
  if (!work.order()) wait_for_order(work, text_of(data, "order_id"));
}

void on_inventory_discrepancy(CaseWork &work, const EventView &event) {
  const Json &data = event.data;
  const std::string sku = text_of(data, "sku");
  const std::string location = text_of(data, "location");
  const std::int64_t system_count = data.value("system_count", std::int64_t{0});
  const std::int64_t physical_count = data.value("physical_count", std::int64_t{0});
  work.set_subject("sku:" + sku + "@" + location);
  CaseRecord &c = work.case_for(IssueType::inventory_discrepancy, Origin::system,
                                "stock count of " + sku + " at " + location + " is " +
                                    std::to_string(physical_count) + ", system says " +
                                    std::to_string(system_count),
                                "system");
  add_unique(c.skus, sku);
  c.location = location;
  Json affected = Json::array();
  for (const auto &order : work.state().open_orders_with_sku) affected.push_back(order.id);
  work.log(c, "event", text_of(data, "reported_by"),
           {{"sku", sku}, {"location", location}, {"system_count", system_count},
            {"physical_count", physical_count}, {"affected_orders", affected}});
  if (physical_count < system_count && !affected.empty()) work.add_trigger(c, "inventory_shortfall");
  start_playbook(work, c, {{"item.sku", sku}, {"stock.count", std::to_string(physical_count)}});
}

void on_return_requested(CaseWork &work, const EventView &event) {
  const Json &data = event.data;
  if (!work.order()) {
    wait_for_order(work, text_of(data, "order_id"));
    return;
  }
  CaseRecord &c = work.case_for(IssueType::return_request, Origin::customer, "return requested", "web");
  if (work.is_new(c)) c.customer_contacts += 1;
  for (const auto &item : data["items"]) {
    const std::string line_id = text_of(item, "line_id");
    for (const auto &line : work.order()->items)
      if (line.line_id == line_id) add_unique(c.skus, line.sku);
    const std::string reason = text_of(item, "reason");
    if (reason == "wrong_item") work.add_trigger(c, "wrong_item");
    if (reason == "damaged") work.add_trigger(c, "damaged_item");
  }
  work.log(c, "event", "customer", {{"return", "requested"}, {"items", data["items"].size()}});
  start_playbook(work, c);
}

void on_return_received(CaseWork &work, const EventView &event) {
  for (const CaseRecord *c : work.active_cases())
    if (c->type == IssueType::return_request)
      work.log(*c, "event", "warehouse", {{"return", "received"}, {"return_id", text_of(event.data, "return_id")}});
}

void on_refund_result(CaseWork &work, const EventView &event) {
  for (const CaseRecord *c : work.active_cases())
    work.log(*c, "event", "host", {{"refund", text_of(event.data, "status")},
                                   {"refund_id", text_of(event.data, "refund_id")}});
}

}  // namespace ordercare::domain
