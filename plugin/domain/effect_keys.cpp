#include "domain/effect_keys.h"

namespace ordercare::domain {

std::string effect_key(std::initializer_list<std::string> parts) {
  std::string out;
  bool first = true;
  for (const auto &part : parts) {
    if (!first) out += ':';
    first = false;
    for (char c : part) {
      if (c == '%') out += "%25";
      else if (c == ':') out += "%3A";
      else out += c;
    }
  }
  return out;
}

}  // namespace ordercare::domain
