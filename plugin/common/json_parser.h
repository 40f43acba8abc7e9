// parse_json's own reader for the JSON it is handed most: events and
// webhook bodies that are well formed. nlohmann's parser reads through an
// input adapter a byte at a time and builds every token a character at a
// time; on a webhook request that was close to half of the work. This one
// builds the same Json, and leaves everything else to nlohmann.
#pragma once

#include <cstddef>
#include <optional>
#include <string_view>

#include "common/json.h"

namespace ordercare {

// The deepest nesting parse_json reads: deeper than any event, config or
// argument needs, and shallow enough that the recursive parser, serializer
// and destructor stay far from the thread's stack limit (a 1 MiB event of
// nested brackets would otherwise crash the host).
inline constexpr std::size_t kMaxJsonDepth = 128;

// The value of `text` as Json::parse(text) builds it: the same types at
// every node (an integer is number_unsigned when it is not negative and
// fits 64 bits, number_integer when negative and fitting int64 ("-0"
// included), number_float otherwise; the double is correctly rounded), the
// last of duplicate keys kept.
//
// nullopt for every text Json::parse refuses ("1e400" included: beyond a
// double), and for nesting deeper than 128 levels, which parse_json refuses
// before. parse_json then calls Json::parse, whose error says what is wrong
// and where.
//
// Expects what parse_json has checked first: `text` is valid UTF-8 and
// holds no NUL (a raw NUL inside a string is refused anyway).
std::optional<Json> parse_json_fast(std::string_view text);

}  // namespace ordercare
