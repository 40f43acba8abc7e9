// oc_submit_batch answers each event with the text of its outcome, written
// with no tree in between (runtime::to_json_text). Hosts read it as they
// read oc_submit's result, so it must be the very text dump_json writes of
// to_json's tree: checked on random outcomes whose ids hold anything an id
// may (escapes, control characters, unicode, empty).
#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

#include "common/json.h"
#include "runtime/engine.h"

namespace ordercare::runtime {
namespace {

class RandomIds {
 public:
  explicit RandomIds(unsigned seed) : rng_(seed) {}

  std::string id() {
    static const std::vector<std::string> pieces = {
        "ord-", "1001", "\"", "\\", "/", "\n", "\t", std::string(1, '\x01'), std::string(1, '\x1f'),
        "\x7f", "é", "日本", "😀", " ", "case:", "~", "\u2028"};
    std::string out;
    const int count = static_cast<int>(rng_() % 6);
    for (int i = 0; i < count; ++i) out += pieces[rng_() % pieces.size()];
    return out;
  }

  std::vector<std::string> ids() {
    std::vector<std::string> out(rng_() % 4);
    for (auto &one : out) one = id();
    return out;
  }

  bool coin() { return rng_() % 2 == 0; }

 private:
  std::mt19937 rng_;
};

TEST(SubmitOutcomeText, IsTheTextDumpJsonWritesOfTheTree) {
  RandomIds random(20261204);
  for (int round = 0; round < 2000; ++round) {
    SubmitOutcome outcome;
    outcome.duplicate = random.coin();
    outcome.erased_pii = random.coin();  // not part of the answer
    outcome.event_id = random.id();
    outcome.cases = random.ids();
    outcome.effects = random.ids();
    ASSERT_EQ(to_json_text(outcome), dump_json(to_json(outcome))) << "round " << round;
  }
}

TEST(SubmitOutcomeText, AnIdThatIsNotUtf8FailsAsDumpJsonDoes) {
  SubmitOutcome outcome;
  outcome.event_id = "evt-\xff";
  EXPECT_THROW(to_json_text(outcome), std::exception);
}

}  // namespace
}  // namespace ordercare::runtime
