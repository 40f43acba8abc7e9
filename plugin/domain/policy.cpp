#include "domain/policy.h"

#include <algorithm>
#include <set>

#include "common/config_reader.h"
#include "common/crypto.h"
#include "common/currency.h"
#include "common/embedded_document.h"
#include "common/failure.h"
#include "common/language_tag.h"
#include "common/utf8.h"
#include "domain/locations.h"
#include "domain/template_renderer.h"

namespace ordercare::domain {

namespace {

Priority read_priority(const Json &value, const std::string &path) {
  auto p = value.is_string() ? parse_priority(value.get<std::string>()) : std::nullopt;
  if (!p) fail_config(path, "expected \"P1\", \"P2\" or \"P3\"");
  return *p;
}

std::vector<Phrase> read_phrases(const Json &value, const std::string &path) {
  if (!value.is_array() || value.empty()) fail_config(path, "expected a non-empty array of phrases");
  std::vector<Phrase> out;
  for (std::size_t i = 0; i < value.size(); ++i) {
    const std::string at = path + "[" + std::to_string(i) + "]";
    if (!value[i].is_string()) fail_config(at, "expected a string");
    std::string text = fold_case(value[i].get<std::string>());
    Phrase phrase;
    if (!text.empty() && text.back() == '*') {
      phrase.prefix = true;
      text.pop_back();
    }
    if (text.empty()) fail_config(at, "must not be empty");
    if (find_invalid_utf8(text)) fail_config(at, "invalid UTF-8");
    phrase.text = std::move(text);
    out.push_back(std::move(phrase));
  }
  return out;
}

IssueType read_issue_type(const Json &value, const std::string &path) {
  auto t = value.is_string() ? parse_issue_type(value.get<std::string>()) : std::nullopt;
  if (!t) fail_config(path, "unknown issue type");
  return *t;
}

std::vector<ClassifierRule> read_rules(const Json &rules, const std::string &path) {
  std::vector<ClassifierRule> out;
  for (std::size_t i = 0; i < rules.size(); ++i) {
    ConfigReader rule(rules[i], path + "[" + std::to_string(i) + "]");
    ClassifierRule r;
    r.id = rule.string("id", "");
    if (r.id.empty()) fail_config(rule.path_of("id"), "required");
    const Json *type = rule.child("type");
    if (!type) fail_config(rule.path_of("type"), "required");
    r.type = read_issue_type(*type, rule.path_of("type"));
    const Json *phrases = rule.child("phrases");
    if (!phrases) fail_config(rule.path_of("phrases"), "required");
    r.phrases = read_phrases(*phrases, rule.path_of("phrases"));
    rule.finish();
    out.push_back(std::move(r));
  }
  return out;
}

ClassifierPolicy read_classifier(ConfigReader section) {
  ClassifierPolicy out;
  const Json *rules = section.child("rules");
  if (!rules || !rules->is_array()) fail_config(section.path_of("rules"), "expected an array of rules");
  out.rules = read_rules(*rules, section.path_of("rules"));
  if (const Json *extra = section.child("extra_rules")) {
    // Operator rules that come before the defaults without restating them.
    if (!extra->is_array()) fail_config(section.path_of("extra_rules"), "expected an array of rules");
    auto first = read_rules(*extra, section.path_of("extra_rules"));
    out.rules.insert(out.rules.begin(), first.begin(), first.end());
  }
  if (const Json *fallback = section.child("fallback_type"))
    out.fallback = read_issue_type(*fallback, section.path_of("fallback_type"));
  section.finish();
  return out;
}

std::map<std::string, std::vector<Phrase>> read_signals(const Json &value, const std::string &path) {
  if (!value.is_object()) fail_config(path, "expected an object of signal -> phrases");
  std::map<std::string, std::vector<Phrase>> out;
  for (auto it = value.begin(); it != value.end(); ++it)
    out[it.key()] = read_phrases(it.value(), path + "." + it.key());
  return out;
}

PriorityPolicy read_priority_policy(ConfigReader section) {
  PriorityPolicy out;
  const Json *triggers = section.child("triggers");
  if (!triggers || !triggers->is_object()) fail_config(section.path_of("triggers"), "expected an object");
  for (auto it = triggers->begin(); it != triggers->end(); ++it)
    out.triggers[it.key()] = read_priority(it.value(), section.path_of("triggers") + "." + it.key());
  if (const Json *fallback = section.child("default"))
    out.fallback = read_priority(*fallback, section.path_of("default"));
  if (const Json *large = section.child("large_order")) {
    ConfigReader lo(*large, section.path_of("large_order"));
    out.large_order_major_units = lo.integer("major_units", 500, 0, 1'000'000'000);
    if (const Json *by = lo.child("minor_units_by_currency")) {
      ConfigReader per(*by, lo.path_of("minor_units_by_currency"));
      for (auto it = by->begin(); it != by->end(); ++it) {
        if (it.key().size() != 3) fail_config(per.path_of(it.key()), "expected an ISO 4217 code");
        out.large_order_minor_by_currency[it.key()] =
            per.integer(it.key(), 0, 0, 1'000'000'000'000'000);
      }
      per.finish();
    }
    lo.finish();
  }
  out.vip_tags = section.string_list("vip_tags", out.vip_tags);
  out.deadline_window = section.duration_ms("deadline_window", out.deadline_window);
  out.media_audience_min = section.integer("media_audience_min", out.media_audience_min, 0, INT64_MAX);
  section.finish();
  return out;
}

RedFlagPolicy read_red_flags(ConfigReader section) {
  RedFlagPolicy out;
  out.escalate = section.string_list("escalate", {});
  if (const Json *repeated = section.child("repeated_complaints")) {
    ConfigReader r(*repeated, section.path_of("repeated_complaints"));
    out.repeat_threshold = r.integer("threshold", out.repeat_threshold, 2, 1000);
    out.repeat_window = r.duration_ms("window", out.repeat_window);
    r.finish();
  }
  if (const Json *contacts = section.child("contacts")) {
    ConfigReader c(*contacts, section.path_of("contacts"));
    for (auto it = contacts->begin(); it != contacts->end(); ++it) {
      const std::string who = c.string(it.key(), "");
      if (who.empty()) fail_config(c.path_of(it.key()), "expected a team or person");
      if (it.key() == "default")
        out.default_contact = who;
      else
        out.contacts[it.key()] = who;
    }
    c.finish();
  }
  if (const Json *promised = section.child("promised_resolution")) {
    ConfigReader p(*promised, section.path_of("promised_resolution"));
    for (Priority prio : {Priority::p1, Priority::p2, Priority::p3})
      out.promised_resolution[prio] = p.duration_ms(std::string(to_string(prio)), 24 * kHourMs);
    p.finish();
  }
  section.finish();
  return out;
}

TeamPolicy read_teams(ConfigReader section) {
  TeamPolicy out;
  out.fallback = section.string("default", out.fallback);
  if (const Json *by = section.child("by_type")) {
    ConfigReader b(*by, section.path_of("by_type"));
    for (auto it = by->begin(); it != by->end(); ++it) {
      auto type = parse_issue_type(it.key());
      if (!type) fail_config(b.path_of(it.key()), "unknown issue type");
      out.by_type[*type] = b.string(it.key(), "");
    }
    b.finish();
  }
  out.warehouse = section.string("warehouse", out.warehouse);
  out.store = section.string("store", out.store);
  out.fulfilment = section.string("fulfilment", out.fulfilment);
  out.finance = section.string("finance", out.finance);
  section.finish();
  return out;
}

void read_first_response(const Json &value, const std::string &path, std::map<std::string, TimeMs> &by_channel,
                         TimeMs *fallback) {
  ConfigReader r(value, path);
  for (auto it = value.begin(); it != value.end(); ++it) {
    if (it.key() == "default" && fallback)
      *fallback = r.duration_ms("default", *fallback);
    else
      by_channel[it.key()] = r.duration_ms(it.key(), 0);
  }
  r.finish();
}

void read_resolution(const Json &value, const std::string &path, std::map<Priority, TimeMs> &by_priority) {
  ConfigReader r(value, path);
  for (auto it = value.begin(); it != value.end(); ++it) {
    auto prio = parse_priority(it.key());
    if (!prio) fail_config(r.path_of(it.key()), "expected P1, P2 or P3");
    by_priority[*prio] = r.duration_ms(it.key(), 24 * kHourMs);
  }
  r.finish();
}

TeamSla read_team_sla(const Json &value, const std::string &path) {
  ConfigReader r(value, path);
  TeamSla out;
  if (const Json *hours = r.child("business_hours")) out.hours = BusinessHours::from_json(*hours, r.path_of("business_hours"));
  if (const Json *fr = r.child("first_response"))
    read_first_response(*fr, r.path_of("first_response"), out.first_response_by_channel, nullptr);
  if (const Json *res = r.child("resolution")) read_resolution(*res, r.path_of("resolution"), out.resolution_by_priority);
  for (const auto &p : r.string_list("around_the_clock", {})) {
    auto prio = parse_priority(p);
    if (!prio) fail_config(r.path_of("around_the_clock"), "expected P1, P2 or P3");
    out.around_the_clock.push_back(*prio);
  }
  r.finish();
  return out;
}

SlaMetricTarget read_metric(ConfigReader &r, const std::string &key) {
  SlaMetricTarget out;
  if (r.is_null(key)) {
    out.named = true;  // off
  } else if (r.child(key)) {
    out.named = true;
    out.target = r.duration_ms(key, 0);
  }
  return out;
}

template <typename T>
std::vector<T> read_values(ConfigReader &r, const std::string &key, std::optional<T> (*parse)(std::string_view),
                           const char *expected) {
  std::vector<T> out;
  for (const auto &text : r.string_list(key, {})) {
    auto v = parse(text);
    if (!v) fail_config(r.path_of(key), std::string("expected ") + expected + ", not \"" + text + "\"");
    out.push_back(*v);
  }
  return out;
}

SlaConditions read_conditions(const Json &value, const std::string &path) {
  ConfigReader r(value, path);
  SlaConditions out;
  out.priorities = read_values<Priority>(r, "priority", parse_priority, "P1, P2 or P3");
  out.channels = r.string_list("channel", {});
  out.types = read_values<IssueType>(r, "type", parse_issue_type, "an issue type");
  out.stores = r.string_list("store", {});
  out.customer_tags = r.string_list("customer_tags", {});
  if (r.child("customer_waiting")) out.customer_waiting = r.boolean("customer_waiting", true);
  r.finish();
  return out;
}

std::vector<SlaPolicy> read_sla_policies(const Json &value, const std::string &path) {
  if (!value.is_array()) fail_config(path, "expected a list of {name, when, targets}");
  std::vector<SlaPolicy> out;
  for (std::size_t i = 0; i < value.size(); ++i) {
    const std::string at = path + "[" + std::to_string(i) + "]";
    ConfigReader r(value[i], at);
    SlaPolicy policy;
    policy.name = r.optional_string("name").value_or("policy " + std::to_string(i + 1));
    if (const Json *when = r.child("when")) policy.when = read_conditions(*when, r.path_of("when"));
    const Json *targets = r.child("targets");
    if (!targets) fail_config(at, "names no targets");
    ConfigReader t(*targets, r.path_of("targets"));
    if (const Json *fr = t.child("first_response"); fr && fr->is_object()) {
      TimeMs fallback = -1;
      read_first_response(*fr, t.path_of("first_response"), policy.first_response_by_channel, &fallback);
      if (fallback >= 0) policy.first_response = {true, fallback};
    } else {
      policy.first_response = read_metric(t, "first_response");
    }
    policy.next_reply = read_metric(t, "next_reply");
    policy.periodic_update = read_metric(t, "periodic_update");
    policy.resolution = read_metric(t, "resolution");
    policy.internal_action = read_metric(t, "internal_action");
    t.finish();
    r.finish();
    out.push_back(std::move(policy));
  }
  return out;
}

SlaTargets read_sla(ConfigReader section) {
  SlaTargets out;
  if (const Json *fr = section.child("first_response"))
    read_first_response(*fr, section.path_of("first_response"), out.first_response_by_channel,
                        &out.first_response_default);
  if (const Json *res = section.child("resolution"))
    read_resolution(*res, section.path_of("resolution"), out.resolution_by_priority);
  out.refund = section.duration_ms("refund", out.refund);
  out.warehouse_response = section.duration_ms("warehouse_response", out.warehouse_response);
  out.store_pickup_ready = section.duration_ms("store_pickup_ready", out.store_pickup_ready);
  out.warning_fraction = section.number("warning_fraction", out.warning_fraction, 0.05, 1.0);
  out.pause_while_waiting_on_customer =
      section.boolean("pause_while_waiting_on_customer", out.pause_while_waiting_on_customer);
  if (const Json *hours = section.child("business_hours"))
    out.hours = BusinessHours::from_json(*hours, section.path_of("business_hours"));
  if (const Json *teams = section.child("teams")) {
    if (!teams->is_object()) fail_config(section.path_of("teams"), "expected an object of team -> SLA");
    for (auto it = teams->begin(); it != teams->end(); ++it)
      out.teams[it.key()] = read_team_sla(it.value(), section.path_of("teams") + "." + it.key());
  }
  out.escalation_path = section.string_list("escalation_path", out.escalation_path);
  if (out.escalation_path.empty()) fail_config(section.path_of("escalation_path"), "must name at least one step");
  out.reassign_on_breach = section.boolean("reassign_on_breach", out.reassign_on_breach);
  if (const Json *policies = section.child("policies"))
    out.policies = read_sla_policies(*policies, section.path_of("policies"));
  out.digest_interval = section.duration_ms("digest_interval", out.digest_interval);
  if (out.digest_interval != 0 && out.digest_interval < kMinuteMs)
    fail_config(section.path_of("digest_interval"), "must be 0 (a notice per case) or at least a minute");
  section.finish();
  return out;
}

std::map<IssueType, Playbook> read_playbooks(const Json &value, const std::string &path) {
  if (!value.is_object()) fail_config(path, "expected an object of issue type -> playbook");
  std::map<IssueType, Playbook> out;
  for (auto it = value.begin(); it != value.end(); ++it) {
    const std::string at = path + "." + it.key();
    auto type = parse_issue_type(it.key());
    if (!type) fail_config(at, "unknown issue type");
    ConfigReader r(it.value(), at);
    Playbook p;
    p.team = r.optional_string("team");
    p.needs = r.string_list("needs", {});
    p.customer_template = r.optional_string("customer_template");
    p.initial_action = r.string("initial_action", "");
    r.finish();
    out[*type] = std::move(p);
  }
  return out;
}

ReturnPolicy read_returns(ConfigReader section) {
  ReturnPolicy out;
  out.auto_approve = section.boolean("auto_approve", out.auto_approve);
  out.window_days = section.integer("window_days", out.window_days, 0, 3650);
  out.final_sale_skus = section.string_list("final_sale_skus", {});
  out.rejected_conditions = section.string_list("rejected_conditions", {});
  out.store_pays_shipping_reasons = section.string_list("store_pays_shipping_reasons", {});
  if (const Json *keep = section.child("keep_item")) {
    ConfigReader k(*keep, section.path_of("keep_item"));
    out.keep_item_below_major_units = k.integer("below_major_units", out.keep_item_below_major_units, 0, 1'000'000'000);
    out.keep_item_reasons = k.string_list("reasons", {});
    k.finish();
  }
  if (const Json *instant = section.child("instant_refund")) {
    ConfigReader i(*instant, section.path_of("instant_refund"));
    out.instant_refund_below_major_units =
        i.integer("below_major_units", out.instant_refund_below_major_units, 0, 1'000'000'000);
    out.instant_refund_tags = i.string_list("customer_tags", {});
    i.finish();
  }
  if (const Json *fees = section.child("restocking_fee_percent")) {
    ConfigReader f(*fees, section.path_of("restocking_fee_percent"));
    for (auto it = fees->begin(); it != fees->end(); ++it)
      out.restocking_fee_percent[it.key()] = f.integer(it.key(), 0, 0, 100);
    f.finish();
  }
  out.refund_on_inspection = section.boolean("refund_on_inspection", out.refund_on_inspection);
  out.inspect_on_receipt = section.boolean("inspect_on_receipt", out.inspect_on_receipt);
  out.restock_location = section.string("restock_location", out.restock_location);
  out.returns_area_location = section.string("returns_area_location", out.returns_area_location);
  out.refund_timeline = section.string("refund_timeline", out.refund_timeline);
  out.portal_url = section.string("portal_url", out.portal_url);
  out.auto_reject = section.boolean("auto_reject", out.auto_reject);
  section.finish();
  return out;
}

OfferPolicy read_offers(ConfigReader section) {
  OfferPolicy out;
  if (const Json *cap = section.child("cap_per_order")) {
    ConfigReader c(*cap, section.path_of("cap_per_order"));
    out.cap_major_units = c.integer("major_units", out.cap_major_units, 0, 1'000'000'000);
    if (const Json *by = c.child("minor_units_by_currency")) {
      ConfigReader per(*by, c.path_of("minor_units_by_currency"));
      for (auto it = by->begin(); it != by->end(); ++it)
        out.cap_minor_by_currency[it.key()] = per.integer(it.key(), 0, 0, 1'000'000'000'000'000);
      per.finish();
    }
    c.finish();
  }
  if (const Json *delay = section.child("delay")) {
    ConfigReader d(*delay, section.path_of("delay"));
    out.on_delay = d.boolean("enabled", out.on_delay);
    out.delay_offer = d.choice("offer", out.delay_offer, {"discount_code", "free_expedited_shipping", "store_credit"});
    out.delay_percent = d.integer("percent_of_total", out.delay_percent, 0, 100);
    d.finish();
  }
  section.finish();
  return out;
}

// "https://..." or "http://..." with something after it: a link a
// customer can follow. Empty means not set.
void check_link(ConfigReader &section, const std::string &key, const std::string &value) {
  if (value.empty()) return;
  const bool web = value.rfind("https://", 0) == 0 || value.rfind("http://", 0) == 0;
  if (!web || value.size() <= (value[4] == 's' ? 8u : 7u) || value.find_first_of(" \t\r\n") != std::string::npos)
    fail_config(section.path_of(key), "expected an http(s) URL without spaces, or \"\" for none");
}

StoreIdentity read_store(ConfigReader section, const std::optional<std::string> &legacy_name) {
  StoreIdentity out;
  out.name = section.string("name", "");
  if (legacy_name) {
    if (!out.name.empty()) fail_config(section.path_of("name"), "give policy.store.name or policy.store_name, not both");
    out.name = *legacy_name;
  }
  if (const Json *sign_off = section.child("sign_off")) {
    const std::string path = section.path_of("sign_off");
    if (sign_off->is_string()) {
      out.sign_off["en"] = sign_off->get<std::string>();
    } else if (sign_off->is_object()) {
      ConfigReader by_language(*sign_off, path);
      for (auto it = sign_off->begin(); it != sign_off->end(); ++it) {
        if (!valid_language_tag(it.key()))
          fail_config(path + "." + it.key(), "expected a language tag such as \"en\" or \"de-AT\" as the key");
        out.sign_off[fold_case(it.key())] = by_language.string(it.key(), "");
      }
      by_language.finish();
    } else {
      fail_config(path, "expected a string, or an object of language -> sign-off");
    }
    for (const auto &[language, text] : out.sign_off) {
      if (text.find_first_not_of(" \t\r\n") == std::string::npos)
        fail_config(path + (sign_off->is_string() ? "" : "." + language), "must not be blank");
      if (find_invalid_utf8(text)) fail_config(path, "invalid UTF-8");
    }
  }
  if (find_invalid_utf8(out.name)) fail_config(section.path_of("name"), "invalid UTF-8");
  section.finish();
  return out;
}

SurveyPolicy read_survey(ConfigReader section) {
  SurveyPolicy out;
  out.url = section.string("url", "");
  check_link(section, "url", out.url);
  out.reward = section.string("reward", "");
  out.enabled = section.boolean("enabled", !out.url.empty());
  // A survey without a link would fail at every closed case.
  if (out.enabled && out.url.empty())
    fail_config(section.path_of("url"), "required when policy.survey.enabled is true (the survey's link)");
  out.id = section.string("id", "");
  if (out.id.empty() && !out.url.empty()) out.id = crypto::hex_encode(crypto::sha256(out.url)).substr(0, 12);
  if (out.id.size() > 64 || out.id.find_first_of(" \t\r\n") != std::string::npos || find_invalid_utf8(out.id))
    fail_config(section.path_of("id"), "expected up to 64 characters without spaces");
  section.finish();
  return out;
}

FeedbackPolicy read_feedback(ConfigReader section) {
  FeedbackPolicy out;
  // 0 turns the follow-up off: no rating is that low.
  out.low_csat = section.integer("low_csat", out.low_csat, 0, 5);
  out.low_nps = section.integer("low_nps", out.low_nps, -1, 10);
  out.team = section.string("team", "");
  section.finish();
  return out;
}

Policy read_policy(const Json &merged, const std::string &path) {
  Policy policy;
  ConfigReader root(merged, path);
  policy.language = root.string("language", policy.language);
  if (!valid_language_tag(policy.language))
    fail_config(root.path_of("language"), "expected a language tag such as \"en\" or \"de-AT\"");
  policy.time_zone = root.string("time_zone", "");
  if (!policy.time_zone.empty()) {
    BusinessHours zone = BusinessHours::around_the_clock();
    zone.zone = policy.time_zone;
    try {
      zone.validate(root.path());
    } catch (const Failure &) {
      fail_config(root.path_of("time_zone"), "unknown time zone \"" + policy.time_zone + "\"");
    }
  }
  const Json *signals = root.child("signals");
  if (!signals) fail_config(root.path_of("signals"), "required");
  const Json *classifier = root.child("classifier");
  policy.classifier =
      read_classifier(ConfigReader(value_or_empty(classifier), root.path_of("classifier")));
  policy.classifier.signals = read_signals(*signals, root.path_of("signals"));
  const Json *priority = root.child("priority");
  policy.priority = read_priority_policy(ConfigReader(value_or_empty(priority), root.path_of("priority")));
  const Json *flags = root.child("red_flags");
  policy.red_flags = read_red_flags(ConfigReader(value_or_empty(flags), root.path_of("red_flags")));
  const Json *teams = root.child("teams");
  policy.teams = read_teams(ConfigReader(value_or_empty(teams), root.path_of("teams")));
  if (const Json *playbooks = root.child("playbooks"))
    policy.playbooks = read_playbooks(*playbooks, root.path_of("playbooks"));
  if (const Json *routing = root.child("routing")) policy.routing = routing_from_json(*routing, root.path_of("routing"));
  const std::optional<std::string> legacy_name = root.optional_string("store_name");
  policy.store = read_store(ConfigReader(value_or_empty(root.child("store")), root.path_of("store")), legacy_name);
  policy.survey = read_survey(ConfigReader(value_or_empty(root.child("survey")), root.path_of("survey")));
  policy.feedback = read_feedback(ConfigReader(value_or_empty(root.child("feedback")), root.path_of("feedback")));
  if (const Json *ar = root.child("auto_responder")) {
    ConfigReader r(*ar, root.path_of("auto_responder"));
    policy.auto_responder.enabled = r.boolean("enabled", true);
    policy.auto_responder.channels = r.string_list("channels", policy.auto_responder.channels);
    policy.auto_responder.template_id = r.string("template", policy.auto_responder.template_id);
    r.finish();
  }
  if (const Json *returns = root.child("returns")) {
    ConfigReader section(*returns, root.path_of("returns"));
    policy.returns = read_returns(section);
    check_link(section, "portal_url", policy.returns.portal_url);
  }
  policy.offers = read_offers(ConfigReader(value_or_empty(root.child("offers")), root.path_of("offers")));
  const Json *sla = root.child("sla");
  policy.sla = read_sla(ConfigReader(value_or_empty(sla), root.path_of("sla")));
  root.finish();
  // Flags raised by facts rather than by a message's words: no signal.
  const std::set<std::string> kFactFlags = {"repeated_complaints", "vip_complaint"};
  for (std::size_t i = 0; i < policy.red_flags.escalate.size(); ++i)
    if (!policy.classifier.signals.count(policy.red_flags.escalate[i]) &&
        !kFactFlags.count(policy.red_flags.escalate[i]))
      fail_config(path + ".red_flags.escalate[" + std::to_string(i) + "]",
                  "no signal named '" + policy.red_flags.escalate[i] + "' in policy.signals");
  return policy;
}

// Only the triggers, signals and red flags the defaults name are looked at
// by any rule: another name is most likely a typo, which would otherwise be
// ignored without a word.
void require_known_names(const Json &merged, const Json &defaults, const std::string &path) {
  static const Json kNone = Json::object();
  auto at = [](const Json &object, const char *key) -> const Json & {
    auto it = object.find(key);
    return it != object.end() && it->is_object() ? *it : kNone;
  };
  auto keys_of = [](const Json &object) {
    std::set<std::string> out;
    for (auto it = object.begin(); it != object.end(); ++it) out.insert(it.key());
    return out;
  };
  auto check = [](const Json &object, const std::set<std::string> &known, const std::string &where,
                  const char *what) {
    for (auto it = object.begin(); it != object.end(); ++it)
      if (!known.count(it.key())) fail_config(where + "." + it.key(), std::string("unknown ") + what);
  };
  std::set<std::string> flags = {"default"};
  for (const auto &flag : defaults["red_flags"]["escalate"]) flags.insert(flag.get<std::string>());
  check(at(at(merged, "priority"), "triggers"), keys_of(defaults["priority"]["triggers"]),
        path + ".priority.triggers", "trigger");
  check(at(merged, "signals"), keys_of(defaults["signals"]), path + ".signals", "signal");
  check(at(at(merged, "red_flags"), "contacts"), flags, path + ".red_flags.contacts", "red flag");
}

}  // namespace

const std::string &RedFlagPolicy::contact_for(const std::string &flag) const {
  auto it = contacts.find(flag);
  return it == contacts.end() ? default_contact : it->second;
}

bool RedFlagPolicy::escalates(const std::string &flag) const {
  for (const auto &f : escalate)
    if (f == flag) return true;
  return false;
}

TimeMs SlaTargets::first_response(const std::string &channel, const std::string &team) const {
  if (auto t = teams.find(team); t != teams.end())
    if (auto it = t->second.first_response_by_channel.find(channel); it != t->second.first_response_by_channel.end())
      return it->second;
  auto it = first_response_by_channel.find(channel);
  return it == first_response_by_channel.end() ? first_response_default : it->second;
}

TimeMs SlaTargets::resolution(Priority priority, const std::string &team) const {
  if (auto t = teams.find(team); t != teams.end())
    if (auto it = t->second.resolution_by_priority.find(priority); it != t->second.resolution_by_priority.end())
      return it->second;
  auto it = resolution_by_priority.find(priority);
  return it == resolution_by_priority.end() ? 24 * kHourMs : it->second;
}

namespace {

template <typename T>
bool holds(const std::vector<T> &allowed, const T &value) {
  return allowed.empty() || std::find(allowed.begin(), allowed.end(), value) != allowed.end();
}

// A team's own target for the case, when the team names one.
std::optional<TimeMs> team_first_response(const SlaTargets &sla, const CaseRecord &c) {
  if (auto t = sla.teams.find(c.team); t != sla.teams.end())
    if (auto it = t->second.first_response_by_channel.find(c.channel); it != t->second.first_response_by_channel.end())
      return it->second;
  return std::nullopt;
}

std::optional<TimeMs> team_resolution(const SlaTargets &sla, const CaseRecord &c) {
  if (auto t = sla.teams.find(c.team); t != sla.teams.end())
    if (auto it = t->second.resolution_by_priority.find(c.priority); it != t->second.resolution_by_priority.end())
      return it->second;
  return std::nullopt;
}

std::optional<TimeMs> named_or(const SlaMetricTarget &metric, std::optional<TimeMs> general) {
  return metric.named ? metric.target : general;
}

}  // namespace

bool SlaConditions::matches(const CaseRecord &c) const {
  if (!holds(priorities, c.priority) || !holds(channels, c.channel) || !holds(types, c.type)) return false;
  if (!stores.empty() && (!c.store_id || !holds(stores, *c.store_id))) return false;
  if (!customer_tags.empty() &&
      std::none_of(customer_tags.begin(), customer_tags.end(), [&](const std::string &tag) {
        return std::find(c.customer_tags.begin(), c.customer_tags.end(), tag) != c.customer_tags.end();
      }))
    return false;
  if (customer_waiting && *customer_waiting != (c.customer_contacts > 0)) return false;
  return true;
}

const SlaPolicy *SlaTargets::policy_for(const CaseRecord &c) const {
  for (const auto &policy : policies)
    if (policy.when.matches(c)) return &policy;
  return nullptr;
}

std::optional<TimeMs> SlaTargets::first_response_for(const CaseRecord &c) const {
  if (auto own = team_first_response(*this, c)) return own;
  if (const SlaPolicy *p = policy_for(c)) {
    if (auto it = p->first_response_by_channel.find(c.channel); it != p->first_response_by_channel.end())
      return it->second;
    if (p->first_response.named) return p->first_response.target;
  }
  return first_response(c.channel);
}

TimeMs SlaTargets::promised_first_response(const CaseRecord &c) const {
  return first_response_for(c).value_or(first_response(c.channel, c.team));
}

std::optional<TimeMs> SlaTargets::resolution_for(const CaseRecord &c) const {
  if (auto own = team_resolution(*this, c)) return own;
  const SlaPolicy *p = policy_for(c);
  return p ? named_or(p->resolution, resolution(c.priority)) : resolution(c.priority);
}

std::optional<TimeMs> SlaTargets::next_reply_for(const CaseRecord &c) const {
  const SlaPolicy *p = policy_for(c);
  return p ? p->next_reply.target : std::nullopt;
}

std::optional<TimeMs> SlaTargets::periodic_update_for(const CaseRecord &c) const {
  const SlaPolicy *p = policy_for(c);
  return p ? p->periodic_update.target : std::nullopt;
}

std::optional<TimeMs> SlaTargets::internal_action_for(const CaseRecord &c) const {
  const SlaPolicy *p = policy_for(c);
  return p ? p->internal_action.target : std::nullopt;
}

const BusinessHours &SlaTargets::hours_for(const std::string &team, Priority priority) const {
  static const BusinessHours always = BusinessHours::around_the_clock();
  auto t = teams.find(team);
  if (t == teams.end() || !t->second.hours) return hours;
  for (Priority p : t->second.around_the_clock)
    if (p == priority) return always;
  return *t->second.hours;
}

std::string StoreIdentity::sign_off_for(const std::string &language) const {
  const std::string tag = fold_case(language);
  const std::string primary = tag.substr(0, tag.find_first_of("-_"));
  for (const std::string &key : {tag, primary, std::string("en")})
    if (auto it = sign_off.find(key); it != sign_off.end()) return it->second;
  // The default templates are written in English and German.
  if (primary == "de") return name.empty() ? "Ihr Kundenservice" : "Ihr Kundenservice von " + name;
  return name.empty() ? "Customer Support" : name + " Customer Support";
}

const Playbook &Policy::playbook(IssueType type) const {
  static const Playbook none;
  auto it = playbooks.find(type);
  return it == playbooks.end() ? none : it->second;
}

const std::string &TeamPolicy::team_for(IssueType type) const {
  auto it = by_type.find(type);
  return it == by_type.end() ? fallback : it->second;
}

Policy Policy::from_config(const Json &overrides, const std::string &path) {
  const Json defaults = parse_json(embedded_document("policy.json"), "embedded policy defaults");
  Json merged = defaults;
  if (!overrides.is_null()) {
    if (!overrides.is_object()) fail_config(path, "expected an object");
    merged.merge_patch(overrides);
  }
  Policy policy = read_policy(merged, path);
  require_known_names(merged, defaults, path);
  return policy;
}

const TemplateSet &Policy::message_templates() const { return templates ? *templates : TemplateSet::defaults(); }

const Locations &Policy::physical_locations() const {
  static const Locations none;
  return locations ? *locations : none;
}

const Policy &Policy::defaults() {
  static const Policy policy = Policy::from_config(nullptr);
  return policy;
}

std::int64_t major_to_minor(std::int64_t major, const std::string &currency) {
  for (int i = 0; i < currency_exponent(currency).value_or(2); ++i) major *= 10;
  return major;
}

std::int64_t offer_cap(const OfferPolicy &policy, const std::string &currency) {
  auto it = policy.cap_minor_by_currency.find(currency);
  if (it != policy.cap_minor_by_currency.end()) return it->second;
  return major_to_minor(policy.cap_major_units, currency);
}

std::int64_t large_order_threshold(const PriorityPolicy &policy, const std::string &currency) {
  auto it = policy.large_order_minor_by_currency.find(currency);
  if (it != policy.large_order_minor_by_currency.end()) return it->second;
  return major_to_minor(policy.large_order_major_units, currency);
}

bool contains(const std::vector<std::string> &list, const std::string &value) {
  for (const auto &item : list)
    if (item == value) return true;
  return false;
}

}  // namespace ordercare::domain
