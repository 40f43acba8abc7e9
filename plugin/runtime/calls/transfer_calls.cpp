#include "runtime/calls/transfer_calls.h"

#include "common/config_reader.h"
#include "common/failure.h"
#include "domain/transfer_record.h"
#include "domain/vocabulary.h"
#include "store/state_store.h"

namespace ordercare::runtime {

using namespace ordercare::domain;

namespace {

// The transfer as documented, with where its task case stands.
Json transfer_json(store::StateStore &state, const Transfer &t) {
  Json out = to_json(t);
  auto c = state.find_case(t.case_id);
  out["case_status"] = c ? Json(std::string(to_string(c->status))) : Json(nullptr);
  return out;
}

Json list_transfers(CallContext &ctx, const Json &json) {
  ConfigReader args = args_reader(json);
  const Page page = read_page(args, "tr");
  store::StateStore::TransferQuery q;
  q.status = args.optional_string("status");
  if (q.status && !parse_transfer_status(*q.status))
    fail(OC_ERR_SCHEMA, "args: status: expected requested, scheduled, picked, shipped, received or cancelled");
  q.from_location = args.optional_string("from_location");
  q.to_location = args.optional_string("to_location");
  q.order_id = args.optional_string("order_id");
  args.finish();
  q.limit = page.limit + 1;
  q.offset = page.after;
  store::StateStore &state = ctx.job.store.state();
  auto rows = state.list_transfers(q);
  const bool more = rows.size() > page.limit;
  if (more) rows.pop_back();
  Json out = Json::array();
  for (const auto &t : rows) out.push_back(transfer_json(state, t));
  return {{"transfers", std::move(out)},
          {"next_cursor", next_cursor("tr", more, page.after + static_cast<std::int64_t>(rows.size()))}};
}

Json get_transfer(CallContext &ctx, const Json &json) {
  ConfigReader args = args_reader(json);
  const std::string id = required_nonempty(args, "id");
  args.finish();
  store::StateStore &state = ctx.job.store.state();
  auto t = state.find_transfer(id);
  if (!t) fail(OC_ERR_NOT_FOUND, "no transfer with id '" + id + "'");
  return transfer_json(state, *t);
}

}  // namespace

void register_transfer_calls(CallRegistry &registry) {
  registry.add("transfers.list", list_transfers);
  registry.add("transfer.get", get_transfer);
}

}  // namespace ordercare::runtime
