// Decisions where the policy can decide (issue 12, point 4): a return none
// of whose items may come back (outside the window, final sale, a condition
// the shop does not take) is rejected by the plugin with the reasons and a
// polite customer notice (policy returns.auto_reject, on by default; off,
// an agent decides as before). A partly eligible return is approved for the
// eligible lines and the customer told why the rest is not; nothing is ever
// refunded for a line policy turned down.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "support/scenario.h"
#include "support/sla_support.h"

namespace ordercare::testing {
namespace {

const CustomerSpec kAnn("c-ann", "Ann Example", {}, "ann@example.org");

bool has(const std::string &text, const std::string &part) { return text.find(part) != std::string::npos; }


// Order A: a lamp (USD 45.00, line L1) and a mug (USD 30.00, line L2),
// delivered now.
void delivered_order(Scenario &s) {
  s.submit(s.order_created("A", kAnn,
                           OrderOptions().with_items({LineSpec("LAMP-1", 4500, 1, "Desk lamp"),
                                                      LineSpec("MUG-1", 3000, 1, "Stoneware mug")})));
  s.submit(s.order_updated("A", "delivered"));
}

Json final_sale_mugs(bool auto_reject = true) {
  return {{"policy", {{"returns", {{"final_sale_skus", {"MUG-1"}}, {"auto_reject", auto_reject}}}}}};
}

// Everything refunded or asked to be refunded for order A.
std::vector<Json> refunds_of_a(Scenario &s, const TestHost &host) {
  std::vector<Json> out;
  for (const auto &e : s.effects({{"kind", "refund"}, {"order_id", "A"}})) out.push_back(e);
  EXPECT_EQ(out.size(), host.requests("refund").size());
  return out;
}

// The request is rejected with `reason` in its rejection and the
// customer's notice; no refund is asked for.
void expect_rejected(Scenario &s, const TestHost &host, const std::string &reason) {
  const Json r = s.get_return("R-1");
  EXPECT_EQ(r["status"], "rejected");
  ASSERT_TRUE(r["rejection_reason"].is_string()) << r.dump();
  EXPECT_TRUE(has(r["rejection_reason"], reason)) << r["rejection_reason"];
  const Json notice = the_notice(host, "return_rejected");
  ASSERT_TRUE(notice.is_object());
  EXPECT_EQ(notice["audience"], "customer");
  const std::string text = notice["message"]["text"];
  EXPECT_TRUE(has(text, "we cannot accept this return: ")) << text;
  EXPECT_TRUE(has(text, reason)) << text;
  EXPECT_TRUE(refunds_of_a(s, host).empty());
  const Json c = s.get_case(r["case_id"]);
  bool logged = false;
  for (const auto &entry : log_entries(c, "return"))
    logged = logged || (entry["details"].value("status", "") == "rejected" && entry["actor"] == "system");
  EXPECT_TRUE(logged) << "the case log says the policy rejected it";
}

TEST(AutoReject, ARequestOutsideTheWindowIsRejectedWithTheReason) {
  TestHost host;
  Scenario s(host);
  delivered_order(s);
  s.advance(31 * kDayMs);
  s.submit(s.return_requested("A", {ReturnLine("L1"), ReturnLine("L2")}, "R-1"));
  s.poll_all();
  expect_rejected(s, host, "Desk lamp: outside the 30-day return window");
  EXPECT_TRUE(has(s.get_return("R-1")["rejection_reason"], "Stoneware mug: outside the 30-day return window"));
}

TEST(AutoReject, AFinalSaleItemIsRejected) {
  TestHost host;
  Scenario s(host, final_sale_mugs());
  delivered_order(s);
  s.submit(s.return_requested("A", {ReturnLine("L2")}, "R-1"));
  s.poll_all();
  expect_rejected(s, host, "Stoneware mug: final-sale item");
}

TEST(AutoReject, AConditionTheShopDoesNotTakeIsRejected) {
  TestHost host;
  Scenario s(host);
  delivered_order(s);
  s.submit(s.return_requested("A", {ReturnLine("L1", "changed_mind", 1, "", "used")}, "R-1"));
  s.poll_all();
  expect_rejected(s, host, "Desk lamp: condition 'used' is not accepted for returns");
}

TEST(AutoReject, ARejectedReturnIsNeverRefundedEvenIfItArrives) {
  TestHost host;
  Scenario s(host, final_sale_mugs());
  delivered_order(s);
  s.submit(s.return_requested("A", {ReturnLine("L2")}, "R-1"));
  s.submit(s.return_received("R-1", Json::array({{{"line_id", "L2"}, {"quantity", 1}, {"condition", "resellable"}}})));
  s.poll_all();
  EXPECT_EQ(s.get_return("R-1")["status"], "rejected");
  EXPECT_TRUE(refunds_of_a(s, host).empty());
  EXPECT_EQ(s.error("return.refund", {{"id", "R-1"}}).status, OC_ERR_TRANSITION);
}

TEST(AutoReject, OffTheRequestWaitsForAnAgentAsBefore) {
  TestHost host;
  Scenario s(host, final_sale_mugs(false));
  delivered_order(s);
  s.submit(s.return_requested("A", {ReturnLine("L2")}, "R-1"));
  s.poll_all();
  const Json r = s.get_return("R-1");
  EXPECT_EQ(r["status"], "requested");
  EXPECT_TRUE(notices(host, "return_rejected").empty());
  const Json c = s.get_case(r["case_id"]);
  EXPECT_TRUE(contains(c["follow_ups"], "Return R-1 is not eligible: reject it with the reason or approve an exception"))
      << c["follow_ups"];
  // The agent's decision is as it was.
  s.call("return.reject", {{"id", "R-1"}, {"reason", "final sale"}});
  s.poll_all();
  EXPECT_TRUE(has(the_notice(host, "return_rejected")["message"]["text"], "final sale"));
  EXPECT_TRUE(refunds_of_a(s, host).empty());
}

TEST(PartlyEligible, TheEligibleLinesAreApprovedAndTheRestExplained) {
  TestHost host;
  Scenario s(host, final_sale_mugs());
  delivered_order(s);
  s.submit(s.return_requested("A", {ReturnLine("L1"), ReturnLine("L2")}, "R-1"));
  s.poll_all();
  const Json r = s.get_return("R-1");
  EXPECT_EQ(r["status"], "approved");
  EXPECT_EQ(r["items"][0]["eligible"], true);
  EXPECT_EQ(r["items"][1]["eligible"], false);
  EXPECT_TRUE(notices(host, "return_rejected").empty());
  const Json notice = the_notice(host, "return_partly_approved");
  ASSERT_TRUE(notice.is_object());
  const std::string text = notice["message"]["text"];
  EXPECT_TRUE(has(text, "We have approved the return of:\n- 1 x Desk lamp\n")) << text;
  EXPECT_TRUE(has(text, "cannot take back the rest of your request:\n- Stoneware mug: final-sale item\n")) << text;
  EXPECT_FALSE(has(text, "{{")) << text;
}

TEST(PartlyEligible, OnlyTheApprovedLinesAreRefunded) {
  TestHost host;
  Scenario s(host, final_sale_mugs());
  delivered_order(s);
  s.submit(s.return_requested("A", {ReturnLine("L1"), ReturnLine("L2")}, "R-1"));
  // The warehouse gets both back: the mug is not accepted on the return.
  s.submit(s.return_received("R-1", Json::array({{{"line_id", "L1"}, {"quantity", 1}, {"condition", "resellable"}},
                                                 {{"line_id", "L2"}, {"quantity", 1}, {"condition", "resellable"}}})));
  EXPECT_EQ(s.get_return("R-1")["status"], "approved") << "a receipt naming the mug changes nothing";
  s.submit(s.return_received("R-1", Json::array({{{"line_id", "L1"}, {"quantity", 1}, {"condition", "resellable"}}})));
  // An agent's refund cannot reach the mug either.
  EXPECT_EQ(s.error("return.refund", {{"id", "R-1"}, {"amount", 3000}}).status, OC_ERR_REFUSED);
  s.poll_all();
  const auto refunds = host.requests("refund");
  ASSERT_EQ(refunds.size(), 1u);
  EXPECT_EQ(refunds[0].body["amount"]["amount"], 4500) << "the lamp, not the mug";
  ASSERT_EQ(refunds[0].body["lines"].size(), 1u);
  EXPECT_EQ(refunds[0].body["lines"][0]["line_id"], "L1");
}

}  // namespace
}  // namespace ordercare::testing
