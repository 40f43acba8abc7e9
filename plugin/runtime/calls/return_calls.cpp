#include "runtime/calls/return_calls.h"

#include <cstdio>

#include "common/currency.h"
#include "common/failure.h"
#include "common/text_table.h"
#include "domain/entities_json.h"
#include "domain/return_flow.h"
#include "runtime/calls/skipped_rows.h"
#include "store/report_store.h"
#include "store/subjects.h"

namespace ordercare::runtime {

using namespace ordercare::domain;

namespace {

std::vector<ReceivedItem> read_items(ConfigReader &args, bool required_list) {
  const Json *items = args.child("items");
  if (!items) {
    if (required_list) fail(OC_ERR_SCHEMA, "args: items: missing required field");
    return {};
  }
  if (!items->is_array()) fail(OC_ERR_SCHEMA, "args: items: expected an array");
  std::vector<ReceivedItem> out;
  for (std::size_t i = 0; i < items->size(); ++i) {
    ConfigReader item((*items)[i], "items[" + std::to_string(i) + "]", OC_ERR_SCHEMA, "args");
    ReceivedItem r;
    r.line_id = item.string("line_id", "");
    if (r.line_id.empty()) fail(OC_ERR_SCHEMA, "args: items[" + std::to_string(i) + "].line_id: required");
    r.quantity = item.integer("quantity", 1, 1, 1'000'000);
    r.condition = item.choice("condition", "resellable", {"resellable", "damaged"});
    item.finish();
    out.push_back(std::move(r));
  }
  return out;
}

ReturnRecord load_return(store::StateStore &state, const std::string &id) {
  auto r = state.find_return(id);
  if (!r) fail(OC_ERR_NOT_FOUND, "no return with id '" + id + "'");
  return *r;
}

Json return_json(store::StateStore &state, const ReturnRecord &r) {
  auto order = state.find_order(r.order_id);
  return to_json(r, order ? &*order : nullptr);
}

// return.<kind>: read args, decide on the order's state, write, answer with
// the return as it now is.
CallHandler return_command(Engine &engine, const std::string &kind,
                           std::function<void(ConfigReader &, ReturnCommand &)> read) {
  return [&engine, kind, read](CallContext &ctx, const Json &json) -> Json {
    ConfigReader args = args_reader(json);
    ReturnCommand cmd;
    cmd.kind = kind;
    cmd.return_id = required_nonempty(args, "id");
    cmd.agent = args.string("agent", "agent");
    if (read) read(args, cmd);
    args.finish();
    cmd.command_id = ctx.command_id;
    const ReturnRecord r = load_return(ctx.job.store.state(), cmd.return_id);
    const Snapshot snapshot = engine.order_snapshot(ctx.job, r.order_id);
    ctx.pii_key = store::pii_key_for(r.customer_id, r.order_id);
    const Policy &policy = engine.stores().policy_for(snapshot.order ? snapshot.order->store_id : std::nullopt);
    engine.apply(ctx.job, decide_return_command(snapshot, cmd, ctx.now, policy), std::nullopt, ctx.now);
    return return_json(ctx.job.store.state(), load_return(ctx.job.store.state(), cmd.return_id));
  };
}

// "2 x Mug (SKU-MUG), changed_mind: restocked", one line per item.
std::string items_text(const ReturnRecord &r) {
  std::string out;
  for (const auto &item : r.items) {
    if (!out.empty()) out += "\n";
    out += std::to_string(item.quantity) + " x " + (item.name.empty() ? item.sku : item.name + " (" + item.sku + ")");
    if (!item.reason.empty()) out += ", " + item.reason;
    if (!item.eligible) out += ": not eligible";
    else if (!item.disposition.empty()) out += ": " + item.disposition;
    else if (item.received > 0) out += ": " + std::to_string(item.received) + " received";
  }
  return out;
}

// Seed 000's refund target is 7 days from the request: "2.5 h", "3.0 d".
std::string refund_time_text(const ReturnRecord &r) {
  if (!r.refunded_at) return "";
  const double hours = static_cast<double>(*r.refunded_at - r.requested_at) / static_cast<double>(kHourMs);
  char buf[32];
  if (hours < 48) std::snprintf(buf, sizeof buf, "%.1f h", hours);
  else std::snprintf(buf, sizeof buf, "%.1f d", hours / 24);
  return buf;
}

// The returns desk: one row per return, what came back and what was paid.
std::string returns_table(store::StateStore &state, const std::vector<ReturnRecord> &rows) {
  TextTable table{{"Return", "Order", "Status", "Items", "Refund Due", "Refunded", "Requested (UTC)",
                   "Refunded (UTC)", "Refund Time"},
                  {}};
  for (const auto &r : rows) {
    auto order = state.find_order(r.order_id);
    const std::int64_t refunded = order ? refunded_for(*order, r.id) : 0;
    table.rows.push_back({r.id, r.order_id, std::string(to_string(r.status)), items_text(r),
                          format_money(r.refund_due(), r.currency), format_money(refunded, r.currency),
                          format_minute(r.requested_at), r.refunded_at ? format_minute(*r.refunded_at) : "",
                          refund_time_text(r)});
  }
  if (rows.empty()) table.rows.push_back({"None"});
  return render_text(table);
}

Json list_returns(CallContext &ctx, const Json &json) {
  ConfigReader args = args_reader(json);
  const Page page = read_page(args, "rt");
  auto status = args.optional_string("status");
  if (status && !parse_return_status(*status)) fail(OC_ERR_SCHEMA, "args: status: unknown return status");
  auto order_id = args.optional_string("order_id");
  const std::string format = args.choice("format", "json", {"json", "text"});
  args.finish();
  store::StateStore &state = ctx.job.store.state();
  std::vector<store::SkippedRow> skipped;
  auto rows = ctx.job.store.reports().list_returns(status, order_id, page.limit, page.after, &skipped);
  const bool more = trim_page(rows, skipped, page.limit);
  Json cursor = next_cursor("rt", more, page.after + static_cast<std::int64_t>(rows.size() + skipped.size()));
  Json result;
  if (format == "text") {
    result = {{"format", "text"}, {"content", returns_table(state, rows)}, {"next_cursor", std::move(cursor)}};
  } else {
    Json out = Json::array();
    for (const auto &r : rows) out.push_back(return_json(state, r));
    result = {{"returns", std::move(out)}, {"next_cursor", std::move(cursor)}};
  }
  add_skipped(result, skipped);
  return result;
}

Json get_return(CallContext &ctx, const Json &json) {
  ConfigReader args = args_reader(json);
  const std::string id = required_nonempty(args, "id");
  args.finish();
  return return_json(ctx.job.store.state(), load_return(ctx.job.store.state(), id));
}

Json list_effects(CallContext &ctx, const Json &json) {
  ConfigReader args = args_reader(json);
  const Page page = read_page(args, "ef");
  store::OutboxQuery q;
  q.limit = page.limit;
  q.after_seq = page.after;
  q.status = args.optional_string("status");
  if (q.status && *q.status != "pending" && *q.status != "in_flight" && *q.status != "done" && *q.status != "failed")
    fail(OC_ERR_SCHEMA, "args: status: expected pending, in_flight, done or failed");
  q.kind = args.optional_string("kind");
  q.order_id = args.optional_string("order_id");
  q.case_id = args.optional_string("case_id");
  args.finish();
  auto rows = ctx.job.store.outbox().list(q);
  const bool more = rows.size() > q.limit;
  if (more) rows.pop_back();
  Json effects = Json::array();
  for (const auto &[seq, row] : rows)
    effects.push_back({{"id", row.effect.id},
                       {"kind", row.effect.kind},
                       {"status", row.status},
                       {"attempts", row.attempts},
                       {"next_attempt_at", row.status == "pending" && row.next_attempt_at
                                               ? Json(format_rfc3339(*row.next_attempt_at))
                                               : Json(nullptr)},
                       {"last_error", row.last_error ? Json(*row.last_error) : Json(nullptr)},
                       {"order_id", row.effect.order_id ? Json(*row.effect.order_id) : Json(nullptr)},
                       {"case_id", row.effect.case_id ? Json(*row.effect.case_id) : Json(nullptr)},
                       {"created_at", format_rfc3339(row.effect.created_at)},
                       {"payload", row.effect.payload},
                       {"result", row.result}});
  return {{"effects", std::move(effects)},
          {"next_cursor", next_cursor("ef", more, rows.empty() ? 0 : rows.back().first)}};
}

}  // namespace

void register_return_calls(CallRegistry &registry, Engine &engine) {
  registry.add("returns.list", list_returns);
  registry.add("return.get", get_return);
  registry.add("effects.list", list_effects);
  registry.add_command("return.approve", return_command(engine, "approve", [](ConfigReader &a, ReturnCommand &c) {
    c.reason = a.string("reason", "");
  }));
  registry.add_command("return.reject", return_command(engine, "reject", [](ConfigReader &a, ReturnCommand &c) {
    c.reason = required_nonempty(a, "reason");
  }));
  registry.add_command("return.issue_label", return_command(engine, "issue_label", [](ConfigReader &a, ReturnCommand &c) {
    c.label = a.optional_string("label");
  }));
  registry.add_command("return.in_transit", return_command(engine, "in_transit", nullptr));
  registry.add_command("return.receive", return_command(engine, "receive", [](ConfigReader &a, ReturnCommand &c) {
    c.items = read_items(a, true);
  }));
  registry.add_command("return.inspect", return_command(engine, "inspect", [](ConfigReader &a, ReturnCommand &c) {
    c.items = read_items(a, false);
  }));
  registry.add_command("return.refund", return_command(engine, "refund", [](ConfigReader &a, ReturnCommand &c) {
    if (a.has("amount")) c.amount = a.integer("amount", 0, 1, INT64_MAX);
    c.method = a.choice("method", "original", {"original", "store_credit"});
    c.reason = a.string("reason", "");
  }));
  registry.add_command("return.cancel", return_command(engine, "cancel", [](ConfigReader &a, ReturnCommand &c) {
    c.reason = a.string("reason", "");
  }));
  registry.add_command("order.refund", [&engine](CallContext &ctx, const Json &json) -> Json {
    ConfigReader args = args_reader(json);
    OrderRefundCommand cmd;
    cmd.order_id = required_nonempty(args, "order_id");
    cmd.amount = args.integer("amount", 0, 1, INT64_MAX);
    if (cmd.amount == 0) fail(OC_ERR_SCHEMA, "args: amount: missing required field");
    cmd.method = args.choice("method", "original", {"original", "store_credit"});
    cmd.reason = required_nonempty(args, "reason");
    cmd.case_id = args.optional_string("case_id");
    cmd.agent = args.string("agent", "agent");
    args.finish();
    cmd.command_id = ctx.command_id;
    const Snapshot snapshot = engine.order_snapshot(ctx.job, cmd.order_id);
    if (snapshot.order) ctx.pii_key = store::pii_key_for(snapshot.order->customer_id, cmd.order_id);
    const Policy &policy = engine.stores().policy_for(snapshot.order ? snapshot.order->store_id : std::nullopt);
    engine.apply(ctx.job, decide_order_refund(snapshot, cmd, ctx.now, policy), std::nullopt, ctx.now);
    auto order = ctx.job.store.state().find_order(cmd.order_id);
    return {{"order_id", cmd.order_id}, {"refunds", to_json(*order)["refunds"]},
            {"refundable", {{"amount", order->refundable()}, {"currency", order->currency}}}};
  });
}

}  // namespace ordercare::runtime
