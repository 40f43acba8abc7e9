// payment.failed / payment.disputed and inventory.discrepancy (returns and
// refunds are in return_flow.cpp).
#include <algorithm>

#include "common/subject.h"
#include "domain/case_state_machine.h"
#include "domain/classifier.h"
#include "domain/effect_keys.h"
#include "domain/event_handlers.h"
#include "domain/locations.h"
#include "domain/priority.h"

namespace ordercare::domain {

void on_payment_event(CaseWork &work, const EventView &event) {
  const Json &data = event.data;
  const bool disputed = event.type == EventType::payment_disputed;
  const std::string reason = text_of(data, "reason");
  CaseRecord &c = work.case_for(IssueType::payment, Origin::system,
                                disputed ? "payment disputed" : "payment failed", "system");
  work.add_trigger(c, disputed ? "payment_disputed" : "payment_failed");
  // A platform that only says "disputed" (BigCommerce's order status) leaves
  // the amount to the order: what is at stake is what was paid.
  const Order *order = work.order();
  const bool told = data.contains("amount");
  const std::int64_t amount = told ? data.value("amount", std::int64_t{0}) : order ? order->total : 0;
  std::string currency = text_of(data, "currency");
  if (currency.empty() && order) currency = order->currency;
  work.log(c, "event", "payment",
           {{"event", name_of(event.type)}, {"amount", amount}, {"currency", currency}, {"reason", reason},
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
  // A payment case needs nothing of the order's to be raised: ask the host
  // about the order, but do not keep the event to run it twice.
  if (!work.order()) ask_host_for_order(work, text_of(data, "order_id"));
}

namespace {

struct Shortfall {
  const Order *order;
  std::int64_t short_by;
};

// The units of `sku` the order draws from `location`: lines that name it,
// or whose order does; a line with no location of its own or of its order
// may draw from any location, as every line did before 1.3. The store hands
// over every open order of the SKU (order_skus_open); where each line is
// fulfilled from is read here from the order itself, so the index needs no
// location column.
std::int64_t units_drawn(const Order &order, const std::string &sku, const std::string &location) {
  std::int64_t units = 0;
  for (const auto &line : order.items) {
    const std::string &from = line.fulfilled_from(order.location);
    if (line.sku == sku && (from.empty() || from == location)) units += line.quantity;
  }
  return units;
}

// Seed 004 "affecting other orders?": the physical count is promised to the
// oldest open orders drawing the SKU from the location first; the orders it
// no longer covers are hit, oldest first.
std::vector<Shortfall> orders_hit(const std::vector<Order> &open_orders, const std::string &sku,
                                  const std::string &location, std::int64_t physical_count) {
  std::vector<const Order *> by_age;
  for (const auto &o : open_orders)
    if (units_drawn(o, sku, location) > 0) by_age.push_back(&o);
  std::sort(by_age.begin(), by_age.end(), [](const Order *a, const Order *b) {
    return a->placed_at != b->placed_at ? a->placed_at < b->placed_at : a->id < b->id;
  });
  std::vector<Shortfall> hit;
  std::int64_t available = physical_count;
  for (const Order *order : by_age) {
    const std::int64_t need = units_drawn(*order, sku, location);
    if (need <= available) {
      available -= need;
      continue;
    }
    hit.push_back({order, need - std::max<std::int64_t>(available, 0)});
    available = 0;
  }
  return hit;
}

// The warehouse (or store) that counted gets the list seed 004 asks for:
// which open orders are short, by how much, oldest first. Its own team
// (locations.<id>.team), else the policy's warehouse or store team.
void tell_location(CaseWork &work, CaseRecord &c, const std::string &sku, const std::string &location,
                   const std::vector<Shortfall> &hit) {
  const Location *where = work.policy().physical_locations().find(location);
  const TeamPolicy &teams = work.policy().teams;
  const std::string team = where && !where->team.empty() ? where->team
                           : where && where->is_store() ? teams.store
                                                        : teams.warehouse;
  std::string lines;
  for (const auto &shortfall : hit)
    lines += (lines.empty() ? "" : "\n") + std::string("- ") + order_name(*shortfall.order) + " (" +
             shortfall.order->id + "): " + std::to_string(shortfall.short_by) + " short, placed " +
             format_minute(shortfall.order->placed_at) + " UTC";
  Json vars = {{"item.sku", sku},
               {"location.name", where ? where->name : location},
               {"shortfall.orders", std::to_string(hit.size())},
               {"shortfall.lines", lines}};
  work.notify_team(c, team, "team_stock_shortfall", {}, std::move(vars), "shortfall");
}

}  // namespace

void on_inventory_discrepancy(CaseWork &work, const EventView &event) {
  const Json &data = event.data;
  const std::string sku = text_of(data, "sku");
  const std::string location = text_of(data, "location");
  const std::int64_t system_count = data.value("system_count", std::int64_t{0});
  const std::int64_t physical_count = data.value("physical_count", std::int64_t{0});
  const std::int64_t oversold = data.value("oversold", std::int64_t{0});
  work.set_subject(Subject::sku_at(sku, location));
  CaseRecord &c = work.case_for(IssueType::inventory_discrepancy, Origin::system,
                                oversold > 0 ? sku + " at " + location + " is oversold by " + std::to_string(oversold)
                                             : "stock count of " + sku + " at " + location + " is " +
                                                   std::to_string(physical_count) + ", system says " +
                                                   std::to_string(system_count),
                                "system");
  add_unique(c.skus, sku);
  c.location = location;

  // The physical count is the truth: the host's stock follows it. An
  // oversold report is the platform's own count, already in its stock.
  if (oversold == 0 && physical_count != system_count) {
    Effect adjust;
    adjust.id = effect_key({"inventory", event.id});
    adjust.kind = "adjust_inventory";
    adjust.case_id = c.id;
    adjust.ordering_key = Subject::sku(sku).str();
    adjust.payload = {{"sku", sku},
                      {"location", location},
                      {"delta", physical_count - system_count},
                      {"reason", "count_discrepancy"},
                      {"system_count", system_count},
                      {"physical_count", physical_count},
                      {"reported_by", text_of(data, "reported_by")},
                      {"event_id", event.id}};
    work.queue_effect(std::move(adjust));
  }

  std::vector<Shortfall> hit;
  if (oversold > 0) {
    // A platform that sold more than it had: the stock there is what the
    // open orders need less the units missing, and the newest go without.
    std::int64_t needed = 0;
    for (const auto &o : work.state().open_orders_with_sku) needed += units_drawn(o, sku, location);
    hit = orders_hit(work.state().open_orders_with_sku, sku, location, std::max<std::int64_t>(0, needed - oversold));
  } else if (physical_count < system_count) {
    hit = orders_hit(work.state().open_orders_with_sku, sku, location, physical_count);
  }
  Json affected = Json::array();
  for (const auto &shortfall : hit) {
    affected.push_back({{"order_id", shortfall.order->id}, {"short_by", shortfall.short_by}});
    work.decision().follow_ups.push_back({{"id", event.id + "/shortfall/" + shortfall.order->id},
                                          {"type", name_of(EventType::order_stock_shortfall)},
                                          {"occurred_at", format_rfc3339(event.occurred_at)},
                                          {"source", "ordercare"},
                                          {"data",
                                           {{"order_id", shortfall.order->id},
                                            {"sku", sku},
                                            {"location", location},
                                            {"short_by", shortfall.short_by},
                                            {"discrepancy_case", c.id}}}});
  }
  work.log(c, "event", text_of(data, "reported_by"),
           {{"sku", sku}, {"location", location}, {"system_count", system_count},
            {"physical_count", physical_count}, {"oversold", oversold}, {"affected_orders", affected}});
  if (!hit.empty()) {
    work.add_trigger(c, "inventory_shortfall");
    c.follow_ups.push_back(std::to_string(hit.size()) + " open order(s) short of " + sku + " at " + location +
                           ": each offered a substitute, backorder or refund");
  }
  start_playbook(work, c, {{"item.sku", sku}, {"stock.count", std::to_string(physical_count)}});
  if (!hit.empty()) tell_location(work, c, sku, location, hit);
}

// An open order a stock shortfall hits (follow-up of a discrepancy): seed
// 000 "Out-of-stock item: offer an alternative product, store credit, or
// refund", seed 004 "Options: substitute, backorder, refund".
void on_stock_shortfall(CaseWork &work, const EventView &event) {
  if (!work.order()) return;
  const std::string sku = text_of(event.data, "sku");
  const std::int64_t short_by = event.data.value("short_by", std::int64_t{0});
  CaseRecord &c = work.case_for(IssueType::out_of_stock, Origin::system,
                                "stock shortfall: " + std::to_string(short_by) + " x " + sku + " not on the shelf",
                                "system");
  add_unique(c.skus, sku);
  work.log(c, "event", "system", {{"sku", sku}, {"short_by", short_by},
                                  {"discrepancy_case", text_of(event.data, "discrepancy_case")}});
  Json vars = order_variables(work.order());
  vars["item.sku"] = sku;
  for (const auto &line : work.order()->items)
    if (line.sku == sku) vars["item.name"] = line.name.empty() ? sku : line.name;
  start_playbook(work, c, vars);
  work.notify_customer(c, "out_of_stock_choice", vars, "out-of-stock-" + sku);
}

}  // namespace ordercare::domain
