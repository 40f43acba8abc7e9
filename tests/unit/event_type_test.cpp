// The event type vocabulary (common/event_type.h): each type spelt once,
// and the submittable ones exactly the types of abi/events.schema.json, so
// a type added to the schema and not to the enum (or the other way round)
// fails here rather than being refused or ignored at run time.
#include <fstream>
#include <set>
#include <sstream>
#include <string>

#include <gtest/gtest.h>

#include "common/event_type.h"
#include "common/json.h"

namespace ordercare {
namespace {

Json schema_document() {
  std::ifstream in(std::string(OC_TEST_SOURCE_DIR) + "/abi/events.schema.json", std::ios::binary);
  EXPECT_TRUE(in) << "abi/events.schema.json not found";
  std::stringstream text;
  text << in.rdbuf();
  return parse_json(text.str(), "events.schema.json");
}

std::set<std::string> submittable_names() {
  std::set<std::string> out;
  for (const EventType type : all_event_types())
    if (is_submittable(type)) out.insert(std::string(name_of(type)));
  return out;
}

TEST(EventType, EveryTypeRoundTripsThroughItsName) {
  std::set<std::string> seen;
  for (const EventType type : all_event_types()) {
    const std::string name(name_of(type));
    EXPECT_FALSE(name.empty());
    EXPECT_TRUE(seen.insert(name).second) << name << " is spelt for two types";
    EXPECT_EQ(event_type_from(name), type) << name;
  }
  EXPECT_EQ(all_event_types().size(), static_cast<std::size_t>(EventType::order_stock_shortfall) + 1);
}

TEST(EventType, OtherTextIsNoType) {
  for (const char *text : {"", "order", "order.", "Order.Created", "order.created ", "order_created",
                           "order.createdx", "shipment.update"})
    EXPECT_EQ(event_type_from(text), std::nullopt) << text;
}

TEST(EventType, SubmittableTypesAreTheSchemasEnum) {
  const Json schema = schema_document();
  std::set<std::string> in_schema;
  for (const Json &name : schema.at("/properties/type/enum"_json_pointer)) in_schema.insert(name.get<std::string>());
  EXPECT_EQ(submittable_names(), in_schema);
}

TEST(EventType, EverySubmittableTypeHasItsDataShapeInTheSchema) {
  const Json schema = schema_document();
  std::set<std::string> shaped;
  for (const Json &rule : schema.at("allOf"))
    if (auto it = rule.find("if"); it != rule.end())
      shaped.insert(it->at("/properties/type/const"_json_pointer).get<std::string>());
  EXPECT_EQ(submittable_names(), shaped);
}

TEST(EventType, InternalTypesAreNotSubmittable) {
  EXPECT_FALSE(is_submittable(EventType::order_stock_shortfall));
  EXPECT_EQ(name_of(EventType::order_stock_shortfall), "order.stock_shortfall");
}

}  // namespace
}  // namespace ordercare
