// parse_json_fast against Json::parse on any bytes that parse_json lets
// through (no NUL, valid UTF-8): the same value with the same types at
// every node, or a refusal by both. Then dump_json's own writer against
// nlohmann's on what parsed: the same bytes. Any difference aborts.
#include <cstdio>
#include <cstdlib>

#include "common/failure.h"
#include "common/json.h"
#include "common/utf8.h"
#include "fuzz_support.h"
#include "support/json_difference.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size) {
  using namespace ordercare;
  const std::string_view text = fuzz::as_text(data, size);
  if (text.find('\0') != std::string_view::npos || find_invalid_utf8(text)) return 0;
  if (const std::string difference = testing::fast_parse_difference(text); !difference.empty()) {
    std::fprintf(stderr, "parse_json_fast differs from Json::parse: %s\n", difference.c_str());
    std::abort();
  }
  Json value;
  try {
    value = parse_json(text, "fuzz");  // refuses what is too deep to write back
  } catch (const Failure &) {
    return 0;
  }
  if (dump_json(value) != value.dump(-1, ' ', false, Json::error_handler_t::strict)) {
    std::fprintf(stderr, "dump_json differs from nlohmann's dump\n");
    std::abort();
  }
  return 0;
}
