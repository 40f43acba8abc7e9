#pragma once

#include <string_view>

namespace ordercare {

// A language tag as customers' languages are named in events, config and
// calls: "en", "de", "de-AT" (BCP 47's form, not its registry): a primary
// subtag of 2 to 8 letters, then subtags of 1 to 8 letters or digits,
// split by '-' or '_'; at most 35 characters. The schema's "language"
// pattern says the same.
bool valid_language_tag(std::string_view tag);

}  // namespace ordercare
