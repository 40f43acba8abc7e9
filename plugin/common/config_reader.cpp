#include "common/config_reader.h"

#include <algorithm>
#include <cmath>

#include "common/failure.h"
#include "common/value_ranges.h"

namespace ordercare {

const Json ConfigReader::kEmpty = Json::object();

const Json &value_or_empty(const Json *section) {
  static const Json empty = Json::object();
  return section ? *section : empty;
}

void fail_config(const std::string &path, const std::string &message) {
  fail(OC_ERR_CONFIG, "config: " + path + ": " + message);
}

std::string join_path(std::string_view path, std::string_view field) {
  std::string out(path);
  if (!out.empty()) out += '.';
  out += field;
  return out;
}

void config_error(std::string_view path, const std::string &message) {
  fail(OC_ERR_CONFIG, std::string(path) + ": " + message);
}

ConfigReader::ConfigReader(const Json &value, std::string path, oc_status status, const char *label)
    : value_(value.is_null() ? kEmpty : value),
      path_(std::move(path)),
      status_(status),
      label_(label),
      // No argument of a call is an integer beyond the largest amount, so
      // none can overflow what a command adds it to.
      integer_limit_(status == OC_ERR_SCHEMA ? kMaxAmount : INT64_MAX) {
  if (!value_.is_object()) fail_at(path_.empty() ? "(root)" : path_, "expected an object");
}

void ConfigReader::fail_at(const std::string &path, const std::string &message) const {
  fail(status_, std::string(label_) + ": " + path + ": " + message);
}

std::string ConfigReader::path_of(const std::string &key) const { return join_path(path_, key); }

bool ConfigReader::has(const std::string &key) const {
  auto it = value_.find(key);
  return it != value_.end() && !it->is_null();
}

const Json *ConfigReader::child(const std::string &key) {
  read_.insert(key);
  auto it = value_.find(key);
  if (it == value_.end() || it->is_null()) return nullptr;
  return &*it;
}

bool ConfigReader::is_null(const std::string &key) {
  read_.insert(key);
  auto it = value_.find(key);
  return it != value_.end() && it->is_null();
}

std::string ConfigReader::string(const std::string &key, const std::string &fallback) {
  auto value = optional_string(key);
  return value ? *value : fallback;
}

std::optional<std::string> ConfigReader::optional_string(const std::string &key) {
  const Json *v = child(key);
  if (!v) return std::nullopt;
  if (!v->is_string()) fail_at(path_of(key), "expected a string");
  return v->get<std::string>();
}

std::int64_t ConfigReader::integer(const std::string &key, std::int64_t fallback, std::int64_t min,
                                   std::int64_t max) {
  const Json *v = child(key);
  if (!v) return fallback;
  min = std::max(min, -integer_limit_);
  max = std::min(max, integer_limit_);
  const auto value = int64_of(*v);
  if (!value || *value < min || *value > max)
    fail_at(path_of(key), "expected an integer from " + std::to_string(min) + " to " +
                                  std::to_string(max));
  return *value;
}

double ConfigReader::number(const std::string &key, double fallback, double min, double max) {
  const Json *v = child(key);
  if (!v) return fallback;
  if (!v->is_number() || !std::isfinite(v->get<double>()) || v->get<double>() < min ||
      v->get<double>() > max)
    fail_at(path_of(key), "expected a number from " + Json(min).dump() + " to " +
                                  Json(max).dump());
  return v->get<double>();
}

bool ConfigReader::boolean(const std::string &key, bool fallback) {
  const Json *v = child(key);
  if (!v) return fallback;
  if (!v->is_boolean()) fail_at(path_of(key), "expected true or false");
  return v->get<bool>();
}

std::vector<std::string> ConfigReader::string_list(const std::string &key,
                                                   const std::vector<std::string> &fallback) {
  const Json *v = child(key);
  if (!v) return fallback;
  if (!v->is_array()) fail_at(path_of(key), "expected an array of strings");
  std::vector<std::string> out;
  for (std::size_t i = 0; i < v->size(); ++i) {
    if (!(*v)[i].is_string())
      fail_at(path_of(key) + "[" + std::to_string(i) + "]", "expected a string");
    out.push_back((*v)[i].get<std::string>());
  }
  return out;
}

std::string ConfigReader::choice(const std::string &key, const std::string &fallback,
                                 const std::vector<std::string> &choices) {
  std::string value = string(key, fallback);
  for (const auto &c : choices)
    if (c == value) return value;
  std::string list;
  for (const auto &c : choices) list += (list.empty() ? "" : ", ") + c;
  fail_at(path_of(key), "expected one of: " + list + " (got '" + value + "')");
}

std::int64_t ConfigReader::duration_ms(const std::string &key, std::int64_t fallback_ms) {
  const Json *v = child(key);
  if (!v) return fallback_ms;
  auto ms = parse_duration_ms(*v);
  if (!ms || *ms < 0)
    fail_at(path_of(key), "expected a duration like \"30s\", \"10m\", \"2h\", \"7d\" or seconds");
  return *ms;
}

void ConfigReader::finish() const {
  for (auto it = value_.begin(); it != value_.end(); ++it)
    if (!read_.count(it.key())) fail_at(path_of(it.key()), "unknown field");
}

std::optional<std::int64_t> parse_duration_ms(const Json &value) {
  // At most 10^12 seconds (some 31,000 years): the limit keeps every
  // conversion to milliseconds far from overflowing an int64.
  constexpr std::int64_t kMaxSeconds = 1'000'000'000'000;
  if (value.is_number_unsigned() &&
      value.get<std::uint64_t>() > static_cast<std::uint64_t>(kMaxSeconds))
    return std::nullopt;
  if (value.is_number_integer()) {
    const std::int64_t s = value.get<std::int64_t>();
    if (s < 0 || s > kMaxSeconds) return std::nullopt;
    return s * 1000;
  }
  if (value.is_number_float()) {
    const double s = value.get<double>();
    if (!std::isfinite(s) || s < 0 || s > 1e12) return std::nullopt;
    return static_cast<std::int64_t>(std::llround(s * 1000));
  }
  if (!value.is_string()) return std::nullopt;
  const std::string text = value.get<std::string>();
  std::size_t digits = 0;
  while (digits < text.size() && text[digits] >= '0' && text[digits] <= '9') ++digits;
  if (digits == 0 || digits > 12) return std::nullopt;
  const std::int64_t n = std::stoll(text.substr(0, digits));
  const std::string unit = text.substr(digits);
  std::int64_t unit_ms = 0;
  if (unit == "ms") unit_ms = 1;
  if (unit == "s") unit_ms = 1000;
  if (unit == "m" || unit == "min") unit_ms = 60 * 1000;
  if (unit == "h") unit_ms = 3600 * 1000;
  if (unit == "d") unit_ms = 86400 * 1000;
  if (unit_ms == 0 || n > kMaxSeconds * 1000 / unit_ms) return std::nullopt;
  return n * unit_ms;
}

}  // namespace ordercare
