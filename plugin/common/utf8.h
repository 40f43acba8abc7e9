#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace ordercare {

// The byte offset of the first byte that is not well-formed UTF-8 (RFC 3629:
// no overlongs, no surrogates, nothing above U+10FFFF), or nullopt.
std::optional<std::size_t> find_invalid_utf8(std::string_view text);

// Lower-cases ASCII and the Latin-1, Latin Extended-A, Greek and Cyrillic
// letters, leaving every other code point as it is. Enough for keyword
// rules to match "WHERE IS MY ORDER", "Où est ma commande" and "ГДЕ ЗАКАЗ".
std::string fold_case(std::string_view utf8);

}  // namespace ordercare
