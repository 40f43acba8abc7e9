// Stored documents (orders, customers, cases, log entries, escalations,
// returns, effects) keep their personal parts (store/personal_fields.h)
// sealed with the subject's key, in the document's "pii" member: taken out
// and sealed on the way in, opened and put back on the way out. One place
// for both directions, whichever part of the store reads or writes.
#pragma once

#include <string>
#include <vector>

#include "common/json.h"
#include "domain/entities.h"
#include "store/personal_fields.h"
#include "store/sql/connection.h"
#include "store/sql/pii_vault.h"

namespace ordercare::store::sql {

// Seals the document's personal parts under the key of `key_id` and
// serialises it.
std::string seal_document(PiiVault &vault, Document kind, Json doc, const std::string &key_id);
// Parses a stored document and puts its personal parts back. An erased
// subject's parts are gone: the document reads without them, with "pii": {}
// and "pii_erased": true.
Json open_document(PiiVault &vault, const std::string &text);
// Every row of a statement whose first column is a case's body.
std::vector<domain::CaseRecord> read_cases(PiiVault &vault, Statement &select);

// One sealed value in a column of its own (an effect's result or error):
// the text stored, and the value it holds (nullopt once erased, or
// `erased_form` when one was given). A value stored before it was sealed
// reads as it is.
std::string seal_value(PiiVault &vault, const Json &value, const std::string &key_id,
                       const std::string &erased_form = {});
std::optional<Json> open_value(PiiVault &vault, const std::string &text);
bool is_sealed_value(const std::string &text);

}  // namespace ordercare::store::sql
