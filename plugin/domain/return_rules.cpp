#include "domain/return_rules.h"

#include <algorithm>
#include <array>
#include <utility>

#include "common/currency.h"
#include "common/failure.h"
#include "domain/effect_keys.h"

namespace ordercare::domain {

namespace {

using R = ReturnStatus;

constexpr std::array<std::pair<R, R>, 15> kTransitions{{
    {R::requested, R::approved},   {R::requested, R::rejected},    {R::requested, R::cancelled},
    {R::approved, R::label_issued}, {R::approved, R::received},     {R::approved, R::refunded},
    {R::approved, R::cancelled},   {R::label_issued, R::in_transit}, {R::label_issued, R::received},
    {R::label_issued, R::cancelled}, {R::in_transit, R::received},  {R::received, R::inspected},
    {R::inspected, R::refunded},   {R::inspected, R::closed},      {R::refunded, R::closed},
}};

std::string money(std::int64_t minor, const std::string &currency) {
  return format_money(minor, currency);
}

std::int64_t already_returned(const std::vector<ReturnRecord> &earlier, const std::string &line_id) {
  std::int64_t n = 0;
  for (const auto &r : earlier) {
    if (r.status == R::rejected || r.status == R::cancelled) continue;
    for (const auto &item : r.items)
      if (item.line_id == line_id && item.eligible) n += item.quantity;
  }
  return n;
}

// A line listed more than once on a request (a platform lists each parcel
// it was shipped in) is one item with the quantities added up, so that the
// check of what is left sees them all. It keeps the first listing's reason
// and condition; the return's decisions say so.
std::vector<RequestedItem> one_item_per_line(const std::vector<RequestedItem> &requested,
                                             std::vector<std::string> &decisions) {
  std::vector<RequestedItem> out;
  std::vector<std::int64_t> listings;
  for (const auto &want : requested) {
    auto same = std::find_if(out.begin(), out.end(), [&](const RequestedItem &i) { return i.line_id == want.line_id; });
    if (same == out.end()) {
      out.push_back(want);
      listings.push_back(1);
      continue;
    }
    // Each quantity is at most kMaxQuantity and a request at most kMaxLines
    // long: the sum cannot overflow.
    same->quantity += want.quantity;
    listings[static_cast<std::size_t>(same - out.begin())] += 1;
  }
  for (std::size_t i = 0; i < out.size(); ++i)
    if (listings[i] > 1)
      decisions.push_back("line " + out[i].line_id + " listed " + std::to_string(listings[i]) +
                          " times: one item of " + std::to_string(out[i].quantity) + ", reason " + out[i].reason);
  return out;
}

}  // namespace

bool can_transition(ReturnStatus from, ReturnStatus to) {
  for (const auto &[a, b] : kTransitions)
    if (a == from && b == to) return true;
  return false;
}

void require_transition(const ReturnRecord &r, ReturnStatus to, const std::string &command) {
  if (can_transition(r.status, to)) return;
  std::string legal;
  for (const auto &[a, b] : kTransitions)
    if (a == r.status) legal += (legal.empty() ? "" : ", ") + std::string(to_string(b));
  fail(OC_ERR_TRANSITION, command + ": return " + r.id + " is " + std::string(to_string(r.status)) +
                              "; it cannot become " + std::string(to_string(to)) + " (legal: " +
                              (legal.empty() ? "nothing, it is final" : legal) + ")");
}

ReturnRecord build_return(const std::string &id, const Order &order, const Customer *customer,
                          const std::vector<RequestedItem> &requested,
                          const std::vector<ReturnRecord> &earlier, TimeMs now, const ReturnPolicy &policy) {
  ReturnRecord r;
  r.id = id;
  r.order_id = order.id;
  r.customer_id = order.customer_id;
  r.currency = order.currency;
  r.requested_at = now;
  const bool outside_window =
      order.delivered_at && now > *order.delivered_at + policy.window_days * kDayMs;
  bool any_keep_reason = true;
  for (const auto &want : one_item_per_line(requested, r.decisions)) {
    ReturnItem item;
    item.line_id = want.line_id;
    item.quantity = want.quantity;
    item.reason = want.reason;
    item.reported_condition = want.condition;
    const OrderLine *line = nullptr;
    for (const auto &l : order.items)
      if (l.line_id == want.line_id) line = &l;
    if (line) {
      item.sku = line->sku;
      item.name = line->name;
      item.unit_price = line->unit_price;
    }
    const std::int64_t left = line ? line->quantity - already_returned(earlier, want.line_id) : 0;
    if (!line) {
      item.eligible = false;
      item.decision = "no line " + want.line_id + " on order " + order.id;
    } else if (want.quantity > left) {
      item.eligible = false;
      item.decision = "only " + std::to_string(left) + " of line " + want.line_id + " can still be returned";
    } else if (contains(policy.final_sale_skus, line->sku)) {
      item.eligible = false;
      item.decision = "final-sale item";
    } else if (!want.condition.empty() && contains(policy.rejected_conditions, want.condition)) {
      item.eligible = false;
      item.decision = "condition '" + want.condition + "' is not accepted for returns";
    } else if (outside_window && !contains(policy.store_pays_shipping_reasons, want.reason)) {
      // Faults of ours (wrong, damaged, not as described) are put right
      // whenever they are found; a change of mind has a deadline.
      item.eligible = false;
      item.decision = "outside the " + std::to_string(policy.window_days) + "-day return window (delivered " +
                      format_rfc3339(*order.delivered_at).substr(0, 10) + ")";
    } else {
      item.decision = "eligible";
    }
    if (item.eligible) {
      if (contains(policy.store_pays_shipping_reasons, item.reason)) r.store_pays_shipping = true;
      if (!contains(policy.keep_item_reasons, item.reason)) any_keep_reason = false;
      auto fee = policy.restocking_fee_percent.find(item.reason);
      if (fee != policy.restocking_fee_percent.end())
        r.restocking_fee += item.unit_price * item.quantity * fee->second / 100;
    }
    r.items.push_back(std::move(item));
  }
  const std::int64_t due = r.refund_due();
  bool eligible_any = false;
  for (const auto &item : r.items) eligible_any = eligible_any || item.eligible;
  if (!eligible_any) {
    r.decisions.push_back("nothing on this request can be returned");
    return r;
  }
  if (r.store_pays_shipping) r.decisions.push_back("the store pays return shipping (our fault)");
  if (any_keep_reason && due < major_to_minor(policy.keep_item_below_major_units, r.currency)) {
    r.keep_item = true;
    r.decisions.push_back("low value (" + money(due, r.currency) + "): the customer keeps the item");
  }
  const bool trusted = customer && [&] {
    for (const auto &tag : customer->tags)
      if (contains(policy.instant_refund_tags, tag)) return true;
    return false;
  }();
  if (!r.keep_item && (trusted || due < major_to_minor(policy.instant_refund_below_major_units, r.currency))) {
    r.instant_refund = true;
    r.decisions.push_back(trusted ? "trusted customer: refund at approval"
                                  : "below the instant-refund threshold: refund at approval");
  }
  if (r.restocking_fee > 0) r.decisions.push_back("restocking fee " + money(r.restocking_fee, r.currency));
  return r;
}

RefundRecord &book_refund(Order &order, const ReturnRecord *ret, const std::optional<std::string> &case_id,
                          std::int64_t amount, const std::string &method, const std::string &reason,
                          TimeMs now) {
  if (amount <= 0) fail(OC_ERR_REFUSED, "refund: amount must be positive");
  if (amount > order.refundable())
    fail(OC_ERR_REFUSED, "refund: " + money(amount, order.currency) + " exceeds what remains of order " +
                             order.id + " (" + money(order.refundable(), order.currency) + " of " +
                             money(order.total, order.currency) + " paid)");
  if (ret && amount > refund_remaining(*ret, order))
    fail(OC_ERR_REFUSED, "refund: " + money(amount, order.currency) + " exceeds what return " + ret->id +
                             " is still owed (" + money(refund_remaining(*ret, order), order.currency) + ")");
  RefundRecord refund;
  // A return's refunds and an order's own are counted apart, each under its
  // owner's id: refund:<return>:<n>, refund:order:<order>:<n>.
  auto key = [&](std::size_t n) {
    return ret ? effect_key({"refund", ret->id, std::to_string(n)})
               : effect_key({"refund", "order", order.id, std::to_string(n)});
  };
  std::size_t n = 1;
  for (;;) {
    const std::string id = key(n);
    if (std::none_of(order.refunds.begin(), order.refunds.end(), [&](const RefundRecord &r) { return r.id == id; }))
      break;
    ++n;
  }
  refund.id = key(n);
  refund.amount = amount;
  refund.method = method;
  refund.status = "requested";
  if (ret) refund.return_id = ret->id;
  refund.case_id = case_id;
  refund.reason = reason;
  refund.requested_at = now;
  order.refunds.push_back(refund);
  return order.refunds.back();
}

Effect refund_effect(const Order &order, const RefundRecord &refund, const ReturnRecord *ret) {
  Effect e;
  e.id = refund.id;
  e.kind = "refund";
  e.case_id = refund.case_id;
  e.order_id = order.id;
  e.customer_id = order.customer_id.empty() ? std::nullopt : std::optional<std::string>(order.customer_id);
  e.created_at = refund.requested_at;
  Json lines = Json::array();
  if (ret)
    for (const auto &item : ret->items)
      if (item.eligible) lines.push_back({{"line_id", item.line_id}, {"sku", item.sku}, {"quantity", item.quantity}});
  e.payload = {{"refund_id", refund.id},
               {"order_id", order.id},
               {"amount", {{"amount", refund.amount}, {"currency", order.currency}}},
               {"method", refund.method},
               {"reason", refund.reason},
               {"lines", std::move(lines)}};
  if (ret) e.payload["return_id"] = ret->id;
  if (refund.case_id) e.payload["case_id"] = *refund.case_id;
  return e;
}

void receive_items(ReturnRecord &r, const std::vector<ReceivedItem> &items, TimeMs now) {
  if (items.empty()) fail(OC_ERR_REFUSED, "return " + r.id + ": no items received");
  // Check everything first: a refused line changes nothing at all.
  for (const auto &got : items) {
    const ReturnItem *item = nullptr;
    for (const auto &i : r.items)
      if (i.line_id == got.line_id) item = &i;
    if (!item) fail(OC_ERR_REFUSED, "return " + r.id + ": line " + got.line_id + " is not on this return");
    if (!item->eligible)
      fail(OC_ERR_REFUSED, "return " + r.id + ": line " + got.line_id + " was not accepted (" + item->decision + ")");
    if (got.quantity <= 0) fail(OC_ERR_REFUSED, "return " + r.id + ": quantity must be positive");
    // No condition: taken in, not checked yet (inspection gives it).
    if (!got.condition.empty() && got.condition != "resellable" && got.condition != "damaged")
      fail(OC_ERR_REFUSED, "return " + r.id + ": condition must be resellable or damaged");
    // A line listed twice on one receipt counts with both quantities.
    std::int64_t listed = 0;
    for (const auto &other : items) {
      if (other.line_id == got.line_id && other.quantity > 0) listed += other.quantity;
      if (listed > item->quantity) break;  // too many already; and the sum cannot overflow
    }
    if (item->received + listed > item->quantity)
      fail(OC_ERR_REFUSED, "return " + r.id + ": line " + got.line_id + " already received (" +
                               std::to_string(item->received) + " of " + std::to_string(item->quantity) +
                               (listed > got.quantity ? ", " + std::to_string(listed) + " listed on this receipt" : "") +
                               ")");
  }
  for (const auto &got : items)
    for (auto &item : r.items)
      if (item.line_id == got.line_id) {
        item.received += got.quantity;
        item.received_condition = got.condition;
      }
  r.received_at = now;
}

std::vector<Effect> inspect_items(ReturnRecord &r, const std::vector<ReceivedItem> &items, TimeMs now,
                                  const ReturnPolicy &policy) {
  std::vector<Effect> effects;
  for (auto &item : r.items) {
    if (item.received == 0 || !item.disposition.empty()) continue;
    std::string condition = item.received_condition;
    for (const auto &seen : items)
      if (seen.line_id == item.line_id) {
        if (seen.condition != "resellable" && seen.condition != "damaged")
          fail(OC_ERR_REFUSED, "return " + r.id + ": condition must be resellable or damaged");
        condition = seen.condition;
      }
    if (condition.empty())
      fail(OC_ERR_REFUSED, "return " + r.id + ": line " + item.line_id +
                               " has no condition yet: give it (resellable or damaged) to inspect");
    item.received_condition = condition;
    const bool resellable = condition == "resellable";
    item.disposition = resellable ? "restocked" : "scrapped";
    Effect e;
    e.id = effect_key({"inventory", r.id, item.line_id});
    e.kind = "adjust_inventory";
    e.order_id = r.order_id;
    e.case_id = r.case_id;
    e.created_at = now;
    e.payload = {{"sku", item.sku},
                 {"location", resellable ? policy.restock_location : policy.returns_area_location},
                 {"delta", item.received},
                 {"reason", resellable ? "return_restock" : "return_damaged"},
                 {"return_id", r.id},
                 {"order_id", r.order_id},
                 {"line_id", item.line_id}};
    effects.push_back(std::move(e));
  }
  r.inspected_at = now;
  return effects;
}

std::int64_t refund_remaining(const ReturnRecord &r, const Order &order) {
  const std::int64_t left = r.refund_due() - refunded_for(order, r.id) - outstanding_for(order, r.id);
  return left > 0 ? left : 0;
}

void settle(ReturnRecord &r, const Order &order, TimeMs now) {
  const bool goods_done = r.status == R::inspected || (r.status == R::approved && r.keep_item);
  if (!goods_done || outstanding_for(order, r.id) > 0) return;
  if (refunded_for(order, r.id) >= r.refund_due() && r.refund_due() > 0) {
    r.status = R::refunded;
    r.refunded_at = now;
  }
  if (r.status == R::refunded || (r.status == R::inspected && r.refund_due() == 0)) {
    r.status = R::closed;
    r.closed_at = now;
  }
}

}  // namespace ordercare::domain
