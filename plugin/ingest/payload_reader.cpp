#include "ingest/payload_reader.h"

#include <algorithm>

#include "common/currency.h"
#include "common/failure.h"
#include "common/value_ranges.h"

namespace ordercare::ingest {

namespace {

constexpr std::int64_t kMaxUnixSeconds = kMaxTimeMs / kSecondMs;

std::string type_name(const Json &v) { return v.type_name(); }

// A well-formed decimal too large for int64: with its whole part zeroed it
// converts.
bool has_too_many_digits(std::string text, std::string_view currency) {
  for (std::size_t i = text[0] == '-' ? 1 : 0; i < text.size() && text[i] != '.'; ++i)
    if (text[i] >= '1' && text[i] <= '9') text[i] = '0';
  return decimal_to_minor_units(text, currency).has_value();
}

}  // namespace

PayloadReader::PayloadReader(const Json &value, std::string path)
    : value_(value), path_(std::move(path)) {
  if (!value_.is_object())
    fail(OC_ERR_SCHEMA, path_ + ": expected an object, got " + type_name(value_));
}

PayloadReader::PayloadReader(Consume, Json &value, std::string path) : PayloadReader(value, std::move(path)) {
  consumed_ = &value;
}

const Json &PayloadReader::value() const {
  // What a mapper keys a delivery by (a digest of the whole payload) must
  // be taken before the leftovers are: after, parts of it are gone.
  if (spent_) fail(OC_ERR_INTERNAL, path_ + ": read after its leftovers were taken");
  return value_;
}

std::string PayloadReader::field_path(std::string_view key) const {
  return path_ + "." + std::string(key);
}

void PayloadReader::fail_field(std::string_view key, std::string_view what) const {
  fail(OC_ERR_SCHEMA, field_path(key) + ": " + std::string(what));
}

const Json *PayloadReader::lookup(std::string_view key) const {
  const auto it = value_.find(key);
  if (it == value_.end() || it->is_null()) return nullptr;
  return &*it;
}

bool PayloadReader::has(std::string_view key) const { return lookup(key) != nullptr; }

const Json *PayloadReader::get(std::string_view key) {
  const auto &fields = value_.get_ref<const Json::object_t &>();
  const auto it = fields.find(key);
  if (it == fields.end()) return nullptr;  // nothing to leave out of leftovers()
  // The payload's own key, which lives as long as the payload does.
  read_.push_back(it->first);
  return it->second.is_null() ? nullptr : &it->second;
}

std::optional<std::string> PayloadReader::peek_string(std::string_view key) const {
  const Json *v = lookup(key);
  if (!v) return std::nullopt;
  if (!v->is_string()) fail_field(key, "expected a string, got " + type_name(*v));
  if (v->get_ref<const std::string &>().empty()) return std::nullopt;
  return v->get<std::string>();
}

std::string PayloadReader::currency(std::string_view key) {
  const auto code = normalize_currency(string(key));
  if (!code) fail_field(key, "expected a three-letter ISO 4217 currency code");
  return *code;
}

std::optional<std::string> PayloadReader::optional_string(std::string_view key) {
  const Json *v = get(key);
  if (!v) return std::nullopt;
  if (!v->is_string()) fail_field(key, "expected a string, got " + type_name(*v));
  const auto &text = v->get_ref<const std::string &>();
  if (text.empty()) return std::nullopt;
  return text;
}

std::string PayloadReader::string(std::string_view key) {
  if (!has(key)) fail_field(key, "required");
  auto text = optional_string(key);
  if (!text) fail_field(key, "expected a non-empty string");
  return *text;
}

std::optional<std::string> PayloadReader::optional_id(std::string_view key) {
  const Json *v = get(key);
  if (!v) return std::nullopt;
  if (v->is_number_integer()) return v->dump();
  if (v->is_string() && !v->get_ref<const std::string &>().empty())
    return v->get<std::string>();
  fail_field(key, "expected an id (an integer or a non-empty string)");
}

std::string PayloadReader::id(std::string_view key) {
  auto value = optional_id(key);
  if (!value) fail_field(key, "required");
  return *value;
}

std::optional<std::int64_t> PayloadReader::optional_integer(std::string_view key) {
  const Json *v = get(key);
  if (!v) return std::nullopt;
  if (!v->is_number_integer())
    fail_field(key, "expected an integer, got " + (v->is_number() ? v->dump() : type_name(*v)));
  const auto value = int64_of(*v);
  if (!value || *value < -kMaxAmount || *value > kMaxAmount)
    fail_field(key, "expected an integer from " + std::to_string(-kMaxAmount) + " to " +
                        std::to_string(kMaxAmount) + ", got " + v->dump());
  return value;
}

std::int64_t PayloadReader::integer(std::string_view key) {
  auto value = optional_integer(key);
  if (!value) fail_field(key, "required");
  return *value;
}

std::optional<bool> PayloadReader::optional_bool(std::string_view key) {
  const Json *v = get(key);
  if (!v) return std::nullopt;
  if (!v->is_boolean()) fail_field(key, "expected true or false, got " + type_name(*v));
  return v->get<bool>();
}

std::optional<std::int64_t> PayloadReader::read_money(std::string_view key,
                                                      std::string_view currency, bool is_signed) {
  const Json *v = get(key);
  if (!v) return std::nullopt;
  // A JSON number is read through its shortest round-trip text, so 24.99
  // reads as "24.99"; anything needing an exponent is refused.
  std::string text;
  if (v->is_string())
    text = v->get<std::string>();
  else if (v->is_number())
    text = v->dump();
  else
    fail_field(key, "expected a decimal amount, got " + type_name(*v));
  if (text.empty()) return std::nullopt;
  const auto minor = decimal_to_minor_units(text, currency);
  const bool too_large = minor ? *minor > kMaxAmount || *minor < -kMaxAmount
                               : has_too_many_digits(text, currency);
  if (too_large)
    fail_field(key, "expected an amount from " +
                        (is_signed ? format_money(-kMaxAmount, currency) : "0") + " to " +
                        format_money(kMaxAmount, currency));
  if (!minor) {
    const auto exponent = currency_exponent(currency);
    fail_field(key, "expected a decimal amount with at most " +
                        std::to_string(exponent.value_or(2)) + " decimals for " +
                        std::string(currency));
  }
  return minor;
}

std::optional<std::int64_t> PayloadReader::optional_money(std::string_view key,
                                                          std::string_view currency) {
  const auto value = read_money(key, currency, false);
  if (value && *value < 0) fail_field(key, "expected a non-negative amount");
  return value;
}

std::int64_t PayloadReader::money(std::string_view key, std::string_view currency) {
  auto value = optional_money(key, currency);
  if (!value) fail_field(key, "required");
  return *value;
}

std::int64_t PayloadReader::signed_money(std::string_view key, std::string_view currency) {
  auto value = read_money(key, currency, true);
  if (!value) fail_field(key, "required");
  return *value;
}

std::optional<TimeMs> PayloadReader::optional_time(std::string_view key, bool assume_utc) {
  const Json *v = get(key);
  if (!v) return std::nullopt;
  if (!v->is_string()) fail_field(key, "expected an RFC 3339 timestamp, got " + type_name(*v));
  const auto &text = v->get_ref<const std::string &>();
  if (text.empty()) return std::nullopt;
  auto t = parse_rfc3339(text);
  if (!t && assume_utc) t = parse_rfc3339(text + "Z");
  if (!t || !in_time_range(*t)) fail_field(key, "expected an RFC 3339 timestamp");
  return t;
}

TimeMs PayloadReader::time(std::string_view key, bool assume_utc) {
  auto value = optional_time(key, assume_utc);
  if (!value) fail_field(key, "required");
  return *value;
}

std::optional<TimeMs> PayloadReader::optional_unix_seconds(std::string_view key) {
  const auto seconds = optional_integer(key);
  if (!seconds) return std::nullopt;
  if (*seconds < 0 || *seconds > kMaxUnixSeconds)
    fail_field(key, "expected unix seconds from 0 to " + std::to_string(kMaxUnixSeconds) + " (1970 to 9999)");
  return *seconds * kSecondMs;
}

PayloadReader *PayloadReader::optional_object(std::string_view key) {
  if (auto it = objects_.find(key); it != objects_.end()) return it->second.get();
  const Json *v = get(key);
  if (!v) return nullptr;
  if (!v->is_object()) fail_field(key, "expected an object, got " + type_name(*v));
  auto child = consumed_ ? std::make_unique<PayloadReader>(Consume{}, *consumed_->find(key), field_path(key))
                         : std::make_unique<PayloadReader>(*v, field_path(key));
  return objects_.emplace(std::string(key), std::move(child)).first->second.get();
}

PayloadReader &PayloadReader::object(std::string_view key) {
  PayloadReader *child = optional_object(key);
  if (!child) fail_field(key, "required");
  return *child;
}

std::vector<PayloadReader *> PayloadReader::read_objects(std::string_view key, const Json &array) {
  if (!array.is_array()) fail_field(key, "expected an array, got " + type_name(array));
  auto &children = arrays_[std::string(key)];
  if (children.empty()) {
    Json *consumed_array = consumed_ ? &*consumed_->find(key) : nullptr;
    for (std::size_t i = 0; i < array.size(); ++i) {
      std::string path = field_path(key) + "[" + std::to_string(i) + "]";
      children.push_back(consumed_array
                             ? std::make_unique<PayloadReader>(Consume{}, (*consumed_array)[i], std::move(path))
                             : std::make_unique<PayloadReader>(array[i], std::move(path)));
    }
  }
  std::vector<PayloadReader *> out;
  for (auto &child : children) out.push_back(child.get());
  return out;
}

std::vector<PayloadReader *> PayloadReader::objects(std::string_view key) {
  const Json *v = get(key);
  if (!v) fail_field(key, "required");
  return read_objects(key, *v);
}

std::vector<PayloadReader *> PayloadReader::optional_objects(std::string_view key) {
  const Json *v = get(key);
  if (!v) return {};
  return read_objects(key, *v);
}

Json PayloadReader::leftovers() {
  if (consumed_) {
    spent_ = true;
    return leftovers_of(consumed_->get_ref<Json::object_t &>());
  }
  return leftovers_of(value_.get_ref<const Json::object_t &>());
}

// `fields` is the payload's object, const when the reader may not consume
// it: std::move of a const member is a const rvalue, which copies.
template <class Fields>
Json PayloadReader::leftovers_of(Fields &fields) {
  Json out = Json::object();
  // The payload's fields come in key order, so each goes in at the end of
  // `out` without a search: this runs over every field of every delivery.
  auto &rest_fields = out.get_ref<Json::object_t &>();
  // The fields read, in the same order: one walk over both.
  std::sort(read_.begin(), read_.end());
  auto read = read_.begin();
  for (auto &[key, value] : fields) {
    while (read != read_.end() && *read < std::string_view(key)) ++read;
    if (read == read_.end() || *read != std::string_view(key)) {
      rest_fields.emplace_hint(rest_fields.end(), key, std::move(value));
      continue;
    }
    if (auto it = objects_.find(key); it != objects_.end()) {
      Json rest = it->second->leftovers();
      if (!rest.empty()) rest_fields.emplace_hint(rest_fields.end(), key, std::move(rest));
      continue;
    }
    if (auto it = arrays_.find(key); it != arrays_.end()) {
      Json rest = Json::array();
      bool any = false;
      for (const auto &child : it->second) {
        rest.push_back(child->leftovers());
        any = any || !rest.back().empty();
      }
      if (any) rest_fields.emplace_hint(rest_fields.end(), key, std::move(rest));
    }
  }
  return out;
}

}  // namespace ordercare::ingest
