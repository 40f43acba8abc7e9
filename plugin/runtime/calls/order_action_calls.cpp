#include "runtime/calls/order_action_calls.h"

#include "common/failure.h"
#include "domain/entities_json.h"
#include "domain/order_actions.h"
#include "store/subjects.h"

namespace ordercare::runtime {

using namespace ordercare::domain;

namespace {

// lines: [{line_id, quantity?, new_sku?}]; quantity defaults to the whole line.
std::vector<ActionLine> read_lines(ConfigReader &args, bool with_new_sku) {
  const Json *lines = args.child("lines");
  if (!lines) return {};
  if (!lines->is_array() || lines->empty()) fail(OC_ERR_SCHEMA, "args: lines: expected a non-empty array");
  if (lines->size() > 1000) fail(OC_ERR_SCHEMA, "args: lines: at most 1000 lines");
  std::vector<ActionLine> out;
  for (std::size_t i = 0; i < lines->size(); ++i) {
    const std::string at = "lines[" + std::to_string(i) + "]";
    ConfigReader line((*lines)[i], at, OC_ERR_SCHEMA, "args");
    ActionLine l;
    l.line_id = line.string("line_id", "");
    if (l.line_id.empty()) fail(OC_ERR_SCHEMA, "args: " + at + ".line_id: required");
    l.quantity = line.has("quantity") ? line.integer("quantity", 1, 1, 1'000'000) : 0;
    if (with_new_sku) {
      l.new_sku = line.string("new_sku", "");
      if (l.new_sku.empty()) fail(OC_ERR_SCHEMA, "args: " + at + ".new_sku: required (the variant it becomes)");
    }
    line.finish();
    out.push_back(std::move(l));
  }
  return out;
}

std::string read_speed(ConfigReader &args) {
  return args.choice("shipping_speed", "standard", {"standard", "expedited", "overnight"});
}

// Reads the kind's own arguments; the shared ones (order_id, case_id,
// reason, agent) are read by the handler.
using ReadAction = std::function<void(ConfigReader &, ActionRequest &)>;

Json answer(CallContext &ctx, const std::string &order_id, std::size_t before) {
  auto order = ctx.job.store.state().find_order(order_id);
  Json actions = Json::array();
  for (const auto &a : order->actions) actions.push_back(to_json(a));
  Json action = order->actions.size() > before ? to_json(order->actions.back()) : Json(nullptr);
  return {{"order_id", order_id}, {"action", std::move(action)}, {"actions", std::move(actions)}};
}

Json run(Engine &engine, CallContext &ctx, OrderActionCommand cmd) {
  cmd.command_id = ctx.command_id;
  const Snapshot snapshot = engine.order_snapshot(ctx.job, cmd.order_id);
  if (snapshot.order) ctx.pii_key = store::pii_key_for(snapshot.order->customer_id, cmd.order_id);
  const std::size_t before = snapshot.order ? snapshot.order->actions.size() : 0;
  // The order's store's policy (its offer cap, its team names).
  const Policy &policy = engine.stores().policy_for(snapshot.order ? snapshot.order->store_id : std::nullopt);
  engine.apply(ctx.job, decide_order_action(snapshot, cmd, ctx.now, policy), std::nullopt, ctx.now);
  return answer(ctx, cmd.order_id, before);
}

CallHandler order_action(Engine &engine, const std::string &kind, ReadAction read) {
  return [&engine, kind, read](CallContext &ctx, const Json &json) -> Json {
    ConfigReader args = args_reader(json);
    OrderActionCommand cmd;
    cmd.order_id = required_nonempty(args, "order_id");
    cmd.case_id = required_nonempty(args, "case_id");
    cmd.request.kind = kind;
    cmd.request.reason = required_nonempty(args, "reason");
    cmd.request.agent = args.string("agent", "agent");
    read(args, cmd.request);
    args.finish();
    return run(engine, ctx, std::move(cmd));
  };
}

// return.label {id} for a return (RMA); or {order_id, case_id, lines?,
// reason} for items sent back without one (a wrong item).
Json return_label(Engine &engine, CallContext &ctx, const Json &json) {
  ConfigReader args = args_reader(json);
  OrderActionCommand cmd;
  cmd.request.kind = "return_label";
  cmd.request.agent = args.string("agent", "agent");
  cmd.request.shipping_speed = read_speed(args);
  if (auto id = args.optional_string("id")) {
    if (args.has("order_id") || args.has("lines"))
      fail(OC_ERR_SCHEMA, "args: id: give a return's id, or order_id, case_id and lines, not both");
    cmd.request.reason = args.string("reason", "");
    args.finish();
    auto r = ctx.job.store.state().find_return(*id);
    if (!r) fail(OC_ERR_NOT_FOUND, "no return with id '" + *id + "'");
    if (!r->case_id) fail(OC_ERR_REFUSED, "return.label: return " + r->id + " has no case");
    cmd.order_id = r->order_id;
    cmd.case_id = *r->case_id;
    cmd.request.return_id = r->id;
  } else {
    cmd.order_id = required_nonempty(args, "order_id");
    cmd.case_id = required_nonempty(args, "case_id");
    cmd.request.reason = required_nonempty(args, "reason");
    cmd.request.lines = read_lines(args, false);
    args.finish();
  }
  return run(engine, ctx, std::move(cmd));
}

}  // namespace

void register_order_action_calls(CallRegistry &registry, Engine &engine) {
  registry.add_command("order.reship", order_action(engine, "reship", [](ConfigReader &a, ActionRequest &r) {
    r.lines = read_lines(a, false);
    r.shipping_speed = read_speed(a);
    r.only_if_in_stock = a.boolean("only_if_in_stock", false);
  }));
  registry.add_command("order.exchange", order_action(engine, "exchange", [](ConfigReader &a, ActionRequest &r) {
    r.lines = read_lines(a, true);
    if (r.lines.empty()) fail(OC_ERR_SCHEMA, "args: lines: missing required field");
    r.shipping_speed = read_speed(a);
  }));
  registry.add_command("order.cancel", order_action(engine, "cancel", [](ConfigReader &, ActionRequest &) {}));
  registry.add_command("order.offer", order_action(engine, "offer", [](ConfigReader &a, ActionRequest &r) {
    r.offer = a.choice("offer", "", {"discount_code", "free_expedited_shipping", "store_credit"});
    if (r.offer.empty()) fail(OC_ERR_SCHEMA, "args: offer: missing required field");
    const Json *amount = a.child("amount");
    if (!amount) fail(OC_ERR_SCHEMA, "args: amount: missing required field");
    ConfigReader money(*amount, "amount", OC_ERR_SCHEMA, "args");
    r.amount = money.integer("amount", 0, 1, 1'000'000'000'000'000);
    if (r.amount == 0) fail(OC_ERR_SCHEMA, "args: amount.amount: missing required field");
    r.currency = money.string("currency", "");
    if (r.currency.empty()) fail(OC_ERR_SCHEMA, "args: amount.currency: missing required field");
    money.finish();
  }));
  registry.add_command("return.label", [&engine](CallContext &ctx, const Json &json) {
    return return_label(engine, ctx, json);
  });
}

}  // namespace ordercare::runtime
