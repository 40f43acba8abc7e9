#include "domain/case_work.h"

#include <algorithm>

#include "common/crypto.h"
#include "common/failure.h"
#include "common/value_ranges.h"
#include "domain/case_state_machine.h"
#include "domain/effect_keys.h"
#include "domain/priority.h"
#include "domain/response_promise.h"
#include "domain/sla_clocks.h"
#include "domain/template_renderer.h"

namespace ordercare::domain {

namespace {

// A notice's payload, filled member by member: a braced list of pairs
// makes and takes apart a two-element array for each member, which was
// most of what a notice cost to decide (callgrind).
Json::object_t &notice_payload(Effect &e) {
  e.payload = Json::object();
  return e.payload.get_ref<Json::object_t &>();
}

// Issues an agent handles together on one case.
enum class Family { delivery, item, change, returns, payment, pickup, stock, general };

Family family_of(IssueType type) {
  switch (type) {
    case IssueType::wismo:
    case IssueType::shipping_delay: return Family::delivery;
    case IssueType::wrong_item:
    case IssueType::damaged_item:
    case IssueType::missing_item: return Family::item;
    case IssueType::cancellation_request:
    case IssueType::order_change: return Family::change;
    case IssueType::return_request:
    case IssueType::refund: return Family::returns;
    case IssueType::payment:
    case IssueType::fraud_suspected:
    case IssueType::missing_receipt: return Family::payment;
    case IssueType::store_pickup: return Family::pickup;
    case IssueType::out_of_stock:
    case IssueType::inventory_discrepancy:
    case IssueType::stock_transfer: return Family::stock;
    case IssueType::complaint: return Family::general;
  }
  return Family::general;
}

// Within a family a case may take a more specific type as facts arrive:
// a WISMO question becomes a shipping delay once the carrier reports one.
int specificity(IssueType type) {
  switch (type) {
    case IssueType::wismo: return 0;
    case IssueType::complaint: return 0;
    case IssueType::shipping_delay: return 1;
    case IssueType::fraud_suspected: return 2;
    default: return 1;
  }
}

// The trigger of seed 004's guide that an issue type is by itself.
std::string type_trigger(IssueType type) {
  switch (type) {
    case IssueType::wismo: return "wismo";
    case IssueType::shipping_delay: return "delivery_delay";
    case IssueType::wrong_item: return "wrong_item";
    case IssueType::damaged_item: return "damaged_item";
    case IssueType::missing_item: return "missing_item";
    case IssueType::cancellation_request: return "cancellation_request";
    case IssueType::order_change: return "order_change";
    case IssueType::out_of_stock: return "out_of_stock";
    case IssueType::return_request: return "return_processing";
    case IssueType::refund: return "refund_request";
    case IssueType::payment: return "payment_failed";
    case IssueType::missing_receipt: return "missing_receipt";
    case IssueType::inventory_discrepancy: return "inventory_discrepancy";
    case IssueType::complaint: return "complaint";
    case IssueType::store_pickup: return "store_pickup";
    case IssueType::fraud_suspected: return "fraud_suspected";
    case IssueType::stock_transfer: return "stock_transfer";
  }
  return "complaint";
}

// A case's event ids are its most recent ones: a case that lives for months
// on a busy order would otherwise grow, and be rewritten, without bound.
// Older ones stay in the event log.
constexpr std::size_t kMaxCaseEventIds = 100;

void note_event(CaseRecord &c, const std::string &event_id) {
  if (!add_unique(c.event_ids, event_id)) return;
  if (c.event_ids.size() > kMaxCaseEventIds)
    c.event_ids.erase(c.event_ids.begin(), c.event_ids.end() - static_cast<std::ptrdiff_t>(kMaxCaseEventIds));
}

}  // namespace

std::string order_name(const Order &order) {
  // The platform said how the shop shows it (Shopify's name, with the
  // shop's own prefix and suffix): nothing to guess.
  if (!order.display_name.empty()) return order.display_name;
  const std::string &number = order.number.empty() ? order.id : order.number;
  if (!number.empty() && number.front() >= '0' && number.front() <= '9') return "#" + number;
  return number;
}

Json order_variables(const Order *order) {
  Json vars = Json::object();
  if (!order) return vars;
  vars["order.id"] = order->id;
  // Shopify's numbers come as the shop shows them ("#1001"), WooCommerce's
  // bare ("1001"): order.name is the first form, order.number the second,
  // so "#{{order.number}}" never reads "##1001".
  const std::string name = order_name(*order);
  vars["order.name"] = name;
  const std::string &number = order->number.empty() ? order->id : order->number;
  vars["order.number"] = number.size() > 1 && number.front() == '#' ? number.substr(1) : number;
  vars["order.status"] = std::string(to_string(order->status));
  if (!order->shipments.empty()) {
    const Shipment &s = order->shipments.back();
    if (!s.carrier.empty()) vars["shipment.carrier"] = s.carrier;
    if (!s.tracking_number.empty()) vars["shipment.tracking_number"] = s.tracking_number;
    if (s.eta) vars["eta"] = format_rfc3339(*s.eta).substr(0, 10);
  }
  return vars;
}

CaseWork::CaseWork(const Snapshot &state, const EventView *event, TimeMs now, const Policy &policy,
                   std::string command)
    : state_(state), event_(event), now_(now), command_(std::move(command)), policy_(policy) {
  cases_.assign(state.cases.begin(), state.cases.end());
  touched_.assign(cases_.size(), false);
  returns_.assign(state.returns.begin(), state.returns.end());
  returns_touched_.assign(returns_.size(), false);
}

Order &CaseWork::edit_order() {
  if (!order_) {
    if (!state_.order) fail(OC_ERR_INTERNAL, "edit_order without an order");
    order_ = *state_.order;
  }
  order_changed_ = true;
  return *order_;
}

ReturnRecord *CaseWork::find_return(const std::string &id) {
  std::size_t i = 0;
  for (auto &r : returns_) {
    if (r.id == id) {
      returns_touched_[i] = true;
      return &r;
    }
    ++i;
  }
  return nullptr;
}

ReturnRecord &CaseWork::add_return(ReturnRecord r) {
  returns_.push_back(std::move(r));
  returns_touched_.push_back(true);
  return returns_.back();
}

void CaseWork::set_order(Order order, bool changed) {
  order_ = std::move(order);
  order_changed_ = order_changed_ || changed;
}

void CaseWork::set_customer(Customer customer) {
  customer_ = std::move(customer);
  customer_changed_ = true;
}

std::string CaseWork::cause_id() const {
  if (event_) return event_->id;
  return command_.empty() ? "cmd@" + std::to_string(now_) : command_;
}

Subject CaseWork::subject_key() const {
  if (subject_) return *subject_;
  if (const Order *order = this->order()) return Subject::order(order->id);
  if (event_) {
    if (auto it = event_->data.find("order_id"); it != event_->data.end() && it->is_string())
      return Subject::order(it->get_ref<const std::string &>());
  }
  if (const Customer *customer = this->customer()) return Subject::customer(customer->id);
  return Subject::event(cause_id());
}

CaseRecord &CaseWork::edit(const CaseRecord &c) {
  std::size_t i = 0;
  for (auto &mine : cases_) {
    if (mine.id == c.id) {
      touched_[i] = true;
      return mine;
    }
    ++i;
  }
  cases_.push_back(c);
  touched_.push_back(true);
  return cases_.back();
}

std::vector<const CaseRecord *> CaseWork::active_cases() const {
  std::vector<const CaseRecord *> out;
  for (const auto &c : cases_)
    if (is_active(c.status)) out.push_back(&c);
  return out;
}

CaseRecord *CaseWork::find_active(IssueType type) {
  const Family family = family_of(type);
  CaseRecord *best = nullptr;
  for (CaseRecord &c : cases_) {
    if (!is_active(c.status) || family_of(c.type) != family) continue;
    if (!best || c.updated_at > best->updated_at) best = &c;
  }
  if (best) edit(*best);
  return best;
}

CaseRecord &CaseWork::case_for(IssueType type, Origin origin, const std::string &why,
                               const std::string &channel) {
  CaseRecord *target = find_active(type);
  if (!target && (type == IssueType::wismo || type == IssueType::complaint)) {
    // "Where is my order?" or a general complaint about an order that already
    // has a case goes on that case, not on a duplicate.
    for (auto &c : cases_)
      if (is_active(c.status) && (!target || c.updated_at > target->updated_at)) target = &c;
    if (target) target = &edit(*target);
  }
  if (!target && origin == Origin::customer) {
    // The customer comes back about something we had resolved: reopen it.
    for (auto &c : cases_)
      if (c.status == CaseStatus::resolved && family_of(c.type) == family_of(type) &&
          (!target || c.updated_at > target->updated_at))
        target = &c;
    if (target) {
      target = &edit(*target);
      change_status(*target, CaseStatus::reopened, "customer", "customer contact");
      target->reopen_count += 1;
      // Pending again, as case.reopen leaves it: no resolution date, and a
      // new deadline (sync_clocks restarts the resolution clock).
      target->resolved_at.reset();
    }
  }
  if (!target) return open_new(type, why, channel, origin);
  if (family_of(target->type) == family_of(type) && specificity(type) > specificity(target->type)) {
    log(*target, "type", "system",
        {{"from", to_string(target->type)}, {"to", to_string(type)}, {"because", why}});
    target->type = type;
    target->reason = why;
  }
  if (origin == Origin::customer && target->status == CaseStatus::waiting_customer)
    change_status(*target, CaseStatus::open, "customer", "customer reply");
  add_trigger(*target, type_trigger(type));
  if (event_) note_event(*target, event_->id);
  return *target;
}

CaseRecord &CaseWork::open_task(IssueType type, std::string why) {
  return open_new(type, std::move(why), "system", Origin::system);
}

std::optional<std::string> CaseWork::store() const {
  if (event_ && event_->store) return event_->store;
  if (const Order *order = this->order(); order && order->store_id) return order->store_id;
  if (!policy_.store_id.empty()) return policy_.store_id;
  return std::nullopt;
}

std::string CaseWork::customer_language(const CaseRecord &c, const std::string &template_id) const {
  std::vector<std::string> known;
  if (event_ && event_->type == EventType::customer_message)
    if (auto it = event_->data.find("language"); it != event_->data.end() && it->is_string())
      known.push_back(it->get<std::string>());
  if (c.language) known.push_back(*c.language);
  if (const Order *order = this->order(); order && order->locale) known.push_back(*order->locale);
  // A language the message is not written in would reach the customer as
  // the template's English: the store's own language serves them better.
  const TemplateSet &templates = policy_.message_templates();
  for (const std::string &language : known)
    if (templates.written_in(template_id, language)) return language;
  return policy_.language;
}

CaseRecord &CaseWork::open_new(IssueType type, std::string why, const std::string &channel, Origin origin) {
  CaseRecord c;
  const std::string seed = subject_key().str() + "|" + cause_id() + "|" + std::string(to_string(type));
  c.id = "C-" + crypto::hex_encode(crypto::sha256(seed)).substr(0, 12);
  if (const Order *order = this->order()) {
    c.order_id = order->id;
    c.customer_id = order->customer_id;
  } else if (event_) {
    if (auto it = event_->data.find("order_id"); it != event_->data.end() && it->is_string())
      c.order_id = it->get<std::string>();
  }
  if (const Customer *customer = this->customer()) c.customer_id = customer->id;
  c.store_id = store();
  c.type = type;
  c.status = CaseStatus::new_case;
  c.channel = channel;
  // Seed 001's smart routing first, then the team of the issue type.
  RoutingFacts facts{type, channel, event_ ? event_->data.value("text", std::string()) : std::string(), order(),
                     customer()};
  const RoutingRule *rule = route(policy_.routing, facts);
  c.team = rule ? rule->team : policy_.teams.team_for(type);
  if (rule) why += "; routed to " + c.team + " by rule " + rule->id;
  if (policy_.routing.rosters.count(c.team)) decision_.assign.push_back(c.id);
  c.opened_at = now_;
  c.updated_at = now_;
  c.reason = why;
  if (event_) c.event_ids.push_back(event_->id);
  created_.insert(c.id);
  cases_.push_back(std::move(c));
  touched_.push_back(true);
  CaseRecord &created = cases_.back();
  log(created, "opened", "system",
      {{"type", to_string(type)}, {"channel", channel}, {"reason", why}});
  add_trigger(created, type_trigger(type));
  if (origin == Origin::customer) acknowledge(created);
  return created;
}

void CaseWork::acknowledge(CaseRecord &c) {
  const AutoResponder &auto_responder = policy_.auto_responder;
  if (!auto_responder.enabled || !contains(auto_responder.channels, c.channel)) return;
  // A playbook that writes to the customer at once is the acknowledgement.
  if (policy_.playbook(c.type).customer_template) return;
  Json vars = order_variables(order());
  vars["case.id"] = c.id;
  const std::string language = customer_language(c, auto_responder.template_id);
  vars["expected_response"] = humanize_duration(policy_.sla.promised_first_response(c), language);
  NoticeOptions options;
  options.language = language;
  const std::string id = notify_customer(c, auto_responder.template_id, vars, "acknowledgement", options);
  if (!id.empty()) acknowledgements_.emplace_back(id, c.id);
}

void CaseWork::customer_wrote(CaseRecord &c) {
  c.customer_contacts += 1;
  c.last_customer_at = now_;
}

void CaseWork::replied(CaseRecord &c) {
  if (!c.first_response_at) c.first_response_at = now_;
  c.last_reply_at = now_;
}

void CaseWork::add_trigger(CaseRecord &c, const std::string &trigger) {
  if (add_unique(c.triggers, trigger)) recompute_priority(c, "trigger " + trigger);
}

void CaseWork::recompute_priority(CaseRecord &c, const std::string &because) {
  if (customer()) {
    c.vip = is_vip(policy_.priority, customer());
    c.customer_tags = customer()->tags;  // SLA policies may choose by them
  }
  std::vector<std::string> triggers = c.triggers;
  for (const auto &t : fact_triggers(policy_.priority, c, order(), customer(), now_))
    add_unique(triggers, t);
  const PriorityVerdict verdict = priority_from_triggers(policy_.priority, triggers);
  Priority next = verdict.priority;
  // After an escalation a case is never lowered: someone promised to act.
  if (c.escalation_level > 0 && c.priority < next) next = c.priority;
  if (next != c.priority) {
    if (!is_new(c))
      log(c, "priority", "system",
          {{"from", to_string(c.priority)}, {"to", to_string(next)},
           {"trigger", verdict.trigger}, {"because", because}});
    // The resolution clock follows (sync_clocks): sooner for a raise, never
    // later for a drop.
    c.priority = next;
  }
  // Keep the explanation of where the priority comes from current.
  const std::string prio_text = std::string(to_string(c.priority)) + " from " +
                                (verdict.trigger.empty() ? std::string("default") : "trigger " + verdict.trigger);
  const auto cut = c.reason.find(" | ");
  c.reason = (cut == std::string::npos ? c.reason : c.reason.substr(0, cut)) + " | " + prio_text;
  // Seed 004's escalation guide: a VIP customer's complaint is handled at
  // once, by the manager, like the other red flags (at its new priority).
  if (std::find(triggers.begin(), triggers.end(), "vip_complaint") != triggers.end())
    raise_red_flag(c, "vip_complaint", "a customer tagged VIP complained");
}

void CaseWork::raise_red_flag(CaseRecord &c, const std::string &flag, const std::string &evidence) {
  if (!add_unique(c.red_flags, flag)) return;
  log(c, "red_flag", "system", {{"flag", flag}, {"evidence", evidence}});
  if (policy_.priority.triggers.count(flag)) add_trigger(c, flag);
  if (policy_.red_flags.escalates(flag))
    escalate(c, "red flag: " + flag + " (" + evidence + ")", policy_.red_flags.contact_for(flag), "system",
             "red_flag");
}

void CaseWork::escalate(CaseRecord &c, const std::string &reason, const std::string &to,
                        const std::string &actor, const std::string &kind, bool tell) {
  if (c.status != CaseStatus::escalated) change_status(c, CaseStatus::escalated, actor, "escalate");
  c.escalation_level += 1;
  Escalation e;
  e.id = c.id + "/E" + std::to_string(c.escalation_level);
  e.case_id = c.id;
  e.order_id = c.order_id;
  e.customer_id = c.customer_id;
  e.at = now_;
  e.issue = std::string(label(c.type));
  e.reason = reason;
  e.kind = !kind.empty() ? kind : actor == "system" ? "system" : "agent";
  e.to = to;
  e.level = c.escalation_level;
  auto promised = policy_.red_flags.promised_resolution.find(c.priority);
  e.promised_resolution = add_saturating(now_, promised == policy_.red_flags.promised_resolution.end()
                                                    ? policy_.sla.resolution(c.priority)
                                                    : promised->second);
  e.action_taken = "Escalated to " + to + " by " + actor;
  decision_.escalations.push_back(e);
  log(c, "escalate", actor, {{"to", to}, {"level", c.escalation_level}, {"reason", reason}});
  if (!tell) return;
  Json vars = order_variables(order());
  vars["case.id"] = c.id;
  vars["case.issue"] = std::string(label(c.type));
  vars["case.priority"] = std::string(to_string(c.priority));
  vars["escalation.reason"] = reason;
  notify_team(c, to, "team_escalation", {"Review the case and contact the departments needed",
                                         "Give the customer an estimated resolution time"},
              std::move(vars), "escalation-" + std::to_string(c.escalation_level));
}

void CaseWork::change_status(CaseRecord &c, CaseStatus to, const std::string &actor,
                             const std::string &command) {
  require_transition(c.id, c.status, to, command);
  log(c, "status", actor, {{"from", to_string(c.status)}, {"to", to_string(to)}});
  c.status = to;
}

void CaseWork::log(const CaseRecord &c, const std::string &kind, const std::string &actor,
                   Json details, Json pii) {
  CaseLogEntry entry;
  entry.case_id = c.id;
  entry.at = now_;
  entry.kind = kind;
  entry.actor = actor;
  if (event_) details["event_id"] = event_->id;
  entry.details = std::move(details);
  entry.pii = std::move(pii);
  entry.customer_id = c.customer_id;
  entry.order_id = c.order_id;
  decision_.log.push_back(std::move(entry));
}

std::string CaseWork::notify_customer(CaseRecord &c, const std::string &template_id, Json variables,
                                      const std::string &purpose, const NoticeOptions &options) {
  if (!c.customer_id) return {};
  variables["case.id"] = c.id;
  variables["case.issue"] = std::string(label(c.type));
  // The items the case is about, by name, for "your <item>" in messages.
  if (!variables.contains("item.name") && order()) {
    std::string names;
    for (const auto &line : order()->items)
      if (c.skus.empty() || std::find(c.skus.begin(), c.skus.end(), line.sku) != c.skus.end())
        names += (names.empty() ? "" : ", ") + (line.name.empty() ? line.sku : line.name);
    if (!names.empty()) variables["item.name"] = names;
  }
  // Dates the customer reads are the store's local ones; a value an agent
  // gave instead is left as it is.
  if (!policy_.time_zone.empty()) {
    auto local = [&](const char *name, const std::optional<TimeMs> &at) {
      auto it = variables.find(name);
      if (at && it != variables.end() && *it == format_rfc3339(*at).substr(0, 10))
        *it = local_date_text(policy_.time_zone, *at);
    };
    local("eta", order() && !order()->shipments.empty() ? order()->shipments.back().eta : std::nullopt);
    local("expected_resolution", c.resolution_due);
  }
  Effect e;
  e.id = effect_key({"notify", c.id, purpose, options.once_per.value_or(cause_id())});
  e.kind = "notify";
  e.case_id = c.id;
  e.order_id = c.order_id;
  e.customer_id = c.customer_id;
  Json::object_t &payload = notice_payload(e);
  payload.emplace("audience", "customer");
  payload.emplace("customer_id", *c.customer_id);
  payload.emplace("channel", options.channel.value_or(c.channel));
  payload.emplace("template", template_id);
  payload.emplace("language", options.language ? *options.language : customer_language(c, template_id));
  payload.emplace("case_id", c.id);
  payload.emplace("variables", std::move(variables));
  if (c.order_id) payload.emplace("order_id", *c.order_id);
  // The renderer signs and words it in the voice of the case's store.
  if (c.store_id) payload.emplace("store", *c.store_id);
  if (options.agent) payload.emplace("agent", *options.agent);
  std::string id = e.id;
  queue_effect(std::move(e));
  log(c, "effect", "system", {{"notify", "customer"}, {"template", template_id}});
  return id;
}

void CaseWork::notify_team(CaseRecord &c, const std::string &team, const std::string &template_id,
                           std::vector<std::string> needs, Json variables, const std::string &purpose) {
  Effect e;
  e.id = effect_key({"notify", c.id, purpose, cause_id()});
  e.kind = "notify";
  e.case_id = c.id;
  e.order_id = c.order_id;
  variables["case.id"] = c.id;
  variables["case.issue"] = std::string(label(c.type));
  variables["case.priority"] = std::string(to_string(c.priority));
  Json::object_t &payload = notice_payload(e);
  payload.emplace("audience", "team");
  payload.emplace("team", team);
  payload.emplace("template", template_id);
  payload.emplace("language", policy_.language);
  payload.emplace("case_id", c.id);
  payload.emplace("priority", to_string(c.priority));
  payload.emplace("needs", needs);
  payload.emplace("variables", std::move(variables));
  if (c.order_id) payload.emplace("order_id", *c.order_id);
  if (c.store_id) payload.emplace("store", *c.store_id);
  queue_effect(std::move(e));
  log(c, "effect", "system", {{"notify", team}, {"template", template_id}, {"needs", needs}});
  // A question to the warehouse starts seed 004's answer clock (sync_clocks).
  if (team == policy_.teams.warehouse && template_id == "team_cs_request" && !c.warehouse_asked_at)
    c.warehouse_asked_at = now_;
}

void CaseWork::hold_for_digest(const CaseRecord &c, const std::string &recipient, const std::string &clock,
                               const std::string &stage) {
  const TimeMs interval = policy_.sla.digest_interval;
  DigestItem item;
  item.recipient = recipient;
  item.case_id = c.id;
  item.clock = clock;
  item.stage = stage;
  item.noted_at = now_;
  // The end of the slot `now` falls in: slots are counted from the epoch,
  // so every process and node agrees on them.
  item.due_at = add_saturating(now_ - now_ % interval, interval);
  decision_.digest_items.push_back(std::move(item));
}

void CaseWork::queue_effect(Effect effect) {
  effect.created_at = now_;
  if (effect.ordering_key.empty())
    effect.ordering_key = effect.order_id ? Subject::order(*effect.order_id).str()
                          : effect.case_id ? Subject::case_record(*effect.case_id).str()
                                           : effect.id;
  for (const auto &queued : decision_.effects)
    if (queued.id == effect.id) return;
  decision_.effects.push_back(std::move(effect));
}

bool CaseWork::acted_on(const std::string &case_id) const {
  // A command someone gave (an event is a fact that arrived: a customer's
  // message, a warehouse's report), logged by anyone but the machines and
  // the customer: an agent, a manager, the warehouse answering.
  if (event_) return false;
  static const std::set<std::string> not_people = {"system", "customer", "host", "carrier", "payment"};
  return std::any_of(decision_.log.begin(), decision_.log.end(), [&](const CaseLogEntry &entry) {
    return entry.case_id == case_id && !not_people.count(entry.actor);
  });
}

Decision CaseWork::finish() {
  std::size_t i = 0;
  for (CaseRecord &c : cases_) {
    if (touched_[i++]) {
      c.updated_at = now_;
      if (acted_on(c.id)) c.acted_at = now_;
      sync_clocks(c, policy_.sla, now_);
    }
  }
  // The promise is the first-response clock's as the case now stands (its
  // team, priority and calendar), not a figure from the config.
  for (const auto &[effect_id, case_id] : acknowledgements_)
    for (auto &effect : decision_.effects)
      if (effect.id == effect_id)
        for (const auto &c : cases_)
          if (c.id == case_id)
            effect.payload["variables"]["response_promise"] =
                response_promise(c, policy_.sla, now_, effect.payload.value("language", policy_.language));
  // Moved, not copied: an order or case is copied often enough on its way
  // through an event (issue 11).
  if (order_changed_ && order_) decision_.order = std::move(order_);
  if (customer_changed_ && customer_) decision_.customer = std::move(customer_);
  i = 0;
  for (CaseRecord &c : cases_)
    if (touched_[i++]) decision_.cases.push_back(std::move(c));
  i = 0;
  for (ReturnRecord &r : returns_)
    if (returns_touched_[i++]) decision_.returns.push_back(std::move(r));
  return std::move(decision_);
}

}  // namespace ordercare::domain
