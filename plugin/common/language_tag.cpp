#include "common/language_tag.h"

#include <algorithm>

namespace ordercare {

bool valid_language_tag(std::string_view tag) {
  if (tag.empty() || tag.size() > 35) return false;
  for (std::size_t start = 0, index = 0;; ++index) {
    const std::size_t end = std::min(tag.find_first_of("-_", start), tag.size());
    const std::size_t length = end - start;
    if (length < (index == 0 ? 2u : 1u) || length > 8) return false;
    for (std::size_t i = start; i < end; ++i) {
      const char ch = tag[i];
      const bool alpha = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z');
      if (!(alpha || (index > 0 && ch >= '0' && ch <= '9'))) return false;
    }
    if (end == tag.size()) return true;
    start = end + 1;
  }
}

}  // namespace ordercare
