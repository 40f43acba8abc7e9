#include "store/sql/sealed_document.h"

#include "domain/entities_json.h"

namespace ordercare::store::sql {

namespace {

// Documents written before the personal fields were taken out sealed their
// "pii" object as it was; now "pii" seals {"<pointer>": value}.
bool holds_pointers(const Json &fields) {
  for (auto it = fields.begin(); it != fields.end(); ++it)
    if (it.key().empty() || it.key()[0] != '/') return false;
  return true;
}

// A document whose one personal part is an empty "pii" object has nothing
// to hide: it keeps "pii": {} in the clear, which open_document reads back
// as it read the sealed form, and no key is made for a subject that has
// never had personal data. About one seal in five on the sample day was of
// this text.
constexpr std::string_view kNothingPersonal = "{\"/pii\":{}}";

bool nothing_personal(const Json &fields) {
  if (fields.size() != 1) return false;
  const auto pii = fields.find("/pii");
  return pii != fields.end() && pii->is_object() && pii->empty();
}

constexpr const char *kSealedValuePrefix = "{\"$key\"";
constexpr const char *kErasedValue = "{\"$erased\":true}";

}  // namespace

std::string seal_document(PiiVault &vault, Document kind, Json doc, const std::string &key_id, bool *whole) {
  const Json fields = take_personal_fields(kind, doc);
  if (whole) *whole = true;
  if (nothing_personal(fields)) {
    doc["pii"] = Json::object();
  } else if (!fields.empty()) {
    doc["pii"] = vault.seal(key_id, fields);
    if (whole && doc["pii"].empty()) *whole = false;
  }
  return dump_json(doc);
}

std::string seal_written(PiiVault &vault, domain::json_fields::TextWriter &w, const std::string &key_id, bool *whole,
                         const SealedPart *last, SealedPart *made) {
  if (whole) *whole = true;
  if (!w.took()) return w.finish();
  // The text dump_json(fields) was, sealed as it is: the same plaintext as
  // documents written before, read the same way.
  const std::string &fields = w.taken_text();
  if (fields == kNothingPersonal) {
    w.raw_member("pii", "{}");
  } else if (last && !last->sealed.empty() && last->key_id == key_id && last->plaintext == fields) {
    w.raw_member("pii", last->sealed);
    if (made) made->again = true;
  } else {
    std::string sealed = vault.seal_dumped(key_id, fields);
    w.raw_member("pii", sealed);
    if (sealed == "{}") {
      if (whole) *whole = false;  // the subject was erased: its new personal part is not kept
    } else if (made) {
      *made = SealedPart{key_id, fields, std::move(sealed)};
    }
  }
  return w.finish();
}

Json open_document(PiiVault &vault, const std::string &text) {
  Json doc;
  try {
    doc = parse_json(text, "stored document");
  } catch (const Failure &e) {
    throw UnreadableRow(OC_ERR_STORE, e.what());
  }
  auto sealed = doc.find("pii");
  if (sealed == doc.end()) return doc;
  auto fields = vault.open(*sealed);
  if (!fields) {
    doc["pii"] = Json::object();
    doc["pii_erased"] = true;
    return doc;
  }
  if (!holds_pointers(*fields) || fields->empty()) {
    doc["pii"] = *fields;
    return doc;
  }
  doc.erase("pii");
  restore_personal_fields(doc, *fields);
  if (!doc.contains("pii")) doc["pii"] = Json::object();
  return doc;
}

std::vector<domain::CaseRecord> read_cases(PiiVault &vault, Statement &select, std::vector<SkippedRow> *skipped) {
  if (!skipped) {
    std::vector<domain::CaseRecord> out;
    while (select.step()) out.push_back(domain::case_from_json(open_document(vault, select.column_text(0))));
    return out;
  }
  return read_rows(select, skipped,
                   [&](const std::string &body) { return domain::case_from_json(open_document(vault, body)); });
}

std::string seal_value(PiiVault &vault, const Json &value, const std::string &key_id,
                       const std::string &erased_form) {
  Json sealed = vault.seal(key_id, Json{{"value", value}});
  // An erased subject's new value is not kept either.
  if (sealed.empty()) return erased_form.empty() ? kErasedValue : dump_json(Json{{"$erased", erased_form}});
  if (!erased_form.empty()) sealed["$erased"] = erased_form;
  return dump_json(sealed);
}

std::optional<Json> open_value(PiiVault &vault, const std::string &text) {
  if (text == kErasedValue) return std::nullopt;
  if (!is_sealed_value(text)) return Json(text);
  const Json stored = parse_json(text, "sealed value");
  std::optional<Json> opened = stored.contains("$sealed") ? vault.open(stored) : std::nullopt;
  if (opened) return opened->value("value", Json());
  if (auto form = stored.find("$erased"); form != stored.end() && form->is_string()) return *form;
  return std::nullopt;
}

bool is_sealed_value(const std::string &text) {
  return text.rfind(kSealedValuePrefix, 0) == 0 || text.rfind("{\"$erased\"", 0) == 0;
}

}  // namespace ordercare::store::sql
