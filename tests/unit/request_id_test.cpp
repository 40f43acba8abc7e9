// Commands keyed by the caller's request_id (issue 10, point 4; Stripe's
// Idempotency-Key): a host that crashed after oc_call, or cannot tell
// whether its call got through, calls again with the same request_id and
// gets the first answer back while nothing happens a second time; the same
// request_id with other arguments, or for another command, is refused and
// changes nothing.
#include <gtest/gtest.h>

#include <string>

#include "support/scenario.h"

namespace ordercare::testing {
namespace {

const CustomerSpec kAnn("c-ann", "Ann Archer", {}, "ann@example.org");

// A delivered order of 90.00 with a case about it.
std::string delivered_order_with_case(Scenario &s, const std::string &order_id = "A") {
  s.submit(s.order_created(order_id, kAnn,
                           OrderOptions().with_items({LineSpec("SKU-MUG", 2500, 2), LineSpec("SKU-LAMP", 4000, 1)})));
  s.advance(kHourMs);
  s.submit(s.order_updated(order_id, "delivered"));
  s.advance(kHourMs);
  return s.submit(s.message(kAnn, order_id, "email", "The lamp is broken"))["cases"][0];
}

std::size_t refunds_of(Scenario &s, const std::string &order_id) {
  return s.call("order.get", {{"id", order_id}})["refunds"].size();
}

std::size_t host_refunds(const TestHost &host) { return host.requests("refund").size(); }

// Everything a retry must leave as it was.
Json everything(Scenario &s, const std::string &order_id, const std::string &case_id) {
  return {{"order", s.call("order.get", {{"id", order_id}})},
          {"case", s.get_case(case_id)},
          {"effects", s.effects()}};
}

TEST(RequestId, ARetriedOrderRefundReturnsTheFirstAnswerAndBooksOneRefund) {
  TestHost host;
  Scenario s(host);
  const std::string case_id = delivered_order_with_case(s);
  const Json args = {{"order_id", "A"}, {"amount", 1500}, {"reason", "goodwill"}, {"request_id", "req-7f3a"}};
  const Json first = s.call("order.refund", args);
  ASSERT_EQ(first["refunds"].size(), 1u);
  const Json after_first = everything(s, "A", case_id);
  s.advance(kMinuteMs);
  const Json again = s.call("order.refund", args);
  EXPECT_EQ(again, first) << "a retry answers what the first call answered";
  EXPECT_EQ(everything(s, "A", case_id), after_first) << "and changes nothing";
  s.poll_all();
  EXPECT_EQ(host_refunds(host), 1u);
  EXPECT_EQ(refunds_of(s, "A"), 1u);
  // Without a request_id each call is a command of its own, as before.
  s.call("order.refund", {{"order_id", "A"}, {"amount", 1500}, {"reason", "goodwill"}});
  EXPECT_EQ(refunds_of(s, "A"), 2u);
}

// The host crashes after oc_call returned (or while it ran) and, once back,
// calls again: the answer was kept in the same transaction as the refund.
TEST(RequestId, ARetryAfterTheHostRestartsBooksNoSecondRefund) {
  TestHost host;
  Scenario s(host);
  delivered_order_with_case(s);
  const Json args = {{"order_id", "A"}, {"amount", 900}, {"reason", "late"}, {"request_id", "crash-1"}};
  const Json first = s.call("order.refund", args);
  s.reopen();
  EXPECT_EQ(s.call("order.refund", args), first);
  s.poll_all();
  EXPECT_EQ(host_refunds(host), 1u);
  EXPECT_EQ(refunds_of(s, "A"), 1u);
}

TEST(RequestId, TheSameIdWithOtherArgumentsIsRefusedAndChangesNothing) {
  Scenario s;
  const std::string case_id = delivered_order_with_case(s);
  s.call("order.refund", {{"order_id", "A"}, {"amount", 1500}, {"reason", "goodwill"}, {"request_id", "r1"}});
  const Json before = everything(s, "A", case_id);
  const CallError other_amount = s.error(
      "order.refund", {{"order_id", "A"}, {"amount", 1600}, {"reason", "goodwill"}, {"request_id", "r1"}});
  EXPECT_EQ(other_amount.status, OC_ERR_REFUSED);
  EXPECT_NE(other_amount.message.find("request_id 'r1' was used for another call"), std::string::npos)
      << other_amount.message;
  // Another command under the same id is refused too.
  const CallError other_method = s.error(
      "case.note", {{"id", case_id}, {"agent", "kim"}, {"text", "called the carrier"}, {"request_id", "r1"}});
  EXPECT_EQ(other_method.status, OC_ERR_REFUSED);
  EXPECT_EQ(everything(s, "A", case_id), before);
}

TEST(RequestId, ArgumentsInAnotherOrderAreTheSameArguments) {
  Scenario s;
  delivered_order_with_case(s);
  const Json first = s.call_raw(
      "order.refund", R"({"request_id": "r2", "order_id": "A", "amount": 700, "reason": "goodwill"})");
  const Json again = s.call_raw(
      "order.refund", R"({"reason": "goodwill", "amount": 700, "order_id": "A", "request_id": "r2"})");
  EXPECT_EQ(again, first);
  EXPECT_EQ(refunds_of(s, "A"), 1u);
}

TEST(RequestId, ARetriedReplyIsRecordedOnce) {
  Scenario s;
  const std::string case_id = delivered_order_with_case(s);
  const Json args = {{"id", case_id}, {"agent", "kim"}, {"channel", "email"},
                     {"text", "A new lamp is on its way"}, {"request_id", "reply-1"}};
  const Json first = s.call("case.reply", args);
  const std::size_t log_size = s.get_case(case_id)["log"].size();
  s.advance(kMinuteMs);
  EXPECT_EQ(s.call("case.reply", args), first);
  EXPECT_EQ(s.get_case(case_id)["log"].size(), log_size);
}

TEST(RequestId, ARetriedReturnRefundRefundsOnce) {
  TestHost host;
  Scenario s(host, {{"policy", {{"returns", {{"auto_approve", true}}}}}});
  delivered_order_with_case(s);
  s.submit(s.return_requested("A", {ReturnLine("L2")}, "R1"));
  const Json args = {{"id", "R1"}, {"amount", 1000}, {"request_id", "rr-1"}};
  const Json first = s.call("return.refund", args);
  EXPECT_EQ(s.call("return.refund", args), first);
  s.poll_all();
  EXPECT_EQ(host_refunds(host), 1u);
  EXPECT_EQ(s.get_return("R1")["refunds"].size(), 1u);
}

// A command that failed left nothing behind, its request_id included: the
// retry runs it again (and can succeed once the cause is gone).
TEST(RequestId, AFailedCommandCanBeRetriedUnderItsId) {
  Scenario s;
  delivered_order_with_case(s);
  const Json args = {{"order_id", "B"}, {"amount", 500}, {"reason", "goodwill"}, {"request_id", "r3"}};
  EXPECT_EQ(s.error("order.refund", args).status, OC_ERR_NOT_FOUND);
  s.submit(s.order_created("B", kAnn, OrderOptions().with_items({LineSpec("SKU-MUG", 2500, 1)})));
  EXPECT_EQ(s.call("order.refund", args)["refunds"].size(), 1u);
}

TEST(RequestId, AMalformedIdIsASchemaErrorAndChangesNothing) {
  Scenario s;
  const std::string case_id = delivered_order_with_case(s);
  const Json before = everything(s, "A", case_id);
  for (const Json &bad : {Json(""), Json(42), Json(nullptr), Json(std::string(201, 'x')), Json::array()}) {
    SCOPED_TRACE(bad.dump());
    const CallError e =
        s.error("order.refund", {{"order_id", "A"}, {"amount", 500}, {"reason", "goodwill"}, {"request_id", bad}});
    EXPECT_EQ(e.status, OC_ERR_SCHEMA);
    EXPECT_NE(e.message.find("request_id"), std::string::npos) << e.message;
  }
  EXPECT_EQ(everything(s, "A", case_id), before);
}

// The kept answer quotes the customer's order: it is sealed under their key
// and goes with it when they are erased; the id cannot be reused after.
TEST(RequestId, AnAnswerKeptForAnErasedCustomerIsGoneAndTheIdStaysUsed) {
  Scenario s;
  delivered_order_with_case(s);
  const Json args = {{"order_id", "A"}, {"amount", 500}, {"reason", "goodwill"}, {"request_id", "r4"}};
  s.call("order.refund", args);
  s.call("customer.erase", {{"customer_id", kAnn.id}});
  const CallError e = s.error("order.refund", args);
  EXPECT_EQ(e.status, OC_ERR_REFUSED);
  EXPECT_NE(e.message.find("erased"), std::string::npos) << e.message;
  EXPECT_EQ(refunds_of(s, "A"), 1u);
}

}  // namespace
}  // namespace ordercare::testing
