// libgit2-style per-thread last error. Recording an error never allocates,
// so it cannot fail while an out-of-memory error is being reported.
#pragma once

#include <string_view>

#include "ordercare.h"

namespace ordercare::boundary {

oc_status record_error(oc_status status, std::string_view message) noexcept;
void record_success() noexcept;
const char *last_error_message() noexcept;
oc_status last_error_status() noexcept;

}  // namespace ordercare::boundary
