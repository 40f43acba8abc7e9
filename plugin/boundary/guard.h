// The catch-all around every extern "C" entry point: whatever happens
// inside becomes a status and a last-error message, never an exception, an
// abort or an exit in the host; and only a status the entry point's
// contract lists (boundary/status_contract.h).
#pragma once

#include <exception>
#include <string>

#include "boundary/last_error.h"
#include "boundary/status_contract.h"
#include "common/failure.h"

namespace ordercare::boundary {

// A status the contract does not list is a bug: it becomes OC_ERR_INTERNAL
// naming what it was, so a host never meets a code its header did not
// promise. Never throws.
FailureReport within_contract(const StatusContract &contract, FailureReport report) noexcept;

template <class Body>
oc_status guarded(const StatusContract &contract, Body &&body) noexcept {
  try {
    body();
    record_success();
    return OC_OK;
  } catch (...) {
    const FailureReport report = within_contract(contract, report_of(std::current_exception()));
    return record_error(report.status, report.message);
  }
}

}  // namespace ordercare::boundary
