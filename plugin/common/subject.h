// What a job claims (Store::claim), what a case is filed under, what a
// parked event waits for, whose key seals personal fields, and what a
// host's effects are ordered by. Each kind is built here and nowhere else,
// so no caller writes "order:" by hand; the spellings are stored in
// existing databases (claims, parked events, case subjects, effect
// ordering keys, PII key ids) and must never change.
#pragma once

#include <string>
#include <string_view>

namespace ordercare {

class Subject {
 public:
  static Subject order(std::string_view id);       // "order:<id>"
  static Subject customer(std::string_view id);    // "customer:<id>"
  static Subject sku(std::string_view sku);        // "sku:<sku>", the SKU at every location
  static Subject sku_at(std::string_view sku, std::string_view location);  // "sku:<sku>@<location>"
  static Subject case_record(std::string_view id);  // "case:<id>"
  static Subject transfer(std::string_view id);     // "transfer:<id>"
  static Subject team(std::string_view team);       // "team:<team>"
  static Subject digest(std::string_view recipient);  // "digest:<recipient>"
  static Subject event(std::string_view id);        // "event:<id>", an event about nothing known
  static Subject request(std::string_view id);      // "request:<id>", a command's request_id

  // The stored spelling.
  const std::string &str() const { return text_; }

  friend bool operator==(const Subject &, const Subject &) = default;

 private:
  Subject(std::string_view kind, std::string_view id);
  std::string text_;
};

}  // namespace ordercare
