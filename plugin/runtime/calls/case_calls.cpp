#include "runtime/calls/case_calls.h"

#include <algorithm>
#include <cctype>
#include <functional>

#include "common/crypto.h"
#include "common/failure.h"
#include "common/language_tag.h"
#include "common/subject.h"
#include "common/text_table.h"
#include "domain/agent_messages.h"
#include "domain/case_commands.h"
#include "domain/entities_json.h"
#include "runtime/calls/service_log.h"
#include "runtime/calls/skipped_rows.h"
#include "store/queue_key.h"
#include "store/report_store.h"
#include "store/subjects.h"

namespace ordercare::runtime {

using namespace ordercare::domain;

namespace {

// cases.list's cursor is the last listed row's place in the queue
// (store/queue_key.h), so the next page starts right after it however deep
// it is: "cq:" and the base64 of [priority, due, opened_at, id]. A "cs:<n>"
// cursor from before ABI 1.3 still pages by position.
constexpr const char *kQueueCursor = "cq:";

std::string queue_cursor(const store::QueueKey &key) {
  return kQueueCursor + crypto::base64_encode(dump_json(Json::array({key.priority, key.due, key.opened_at, key.id})));
}

void read_queue_cursor(ConfigReader &args, store::CaseQuery &q) {
  q.limit = static_cast<std::size_t>(args.integer("limit", 50, 1, 1000));
  const auto cursor = args.optional_string("cursor");
  if (!cursor) return;
  if (cursor->rfind(kQueueCursor, 0) != 0) {
    q.offset = cursor_position(*cursor, "cs");  // the old form, checked as before
    return;
  }
  const auto bytes = crypto::base64_decode(std::string_view(*cursor).substr(std::char_traits<char>::length(kQueueCursor)));
  Json key;
  try {
    if (bytes) key = Json::parse(*bytes);
  } catch (const Json::exception &) {
    key = Json();
  }
  if (!key.is_array() || key.size() != 4 || !key[0].is_string() || !key[1].is_number_integer() ||
      !key[2].is_number_integer() || !key[3].is_string())
    fail(OC_ERR_SCHEMA, "args: cursor: not a cursor returned by this method");
  q.after = store::QueueKey{key[0].get<std::string>(), key[1].get<std::int64_t>(), key[2].get<std::int64_t>(),
                            key[3].get<std::string>()};
}

std::string minute_text(const std::optional<TimeMs> &t) { return t ? format_minute(*t) : ""; }

// The queue as an operator reads it: one aligned line per case, in the
// list's order (priority, then the nearest deadline).
std::string cases_table(const std::vector<CaseRecord> &cases) {
  TextTable table{{"Priority", "Case", "Order", "Type", "Status", "Team", "Assignee", "Opened (UTC)",
                   "Next Due (UTC)", "Escalation", "SLA"},
                  {}};
  for (const auto &c : cases) {
    std::optional<TimeMs> due = c.resolution_due;
    if (!c.first_response_at && c.first_response_due && (!due || *c.first_response_due < *due))
      due = c.first_response_due;
    table.rows.push_back({std::string(to_string(c.priority)), c.id, c.order_id.value_or(""),
                          std::string(label(c.type)), std::string(to_string(c.status)), c.team,
                          c.assignee.value_or(""), minute_text(c.opened_at), minute_text(due),
                          c.escalation_level > 0 ? "level " + std::to_string(c.escalation_level) : "",
                          c.breached ? "breached" : ""});
  }
  if (cases.empty()) table.rows.push_back({"None"});
  return render_text(table);
}

// Seed 004's escalations log with its column titles.
std::string escalations_table(const Json &rows) {
  auto text = [](const Json &v) { return v.is_string() ? v.get<std::string>() : std::string(); };
  auto minute = [](const Json &v) { return v.is_string() ? minute_text(parse_rfc3339(v.get<std::string>())) : ""; };
  TextTable table{{"Time (UTC)", "Order ID", "Customer Name", "Issue", "Promised Resolution", "Action Taken", "Status",
                   "Resolved By"},
                  {}};
  for (const auto &r : rows)
    table.rows.push_back({minute(r["time"]), text(r["order_id"]), text(r["customer_name"]), text(r["issue"]),
                          minute(r["promised_resolution"]), text(r["action_taken"]),
                          r["status"] == "resolved" ? "Resolved" : "Open", text(r["resolved_by"])});
  if (rows.empty()) table.rows.push_back({"None"});
  return render_text(table);
}

CaseRecord load_case(store::StateStore &state, const std::string &id) {
  auto c = state.find_case(id);
  if (!c) fail(OC_ERR_NOT_FOUND, "no case with id '" + id + "'");
  return *c;
}

CommandState command_state(Engine &engine, JobContext &job, const std::string &id) {
  CommandState s;
  const CaseRecord c = load_case(job.store.state(), id);
  s.snapshot = engine.case_snapshot(job, c);
  s.escalations = job.store.state().escalations_for_case(c.id);
  return s;
}

// Looks at a decision before it is written; throws Failure to refuse it.
using DecisionCheck = std::function<void(CallContext &, const Decision &)>;

// The shape shared by every case command: read args, load, decide, check,
// write, answer with the case as it now is.
template <class Args, class Read, class Decide>
CallHandler command(Engine &engine, Read read, Decide decide, DecisionCheck check = {}) {
  return [&engine, read, decide, check](CallContext &ctx, const Json &json) -> Json {
    ConfigReader args = args_reader(json);
    const std::string id = required_string(args, "id");
    Args parsed = read(args);
    args.finish();
    claim_case(ctx.job, id);
    CommandState state = command_state(engine, ctx.job, id);
    state.command_id = ctx.command_id;
    const CaseRecord &c = state.snapshot.cases.front();
    ctx.pii_key = store::pii_key_for(c.customer_id, c.order_id);
    const Decision decision = decide(state, parsed, ctx.now, engine.policy_of(c));
    if (check) check(ctx, decision);
    engine.apply(ctx.job, decision, std::nullopt, ctx.now);
    return to_json(load_case(ctx.job.store.state(), id));
  };
}

std::optional<std::string> optional_channel(ConfigReader &args) {
  if (!args.has("channel")) return std::nullopt;
  return args.choice("channel", "", contact_channels());
}

// A language tag such as "en", "de" or "de-AT": a primary subtag of 2 to 8
// letters, then subtags of 1 to 8 letters or digits, split by '-' or '_'.
std::optional<std::string> optional_language(ConfigReader &args) {
  auto tag = args.optional_string("language");
  if (!tag) return std::nullopt;
  const bool ok = valid_language_tag(*tag);
  if (!ok) fail(OC_ERR_SCHEMA, "args: language: expected a language tag such as \"en\" or \"de-AT\"");
  return tag;
}

// A macro's own values: placeholder names to strings, numbers or booleans.
Json read_variables(ConfigReader &args) {
  const Json *given = args.child("variables");
  if (!given || given->is_null()) return Json::object();
  if (!given->is_object()) fail(OC_ERR_SCHEMA, "args: variables: expected an object of values by placeholder name");
  if (given->size() > 100) fail(OC_ERR_SCHEMA, "args: variables: at most 100 values");
  for (auto it = given->begin(); it != given->end(); ++it) {
    const std::string &name = it.key();
    bool ok = !name.empty() && name.front() != '.' && name.back() != '.' && name.find("..") == std::string::npos;
    for (char ch : name)
      ok = ok && (std::isalnum(static_cast<unsigned char>(ch)) || ch == '_' || ch == '.');
    if (!ok) fail(OC_ERR_SCHEMA, "args: variables." + name + ": not a placeholder name (letters, digits, _ and .)");
    const Json &value = it.value();
    if (!value.is_string() && !value.is_number() && !value.is_boolean())
      fail(OC_ERR_SCHEMA, "args: variables." + name + ": expected a string, number or boolean");
    if (value.is_string() && value.get_ref<const std::string &>().size() > 10000)
      fail(OC_ERR_SCHEMA, "args: variables." + name + ": at most 10000 bytes");
  }
  return *given;
}

// An agent's message is rendered now as the host will get it: one with a
// placeholder that has no value is refused before anything is written, so
// it is never half-sent. Other reasons it may not go out (an erased
// customer) are the outbox's to report, as for every notice.
DecisionCheck sendable(const NotificationRenderer &renderer, const std::string &command) {
  return [&renderer, command](CallContext &ctx, const Decision &decision) {
    for (const auto &effect : decision.effects) {
      if (!is_agent_message(effect)) continue;
      // A macro of one store's templates goes only to that store's cases.
      const std::string id = effect.payload.value("template", "");
      const MessageTemplate *found = renderer.templates_for(effect.payload).find(id);
      if (!found) fail(OC_ERR_NOT_FOUND, command + ": no template '" + id + "' for the case's store");
      if (found->audience != Audience::customer)
        fail(OC_ERR_REFUSED, command + ": template '" + id + "' is for a team, not a customer");
      const RenderResult rendered = renderer.render(ctx.job.store.state(), effect.payload);
      if (rendered.missing.empty()) continue;
      std::string names;
      for (const auto &name : rendered.missing) names += (names.empty() ? "" : ", ") + name;
      fail(OC_ERR_REFUSED, command + ": template '" + effect.payload.value("template", "") +
                               "' has no value for " + names + "; give them in variables");
    }
  };
}

// The template of case.send_template: one that exists, for customers, in
// the shop's templates or a store's (sendable() checks the case's store's).
std::string customer_template(const NotificationRenderer &renderer, const std::string &id) {
  const MessageTemplate *found = renderer.templates().find(id);
  for (const std::string &store : renderer.stores().ids())
    if (!found) found = renderer.stores().policy_for(store).message_templates().find(id);
  if (!found) fail(OC_ERR_NOT_FOUND, "case.send_template: no template '" + id + "' (templates.list shows them)");
  if (found->audience != Audience::customer)
    fail(OC_ERR_REFUSED, "case.send_template: template '" + id + "' is for a team, not a customer");
  return id;
}

Json list_cases(CallContext &ctx, const Json &json) {
  ConfigReader args = args_reader(json);
  store::CaseQuery q;
  read_queue_cursor(args, q);
  q.status = args.optional_string("status");
  if (q.status && !parse_case_status(*q.status)) fail(OC_ERR_SCHEMA, "args: status: unknown case status");
  q.priority = args.optional_string("priority");
  if (q.priority && !parse_priority(*q.priority)) fail(OC_ERR_SCHEMA, "args: priority: expected P1, P2 or P3");
  q.type = args.optional_string("type");
  if (q.type && !parse_issue_type(*q.type)) fail(OC_ERR_SCHEMA, "args: type: unknown issue type");
  q.team = args.optional_string("team");
  q.assignee = args.optional_string("assignee");
  q.order_id = args.optional_string("order_id");
  q.customer_id = args.optional_string("customer_id");
  if (args.has("breached")) q.breached = args.boolean("breached", false);
  if (args.has("active")) q.active = args.boolean("active", true);
  if (args.has("unanswered")) q.unanswered = args.boolean("unanswered", true);
  if (args.has("red_flagged")) q.red_flagged = args.boolean("red_flagged", true);
  if (args.has("vip")) q.vip = args.boolean("vip", true);
  q.store = args.optional_string("store");
  if (args.has("awaiting_warehouse")) q.awaiting_warehouse = args.boolean("awaiting_warehouse", true);
  if (args.has("due_within")) {
    const std::int64_t within = args.duration_ms("due_within", 0);
    if (within < 0 || within > 366 * 24 * kHourMs) fail(OC_ERR_SCHEMA, "args: due_within: expected a duration up to 366d");
    q.due_before = ctx.now + within;
  }
  const std::string format = args.choice("format", "json", {"json", "text"});
  args.finish();
  std::vector<store::SkippedRow> skipped;
  std::vector<store::QueueKey> keys;
  auto rows = ctx.job.store.reports().list_cases(q, &skipped, &keys);
  const bool more = trim_page(rows, skipped, q.limit);
  Json cursor = more ? Json(queue_cursor(keys[q.limit - 1])) : Json();
  Json out;
  if (format == "text") {
    out = {{"format", "text"}, {"content", cases_table(rows)}, {"next_cursor", std::move(cursor)}};
  } else {
    Json cases = Json::array();
    for (const auto &c : rows) cases.push_back(summary_json(c));
    out = {{"cases", std::move(cases)}, {"next_cursor", std::move(cursor)}};
  }
  add_skipped(out, skipped);
  return out;
}

Json get_case(CallContext &ctx, const Json &json) {
  ConfigReader args = args_reader(json);
  const std::string id = required_string(args, "id");
  args.finish();
  store::StateStore &state = ctx.job.store.state();
  Json out = to_json(load_case(state, id));
  Json log = Json::array();
  for (const auto &entry : ctx.job.store.reports().case_log(id)) log.push_back(to_json(entry));
  Json effects = Json::array();
  for (const auto &row : ctx.job.store.outbox().for_case(id))
    effects.push_back({{"id", row.effect.id}, {"kind", row.effect.kind}, {"status", row.status},
                       {"attempts", row.attempts}});
  Json escalations = Json::array();
  for (const auto &e : state.escalations_for_case(id)) escalations.push_back(to_json(e));
  out["log"] = std::move(log);
  out["events"] = out["event_ids"];
  out["effects"] = std::move(effects);
  out["escalations"] = std::move(escalations);
  return out;
}

Json escalations_log(CallContext &ctx, const Json &json) {
  ConfigReader args = args_reader(json);
  store::EscalationQuery q;
  q.from = optional_instant(args, "from");
  q.to = optional_instant(args, "to");
  if (auto status = args.optional_string("status")) {
    if (*status != "open" && *status != "resolved")
      fail(OC_ERR_SCHEMA, "args: status: expected \"open\" or \"resolved\"");
    q.resolved = *status == "resolved";
  }
  const std::string format = args.choice("format", "json", {"json", "text"});
  args.finish();
  store::StateStore &state = ctx.job.store.state();
  store::ReportStore &reports = ctx.job.store.reports();
  Json rows = Json::array();
  std::vector<store::SkippedRow> skipped;
  // Seed 004's columns, exactly: Time, Order ID, Customer Name, Issue,
  // Promised Resolution, Action Taken, Status, Resolved By.
  for (const auto &e : reports.escalations(q, &skipped)) try {
    // A red flag may escalate before the order, and so the customer, is
    // known (a chargeback arriving first): the case learns them later.
    std::optional<std::string> customer_id = e.customer_id;
    if (!customer_id)
      if (auto c = state.find_case(e.case_id)) customer_id = c->customer_id;
    Json name = nullptr;
    if (customer_id) {
      auto known = reports.customer_name(*customer_id);
      name = known ? Json(*known) : Json(nullptr);
    }
    rows.push_back({{"kind", e.kind},
                    {"time", format_rfc3339(e.at)},
                    {"order_id", e.order_id ? Json(*e.order_id) : Json(nullptr)},
                    {"customer_name", name},
                    {"issue", e.issue + " (" + e.reason + ")"},
                    {"promised_resolution",
                     e.promised_resolution ? Json(format_rfc3339(*e.promised_resolution)) : Json(nullptr)},
                    {"action_taken", e.action_taken},
                    {"status", e.resolved ? "resolved" : "open"},
                    {"resolved_by", e.resolved_by ? Json(*e.resolved_by) : Json(nullptr)}});
  } catch (const store::UnreadableRow &unreadable) {
    // The escalation's customer or case cannot be read.
    skipped.push_back({e.case_id, unreadable.what(), 0});
  }
  // Red flags lead, apart from SLA breaches and the rest: each in time order.
  Json red_flags = Json::array(), others = Json::array();
  for (auto &row : rows) (row["kind"] == "red_flag" ? red_flags : others).push_back(std::move(row));
  Json out;
  if (format == "text") {
    out = {{"format", "text"},
           {"content", "Red flags (" + std::to_string(red_flags.size()) + ")\n" + escalations_table(red_flags) +
                           "\nOther escalations (" + std::to_string(others.size()) +
                           "): SLA breaches, agents, the host's failures\n" + escalations_table(others)}};
  } else {
    for (auto &row : others) red_flags.push_back(std::move(row));
    out = {{"rows", std::move(red_flags)}};
  }
  add_skipped(out, skipped);
  return out;
}

Json erase_customer(CallContext &ctx, const Json &json) {
  ConfigReader args = args_reader(json);
  const std::string id = required_string(args, "customer_id");
  args.finish();
  // Every order of theirs too: no job may seal or open their PII meanwhile.
  std::vector<Subject> subjects{Subject::customer(id)};
  for (const auto &order_id : ctx.job.store.state().order_ids_of_customer(id))
    subjects.push_back(Subject::order(order_id));
  ctx.job.store.claim(subjects);
  ctx.pii_key = Subject::customer(id).str();
  ctx.erased_pii = true;
  if (!ctx.job.store.state().erase_customer(id, ctx.now))
    fail(OC_ERR_NOT_FOUND, "customer.erase: no customer with id '" + id + "'");
  return {{"erased", true}, {"customer_id", id}};
}

}  // namespace

void register_case_calls(CallRegistry &registry, Engine &engine, const NotificationRenderer &renderer,
                         const HostCallbacks &host) {
  registry.add("cases.list", list_cases);
  registry.add("case.get", get_case);
  registry.add("escalations.log", escalations_log);
  registry.add("service_log.export", export_service_log);
  registry.add_command("customer.erase", erase_customer);

  registry.add_command("case.assign", command<AssignArgs>(engine, [](ConfigReader &a) {
    return AssignArgs{a.optional_string("team"), a.optional_string("agent")};
  }, assign_case));
  registry.add_command("case.reply", command<ReplyArgs>(engine, [&host](ConfigReader &a) {
    ReplyArgs r;
    r.agent = required_string(a, "agent");
    r.text = required_string(a, "text");
    r.channel = optional_channel(a);
    r.language = optional_language(a);
    r.await_customer = a.boolean("await_customer", false);
    const auto kinds = host.kinds();
    r.deliver = std::find(kinds.begin(), kinds.end(), "notify") != kinds.end();
    return r;
  }, reply_case, sendable(renderer, "case.reply")));
  registry.add_command("case.send_template", command<SendTemplateArgs>(engine, [&host, &renderer](ConfigReader &a) {
    SendTemplateArgs m;
    m.agent = required_string(a, "agent");
    m.template_id = customer_template(renderer, required_string(a, "template"));
    m.variables = read_variables(a);
    m.channel = optional_channel(a);
    m.language = optional_language(a);
    m.await_customer = a.boolean("await_customer", false);
    const auto kinds = host.kinds();
    if (std::find(kinds.begin(), kinds.end(), "notify") == kinds.end())
      fail(OC_ERR_REFUSED, "case.send_template: the host has no notify callback to send it with");
    return m;
  }, send_template_case, sendable(renderer, "case.send_template")));
  registry.add_command("case.note", command<NoteArgs>(engine, [](ConfigReader &a) {
    return NoteArgs{required_string(a, "agent"), required_string(a, "text")};
  }, note_case));
  registry.add_command("case.escalate", command<EscalateArgs>(engine, [](ConfigReader &a) {
    return EscalateArgs{required_string(a, "reason"), a.optional_string("to"), a.string("agent", "agent")};
  }, escalate_case));
  registry.add_command("case.resolve", command<ResolveArgs>(engine, [](ConfigReader &a) {
    return ResolveArgs{required_string(a, "agent"), required_string(a, "resolution"),
                       required_string(a, "action_taken")};
  }, resolve_case));
  registry.add_command("case.close", command<CloseArgs>(engine, [](ConfigReader &a) {
    return CloseArgs{required_string(a, "agent"), a.string("follow_up", "")};
  }, close_case));
  registry.add_command("case.reopen", command<ReopenArgs>(engine, [](ConfigReader &a) {
    return ReopenArgs{required_string(a, "reason")};
  }, reopen_case));
  registry.add_command("case.wait", command<WaitArgs>(engine, [](ConfigReader &a) {
    return WaitArgs{required_string(a, "on"), required_string(a, "agent")};
  }, wait_case));
  registry.add_command("case.resume", command<ResumeArgs>(engine, [](ConfigReader &a) {
    ResumeArgs r{required_string(a, "agent"), std::nullopt};
    if (a.has("confirmed")) r.confirmed = a.boolean("confirmed", false);
    return r;
  }, resume_case));
  registry.add_command("case.csat", command<CsatArgs>(engine, [](ConfigReader &a) {
    return CsatArgs{a.integer("rating", 0, INT64_MIN, INT64_MAX), a.optional_string("comment")};
  }, rate_case));
  registry.add_command("case.nps", command<NpsArgs>(engine, [](ConfigReader &a) {
    return NpsArgs{a.integer("score", -1, INT64_MIN, INT64_MAX)};
  }, score_case));
}

}  // namespace ordercare::runtime
