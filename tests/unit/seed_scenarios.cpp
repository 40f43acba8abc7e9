#include "seed_scenarios.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <ostream>
#include <regex>

namespace ordercare::testing {

namespace {

using Step = std::function<void(CaseWorld &)>;

const CustomerSpec kAnn("c-ann", "Ann Archer", {}, "ann@example.org", "+1 555 0100");
const CustomerSpec kVip("c-vip", "Vera Important", {"vip"}, "vera@example.org");

// --- Steps -----------------------------------------------------------------

Step order(const std::string &id, const CustomerSpec &who = kAnn, OrderOptions options = {}) {
  return [=](CaseWorld &s) { s.submit(s.order_created(id, who, options)); };
}

Step order_in(const std::string &id, const std::string &currency, std::int64_t total) {
  return order(id, kAnn, OrderOptions().in(currency).with_total(total));
}

// An order whose deadline (event date) is `in` from now.
Step order_due(const std::string &id, TimeMs in) {
  return [=](CaseWorld &s) { s.submit(s.order_created(id, kAnn, OrderOptions().promised(s.now() + in))); };
}

Step says(const std::optional<std::string> &order_id, const std::string &text, const std::string &channel = "email",
          const CustomerSpec &who = kAnn, MessageOptions options = {}) {
  return [=](CaseWorld &s) { s.submit(s.message(who, order_id, channel, text, options)); };
}

Step ship(const std::string &order_id, const std::string &status, ShipmentOptions options = {},
          const std::string &shipment_id = "S1") {
  return [=](CaseWorld &s) { s.submit(s.shipment(order_id, shipment_id, status, options)); };
}

// A carrier update with tracking and an ETA two days out.
Step ship_tracked(const std::string &order_id, const std::string &status, const std::string &reason = "") {
  return [=](CaseWorld &s) {
    s.submit(s.shipment(order_id, "S1", status,
                        ShipmentOptions().tracked("ups", "1Z999AA10123456784").due(s.now() + 2 * kDayMs).because(reason)));
  };
}

Step update(const std::string &order_id, const std::string &status, UpdateOptions options = {}) {
  return [=](CaseWorld &s) { s.submit(s.order_updated(order_id, status, options)); };
}

// An order update that happened `ago` before now but arrives only now.
Step update_late(const std::string &order_id, const std::string &status, TimeMs ago) {
  return [=](CaseWorld &s) {
    Json event = s.order_updated(order_id, status);
    event["occurred_at"] = format_rfc3339(s.now() - ago);
    s.submit(event);
  };
}

Step later(TimeMs by) {
  return [=](CaseWorld &s) { s.advance(by); };
}

// What oc_poll does at the time reached: due SLA timers fire.
Step timers_fire() {
  return [](CaseWorld &s) { s.poll(); };
}

Step cancel(const std::string &order_id) {
  return [=](CaseWorld &s) { s.submit(s.cancellation(order_id, "Changed my mind", "email")); };
}

Step change(const std::string &order_id, const std::string &kind) {
  return [=](CaseWorld &s) { s.submit(s.change(order_id, kind)); };
}

Step pickup(const std::string &order_id, bool waiting) {
  return [=](CaseWorld &s) { s.submit(s.pickup(order_id, "store-7", waiting)); };
}

// Seed 004 "Customer wants to pick up order at store", one step at store-7.
Step pickup_step(const std::string &order_id, const std::string &step, Json extra = Json::object()) {
  return [=](CaseWorld &s) {
    Json event = s.pickup(order_id, "store-7", false);
    event["type"] = "pickup.updated";
    event["data"] = {{"order_id", order_id}, {"store_id", "store-7"}, {"step", step}};
    event["data"].update(extra);
    s.submit(event);
  };
}

// Seed 004 "Customer returning item to store": a walk-in, no RMA.
Step walk_in_return(const std::string &order_id, const std::string &condition) {
  return [=](CaseWorld &s) {
    Json event = s.return_received("unused", Json::array({{{"line_id", "L1"}, {"quantity", 1}, {"condition", condition}}}),
                                   "store-7");
    event["data"].erase("return_id");
    event["data"]["order_id"] = order_id;
    event["data"]["walk_in"] = true;
    s.submit(event);
  };
}

Step payment_failed(const std::string &order_id) {
  return [=](CaseWorld &s) { s.submit(s.payment_failed(order_id, 2500, "USD", "card_declined")); };
}

Step disputed(const std::string &order_id, const std::string &reason) {
  return [=](CaseWorld &s) { s.submit(s.payment_disputed(order_id, 2500, "USD", reason, "dp_1")); };
}

Step stock(const std::string &sku, std::int64_t system_count, std::int64_t physical_count) {
  return [=](CaseWorld &s) { s.submit(s.inventory_discrepancy(sku, "main", system_count, physical_count)); };
}

Step return_line(const std::string &order_id, const std::string &reason) {
  return [=](CaseWorld &s) { s.submit(s.return_requested(order_id, {ReturnLine("L1", reason)})); };
}

// A command on the order's case (its first in queue order).
Step agent(const std::string &order_id, const std::string &method, Json args) {
  return [=](CaseWorld &s) {
    Json list = s.cases_of_order(order_id);
    ASSERT_FALSE(list.empty()) << "no case for order " << order_id;
    Json with_id = args;
    with_id["id"] = list[0]["id"];
    s.call(method, with_id);
  };
}

const Json kResolve = {{"agent", "sam"}, {"resolution", "Replacement sent"}, {"action_taken", "Shipped a replacement"}};

Expect expect(const std::string &type, const std::string &priority, const std::string &status = "new") {
  Expect e;
  e.query = {{"order_id", "A"}};
  e.type = type;
  e.priority = priority;
  e.status = status;
  return e;
}

Expect no_case(const std::string &order_id = "A") {
  Expect e;
  e.query = {{"order_id", order_id}};
  e.cases = 0;
  return e;
}


// store-7 as a physical store (the config's locations).
const Json kStore7 = {{"locations", {{"store-7", {{"kind", "store"}, {"closes_at", "20:00"}}}}}};

// The effects of one kind of the case's order, as effects.list shows them.
Json order_effects(CaseWorld &s, const std::string &kind) { return s.effects({{"kind", kind}, {"order_id", "A"}}); }


// The case's triggers plus the fact trigger its priority came from (VIP,
// deadline and large order are facts of the order, named in `reason`).
std::vector<std::string> triggers_of(const Json &c) {
  std::vector<std::string> out = strings_of(c["triggers"]);
  const std::string reason = c.value("reason", "");
  const std::string marker = "from trigger ";
  if (auto at = reason.rfind(marker); at != std::string::npos) out.push_back(reason.substr(at + marker.size()));
  return out;
}

// What the case's red flag entry says it saw.
std::string red_flag_evidence(const Json &c) {
  for (const auto &entry : c["log"])
    if (entry.value("kind", "") == "red_flag") return entry["details"].value("evidence", "");
  return "";
}

std::string verdict_of(const Json &c) {
  for (const auto &entry : c["log"])
    if (entry.value("kind", "") == "decision") {
      const Json &d = entry["details"];
      if (d.contains("decision")) return d["decision"].get<std::string>();
      if (d.contains("cancellation")) return d["cancellation"].get<std::string>();
    }
  return "";
}

template <class T>
std::vector<T> sorted(std::vector<T> v) {
  std::sort(v.begin(), v.end());
  return v;
}

void check_row(CaseWorld &s, const Expect &e) {
  const Json list = s.cases(e.query);
  ASSERT_EQ(list.size(), e.cases) << "cases matching " << e.query.dump() << ": " << list.dump(1);
  if (e.cases == 0) return;
  Json summary = list[0];
  for (const auto &c : list)
    if (c["type"] == e.type) summary = c;
  const Json c = s.get_case(summary["id"].get<std::string>());
  SCOPED_TRACE("case: " + c.dump(1));
  EXPECT_EQ(c["type"], e.type);
  EXPECT_EQ(c["priority"], e.priority);
  EXPECT_EQ(c["status"], e.status);
  const auto triggers = triggers_of(c);
  for (const auto &t : e.triggers)
    EXPECT_NE(std::find(triggers.begin(), triggers.end(), t), triggers.end()) << "trigger " << t;
  EXPECT_EQ(sorted(strings_of(c["red_flags"])), sorted(e.red_flags));

  const Json rows = s.escalations();
  ASSERT_EQ(rows.size(), e.escalated_to.size()) << rows.dump(1);
  for (std::size_t i = 0; i < rows.size(); ++i)
    EXPECT_NE(rows[i]["action_taken"].get<std::string>().find("Escalated to " + e.escalated_to[i]),
              std::string::npos)
        << rows[i].dump();
  if (!e.escalated_to.empty()) {
    EXPECT_GE(c["escalation_level"].get<std::int64_t>(), 1);
    EXPECT_FALSE(c["escalations"].empty());
  } else {
    EXPECT_EQ(c["escalation_level"], 0);
  }

  const auto notices = s.notices_of(c["id"].get<std::string>());
  for (const auto &n : e.notices)
    EXPECT_NE(std::find(notices.begin(), notices.end(), n), notices.end()) << "notice " << n;
  for (const auto &n : e.absent_notices)
    EXPECT_EQ(std::find(notices.begin(), notices.end(), n), notices.end()) << "unexpected notice " << n;
  // Every notice the log mentions is a queued effect of the case.
  EXPECT_GE(c["effects"].size(), notices.size());
  if (!e.decision.empty()) {
    EXPECT_EQ(verdict_of(c), e.decision);
  }
  if (e.also) e.also(s, c);
}

// --- The table -------------------------------------------------------------

const std::string kBroken = "The vase arrived broken";

}  // namespace

std::vector<Row> seed_rows() {
  return {
      // Seed 004, Priority 1: handle immediately.
      {"p1_customer_waiting_at_store",
       {order("A"), pickup("A", true)},
       expect("store_pickup", "P1")
           .trigger("customer_waiting_at_store")
           .notice("team:store:team_cs_request")
           .notice("team:warehouse:team_cs_request")
           .check([](CaseWorld &, const Json &c) {
             // Seed 004: a store pickup is ready within 2 hours.
             const TimeMs opened = parse_rfc3339(c["opened_at"].get<std::string>()).value_or(0);
             bool ready_clock = false;
             for (const auto &clock : c["sla"])
               if (clock["name"] == "pickup_ready") {
                 ready_clock = true;
                 EXPECT_EQ(clock["due"], format_rfc3339(opened + 2 * kHourMs));
               }
             EXPECT_TRUE(ready_clock) << c["sla"];
           })},
      {"store_pickup_not_waiting_is_p3", {order("A"), pickup("A", false)}, expect("store_pickup", "P3")},
      // Seed 004 "Customer wants to pick up order at store": picked and
      // packed, labelled, in the pickup area -> the store and the customer
      // are told it is ready, and it waits for the customer.
      {"store_pickup_ready_in_the_pickup_area",
       {order("A"), pickup("A", false), pickup_step("A", "packed"), pickup_step("A", "labelled"),
        pickup_step("A", "in_pickup_area")},
       expect("store_pickup", "P3", "waiting_customer")
           .notice("team:store:team_store_pickup_ready")
           .notice("customer:store_pickup_ready"),
       kStore7},
      // "Customer shows ID: Store releases order."
      {"store_pickup_released_after_the_id_check",
       {order("A"), pickup("A", true), pickup_step("A", "packed"), pickup_step("A", "labelled"),
        pickup_step("A", "in_pickup_area"), pickup_step("A", "collected", {{"id_checked", "id_card"}})},
       expect("store_pickup", "P1", "resolved").check([](CaseWorld &s, const Json &) {
         EXPECT_EQ(s.call("order.get", {{"id", "A"}})["pickup"]["id_checked"], "id_card");
       }),
       kStore7},
      // Seed 004 "Customer returning item to store": resellable -> back to
      // stock at the store, refunded the same moment.
      {"walk_in_return_resellable_back_to_store_stock",
       {order("A"), update("A", "delivered"), walk_in_return("A", "resellable")},
       expect("return", "P3").check([](CaseWorld &s, const Json &c) {
         EXPECT_EQ(c["location"], "store-7");
         const Json stock = order_effects(s, "adjust_inventory");
         ASSERT_EQ(stock.size(), 1u);
         EXPECT_EQ(stock[0]["payload"]["location"], "store-7");
         EXPECT_EQ(stock[0]["payload"]["delta"], 1);
         EXPECT_EQ(order_effects(s, "refund").size(), 1u);
       }),
       kStore7},
      // Damaged -> the returns area: no stock, still refunded today.
      {"walk_in_return_damaged_to_the_returns_area",
       {order("A"), update("A", "delivered"), walk_in_return("A", "damaged")},
       expect("return", "P3").check([](CaseWorld &s, const Json &c) {
         EXPECT_TRUE(order_effects(s, "adjust_inventory").empty());
         EXPECT_EQ(order_effects(s, "refund").size(), 1u);
         const Json r = s.get_return(c["return_ids"][0].get<std::string>());
         EXPECT_EQ(r["items"][0]["disposition"], "returns_area");
       }),
       kStore7},
      // Seed 004's escalation guide: a VIP customer complaint is P1 and
      // handled at once, by the manager.
      {"p1_vip_complaint",
       {order("A", kVip), says("A", kBroken, "email", kVip)},
       expect("damaged_item", "P1", "escalated")
           .trigger("vip_complaint")
           .trigger("damaged_item")
           .flag("vip_complaint")
           .escalated("cs_manager")},
      {"p1_event_deadline_order",
       {order_due("A", 3 * kDayMs), ship("A", "delayed")},
       expect("shipping_delay", "P1").trigger("event_deadline")},
      {"deadline_beyond_window_is_not_p1",
       {order_due("A", 20 * kDayMs), ship("A", "delayed")},
       expect("shipping_delay", "P3").trigger("delivery_delay")},
      {"p1_public_social_post",
       {order("A"), says("A", "Still waiting for my parcel, terrible service", "social", kAnn,
                         MessageOptions().in_public())},
       expect("complaint", "P1").trigger("media_social")},
      {"private_social_message_is_not_p1",
       {order("A"), says("A", "Still waiting for my parcel, terrible service", "social")},
       expect("complaint", "P3")},
      {"p1_product_safety",
       {order("A"), says("A", "The charger sparked and caught fire on my desk")},
       expect("complaint", "P1", "escalated")
           .trigger("product_safety")
           .flag("product_safety")
           .escalated("quality_team")
           .notice("team:quality_team:team_escalation")
           .notice("customer:complaint_acknowledgement")},

      // Seed 004, Priority 2: handle same day.
      {"p2_wrong_item",
       {order("A"), says("A", "You sent me the wrong item, I ordered the blue one")},
       expect("wrong_item", "P2")
           .trigger("wrong_item")
           .notice("team:warehouse:team_cs_request")
           .notice("customer:complaint_acknowledgement")},
      {"p2_damaged_item",
       {order("A"), says("A", kBroken)},
       expect("damaged_item", "P2")
           .trigger("damaged_item")
           .notice("team:warehouse:team_cs_request")
           .notice("customer:damaged_item_photo_request")},
      {"p2_damaged_in_transit_by_carrier",
       {order("A"), ship("A", "damaged")},
       expect("damaged_item", "P2").trigger("damaged_item").check([](CaseWorld &, const Json &c) {
         EXPECT_TRUE(contains(c["follow_ups"], "Carrier damage: file a claim with the carrier"));
       })},
      {"p2_multiple_failed_deliveries",
       {order("A"), ship("A", "delivery_failed"), later(kDayMs), ship("A", "delivery_failed")},
       expect("shipping_delay", "P2")
           .trigger("multiple_failed_deliveries")
           .notice("team:fulfilment:team_cs_request")},
      {"one_failed_delivery_opens_no_case", {order("A"), ship("A", "delivery_failed")}, no_case()},
      {"p2_threatening_cancellation",
       {order("A"), says("A", "Where is my order? If it is not here by Friday I will cancel")},
       expect("wismo", "P2").trigger("wismo").trigger("threatening_cancellation")},
      {"p2_large_order_usd_500_00", {order_in("A", "USD", 50000), says("A", "Where is my order?")},
       expect("wismo", "P2").trigger("large_order")},
      {"p3_order_usd_499_99", {order_in("A", "USD", 49999), says("A", "Where is my order?")},
       expect("wismo", "P3")},
      {"p2_large_order_jpy_500", {order_in("A", "JPY", 500), says("A", "Where is my order?")},
       expect("wismo", "P2").trigger("large_order")},
      {"p3_order_jpy_499", {order_in("A", "JPY", 499), says("A", "Where is my order?")}, expect("wismo", "P3")},
      {"p2_large_order_kwd_500_000", {order_in("A", "KWD", 500000), says("A", "Where is my order?")},
       expect("wismo", "P2").trigger("large_order")},
      {"p3_order_kwd_499_999", {order_in("A", "KWD", 499999), says("A", "Where is my order?")},
       expect("wismo", "P3")},

      // Seed 004, Priority 3: within 24 hours.
      {"p3_wismo",
       {order("A"), says("A", "Where is my order?")},
       expect("wismo", "P3").trigger("wismo").notice("team:warehouse:team_cs_request")},
      {"p3_wismo_shipped_gets_tracking",
       {order("A"), ship_tracked("A", "in_transit"), says("A", "Where is my order?")},
       expect("wismo", "P3").notice("customer:wismo_in_transit").check([](CaseWorld &, const Json &c) {
         EXPECT_EQ(c["initial_action"], "Sent tracking and the carrier's delivery estimate");
       })},
      {"p3_delivery_delay",
       {order("A"), ship_tracked("A", "delayed", "weather")},
       expect("shipping_delay", "P3")
           .trigger("delivery_delay")
           .notice("team:warehouse:team_cs_request")
           .notice("customer:shipping_delay")},
      {"p3_minor_packaging",
       {order("A"), says("A", "The packaging was a bit torn but the mug itself is fine")},
       expect("complaint", "P3").trigger("minor_packaging").notice("customer:complaint_acknowledgement")},
      {"p3_tracking_question",
       {order("A"), says("A", "Could you send me the tracking number please?")},
       expect("wismo", "P3").trigger("tracking")},
      {"p3_return_processing", {order("A"), return_line("A", "changed_mind")},
       expect("return", "P3").trigger("return_processing")},

      // Seed 004's SLA: an email unanswered past its 2 hours is a breach,
      // escalated to the team lead when the timers fire.
      {"p3_wismo_breached_first_response_escalates",
       {order("A"), says("A", "Where is my order?"), later(3 * kHourMs), timers_fire()},
       expect("wismo", "P3", "escalated").escalated("team_lead").check([](CaseWorld &s, const Json &c) {
         EXPECT_TRUE(c["breached"].get<bool>());
         EXPECT_EQ(s.escalations()[0]["kind"], "sla_breach");
       })},

      // Seed 004, red flags: escalate up at once.
      {"red_flag_legal_threat",
       {order("A"), says("A", "This is unacceptable. I will sue you, my lawyer has the details")},
       expect("complaint", "P1", "escalated")
           .flag("legal_threat")
           .escalated("legal")
           .notice("team:legal:team_escalation")},
      {"red_flag_repeated_complaints_same_sku",
       {order("B1", CustomerSpec("c-b1"), OrderOptions().with_items({LineSpec("LAMP-9")})),
        order("B2", CustomerSpec("c-b2"), OrderOptions().with_items({LineSpec("LAMP-9")})),
        order("B3", CustomerSpec("c-b3"), OrderOptions().with_items({LineSpec("LAMP-9")})),
        says("B1", kBroken, "email", CustomerSpec("c-b1")), later(kHourMs),
        says("B2", kBroken, "email", CustomerSpec("c-b2")), later(kDayMs),
        says("B3", kBroken, "email", CustomerSpec("c-b3"))},
       expect("damaged_item", "P2", "escalated")
           .of("B3")
           .flag("repeated_complaints")
           .trigger("repeated_complaints")
           .escalated("cs_manager")
           .check([](CaseWorld &s, const Json &c) {
             // The earlier two were not yet "several".
             for (const char *earlier : {"B1", "B2"})
               EXPECT_EQ(s.cases_of_order(earlier)[0]["escalation_level"], 0) << earlier;
             EXPECT_EQ(red_flag_evidence(c), "3 complaints about SKU LAMP-9 within 72h");
           })},
      {"repeated_complaints_past_the_threshold_are_at_least_one_more",
       // The store counts the others up to the threshold and no further.
       {order("B1", CustomerSpec("c-b1"), OrderOptions().with_items({LineSpec("LAMP-9")})),
        order("B2", CustomerSpec("c-b2"), OrderOptions().with_items({LineSpec("LAMP-9")})),
        order("B3", CustomerSpec("c-b3"), OrderOptions().with_items({LineSpec("LAMP-9")})),
        order("B4", CustomerSpec("c-b4"), OrderOptions().with_items({LineSpec("LAMP-9")})),
        says("B1", kBroken, "email", CustomerSpec("c-b1")), says("B2", kBroken, "email", CustomerSpec("c-b2")),
        says("B3", kBroken, "email", CustomerSpec("c-b3")), says("B4", kBroken, "email", CustomerSpec("c-b4"))},
       expect("damaged_item", "P2", "escalated")
           .of("B4")
           .flag("repeated_complaints")
           .escalated("cs_manager")
           .escalated("cs_manager")
           .check([](CaseWorld &, const Json &c) {
             EXPECT_EQ(red_flag_evidence(c), "at least 4 complaints about SKU LAMP-9 within 72h");
           })},
      {"repeated_complaints_outside_the_window_do_not_flag",
       {order("B1", CustomerSpec("c-b1"), OrderOptions().with_items({LineSpec("LAMP-9")})),
        order("B2", CustomerSpec("c-b2"), OrderOptions().with_items({LineSpec("LAMP-9")})),
        order("B3", CustomerSpec("c-b3"), OrderOptions().with_items({LineSpec("LAMP-9")})),
        says("B1", kBroken, "email", CustomerSpec("c-b1")), says("B2", kBroken, "email", CustomerSpec("c-b2")),
        later(73 * kHourMs), says("B3", kBroken, "email", CustomerSpec("c-b3"))},
       expect("damaged_item", "P2").of("B3")},
      {"repeated_complaints_about_other_skus_do_not_flag",
       {order("B1", CustomerSpec("c-b1"), OrderOptions().with_items({LineSpec("LAMP-1")})),
        order("B2", CustomerSpec("c-b2"), OrderOptions().with_items({LineSpec("LAMP-2")})),
        order("B3", CustomerSpec("c-b3"), OrderOptions().with_items({LineSpec("LAMP-3")})),
        says("B1", kBroken, "email", CustomerSpec("c-b1")), says("B2", kBroken, "email", CustomerSpec("c-b2")),
        says("B3", kBroken, "email", CustomerSpec("c-b3"))},
       expect("damaged_item", "P2").of("B3")},
      {"red_flag_media_influencer_by_text",
       {order("A"), says("A", "I'm a journalist and your service will be in the newspaper tomorrow")},
       expect("complaint", "P1", "escalated")
           .flag("media_influencer")
           .trigger("media_social")
           .escalated("social_media_manager")},
      {"red_flag_media_influencer_by_audience",
       {order("A"), says("A", "Still no parcel. Not impressed.", "social", kAnn,
                         MessageOptions().in_public().followers(250000))},
       expect("complaint", "P1", "escalated")
           .flag("media_influencer")
           .trigger("media_social")
           .escalated("social_media_manager")},
      {"red_flag_fraud_in_a_message",
       {order("A"), says("A", "I did not make this purchase, someone used my card")},
       expect("complaint", "P1", "escalated").flag("fraud_suspected").escalated("finance")},
      {"red_flag_fraud_dispute",
       {order("A"), disputed("A", "fraudulent")},
       expect("fraud_suspected", "P1", "escalated")
           .flag("fraud_suspected")
           .escalated("finance")
           .notice("team:finance:team_cs_request")},
      {"ordinary_dispute_is_a_p2_payment_case", {order("A"), disputed("A", "product_not_received")},
       expect("payment", "P2").trigger("payment_disputed")},
      {"red_flag_misconduct",
       {order("A"), says("A", "Your driver was rude and threw the parcel over the fence")},
       expect("complaint", "P2", "escalated").flag("misconduct").escalated("cs_manager")},

      // Seed 000's order-issue table.
      {"issue_item_missing",
       {order("A"), says("A", "One item is missing from my order")},
       expect("missing_item", "P2")
           .notice("team:warehouse:team_cs_request")
           .notice("customer:complaint_acknowledgement")},
      {"issue_cancellation_before_shipping",
       {order("A"), cancel("A"), update("A", "cancelled")},
       expect("cancellation_request", "P2")
           .decided("cancel")
           .notice("team:fulfilment:team_cs_request")
           .notice("customer:cancellation_confirmed")},
      {"issue_cancellation_when_packed",
       {order("A"), update("A", "packed"), cancel("A")},
       expect("cancellation_request", "P2").decided("ask_warehouse").notice("team:warehouse:team_cs_request")},
      {"issue_cancellation_after_shipping",
       {order("A"), update("A", "shipped"), cancel("A")},
       expect("cancellation_request", "P2")
           .decided("too_late")
           // No returns portal by default: the customer replies to start the return.
           .notice("customer:cancellation_already_shipped_no_portal")
           .no_notice("team:fulfilment:team_cs_request")},
      {"issue_out_of_stock",
       {order("A"), says("A", "Your site said it was available, now you tell me it is out of stock")},
       expect("out_of_stock", "P2").notice("team:warehouse:team_cs_request").check([](CaseWorld &, const Json &c) {
         EXPECT_EQ(c["team"], "inventory");
       })},
      {"inventory_discrepancy_hitting_an_open_order",
       {order("A"), stock("SKU-A", 10, 0)},
       expect("inventory_discrepancy", "P2")
           .where({{"type", "inventory_discrepancy"}})
           .trigger("inventory_shortfall")
           .notice("team:warehouse:team_cs_request")
           .check([](CaseWorld &s, const Json &) {
             // "Affecting other orders?": the order that is now short gets
             // its own out-of-stock case, and the customer a choice.
             const Json short_order = s.cases({{"order_id", "A"}});
             ASSERT_EQ(short_order.size(), 1u);
             EXPECT_EQ(short_order[0]["type"], "out_of_stock");
             const auto notices = s.notices_of(short_order[0]["id"].get<std::string>());
             EXPECT_NE(std::find(notices.begin(), notices.end(), "customer:out_of_stock_choice"), notices.end());
           })},
      {"inventory_discrepancy_with_enough_left_is_p3",
       {order("A"), stock("SKU-A", 10, 2)},
       expect("inventory_discrepancy", "P3")
           .where({{"type", "inventory_discrepancy"}})
           .check([](CaseWorld &s, const Json &) { EXPECT_TRUE(s.cases({{"order_id", "A"}}).empty()); })},
      {"payment_failed",
       {order("A"), payment_failed("A")},
       expect("payment", "P2").trigger("payment_failed").notice("team:finance:team_cs_request")},

      // Seed 004 "Need order rushed/changed": picked? packed? shipped?
      {"rush_not_picked_can_be_modified", {order("A"), change("A", "rush")},
       expect("order_change", "P3").decided("modify").notice("team:warehouse:team_cs_request")},
      {"rush_picked_asks_the_warehouse", {order("A"), update("A", "picked"), change("A", "rush")},
       expect("order_change", "P3").decided("ask_warehouse").notice("team:warehouse:team_cs_request")},
      {"address_change_packed_asks_the_warehouse", {order("A"), update("A", "packed"), change("A", "address")},
       expect("order_change", "P3").decided("ask_warehouse")},
      {"rush_shipped_is_too_late", {order("A"), update("A", "shipped"), change("A", "rush")},
       expect("order_change", "P3").decided("too_late").no_notice("team:warehouse:team_cs_request")},

      // One order's related events land on one case.
      {"wismo_joins_the_open_delay_case",
       {order("A"), ship("A", "delayed"), says("A", "Where is my order?")},
       expect("shipping_delay", "P3").check([](CaseWorld &, const Json &c) {
         EXPECT_EQ(c["customer_contacts"], 1);
         EXPECT_EQ(c["events"].size(), 2u);
       })},
      {"wismo_joins_an_open_case_of_another_family",
       {order("A"), says("A", "You sent me the wrong item"), says("A", "Where is my order?")},
       expect("wrong_item", "P2").check([](CaseWorld &, const Json &c) { EXPECT_EQ(c["customer_contacts"], 2); })},
      {"delay_then_failed_deliveries_stay_on_one_case",
       {order("A"), ship("A", "delayed"), ship("A", "delivery_failed"), later(kHourMs), ship("A", "delivery_failed")},
       expect("shipping_delay", "P2").trigger("multiple_failed_deliveries")},
      {"resolved_case_reopens_on_a_new_message_of_its_family",
       {order("A"), says("A", kBroken), agent("A", "case.assign", {{"agent", "sam"}}),
        agent("A", "case.resolve", kResolve), later(kDayMs), says("A", "The replacement arrived cracked as well")},
       expect("damaged_item", "P2", "reopened").check([](CaseWorld &s, const Json &c) {
         EXPECT_EQ(c["reopen_count"], 1);
         EXPECT_EQ(c["customer_contacts"], 2);
         // Reopened means pending again: no resolution date, a deadline ahead.
         EXPECT_TRUE(c["resolved_at"].is_null());
         EXPECT_GT(parse_rfc3339(c["resolution_due"].get<std::string>()).value_or(0), s.now());
       })},
      {"resolved_case_of_another_family_stays_resolved",
       {order("A"), says("A", kBroken), agent("A", "case.assign", {{"agent", "sam"}}),
        agent("A", "case.resolve", kResolve), says("A", "Where is my order?")},
       expect("wismo", "P3").count(2).check([](CaseWorld &s, const Json &) {
         EXPECT_EQ(s.cases({{"order_id", "A"}, {"status", "resolved"}}).size(), 1u);
       })},
      {"red_flag_on_a_resolved_case_reopens_and_escalates_it",
       {order("A"), says("A", kBroken), agent("A", "case.assign", {{"agent", "sam"}}),
        agent("A", "case.resolve", kResolve), says("A", "The replacement is cracked too, my lawyer will call you")},
       expect("damaged_item", "P1", "escalated").flag("legal_threat").escalated("legal")},
      {"closed_case_is_not_reopened_by_a_message",
       {order("A"), says("A", kBroken), agent("A", "case.assign", {{"agent", "sam"}}),
        agent("A", "case.resolve", kResolve),
        agent("A", "case.close", {{"agent", "sam"}, {"follow_up", "Customer confirmed by phone"}}),
        says("A", "The replacement arrived broken as well")},
       expect("damaged_item", "P2").count(2).check([](CaseWorld &s, const Json &) {
         EXPECT_EQ(s.cases({{"order_id", "A"}, {"status", "closed"}}).size(), 1u);
       })},
      {"vip_order_delay_is_not_a_vip_complaint_until_they_write",
       {order("A", kVip), ship("A", "delayed")},
       expect("shipping_delay", "P3")},
      {"vip_writing_about_a_delay_makes_it_p1",
       {order("A", kVip), ship("A", "delayed"), says("A", "Where is my order?", "email", kVip)},
       expect("shipping_delay", "P1", "escalated").trigger("vip_complaint").flag("vip_complaint").escalated("cs_manager")},
      {"lost_in_transit",
       {order("A"), ship("A", "lost")},
       expect("shipping_delay", "P2").trigger("lost_in_transit").notice("team:warehouse:team_cs_request")},
      {"priority_is_not_lowered_after_an_escalation",
       {order_in("A", "USD", 60000), says("A", "Where is my order?"),
        agent("A", "case.escalate", {{"reason", "customer asked for a manager"}}),
        update("A", "pending", UpdateOptions().with_total(1000))},
       expect("wismo", "P2", "escalated").escalated("cs_manager")},
      {"priority_follows_the_facts_before_an_escalation",
       {order_in("A", "USD", 60000), says("A", "Where is my order?"),
        update("A", "pending", UpdateOptions().with_total(1000))},
       expect("wismo", "P3")},
      {"priority_recomputed_when_the_order_arrives",
       {says("A", "Where is my order?", "email", CustomerSpec("c-val")),
        order("A", CustomerSpec("c-val", "Val", {"vip"}))},
       expect("wismo", "P1", "escalated")
           .trigger("vip_complaint")
           .flag("vip_complaint")
           .escalated("cs_manager")
           .check([](CaseWorld &, const Json &c) { EXPECT_EQ(c["customer_id"], "c-val"); })},
      {"an_older_update_does_not_roll_the_order_back",
       {order("A"), update("A", "shipped"), update_late("A", "processing", kHourMs), change("A", "rush")},
       expect("order_change", "P3").decided("too_late")},
      {"event_about_an_unknown_order_waits_for_it",
       {ship("A", "delayed"), later(kHourMs), order("A")},
       expect("shipping_delay", "P3").check([](CaseWorld &s, const Json &c) {
         EXPECT_TRUE(std::find(s.queued_effects().begin(), s.queued_effects().end(), "lookup_order:A") !=
                     s.queued_effects().end());
         EXPECT_EQ(c["events"].size(), 1u);
         EXPECT_EQ(c["customer_id"], "c-ann");
       })},
      {"escalation_before_the_order_is_known_names_the_customer_later",
       {disputed("A", "fraudulent"), order("A")},
       expect("fraud_suspected", "P1", "escalated")
           .flag("fraud_suspected")
           .escalated("finance")
           .check([](CaseWorld &s, const Json &c) {
             EXPECT_EQ(c["customer_id"], "c-ann");
             EXPECT_EQ(s.escalations()[0]["customer_name"], "Ann Archer");
           })},
      {"cancellation_before_the_order_is_known_is_decided_when_it_arrives",
       {cancel("A"), order("A")},
       expect("cancellation_request", "P2").decided("cancel").notice("team:fulfilment:team_cs_request")},

      // Messages in other languages and cases.
      {"wismo_german", {order("A"), says("A", "Wo ist meine Bestellung?")}, expect("wismo", "P3")},
      {"wismo_french", {order("A"), says("A", "Où est ma commande ?")}, expect("wismo", "P3")},
      {"wismo_french_upper_case", {order("A"), says("A", "OÙ EST MA COMMANDE ?")}, expect("wismo", "P3")},
      {"wismo_spanish", {order("A"), says("A", "¿Dónde está mi pedido?")}, expect("wismo", "P3")},
      {"wismo_japanese", {order("A"), says("A", "注文はどこですか？")}, expect("wismo", "P3")},
      {"wismo_shouting", {order("A"), says("A", "WHERE IS MY ORDER")}, expect("wismo", "P3")},
      {"damaged_german_upper_case", {order("A"), says("A", "Die Lampe ist BESCHÄDIGT angekommen")},
       expect("damaged_item", "P2")},
      {"damaged_french", {order("A"), says("A", "Le colis est arrivé endommagé")}, expect("damaged_item", "P2")},
      {"damaged_french_received", {order("A"), says("A", "J'ai reçu un article cassé")},
       expect("damaged_item", "P2")},
      {"damaged_spanish", {order("A"), says("A", "El producto llegó dañado")}, expect("damaged_item", "P2")},
      {"damaged_japanese", {order("A"), says("A", "商品が破損していました")}, expect("damaged_item", "P2")},
      {"legal_threat_german", {order("A"), says("A", "Ich schalte jetzt meinen Anwalt ein")},
       expect("complaint", "P1", "escalated").flag("legal_threat").escalated("legal")},
      {"issue_is_not_sue", {order("A"), says("A", "There is an issue you need to look at")},
       expect("complaint", "P3")},
  };
}

void PrintTo(const Row &row, std::ostream *os) { *os << row.name; }

Json observable_state(CaseWorld &world) {
  Json cases = Json::array();
  for (const auto &summary : world.cases()) {
    Json c = world.get_case(summary["id"].get<std::string>());
    for (auto &effect : c["effects"]) {
      effect.erase("status");
      effect.erase("attempts");
    }
    cases.push_back(std::move(c));
  }
  Json effects = world.effects();
  for (auto &effect : effects)
    for (const char *delivery : {"status", "attempts", "next_attempt_at", "last_error", "result"})
      effect.erase(delivery);
  const Json state = {
      {"cases", std::move(cases)}, {"escalations", world.escalations()}, {"effects", std::move(effects)}};
  static const std::regex kCommandId("cmd-[0-9a-f]+");
  return Json::parse(std::regex_replace(state.dump(), kCommandId, "cmd-*"));
}

void check_expectation(CaseWorld &world, const Expect &e) { check_row(world, e); }

void run_row(CaseWorld &world, const Row &row) {
  for (const auto &step : row.steps) {
    step(world);
    if (::testing::Test::HasFatalFailure()) return;
    world.advance(kMinuteMs);
  }
  check_row(world, row.expect);
}

}  // namespace ordercare::testing
