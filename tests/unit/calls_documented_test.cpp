// abi/CALLS.md is the contract integrators code against: every oc_call
// method the plugin answers has its entry there ("- `method {args}` ..."),
// and every method documented there is answered. A method added without
// its documentation, or documented and never registered, fails here.
#include <gtest/gtest.h>

#include <fstream>
#include <regex>
#include <set>
#include <sstream>
#include <string>

#include "runtime/plugin.h"
#include "support/scenario.h"

namespace ordercare::testing {
namespace {

// The methods CALLS.md documents: a code span that is a method's
// signature, its name and arguments ("`cases.list {status?, ...}`", "`metrics
// {from, to}`"), in a list item or inside one ("..., `case.resume {id,
// agent}`"). A name alone ("(`return.approve` or `return.reject`)") is a
// reference to an entry elsewhere, not the entry.
std::set<std::string> documented_methods() {
  std::ifstream in(std::string(OC_TEST_SOURCE_DIR) + "/abi/CALLS.md");
  EXPECT_TRUE(in) << "abi/CALLS.md not found";
  std::stringstream text;
  text << in.rdbuf();
  static const std::regex kSignature(R"(`([a-z_]+(\.[a-z_]+)*) \{)");
  std::set<std::string> out;
  const std::string all = text.str();
  for (std::sregex_iterator it(all.begin(), all.end(), kSignature), end; it != end; ++it) out.insert((*it)[1]);
  return out;
}

std::string listed(const std::set<std::string> &names) {
  std::ostringstream out;
  for (const auto &name : names) out << "\n  " << name;
  return out.str();
}

TEST(CallsDocumented, EveryRegisteredMethodIsInCallsMdAndNoOther) {
  Scenario s;
  const auto registered_list = s.plugin().methods();
  const std::set<std::string> registered(registered_list.begin(), registered_list.end());
  const std::set<std::string> documented = documented_methods();
  ASSERT_GT(registered.size(), 30u);
  std::set<std::string> undocumented, unanswered;
  for (const auto &m : registered)
    if (!documented.count(m)) undocumented.insert(m);
  for (const auto &m : documented)
    if (!registered.count(m)) unanswered.insert(m);
  EXPECT_TRUE(undocumented.empty()) << "registered but not in abi/CALLS.md:" << listed(undocumented);
  EXPECT_TRUE(unanswered.empty()) << "in abi/CALLS.md but not registered:" << listed(unanswered);
}

}  // namespace
}  // namespace ordercare::testing
