#include "runtime/calls/service_log.h"

#include "common/csv.h"
#include "common/failure.h"
#include "domain/case_state_machine.h"
#include "store/report_store.h"

namespace ordercare::runtime {

using namespace ordercare::domain;

namespace {

// Seed 002's fields, in its order, with its labels for the CSV header.
const std::vector<std::pair<const char *, const char *>> kFields = {
    {"customer_name", "Customer Name"},
    {"customer_contact", "Customer Contact Information"},
    {"order_number", "Order Number"},
    {"order_date", "Order Date"},
    {"issue_type", "Issue Type"},
    {"issue_description", "Issue Description"},
    {"initial_action", "Initial Action"},
    {"follow_up_actions", "Follow-up Actions"},
    {"escalation", "Escalation"},
    {"resolution_status", "Resolution Status"},
    {"resolution_date", "Resolution Date"},
    {"customer_satisfaction", "Customer Satisfaction"},
    {"rating_comments", "Rating/Comments"},
    {"representative_name", "Representative Name"},
    {"case_id", "Case ID"},
};

std::string join(const std::vector<std::string> &parts, const char *separator) {
  std::string out;
  for (const auto &p : parts) out += (out.empty() ? "" : separator) + p;
  return out;
}

std::string satisfaction(const CaseRecord &c) {
  if (!c.csat) return "Not rated";
  if (*c.csat >= 4) return "Satisfied";
  if (*c.csat == 3) return "Neutral";
  return "Dissatisfied";
}

std::string escalation_text(const std::vector<Escalation> &escalations) {
  if (escalations.empty()) return "No escalation needed.";
  std::vector<std::string> parts;
  for (const auto &e : escalations)
    parts.push_back("Level " + std::to_string(e.level) + " to " + e.to + ": " + e.reason);
  return join(parts, "; ");
}

std::string text_field(const Json &object, const char *key) {
  auto it = object.find(key);
  return it != object.end() && it->is_string() ? it->get<std::string>() : std::string();
}

Json entry_for(store::StateStore &state, const CaseRecord &c) {
  std::optional<Customer> customer;
  if (c.customer_id) customer = state.find_customer(*c.customer_id);
  std::optional<Order> order;
  if (c.order_id) order = state.find_order(*c.order_id);
  const bool erased = customer && customer->erased;
  std::vector<std::string> contact;
  if (customer)
    for (const char *field : {"email", "phone"})
      if (auto it = customer->pii->find(field); it != customer->pii->end() && it->is_string())
        contact.push_back(it->get<std::string>());
  std::string rating;
  if (c.csat) {
    rating = std::to_string(*c.csat) + "/5";
    if (auto it = c.pii.find("csat_comment"); it != c.pii.end() && it->is_string())
      rating += " - \"" + it->get<std::string>() + "\"";
  }
  std::string status = is_active(c.status) ? "Pending" : "Resolved";
  if (is_active(c.status) && c.resolution_due)
    status += " (estimated by " + format_rfc3339(*c.resolution_due) + ")";
  const std::string description = text_field(c.pii, "description");
  const std::string name = customer ? text_field(customer->pii, "name") : std::string();
  return {
      {"case_id", c.id},
      {"customer_name", erased ? std::string("[erased]") : name},
      {"customer_contact", erased ? "[erased]" : join(contact, ", ")},
      {"order_number", order ? (order->number.empty() ? order->id : order->number) : c.order_id.value_or("")},
      {"order_date", order ? format_rfc3339(order->placed_at).substr(0, 10) : ""},
      {"issue_type", std::string(label(c.type))},
      {"issue_description", description.empty() ? c.reason : description},
      {"initial_action", c.initial_action},
      {"follow_up_actions", join(c.follow_ups, "; ")},
      {"escalation", escalation_text(state.escalations_for_case(c.id))},
      {"resolution_status", status},
      {"resolution_date", c.resolved_at ? format_rfc3339(*c.resolved_at).substr(0, 10) : ""},
      {"customer_satisfaction", satisfaction(c)},
      {"rating_comments", rating},
      {"representative_name", c.resolved_by.value_or(c.assignee.value_or(""))},
  };
}

}  // namespace

Json export_service_log(CallContext &ctx, const Json &json) {
  ConfigReader args = args_reader(json);
  const auto from = optional_instant(args, "from");
  const auto to = optional_instant(args, "to");
  const std::string format = args.choice("format", "json", {"json", "csv"});
  args.finish();
  store::StateStore &state = ctx.job.store.state();
  Json entries = Json::array();
  for (const auto &c : ctx.job.store.reports().cases_opened_between(from, to)) entries.push_back(entry_for(state, c));
  if (format == "json") return {{"format", "json"}, {"content", std::move(entries)}};
  std::vector<std::string> header;
  for (const auto &[key, title] : kFields) header.push_back(title);
  std::string csv = csv_row(header);
  for (const auto &entry : entries) {
    std::vector<std::string> row;
    for (const auto &[key, title] : kFields) row.push_back(entry[key].get<std::string>());
    csv += csv_row(row);
  }
  return {{"format", "csv"}, {"content", std::move(csv)}};
}

}  // namespace ordercare::runtime
