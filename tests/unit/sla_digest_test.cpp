// SLA digests (issue 13, point 2): warnings, breaches and the escalations
// breaches cause reach each team or person once per interval, not once per
// case per step; a case someone acted on drops out; red flags never wait;
// an interval of 0 keeps a notice per case; a digest goes out once across
// restarts.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "common/json.h"
#include "common/time_format.h"
#include "support/scenario.h"
#include "support/sla_support.h"

namespace ordercare::testing {
namespace {

const CustomerSpec kAnn("c-ann", "Ann Example", {}, "ann@example.org");
const CustomerSpec kBo("c-bo", "Bo Example", {}, "bo@example.org");
const CustomerSpec kCy("c-cy", "Cy Example", {}, "cy@example.org");
// A complaint whose playbook asks no team, so the only clocks are the
// customer's (first response, resolution), not the warehouse's.
constexpr const char *kComplaint = "I am not happy with the colour";

// The scenario clock starts on a slot boundary: a 30-minute slot opened
// with the first case ends 30 minutes later.
static_assert(kScenarioStart % (30 * kMinuteMs) == 0);

Json half_hourly(Json sla = Json::object()) {
  sla["digest_interval"] = "30m";
  return sla_policy(std::move(sla));
}

std::vector<HostRequest> digests_to(const TestHost &host, const std::string &recipient) {
  std::vector<HostRequest> out;
  for (const auto &n : notices(host, "team_sla_digest"))
    if (n.body["team"] == recipient) out.push_back(n);
  return out;
}

std::vector<std::string> cases_in(const HostRequest &digest) {
  std::vector<std::string> out;
  for (const auto &c : digest.body["cases"]) out.push_back(c["case_id"]);
  return out;
}

void reply(Scenario &s, const std::string &case_id) {
  s.call("case.reply", {{"id", case_id}, {"agent", "ann"}, {"text", "Looking into it now"}});
}

TEST(SlaDigest, BreachesOfASlotArriveAsOneDigestPerRecipient) {
  TestHost host;
  Scenario s(host, half_hourly());
  const TimeMs t0 = s.now();
  const std::string a = open_case(s, "A", kAnn, "chat", kComplaint);
  const std::string b = open_case(s, "B", kBo, "chat", kComplaint);
  const std::string c = open_case(s, "C", kCy, "chat", kComplaint);

  // The chat target is 30 seconds: all three breach, climb one level each,
  // and nobody is told yet.
  s.set_now(t0 + 5 * kMinuteMs);
  s.poll_all();
  EXPECT_EQ(s.escalations().size(), 3u);
  for (const auto &id : {a, b, c}) EXPECT_EQ(s.get_case(id)["escalation_level"], 1);
  EXPECT_TRUE(notices(host, "team_sla_warning").empty());
  EXPECT_TRUE(notices(host, "team_sla_breached").empty());
  EXPECT_TRUE(notices(host, "team_escalation").empty());
  s.set_now(t0 + 30 * kMinuteMs - 1);
  s.poll_all();
  EXPECT_TRUE(notices(host, "team_sla_digest").empty()) << "not before the slot ends";

  // At the slot's end: one digest for the team, one for the person the
  // breaches climbed to, each naming the three cases.
  s.set_now(t0 + 30 * kMinuteMs);
  s.poll_all();
  ASSERT_EQ(notices(host, "team_sla_digest").size(), 2u);
  const auto team = digests_to(host, "support");
  const auto lead = digests_to(host, "team_lead");
  ASSERT_EQ(team.size(), 1u);
  ASSERT_EQ(lead.size(), 1u);
  // Noted at the same instant, of one priority: in case id order.
  EXPECT_EQ(cases_in(team[0]), sorted({a, b, c}));
  EXPECT_EQ(cases_in(lead[0]), sorted({a, b, c}));
  const std::string text = team[0].body["message"]["text"];
  EXPECT_EQ(text.find("{{"), std::string::npos) << text;
  EXPECT_NE(text.find("3 case(s) need you, 3 missed a promise, 0 at risk"), std::string::npos) << text;
  for (const auto &id : {a, b, c}) EXPECT_NE(text.find("- " + id + " (Complaint, P3): "), std::string::npos) << text;
  EXPECT_NE(text.find("first response missed"), std::string::npos) << text;
  EXPECT_NE(lead[0].body["message"]["text"].get<std::string>().find("escalated to you"), std::string::npos);
  EXPECT_NE(text.find(format_rfc3339(t0) + " to " + format_rfc3339(t0 + 30 * kMinuteMs)), std::string::npos) << text;

  // Nothing is told twice.
  s.set_now(t0 + 3 * kHourMs);
  s.poll_all();
  EXPECT_EQ(notices(host, "team_sla_digest").size(), 2u);
}

TEST(SlaDigest, ACaseSomeoneActedOnDropsOut) {
  TestHost host;
  Scenario s(host, half_hourly());
  const TimeMs t0 = s.now();
  const std::string a = open_case(s, "A", kAnn, "chat", kComplaint);
  const std::string b = open_case(s, "B", kBo, "chat", kComplaint);
  s.set_now(t0 + 5 * kMinuteMs);
  s.poll_all();
  // An agent takes A up before the digest goes out.
  s.set_now(t0 + 10 * kMinuteMs);
  reply(s, a);
  EXPECT_EQ(time_of(s.get_case(a)["acted_at"]), t0 + 10 * kMinuteMs);
  s.set_now(t0 + 30 * kMinuteMs);
  s.poll_all();
  for (const std::string recipient : {"support", "team_lead"}) {
    const auto sent = digests_to(host, recipient);
    ASSERT_EQ(sent.size(), 1u) << recipient;
    EXPECT_EQ(cases_in(sent[0]), (std::vector<std::string>{b})) << recipient;
  }

  // A slot whose every case was taken up sends nothing at all, then or later.
  const TimeMs t1 = t0 + 40 * kMinuteMs;
  s.set_now(t1);
  const std::string c = open_case(s, "C", kCy, "chat", kComplaint);
  s.set_now(t1 + 5 * kMinuteMs);
  s.poll_all();
  EXPECT_EQ(s.get_case(c)["escalation_level"], 1);
  reply(s, c);
  s.set_now(t0 + 4 * kHourMs);
  s.poll_all();
  EXPECT_EQ(notices(host, "team_sla_digest").size(), 2u);
}

TEST(SlaDigest, AWarningIsDroppedOnceItsClockIsMet) {
  TestHost host;
  // Email's 2-hour target, warned at a quarter: 30 minutes in.
  Scenario s(host, half_hourly({{"warning_fraction", 0.25}}));
  const TimeMs t0 = s.now();
  const std::string a = open_case(s, "A", kAnn, "email", kComplaint);
  const std::string b = open_case(s, "B", kBo, "email", kComplaint);
  s.set_now(t0 + 31 * kMinuteMs);
  s.poll_all();
  EXPECT_EQ(sla_stages(s.get_case(a)), (std::vector<std::string>{"warning:first_response"}));
  s.set_now(t0 + 40 * kMinuteMs);
  reply(s, a);
  s.set_now(t0 + 60 * kMinuteMs);
  s.poll_all();
  const auto sent = digests_to(host, "support");
  ASSERT_EQ(sent.size(), 1u);
  EXPECT_EQ(cases_in(sent[0]), (std::vector<std::string>{b}));
  const std::string text = sent[0].body["message"]["text"];
  EXPECT_NE(text.find("0 missed a promise, 1 at risk"), std::string::npos) << text;
  EXPECT_NE(text.find("first response at risk (due " + format_rfc3339(t0 + 2 * kHourMs) + ")"), std::string::npos)
      << text;
  EXPECT_TRUE(digests_to(host, "team_lead").empty()) << "a warning climbs nowhere";
}

TEST(SlaDigest, TheWarehouseHearsItsOwnClockAndCustomerServiceChasesIt) {
  TestHost host;
  // Warned at a quarter of the 30 minutes, in quarter-hour slots.
  Scenario s(host, sla_policy({{"digest_interval", "15m"}, {"warning_fraction", 0.25}}));
  const TimeMs t0 = s.now();
  s.submit(s.order_created("A", kAnn));
  const std::string id = s.submit(s.change("A", "rush"))["cases"][0];
  s.set_now(t0 + 8 * kMinuteMs);
  s.poll_all();  // warned at 7.5 minutes
  s.set_now(t0 + 15 * kMinuteMs);
  s.poll_all();
  const auto at_risk = digests_to(host, "warehouse");
  ASSERT_EQ(at_risk.size(), 1u);
  EXPECT_NE(at_risk[0].body["message"]["text"].get<std::string>().find("warehouse response at risk"),
            std::string::npos);
  EXPECT_TRUE(digests_to(host, "support").empty()) << "the warning is the warehouse's";
  // Missed at 30 minutes: both hear of it in the next slot's digest.
  s.set_now(t0 + 31 * kMinuteMs);
  s.poll_all();
  s.set_now(t0 + 45 * kMinuteMs);
  s.poll_all();
  EXPECT_EQ(digests_to(host, "warehouse").size(), 2u);
  bool chased = false;
  for (const auto &d : digests_to(host, "support"))
    chased = chased || (cases_in(d) == std::vector<std::string>{id} &&
                        d.body["message"]["text"].get<std::string>().find("warehouse response missed") !=
                            std::string::npos);
  EXPECT_TRUE(chased) << "customer service is told to chase the warehouse";
}

TEST(SlaDigest, RedFlagsAreToldAtOnce) {
  TestHost host;
  Scenario s(host, half_hourly());
  const std::string id = open_case(s, "A", kAnn, "chat", "This is unacceptable, my lawyer will hear about it.");
  s.poll_all();
  const auto escalated = notices(host, "team_escalation");
  ASSERT_EQ(escalated.size(), 1u);
  EXPECT_EQ(escalated[0].body["team"], "legal");
  EXPECT_EQ(escalated[0].body["case_id"], id);
  EXPECT_TRUE(notices(host, "team_sla_digest").empty());
}

TEST(SlaDigest, AnIntervalOfZeroTellsEachBreachAtOnce) {
  TestHost host;
  Scenario s(host, sla_policy({{"digest_interval", 0}}));
  const std::string id = open_case(s, "A", kAnn, "chat", kComplaint);
  s.set_now(s.now() + kMinuteMs);
  s.poll_all();
  ASSERT_EQ(notices(host, "team_sla_breached").size(), 1u);
  const auto escalated = notices(host, "team_escalation");
  ASSERT_EQ(escalated.size(), 1u);
  EXPECT_EQ(escalated[0].body["team"], "team_lead");
  EXPECT_EQ(escalated[0].body["case_id"], id);
  s.set_now(s.now() + kHourMs);
  s.poll_all();
  EXPECT_TRUE(notices(host, "team_sla_digest").empty());
}

TEST(SlaDigest, ADigestGoesOutOnceAcrossRestarts) {
  TestHost host;
  Scenario s(host, half_hourly());
  const TimeMs t0 = s.now();
  const std::string a = open_case(s, "A", kAnn, "chat", kComplaint);
  s.set_now(t0 + 5 * kMinuteMs);
  s.poll_all();
  // The held notices are in the store, not in memory.
  s.reopen();
  s.set_now(t0 + 30 * kMinuteMs);
  s.poll_all();
  ASSERT_EQ(digests_to(host, "support").size(), 1u);
  s.reopen();
  s.set_now(t0 + 2 * kHourMs);
  s.poll_all();
  EXPECT_EQ(digests_to(host, "support").size(), 1u);
  EXPECT_EQ(digests_to(host, "team_lead").size(), 1u);
}

TEST(SlaDigest, AnIntervalUnderAMinuteIsRefused) {
  Scenario s;
  const CallError e = s.reopen_error(sla_policy({{"digest_interval", "30s"}}));
  EXPECT_EQ(e.status, OC_ERR_CONFIG);
  EXPECT_NE(e.message.find("policy.sla.digest_interval"), std::string::npos) << e.message;
}

}  // namespace
}  // namespace ordercare::testing
