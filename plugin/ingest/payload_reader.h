// Reads the fields of a platform's webhook payload for the mappers, with two
// guarantees: every failure names the field by path ("payload.line_items[2]
// .price: ..."), thrown as Failure(OC_ERR_SCHEMA); and every field a mapper
// did not read survives in leftovers(), which the mappers put in
// data.platform, so nothing a platform sends is dropped silently.
//
// Private to plugin/ingest/.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/json.h"
#include "common/time_format.h"

namespace ordercare::ingest {

class PayloadReader {
 public:
  // Throws Failure(OC_ERR_SCHEMA) unless value is a JSON object. value must
  // outlive the reader.
  PayloadReader(const Json &value, std::string path);
  // The same over a payload the mapper owns and needs nothing of once it
  // has asked for leftovers(): those are then moved out of it, not copied.
  // A platform's order is mostly fields ordercare does not read (Shopify's
  // orders/create: about 80 of them, and 40 more on each line), and the
  // copy, and later freeing both trees, was a fifth of a webhook's mapping.
  struct Consume {};
  PayloadReader(Consume, Json &value, std::string path);
  PayloadReader(const PayloadReader &) = delete;
  PayloadReader &operator=(const PayloadReader &) = delete;

  const std::string &path() const { return path_; }
  // The payload as given; whole until leftovers() has consumed it.
  const Json &value() const;
  std::string field_path(std::string_view key) const;

  // Present and not null. Does not count as reading the field.
  bool has(std::string_view key) const;

  // The field (nullptr if absent or null), marked as read.
  const Json *get(std::string_view key);

  // Looks without reading: for fields a mapper only derives something from
  // (a status from fulfillment_status), which must stay in leftovers().
  const Json *peek(std::string_view key) const { return lookup(key); }
  std::optional<std::string> peek_string(std::string_view key) const;

  // Strings. optional_* treat absent, null and "" alike; a value of another
  // type is a schema failure either way.
  std::string string(std::string_view key);
  std::optional<std::string> optional_string(std::string_view key);

  // An ISO 4217 code, upper-cased ("usd" -> "USD").
  std::string currency(std::string_view key);

  // Ids: an integer or a non-empty string, returned as a string.
  std::string id(std::string_view key);
  std::optional<std::string> optional_id(std::string_view key);

  // Integers: quantities and amounts in minor units, so at most kMaxAmount
  // either way (common/value_ranges.h); the canonical schema then narrows
  // each to its field's range.
  std::int64_t integer(std::string_view key);
  std::optional<std::int64_t> optional_integer(std::string_view key);
  std::optional<bool> optional_bool(std::string_view key);

  // Amounts: a decimal string or a JSON number, converted exactly to minor
  // units of the currency (see decimal_to_minor_units). money() refuses
  // negative amounts; signed_money() is for the few that are negative by
  // design (WooCommerce's refund totals). Either way at most kMaxAmount
  // minor units (common/value_ranges.h) in magnitude.
  std::int64_t money(std::string_view key, std::string_view currency);
  std::optional<std::int64_t> optional_money(std::string_view key, std::string_view currency);
  std::int64_t signed_money(std::string_view key, std::string_view currency);

  // RFC 3339 timestamps. With assume_utc, a timestamp without an offset
  // ("2026-03-11T19:12:57", WooCommerce's *_gmt fields) is read as UTC.
  // Anything before 1970 or after 9999 is refused: no order is that old, and
  // it could not be written back as RFC 3339.
  TimeMs time(std::string_view key, bool assume_utc = false);
  std::optional<TimeMs> optional_time(std::string_view key, bool assume_utc = false);
  // Unix seconds as a JSON integer (Stripe, BigCommerce), same range.
  std::optional<TimeMs> optional_unix_seconds(std::string_view key);

  // A nested object, read field by field; its unread fields nest in
  // leftovers() under the same key.
  PayloadReader &object(std::string_view key);
  PayloadReader *optional_object(std::string_view key);

  // An array of objects (absent or null reads as empty for the optional one).
  std::vector<PayloadReader *> objects(std::string_view key);
  std::vector<PayloadReader *> optional_objects(std::string_view key);

  // Every field not read, at its original path; nested readers contribute
  // what they did not read. {} when everything was used. The last thing
  // asked of a reader: one that consumes its payload moves them out.
  Json leftovers();

 private:
  [[noreturn]] void fail_field(std::string_view key, std::string_view what) const;
  std::optional<std::int64_t> read_money(std::string_view key, std::string_view currency,
                                         bool is_signed);
  const Json *lookup(std::string_view key) const;
  std::vector<PayloadReader *> read_objects(std::string_view key, const Json &array);
  template <class Fields>
  Json leftovers_of(Fields &fields);

  const Json &value_;
  Json *consumed_ = nullptr;  // value_ itself, when the reader may move out of it
  bool spent_ = false;        // leftovers() moved out of it
  std::string path_;
  // Keys of value_ a mapper read (get()), in the order it read them; views
  // of the payload's own keys.
  std::vector<std::string_view> read_;
  std::map<std::string, std::unique_ptr<PayloadReader>, std::less<>> objects_;
  std::map<std::string, std::vector<std::unique_ptr<PayloadReader>>, std::less<>> arrays_;
};

}  // namespace ordercare::ingest
