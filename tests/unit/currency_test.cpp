#include "common/currency.h"

#include <gtest/gtest.h>

#include <limits>

namespace ordercare::ingest {
namespace {

TEST(CurrencyExponent, FollowsIso4217) {
  for (const char *code : {"JPY", "KRW", "VND", "CLP", "ISK", "UGX", "XAF", "XOF", "XPF", "PYG",
                           "BIF", "DJF", "GNF", "KMF", "RWF", "VUV", "UYI"})
    EXPECT_EQ(currency_exponent(code), 0) << code;
  for (const char *code : {"BHD", "KWD", "OMR", "JOD", "IQD", "LYD", "TND"})
    EXPECT_EQ(currency_exponent(code), 3) << code;
  for (const char *code : {"USD", "EUR", "GBP", "CHF", "MGA", "HUF", "IDR", "TWD"})
    EXPECT_EQ(currency_exponent(code), 2) << code;
  EXPECT_EQ(currency_exponent("CLF"), 4);
  EXPECT_EQ(currency_exponent("UYW"), 4);
}

TEST(CurrencyExponent, CaseInsensitiveWithDefaultForUnknownCodes) {
  EXPECT_EQ(currency_exponent("jpy"), 0);
  EXPECT_EQ(currency_exponent("kWd"), 3);
  EXPECT_EQ(currency_exponent("ZZZ"), 2);
  EXPECT_FALSE(is_known_currency("ZZZ"));
  EXPECT_TRUE(is_known_currency("usd"));
  EXPECT_TRUE(is_known_currency("ZWG"));
  for (const char *bad : {"", "US", "USDT", "U$D", "12A", "ÜSD"})
    EXPECT_EQ(currency_exponent(bad), std::nullopt) << bad;
  EXPECT_EQ(normalize_currency("eur"), "EUR");
  EXPECT_EQ(normalize_currency("e ur"), std::nullopt);
}

TEST(DecimalToMinorUnits, ExactConversions) {
  EXPECT_EQ(decimal_to_minor_units("49.99", "USD"), 4999);
  EXPECT_EQ(decimal_to_minor_units("49.9", "USD"), 4990);
  EXPECT_EQ(decimal_to_minor_units("49", "USD"), 4900);
  EXPECT_EQ(decimal_to_minor_units("0.00", "USD"), 0);
  EXPECT_EQ(decimal_to_minor_units("0", "EUR"), 0);
  EXPECT_EQ(decimal_to_minor_units("1000", "JPY"), 1000);
  EXPECT_EQ(decimal_to_minor_units("1000.00", "JPY"), 1000);
  EXPECT_EQ(decimal_to_minor_units("12.345", "KWD"), 12345);
  EXPECT_EQ(decimal_to_minor_units("12.3", "KWD"), 12300);
  EXPECT_EQ(decimal_to_minor_units("0.001", "BHD"), 1);
  EXPECT_EQ(decimal_to_minor_units("1.0001", "CLF"), 10001);
  EXPECT_EQ(decimal_to_minor_units("-10.00", "USD"), -1000);
  EXPECT_EQ(decimal_to_minor_units("-0", "USD"), 0);
  EXPECT_EQ(decimal_to_minor_units("007.50", "usd"), 750);
  // 0.1 + 0.2 in floating point is 0.30000000000000004; here it is exact.
  EXPECT_EQ(decimal_to_minor_units("0.30", "USD"), 30);
  EXPECT_EQ(decimal_to_minor_units("19.99", "usd"), 1999);
}

TEST(DecimalToMinorUnits, ExtraFractionalDigitsOnlyWhenZero) {
  EXPECT_EQ(decimal_to_minor_units("5.10", "JPY"), std::nullopt);
  EXPECT_EQ(decimal_to_minor_units("5.00", "JPY"), 5);
  EXPECT_EQ(decimal_to_minor_units("49.999", "USD"), std::nullopt);
  EXPECT_EQ(decimal_to_minor_units("49.990000", "USD"), 4999);
  EXPECT_EQ(decimal_to_minor_units("12.3456", "KWD"), std::nullopt);
  EXPECT_EQ(decimal_to_minor_units("12.3450", "KWD"), 12345);
}

TEST(DecimalToMinorUnits, RejectsGarbage) {
  for (const char *bad : {"", "-", ".", "5.", ".5", "+5", " 5", "5 ", "1,000", "1e3", "1.2.3",
                          "0x10", "--5", "5-", "NaN", "inf", "1 000", "٣"})
    EXPECT_EQ(decimal_to_minor_units(bad, "USD"), std::nullopt) << bad;
  EXPECT_EQ(decimal_to_minor_units("5", "US"), std::nullopt);
  EXPECT_EQ(decimal_to_minor_units("5", ""), std::nullopt);
}

TEST(DecimalToMinorUnits, Int64Limits) {
  constexpr auto max = std::numeric_limits<std::int64_t>::max();
  constexpr auto min = std::numeric_limits<std::int64_t>::min();
  EXPECT_EQ(decimal_to_minor_units("9223372036854775807", "JPY"), max);
  EXPECT_EQ(decimal_to_minor_units("9223372036854775808", "JPY"), std::nullopt);
  EXPECT_EQ(decimal_to_minor_units("-9223372036854775808", "JPY"), min);
  EXPECT_EQ(decimal_to_minor_units("-9223372036854775809", "JPY"), std::nullopt);
  EXPECT_EQ(decimal_to_minor_units("92233720368547758.07", "USD"), max);
  EXPECT_EQ(decimal_to_minor_units("92233720368547758.08", "USD"), std::nullopt);
  EXPECT_EQ(decimal_to_minor_units("9223372036854775.808", "KWD"), std::nullopt);
  EXPECT_EQ(decimal_to_minor_units("99999999999999999999999999", "USD"), std::nullopt);
  EXPECT_EQ(decimal_to_minor_units(std::string(400, '0') + "1.5", "USD"), 150);
}

TEST(FormatMoney, HumanText) {
  EXPECT_EQ(format_money(4999, "USD"), "49.99 USD");
  EXPECT_EQ(format_money(1000, "JPY"), "1000 JPY");
  EXPECT_EQ(format_money(12345, "KWD"), "12.345 KWD");
  EXPECT_EQ(format_money(5, "KWD"), "0.005 KWD");
  EXPECT_EQ(format_money(-50, "EUR"), "-0.50 EUR");
  EXPECT_EQ(format_money(0, "usd"), "0.00 USD");
  EXPECT_EQ(format_money(10001, "CLF"), "1.0001 CLF");
  EXPECT_EQ(format_money(std::numeric_limits<std::int64_t>::min(), "JPY"), "-9223372036854775808 JPY");
  EXPECT_EQ(format_money(std::numeric_limits<std::int64_t>::max(), "USD"), "92233720368547758.07 USD");
}

TEST(FormatMoney, RoundTripsThroughTheParser) {
  for (const char *code : {"USD", "JPY", "KWD", "CLF"}) {
    for (std::int64_t minor : {0LL, 1LL, 99LL, 100LL, 12345LL, -7LL, 123456789012LL}) {
      const std::string text = format_money(minor, code);
      EXPECT_EQ(decimal_to_minor_units(text.substr(0, text.find(' ')), code), minor) << text;
    }
  }
}

}  // namespace
}  // namespace ordercare::ingest
