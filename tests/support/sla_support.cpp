#include "support/sla_support.h"

#include <gtest/gtest.h>

namespace ordercare::testing {

std::optional<TimeMs> time_of(const Json &value) {
  if (!value.is_string()) return std::nullopt;
  return parse_rfc3339(value.get<std::string>());
}

Json sla_clock(const Json &c, const std::string &name) {
  if (auto sla = c.find("sla"); sla != c.end() && sla->is_array())
    for (const auto &clock : *sla)
      if (clock.value("name", "") == name) return clock;
  return nullptr;
}

std::optional<TimeMs> clock_due(const Json &c, const std::string &name) {
  const Json clock = sla_clock(c, name);
  return clock.is_object() ? time_of(clock["due"]) : std::nullopt;
}

std::optional<TimeMs> clock_warn_at(const Json &c, const std::string &name) {
  const Json clock = sla_clock(c, name);
  return clock.is_object() ? time_of(clock["warn_at"]) : std::nullopt;
}

std::vector<Json> log_entries(const Json &c, const std::string &kind) {
  std::vector<Json> out;
  if (auto log = c.find("log"); log != c.end() && log->is_array())
    for (const auto &entry : *log)
      if (entry.value("kind", "") == kind) out.push_back(entry);
  return out;
}

std::vector<std::string> sla_stages(const Json &c) {
  std::vector<std::string> out;
  if (auto log = c.find("log"); log != c.end() && log->is_array())
    for (const auto &entry : *log) {
      const std::string kind = entry.value("kind", "");
      if (kind == "sla_warning" || kind == "sla_breach")
        out.push_back(kind.substr(4) + ":" + entry["details"].value("clock", ""));
    }
  return out;
}

Json sla_policy(Json sla, Json policy) {
  policy["sla"] = std::move(sla);
  return {{"policy", std::move(policy)}};
}

Json routing_policy(Json routing, Json policy) {
  policy["routing"] = std::move(routing);
  return {{"policy", std::move(policy)}};
}

std::string open_case(CaseWorld &s, const std::string &order_id, const CustomerSpec &customer,
                      const std::string &channel, const std::string &text, OrderOptions options) {
  s.submit(s.order_created(order_id, customer, std::move(options)));
  const Json result = s.submit(s.message(customer, order_id, channel, text));
  EXPECT_FALSE(result["cases"].empty()) << "the message opened no case: " << result;
  return result["cases"].empty() ? std::string() : result["cases"][0].get<std::string>();
}

Json set_available(Scenario &s, const std::string &team, const std::string &agent, bool available) {
  return s.call("agent.set_available", {{"team", team}, {"agent", agent}, {"available", available}});
}

std::vector<HostRequest> notices(const TestHost &host, const std::string &template_id) {
  std::vector<HostRequest> out;
  for (auto &r : host.requests("notify"))
    if (r.body.value("template", "") == template_id) out.push_back(std::move(r));
  return out;
}

Json the_notice(const TestHost &host, const std::string &template_id) {
  const auto seen = notices(host, template_id);
  EXPECT_EQ(seen.size(), 1u) << template_id;
  return seen.empty() ? Json() : seen[0].body;
}

Json CaseOpener::open(const std::string &channel, const std::string &text, OrderOptions options,
                      const CustomerSpec &customer) {
  const std::string order_id = "O" + std::to_string(++n_);
  return s_.get_case(open_case(s_, order_id, customer, channel, text, std::move(options)));
}

Json routing_rule(const std::string &id, Json when, const std::string &team) {
  return {{"id", id}, {"when", std::move(when)}, {"team", team}};
}

}  // namespace ordercare::testing
