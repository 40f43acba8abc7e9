// What the event path reads and writes: orders, customers, cases and their
// logs and escalations, returns, parked events, the SLA timer queue and the
// agents' turns. Customer PII is sealed and opened inside the store; an
// erased customer's PII reads back as absent.
//
// Reads here are for writing: on a store shared by several processes or
// nodes, a job claims the subjects it is about (Store::claim) before it
// reads them, so what it reads is still true when it writes.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "common/json.h"
#include "common/subject.h"
#include "common/time_format.h"
#include "domain/entities.h"
#include "domain/return_record.h"
#include "domain/routing.h"
#include "domain/sla_clocks.h"
#include "domain/snapshot_reader.h"
#include "domain/transfer_record.h"

namespace ordercare::store {

// A command the caller gave a request_id: what it was and what it answered
// (sealed under `pii_key`: an answer may show the customer's data).
struct StoredRequest {
  std::string id;
  std::string method;
  std::string args_hash;
  std::optional<Json> result;  // nullopt once its customer was erased
  TimeMs at = 0;
};

// Its reads for decisions are domain::SnapshotReader's; the rest are here.
class StateStore : public domain::SnapshotReader {
 public:
  virtual void put_order(const domain::Order &order) = 0;

  virtual void put_customer(const domain::Customer &customer) = 0;
  // Destroys the customer's keys: their PII anywhere becomes unreadable.
  virtual bool erase_customer(const std::string &id, TimeMs at) = 0;
  // The ids of a customer's orders (an erasure claims them all).
  virtual std::vector<std::string> order_ids_of_customer(const std::string &customer_id) = 0;
  // The customers with an order of the store (a shop's erasure): a scan of
  // every order, for a request a shop makes once, when it leaves.
  virtual std::vector<std::string> customer_ids_of_store(const std::string &store_id) = 0;

  virtual void put_case(const domain::CaseRecord &c) = 0;

  virtual void append_log(const domain::CaseLogEntry &entry) = 0;

  virtual void put_escalation(const domain::Escalation &e) = 0;
  virtual std::vector<domain::Escalation> escalations_for_case(const std::string &case_id) = 0;

  // Events kept until their subject appears.
  virtual void park(const Subject &subject, std::int64_t event_seq) = 0;
  virtual std::vector<std::int64_t> take_parked(const Subject &subject) = 0;

  virtual void put_return(const domain::ReturnRecord &r) = 0;

  // Stock transfers (transfer_record.h), their history in the row; they
  // hold no personal data. Listed oldest request first, filtered by what
  // is given.
  struct TransferQuery {
    std::optional<std::string> status, from_location, to_location, order_id;
    std::size_t limit = 50;
    std::int64_t offset = 0;
  };
  virtual void put_transfer(const domain::Transfer &t) = 0;
  virtual std::vector<domain::Transfer> list_transfers(const TransferQuery &query) = 0;

  // The SLA timer queue: each case's next warnings and breaches, replaced
  // whenever the case is written. Indexed by due time, so a million live
  // timers cost neither memory nor a rebuild at open.
  virtual void set_timers(const std::string &case_id, const std::vector<domain::SlaTimer> &timers) = 0;
  virtual std::vector<std::string> cases_with_timers_due(TimeMs now, std::size_t limit) = 0;
  // The earliest SLA timer or digest slot end, whichever comes first.
  virtual std::optional<TimeMs> next_timer_due() = 0;

  // SLA notices held for digests (domain::DigestItem): one row per
  // recipient, case, clock and stage, the latest kept.
  virtual void hold_digest_items(const std::vector<domain::DigestItem> &items) = 0;
  // Recipients with items whose slot has ended by `now`, earliest first.
  virtual std::vector<std::string> recipients_with_digest_due(TimeMs now, std::size_t limit) = 0;
  virtual std::vector<domain::DigestItem> digest_items_due(const std::string &recipient, TimeMs now) = 0;
  // Removes these items, each only as it is (a later one held for the same
  // case, clock and stage stays).
  virtual void remove_digest_items(const std::vector<domain::DigestItem> &items) = 0;

  // Agents of a team as the assignment sees them now.
  virtual std::vector<domain::AgentState> agent_states(const std::string &team,
                                                       const std::vector<std::string> &agents) = 0;
  virtual void set_agent_available(const std::string &team, const std::string &agent, bool available) = 0;
  virtual void mark_assigned(const std::string &team, const std::string &agent, TimeMs at) = 0;

  // Commands by request_id (the caller's retry key).
  virtual std::optional<StoredRequest> find_request(const std::string &id) = 0;
  virtual void put_request(const StoredRequest &request, const std::string &pii_key) = 0;
};

}  // namespace ordercare::store
