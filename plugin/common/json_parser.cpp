#include "common/json_parser.h"

#include <bit>
#include <charconv>
#include <cstdint>
#include <cstring>
#include <limits>
#include <string>
#include <system_error>
#include <tuple>
#include <utility>
#include <vector>

namespace ordercare {

namespace {

bool is_digit(char c) { return c >= '0' && c <= '9'; }

// The high bit of each byte of `word` that is '"', '\\' or a control
// character. Exact up to the first such byte: a byte below 0x20 or a match
// borrows from the byte above it, which may then be flagged wrongly, so only
// the lowest flag may be trusted (and only that one is used).
std::uint64_t special_bytes(std::uint64_t word) {
  constexpr std::uint64_t kOnes = 0x0101010101010101ull, kHigh = 0x8080808080808080ull;
  const std::uint64_t below_space = (word - kOnes * 0x20) & ~word;
  const std::uint64_t quote = word ^ (kOnes * '"'), backslash = word ^ (kOnes * '\\');
  return (below_space | ((quote - kOnes) & ~quote) | ((backslash - kOnes) & ~backslash)) & kHigh;
}

bool is_special(char c) { return c == '"' || c == '\\' || static_cast<unsigned char>(c) < 0x20; }

// The first '"', '\\' or control character in [p, end), or end: eight bytes
// a step, as most strings hold none of them until their closing quote.
const char *find_special(const char *p, const char *end) {
  if constexpr (std::endian::native == std::endian::little) {
    while (end - p >= 8) {
      std::uint64_t word;
      std::memcpy(&word, p, 8);
      if (const std::uint64_t flags = special_bytes(word); flags != 0) return p + std::countr_zero(flags) / 8;
      p += 8;
    }
  }
  while (p != end && !is_special(*p)) ++p;
  return p;
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

void append_utf8(std::string &out, std::uint32_t cp) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    const char bytes[] = {static_cast<char>(0xC0 | (cp >> 6)), static_cast<char>(0x80 | (cp & 0x3F))};
    out.append(bytes, sizeof bytes);
  } else if (cp < 0x10000) {
    const char bytes[] = {static_cast<char>(0xE0 | (cp >> 12)), static_cast<char>(0x80 | ((cp >> 6) & 0x3F)),
                          static_cast<char>(0x80 | (cp & 0x3F))};
    out.append(bytes, sizeof bytes);
  } else {
    const char bytes[] = {static_cast<char>(0xF0 | (cp >> 18)), static_cast<char>(0x80 | ((cp >> 12) & 0x3F)),
                          static_cast<char>(0x80 | ((cp >> 6) & 0x3F)), static_cast<char>(0x80 | (cp & 0x3F))};
    out.append(bytes, sizeof bytes);
  }
}

// A recursive descent over the text. Every function returns false on the
// first thing it does not accept; the caller then drops the partial value.
class Parser {
 public:
  explicit Parser(std::string_view text) : p_(text.data()), end_(text.data() + text.size()) {}

  // Exactly one value, with whitespace around it, after a UTF-8 byte order
  // mark if there is one (Json::parse skips it).
  bool document(Json &out) {
    if (end_ - p_ >= 3 && std::memcmp(p_, "\xEF\xBB\xBF", 3) == 0) p_ += 3;
    skip_whitespace();
    if (!value(out, 0)) return false;
    skip_whitespace();
    return p_ == end_;
  }

 private:
  const char *p_;
  const char *const end_;
  // The unescaped text of the string just read, when it held an escape.
  std::string unescaped_;
  // The items of the arrays being read, innermost last: each array is then
  // allocated once at its final size instead of growing item by item.
  std::vector<Json> items_;

  // JSON's whitespace, and nothing else (no form feed, no comments).
  void skip_whitespace() {
    while (p_ != end_ && (*p_ == ' ' || *p_ == '\n' || *p_ == '\r' || *p_ == '\t')) ++p_;
  }

  bool value(Json &out, int depth) {
    if (p_ == end_) return false;
    switch (*p_) {
      case '{': return object(out, depth + 1);
      case '[': return array(out, depth + 1);
      case '"': {
        std::string_view text;
        if (!string(text)) return false;
        out = Json(Json::value_t::string);
        out.get_ref<Json::string_t &>().assign(text);
        return true;
      }
      case 't': return literal("true", out, true);
      case 'f': return literal("false", out, false);
      case 'n': return literal("null", out, nullptr);
      default: return number(out);
    }
  }

  template <typename Value>
  bool literal(std::string_view word, Json &out, Value v) {
    if (static_cast<std::size_t>(end_ - p_) < word.size() || std::memcmp(p_, word.data(), word.size()) != 0)
      return false;
    p_ += word.size();
    out = v;
    return true;
  }

  bool object(Json &out, int depth) {
    if (depth > static_cast<int>(kMaxJsonDepth)) return false;
    ++p_;  // '{'
    out = Json(Json::value_t::object);
    auto &members = out.get_ref<Json::object_t &>();
    skip_whitespace();
    if (p_ != end_ && *p_ == '}') {
      ++p_;
      return true;
    }
    while (true) {
      std::string_view key;
      if (p_ == end_ || *p_ != '"' || !string(key)) return false;
      skip_whitespace();
      if (p_ == end_ || *p_ != ':') return false;
      ++p_;
      skip_whitespace();
      if (!value(member(members, key), depth)) return false;
      skip_whitespace();
      if (p_ == end_) return false;
      if (*p_ == '}') {
        ++p_;
        return true;
      }
      if (*p_ != ',') return false;
      ++p_;
      skip_whitespace();
    }
  }

  // The null value to read `key`'s value into. Json::parse assigns a
  // repeated key's value through operator[], so the last one is kept.
  static Json &member(Json::object_t &members, std::string_view key) {
    // Keys often come in order (our own documents are written from a
    // std::map, and platforms mostly sort theirs): one past the last one
    // goes at the end, with two comparisons instead of a search.
    if (members.empty() || members.rbegin()->first < key)
      return members.emplace_hint(members.end(), std::piecewise_construct, std::forward_as_tuple(key), std::tuple<>())
          ->second;
    const auto [slot, added] = members.try_emplace(std::string(key));
    if (!added) slot->second = nullptr;
    return slot->second;
  }

  bool array(Json &out, int depth) {
    if (depth > static_cast<int>(kMaxJsonDepth)) return false;
    ++p_;  // '['
    out = Json(Json::value_t::array);
    skip_whitespace();
    if (p_ != end_ && *p_ == ']') {
      ++p_;
      return true;
    }
    const std::size_t first = items_.size();
    while (true) {
      // Read into a local: a nested array grows items_ and would move it.
      Json item;
      if (!value(item, depth)) return false;
      items_.push_back(std::move(item));
      skip_whitespace();
      if (p_ == end_) return false;
      if (*p_ == ']') {
        ++p_;
        break;
      }
      if (*p_ != ',') return false;
      ++p_;
      skip_whitespace();
    }
    auto &elements = out.get_ref<Json::array_t &>();
    const auto begin = items_.begin() + static_cast<std::ptrdiff_t>(first);
    elements.assign(std::make_move_iterator(begin), std::make_move_iterator(items_.end()));
    items_.erase(begin, items_.end());
    return true;
  }

  // Reads the string whose opening quote is at p_. `text` views the input
  // when the string holds no escape (the common case: no copy until the
  // caller builds its std::string), and unescaped_ otherwise.
  bool string(std::string_view &text) {
    const char *const start = ++p_;
    const char *stop = find_special(start, end_);
    if (stop != end_ && *stop == '"') {
      text = std::string_view(start, static_cast<std::size_t>(stop - start));
      p_ = stop + 1;
      return true;
    }
    unescaped_.assign(start, stop);
    p_ = stop;
    while (true) {
      if (p_ == end_) return false;
      if (*p_ == '"') break;
      if (*p_ != '\\' || !unescape()) return false;  // a raw control character, or a bad escape
      stop = find_special(p_, end_);
      unescaped_.append(p_, stop);
      p_ = stop;
    }
    ++p_;
    text = unescaped_;
    return true;
  }

  // The escape at p_ ('\\'), appended to unescaped_ as UTF-8.
  bool unescape() {
    if (end_ - p_ < 2) return false;
    const char kind = p_[1];
    p_ += 2;
    switch (kind) {
      case '"': unescaped_ += '"'; return true;
      case '\\': unescaped_ += '\\'; return true;
      case '/': unescaped_ += '/'; return true;
      case 'b': unescaped_ += '\b'; return true;
      case 'f': unescaped_ += '\f'; return true;
      case 'n': unescaped_ += '\n'; return true;
      case 'r': unescaped_ += '\r'; return true;
      case 't': unescaped_ += '\t'; return true;
      case 'u': break;
      default: return false;
    }
    std::uint32_t cp = 0;
    if (!hex4(cp)) return false;
    if (cp >= 0xDC00 && cp <= 0xDFFF) return false;  // a low surrogate with no high one before it
    if (cp >= 0xD800 && cp <= 0xDBFF) {
      // A high surrogate must be followed at once by an escaped low one.
      std::uint32_t low = 0;
      if (end_ - p_ < 2 || p_[0] != '\\' || p_[1] != 'u') return false;
      p_ += 2;
      if (!hex4(low) || low < 0xDC00 || low > 0xDFFF) return false;
      cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
    }
    append_utf8(unescaped_, cp);
    return true;
  }

  bool hex4(std::uint32_t &cp) {
    if (end_ - p_ < 4) return false;
    for (int i = 0; i < 4; ++i) {
      const int digit = hex_value(p_[i]);
      if (digit < 0) return false;
      cp = (cp << 4) | static_cast<std::uint32_t>(digit);
    }
    p_ += 4;
    return true;
  }

  // -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?, typed as Json::parse
  // types it. Integers are summed digit by digit; only a fraction, an
  // exponent or an integer beyond 64 bits goes through from_chars, which is
  // correctly rounded like the strtod nlohmann calls.
  bool number(Json &out) {
    const char *const start = p_;
    const bool negative = *p_ == '-';
    if (negative) ++p_;
    const char *const digits = p_;
    if (p_ == end_ || !is_digit(*p_)) return false;
    if (*p_ == '0')
      ++p_;
    else
      while (p_ != end_ && is_digit(*p_)) ++p_;
    const char *const digits_end = p_;
    bool integral = true;
    if (p_ != end_ && *p_ == '.') {
      integral = false;
      if (!skip_digits(++p_)) return false;
    }
    if (p_ != end_ && (*p_ == 'e' || *p_ == 'E')) {
      integral = false;
      ++p_;
      if (p_ != end_ && (*p_ == '+' || *p_ == '-')) ++p_;
      if (!skip_digits(p_)) return false;
    }
    std::uint64_t magnitude = 0;
    if (integral && fits_uint64(digits, digits_end)) {
      for (const char *d = digits; d != digits_end; ++d) magnitude = magnitude * 10 + static_cast<unsigned>(*d - '0');
      constexpr auto kMinMagnitude = static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()) + 1;
      if (!negative) {
        out = static_cast<Json::number_unsigned_t>(magnitude);
        return true;
      }
      if (magnitude <= kMinMagnitude) {
        // -2^63 has no positive int64; 0 - magnitude wraps to exactly it.
        out = static_cast<Json::number_integer_t>(0 - magnitude);
        return true;
      }
    }
    // from_chars says out of range both for a number too large for a double,
    // which Json::parse refuses (and so do we), and for one too small, which
    // strtod and so Json::parse read as a zero of its sign.
    double real = 0;
    const auto [end, error] = std::from_chars(start, p_, real);
    if (end != p_) return false;
    if (error == std::errc::result_out_of_range && is_tiny(digits, p_))
      real = negative ? -0.0 : 0.0;
    else if (error != std::errc())
      return false;
    out = real;
    return true;
  }

  // One digit or more from p.
  bool skip_digits(const char *&p) {
    const char *const first = p;
    while (p != end_ && is_digit(*p)) ++p;
    return p != first;
  }

  // Whether a number (from its first digit) is below the smallest double
  // rather than beyond the largest: whether its first significant digit,
  // once the exponent is applied, lies below the units. All zeros count as
  // small. Exact for the numbers from_chars finds out of range, whose first
  // significant digit is at 10^308 or above, or at 10^-324 or below.
  static bool is_tiny(const char *digits, const char *end) {
    std::int64_t integer_digits = 0, leading_zeros = 0, exponent = 0;
    bool in_fraction = false, significant = false;
    const char *p = digits;
    for (; p != end && *p != 'e' && *p != 'E'; ++p) {
      if (*p == '.') {
        in_fraction = true;
        continue;
      }
      if (!in_fraction) ++integer_digits;
      if (*p != '0') significant = true;
      if (!significant) ++leading_zeros;
    }
    if (!significant) return true;
    if (p != end) {
      ++p;  // 'e'
      const bool negative_exponent = *p == '-';
      if (*p == '-' || *p == '+') ++p;
      // Past a million the exact value does not matter, and it cannot overflow.
      for (; p != end && exponent < 1'000'000; ++p) exponent = exponent * 10 + (*p - '0');
      if (negative_exponent) exponent = -exponent;
    }
    return integer_digits - 1 - leading_zeros + exponent < 0;
  }

  // Whether the digits (no leading zero unless alone) are at most 2^64 - 1.
  static bool fits_uint64(const char *digits, const char *end) {
    constexpr std::string_view kMax = "18446744073709551615";
    const auto count = static_cast<std::size_t>(end - digits);
    return count < kMax.size() || (count == kMax.size() && std::string_view(digits, count) <= kMax);
  }
};

}  // namespace

std::optional<Json> parse_json_fast(std::string_view text) {
  Parser parser(text);
  std::optional<Json> out(std::in_place);
  if (!parser.document(*out)) return std::nullopt;
  return out;
}

}  // namespace ordercare
