// A store of open cases with live SLA timers, as a shop that has been
// running a while holds them: built once through the Store interface in
// large transactions, kept in OC_BENCH_DIR (or TMPDIR, or /tmp) as
// oc_sla_scale_<cases>.db (with its key file) and reused by later runs and
// by every benchmark that wants a big store (sla_scale_bench,
// events_bench growth). A file "<store>.built" says the build finished.
#pragma once

#include <cstdint>
#include <string>

#include "common/time_format.h"
#include "domain/entities.h"
#include "domain/policy.h"

namespace ordercare::bench {

// "Now" when the store was built; every timer is later. Years ahead, so
// that the system clock finds nothing due either.
TimeMs open_cases_built_at();

// Case i, open at open_cases_built_at().
domain::CaseRecord make_open_case(std::int64_t i, const domain::Policy &policy);

struct OpenCaseStore {
  std::string path;
  bool built_now = false;
  double build_seconds = 0;  // when built now
};

// The store of `cases` open cases, built first if there is none yet (or
// `rebuild`); the build prints its progress on stderr and one line,
// "build  ...", on stdout.
OpenCaseStore open_case_store(std::int64_t cases, bool rebuild = false);

// A copy of the store (its WAL, if any, and its key file too) in a new
// directory next to it, for a run that writes to it, so that every run
// starts from the same file; prints how long the copy took. The
// directory goes with the object.
class OpenCaseCopy {
 public:
  explicit OpenCaseCopy(const OpenCaseStore &store);
  ~OpenCaseCopy();
  OpenCaseCopy(const OpenCaseCopy &) = delete;
  OpenCaseCopy &operator=(const OpenCaseCopy &) = delete;

  const std::string &path() const { return path_; }

 private:
  std::string dir_, path_;
};

}  // namespace ordercare::bench
