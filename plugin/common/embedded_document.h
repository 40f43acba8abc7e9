// JSON documents compiled into the library from abi/*.schema.json and
// plugin/domain/defaults/*.json (cmake/embed_documents.cmake).
#pragma once

#include <string_view>

namespace ordercare {

// The text of the named document ("events.schema.json"), or "" if none.
std::string_view embedded_document(std::string_view name);

}  // namespace ordercare
