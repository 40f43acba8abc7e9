#include "ingest/event_validator.h"

#include <algorithm>

#include "common/embedded_document.h"
#include "common/event_type.h"
#include "common/failure.h"
#include "common/value_ranges.h"
#include "ingest/schema_validator.h"

namespace ordercare::ingest {

namespace {

struct EventSchema {
  SchemaValidator validator;
  std::vector<std::string> types;
  std::string types_text;  // "order.created, order.updated, ..."
};

EventSchema load_event_schema() {
  const auto text = embedded_document("events.schema.json");
  if (text.empty()) fail(OC_ERR_INTERNAL, "events.schema.json is not embedded in the library");
  EventSchema schema{SchemaValidator(parse_json(text, "events.schema.json")), {}, {}};
  // The schema's enum is the one list of types; everything else derives from it.
  for (const Json &type : schema.validator.document().at("/properties/type/enum"_json_pointer)) {
    schema.types.push_back(type.get<std::string>());
    schema.types_text += (schema.types.size() == 1 ? "" : ", ") + schema.types.back();
  }
  return schema;
}

const EventSchema &event_schema() {
  static const EventSchema schema = load_event_schema();
  return schema;
}

// What the schema cannot say: an order's lines are worth at most kMaxAmount
// together, so no refund or fee computed over them can overflow. The
// schema has bounded each price and quantity, so each step is exact.
void check_lines_value(const Json &data, const Json::json_pointer &items, const std::string &path) {
  if (!data.contains(items)) return;
  std::int64_t sum = 0;
  for (const Json &line : data.at(items)) {
    const auto price = line.at("unit_price").get<std::int64_t>();
    const auto quantity = line.at("quantity").get<std::int64_t>();
    if (price > 0 && quantity > (kMaxAmount - sum) / price)
      fail(OC_ERR_SCHEMA, path + ": the lines are worth more than " + std::to_string(kMaxAmount) +
                              " together (unit_price x quantity)");
    sum += price * quantity;
  }
}

}  // namespace

void validate_event(const Json &event) {
  const EventSchema &schema = event_schema();
  if (!event.is_object()) fail(OC_ERR_SCHEMA, "(root): expected a JSON object");
  // An unknown type is its own status, and it is reported before anything
  // else: the rest of the event cannot be judged without knowing its type.
  std::optional<EventType> type;
  if (const auto field = event.find("type"); field != event.end() && field->is_string()) {
    const auto &name = field->get_ref<const std::string &>();
    if (std::find(schema.types.begin(), schema.types.end(), name) == schema.types.end())
      fail(OC_ERR_UNKNOWN_TYPE,
           "type: unknown event type '" + name + "' (known: " + schema.types_text + ")");
    type = event_type_from(name);
  }
  // The schema says "csat or nps" with anyOf, whose first branch alone
  // would be reported ("data.csat: missing required field").
  if (const auto data = event.find("data"); type == EventType::feedback_received && data != event.end() &&
      data->is_object() && !data->contains("csat") && !data->contains("nps"))
    fail(OC_ERR_SCHEMA, "data: give csat (1 to 5), nps (0 to 10) or both");
  if (auto violation = schema.validator.validate(event))
    fail(OC_ERR_SCHEMA, violation->path + ": " + violation->message);
  if (type == EventType::order_created)
    check_lines_value(event.at("data"), "/order/items"_json_pointer, "data.order.items");
  if (type == EventType::order_updated)
    check_lines_value(event.at("data"), "/items"_json_pointer, "data.items");
}

const std::vector<std::string> &known_event_types() { return event_schema().types; }

}  // namespace ordercare::ingest
