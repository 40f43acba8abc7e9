// refund.recorded: money that went back to the customer outside ordercare
// (the platform's admin, the payment provider's dashboard). It is booked on
// the order's ledger beside ordercare's own refunds, so that everything
// reading the ledger (the refund ceiling, order.get, the reports) counts it
// and nothing offers or decides the same money a second time.
#include "common/currency.h"
#include "common/failure.h"
#include "domain/effect_keys.h"
#include "domain/event_handlers.h"
#include "domain/priority.h"

namespace ordercare::domain {

void on_refund_recorded(CaseWork &work, const EventView &event) {
  const Json &data = event.data;
  const std::string order_id = text_of(data, "order_id");
  if (!work.order()) return wait_for_order(work, order_id);
  const std::string currency = text_of(data, "currency");
  if (currency != work.order()->currency)
    fail(OC_ERR_REFUSED, "data.currency: order " + order_id + " is in " + work.order()->currency +
                             "; a refund in " + currency + " cannot be booked on its ledger");
  const std::string platform_id = text_of(data, "refund_id");
  // Platforms list every refund of a charge or an order again with each new
  // one: the ledger entry is keyed by who made it, for which order, under
  // which id, and a second sighting changes nothing.
  const std::string id = effect_key({"platform_refund", event.source, order_id, platform_id});
  Order &order = work.edit_order();
  if (order.find_refund(id)) return;
  const std::int64_t amount = data.value("amount", std::int64_t{0});
  const std::int64_t left = order.refundable();
  RefundRecord refund;
  refund.id = id;
  refund.amount = amount;
  refund.method = "platform";
  refund.status = "succeeded";
  refund.reason = optional_text_of(data, "reason").value_or("refunded on " + event.source);
  refund.requested_at = event.occurred_at;
  refund.completed_at = event.occurred_at;
  refund.note = event.source + " refund " + platform_id;
  order.refunds.push_back(refund);

  const std::string shown = format_money(amount, order.currency);
  for (const CaseRecord *active : work.active_cases()) {
    CaseRecord &c = work.edit(*active);
    work.log(c, "refund", event.source,
             {{"refund_id", id}, {"platform_refund_id", platform_id}, {"amount", shown}, {"method", "platform"}});
    add_unique(c.follow_ups, "Refunded " + shown + " on " + event.source + " (" + platform_id +
                                 "): already paid back, do not refund it again");
    // The money is gone whatever ordercare thought was left: the case says
    // so rather than refusing a fact.
    if (amount > left)
      add_unique(c.follow_ups, "The " + event.source + " refund of " + shown + " is more than the " +
                                   format_money(left, order.currency) + " ordercare had left to refund");
  }
  refresh_active_cases(work, "refund recorded on " + event.source);
}

}  // namespace ordercare::domain
