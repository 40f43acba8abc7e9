// The catch-all around every extern "C" entry point: whatever happens
// inside becomes a status and a last-error message, never an exception, an
// abort or an exit in the host.
#pragma once

#include <exception>

#include "boundary/last_error.h"
#include "common/failure.h"

namespace ordercare::boundary {

template <class Body>
oc_status guarded(Body &&body) noexcept {
  try {
    body();
    record_success();
    return OC_OK;
  } catch (...) {
    const FailureReport report = report_of(std::current_exception());
    return record_error(report.status, report.message);
  }
}

}  // namespace ordercare::boundary
