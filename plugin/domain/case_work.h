// The working set of one decide() call: copies of the cases it touches and
// the Decision being built. Every rule goes through these few operations,
// so opening, attaching, prioritising, escalating and logging behave the
// same whichever event or command caused them.
#pragma once

#include <list>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "common/subject.h"
#include "domain/case_engine.h"

namespace ordercare::domain {

enum class Origin { customer, system };

// A customer notice sent otherwise than the engine's own: an agent's
// message names its channel, language and sender.
struct NoticeOptions {
  std::optional<std::string> channel;   // default: the case's
  std::optional<std::string> language;  // default: the customer's (customer_language)
  std::optional<std::string> agent;     // who wrote or chose it (case.reply, case.send_template)
  // Stands for the cause in the notice's key: a notice sent once per case
  // and this, whatever event or command asks for it again (the survey).
  std::optional<std::string> once_per;
};

class CaseWork {
 public:
  // `command` names a command (no event) uniquely: the caller's request_id
  // or one the runtime made; effects and new cases derive their ids from it.
  CaseWork(const Snapshot &state, const EventView *event, TimeMs now, const Policy &policy,
           std::string command = {});

  const Policy &policy() const { return policy_; }
  TimeMs now() const { return now_; }
  const EventView *event() const { return event_; }
  // The work's order and customer: the snapshot's until the work changes
  // them (edit_order, set_order, set_customer), then the working copy. A
  // pointer taken before the first change goes on showing the snapshot's.
  const Order *order() const {
    return order_ ? &*order_ : state_.order ? &*state_.order : nullptr;
  }
  const Customer *customer() const {
    return customer_ ? &*customer_ : state_.customer ? &*state_.customer : nullptr;
  }
  const Snapshot &state() const { return state_; }
  Decision &decision() { return decision_; }

  void set_order(Order order, bool changed);
  // The working copy of the order, marked changed (refunds, returns).
  Order &edit_order();

  // Returns: the working copy of one of the snapshot's, or a new one.
  ReturnRecord *find_return(const std::string &id);
  ReturnRecord &add_return(ReturnRecord r);
  // Cases not about an order or customer (a SKU at a location) are keyed by this.
  void set_subject(Subject subject) { subject_ = std::move(subject); }
  bool is_new(const CaseRecord &c) const { return created_.count(c.id) > 0; }
  void set_customer(Customer customer);

  // The case an issue of `type` belongs on: an active case of the same
  // family (a WISMO or general complaint joins any active case of the
  // order), else a resolved one of the family reopened when the customer
  // speaks up, else a new case. `why` becomes the case's reason.
  CaseRecord &case_for(IssueType type, Origin origin, const std::string &why,
                       const std::string &channel);
  // An active case of this exact family, if any.
  CaseRecord *find_active(IssueType type);
  // A new case for a person that no customer contact opened (a follow-up
  // task): no acknowledgement goes out.
  CaseRecord &open_task(IssueType type, std::string why);
  CaseRecord &edit(const CaseRecord &c);  // a working copy of a snapshot case
  // The working copies of every active case, without marking them touched.
  std::vector<const CaseRecord *> active_cases() const;

  // The customer contacted us about the case now (a message, a request):
  // counts the contact, and a reply is owed from now (next_reply clock).
  void customer_wrote(CaseRecord &c);
  // A reply reached the customer now (delivered, or sent by the host).
  void replied(CaseRecord &c);

  // Adds a priority trigger and recomputes priority.
  void add_trigger(CaseRecord &c, const std::string &trigger);
  void recompute_priority(CaseRecord &c, const std::string &because);
  // A red flag: escalates at once when the policy says so.
  void raise_red_flag(CaseRecord &c, const std::string &flag, const std::string &evidence);
  // Escalates one level (agent command or red flag): record, notice, status.
  // `kind` is the Escalation's; empty: "system" for the system's, else
  // "agent". `tell` false leaves the notice to the caller (an SLA digest).
  void escalate(CaseRecord &c, const std::string &reason, const std::string &to,
                const std::string &actor, const std::string &kind = "", bool tell = true);
  void change_status(CaseRecord &c, CaseStatus to, const std::string &actor,
                     const std::string &command);

  void log(const CaseRecord &c, const std::string &kind, const std::string &actor,
           Json details = Json::object(), Json pii = Json::object());

  // The store the work is about: the event's, else its order's.
  std::optional<std::string> store() const;
  // The language a customer notice of `template_id` about `c` is written
  // in: the customer's own when known and the template is written in it
  // (the language of the message being handled, the case's last one, the
  // order's locale, in that order), else the store's (policy.language).
  std::string customer_language(const CaseRecord &c, const std::string &template_id) const;

  // Effects. `purpose` makes the idempotency key unique per cause. Returns
  // the notice's id, empty when the case has no customer to write to.
  std::string notify_customer(CaseRecord &c, const std::string &template_id, Json variables,
                              const std::string &purpose, const NoticeOptions &options = {});
  void notify_team(CaseRecord &c, const std::string &team, const std::string &template_id,
                   std::vector<std::string> needs, Json variables, const std::string &purpose);
  void queue_effect(Effect effect);
  // An SLA notice about `clock` held for `recipient`'s next digest
  // (SlaTargets::digest_interval, which must be on).
  void hold_for_digest(const CaseRecord &c, const std::string &recipient, const std::string &clock,
                       const std::string &stage);

  // The ordered result; touched cases are stamped updated_at = now. The
  // last call: the work's order, customer, cases and returns move into it.
  Decision finish();

 private:
  CaseRecord &open_new(IssueType type, std::string why, const std::string &channel, Origin origin);
  // Seed 001's auto-responder: the customer hears at once that we have it
  // and when to expect an answer.
  void acknowledge(CaseRecord &c);
  Subject subject_key() const;
  std::string cause_id() const;  // the event id, or the command's id
  // Whether this decision is a person acting on the case (a command with a
  // log line of theirs).
  bool acted_on(const std::string &case_id) const;

  const Snapshot &state_;
  const EventView *event_;
  TimeMs now_;
  std::string command_;
  const Policy &policy_;
  // Copied from the snapshot only when changed: most events read the order
  // and customer without touching them, and a copy of either (its PII a
  // Json tree) is dear (issue 11). The snapshot itself stays as loaded:
  // rules decide again on work.state() (return_flow.cpp).
  std::optional<Order> order_;
  std::optional<Customer> customer_;
  std::optional<Subject> subject_;
  std::set<std::string> created_;
  bool order_changed_ = false;
  bool customer_changed_ = false;
  // Working copies, snapshot cases first; a list so references stay valid
  // while new cases are opened. Not a deque: an empty one allocates a map
  // and a node the size of a whole record, on every decision (issue 11).
  std::list<CaseRecord> cases_;
  std::vector<bool> touched_;
  std::list<ReturnRecord> returns_;
  std::vector<bool> returns_touched_;
  // Acknowledgements queued (effect id, case id): their promise is worded
  // in finish(), from the case's first-response clock as it ends up.
  std::vector<std::pair<std::string, std::string>> acknowledgements_;
  Decision decision_;
};

// Order variables every template may use ("order.name", ...).
Json order_variables(const Order *order);

// The order as the shop shows it: a number with its own prefix as it is
// ("#1001", "SO-1001"), a bare number after '#' ("1001" -> "#1001"), the
// order id when there is no number.
std::string order_name(const Order &order);

}  // namespace ordercare::domain
