// JSON forms of the entities: what the store keeps and what oc_call returns.
// Times are RFC 3339 in results; the stored form is the same document.
#pragma once

#include "domain/entities.h"

namespace ordercare::domain::json_fields {
class TextWriter;
}  // namespace ordercare::domain::json_fields

namespace ordercare::domain {

Json to_json(const Order &order);
Order order_from_json(const Json &json);
// The entity's fields written by `w` (begun on the document) straight to
// text: the members to_json gives, without the tree (json_text.h).
void write_text(const Order &order, json_fields::TextWriter &w);
void write_text(const Customer &customer, json_fields::TextWriter &w);
void write_text(const CaseRecord &c, json_fields::TextWriter &w);
void write_text(const CaseLogEntry &entry, json_fields::TextWriter &w);
void write_text(const Escalation &e, json_fields::TextWriter &w);
void write_text(const Effect &effect, json_fields::TextWriter &w);

Json to_json(const OrderAction &action);
OrderAction order_action_from_json(const Json &json);

Json to_json(const Customer &customer);
Customer customer_from_json(const Json &json);

Json to_json(const CaseRecord &c);
CaseRecord case_from_json(const Json &json);
// A case as a queue lists it (cases.list): its key fields, no log or clocks.
Json summary_json(const CaseRecord &c);

Json to_json(const CaseLogEntry &entry);
CaseLogEntry log_entry_from_json(const Json &json);

Json to_json(const Escalation &e);
Escalation escalation_from_json(const Json &json);

Json to_json(const Effect &effect);
Effect effect_from_json(const Json &json);

}  // namespace ordercare::domain
