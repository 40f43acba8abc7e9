#include "runtime/calls/order_calls.h"

#include "common/config_reader.h"
#include "common/failure.h"
#include "domain/entities_json.h"

namespace ordercare::runtime {

namespace {

// order.get {id} -> the order as ordercare knows it (status, lines, totals,
// shipments, refunds), without its PII: an integrator checking what the
// webhooks made of an order needs its facts, not the customer's address.
Json get_order(CallContext &ctx, const Json &args) {
  ConfigReader reader = args_reader(args);
  const std::string id = required_string(reader, "id");
  reader.finish();
  auto order = ctx.job.store.state().find_order(id);
  if (!order) fail(OC_ERR_NOT_FOUND, "order.get: no order with id '" + id + "'");
  Json out = domain::to_json(*order);
  out.erase("pii");
  return out;
}

}  // namespace

void register_order_calls(CallRegistry &registry) { registry.add("order.get", get_order); }

}  // namespace ordercare::runtime
