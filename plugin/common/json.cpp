#include "common/json.h"

#include <limits>
#include <optional>

#include "common/failure.h"
#include "common/utf8.h"

namespace ordercare {

namespace {

// Deeper than any event, config or argument needs, and shallow enough that
// the recursive serializer and destructor stay far from the thread's stack
// limit: a 1 MiB event of nested brackets would otherwise crash the host.
constexpr std::size_t kMaxDepth = 128;

// The offset of the bracket that opens level kMaxDepth + 1, if any.
std::optional<std::size_t> find_too_deep(std::string_view text) {
  std::size_t depth = 0;
  bool in_string = false, escaped = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (in_string) {
      if (escaped)
        escaped = false;
      else if (c == '\\')
        escaped = true;
      else if (c == '"')
        in_string = false;
    } else if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      if (++depth > kMaxDepth) return i;
    } else if ((c == ']' || c == '}') && depth > 0) {
      --depth;
    }
  }
  return std::nullopt;
}

}  // namespace

Json parse_json(std::string_view text, std::string_view what) {
  // The parser would take a NUL as the end of the input and ignore what
  // follows; the length is what ends it, and no JSON text holds a raw NUL.
  if (const auto nul = text.find('\0'); nul != std::string_view::npos)
    fail(OC_ERR_JSON, std::string(what) + ": malformed JSON at byte " + std::to_string(nul) +
                          " (a NUL byte inside the given length)");
  if (auto bad = find_invalid_utf8(text))
    fail(OC_ERR_UTF8, std::string(what) + ": invalid UTF-8 at byte " + std::to_string(*bad));
  if (auto deep = find_too_deep(text))
    fail(OC_ERR_JSON, std::string(what) + ": nested deeper than " + std::to_string(kMaxDepth) +
                          " levels at byte " + std::to_string(*deep));
  try {
    return Json::parse(text.begin(), text.end());
  } catch (const Json::parse_error &e) {
    fail(OC_ERR_JSON, std::string(what) + ": malformed JSON at byte " + std::to_string(e.byte) +
                          " (" + std::string(e.what()).substr(std::string(e.what()).find(':') + 2) +
                          ")");
  } catch (const Json::out_of_range &e) {
    // A number too large for a double ("1e400") is malformed input too.
    const std::string detail = e.what();
    fail(OC_ERR_JSON, std::string(what) + ": malformed JSON (" +
                          detail.substr(detail.find("] ") + 2) + ")");
  }
}

std::optional<std::int64_t> int64_of(const Json &value) {
  if (value.is_number_unsigned()) {
    const auto u = value.get<std::uint64_t>();
    if (u > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) return std::nullopt;
    return static_cast<std::int64_t>(u);
  }
  if (value.is_number_integer()) return value.get<std::int64_t>();
  return std::nullopt;
}

std::string dump_json(const Json &value) {
  return value.dump(-1, ' ', false, Json::error_handler_t::strict);
}

}  // namespace ordercare
