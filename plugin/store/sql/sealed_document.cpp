#include "store/sql/sealed_document.h"

#include "domain/entities_json.h"

namespace ordercare::store::sql {

std::string seal_document(PiiVault &vault, Json doc, const std::string &key_id) {
  if (doc.contains("pii")) doc["pii"] = vault.seal(key_id, doc["pii"]);
  return dump_json(doc);
}

Json open_document(PiiVault &vault, const std::string &text) {
  Json doc = parse_json(text, "stored document");
  if (doc.contains("pii")) {
    auto pii = vault.open(doc["pii"]);
    doc["pii"] = pii ? *pii : Json::object();
    if (!pii) doc["pii_erased"] = true;
  }
  return doc;
}

std::vector<domain::CaseRecord> read_cases(PiiVault &vault, Statement &select) {
  std::vector<domain::CaseRecord> out;
  while (select.step()) out.push_back(domain::case_from_json(open_document(vault, select.column_text(0))));
  return out;
}

}  // namespace ordercare::store::sql
