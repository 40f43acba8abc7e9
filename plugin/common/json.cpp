#include "common/json.h"

#include "common/failure.h"
#include "common/utf8.h"

namespace ordercare {

Json parse_json(std::string_view text, std::string_view what) {
  if (auto bad = find_invalid_utf8(text))
    fail(OC_ERR_UTF8, std::string(what) + ": invalid UTF-8 at byte " + std::to_string(*bad));
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

std::string dump_json(const Json &value) {
  return value.dump(-1, ' ', false, Json::error_handler_t::strict);
}

}  // namespace ordercare
