// Reads one JSON object field by field, so that every bad value and every
// unknown key is reported with its full path ("config: policy.priority.
// large_order.USD: expected an integer ...") and one status: OC_ERR_CONFIG
// for the config, OC_ERR_SCHEMA for oc_call args. Policy structs are filled
// once at open from these readers; rules never read raw JSON.
#pragma once

#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "common/json.h"
#include "ordercare.h"

namespace ordercare {

class ConfigReader {
 public:
  // `value` must be an object (else OC_ERR_CONFIG at `path`). A null value
  // reads as an empty object, so optional sections may be omitted.
  ConfigReader(const Json &value, std::string path, oc_status status = OC_ERR_CONFIG,
               const char *label = "config");
  // The reader keeps a reference: a temporary would dangle. Use
  // value_or_empty() for an optional section.
  ConfigReader(const Json &&value, std::string path, oc_status status = OC_ERR_CONFIG,
               const char *label = "config") = delete;

  const std::string &path() const { return path_; }
  std::string path_of(const std::string &key) const;
  bool has(const std::string &key) const;

  std::string string(const std::string &key, const std::string &fallback);
  std::optional<std::string> optional_string(const std::string &key);
  // An integer from min to max. For oc_call args (OC_ERR_SCHEMA) the range
  // is further bounded by +-kMaxAmount (common/value_ranges.h).
  std::int64_t integer(const std::string &key, std::int64_t fallback, std::int64_t min,
                       std::int64_t max);
  double number(const std::string &key, double fallback, double min, double max);
  bool boolean(const std::string &key, bool fallback);
  std::vector<std::string> string_list(const std::string &key,
                                       const std::vector<std::string> &fallback);
  // One of `choices`.
  std::string choice(const std::string &key, const std::string &fallback,
                     const std::vector<std::string> &choices);
  // A duration given as a number of seconds or a string "30s", "10m", "2h",
  // "7d"; returned in milliseconds.
  std::int64_t duration_ms(const std::string &key, std::int64_t fallback_ms);
  // The raw child (object, array...) or nullptr; marks it read.
  const Json *child(const std::string &key);
  // Whether `key` is present with the value null (child() reads that as
  // absent): "null turns this off", where the config says so.
  bool is_null(const std::string &key);

  // Fails on the first key that no accessor asked for.
  void finish() const;

 private:
  const Json &value_;
  [[noreturn]] void fail_at(const std::string &path, const std::string &message) const;

  std::string path_;
  oc_status status_;
  const char *label_;
  std::int64_t integer_limit_;
  std::set<std::string> read_;
  static const Json kEmpty;
};

// "30s", "10m", "2h", "7d", "1500ms" or a number of seconds -> milliseconds.
std::optional<std::int64_t> parse_duration_ms(const Json &value);

[[noreturn]] void fail_config(const std::string &path, const std::string &message);

// "policy.hours" + "mon" -> "policy.hours.mon"; "" + "mon" -> "mon".
std::string join_path(std::string_view path, std::string_view field);
// OC_ERR_CONFIG "<path>: <message>", for readers that carry their own
// label in `path` (fail_config adds "config: ").
[[noreturn]] void config_error(std::string_view path, const std::string &message);

// The section, or a shared empty one when it is absent.
const Json &value_or_empty(const Json *section);

// A reader for oc_call arguments: failures are OC_ERR_SCHEMA "args: <path>: ...".
inline ConfigReader args_reader(const Json &args) {
  return ConfigReader(args, "", OC_ERR_SCHEMA, "args");
}

}  // namespace ordercare
