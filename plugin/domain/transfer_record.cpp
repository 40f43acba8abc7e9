#include "domain/transfer_record.h"

#include <array>
#include <utility>

#include "domain/json_fields.h"
#include "domain/json_text.h"
#include "domain/record_fields.h"

namespace ordercare::domain {

namespace {

constexpr std::array<std::pair<TransferStatus, std::string_view>, 6> kStatuses{{
    {TransferStatus::requested, "requested"},
    {TransferStatus::scheduled, "scheduled"},
    {TransferStatus::picked, "picked"},
    {TransferStatus::shipped, "shipped"},
    {TransferStatus::received, "received"},
    {TransferStatus::cancelled, "cancelled"},
}};

using namespace record_fields;

}  // namespace

std::string_view to_string(TransferStatus v) {
  for (const auto &[status, name] : kStatuses)
    if (status == v) return name;
  return "unknown";
}

std::optional<TransferStatus> parse_transfer_status(std::string_view text) {
  for (const auto &[status, name] : kStatuses)
    if (name == text) return status;
  return std::nullopt;
}

int progress_rank(TransferStatus v) {
  switch (v) {
    case TransferStatus::requested: return 0;
    case TransferStatus::scheduled: return 1;
    case TransferStatus::picked: return 2;
    case TransferStatus::shipped: return 3;
    case TransferStatus::received: return 4;
    case TransferStatus::cancelled: return 5;
  }
  return 0;
}

namespace {

using namespace json_fields;

// A transfer's members; a step's wait time and note only when it has them.
constexpr auto kTransferLine = describe(text("sku", &TransferLine::sku), integer("quantity", &TransferLine::quantity));

constexpr auto kTransferStep = describe(
    enumeration("status", &TransferStep::status, to_string, parse_transfer_status, TransferStatus::requested),
    time("at", &TransferStep::at),
    text("by", &TransferStep::by),
    text("event_id", &TransferStep::event_id),
    time("ready_by", &TransferStep::ready_by, omit_empty),
    text("note", &TransferStep::note, omit_empty));

constexpr auto kTransfer = describe(
    text("id", &Transfer::id),
    text("from_location", &Transfer::from),
    text("to_location", &Transfer::to),
    list("lines", &Transfer::lines, kTransferLine),
    flag("customer_waiting", &Transfer::customer_waiting),
    text("order_id", &Transfer::order_id),
    time("needed_by", &Transfer::needed_by),
    integer("warehouse_orders_due", &Transfer::warehouse_orders_due),
    time("warehouse_ship_by", &Transfer::warehouse_ship_by),
    text("requested_by", &Transfer::requested_by),
    text("favours", &Transfer::favours),
    text("answer", &Transfer::answer),
    time("ready_by", &Transfer::ready_by),
    text("reason", &Transfer::reason),
    enumeration("priority", &Transfer::priority, to_string, parse_priority, Priority::p3),
    enumeration("status", &Transfer::status, to_string, parse_transfer_status, TransferStatus::requested),
    text("case_id", &Transfer::case_id),
    time("requested_at", &Transfer::requested_at),
    time("updated_at", &Transfer::updated_at),
    flag("stock_left", &Transfer::stock_left),
    flag("stock_arrived", &Transfer::stock_arrived),
    list("history", &Transfer::history, kTransferStep));

}  // namespace

Json to_json(const Transfer &t) { return write(t, kTransfer); }

void write_text(const Transfer &t, TextWriter &w) { append_fields(t, w, kTransfer); }

Transfer transfer_from_json(const Json &j) {
  Transfer t;
  t.id = text(j, "id");
  t.from = text(j, "from_location");
  t.to = text(j, "to_location");
  if (auto lines = j.find("lines"); lines != j.end() && lines->is_array())
    for (const Json &line : *lines) t.lines.push_back({text(line, "sku"), integer(line, "quantity")});
  t.customer_waiting = j.value("customer_waiting", false);
  if (auto order = text(j, "order_id"); !order.empty()) t.order_id = order;
  t.needed_by = time(j, "needed_by");
  t.warehouse_orders_due = integer(j, "warehouse_orders_due");
  t.warehouse_ship_by = time(j, "warehouse_ship_by");
  t.requested_by = text(j, "requested_by");
  t.favours = text(j, "favours");
  t.answer = text(j, "answer");
  t.ready_by = time(j, "ready_by").value_or(0);
  t.reason = text(j, "reason");
  t.priority = parse_priority(text(j, "priority")).value_or(Priority::p3);
  t.status = parse_transfer_status(text(j, "status")).value_or(TransferStatus::requested);
  t.case_id = text(j, "case_id");
  t.requested_at = time(j, "requested_at").value_or(0);
  t.updated_at = time(j, "updated_at").value_or(0);
  t.stock_left = j.value("stock_left", false);
  t.stock_arrived = j.value("stock_arrived", false);
  if (auto history = j.find("history"); history != j.end() && history->is_array())
    for (const Json &s : *history) {
      TransferStep step;
      step.status = parse_transfer_status(text(s, "status")).value_or(TransferStatus::requested);
      step.at = time(s, "at").value_or(0);
      step.by = text(s, "by");
      step.event_id = text(s, "event_id");
      step.ready_by = time(s, "ready_by");
      step.note = text(s, "note");
      t.history.push_back(std::move(step));
    }
  return t;
}

}  // namespace ordercare::domain
