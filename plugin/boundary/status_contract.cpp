#include "boundary/guard.h"

namespace ordercare::boundary {

FailureReport within_contract(const StatusContract &contract, FailureReport report) noexcept {
  if (contract.allows(report.status)) return report;
  try {
    report.message = "internal error: " + std::string(contract.entry_point) + " met " +
                     oc_status_name(report.status) + ", which it does not return: " + report.message;
  } catch (...) {
    // Out of memory while saying so; the status alone still holds.
  }
  report.status = OC_ERR_INTERNAL;
  return report;
}

}  // namespace ordercare::boundary
