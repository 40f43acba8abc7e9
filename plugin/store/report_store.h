// What queries and reports read: the case queue, the escalations log,
// returns, and the facts the metrics count. Nothing here writes, and none
// of it is read on the event path, so each engine can serve it from indexes
// made for it (each by the time asked about: a day's report costs that
// day's rows, not the store's history).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/time_format.h"
#include "domain/entities.h"
#include "domain/return_record.h"
#include "reports/metrics.h"
#include "store/queue_key.h"
#include "store/unreadable_row.h"

namespace ordercare::store {

struct CaseQuery {
  std::optional<std::string> status, priority, type, team, assignee, order_id, customer_id;
  std::optional<bool> breached;
  std::optional<bool> active;       // not resolved or closed
  std::optional<bool> unanswered;   // no first response yet
  std::optional<bool> red_flagged;  // a red flag was raised on it
  std::optional<bool> vip;          // the customer is a VIP
  std::optional<std::string> store;  // the store profile the case belongs to
  std::optional<bool> awaiting_warehouse;  // waits on the warehouse or asked it something unanswered
  std::optional<TimeMs> due_before;  // its queue deadline is before this (breached or about to be)
  std::size_t limit = 50;
  // Where the page starts: after this row of the queue (a keyset cursor),
  // or, for a cursor from before ABI 1.3, past this many rows.
  std::optional<QueueKey> after;
  std::int64_t offset = 0;
};

struct EscalationQuery {
  std::optional<TimeMs> from, to;
  std::optional<bool> resolved;
};

class ReportStore {
 public:
  virtual ~ReportStore() = default;

  // Listings that take `skipped` leave out a row that cannot be read
  // (UnreadableRow) and add it there; without it such a row fails the call.

  // The queue (queue_key.h): at most limit + 1 rows (read or skipped), in
  // its order. `keys`, when given, receives each row's QueueKey in the same
  // order, read or skipped, so paging can continue after a skipped one.
  virtual std::vector<domain::CaseRecord> list_cases(const CaseQuery &query,
                                                     std::vector<SkippedRow> *skipped = nullptr,
                                                     std::vector<QueueKey> *keys = nullptr) = 0;
  // Cases opened in [from, to), oldest first (service log, reports).
  virtual std::vector<domain::CaseRecord> cases_opened_between(std::optional<TimeMs> from,
                                                               std::optional<TimeMs> to) = 0;
  virtual std::vector<domain::Escalation> escalations(const EscalationQuery &query,
                                                      std::vector<SkippedRow> *skipped = nullptr) = 0;
  // A case's log, oldest first (case.get).
  virtual std::vector<domain::CaseLogEntry> case_log(const std::string &case_id) = 0;
  // Paging by position, at most limit + 1 rows.
  virtual std::vector<domain::ReturnRecord> list_returns(const std::optional<std::string> &status,
                                                         const std::optional<std::string> &order_id,
                                                         std::size_t limit, std::int64_t offset,
                                                         std::vector<SkippedRow> *skipped = nullptr) = 0;

  // The customer's display name, if known and not erased.
  virtual std::optional<std::string> customer_name(const std::string &customer_id) = 0;

  // Cases resolved in [from, to), by resolution time.
  virtual std::vector<domain::CaseRecord> cases_resolved_between(TimeMs from, TimeMs to) = 0;
  // The backlog at `at`: cases opened before it and not resolved before it
  // (a resolution at `at` itself belongs to the range that starts there).
  virtual std::vector<domain::CaseRecord> cases_open_at(TimeMs at) = 0;
  // Refunds of any order requested or completed in [from, to).
  virtual std::vector<reports::RefundFact> refunds_between(TimeMs from, TimeMs to) = 0;
  // Log entries of one kind written in [from, to), in log order. Only the
  // kinds reports count are indexed: "qa", "red_flag" and "sla_breach";
  // any other kind is refused (OC_ERR_INTERNAL) rather than scanned.
  virtual std::vector<domain::CaseLogEntry> log_entries_between(const std::string &kind, TimeMs from,
                                                                TimeMs to) = 0;
  // When an agent first worked the case (domain/metrics.h, handle time).
  virtual std::optional<TimeMs> first_agent_action(const std::string &case_id) = 0;
};

}  // namespace ordercare::store
