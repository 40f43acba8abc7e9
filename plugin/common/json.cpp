#include "common/json.h"

#include <charconv>
#include <cstring>
#include <limits>
#include <optional>

#include "common/failure.h"
#include "common/json_parser.h"
#include "common/utf8.h"

namespace ordercare {

namespace {

// The offset of the bracket that opens level kMaxJsonDepth + 1, if any.
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
      if (++depth > kMaxJsonDepth) return i;
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
  // Well-formed text, nearly all of it, is read by our own parser, which
  // refuses nesting deeper than kMaxJsonDepth itself; what it does not
  // accept, Json::parse reads again to say what is wrong and where, once
  // the depth is known to be safe for its recursion (a pass over the text
  // that the well-formed need not pay for).
  if (auto value = parse_json_fast(text)) return std::move(*value);
  if (auto deep = find_too_deep(text))
    fail(OC_ERR_JSON, std::string(what) + ": nested deeper than " + std::to_string(kMaxJsonDepth) +
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

namespace {

// dump_json's own writer. nlohmann's serializer decodes every byte of every
// string through its UTF-8 state machine and writes through a virtual
// output adapter; documents are serialized on every write of the event
// path, where that was a quarter of the writer's instructions. This one
// writes the same bytes (json_test compares them on the test data and on
// random values): keys in the object's order, no spaces, "\b \t \n \f
// \r \" \\" and \u00xx for the other control characters, UTF-8 as it is.
// What it does not take on, it leaves to nlohmann: floating-point numbers
// (written by nlohmann, one value at a time), binary values, and strings
// that are not valid UTF-8 (the whole value, which then throws as before).

// Whether any of the eight bytes of `word` must be escaped (below 0x20, '"'
// or '\\') or is not ASCII: the usual bit tricks, eight bytes a step.
bool needs_a_look(std::uint64_t word) {
  constexpr std::uint64_t kOnes = 0x0101010101010101ull, kHigh = 0x8080808080808080ull;
  const std::uint64_t below_space = (word - kOnes * 0x20) & ~word;
  const std::uint64_t quote = word ^ (kOnes * '"'), backslash = word ^ (kOnes * '\\');
  const std::uint64_t zero_quote = (quote - kOnes) & ~quote, zero_backslash = (backslash - kOnes) & ~backslash;
  return ((below_space | zero_quote | zero_backslash) & kHigh) != 0 || (word & kHigh) != 0;
}

// Appends `text` quoted and escaped; false (and `out` is to be dropped) if
// it is not valid UTF-8. Most texts need no escape: those are looked at
// eight bytes a step and copied whole, with their quotes, in one go.
bool append_string(std::string &out, std::string_view text) {
  static constexpr char kHex[] = "0123456789abcdef";
  if (is_plain_json_text(text)) {
    const std::size_t at = out.size();
    out.resize(at + text.size() + 2);
    char *p = out.data() + at;
    p[0] = '"';
    if (!text.empty()) std::memcpy(p + 1, text.data(), text.size());
    p[text.size() + 1] = '"';
    return true;
  }
  out += '"';
  const char *data = text.data();
  const std::size_t size = text.size();
  std::size_t run = 0;  // start of the bytes not yet copied
  bool validated = false;
  std::size_t i = 0;
  while (i < size) {
    if (i + 8 <= size) {
      std::uint64_t word;
      std::memcpy(&word, data + i, 8);
      if (!needs_a_look(word)) {
        i += 8;
        continue;
      }
    }
    const auto c = static_cast<unsigned char>(data[i]);
    if (c >= 0x80 && !validated) {
      if (find_invalid_utf8(text)) return false;
      validated = true;
    }
    if (c >= 0x20 && c != '"' && c != '\\') {
      ++i;
      continue;
    }
    out.append(data + run, i - run);
    run = ++i;
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\b': out += "\\b"; break;
      case '\t': out += "\\t"; break;
      case '\n': out += "\\n"; break;
      case '\f': out += "\\f"; break;
      case '\r': out += "\\r"; break;
      default: {
        const char escape[] = {'\\', 'u', '0', '0', kHex[c >> 4], kHex[c & 15]};
        out.append(escape, sizeof escape);
      }
    }
  }
  out.append(data + run, size - run);
  out += '"';
  return true;
}

template <class Integer>
void append_integer(std::string &out, Integer value) {
  char digits[24];
  const auto written = std::to_chars(digits, digits + sizeof digits, value);
  out.append(digits, written.ptr);
}

// False when the value holds something left to nlohmann (see above).
bool append_json(std::string &out, const Json &value) {
  switch (value.type()) {
    case Json::value_t::null: out += "null"; return true;
    case Json::value_t::boolean: out += value.get_ref<const Json::boolean_t &>() ? "true" : "false"; return true;
    case Json::value_t::number_integer: append_integer(out, value.get_ref<const Json::number_integer_t &>()); return true;
    case Json::value_t::number_unsigned:
      append_integer(out, value.get_ref<const Json::number_unsigned_t &>());
      return true;
    case Json::value_t::number_float: out += value.dump(); return true;
    case Json::value_t::string: return append_string(out, value.get_ref<const Json::string_t &>());
    case Json::value_t::array: {
      out += '[';
      bool first = true;
      for (const auto &item : value) {
        if (!first) out += ',';
        first = false;
        if (!append_json(out, item)) return false;
      }
      out += ']';
      return true;
    }
    case Json::value_t::object: {
      out += '{';
      bool first = true;
      for (const auto &[key, item] : value.get_ref<const Json::object_t &>()) {
        if (!first) out += ',';
        first = false;
        if (!append_string(out, key)) return false;
        out += ':';
        if (!append_json(out, item)) return false;
      }
      out += '}';
      return true;
    }
    default: return false;  // binary, discarded
  }
}

}  // namespace

bool is_plain_json_text(std::string_view text) {
  constexpr std::uint64_t kSpaces = 0x2020202020202020ull;
  const char *data = text.data();
  const std::size_t size = text.size();
  std::uint64_t word;
  if (size < 8) {
    // Fewer than eight bytes: padded with spaces, which are plain.
    word = kSpaces;
    if (size > 0) std::memcpy(&word, data, size);
    return !needs_a_look(word);
  }
  std::size_t i = 0;
  for (; i + 8 <= size; i += 8) {
    std::memcpy(&word, data + i, 8);
    if (needs_a_look(word)) return false;
  }
  if (i == size) return true;
  // The last bytes, as the last eight (some of them looked at already).
  std::memcpy(&word, data + size - 8, 8);
  return !needs_a_look(word);
}

bool append_json_text(std::string &out, const Json &value) { return append_json(out, value); }

bool append_json_string(std::string &out, std::string_view text) { return append_string(out, text); }

void append_json_integer(std::string &out, std::int64_t value) { append_integer(out, value); }

void append_json_pointer_token(std::string &out, std::string_view segment) {
  for (const char c : segment) {
    if (c == '~')
      out += "~0";
    else if (c == '/')
      out += "~1";
    else
      out += c;
  }
}

std::string json_pointer_token(std::string_view segment) {
  std::string out;
  append_json_pointer_token(out, segment);
  return out;
}

std::string dump_json(const Json &value) {
  std::string out;
  // Most documents written are under a kilobyte: one allocation, not five.
  out.reserve(1024);
  if (append_json(out, value)) return out;
  return value.dump(-1, ' ', false, Json::error_handler_t::strict);
}

}  // namespace ordercare
