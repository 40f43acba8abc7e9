// What the host's ledger and the store (as refund_crash_driver dumps it
// through the ABI, so SQLite and PostgreSQL read alike) must agree on after
// a replay under faults. Each check reports its failures through gtest and
// returns a summary of what it counted.
#pragma once

#include <cstdint>
#include <map>
#include <set>
#include <string>

#include "common/json.h"
#include "replay_steps.h"

namespace ordercare::testing {

struct LedgerEntry {
  int applied = 0;
  int duplicates = 0;
  Json request;
};

// "<kind>\t<key>" -> what the ledger says of it.
std::map<std::string, LedgerEntry> read_ledger(const std::string &path);

struct StoreView {
  std::int64_t now = 0;  // the dumping host's clock
  std::map<std::string, Json> orders;
  std::map<std::string, Json> cases;
  std::map<std::string, Json> returns;
  Json effects = Json::array();
  Json events = Json::array();  // as events.list listed them: {id, type, data}
};

// The driver's --dump.
StoreView read_dump(const std::string &path);

struct Tally {
  std::size_t effects = 0, done = 0, failed = 0, applied = 0, duplicates = 0, refunds_owed = 0, refunds_failed = 0;
  std::string summary() const;
};

// The outbox is quiet; every effect done was applied once and nothing was
// applied twice, nor without the outbox knowing it; every refund owed was
// applied once for its amount, failed ones never, no order refunded more
// than it paid; an effect that failed is told in its case. `faults`: the
// host injected failures (else only an unsendable notice may fail).
Tally check_effects_once(const StoreView &view, const std::map<std::string, LedgerEntry> &ledger, bool faults);

// Each order action (reship, exchange, cancel, return_label, offer) on the
// orders' ledgers: done ones applied by the host exactly once, as asked
// (its kind, its order); none still asked for once the outbox is quiet;
// rejected or failed ones never applied; every action the host applied
// known to its order. `kinds_done` receives how many of each kind were
// done.
std::string check_order_actions_once(const StoreView &view, const std::map<std::string, LedgerEntry> &ledger,
                                     std::map<std::string, int> *kinds_done = nullptr);

// Every event acknowledged (a step that answered OC_OK) is stored exactly
// once, as it was submitted; nothing is stored that no host submitted
// (a step's event, or a refund's "result:<key>").
std::string check_events_once(const StoreView &view, const Replay &replay, const std::set<long> &acked_steps);

// Each return's items reached the host's stock exactly once: per return
// line, the inventory adjustments applied add up to what was received;
// each stock count was adjusted once.
std::string check_inventory_once(const StoreView &view, const std::map<std::string, LedgerEntry> &ledger);

// Each case.reply step of the replay (request_id "reply-<order>") queued
// at most one message, whatever a kill made the host repeat, and the host
// applied each message done exactly once. `in_order`: one process ran the
// steps in order, so every reply found its case and queued its message
// (processes sharing a replay may reach a reply before its return).
std::string check_replies_once(const StoreView &view, const std::map<std::string, LedgerEntry> &ledger,
                               const Replay &replay, bool in_order);

// Each case of a survey order (crs-fb-*, closed twice by the replay) queued
// one feedback survey, applied once when done, and no case anywhere has
// two surveys of one survey id, whatever kills made the host repeat.
std::string check_surveys_once(const StoreView &view, const std::map<std::string, LedgerEntry> &ledger);

// Every SLA timer due by the host's time fired, once: one sla_breach entry
// per (case, clock, due) of a breached clock and none of one that is not,
// at most one sla_warning per (case, clock, due), and no running clock past
// its due left unbreached.
std::string check_timers_once(const StoreView &view);

}  // namespace ordercare::testing
