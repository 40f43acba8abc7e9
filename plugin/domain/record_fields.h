// The fields of a record's stored JSON (returns, transfers), read and
// written one way: a missing or mistyped field reads as empty, zero or
// absent, since the documents are this code's own and an older one only
// lacks the fields added since.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "common/json.h"
#include "common/time_format.h"

namespace ordercare::domain::record_fields {

inline std::string text(const Json &j, const char *key) {
  auto it = j.find(key);
  return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
}

inline std::int64_t integer(const Json &j, const char *key) {
  auto it = j.find(key);
  return it != j.end() && it->is_number_integer() ? it->get<std::int64_t>() : 0;
}

inline std::optional<TimeMs> time(const Json &j, const char *key) {
  auto it = j.find(key);
  if (it == j.end() || !it->is_string()) return std::nullopt;
  return parse_rfc3339(it->get<std::string>());
}

inline Json time_json(const std::optional<TimeMs> &t) { return t ? Json(format_rfc3339(*t)) : Json(nullptr); }

}  // namespace ordercare::domain::record_fields
