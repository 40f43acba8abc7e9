// Helpers for SLA, routing and notification tests on top of the scenario
// harness: reading a case's clocks and log from case.get, writing the
// policy sections those tests vary, and the agent roster calls.
//
//   Scenario s(sla_policy({{"first_response", {{"chat", "30s"}}}}));
//   Json c = s.get_case(id);
//   EXPECT_EQ(clock_due(c, "first_response"), s.now() + 30 * kSecondMs);
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "common/json.h"
#include "common/time_format.h"
#include "support/scenario.h"

namespace ordercare::testing {

// An RFC 3339 string as ms, nullopt for null or absent.
std::optional<TimeMs> time_of(const Json &value);

// The clock `name` of a case.get result ("first_response", "resolution",
// "warehouse_response"); null when the case has none.
Json sla_clock(const Json &c, const std::string &name);
// Its due and warning instants (nullopt while paused or stopped).
std::optional<TimeMs> clock_due(const Json &c, const std::string &name);
std::optional<TimeMs> clock_warn_at(const Json &c, const std::string &name);

// The entries of a case's log (case.get "log") of one kind, in order.
std::vector<Json> log_entries(const Json &c, const std::string &kind);
// The `clock` detail of each sla_warning / sla_breach entry, in order.
std::vector<std::string> sla_stages(const Json &c);

// A config whose policy has `sla` as its "sla" section (merged over the
// defaults by the plugin), plus any other policy sections in `policy`.
Json sla_policy(Json sla, Json policy = Json::object());
// A config whose policy has `routing` as its "routing" section.
Json routing_policy(Json routing, Json policy = Json::object());

// An open customer-channel case about `order_id`: the order is created for
// `customer`, then the customer writes `text` on `channel`. Returns the id
// of the case the message opened.
std::string open_case(CaseWorld &s, const std::string &order_id, const CustomerSpec &customer,
                      const std::string &channel, const std::string &text, OrderOptions options = {});

// Opens cases for fresh orders ("O1", "O2", ...) by a message each.
class CaseOpener {
 public:
  explicit CaseOpener(CaseWorld &s) : s_(s) {}
  // The case the message opened, as case.get shows it.
  Json open(const std::string &channel, const std::string &text, OrderOptions options = {},
            const CustomerSpec &customer = CustomerSpec("c-ann", "Ann Example", {}, "ann@example.org"));

 private:
  CaseWorld &s_;
  int n_ = 0;
};

// A routing rule of policy.routing.rules.
Json routing_rule(const std::string &id, Json when, const std::string &team);

// agent.set_available; returns the call's result.
Json set_available(Scenario &s, const std::string &team, const std::string &agent, bool available);

// The notify requests the host received for one template, in order.
std::vector<HostRequest> notices(const TestHost &host, const std::string &template_id);
// The body of the one notify request for `template_id` (a test failure,
// and null, if there is not exactly one).
Json the_notice(const TestHost &host, const std::string &template_id);

}  // namespace ordercare::testing
