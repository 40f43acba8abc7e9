// The catch-all around every extern "C" entry point: whatever happens
// inside becomes a status and a last-error message, never an exception, an
// abort or an exit in the host.
#pragma once

#include <exception>
#include <new>

#include "boundary/last_error.h"
#include "common/failure.h"

namespace ordercare::boundary {

template <class Body>
oc_status guarded(Body &&body) noexcept {
  try {
    body();
    record_success();
    return OC_OK;
  } catch (const Failure &failure) {
    return record_error(failure.status(), failure.what());
  } catch (const std::bad_alloc &) {
    return record_error(OC_ERR_NOMEM, "out of memory");
  } catch (const std::exception &e) {
    // Anything else escaping the plugin is a bug; say what it was.
    try {
      return record_error(OC_ERR_INTERNAL, std::string("internal error: ") + e.what());
    } catch (...) {
      return record_error(OC_ERR_INTERNAL, "internal error");
    }
  } catch (...) {
    return record_error(OC_ERR_INTERNAL, "internal error: unknown exception");
  }
}

}  // namespace ordercare::boundary
