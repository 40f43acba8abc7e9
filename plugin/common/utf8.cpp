#include "common/utf8.h"

#include <cstdint>
#include <cstring>
#include <string>

namespace ordercare {

std::optional<std::size_t> find_invalid_utf8(std::string_view text) {
  const auto *s = reinterpret_cast<const unsigned char *>(text.data());
  const std::size_t n = text.size();
  std::size_t i = 0;
  while (i < n) {
    // Webhook bodies and events are nearly all ASCII: eight bytes at a
    // time while no byte has its top bit set.
    constexpr std::uint64_t kTopBits = 0x8080808080808080u;
    while (i + sizeof(std::uint64_t) <= n) {
      std::uint64_t word;
      std::memcpy(&word, s + i, sizeof word);
      if (word & kTopBits) break;
      i += sizeof word;
    }
    if (i == n) break;
    const unsigned char c = s[i];
    if (c < 0x80) {
      ++i;
      continue;
    }
    std::size_t len;
    std::uint32_t cp;
    if (c >= 0xC2 && c <= 0xDF) {
      len = 2;
      cp = c & 0x1Fu;
    } else if (c >= 0xE0 && c <= 0xEF) {
      len = 3;
      cp = c & 0x0Fu;
    } else if (c >= 0xF0 && c <= 0xF4) {
      len = 4;
      cp = c & 0x07u;
    } else {
      return i;
    }
    if (i + len > n) return i;
    for (std::size_t k = 1; k < len; ++k) {
      if ((s[i + k] & 0xC0) != 0x80) return i;
      cp = (cp << 6) | (s[i + k] & 0x3Fu);
    }
    const bool overlong = (len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000);
    const bool surrogate = cp >= 0xD800 && cp <= 0xDFFF;
    if (overlong || surrogate || cp > 0x10FFFF) return i;
    i += len;
  }
  return std::nullopt;
}

namespace {

std::uint32_t fold_code_point(std::uint32_t cp) {
  if (cp >= 'A' && cp <= 'Z') return cp + 32;
  if ((cp >= 0xC0 && cp <= 0xDE && cp != 0xD7)) return cp + 32;  // Latin-1
  if (cp == 0x178) return 0xFF;  // Y with diaeresis: its lower case is in Latin-1
  if (cp >= 0x100 && cp <= 0x17F && cp != 0x130 && cp != 0x131 && cp != 0x138 &&
      cp != 0x149 && cp != 0x17F) {
    // Latin Extended-A pairs: even upper / odd lower, except 0x139-0x148 and
    // 0x179-0x17E where the pairs start on odd code points.
    const bool odd_pairs = (cp >= 0x139 && cp <= 0x148) || (cp >= 0x179 && cp <= 0x17E);
    if (odd_pairs ? (cp % 2 == 1) : (cp % 2 == 0)) return cp + 1;
    return cp;
  }
  if (cp >= 0x391 && cp <= 0x3AB && cp != 0x3A2) return cp + 32;  // Greek
  if (cp >= 0x410 && cp <= 0x42F) return cp + 32;                  // Cyrillic
  if (cp >= 0x400 && cp <= 0x40F) return cp + 80;
  return cp;
}

void append_utf8(std::string &out, std::uint32_t cp) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

}  // namespace

std::string fold_case(std::string_view utf8) {
  std::string out;
  out.reserve(utf8.size());
  const auto *s = reinterpret_cast<const unsigned char *>(utf8.data());
  std::size_t i = 0;
  while (i < utf8.size()) {
    const unsigned char c = s[i];
    std::size_t len = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
    // A byte that does not start a well-formed sequence is copied as it is,
    // so a malformed byte never swallows the characters after it.
    if (len > 1 && (i + len > utf8.size() || find_invalid_utf8(utf8.substr(i, len)))) len = 1;
    std::uint32_t cp = len == 1 ? c : (c & (0xFFu >> (len + 1)));
    for (std::size_t k = 1; k < len; ++k) cp = (cp << 6) | (s[i + k] & 0x3Fu);
    if (len == 1 && c >= 0x80) {
      out += static_cast<char>(c);
    } else {
      append_utf8(out, fold_code_point(cp));
    }
    i += len;
  }
  return out;
}

}  // namespace ordercare
