// Seed 004 "Store needs item from warehouse": a stock transfer from a
// warehouse to a store, documented from the request to the store's receipt
// ("4. Document transfer"). The answer (pull now, or a wait time for the
// store) is decided once, at the request (transfers.h); the history keeps
// every step as it was reported.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/json.h"
#include "common/time_format.h"
#include "domain/vocabulary.h"

namespace ordercare::domain::json_fields {
class TextWriter;
}  // namespace ordercare::domain::json_fields

namespace ordercare::domain {

// requested -> scheduled -> picked -> shipped -> received, or cancelled
// before it left the warehouse. A transfer only moves forward.
enum class TransferStatus { requested, scheduled, picked, shipped, received, cancelled };

std::string_view to_string(TransferStatus v);
std::optional<TransferStatus> parse_transfer_status(std::string_view text);
// The order of the steps; cancelled is not on it (it ends the transfer
// wherever it was).
int progress_rank(TransferStatus v);

struct TransferLine {
  std::string sku;
  std::int64_t quantity = 0;

  bool operator==(const TransferLine &) const = default;
};

// One step as it was reported: what, when, by whom, from which event.
struct TransferStep {
  TransferStatus status = TransferStatus::requested;
  TimeMs at = 0;
  std::string by;
  std::string event_id;
  std::optional<TimeMs> ready_by;  // scheduled: the wait time given
  std::string note;

  bool operator==(const TransferStep &) const = default;
};

struct Transfer {
  std::string id;
  std::string from;  // a warehouse of the config's locations
  std::string to;    // a store of the config's locations
  std::vector<TransferLine> lines;
  // What the request said: a customer waiting at the store now, the order
  // (or pickup) it serves, when the store needs it, and the warehouse's own
  // deadline pressure (orders due to ship from it, and by when).
  bool customer_waiting = false;
  std::optional<std::string> order_id;
  std::optional<TimeMs> needed_by;
  std::int64_t warehouse_orders_due = 0;
  std::optional<TimeMs> warehouse_ship_by;
  std::string requested_by;
  // The answer (transfers.h, transfer_answer): whose side won, pull now or
  // wait, and when the store can count on the stock.
  std::string favours;  // "store" | "warehouse"
  std::string answer;   // "pull_now" | "wait"
  TimeMs ready_by = 0;
  std::string reason;
  Priority priority = Priority::p3;

  TransferStatus status = TransferStatus::requested;
  std::string case_id;
  TimeMs requested_at = 0;
  TimeMs updated_at = 0;
  // The adjust_inventory pair: the stock left the warehouse, reached the
  // store. Each is queued once, under a key of the transfer and line.
  bool stock_left = false;
  bool stock_arrived = false;
  std::vector<TransferStep> history;

  bool operator==(const Transfer &) const = default;
};

Json to_json(const Transfer &t);
Transfer transfer_from_json(const Json &json);
// The members to_json gives, written by `w` (begun on the document) straight
// to text, without the tree (json_text.h): the store's form of a transfer.
void write_text(const Transfer &t, json_fields::TextWriter &w);

}  // namespace ordercare::domain
