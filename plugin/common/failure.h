// The one error type inside the plugin. Anything that fails throws a
// Failure carrying the oc_status the boundary will return; any other
// exception reaching the boundary is a bug and maps to OC_ERR_INTERNAL.
#pragma once

#include <exception>
#include <stdexcept>
#include <string>

#include "ordercare.h"

namespace ordercare {

class Failure : public std::runtime_error {
 public:
  Failure(oc_status status, const std::string &message)
      : std::runtime_error(message), status_(status) {}
  oc_status status() const noexcept { return status_; }

 private:
  oc_status status_;
};

// An exception as the status and message a caller reports: a Failure's
// own, out of memory, or (a bug) any other exception as OC_ERR_INTERNAL
// with what it said. Never throws: should even the message fail to be
// made, a fixed one short enough to need no memory stands in.
struct FailureReport {
  oc_status status = OC_OK;
  std::string message;
};
FailureReport report_of(std::exception_ptr error) noexcept;

[[noreturn]] inline void fail(oc_status status, const std::string &message) {
  throw Failure(status, message);
}

}  // namespace ordercare
