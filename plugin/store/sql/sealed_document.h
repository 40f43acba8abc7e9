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
#include "domain/entities_json.h"
#include "domain/json_text.h"
#include "store/personal_fields.h"
#include "store/sql/connection.h"
#include "store/sql/pii_vault.h"
#include "store/sql/sealed_part.h"
#include "store/unreadable_row.h"

namespace ordercare::store::sql {

// Seals the document's personal parts under the key of `key_id` and
// serialises it. With `whole`, says whether it reads back as it was given:
// false when the key was erased and the personal parts were dropped.
std::string seal_document(PiiVault &vault, Document kind, Json doc, const std::string &key_id,
                          bool *whole = nullptr);
// seal_document(vault, kind, to_json(entity), ...), written straight from
// the entity by `w` (domain/json_text.h): the same text, without building
// the tree. Text that is not valid UTF-8 goes the old way, whose dump_json
// says what is wrong, as it always has.
// With `last`, the part the document's last write sealed: written again if
// this write's plaintext and key are the same. With `made`, the part this
// write sealed, or `again` when it wrote `last` again (sealed_part.h).
template <class Entity>
std::string seal_entity(PiiVault &vault, domain::json_fields::TextWriter &w, Document kind, const Entity &entity,
                        const std::string &key_id, bool *whole = nullptr, const SealedPart *last = nullptr,
                        SealedPart *made = nullptr);
// Parses a stored document and puts its personal parts back. An erased
// subject's parts are gone: the document reads without them, with "pii": {}
// and "pii_erased": true.
Json open_document(PiiVault &vault, const std::string &text);
// Every row of a statement whose first column is a case's body. With
// `skipped`, a row that cannot be read is left out and reported there (its
// id from the second column) instead of failing the whole read.
std::vector<domain::CaseRecord> read_cases(PiiVault &vault, Statement &select,
                                           std::vector<SkippedRow> *skipped = nullptr);

// Every row of `select` (body, id) decoded by `decode`, the unreadable ones
// left out and reported in `skipped` when it is given.
template <class Decode>
auto read_rows(Statement &select, std::vector<SkippedRow> *skipped, Decode decode) {
  std::vector<decltype(decode(std::string()))> out;
  for (std::size_t position = 0; select.step(); ++position) {
    try {
      out.push_back(decode(select.column_text(0)));
    } catch (const UnreadableRow &e) {
      if (!skipped) throw;
      skipped->push_back({select.column_text(1), e.what(), position});
    }
  }
  return out;
}

// One sealed value in a column of its own (an effect's result or error):
// the text stored, and the value it holds (nullopt once erased, or
// `erased_form` when one was given). A value stored before it was sealed
// reads as it is.
std::string seal_value(PiiVault &vault, const Json &value, const std::string &key_id,
                       const std::string &erased_form = {});
std::optional<Json> open_value(PiiVault &vault, const std::string &text);
bool is_sealed_value(const std::string &text);

// seal_entity once the writer has the document's text.
std::string seal_written(PiiVault &vault, domain::json_fields::TextWriter &w, const std::string &key_id, bool *whole,
                         const SealedPart *last, SealedPart *made);

template <class Entity>
std::string seal_entity(PiiVault &vault, domain::json_fields::TextWriter &w, Document kind, const Entity &entity,
                        const std::string &key_id, bool *whole, const SealedPart *last, SealedPart *made) {
  if (made) *made = {};
  w.begin(&document_personal(kind));
  domain::write_text(entity, w);
  if (!w.valid()) return seal_document(vault, kind, domain::to_json(entity), key_id, whole);
  return seal_written(vault, w, key_id, whole, last, made);
}

}  // namespace ordercare::store::sql
