// A stored row that cannot be read back: its sealed part fails
// authentication or its body does not parse (a corrupt store). The vault
// and the document reader throw it; a listing catches it, leaves the row
// out and reports it as a SkippedRow instead of failing whole.
#pragma once

#include <cstddef>
#include <string>

#include "common/failure.h"

namespace ordercare::store {

class UnreadableRow : public Failure {
 public:
  using Failure::Failure;
};

struct SkippedRow {
  std::string id;      // the row's id (a case, return or escalation id)
  std::string reason;  // why it could not be read; never holds PII
  std::size_t position = 0;  // among the rows the listing read, for paging
};

}  // namespace ordercare::store
