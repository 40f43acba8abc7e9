// nlohmann/json behind one name, with parsing that reports failures the way
// the boundary does (a status and a message with the byte offset).
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string_view>

namespace ordercare {

using Json = nlohmann::json;

// Parses text as JSON; throws Failure(OC_ERR_UTF8 | OC_ERR_JSON) naming what
// is wrong, with `what` ("event", "config", "args") in the message. Arrays
// and objects nested more than 128 deep are refused (OC_ERR_JSON).
//
// Numbers come in as nlohmann reads them: an integer as int64 when it is
// negative and as uint64 otherwise, so 2^63 to 2^64-1 arrive intact but
// are not int64 (get<std::int64_t>() would wrap them negative); an integer
// beyond those, a fraction or an exponent as a double; a number beyond a
// double ("1e400") is refused. Whoever takes an integer reads it through
// int64_of() and checks its range; the schema and the readers do.
Json parse_json(std::string_view text, std::string_view what);

// The integer a JSON value holds, when it is an integer that fits int64;
// nullopt for anything else (an unsigned above INT64_MAX, 1.0, 1e3, text).
std::optional<std::int64_t> int64_of(const Json &value);

// Serializes for storage and results: compact, UTF-8 kept as-is.
std::string dump_json(const Json &value);

// Pieces of the same text, appended to `out`, for writers that do not
// build a tree first (domain/json_text.h). The first two are false when
// what they were given is not valid UTF-8 (or holds a binary value); what
// they appended is then to be dropped, and dump_json of the whole (which
// throws) says what is wrong.
bool append_json_text(std::string &out, const Json &value);
bool append_json_string(std::string &out, std::string_view text);
void append_json_integer(std::string &out, std::int64_t value);
// Whether `text` goes between a JSON string's quotes as it is: ASCII with
// no control character, '"' or '\\' (most ids, names, keys and statuses).
bool is_plain_json_text(std::string_view text);

// One segment of a JSON pointer (RFC 6901): '~' as "~0" and '/' as "~1".
std::string json_pointer_token(std::string_view segment);
// The same, appended to `out` (no string of its own, for hot paths).
void append_json_pointer_token(std::string &out, std::string_view segment);

}  // namespace ordercare
