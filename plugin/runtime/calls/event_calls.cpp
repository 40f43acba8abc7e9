#include "runtime/calls/event_calls.h"

#include "common/config_reader.h"
#include "common/failure.h"

namespace ordercare::runtime {

namespace {

Json summary_of(const store::StoredEvent &e) {
  Json out = {{"id", e.id},
              {"type", e.type},
              {"occurred_at", format_rfc3339(e.occurred_at)},
              {"source", e.source},
              {"received_at", format_rfc3339(e.received_at)}};
  if (e.store_id) out["store"] = *e.store_id;
  return out;
}

Json list_events(CallContext &ctx, const Json &args) {
  ConfigReader reader = args_reader(args);
  store::EventQuery query;
  const Page page = read_page(reader, "ev");
  query.limit = page.limit;
  query.after_seq = page.after;
  query.received_after = optional_instant(reader, "after");
  query.type = reader.optional_string("type");
  reader.finish();
  auto rows = ctx.job.store.events().list(query);
  const bool has_more = rows.size() > query.limit;
  if (has_more) rows.pop_back();
  Json events = Json::array();
  for (const auto &row : rows) events.push_back(summary_of(row));
  return {{"events", std::move(events)},
          {"next_cursor", next_cursor("ev", has_more, rows.empty() ? 0 : rows.back().seq)}};
}

Json get_event(CallContext &ctx, const Json &args) {
  ConfigReader reader = args_reader(args);
  const std::string id = required_string(reader, "id");
  reader.finish();
  auto event = ctx.job.store.events().find(id);
  if (!event) fail(OC_ERR_NOT_FOUND, "events.get: no event with id '" + id + "'");
  Json out = parse_json(event->body, "stored event");
  out["received_at"] = format_rfc3339(event->received_at);
  return out;
}

}  // namespace

void register_event_calls(CallRegistry &registry) {
  registry.add("events.list", list_events);
  registry.add("events.get", get_event);
}

}  // namespace ordercare::runtime
