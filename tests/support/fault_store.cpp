#include "support/fault_store.h"

#include <new>

#include "common/failure.h"
#include "store/report_store.h"

namespace ordercare::testing {

oc_status status_of(Fault fault) {
  switch (fault) {
    case Fault::disk: return OC_ERR_STORE;
    case Fault::busy: return OC_ERR_BUSY;
    case Fault::nomem: return OC_ERR_NOMEM;
  }
  return OC_ERR_INTERNAL;
}

const char *name_of(Fault fault) {
  switch (fault) {
    case Fault::disk: return "disk";
    case Fault::busy: return "busy";
    case Fault::nomem: return "nomem";
  }
  return "?";
}

void FaultInjector::fail_at(std::uint64_t call, Fault fault) {
  std::lock_guard<std::mutex> lock(mutex_);
  armed_[call] = fault;
}

void FaultInjector::disarm() {
  std::lock_guard<std::mutex> lock(mutex_);
  armed_.clear();
}

std::uint64_t FaultInjector::calls() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return calls_;
}

std::vector<std::string> FaultInjector::names() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return {names_.begin(), names_.end()};
}

std::string FaultInjector::name(std::uint64_t call) const {
  std::lock_guard<std::mutex> lock(mutex_);
  return call >= 1 && call <= names_.size() ? names_[call - 1] : "";
}

std::vector<FaultInjector::Injected> FaultInjector::injected() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return injected_;
}

FaultInjector::Pause::Pause(FaultInjector &injector) : injector_(injector) {
  std::lock_guard<std::mutex> lock(injector_.mutex_);
  ++injector_.paused_;
}

FaultInjector::Pause::~Pause() {
  std::lock_guard<std::mutex> lock(injector_.mutex_);
  --injector_.paused_;
}

void FaultInjector::enter(const char *call) {
  Fault fault;
  std::uint64_t n;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (paused_ > 0) return;
    n = ++calls_;
    names_.push_back(call);
    const auto it = armed_.find(n);
    if (it == armed_.end()) return;
    fault = it->second;
    armed_.erase(it);
    injected_.push_back({n, call, fault});
  }
  if (fault == Fault::nomem) throw std::bad_alloc();
  const std::string what = fault == Fault::disk ? "disk I/O error" : "database is locked";
  fail(status_of(fault), "store: " + what + " (fault injected at call " + std::to_string(n) + ", " + call + ")");
}

namespace {

// Each part forwards to the real one after FaultInjector::enter.
class FaultEventLog : public store::EventLog {
 public:
  FaultEventLog(FaultInjector &faults, store::EventLog &real) : faults_(faults), real_(real) {}

  bool append(store::StoredEvent &event) override {
    faults_.enter("events.append");
    return real_.append(event);
  }
  std::optional<store::StoredEvent> find(std::string_view id) override {
    faults_.enter("events.find");
    return real_.find(id);
  }
  std::optional<store::StoredEvent> find_by_seq(std::int64_t seq) override {
    faults_.enter("events.find_by_seq");
    return real_.find_by_seq(seq);
  }
  std::vector<store::StoredEvent> list(const store::EventQuery &query) override {
    faults_.enter("events.list");
    return real_.list(query);
  }
  std::int64_t count() override {
    faults_.enter("events.count");
    return real_.count();
  }

 private:
  FaultInjector &faults_;
  store::EventLog &real_;
};

class FaultStateStore : public store::StateStore {
 public:
  FaultStateStore(FaultInjector &faults, store::StateStore &real) : faults_(faults), real_(real) {}

  std::optional<domain::Order> find_order(const std::string &id) override {
    faults_.enter("state.find_order");
    return real_.find_order(id);
  }
  void put_order(const domain::Order &order) override {
    faults_.enter("state.put_order");
    real_.put_order(order);
  }
  std::vector<domain::Order> open_orders_with_sku(const std::string &sku) override {
    faults_.enter("state.open_orders_with_sku");
    return real_.open_orders_with_sku(sku);
  }
  std::optional<domain::Customer> find_customer(const std::string &id) override {
    faults_.enter("state.find_customer");
    return real_.find_customer(id);
  }
  void put_customer(const domain::Customer &customer) override {
    faults_.enter("state.put_customer");
    real_.put_customer(customer);
  }
  bool erase_customer(const std::string &id, TimeMs at) override {
    faults_.enter("state.erase_customer");
    return real_.erase_customer(id, at);
  }
  std::vector<std::string> order_ids_of_customer(const std::string &customer_id) override {
    faults_.enter("state.order_ids_of_customer");
    return real_.order_ids_of_customer(customer_id);
  }
  std::vector<std::string> customer_ids_of_store(const std::string &store_id) override {
    faults_.enter("state.customer_ids_of_store");
    return real_.customer_ids_of_store(store_id);
  }
  std::optional<domain::CaseRecord> find_case(const std::string &id) override {
    faults_.enter("state.find_case");
    return real_.find_case(id);
  }
  void put_case(const domain::CaseRecord &c) override {
    faults_.enter("state.put_case");
    real_.put_case(c);
  }
  std::vector<domain::CaseRecord> cases_for_subject(const Subject &subject) override {
    faults_.enter("state.cases_for_subject");
    return real_.cases_for_subject(subject);
  }
  std::vector<domain::CaseRecord> active_cases_for_subject(const Subject &subject) override {
    faults_.enter("state.active_cases_for_subject");
    return real_.active_cases_for_subject(subject);
  }
  std::map<std::string, std::int64_t> recent_complaints(const std::vector<std::string> &skus, TimeMs since,
                                                        const std::optional<std::string> &except_order,
                                                        std::int64_t at_most) override {
    faults_.enter("state.recent_complaints");
    return real_.recent_complaints(skus, since, except_order, at_most);
  }
  void append_log(const domain::CaseLogEntry &entry) override {
    faults_.enter("state.append_log");
    real_.append_log(entry);
  }
  void put_escalation(const domain::Escalation &e) override {
    faults_.enter("state.put_escalation");
    real_.put_escalation(e);
  }
  std::vector<domain::Escalation> escalations_for_case(const std::string &case_id) override {
    faults_.enter("state.escalations_for_case");
    return real_.escalations_for_case(case_id);
  }
  void park(const Subject &subject, std::int64_t event_seq) override {
    faults_.enter("state.park");
    real_.park(subject, event_seq);
  }
  std::vector<std::int64_t> take_parked(const Subject &subject) override {
    faults_.enter("state.take_parked");
    return real_.take_parked(subject);
  }
  std::optional<domain::ReturnRecord> find_return(const std::string &id) override {
    faults_.enter("state.find_return");
    return real_.find_return(id);
  }
  void put_return(const domain::ReturnRecord &r) override {
    faults_.enter("state.put_return");
    real_.put_return(r);
  }
  std::vector<domain::ReturnRecord> returns_for_order(const std::string &order_id) override {
    faults_.enter("state.returns_for_order");
    return real_.returns_for_order(order_id);
  }
  std::optional<domain::Transfer> find_transfer(const std::string &id) override {
    faults_.enter("state.find_transfer");
    return real_.find_transfer(id);
  }
  void put_transfer(const domain::Transfer &t) override {
    faults_.enter("state.put_transfer");
    real_.put_transfer(t);
  }
  std::vector<domain::Transfer> list_transfers(const TransferQuery &query) override {
    faults_.enter("state.list_transfers");
    return real_.list_transfers(query);
  }
  void set_timers(const std::string &case_id, const std::vector<domain::SlaTimer> &timers) override {
    faults_.enter("state.set_timers");
    real_.set_timers(case_id, timers);
  }
  std::vector<std::string> cases_with_timers_due(TimeMs now, std::size_t limit) override {
    faults_.enter("state.cases_with_timers_due");
    return real_.cases_with_timers_due(now, limit);
  }
  std::optional<TimeMs> next_timer_due() override {
    faults_.enter("state.next_timer_due");
    return real_.next_timer_due();
  }
  void hold_digest_items(const std::vector<domain::DigestItem> &items) override {
    faults_.enter("state.hold_digest_items");
    real_.hold_digest_items(items);
  }
  std::vector<std::string> recipients_with_digest_due(TimeMs now, std::size_t limit) override {
    faults_.enter("state.recipients_with_digest_due");
    return real_.recipients_with_digest_due(now, limit);
  }
  std::vector<domain::DigestItem> digest_items_due(const std::string &recipient, TimeMs now) override {
    faults_.enter("state.digest_items_due");
    return real_.digest_items_due(recipient, now);
  }
  void remove_digest_items(const std::vector<domain::DigestItem> &items) override {
    faults_.enter("state.remove_digest_items");
    real_.remove_digest_items(items);
  }
  std::vector<domain::AgentState> agent_states(const std::string &team,
                                               const std::vector<std::string> &agents) override {
    faults_.enter("state.agent_states");
    return real_.agent_states(team, agents);
  }
  void set_agent_available(const std::string &team, const std::string &agent, bool available) override {
    faults_.enter("state.set_agent_available");
    real_.set_agent_available(team, agent, available);
  }
  void mark_assigned(const std::string &team, const std::string &agent, TimeMs at) override {
    faults_.enter("state.mark_assigned");
    real_.mark_assigned(team, agent, at);
  }
  std::optional<store::StoredRequest> find_request(const std::string &id) override {
    faults_.enter("state.find_request");
    return real_.find_request(id);
  }
  void put_request(const store::StoredRequest &request, const std::string &pii_key) override {
    faults_.enter("state.put_request");
    real_.put_request(request, pii_key);
  }

 private:
  FaultInjector &faults_;
  store::StateStore &real_;
};

class FaultReportStore : public store::ReportStore {
 public:
  FaultReportStore(FaultInjector &faults, store::ReportStore &real) : faults_(faults), real_(real) {}

  std::vector<domain::CaseRecord> list_cases(const store::CaseQuery &query,
                                             std::vector<store::SkippedRow> *skipped,
                                             std::vector<store::QueueKey> *keys) override {
    faults_.enter("reports.list_cases");
    return real_.list_cases(query, skipped, keys);
  }
  std::vector<domain::CaseRecord> cases_opened_between(std::optional<TimeMs> from,
                                                       std::optional<TimeMs> to) override {
    faults_.enter("reports.cases_opened_between");
    return real_.cases_opened_between(from, to);
  }
  std::vector<domain::Escalation> escalations(const store::EscalationQuery &query,
                                              std::vector<store::SkippedRow> *skipped) override {
    faults_.enter("reports.escalations");
    return real_.escalations(query, skipped);
  }
  std::vector<domain::CaseLogEntry> case_log(const std::string &case_id) override {
    faults_.enter("reports.case_log");
    return real_.case_log(case_id);
  }
  std::vector<domain::ReturnRecord> list_returns(const std::optional<std::string> &status,
                                                 const std::optional<std::string> &order_id, std::size_t limit,
                                                 std::int64_t offset,
                                                 std::vector<store::SkippedRow> *skipped) override {
    faults_.enter("reports.list_returns");
    return real_.list_returns(status, order_id, limit, offset, skipped);
  }
  std::optional<std::string> customer_name(const std::string &customer_id) override {
    faults_.enter("reports.customer_name");
    return real_.customer_name(customer_id);
  }
  std::vector<domain::CaseRecord> cases_resolved_between(TimeMs from, TimeMs to) override {
    faults_.enter("reports.cases_resolved_between");
    return real_.cases_resolved_between(from, to);
  }
  std::vector<domain::CaseRecord> cases_open_at(TimeMs at) override {
    faults_.enter("reports.cases_open_at");
    return real_.cases_open_at(at);
  }
  std::vector<reports::RefundFact> refunds_between(TimeMs from, TimeMs to) override {
    faults_.enter("reports.refunds_between");
    return real_.refunds_between(from, to);
  }
  std::vector<domain::CaseLogEntry> log_entries_between(const std::string &kind, TimeMs from, TimeMs to) override {
    faults_.enter("reports.log_entries_between");
    return real_.log_entries_between(kind, from, to);
  }
  std::optional<TimeMs> first_agent_action(const std::string &case_id) override {
    faults_.enter("reports.first_agent_action");
    return real_.first_agent_action(case_id);
  }

 private:
  FaultInjector &faults_;
  store::ReportStore &real_;
};

class FaultOutbox : public store::Outbox {
 public:
  FaultOutbox(FaultInjector &faults, store::Outbox &real) : faults_(faults), real_(real) {}

  bool enqueue(const domain::Effect &effect) override {
    faults_.enter("outbox.enqueue");
    return real_.enqueue(effect);
  }
  std::vector<store::ClaimedEffect> claim_due(TimeMs now, std::size_t limit, const std::vector<std::string> &kinds,
                                              TimeMs lease_until) override {
    faults_.enter("outbox.claim_due");
    return real_.claim_due(now, limit, kinds, lease_until);
  }
  bool mark_done(const store::ClaimedEffect &claim, const Json &result, TimeMs now) override {
    faults_.enter("outbox.mark_done");
    return real_.mark_done(claim, result, now);
  }
  bool mark_failed(const store::ClaimedEffect &claim, const std::string &error,
                   const std::string &without_host_words, TimeMs now) override {
    faults_.enter("outbox.mark_failed");
    return real_.mark_failed(claim, error, without_host_words, now);
  }
  bool mark_retry(const store::ClaimedEffect &claim, const std::string &error,
                  const std::string &without_host_words, TimeMs next_attempt_at,
                  TimeMs now) override {
    faults_.enter("outbox.mark_retry");
    return real_.mark_retry(claim, error, without_host_words, next_attempt_at, now);
  }
  std::int64_t release_claims(const std::vector<store::ClaimedEffect> &claims, TimeMs now) override {
    faults_.enter("outbox.release_claims");
    return real_.release_claims(claims, now);
  }
  std::int64_t release_dead_claims(TimeMs now) override {
    faults_.enter("outbox.release_dead_claims");
    return real_.release_dead_claims(now);
  }
  std::optional<TimeMs> next_due(const std::vector<std::string> &kinds) override {
    faults_.enter("outbox.next_due");
    return real_.next_due(kinds);
  }
  std::map<std::string, std::int64_t> count_by_status() override {
    faults_.enter("outbox.count_by_status");
    return real_.count_by_status();
  }
  std::optional<store::OutboxRow> find(const std::string &id) override {
    faults_.enter("outbox.find");
    return real_.find(id);
  }
  std::vector<std::pair<std::int64_t, store::OutboxRow>> list(const store::OutboxQuery &query) override {
    faults_.enter("outbox.list");
    return real_.list(query);
  }
  std::vector<store::OutboxRow> for_case(const std::string &case_id) override {
    faults_.enter("outbox.for_case");
    return real_.for_case(case_id);
  }

 private:
  FaultInjector &faults_;
  store::Outbox &real_;
};

class FaultStore : public store::Store {
 public:
  FaultStore(FaultInjector &faults, std::unique_ptr<store::Store> real)
      : faults_(faults),
        real_(std::move(real)),
        events_(faults, real_->events()),
        state_(faults, real_->state()),
        reports_(faults, real_->reports()),
        outbox_(faults, real_->outbox()) {}

  void begin_batch() override {
    faults_.enter("begin_batch");
    real_->begin_batch();
  }
  void commit_batch() override {
    faults_.enter("commit_batch");
    real_->commit_batch();
  }
  void rollback_batch() override {
    real_->rollback_batch();
    faults_.enter("rollback_batch");
  }
  void begin_job() override {
    faults_.enter("begin_job");
    real_->begin_job();
  }
  void release_job() override {
    faults_.enter("release_job");
    real_->release_job();
  }
  bool rollback_job() override {
    const bool undone = real_->rollback_job();
    faults_.enter("rollback_job");
    return undone;
  }
  bool claim(const std::vector<Subject> &subjects) override {
    faults_.enter("claim");
    return real_->claim(subjects);
  }
  bool try_claim(const std::vector<Subject> &subjects) override {
    faults_.enter("try_claim");
    return real_->try_claim(subjects);
  }

  store::EventLog &events() override { return events_; }
  store::StateStore &state() override { return state_; }
  store::ReportStore &reports() override { return reports_; }
  store::Outbox &outbox() override { return outbox_; }

  bool others_committed() override {
    faults_.enter("others_committed");
    return real_->others_committed();
  }
  void announce() override {
    faults_.enter("announce");
    real_->announce();
  }
  bool scrub() override {
    faults_.enter("scrub");
    return real_->scrub();
  }
  std::int64_t schema_version() override {
    faults_.enter("schema_version");
    return real_->schema_version();
  }

 private:
  FaultInjector &faults_;
  std::unique_ptr<store::Store> real_;
  FaultEventLog events_;
  FaultStateStore state_;
  FaultReportStore reports_;
  FaultOutbox outbox_;
};

}  // namespace

StoreOpener FaultInjector::opener() {
  return [this](const store::StoreConfig &config) {
    enter("open");
    return wrap(store::open_store(config));
  };
}

std::unique_ptr<store::Store> FaultInjector::wrap(std::unique_ptr<store::Store> real) {
  return std::make_unique<FaultStore>(*this, std::move(real));
}

}  // namespace ordercare::testing
