#include "common/failure.h"

#include <new>

namespace ordercare {

namespace {

FailureReport report_of_unguarded(std::exception_ptr error) {
  try {
    std::rethrow_exception(error);
  } catch (const Failure &failure) {
    return {failure.status(), failure.what()};
  } catch (const std::bad_alloc &) {
    return {OC_ERR_NOMEM, "out of memory"};
  } catch (const std::exception &e) {
    return {OC_ERR_INTERNAL, std::string("internal error: ") + e.what()};
  } catch (...) {
    return {OC_ERR_INTERNAL, "internal error: unknown exception"};
  }
}

}  // namespace

FailureReport report_of(std::exception_ptr error) noexcept {
  try {
    return report_of_unguarded(error);
  } catch (...) {
    // Copying a message ran out of memory. These fit std::string's inline
    // buffer, so making them allocates nothing.
    FailureReport fallback;
    fallback.status = OC_ERR_NOMEM;
    try {
      fallback.message = "out of memory";
    } catch (...) {
    }
    return fallback;
  }
}

}  // namespace ordercare
