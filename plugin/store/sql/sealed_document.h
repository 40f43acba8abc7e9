// Stored documents (orders, customers, cases, log entries, returns) are
// JSON with their personal fields under "pii": sealed on the way in with
// the subject's key, opened on the way out. One place for both directions,
// whichever part of the store reads or writes the document.
#pragma once

#include <string>
#include <vector>

#include "common/json.h"
#include "domain/entities.h"
#include "store/sql/connection.h"
#include "store/sql/pii_vault.h"

namespace ordercare::store::sql {

// Seals doc["pii"] under the key of `key_id` and serialises the document.
std::string seal_document(PiiVault &vault, Json doc, const std::string &key_id);
// Parses a stored document and opens its pii (an erased subject's pii
// reads as {} with "pii_erased": true).
Json open_document(PiiVault &vault, const std::string &text);
// Every row of a statement whose first column is a case's body.
std::vector<domain::CaseRecord> read_cases(PiiVault &vault, Statement &select);

}  // namespace ordercare::store::sql
