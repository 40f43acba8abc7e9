#include "common/subject.h"

namespace ordercare {

Subject::Subject(std::string_view kind, std::string_view id) {
  text_.reserve(kind.size() + 1 + id.size());
  text_.append(kind).append(1, ':').append(id);
}

Subject Subject::order(std::string_view id) { return Subject("order", id); }
Subject Subject::customer(std::string_view id) { return Subject("customer", id); }
Subject Subject::sku(std::string_view sku) { return Subject("sku", sku); }

Subject Subject::sku_at(std::string_view sku, std::string_view location) {
  Subject out("sku", sku);
  out.text_.append(1, '@').append(location);
  return out;
}

Subject Subject::case_record(std::string_view id) { return Subject("case", id); }
Subject Subject::transfer(std::string_view id) { return Subject("transfer", id); }
Subject Subject::team(std::string_view team) { return Subject("team", team); }
Subject Subject::digest(std::string_view recipient) { return Subject("digest", recipient); }
Subject Subject::event(std::string_view id) { return Subject("event", id); }
Subject Subject::request(std::string_view id) { return Subject("request", id); }

}  // namespace ordercare
