// nlohmann/json behind one name, with parsing that reports failures the way
// the boundary does (a status and a message with the byte offset).
#pragma once

#include <nlohmann/json.hpp>
#include <string_view>

namespace ordercare {

using Json = nlohmann::json;

// Parses text as JSON; throws Failure(OC_ERR_UTF8 | OC_ERR_JSON) naming what
// is wrong, with `what` ("event", "config", "args") in the message. Arrays
// and objects nested more than 128 deep are refused (OC_ERR_JSON).
Json parse_json(std::string_view text, std::string_view what);

// Serializes for storage and results: compact, UTF-8 kept as-is.
std::string dump_json(const Json &value);

}  // namespace ordercare
