// The one error type inside the plugin. Anything that fails throws a
// Failure carrying the oc_status the boundary will return; any other
// exception reaching the boundary is a bug and maps to OC_ERR_INTERNAL.
#pragma once

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

[[noreturn]] inline void fail(oc_status status, const std::string &message) {
  throw Failure(status, message);
}

}  // namespace ordercare
