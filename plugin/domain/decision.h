// What the domain hands back for one event or command: the state to write
// and the effects to queue, all in the same store transaction as the event.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "common/json.h"
#include "common/subject.h"
#include "domain/entities.h"
#include "domain/return_record.h"
#include "domain/transfer_record.h"

namespace ordercare::domain {

struct Decision {
  std::optional<Order> order;        // upsert
  std::optional<Customer> customer;  // upsert
  std::vector<CaseRecord> cases;     // upserts, each at most once
  std::vector<CaseLogEntry> log;     // appended
  std::vector<Escalation> escalations;  // upserts
  std::vector<Effect> effects;       // queued in the outbox (deduplicated by id)
  std::vector<ReturnRecord> returns;  // upserts
  std::optional<Transfer> transfer;   // upsert (transfers.h)
  // Keep the event and apply it again when this subject appears
  // (Subject::order), e.g. a shipment update about an order not seen yet.
  std::optional<Subject> park_on;
  // Internal events that follow from this one and are decided next, in the
  // same transaction, each on its own snapshot (e.g. one stock shortfall per
  // open order a discrepancy hits). Ids derive from the cause, so replays
  // produce the same follow-ups.
  std::vector<Json> follow_ups;
  // Cases to give to someone (new cases of teams that assign, or a breach
  // with reassign_on_breach): the runtime picks the agent from the team's
  // live roster (assignment.h).
  std::vector<std::string> assign;
  std::vector<std::string> reassign;
  // SLA notices held for the next digest, and those a digest covered
  // (sent or dropped): removed, each exactly as it was read, so a notice
  // another process held meanwhile stays for the next one.
  std::vector<DigestItem> digest_items;
  std::vector<DigestItem> digest_done;

  std::vector<std::string> case_ids() const;
  std::vector<std::string> effect_ids() const;
};

}  // namespace ordercare::domain
