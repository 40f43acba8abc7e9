// One reading of an exception for every place that reports one (the C
// boundary, a job's failure, a webhook's answer): issue 16, point 6.
#include "common/failure.h"

#include <gtest/gtest.h>

#include <new>
#include <stdexcept>

namespace ordercare {
namespace {

template <class Thrown>
FailureReport report_of_thrown(Thrown thrown) {
  try {
    throw thrown;
  } catch (...) {
    return report_of(std::current_exception());
  }
}

TEST(FailureReport, AFailureKeepsItsStatusAndMessage) {
  const auto report = report_of_thrown(Failure(OC_ERR_SCHEMA, "data.order: required"));
  EXPECT_EQ(report.status, OC_ERR_SCHEMA);
  EXPECT_EQ(report.message, "data.order: required");
}

TEST(FailureReport, OutOfMemoryIsNomem) {
  const auto report = report_of_thrown(std::bad_alloc());
  EXPECT_EQ(report.status, OC_ERR_NOMEM);
  EXPECT_EQ(report.message, "out of memory");
}

TEST(FailureReport, AnyOtherStandardExceptionIsAnInternalErrorThatSaysWhat) {
  const auto report = report_of_thrown(std::out_of_range("vector::at"));
  EXPECT_EQ(report.status, OC_ERR_INTERNAL);
  EXPECT_EQ(report.message, "internal error: vector::at");
}

TEST(FailureReport, SomethingThatIsNoExceptionIsStillAnInternalError) {
  const auto report = report_of_thrown(42);
  EXPECT_EQ(report.status, OC_ERR_INTERNAL);
  EXPECT_EQ(report.message, "internal error: unknown exception");
}

}  // namespace
}  // namespace ordercare
