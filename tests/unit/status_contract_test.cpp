// The statuses each entry point may return are the lists abi/ordercare.h
// gives (issue 16, point 4): the boundary's contracts equal the header's
// "Returns ..." lists, and a status outside its entry point's contract
// reaches the host as OC_ERR_INTERNAL naming it, never as itself.
#include "boundary/status_contract.h"

#include <gtest/gtest.h>

#include <fstream>
#include <regex>
#include <set>
#include <sstream>
#include <string>

#include "boundary/guard.h"

namespace ordercare::boundary {
namespace {

std::string header_text() {
  std::ifstream in(std::string(OC_TEST_SOURCE_DIR) + "/abi/ordercare.h");
  EXPECT_TRUE(in) << "abi/ordercare.h not found";
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// The comment just before `OC_API oc_status <entry>(`.
std::string comment_of(const std::string &header, std::string_view entry) {
  const std::string declaration = "OC_API oc_status " + std::string(entry) + "(";
  const auto at = header.find(declaration);
  EXPECT_NE(at, std::string::npos) << declaration;
  if (at == std::string::npos) return "";
  const auto open = header.rfind("/*", at);
  return header.substr(open, at - open);
}

std::set<std::string> statuses_in(const std::string &text) {
  static const std::regex kStatus(R"(\bOC_(OK|ERR_[A-Z0-9_]+)\b)");
  std::set<std::string> out;
  for (std::sregex_iterator it(text.begin(), text.end(), kStatus), end; it != end; ++it) out.insert((*it)[0]);
  return out;
}

std::set<std::string> names_of(const StatusContract &contract) {
  std::set<std::string> out;
  for (oc_status status : contract.statuses) out.insert(oc_status_name(status));
  return out;
}

// What follows `from` up to `to` ("" = the end) in `text`.
std::string between(const std::string &text, const std::string &from, const std::string &to) {
  const auto start = text.find(from);
  EXPECT_NE(start, std::string::npos) << from;
  if (start == std::string::npos) return "";
  const auto end = to.empty() ? std::string::npos : text.find(to, start);
  return text.substr(start, end == std::string::npos ? std::string::npos : end - start);
}

TEST(StatusContract, EachEntryPointReturnsExactlyWhatTheHeaderLists) {
  const std::string header = header_text();
  for (const StatusContract *contract : kStatusContracts) {
    const std::string comment = comment_of(header, contract->entry_point);
    EXPECT_EQ(statuses_in(between(comment, "Returns OC_OK", "")), names_of(*contract)) << contract->entry_point;
  }
}

TEST(StatusContract, EachEventOfABatchAnswersWithWhatOcSubmitReturns) {
  const std::string comment = comment_of(header_text(), "oc_submit_batch");
  std::set<std::string> per_event = names_of(kSubmitContract);
  per_event.erase("OC_OK");
  EXPECT_EQ(statuses_in(between(comment, "An event's code is one of", "An id already")), per_event);
}

TEST(StatusContract, EveryEntryPointMayRunOutOfMemoryOrMeetABug) {
  for (const StatusContract *contract : kStatusContracts) {
    EXPECT_TRUE(contract->allows(OC_OK)) << contract->entry_point;
    EXPECT_TRUE(contract->allows(OC_ERR_NOMEM)) << contract->entry_point;
    EXPECT_TRUE(contract->allows(OC_ERR_INTERNAL)) << contract->entry_point;
  }
}

TEST(StatusContract, AListedStatusPassesUnchanged) {
  const oc_status status =
      guarded(kCallContract, [] { fail(OC_ERR_NOT_FOUND, "no case with id 'c-1'"); });
  EXPECT_EQ(status, OC_ERR_NOT_FOUND);
  EXPECT_STREQ(last_error_message(), "no case with id 'c-1'");
}

TEST(StatusContract, AnUnlistedStatusIsAnInternalErrorThatNamesIt) {
  const oc_status status = guarded(kPollContract, [] { fail(OC_ERR_SCHEMA, "data.order: required"); });
  EXPECT_EQ(status, OC_ERR_INTERNAL);
  EXPECT_EQ(last_error_status(), OC_ERR_INTERNAL);
  EXPECT_STREQ(last_error_message(),
               "internal error: oc_poll met OC_ERR_SCHEMA, which it does not return: data.order: required");
}

TEST(StatusContract, SuccessStaysSuccess) {
  EXPECT_EQ(guarded(kCloseContract, [] {}), OC_OK);
  EXPECT_STREQ(last_error_message(), "");
}

}  // namespace
}  // namespace ordercare::boundary
