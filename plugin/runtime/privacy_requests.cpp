#include "runtime/privacy_requests.h"

#include <set>

#include "common/subject.h"
#include "domain/effect_keys.h"
#include "domain/entities_json.h"
#include "domain/return_record.h"

namespace ordercare::runtime {

namespace {

// The customers a request names: its customer, and whoever placed the
// orders it lists (a guest's orders have a customer of their own).
std::vector<std::string> customers_named(JobContext &job, const Json &data) {
  std::set<std::string> ids;
  if (auto it = data.find("customer_id"); it != data.end() && it->is_string()) ids.insert(it->get<std::string>());
  if (auto orders = data.find("order_ids"); orders != data.end() && orders->is_array())
    for (const Json &id : *orders)
      if (auto order = job.store.state().find_order(id.get<std::string>()); order && !order->customer_id.empty())
        ids.insert(order->customer_id);
  return {ids.begin(), ids.end()};
}

// As customer.erase: every order of theirs claimed, their keys destroyed.
// A customer ordercare never saw has nothing to erase.
bool erase(JobContext &job, const std::string &customer_id, TimeMs now) {
  std::vector<Subject> subjects{Subject::customer(customer_id)};
  for (const auto &order_id : job.store.state().order_ids_of_customer(customer_id))
    subjects.push_back(Subject::order(order_id));
  job.store.claim(subjects);
  return job.store.state().erase_customer(customer_id, now);
}

// Everything held about a customer, as the calls show it: the customer,
// their orders, the cases about those orders or about them, their returns.
Json export_of(JobContext &job, const std::string &customer_id) {
  store::StateStore &state = job.store.state();
  Json out = {{"customer_id", customer_id}};
  std::vector<Subject> subjects{Subject::customer(customer_id)};
  for (const auto &order_id : state.order_ids_of_customer(customer_id)) subjects.push_back(Subject::order(order_id));
  job.store.claim(subjects);
  const auto customer = state.find_customer(customer_id);
  out["customer"] = customer ? domain::to_json(*customer) : Json(nullptr);
  Json orders = Json::array(), cases = Json::array(), returns = Json::array();
  for (const auto &order_id : state.order_ids_of_customer(customer_id)) {
    const auto order = state.find_order(order_id);
    if (!order) continue;
    orders.push_back(domain::to_json(*order));
    for (const auto &c : state.cases_for_subject(Subject::order(order_id))) cases.push_back(domain::to_json(c));
    for (const auto &r : state.returns_for_order(order_id)) returns.push_back(domain::to_json(r, &*order));
  }
  for (const auto &c : state.cases_for_subject(Subject::customer(customer_id))) cases.push_back(domain::to_json(c));
  out["orders"] = std::move(orders);
  out["cases"] = std::move(cases);
  out["returns"] = std::move(returns);
  return out;
}

// The export goes to the shop's support team as a notification: the text
// for a person, the JSON for whatever passes it on to the customer. It is
// sealed under the customer's key like every notice about them.
domain::Effect export_notice(const domain::EventView &view, const domain::Policy &policy, const std::string &customer_id,
                             Json exported, TimeMs now) {
  domain::Effect e;
  e.id = domain::effect_key({"notify", "privacy", customer_id, view.id});
  e.kind = "notify";
  e.customer_id = customer_id;
  e.ordering_key = Subject::customer(customer_id).str();
  e.created_at = now;
  const std::string request = view.data.value("request_id", std::string());
  e.payload = {{"audience", "team"},
               {"team", policy.teams.fallback},
               {"template", "team_privacy_export"},
               {"language", policy.language},
               {"purpose", "privacy_export"},
               {"customer_id", customer_id},
               {"variables",
                {{"privacy.customer", customer_id},
                 {"privacy.request", request.empty() ? std::string("-") : request},
                 {"privacy.source", view.source},
                 {"privacy.orders", std::to_string(exported["orders"].size())},
                 {"privacy.cases", std::to_string(exported["cases"].size())},
                 {"privacy.export", exported.dump(2)}}},
               {"export", std::move(exported)}};
  if (view.store) e.payload["store"] = *view.store;
  return e;
}

}  // namespace

bool carry_out_privacy_request(JobContext &job, Engine &engine, const domain::EventView &view,
                               std::optional<std::int64_t> event_seq, TimeMs now, SubmitOutcome &outcome) {
  const std::string kind = view.data.value("kind", std::string());
  std::vector<std::string> customers =
      kind == "shop_redact" ? job.store.state().customer_ids_of_store(view.data.value("shop", std::string()))
                            : customers_named(job, view.data);
  if (kind == "customer_data_request") {
    domain::Decision decision;
    const domain::Policy &policy = engine.stores().policy_for(view.store);
    for (const auto &id : customers) {
      if (!job.store.state().find_customer(id)) continue;
      decision.effects.push_back(export_notice(view, policy, id, export_of(job, id), now));
    }
    for (auto &id : engine.apply(job, decision, event_seq, now)) outcome.effects.push_back(std::move(id));
    return false;
  }
  bool erased = false;
  for (const auto &id : customers) erased = erase(job, id, now) || erased;
  return erased;
}

}  // namespace ordercare::runtime
