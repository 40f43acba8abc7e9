#include "common/currency.h"

#include <algorithm>
#include <array>
#include <limits>

namespace ordercare {

namespace {

struct CurrencyInfo {
  std::string_view code;
  int exponent;
};

// ISO 4217 list one, codes in active use (including the funds codes such as
// CLF and UYW), sorted so lookups can bisect.
constexpr std::array kCurrencies = {
    CurrencyInfo{"AED", 2}, CurrencyInfo{"AFN", 2}, CurrencyInfo{"ALL", 2}, CurrencyInfo{"AMD", 2},
    CurrencyInfo{"ANG", 2}, CurrencyInfo{"AOA", 2}, CurrencyInfo{"ARS", 2}, CurrencyInfo{"AUD", 2},
    CurrencyInfo{"AWG", 2}, CurrencyInfo{"AZN", 2}, CurrencyInfo{"BAM", 2}, CurrencyInfo{"BBD", 2},
    CurrencyInfo{"BDT", 2}, CurrencyInfo{"BGN", 2}, CurrencyInfo{"BHD", 3}, CurrencyInfo{"BIF", 0},
    CurrencyInfo{"BMD", 2}, CurrencyInfo{"BND", 2}, CurrencyInfo{"BOB", 2}, CurrencyInfo{"BOV", 2},
    CurrencyInfo{"BRL", 2}, CurrencyInfo{"BSD", 2}, CurrencyInfo{"BTN", 2}, CurrencyInfo{"BWP", 2},
    CurrencyInfo{"BYN", 2}, CurrencyInfo{"BZD", 2}, CurrencyInfo{"CAD", 2}, CurrencyInfo{"CDF", 2},
    CurrencyInfo{"CHE", 2}, CurrencyInfo{"CHF", 2}, CurrencyInfo{"CHW", 2}, CurrencyInfo{"CLF", 4},
    CurrencyInfo{"CLP", 0}, CurrencyInfo{"CNY", 2}, CurrencyInfo{"COP", 2}, CurrencyInfo{"COU", 2},
    CurrencyInfo{"CRC", 2}, CurrencyInfo{"CUC", 2}, CurrencyInfo{"CUP", 2}, CurrencyInfo{"CVE", 2},
    CurrencyInfo{"CZK", 2}, CurrencyInfo{"DJF", 0}, CurrencyInfo{"DKK", 2}, CurrencyInfo{"DOP", 2},
    CurrencyInfo{"DZD", 2}, CurrencyInfo{"EGP", 2}, CurrencyInfo{"ERN", 2}, CurrencyInfo{"ETB", 2},
    CurrencyInfo{"EUR", 2}, CurrencyInfo{"FJD", 2}, CurrencyInfo{"FKP", 2}, CurrencyInfo{"GBP", 2},
    CurrencyInfo{"GEL", 2}, CurrencyInfo{"GHS", 2}, CurrencyInfo{"GIP", 2}, CurrencyInfo{"GMD", 2},
    CurrencyInfo{"GNF", 0}, CurrencyInfo{"GTQ", 2}, CurrencyInfo{"GYD", 2}, CurrencyInfo{"HKD", 2},
    CurrencyInfo{"HNL", 2}, CurrencyInfo{"HTG", 2}, CurrencyInfo{"HUF", 2}, CurrencyInfo{"IDR", 2},
    CurrencyInfo{"ILS", 2}, CurrencyInfo{"INR", 2}, CurrencyInfo{"IQD", 3}, CurrencyInfo{"IRR", 2},
    CurrencyInfo{"ISK", 0}, CurrencyInfo{"JMD", 2}, CurrencyInfo{"JOD", 3}, CurrencyInfo{"JPY", 0},
    CurrencyInfo{"KES", 2}, CurrencyInfo{"KGS", 2}, CurrencyInfo{"KHR", 2}, CurrencyInfo{"KMF", 0},
    CurrencyInfo{"KPW", 2}, CurrencyInfo{"KRW", 0}, CurrencyInfo{"KWD", 3}, CurrencyInfo{"KYD", 2},
    CurrencyInfo{"KZT", 2}, CurrencyInfo{"LAK", 2}, CurrencyInfo{"LBP", 2}, CurrencyInfo{"LKR", 2},
    CurrencyInfo{"LRD", 2}, CurrencyInfo{"LSL", 2}, CurrencyInfo{"LYD", 3}, CurrencyInfo{"MAD", 2},
    CurrencyInfo{"MDL", 2}, CurrencyInfo{"MGA", 2}, CurrencyInfo{"MKD", 2}, CurrencyInfo{"MMK", 2},
    CurrencyInfo{"MNT", 2}, CurrencyInfo{"MOP", 2}, CurrencyInfo{"MRU", 2}, CurrencyInfo{"MUR", 2},
    CurrencyInfo{"MVR", 2}, CurrencyInfo{"MWK", 2}, CurrencyInfo{"MXN", 2}, CurrencyInfo{"MXV", 2},
    CurrencyInfo{"MYR", 2}, CurrencyInfo{"MZN", 2}, CurrencyInfo{"NAD", 2}, CurrencyInfo{"NGN", 2},
    CurrencyInfo{"NIO", 2}, CurrencyInfo{"NOK", 2}, CurrencyInfo{"NPR", 2}, CurrencyInfo{"NZD", 2},
    CurrencyInfo{"OMR", 3}, CurrencyInfo{"PAB", 2}, CurrencyInfo{"PEN", 2}, CurrencyInfo{"PGK", 2},
    CurrencyInfo{"PHP", 2}, CurrencyInfo{"PKR", 2}, CurrencyInfo{"PLN", 2}, CurrencyInfo{"PYG", 0},
    CurrencyInfo{"QAR", 2}, CurrencyInfo{"RON", 2}, CurrencyInfo{"RSD", 2}, CurrencyInfo{"RUB", 2},
    CurrencyInfo{"RWF", 0}, CurrencyInfo{"SAR", 2}, CurrencyInfo{"SBD", 2}, CurrencyInfo{"SCR", 2},
    CurrencyInfo{"SDG", 2}, CurrencyInfo{"SEK", 2}, CurrencyInfo{"SGD", 2}, CurrencyInfo{"SHP", 2},
    CurrencyInfo{"SLE", 2}, CurrencyInfo{"SLL", 2}, CurrencyInfo{"SOS", 2}, CurrencyInfo{"SRD", 2},
    CurrencyInfo{"SSP", 2}, CurrencyInfo{"STN", 2}, CurrencyInfo{"SVC", 2}, CurrencyInfo{"SYP", 2},
    CurrencyInfo{"SZL", 2}, CurrencyInfo{"THB", 2}, CurrencyInfo{"TJS", 2}, CurrencyInfo{"TMT", 2},
    CurrencyInfo{"TND", 3}, CurrencyInfo{"TOP", 2}, CurrencyInfo{"TRY", 2}, CurrencyInfo{"TTD", 2},
    CurrencyInfo{"TWD", 2}, CurrencyInfo{"TZS", 2}, CurrencyInfo{"UAH", 2}, CurrencyInfo{"UGX", 0},
    CurrencyInfo{"USD", 2}, CurrencyInfo{"USN", 2}, CurrencyInfo{"UYI", 0}, CurrencyInfo{"UYU", 2},
    CurrencyInfo{"UYW", 4}, CurrencyInfo{"UZS", 2}, CurrencyInfo{"VED", 2}, CurrencyInfo{"VES", 2},
    CurrencyInfo{"VND", 0}, CurrencyInfo{"VUV", 0}, CurrencyInfo{"WST", 2}, CurrencyInfo{"XAF", 0},
    CurrencyInfo{"XCD", 2}, CurrencyInfo{"XCG", 2}, CurrencyInfo{"XOF", 0}, CurrencyInfo{"XPF", 0},
    CurrencyInfo{"YER", 2}, CurrencyInfo{"ZAR", 2}, CurrencyInfo{"ZMW", 2}, CurrencyInfo{"ZWG", 2},
    CurrencyInfo{"ZWL", 2},
};

static_assert(std::is_sorted(kCurrencies.begin(), kCurrencies.end(),
                             [](const CurrencyInfo &a, const CurrencyInfo &b) {
                               return a.code < b.code;
                             }),
              "kCurrencies must stay sorted by code");

constexpr int kDefaultExponent = 2;

const CurrencyInfo *find_currency(std::string_view upper) {
  const auto it = std::lower_bound(
      kCurrencies.begin(), kCurrencies.end(), upper,
      [](const CurrencyInfo &info, std::string_view code) { return info.code < code; });
  return it != kCurrencies.end() && it->code == upper ? &*it : nullptr;
}

bool is_digit(char c) { return c >= '0' && c <= '9'; }

// 10^exponent for the small exponents of the table.
std::uint64_t power_of_ten(int exponent) {
  std::uint64_t p = 1;
  for (int i = 0; i < exponent; ++i) p *= 10;
  return p;
}

}  // namespace

std::optional<std::string> normalize_currency(std::string_view code) {
  if (code.size() != 3) return std::nullopt;
  std::string upper(code);
  for (char &c : upper) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
    if (c < 'A' || c > 'Z') return std::nullopt;
  }
  return upper;
}

bool is_known_currency(std::string_view code) {
  const auto upper = normalize_currency(code);
  return upper && find_currency(*upper) != nullptr;
}

std::optional<int> currency_exponent(std::string_view code) {
  const auto upper = normalize_currency(code);
  if (!upper) return std::nullopt;
  const CurrencyInfo *info = find_currency(*upper);
  return info ? info->exponent : kDefaultExponent;
}

std::optional<std::int64_t> decimal_to_minor_units(std::string_view text,
                                                   std::string_view currency) {
  const auto exponent = currency_exponent(currency);
  if (!exponent) return std::nullopt;
  const bool negative = !text.empty() && text.front() == '-';
  if (negative) text.remove_prefix(1);

  const std::size_t dot = text.find('.');
  const std::string_view whole = text.substr(0, dot);
  const std::string_view fraction =
      dot == std::string_view::npos ? std::string_view() : text.substr(dot + 1);
  if (whole.empty() || !std::all_of(whole.begin(), whole.end(), is_digit)) return std::nullopt;
  if (dot != std::string_view::npos &&
      (fraction.empty() || !std::all_of(fraction.begin(), fraction.end(), is_digit)))
    return std::nullopt;

  // Accumulate |value| in minor units as unsigned so that INT64_MIN, whose
  // magnitude has no positive int64, still converts.
  constexpr std::uint64_t kLimit =
      static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()) + 1;
  std::uint64_t magnitude = 0;
  auto push_digit = [&](char c) {
    const auto digit = static_cast<std::uint64_t>(c - '0');
    if (magnitude > (kLimit - digit) / 10) return false;
    magnitude = magnitude * 10 + digit;
    return true;
  };
  for (char c : whole)
    if (!push_digit(c)) return std::nullopt;
  const auto places = static_cast<std::size_t>(*exponent);
  for (std::size_t i = 0; i < places; ++i)
    if (!push_digit(i < fraction.size() ? fraction[i] : '0')) return std::nullopt;
  for (std::size_t i = places; i < fraction.size(); ++i)
    if (fraction[i] != '0') return std::nullopt;

  if (negative) {
    if (magnitude == kLimit) return std::numeric_limits<std::int64_t>::min();
    return -static_cast<std::int64_t>(magnitude);
  }
  if (magnitude == kLimit) return std::nullopt;
  return static_cast<std::int64_t>(magnitude);
}

std::string format_money(std::int64_t minor, std::string_view currency) {
  const int exponent = currency_exponent(currency).value_or(kDefaultExponent);
  const std::uint64_t magnitude =
      minor < 0 ? ~static_cast<std::uint64_t>(minor) + 1 : static_cast<std::uint64_t>(minor);
  const std::uint64_t scale = power_of_ten(exponent);
  std::string text = minor < 0 ? "-" : "";
  text += std::to_string(magnitude / scale);
  if (exponent > 0) {
    std::string fraction = std::to_string(magnitude % scale);
    text += '.';
    text.append(static_cast<std::size_t>(exponent) - fraction.size(), '0');
    text += fraction;
  }
  const auto upper = normalize_currency(currency);
  text += ' ';
  text += upper ? *upper : std::string(currency);
  return text;
}

}  // namespace ordercare
