// What of all the store keeps is personal, in one table: those parts are
// sealed under their subject's key (sql/pii_vault.h) and are gone for good
// when the customer is erased; the rest stays readable for audit, queues
// and anonymous metrics. Two rules:
//
//   Events: everything under `data`, and any envelope field the schema does
//   not name, except the fields named here as not personal (ids, types,
//   statuses, amounts, SKUs, quantities, times). A field nobody listed (a
//   platform's billing address, an unknown extra) is sealed by default.
//
//   Documents (orders, customers, cases, log entries, escalations, returns,
//   effects): the document's `pii` object and every free-text field a
//   person wrote or that quotes one (an agent's resolution or reason, a
//   customer's reported condition, the host's answer and reason).
//
// Parts travel as {"<json pointer>": value}; a pointer segment "*" in the
// tables stands for every element of an array.
#pragma once

#include "common/json.h"
#include "domain/json_text.h"

namespace ordercare::store {

enum class Document {
  order,
  customer,
  case_record,
  log_entry,
  escalation,
  return_record,
  effect,  // a refund, an adjustment, a lookup: its free-text reason, the host's answer
  notice,  // to a customer or a team: the whole payload, which quotes them (the last: document_personal)
};

// Moves the personal parts out of a whole canonical event.
Json take_personal_event_fields(Json &event);

// An event as the log keeps it: the body without its personal parts, and
// those parts apart (an object; "" when there are none), still to be sealed
// under their subject's key, both as JSON text. Pure: the thread that
// received the event (the host's, the webhook server's) splits and writes
// them, and the writer's only seals: a webhook's personal parts hold every
// platform field ordercare does not read, and writing their text was a
// fifth of the writer's work on a Shopify order.
struct EventForLog {
  std::string body;
  std::string personal;
};
EventForLog split_for_log(const Json &event);
// Moves the personal parts out of a document of this kind.
Json take_personal_fields(Document kind, Json &doc);
// The same parts, for a writer that writes a document's text without its
// tree and takes them out on the way (domain/json_text.h).
const domain::json_fields::Personal &document_personal(Document kind);
// Puts back what take_* took out, making the containers on the way.
void restore_personal_fields(Json &doc, const Json &fields);

}  // namespace ordercare::store
