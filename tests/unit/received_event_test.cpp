// An event is read as the rules read it (runtime::view_of) on the thread
// that received it, so the writer's thread does not (runtime::ReceivedEvent).
// The view refers to the body's "data": it must still be the event's own
// after the event is moved (into an oc_submit_batch's slot, a delivery's
// vector that grows), and a type the rules do not know is left to ingest,
// which fails that event alone as it always has.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "common/failure.h"
#include "ingest/canonical_event.h"
#include "runtime/engine.h"

namespace ordercare::runtime {
namespace {

std::string event_text(const std::string &id, const std::string &type) {
  return R"({"id":")" + id + R"(","type":")" + type +
         R"(","occurred_at":"2026-11-20T10:00:00Z","source":"host","store":"nordhaven-us",)"
         R"("data":{"message_id":"chat-)" +
         id + R"(","order_id":"ord-)" + id +
         R"(","customer":{"id":"cus-1","name":"A. Placeholder","email":"a.placeholder@example.org"},)"
         R"("channel":"chat","text":"Where is my parcel?"}})";
}

ReceivedEvent received(const std::string &id, const std::string &type) {
  return ReceivedEvent(ingest::parse_canonical_event(event_text(id, type), 1 << 20));
}

TEST(ReceivedEvent, IsReadAsTheRulesReadItWhereItArrives) {
  const ReceivedEvent event = received("evt-1", "customer.message");
  ASSERT_TRUE(event.view);
  const domain::EventView expected = view_of(event.event.body);
  EXPECT_EQ(event.view->id, expected.id);
  EXPECT_EQ(event.view->type, expected.type);
  EXPECT_EQ(event.view->source, expected.source);
  EXPECT_EQ(event.view->occurred_at, expected.occurred_at);
  EXPECT_EQ(event.view->store, expected.store);
  EXPECT_EQ(&event.view->data, &event.event.body.at("data"));
}

TEST(ReceivedEvent, ItsViewStaysOnItsOwnDataWhenMoved) {
  std::vector<ReceivedEvent> events;  // grown one at a time: every growth moves them all
  for (int i = 0; i < 40; ++i) events.push_back(received("evt-" + std::to_string(i), "customer.message"));
  for (int i = 0; i < 40; ++i) {
    const ReceivedEvent &event = events[static_cast<std::size_t>(i)];
    ASSERT_TRUE(event.view);
    EXPECT_EQ(&event.view->data, &event.event.body.at("data")) << i;
    EXPECT_EQ(event.view->data.at("order_id"), "ord-evt-" + std::to_string(i));
    EXPECT_EQ(event.view->id, "evt-" + std::to_string(i));
  }
}

// The checks refuse an unknown type long before (OC_ERR_UNKNOWN_TYPE), but
// an event the store kept from before may name one the rules have since
// dropped: such an event is still received, without a view.
TEST(ReceivedEvent, ATypeWithNoRulesIsLeftToIngest) {
  ingest::CanonicalEvent kept = ingest::parse_canonical_event(event_text("evt-x", "customer.message"), 1 << 20);
  kept.type = "customer.unheard_of";
  kept.body["type"] = kept.type;
  const ReceivedEvent event(std::move(kept));
  EXPECT_FALSE(event.view);
  try {
    view_of(event.event.body);
    FAIL() << "view_of read a type the rules do not know";
  } catch (const Failure &failure) {
    EXPECT_EQ(failure.status(), OC_ERR_UNKNOWN_TYPE);
  }
}

}  // namespace
}  // namespace ordercare::runtime
