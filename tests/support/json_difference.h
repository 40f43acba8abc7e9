// Comparing parse_json_fast with Json::parse, for the unit test and the
// fuzz target alike. Json's operator== is too lenient for that: it finds 1
// (unsigned) equal to 1 (integer) and 0.0 equal to -0.0.
#pragma once

#include <algorithm>
#include <bit>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "common/json.h"
#include "common/json_parser.h"

namespace ordercare::testing {

// Empty when `a` and `b` have the same type at every node, the same
// strings and integers, and bit-equal doubles; otherwise where they differ.
inline std::string json_difference(const Json &a, const Json &b, const std::string &where = "") {
  const std::string here = where.empty() ? "/" : where;
  if (a.type() != b.type())
    return here + ": type " + std::string(a.type_name()) + " (" + std::to_string(static_cast<int>(a.type())) +
           ") vs " + std::string(b.type_name()) + " (" + std::to_string(static_cast<int>(b.type())) + ")";
  switch (a.type()) {
    case Json::value_t::number_float: {
      const auto x = std::bit_cast<std::uint64_t>(a.get<double>()), y = std::bit_cast<std::uint64_t>(b.get<double>());
      return x == y ? "" : here + ": " + a.dump() + " vs " + b.dump() + " (bits differ)";
    }
    case Json::value_t::array: {
      if (a.size() != b.size())
        return here + ": " + std::to_string(a.size()) + " vs " + std::to_string(b.size()) + " items";
      for (std::size_t i = 0; i < a.size(); ++i)
        if (auto d = json_difference(a[i], b[i], where + "/" + std::to_string(i)); !d.empty()) return d;
      return "";
    }
    case Json::value_t::object: {
      const auto &x = a.get_ref<const Json::object_t &>(), &y = b.get_ref<const Json::object_t &>();
      if (x.size() != y.size())
        return here + ": " + std::to_string(x.size()) + " vs " + std::to_string(y.size()) + " members";
      for (auto i = x.begin(), j = y.begin(); i != x.end(); ++i, ++j) {
        if (i->first != j->first) return here + ": key \"" + i->first + "\" vs \"" + j->first + "\"";
        if (auto d = json_difference(i->second, j->second, where + "/" + i->first); !d.empty()) return d;
      }
      return "";
    }
    default: return a == b ? "" : here + ": " + a.dump() + " vs " + b.dump();
  }
}

// What Json::parse makes of `text`, nullopt where it throws.
inline std::optional<Json> reference_parse(std::string_view text) {
  try {
    return Json::parse(text.begin(), text.end());
  } catch (const Json::exception &) {
    return std::nullopt;
  }
}

// How deep the value nests: 0 for a scalar, 1 for [] or {}.
inline int json_depth(const Json &value) {
  int deepest = 0;
  if (value.is_structured())
    for (const auto &item : value) deepest = std::max(deepest, json_depth(item));
  return value.is_structured() ? deepest + 1 : 0;
}

// Empty when parse_json_fast agrees with Json::parse on `text` (both refuse,
// or both accept the same value), else what differs. `text` must be valid
// UTF-8 without a NUL, as parse_json_fast expects; nesting deeper than 128,
// which it refuses by design, is checked no further.
inline std::string fast_parse_difference(std::string_view text) {
  const std::optional<Json> expected = reference_parse(text);
  const std::optional<Json> fast = parse_json_fast(text);
  if (!expected && !fast) return "";
  if (!expected) return "Json::parse refuses, parse_json_fast gives " + fast->dump();
  if (!fast) return json_depth(*expected) > 128 ? "" : "parse_json_fast refuses, Json::parse gives " + expected->dump();
  return json_difference(*fast, *expected);
}

}  // namespace ordercare::testing
