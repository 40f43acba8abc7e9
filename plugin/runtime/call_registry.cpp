#include "runtime/call_registry.h"

#include "common/config_reader.h"
#include "common/failure.h"
#include "common/value_ranges.h"

namespace ordercare::runtime {

void CallRegistry::add(const std::string &method, CallHandler handler) {
  calls_[method] = Call{std::move(handler), false};
}

void CallRegistry::add_command(const std::string &method, CallHandler handler) {
  calls_[method] = Call{std::move(handler), true};
}

const Call *CallRegistry::find(const std::string &method) const {
  auto it = calls_.find(method);
  return it == calls_.end() ? nullptr : &it->second;
}

std::vector<std::string> CallRegistry::methods() const {
  std::vector<std::string> out;
  for (const auto &[name, call] : calls_) out.push_back(name);
  return out;
}

std::string required_string(ConfigReader &args, const char *key) {
  auto value = args.optional_string(key);
  if (!value) fail(OC_ERR_SCHEMA, "args: " + args.path_of(key) + ": missing required field");
  return *value;
}

std::string required_nonempty(ConfigReader &args, const char *key) {
  std::string value = required_string(args, key);
  if (value.empty()) fail(OC_ERR_SCHEMA, "args: " + args.path_of(key) + ": must not be empty");
  return value;
}

std::optional<TimeMs> optional_instant(ConfigReader &args, const char *key) {
  auto text = args.optional_string(key);
  if (!text) return std::nullopt;
  const auto t = parse_rfc3339(*text);
  if (!t || !in_time_range(*t))
    fail(OC_ERR_SCHEMA, "args: " + args.path_of(key) + ": expected an RFC 3339 date-time from " +
                            format_rfc3339(kMinTimeMs) + " to " + format_rfc3339(kMaxTimeMs));
  return t;
}

TimeMs required_instant(ConfigReader &args, const char *key) {
  if (!args.has(key)) fail(OC_ERR_SCHEMA, "args: " + args.path_of(key) + ": missing required field");
  return *optional_instant(args, key);
}

Page read_page(ConfigReader &args, const std::string &cursor_prefix) {
  Page page;
  page.limit = static_cast<std::size_t>(args.integer("limit", 50, 1, 1000));
  if (auto cursor = args.optional_string("cursor")) page.after = cursor_position(*cursor, cursor_prefix);
  return page;
}

std::int64_t cursor_position(const std::string &cursor, const std::string &cursor_prefix) {
  const std::string expected = cursor_prefix + ":";
  bool ok = cursor.rfind(expected, 0) == 0 && cursor.size() > expected.size() &&
            cursor.size() - expected.size() <= 18;
  for (std::size_t i = expected.size(); ok && i < cursor.size(); ++i) ok = cursor[i] >= '0' && cursor[i] <= '9';
  if (!ok) fail(OC_ERR_SCHEMA, "args: cursor: not a cursor returned by this method");
  return std::stoll(cursor.substr(expected.size()));
}

Json next_cursor(const std::string &prefix, bool has_more, std::int64_t last_position) {
  if (!has_more) return nullptr;
  return prefix + ":" + std::to_string(last_position);
}

}  // namespace ordercare::runtime
