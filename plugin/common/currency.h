// ISO 4217 minor units, and exact conversion between the decimal text that
// platforms send ("49.99", "1000", "12.345") and the integer minor units
// ordercare stores. No floating point anywhere on this path.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace ordercare {

// "usd" -> "USD". nullopt unless the code is exactly three ASCII letters.
std::optional<std::string> normalize_currency(std::string_view code);

// True for the ISO 4217 codes in active use (case-insensitive).
bool is_known_currency(std::string_view code);

// Decimals of the currency's minor unit per ISO 4217: JPY 0, USD 2, KWD 3,
// CLF 4; 2 for a well-formed code that is not in the table. nullopt when the
// code is not three ASCII letters.
std::optional<int> currency_exponent(std::string_view code);

// "49.99" USD -> 4999, "1000" JPY -> 1000, "12.345" KWD -> 12345,
// "-10.00" USD -> -1000, "5.10" JPY -> nullopt, "5.00" JPY -> 5. Accepts an
// optional '-', digits, and an optional '.' followed by digits; more
// fractional digits than the currency has are accepted only when they are
// zeros. nullopt for anything else (spaces, exponents, "1,000", ".5", "5."),
// an unusable currency code, or a value outside int64.
std::optional<std::int64_t> decimal_to_minor_units(std::string_view decimal_text,
                                                   std::string_view currency);

// 4999 USD -> "49.99 USD", 1000 JPY -> "1000 JPY", 12345 KWD -> "12.345 KWD",
// -50 EUR -> "-0.50 EUR". The code is printed upper-case as given.
std::string format_money(std::int64_t minor, std::string_view currency);

}  // namespace ordercare
