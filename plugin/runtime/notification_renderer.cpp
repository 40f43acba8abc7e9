#include "runtime/notification_renderer.h"

#include "domain/message_settings.h"
#include "domain/sla_clocks.h"

namespace ordercare::runtime {

Json nest_variables(const Json &flat) {
  Json nested = Json::object();
  for (auto it = flat.begin(); it != flat.end(); ++it) {
    std::string pointer = "/" + it.key();
    for (auto &ch : pointer)
      if (ch == '.') ch = '/';
    try {
      nested[Json::json_pointer(pointer)] = it.value();
    } catch (const Json::exception &) {
      // "a" and "a.b" both given: the scalar wins; the template cannot use both.
    }
  }
  return nested;
}

const domain::TemplateSet &NotificationRenderer::templates_for(const Json &payload) const {
  std::optional<std::string> store;
  if (auto it = payload.find("store"); it != payload.end() && it->is_string()) store = it->get<std::string>();
  return stores_.policy_for(store).message_templates();
}

RenderResult NotificationRenderer::render(store::StateStore &state, const Json &payload) const {
  RenderResult out;
  out.payload = payload;
  // A payload sealed with a customer's key that has since been destroyed
  // reads back as only this mark.
  if (payload.value("pii_erased", false)) {
    out.error = "the customer's data was erased";
    return out;
  }
  std::optional<std::string> store;
  if (auto it = payload.find("store"); it != payload.end() && it->is_string()) store = it->get<std::string>();
  const domain::Policy &policy_ = stores_.policy_for(store);
  const domain::TemplateSet &templates_ = templates_for(payload);
  const std::string id = payload.value("template", "");
  const std::string language = payload.value("language", policy_.language);
  const bool to_customer = payload.value("audience", "") == "customer";
  if (!templates_.find(id)) {
    out.error = "template '" + id + "' does not exist";
    return out;
  }
  Json flat = payload.value("variables", Json::object());
  // The shop's own settings: a template that needs one that is not set is
  // refused at open (require_message_settings), never chosen here.
  const std::string written_in = templates_.language_for(id, language);
  if (!policy_.store.name.empty()) flat["store.name"] = policy_.store.name;
  flat["store.sign_off"] = policy_.store.sign_off_for(written_in);
  if (payload.contains("needs")) {
    std::string needs;
    for (const auto &n : payload["needs"]) needs += "- " + n.get<std::string>() + "\n";
    if (!needs.empty()) needs.pop_back();
    flat["needs"] = needs;
    flat["respond_within"] = domain::humanize_duration(policy_.sla.warehouse_response, language);
  }
  if (to_customer) {
    const std::string customer_id = payload.value("customer_id", "");
    auto customer = state.find_customer(customer_id);
    if (!customer || customer->erased) {
      out.error = "customer " + customer_id + (customer ? " was erased" : " is not known");
      return out;
    }
    Json to = {{"customer_id", customer_id}};
    std::optional<std::string> name;
    for (const char *field : {"name", "email", "phone"})
      if (auto it = customer->pii->find(field); it != customer->pii->end() && it->is_string()) {
        to[field] = *it;
        if (std::string(field) == "name") name = it->get<std::string>();
      }
    if (name) flat["customer.name"] = *name;
    flat["greeting"] = domain::greeting(name ? &*name : nullptr, written_in);
    out.payload["to"] = std::move(to);
  }
  const Json vars = nest_variables(flat);
  const auto plain = templates_.render(id, language, vars, domain::Escaping::plain);
  if (!plain.missing.empty()) {
    std::string names;
    for (const auto &m : plain.missing) names += (names.empty() ? "" : ", ") + m;
    out.error = "template '" + id + "' has no value for " + names;
    out.missing = plain.missing;
    return out;
  }
  Json message = {{"template", id}, {"language", plain.language}, {"text", *plain.body}};
  if (plain.subject) message["subject"] = *plain.subject;
  if (payload.value("channel", "") == "email") {
    const auto html = templates_.render(id, language, vars, domain::Escaping::html);
    if (html.body) message["html"] = *html.body;
  }
  out.payload["message"] = std::move(message);
  out.payload.erase("variables");
  return out;
}

}  // namespace ordercare::runtime
